"""Extraction forms as YAML files: parse (every error with its line), describe, and validate.

A form file::

    name: obc
    title: Outcomes-based contracting
    sections:
      - name: setting
        label: Setting
        fields:
          - {name: country, type: country, required: true, help: Where the contract ran}
          - {name: model, type: choice, choices: [sib, pbr, other]}
          - {name: model_other, type: text, when: {field: model, in: [other]}}
          - name: outcomes
            type: group           # a table of rows
            fields:
              - {name: metric, type: text, required: true}
              - {name: payment, type: number, unit: GBP, min: 0}

Field types: text, long_text, integer, number (with `unit`), boolean, date, choice,
multi_choice, country (ISO 3166 via pycountry, stored as its alpha-3 code) and group.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pycountry
import yaml

from review.errors import InvalidInputError

FIELD_TYPES = (
    "text",
    "long_text",
    "integer",
    "number",
    "boolean",
    "date",
    "choice",
    "multi_choice",
    "country",
    "group",
)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FIELD_KEYS = {
    "name",
    "type",
    "label",
    "required",
    "help",
    "unit",
    "min",
    "max",
    "regex",
    "choices",
    "when",
    "fields",
}
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
MULTI_SEP = ";"


class FormDefinitionError(InvalidInputError):
    """A form file with mistakes; `issues` lists each with its line."""

    title = "invalid form"

    def __init__(self, issues: list[FormIssue], *, source: str = "form") -> None:
        self.issues = issues
        text = "; ".join(f"line {i.line}: {i.message}" for i in issues)
        super().__init__(
            f"{source}: {text}", hint="fix the form file; `litsift form check FILE` lists them"
        )


class FieldValueError(InvalidInputError):
    """Values that do not fit their fields; `errors` names each field and the reason."""

    title = "invalid value"

    def __init__(self, errors: list[ValueIssue]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(str(e) for e in errors),
            hint="`litsift form show NAME` lists each field's type and allowed values",
        )


@dataclass(frozen=True)
class FormIssue:
    """A mistake in a form file, at a line (1-based)."""

    line: int
    message: str


@dataclass(frozen=True)
class ValueIssue:
    """A value that does not fit its field."""

    field: str
    reason: str
    row: int = 0

    def __str__(self) -> str:
        where = f"{self.field} (row {self.row})" if self.row else self.field
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Choice:
    """An allowed value of a choice field and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show a field only when `field` has a value (one of `values`, when given)."""

    field: str
    values: tuple[str, ...] = ()

    def holds(self, value: Any) -> bool:
        """Whether the condition holds for the controlling field's value."""
        if value is None or value == "" or value == []:
            return False
        if not self.values:
            return value is not False
        have = {str(v) for v in value} if isinstance(value, list) else {_text(value)}
        return bool(have & set(self.values))


@dataclass(frozen=True)
class FieldDef:
    """One field of a form (a group's `fields` are the columns of its rows)."""

    name: str
    type: str
    label: str = ""
    required: bool = False
    help: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    regex: str = ""
    choices: tuple[Choice, ...] = ()
    when: Condition | None = None
    fields: tuple[FieldDef, ...] = ()
    line: int = 0
    path: str = ""  # "name", or "group.name" for a group's column

    @property
    def is_group(self) -> bool:
        return self.type == "group"


@dataclass(frozen=True)
class Section:
    """A titled part of a form."""

    name: str
    label: str
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class FormDef:
    """A parsed form."""

    name: str
    title: str
    sections: tuple[Section, ...]
    text: str = ""

    @property
    def fields(self) -> tuple[FieldDef, ...]:
        """Top-level fields in order (groups included, not their columns)."""
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def groups(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.is_group)

    def leaves(self) -> tuple[FieldDef, ...]:
        """Every field that holds a value: scalars and the columns of groups."""
        out: list[FieldDef] = []
        for f in self.fields:
            out.extend(f.fields if f.is_group else (f,))
        return tuple(out)

    def field(self, path: str) -> FieldDef:
        """A field by `name` or `group.column`."""
        for f in self.fields:
            if f.path == path:
                return f
            for c in f.fields:
                if c.path == path:
                    return c
        raise InvalidInputError(
            f"form {self.name!r} has no field {path!r}",
            hint=f"`litsift form show {self.name}` lists its fields",
        )


# --- parsing ---------------------------------------------------------------------------------


@dataclass
class _Y:
    """A YAML value with the line it starts on."""

    value: Any
    line: int


