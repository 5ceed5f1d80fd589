"""Tables written as CSV and JSON fast enough for large extractions, in one streaming pass.

The output is byte for byte what `format_value` and `json.dumps(..., ensure_ascii=False,
indent=1)` give (tests/extraction/test_export_format.py pins it): values were typed on write,
so only the few types whose text differs from Python's (integral floats, booleans, lists) go
through `format_value`; everything else is left to the C csv writer and string encoder.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from extraction.forms import format_value
from extraction.tables import Table

# Types the csv module writes as format_value would: str as is, int via str, None as "".
_CSV_NATIVE = frozenset({str, int, type(None)})
_encode_str = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _csv_cell(value: Any) -> Any:
    if type(value) is float and not value.is_integer():
        return value  # the csv module writes repr(value), as format_value does
    return format_value(value)


def text_rows(table: Table) -> Iterator[Sequence[Any]]:
    """The rows of a table as the csv module should write them (format_value's text); only
    the columns that may hold other types are looked at, and a row needing no change is
    passed on as it is."""
    native, cell = _CSV_NATIVE, _csv_cell
    typed = range(len(table.columns)) if table.typed is None else table.typed
    if len(typed) == 1:
        (i,) = typed
        for r in table.rows:
            v = r[i]
            t = type(v)
            if t in native or (t is float and not v.is_integer()):
                yield r
            else:
                out = list(r)
                out[i] = cell(v)
                yield out
        return
    for r in table.rows:
        out = list(r)
        for i in typed:
            v = out[i]
            if type(v) not in native:
                out[i] = cell(v)
        yield out


def write_csv(table: Table, f: TextIO) -> int:
    """A table as CSV (header, then rows streamed to the writer); returns its row count."""
    w = csv.writer(f)
    w.writerow(table.columns)
    w.writerows(text_rows(table))
    return len(table.rows)


def _float(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return json.dumps(v)
    return float.__repr__(v)


_JSON_SCALAR: dict[type, Any] = {
    str: _encode_str,
    int: int.__repr__,
    float: _float,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
}


def _json_value(v: Any, level: int) -> str:
    """A value as `json.dumps(indent=1)` writes it at nesting `level`."""
    enc = _JSON_SCALAR.get(type(v))
    if enc is not None:
        return enc(v)  # type: ignore[no-any-return]
    if isinstance(v, list | tuple):
        if not v:
            return "[]"
        pad = "\n" + " " * (level + 1)
        items = ("," + pad).join(_json_value(x, level + 1) for x in v)
        return "[" + pad + items + "\n" + " " * level + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        pad = "\n" + " " * (level + 1)
        items = ("," + pad).join(
            f"{_encode_str(str(k))}: {_json_value(x, level + 1)}" for k, x in v.items()
        )
        return "{" + pad + items + "\n" + " " * level + "}"
    return json.dumps(v, ensure_ascii=False, indent=1)  # anything else: let json decide


def _json_records(table: Table, f: TextIO, level: int) -> None:
    """A table as a JSON list of records (one object per row) at nesting `level`."""
    if not table.rows:
        f.write("[]")
        return
    inner = " " * (level + 2)
    heads = [f",\n{inner}{_encode_str(c)}: " for c in table.columns]
    heads[0] = heads[0][1:]
    scalar = _JSON_SCALAR
    open_, close = "{", "\n" + " " * (level + 1) + "}"
    sep = "\n" + " " * (level + 1)
    first = True
    for r in table.rows:
        body = "".join(
            [
                h + (scalar[type(c)](c) if type(c) in scalar else _json_value(c, level + 2))
                for h, c in zip(heads, r, strict=True)
            ]
        )
        f.write(("[" if first else ",") + sep + open_ + body + close)
        first = False
    f.write("\n" + " " * level + "]")


def write_json(tables: list[Table], f: TextIO) -> None:
    """`{name: [record, ...], ...}` for the tables, as `json.dumps(indent=1)` and a newline."""
    f.write("{")
    for i, t in enumerate(tables):
        f.write(("," if i else "") + "\n " + _encode_str(t.name) + ": ")
        _json_records(t, f, 1)
    f.write("\n}\n" if tables else "}\n")


def write_json_records(table: Table, f: TextIO) -> None:
    """`[record, ...]` for one table (the codebook), as `json.dumps(indent=1)` and a newline."""
    _json_records(table, f, 0)
    f.write("\n")
