"""Form files read from YAML with the line of every node, so that each mistake in a file is
reported with its line (`litsift form check FILE`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from extraction.field_types import MULTI_SEP
from extraction.form_model import (
    FIELD_TYPES,
    Choice,
    Condition,
    FieldDef,
    FormDef,
    FormDefinitionError,
    FormIssue,
    Section,
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