def _wrap(node: yaml.Node, loader: yaml.SafeLoader) -> _Y:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _Y({str(loader.construct_object(k)): _wrap(v, loader) for k, v in node.value}, line)
    if isinstance(node, yaml.SequenceNode):
        return _Y([_wrap(v, loader) for v in node.value], line)
    return _Y(loader.construct_object(node), line)


@dataclass
class _Parser:
    issues: list[FormIssue] = field(default_factory=list)

    def err(self, y: _Y, msg: str) -> None:
        self.issues.append(FormIssue(y.line, msg))

    def text(self, m: dict[str, _Y], key: str, default: str = "") -> str:
        y = m.get(key)
        if y is None or y.value is None:
            return default
        if not isinstance(y.value, str | int | float) or isinstance(y.value, bool):
            self.err(y, f"{key} must be text")
            return default
        return str(y.value)

    def number(self, m: dict[str, _Y], key: str) -> float | None:
        y = m.get(key)
        if y is None or y.value is None:
            return None
        if isinstance(y.value, bool) or not isinstance(y.value, int | float):
            self.err(y, f"{key} must be a number, not {y.value!r}")
            return None
        return float(y.value)

    def field(self, y: _Y, prefix: str, in_group: bool) -> FieldDef | None:
        if not isinstance(y.value, dict):
            self.err(y, "a field must be a mapping with at least name and type")
            return None
        m: dict[str, _Y] = y.value
        for k, v in m.items():
            if k not in _FIELD_KEYS:
                self.err(v, f"unknown key {k!r} (known: {', '.join(sorted(_FIELD_KEYS))})")
        name = self.text(m, "name")
        if not name:
            self.err(y, "field without a name")
        elif not _NAME.match(name):
            self.err(m["name"], f"field name {name!r}: use letters, digits and _")
        ftype = self.text(m, "type", "text")
        if ftype not in FIELD_TYPES:
            self.err(m.get("type", y), f"unknown type {ftype!r} (known: {', '.join(FIELD_TYPES)})")
            ftype = "text"
        if ftype == "group" and in_group:
            self.err(y, "a group cannot hold another group")
        lo, hi = self.number(m, "min"), self.number(m, "max")
        if lo is not None and hi is not None and lo > hi:
            self.err(m["min"], f"min {lo:g} is above max {hi:g}")
        bounded = ("integer", "number", "text", "long_text", "multi_choice")
        if (lo is not None or hi is not None) and ftype not in bounded:
            self.err(m.get("min", m.get("max", y)), f"min/max do not apply to {ftype}")
        regex = self.text(m, "regex")
        if regex:
            try:
                re.compile(regex)
            except re.error as e:
                self.err(m["regex"], f"bad regex {regex!r}: {e}")
                regex = ""
        choices = self.choices(m, ftype, y)
        required = m.get("required")
        if required is not None and not isinstance(required.value, bool):
            self.err(required, "required must be true or false")
        when = self.condition(m.get("when"))
        path = f"{prefix}{name}"
        columns: tuple[FieldDef, ...] = ()
        if ftype == "group":
            columns = self.fields(m.get("fields"), y, prefix=f"{name}.", in_group=True)
        elif "fields" in m:
            self.err(m["fields"], "only a group has fields")
        return FieldDef(
            name=name,
            type=ftype,
            label=self.text(m, "label") or name.replace("_", " ").capitalize(),
            required=bool(required and required.value is True),
            help=self.text(m, "help"),
            unit=self.text(m, "unit"),
            min=lo,
            max=hi,
            regex=regex,
            choices=choices,
            when=when,
            fields=columns,
            line=y.line,
            path=path,
        )

    def choices(self, m: dict[str, _Y], ftype: str, y: _Y) -> tuple[Choice, ...]:
        c = m.get("choices")
        if ftype not in ("choice", "multi_choice"):
            if c is not None:
                self.err(c, f"choices do not apply to {ftype}")
            return ()
        if c is None or not isinstance(c.value, list) or not c.value:
            self.err(c or y, f"a {ftype} field needs a non-empty list of choices")
            return ()
        out: list[Choice] = []
        for item in c.value:
            if isinstance(item.value, dict):
                value = self.text(item.value, "value")
                label = self.text(item.value, "label", value)
            elif isinstance(item.value, str | int | float) and not isinstance(item.value, bool):
                value = label = str(item.value)
            else:
                self.err(item, "a choice is a value or {value: ..., label: ...}")
                continue
            if not value or MULTI_SEP in value:
                self.err(item, f"choice value {value!r} must be non-empty, without {MULTI_SEP!r}")
            elif value in {o.value for o in out}:
                self.err(item, f"choice {value!r} appears twice")
            else:
                out.append(Choice(value, label))
        return tuple(out)

    def condition(self, y: _Y | None) -> Condition | None:
        if y is None:
            return None
        if isinstance(y.value, str):
            return Condition(y.value)
        if not isinstance(y.value, dict) or "field" not in y.value:
            self.err(y, "when must be a field name or {field: NAME, in: [values]}")
            return None
        values = y.value.get("in")
        vals: tuple[str, ...] = ()
        if values is not None:
            raw = values.value if isinstance(values.value, list) else [values]
            vals = tuple(str(v.value) for v in raw)
        return Condition(self.text(y.value, "field"), vals)

    def fields(
        self, y: _Y | None, parent: _Y, *, prefix: str, in_group: bool
    ) -> tuple[FieldDef, ...]:
        if y is None or not isinstance(y.value, list) or not y.value:
            self.err(y or parent, "fields must be a non-empty list")
            return ()
        out = [f for item in y.value if (f := self.field(item, prefix, in_group)) is not None]
        return tuple(out)


