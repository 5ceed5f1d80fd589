"""The shape of an extraction form: sections, fields (a group's fields are the columns of its
rows), choices and conditions, and the errors that name a form line or a field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extraction.field_types import value_text
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
        have = {str(v) for v in value} if isinstance(value, list) else {value_text(value)}
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
