"""Form files: parsing with line numbers, and every field type's validation (good and bad)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extraction.forms import FieldDef, FieldValueError, FormDefinitionError, check_form, parse_form
from extraction.validation import validate_record

DEMO_FORM = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "obc_form.yaml"

FORM = """\
name: t
sections:
  - name: main
    fields:
      - {name: title, type: text, required: true, min: 2, max: 20, regex: '[A-Z].*'}
      - {name: notes, type: long_text}
      - {name: n, type: integer, min: 1, max: 100}
      - {name: cost, type: number, unit: GBP, min: 0}
      - {name: ok, type: boolean}
      - {name: start, type: date}
      - {name: design, type: choice, choices: [rct, qed, other]}
      - {name: design_other, type: text, when: {field: design, in: [other]}}
      - {name: domains, type: multi_choice, choices: [a, b, c], max: 2}
      - {name: country, type: country}
      - name: outcomes
        type: group
        fields:
          - {name: metric, type: text, required: true}
          - {name: price, type: number, min: 0}
"""


@pytest.fixture
def form() -> Any:
    return parse_form(FORM)


GOOD = [
    ("title", "Trial A", "Trial A"),
    ("notes", "line one\nline two", "line one\nline two"),
    ("n", "42", 42),
    ("n", 7.0, 7),
    ("cost", "1250.5", 1250.5),
    ("cost", "300 GBP", 300.0),
    ("ok", "yes", True),
    ("ok", "false", False),
    ("start", "2019-04-01", "2019-04-01"),
    ("design", "rct", "rct"),
    ("domains", "c; a", ["a", "c"]),
    ("domains", ["b"], ["b"]),
    ("country", "United Kingdom", "GBR"),
    ("country", "fr", "FRA"),
    ("country", "DEU", "DEU"),
]

BAD = [
    ("title", "x", "shorter than 2 characters"),
    ("title", "lower case", "does not match the pattern"),
    ("title", "Two\nlines", "text is one line"),
    ("notes", "bell\x07 \x1b[31mred", "contains terminal control characters"),
    ("n", "4.5", "expected an integer"),
    ("n", "0", "below the minimum 1"),
    ("n", "101", "above the maximum 100"),
    ("cost", "lots", "expected a number"),
    ("cost", "-3", "below the minimum 0"),
    ("ok", "perhaps", "expected yes/no"),
    ("start", "01/04/2019", "expected a date as YYYY-MM-DD"),
    ("design", "cohort", "'cohort' is not one of rct, qed, other"),
    ("domains", "a; z", "'z' not among a, b, c"),
    ("domains", "a; b; c", "choose at most 2"),
    ("country", "Atlantis", "not an ISO 3166 country"),
]


@pytest.mark.parametrize(("name", "raw", "want"), GOOD)
def test_good_values(form: Any, name: str, raw: Any, want: Any) -> None:
    got = validate_record(form, {name: raw}, complete=False)
    assert got[name] == want


@pytest.mark.parametrize(("name", "raw", "message"), BAD)
def test_bad_values_name_field_and_reason(form: Any, name: str, raw: Any, message: str) -> None:
    with pytest.raises(FieldValueError) as e:
        validate_record(form, {name: raw}, complete=False)
    assert [i.field for i in e.value.errors] == [name]
    assert message in e.value.errors[0].reason


def test_group_rows_required_and_conditions(form: Any) -> None:
    with pytest.raises(FieldValueError) as e:
        validate_record(form, {"design": "rct", "design_other": "x", "outcomes": [{"price": "-1"}]})
    assert "outcomes.price (row 1): -1 is below the minimum 0" in str(e.value)
    with pytest.raises(FieldValueError) as e:
        validate_record(form, {"design": "rct", "design_other": "x", "outcomes": [{"price": 1}]})
    msgs = {str(i) for i in e.value.errors}
    assert "title: is required" in msgs
    assert "outcomes.metric (row 1): is required" in msgs
    assert "design_other: only filled when design is other" in msgs
    ok = validate_record(
        form, {"title": "Ok", "design": "other", "design_other": "x", "outcomes": [{"metric": "m"}]}
    )
    assert ok["outcomes"] == [{"metric": "m", "price": None}]


def test_unknown_field_is_named(form: Any) -> None:
    with pytest.raises(FieldValueError) as e:
        validate_record(form, {"colour": "red"}, complete=False)
    assert e.value.errors[0].field == "colour"


def test_check_names_the_line_of_every_error() -> None:
    text = FORM.replace("type: integer", "type: integr").replace(
        "choices: [a, b, c]", "choices: []"
    )
    text = text.replace("in: [other]", "in: [others]") + "      - {name: bad name}\n"
    form, issues = check_form(text)
    assert form is None
    by_line = {i.line: i.message for i in issues}
    assert "unknown type 'integr'" in by_line[7]
    assert "needs a non-empty list of choices" in by_line[13]
    assert "unknown choices ['others']" in by_line[12]
    assert "use letters, digits and _" in by_line[20]
    with pytest.raises(FormDefinitionError, match="line 7"):
        parse_form(text)


def test_yaml_syntax_error_has_a_line() -> None:
    _, issues = check_form("name: t\nsections:\n  - name: [unclosed\n")
    assert issues and issues[0].line >= 3 and "not valid YAML" in issues[0].message


def test_demo_form_parses() -> None:
    form = parse_form(DEMO_FORM.read_text(encoding="utf-8"))
    types = {f.type for f in form.leaves()} | {f.type for f in form.fields}
    assert types == {t for t in types if t} and "group" in types and "country" in types
    assert isinstance(form.field("outcomes.price"), FieldDef)
