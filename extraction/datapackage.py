"""The extraction as a Frictionless Data Package (https://specs.frictionlessdata.io/): the wide
CSV tables (one row per study and reviewer; a table per repeating group keyed by study,
reviewer and row) plus `datapackage.json`, whose Table Schemas are the form's codebook.

Each field's Table Schema descriptor carries:
- `type`: string (text, long text, choice, multiple choice, country), integer, number, boolean
  (`true`/`false`), date (ISO 8601);
- `title` (the label) and `description` (the help text, the unit, the allowed values);
- `unit` (a custom property, as the spec allows) for number fields with a unit;
- `constraints`: `enum` for single choices, `minimum`/`maximum`, `minLength`/`maxLength`,
  `pattern` (the form's regex; ISO alpha-3 for countries);
- the group tables' `primaryKey` (study, reviewer, row) and `foreignKeys` to the main table.

Required fields are said in the description, not as a constraint: an extraction in progress may
lack them and is still data. The package is written to a temporary folder and moved into place
when complete; `frictionless validate DIR/datapackage.json` checks it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extraction.forms import MULTI_SEP, FieldDef, FormDef
from extraction.service import ExtractionSession, write_csv_table
from extraction.tables import MAIN, Table
from review.errors import InvalidInputError
from review.extraction_tables import EXTRACTION_STATUSES

_TYPES = {
    "text": "string",
    "long_text": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "choice": "string",
    "multi_choice": "string",
    "country": "string",
}


@dataclass(frozen=True)
class DataPackageResult:
    """The folder written, its descriptor and each resource's name and row count."""

    folder: Path
    descriptor: Path
    resources: tuple[tuple[str, int], ...]


def package_name(text: str) -> str:
    """A Data Package name: lower case letters, digits and `-._`."""
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")
    return name or "extraction"


def field_schema(f: FieldDef) -> dict[str, Any]:
    """The Table Schema descriptor of one form field (see the module doc)."""
    out: dict[str, Any] = {"name": f.name, "type": _TYPES[f.type], "title": f.label}
    notes = [f.help] if f.help else []
    constraints: dict[str, Any] = {}
    if f.type == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    if f.type == "choice":
        constraints["enum"] = [c.value for c in f.choices]
        notes.append("one of: " + "; ".join(f"{c.value} = {c.label}" for c in f.choices))
    elif f.type == "multi_choice":
        values = "; ".join(f"{c.value} = {c.label}" for c in f.choices)
        notes.append(f"any of, separated by '{MULTI_SEP} ': {values}")
        out["allowedValues"] = [c.value for c in f.choices]
    elif f.type == "country":
        constraints["pattern"] = "[A-Z]{3}"
        notes.append("ISO 3166-1 alpha-3 country code")
    if f.unit:
        out["unit"] = f.unit
        notes.append(f"unit: {f.unit}")
    if f.type in ("integer", "number"):
        if f.min is not None:
            constraints["minimum"] = int(f.min) if f.type == "integer" else f.min
        if f.max is not None:
            constraints["maximum"] = int(f.max) if f.type == "integer" else f.max
    elif f.type in ("text", "long_text"):
        if f.min is not None:
            constraints["minLength"] = int(f.min)
        if f.max is not None:
            constraints["maxLength"] = int(f.max)
        if f.regex:
            constraints["pattern"] = f.regex
    if f.required:
        notes.append("required in a complete extraction")
    if f.when is not None:
        cond = f.when.field + (f" in {', '.join(f.when.values)}" if f.when.values else "")
        notes.append(f"asked only when {cond}")
    if notes:
        out["description"] = ". ".join(n[0].upper() + n[1:].rstrip(".") for n in notes) + "."
    if constraints:
        out["constraints"] = constraints
    return out


_KEY_FIELDS = {
    "study": {
        "name": "study",
        "type": "integer",
        "title": "Study id",
        "constraints": {"required": True},
    },
    "reviewer": {
        "name": "reviewer",
        "type": "string",
        "title": "Reviewer",
        "description": "Who extracted; `consensus` is the reconciled extraction.",
        "constraints": {"required": True},
    },
    "status": {
        "name": "status",
        "type": "string",
        "title": "Extraction status",
        "constraints": {"enum": list(EXTRACTION_STATUSES)},
    },
    "row": {
        "name": "row",
        "type": "integer",
        "title": "Row",
        "description": "The row of the repeating group (from 1).",
        "constraints": {"required": True, "minimum": 1},
    },
}


def table_schemas(form: FormDef) -> dict[str, dict[str, Any]]:
    """Table Schema per table of the wide layout: the main table, then one per group."""
    main = [f for f in form.fields if not f.is_group]
    out = {
        MAIN: {
            "fields": [_KEY_FIELDS[k] for k in ("study", "reviewer", "status")]
            + [field_schema(f) for f in main],
            "primaryKey": ["study", "reviewer"],
        }
    }
    for g in form.groups:
        out[g.name] = {
            "fields": [_KEY_FIELDS[k] for k in ("study", "reviewer", "row")]
            + [field_schema(c) for c in g.fields],
            "primaryKey": ["study", "reviewer", "row"],
            "foreignKeys": [
                {
                    "fields": ["study", "reviewer"],
                    "reference": {"resource": MAIN, "fields": ["study", "reviewer"]},
                }
            ],
        }
    return out


def descriptor(form: FormDef, version: int, tabs: list[Table]) -> dict[str, Any]:
    """`datapackage.json` for the tables `tabs` (the wide layout) of `form`."""
    schemas = table_schemas(form)
    resources = []
    for t in tabs:
        group = next((g for g in form.groups if g.name == t.name), None)
        desc = (
            f"One row per study and reviewer: the fields of form {form.name} v{version}."
            if group is None
            else f"Repeating group {t.name}: one row per study, reviewer and row."
            + (f" {group.help}" if group.help else "")
        )
        resources.append(
            {
                "name": package_name(t.name),
                "path": f"{t.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": group.label if group else form.title,
                "description": desc,
                "schema": schemas[t.name],
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": package_name(f"{form.name}-extraction"),
        "title": f"{form.title}: extracted data",
        "description": (
            f"Data extracted with the form {form.name} (version {version}) in a litsift "
            "review. Each table's schema is the form's codebook."
        ),
        "version": str(version),
        "created": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "resources": resources,
    }


def write_datapackage(
    session: ExtractionSession, form: str | None, out: Path, *, force: bool = False
) -> DataPackageResult:
    """Write the package into the folder `out` (created; an existing non-empty folder only
    with `force`, and then replaced whole)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise InvalidInputError(
            f"{out} exists and is not an empty folder",
            hint="name a new folder, or pass --force to replace it",
        )
    fv = session.form(form)
    tabs = session.rows(fv.name, layout="wide")
    desc = descriptor(fv.form, fv.version, tabs)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        for t in tabs:
            write_csv_table(tmp / f"{t.name}.csv", t)
        (tmp / "datapackage.json").write_text(
            json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DataPackageResult(
        out, out / "datapackage.json", tuple((t.name, len(t.rows)) for t in tabs)
    )