def _check_references(form: FormDef, p: _Parser) -> None:
    seen: dict[str, FieldDef] = {}
    for f in [*form.fields, *(c for g in form.groups for c in g.fields)]:
        if f.path in seen:
            p.issues.append(FormIssue(f.line, f"field {f.path!r} defined twice"))
        seen[f.path] = f
    for f in seen.values():
        if f.when is None:
            continue
        prefix = f.path.rsplit(".", 1)[0] + "." if "." in f.path else ""
        target = seen.get(f.when.field) or seen.get(prefix + f.when.field)
        if target is None or target.is_group:
            p.issues.append(FormIssue(f.line, f"{f.path}: when names no field {f.when.field!r}"))
        elif target.choices and not set(f.when.values) <= {c.value for c in target.choices}:
            bad = sorted(set(f.when.values) - {c.value for c in target.choices})
            p.issues.append(FormIssue(f.line, f"{f.path}: when lists unknown choices {bad}"))


def check_form(text: str) -> tuple[FormDef | None, list[FormIssue]]:
    """Parse a form file's text; returns the form (None when unusable) and every issue."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        return None, [FormIssue(mark.line + 1 if mark else 1, f"not valid YAML: {e.problem}")]
    if node is None:
        return None, [FormIssue(1, "the file is empty")]
    root = _wrap(node, yaml.SafeLoader(""))
    p = _Parser()
    if not isinstance(root.value, dict):
        return None, [FormIssue(root.line, "a form is a mapping with name and sections")]
    m: dict[str, _Y] = root.value
    for k, v in m.items():
        if k not in ("name", "title", "sections", "version", "description"):
            p.err(v, f"unknown key {k!r}")
    name = p.text(m, "name")
    if not name or not _NAME.match(name):
        p.err(m.get("name", root), f"form name {name!r}: use letters, digits and _")
    sections: list[Section] = []
    secs = m.get("sections")
    if secs is None or not isinstance(secs.value, list) or not secs.value:
        p.err(secs or root, "sections must be a non-empty list")
    else:
        for sy in secs.value:
            if not isinstance(sy.value, dict):
                p.err(sy, "a section is a mapping with name and fields")
                continue
            sname = p.text(sy.value, "name", f"section{len(sections) + 1}")
            fields = p.fields(sy.value.get("fields"), sy, prefix="", in_group=False)
            sections.append(Section(sname, p.text(sy.value, "label", sname), fields))
    form = FormDef(name=name, title=p.text(m, "title", name), sections=tuple(sections), text=text)
    _check_references(form, p)
    issues = sorted(p.issues, key=lambda i: i.line)
    return (form if not issues else None), issues


def parse_form(text: str, *, source: str = "form") -> FormDef:
    """A form from its file text, or FormDefinitionError listing every issue with its line."""
    form, issues = check_form(text)
    if issues or form is None:
        raise FormDefinitionError(issues, source=source)
    return form


# --- values ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _country(raw: str) -> str:
    raw = raw.strip()
    hit = None
    if len(raw) == 2:
        hit = pycountry.countries.get(alpha_2=raw.upper())
    elif len(raw) == 3:
        hit = pycountry.countries.get(alpha_3=raw.upper())
    if hit is None:
        try:
            found = pycountry.countries.lookup(raw)
        except LookupError:
            found = None
        hit = found
    if hit is None:
        raise ValueError(f"{raw!r} is not an ISO 3166 country (name, alpha-2 or alpha-3 code)")
    return str(hit.alpha_3)


def _number(f: FieldDef, raw: Any, integer: bool) -> int | float:
    if isinstance(raw, bool):
        raise ValueError(f"expected {'an integer' if integer else 'a number'}, got {raw!r}")
    if isinstance(raw, int | float):
        x: float = float(raw)
    else:
        s = (
            str(raw).strip().replace(",", "")
            if str(raw).count(",") and "." in str(raw)
            else str(raw).strip()
        )
        if f.unit and s.endswith(f.unit):
            s = s[: -len(f.unit)].strip()
        try:
            x = float(s)
        except ValueError:
            raise ValueError(
                f"expected {'an integer' if integer else 'a number'}, got {raw!r}"
            ) from None
    if not math.isfinite(x):
        raise ValueError(f"expected a finite number, got {raw!r}")
    if integer and not x.is_integer():
        raise ValueError(f"expected an integer, got {raw!r}")
    if f.min is not None and x < f.min:
        raise ValueError(f"{_text(x)} is below the minimum {_text(f.min)}")
    if f.max is not None and x > f.max:
        raise ValueError(f"{_text(x)} is above the maximum {_text(f.max)}")
    return int(x) if integer else x


def _date(f: FieldDef, raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        d = raw.date()
    elif isinstance(raw, dt.date):
        d = raw
    else:
        try:
            d = dt.date.fromisoformat(str(raw).strip().split("T")[0])
        except ValueError:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {raw!r}") from None
    return d.isoformat()


def coerce(f: FieldDef, raw: Any) -> Any:
    """The typed value of `raw` (text from a CLI or spreadsheet, or a typed value) for a field;
    None for an empty value. Raises ValueError with the reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    t = f.type
    if t in ("text", "long_text"):
        s = _text(raw).replace("\r\n", "\n")
        s = s.strip() if t == "text" else s
        if t == "text" and "\n" in s:
            raise ValueError("text is one line; use a long_text field for more")
        if any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in s):
            raise ValueError("contains terminal control characters")
        if f.min is not None and len(s) < f.min:
            raise ValueError(f"is shorter than {_text(f.min)} characters")
        if f.max is not None and len(s) > f.max:
            raise ValueError(f"is longer than {_text(f.max)} characters")
        if f.regex and not re.fullmatch(f.regex, s):
            raise ValueError(f"{s!r} does not match the pattern {f.regex}")
        return s
    if t == "integer":
        return _number(f, raw, True)
    if t == "number":
        return _number(f, raw, False)
    if t == "boolean":
        if isinstance(raw, bool):
            return raw
        s = _text(raw).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValueError(f"expected yes/no or true/false, got {raw!r}")
    if t == "date":
        return _date(f, raw)
    if t == "country":
        return _country(_text(raw))
    allowed = [c.value for c in f.choices]
    if t == "choice":
        s = _text(raw).strip()
        if s not in allowed:
            raise ValueError(f"{s!r} is not one of {', '.join(allowed)}")
        return s
    if t == "multi_choice":
        items = raw if isinstance(raw, list | tuple) else _text(raw).split(MULTI_SEP)
        vals = [_text(v).strip() for v in items if _text(v).strip()]
        bad = [v for v in vals if v not in allowed]
        if bad:
            raise ValueError(f"{', '.join(map(repr, bad))} not among {', '.join(allowed)}")
        chosen = [v for v in allowed if v in vals]  # the form's order, no repeats
        if f.min is not None and len(chosen) < f.min:
            raise ValueError(f"choose at least {_text(f.min)}")
        if f.max is not None and len(chosen) > f.max:
            raise ValueError(f"choose at most {_text(f.max)}")
        return chosen or None
    raise ValueError(f"a {t} field holds rows, not a value")


def format_value(value: Any) -> str:
    """A stored value as text for CSV and the terminal (read back by `coerce`)."""
    t = type(value)
    if t is str:
        return value  # type: ignore[no-any-return]
    if t is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return f"{MULTI_SEP} ".join(str(v) for v in value)
    return _text(value)
