"""PRISMA counts as the PRISMA2020 Shiny app's CSV template and as Markdown.

The CSV has exactly the rows and columns of the PRISMA2020 R package's `PRISMA.csv`
(`data,node,box,description,boxtext,tooltips,url,n`) with `n` filled, so a lead can upload it
to the app; lists go in `n` as "Name, n; Name, n". The layout ships as package data,
`review/prisma_template.csv` (the template without `n`; MIT, Haddaway et al. 2022); a test
compares it with the template.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import Any

from review.prisma import PrismaCounts, stop_note
from review.spreadsheet_cells import guard

CSV_COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")


@functools.cache
def template_rows() -> tuple[tuple[str, ...], ...]:
    """The template's rows in order, every column but `n` (read from `prisma_template.csv`)."""
    text = resources.files("review").joinpath("prisma_template.csv").read_text(encoding="utf-8")
    _header, *rows = csv.reader(io.StringIO(text))
    return tuple(tuple(r) for r in rows)


def _clean(name: str) -> str:
    """A list item's name without the separators of "Name, n; Name, n"."""
    return " ".join(name.replace(";", " -").replace(",", " -").split())


def list_cell(items: list[dict[str, Any]], key: str) -> str:
    """[{key: Name, n: 3}, ...] as "Name, 3; Other, 1"."""
    return "; ".join(f"{_clean(str(i[key]))}, {i['n']}" for i in items)


def to_csv(counts: PrismaCounts) -> str:
    """The Shiny app's template with `n` filled (title rows keep the template's 0)."""
    data = counts.to_json()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for row in template_rows():
        value = data.get(row[0])
        if isinstance(value, list):
            n = list_cell(value, "reason")
        elif isinstance(value, int):
            n = str(value)
        else:
            n = "0"
        w.writerow((*row, guard(n)))  # a reason is typed by a person
    return buf.getvalue()


def to_markdown(counts: PrismaCounts) -> str:
    """The diagram as a Markdown outline, both columns, every box with its number."""
    d = counts.to_json()
    det = d["details"]

    def reasons(items: list[dict[str, Any]]) -> list[str]:
        return [f"    - {i['reason']}: {i['n']}" for i in items]

    lines = ["# PRISMA 2020 flow diagram", ""]
    if counts.previous_studies or counts.previous_reports:
        lines += [
            "## Previous studies",
            f"- Studies included in previous version of review: {d['previous_studies']}",
            f"- Reports of studies included in previous version of review: {d['previous_reports']}",
            "",
        ]
    lines += ["## Identification of new studies via databases and registers", ""]
    lines.append(f"- Records identified from databases: {d['database_results']}")
    lines += [f"    - {s['name']}: {s['n']}" for s in d["database_specific_results"]]
    lines.append(f"- Records identified from registers: {d['register_results']}")
    lines += [f"    - {s['name']}: {s['n']}" for s in d["register_specific_results"]]
    lines += [
        "- Records removed before screening:",
        f"    - Duplicate records removed: {d['duplicates']}",
        f"    - Records marked as ineligible by automation tools: {d['excluded_automatic']}",
        *["    " + x for x in reasons(det["excluded_automatic"])],
        f"    - Records removed for other reasons: {d['excluded_other']}",
        *["    " + x for x in reasons(det["excluded_other"])],
        f"- Records screened: {d['records_screened']}",
        f"- Records excluded: {d['records_excluded']}",
        f"- Reports sought for retrieval: {d['dbr_sought_reports']}",
        f"- Reports not retrieved: {d['dbr_notretrieved_reports']}",
        f"- Reports assessed for eligibility: {d['dbr_assessed']}",
        f"- Reports excluded: {sum(i['n'] for i in d['dbr_excluded'])}",
        *reasons(d["dbr_excluded"]),
        "",
        "## Identification of new studies via other methods",
        "",
        f"- Records identified from websites: {d['website_results']}",
        f"- Records identified from organisations: {d['organisation_results']}",
        f"- Records identified from citation searching: {d['citations_results']}",
        f"- Reports sought for retrieval: {d['other_sought_reports']}",
        f"- Reports not retrieved: {d['other_notretrieved_reports']}",
        f"- Reports assessed for eligibility: {d['other_assessed']}",
        f"- Reports excluded: {sum(i['n'] for i in d['other_excluded'])}",
        *reasons(d["other_excluded"]),
        "",
        "## Included",
        "",
        f"- New studies included in review: {d['new_studies']}",
        f"- Reports of new included studies: {d['new_reports']}",
    ]
    if counts.previous_studies or counts.previous_reports:
        lines += [
            f"- Total studies included in review: {d['total_studies']}",
            f"- Reports of total included studies: {d['total_reports']}",
        ]
    om = det["other_methods_before_retrieval"]
    notes = []
    if om["identified"] != d["other_sought_reports"]:
        notes.append(
            f"Records from other methods before retrieval: {om['duplicates']} duplicates, "
            f"{om['excluded_automatic']} marked ineligible by automation tools, "
            f"{om['excluded_other']} removed for other reasons, {om['records_screened']} "
            f"screened, {om['records_excluded']} excluded at title/abstract."
        )
    if counts.stopped:
        notes.append(stop_note(counts.stopped, full=True).capitalize() + ".")
    notes += [w.capitalize() + "." for w in counts.warnings()]
    if notes:
        lines += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


FORMATS = ("json", "csv", "md", "svg", "png")


def render(counts: PrismaCounts, fmt: str) -> bytes:
    """The diagram in `fmt` (json, csv, md, svg or png) as bytes to write out."""
    import json

    from review.errors import InvalidInputError
    from review.prisma_svg import to_png, to_svg

    if fmt == "json":
        text = json.dumps(counts.to_json(), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "csv":
        text = to_csv(counts)
    elif fmt == "md":
        text = to_markdown(counts)
    elif fmt == "svg":
        text = to_svg(counts)
    elif fmt == "png":
        return to_png(to_svg(counts))
    else:
        raise InvalidInputError(f"unknown format {fmt!r}", hint="one of: " + ", ".join(FORMATS))
    return text.encode("utf-8")
