"""Field types: a raw value (text from the CLI or a spreadsheet, or a typed value) checked
and turned into the stored value of its field (`coerce`), and stored values as text
(`format_value`, which `coerce` reads back)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

import pycountry

if TYPE_CHECKING:
    from extraction.form_model import FieldDef

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
MULTI_SEP = ";"


def value_text(value: Any) -> str:
    """A scalar as text: booleans as true/false, integral floats without '.0'."""
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
        raise ValueError(f"{value_text(x)} is below the minimum {value_text(f.min)}")
    if f.max is not None and x > f.max:
        raise ValueError(f"{value_text(x)} is above the maximum {value_text(f.max)}")
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
        s = value_text(raw).replace("\r\n", "\n")
        s = s.strip() if t == "text" else s
        if t == "text" and "\n" in s:
            raise ValueError("text is one line; use a long_text field for more")
        if any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in s):
            raise ValueError("contains terminal control characters")
        if f.min is not None and len(s) < f.min:
            raise ValueError(f"is shorter than {value_text(f.min)} characters")
        if f.max is not None and len(s) > f.max:
            raise ValueError(f"is longer than {value_text(f.max)} characters")
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
        s = value_text(raw).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValueError(f"expected yes/no or true/false, got {raw!r}")
    if t == "date":
        return _date(f, raw)
    if t == "country":
        return _country(value_text(raw))
    allowed = [c.value for c in f.choices]
    if t == "choice":
        s = value_text(raw).strip()
        if s not in allowed:
            raise ValueError(f"{s!r} is not one of {', '.join(allowed)}")
        return s
    if t == "multi_choice":
        items = raw if isinstance(raw, list | tuple) else value_text(raw).split(MULTI_SEP)
        vals = [value_text(v).strip() for v in items if value_text(v).strip()]
        bad = [v for v in vals if v not in allowed]
        if bad:
            raise ValueError(f"{', '.join(map(repr, bad))} not among {', '.join(allowed)}")
        chosen = [v for v in allowed if v in vals]  # the form's order, no repeats
        if f.min is not None and len(chosen) < f.min:
            raise ValueError(f"choose at least {value_text(f.min)}")
        if f.max is not None and len(chosen) > f.max:
            raise ValueError(f"choose at most {value_text(f.max)}")
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
    return value_text(value)
