"""A form compiled into a pydantic model: one extraction's values checked at once, each error
naming its field (and row) and the reason; required and conditional fields included."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model

from extraction.forms import FieldDef, FieldValueError, FormDef, ValueIssue, coerce


def _validator(f: FieldDef) -> BeforeValidator:
    return BeforeValidator(lambda raw: coerce(f, raw))


def _model(name: str, fields: tuple[FieldDef, ...]) -> type[BaseModel]:
    spec: dict[str, Any] = {}
    for f in fields:
        if f.is_group:
            row = _model(f"{name}_{f.name}", f.fields)
            spec[f.name] = (list[row], [])  # type: ignore[valid-type]
        else:
            spec[f.name] = (Annotated[Any, _validator(f)], None)
    return create_model(name, __config__=ConfigDict(extra="forbid"), **spec)


@cache
def compile_form(form: FormDef) -> type[BaseModel]:
    """The pydantic model of a form: fields by name, groups as lists of row models."""
    return _model(f"Form_{form.name}", form.fields)


def _issues(exc: ValidationError, form: FormDef) -> list[ValueIssue]:
    out = []
    for e in exc.errors():
        loc = [p for p in e["loc"]]
        row = 0
        if len(loc) >= 3 and isinstance(loc[1], int):
            row = loc[1] + 1
            path = f"{loc[0]}.{loc[2]}"
        else:
            path = ".".join(str(p) for p in loc if not isinstance(p, int))
        msg = str(e["msg"]).removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = f"form {form.name!r} has no such field"
        out.append(ValueIssue(path, msg, row))
    return out


def _shown(f: FieldDef, values: dict[str, Any]) -> bool:
    return f.when is None or f.when.holds(values.get(f.when.field))


def _presence(
    fields: tuple[FieldDef, ...], values: dict[str, Any], prefix: str, row: int
) -> list[ValueIssue]:
    out = []
    for f in fields:
        if f.is_group:
            continue
        v = values.get(f.name)
        if f.when is not None and not _shown(f, values):
            if v is not None:
                out.append(
                    ValueIssue(
                        prefix + f.name,
                        f"only filled when {f.when.field} "
                        f"is {' or '.join(f.when.values) or 'filled'}",
                        row,
                    )
                )  # type: ignore[union-attr]
        elif f.required and v is None:
            out.append(ValueIssue(prefix + f.name, "is required", row))
    return out


def validate_record(
    form: FormDef, data: dict[str, Any], *, complete: bool = True
) -> dict[str, Any]:
    """Typed values of one extraction (`{field: value, group: [{column: value}, ...]}`), or
    FieldValueError naming each bad field. With `complete`, required and conditional fields
    are checked too (the check made when an extraction is marked complete)."""
    try:
        typed = compile_form(form).model_validate(data).model_dump()
    except ValidationError as e:
        raise FieldValueError(_issues(e, form)) from None
    if complete:
        issues = _presence(form.fields, typed, "", 0)
        for g in form.groups:
            if g.required and not typed[g.name] and _shown(g, typed):
                issues.append(ValueIssue(g.name, "needs at least one row"))
            for i, row in enumerate(typed[g.name], 1):
                issues += _presence(g.fields, {**typed, **row}, f"{g.name}.", i)
        if issues:
            raise FieldValueError(issues)
    return typed
