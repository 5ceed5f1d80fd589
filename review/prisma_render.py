"""PRISMA counts as the PRISMA2020 Shiny app's CSV template and as Markdown.

The CSV has exactly the rows and columns of the PRISMA2020 R package's `PRISMA.csv`
(`data,node,box,description,boxtext,tooltips,url,n`) with `n` filled, so a lead can upload it
to the app; lists go in `n` as "Name, n; Name, n". The layout is written out here (the CLI
does not need the template file); a test compares it with the template.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from review.prisma import PrismaCounts, stop_note

CSV_COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")
_DBR_EX = (
    "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. "
    "Reason1, xxx; Reason2, xxx; Reason3, xxx"
)
_OTH_EX = (
    "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; "
    "Reason2, xxx; Reason3, xxx"
)
_T_PREV = "Grey title box; Previous studies"
_T_NEW = "Yellow title box; Identification of new studies via databases and registers"
_T_OTH = "Grey title box; Identification of new studies via other methods"
_IN_PREV = "included in previous version of review"


def _row(data: str, node: str, box: str, desc: str, text: str, tip: str, url: str) -> tuple:
    return (data, node, box, desc, text, tip, url)


# (data, node, box, description, boxtext, tooltips, url): the template's rows, in order.
TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    _row("NA", "node4", "prevstud", _T_PREV, "Previous studies43242342", _T_PREV, "prevstud.html"),
    _row(
        "previous_studies", "node5", "box1", f"Studies {_IN_PREV}", f"Studies {_IN_PREV}",
        f"Studies {_IN_PREV}", "previous_studies.html",
    ),
    _row(
        "previous_reports", "NA", "box1", f"Reports of studies {_IN_PREV}",
        f"Reports of studies {_IN_PREV}", "NA", "previous_reports.html",
    ),
    _row("NA", "node6", "newstud", _T_NEW, _T_NEW.split("; ")[1], _T_NEW, "newstud.html"),
    _row(
        "database_results", "node7", "box2", "Records identified from: Databases", "Databases",
        "Records identified from: Databases", "database_results.html",
    ),
    _row(
        "register_results", "NA", "box2", "Records identified from: Registers", "Registers",
        "NA", "NA",
    ),
    _row("NA", "node16", "othstud", _T_OTH, _T_OTH.split("; ")[1], _T_OTH, "othstud.html"),
    _row(
        "website_results", "node17", "box11", "Records identified from: Websites", "Websites",
        "Records identified from: Websites", "website_results.html",
    ),
    _row(
        "organisation_results", "", "box11", "Records identified from: Organisations",
        "Organisations", "NA", "NA",
    ),
    _row(
        "citations_results", "NA", "box11", "Records identified from: Citation searching",
        "Citation searching", "NA", "NA",
    ),
    _row(
        "duplicates", "node8", "box3", "Duplicate records", "Duplicate records",
        "Duplicate records", "duplicates.html",
    ),
    _row(
        "excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
        "Records marked as ineligible by automation tools", "NA", "NA",
    ),
    _row(
        "excluded_other", "NA", "box3", "Records removed for other reasons",
        "Records removed for other reasons", "NA", "NA",
    ),
    _row(
        "records_screened", "node9", "box4", "Records screened (databases and registers)",
        "Records screened", "Records screened (databases and registers)",
        "records_screened.html",
    ),
    _row(
        "records_excluded", "node10", "box5", "Records excluded (databases and registers)",
        "Records excluded", "Records excluded (databases and registers)",
        "records_excluded.html",
    ),
    _row(
        "dbr_sought_reports", "node11", "box6",
        "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval",
        "Reports sought for retrieval (databases and registers)", "dbr_sought_reports.html",
    ),
    _row(
        "dbr_notretrieved_reports", "node12", "box7",
        "Reports not retrieved (databases and registers)", "Reports not retrieved",
        "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html",
    ),
    _row(
        "other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
        "Reports sought for retrieval", "Reports sought for retrieval (other)",
        "other_sought_reports.html",
    ),
    _row(
        "other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)",
        "Reports not retrieved", "Reports not retrieved (other)",
        "other_notretrieved_reports.html",
    ),
    _row(
        "dbr_assessed", "node13", "box8",
        "Reports assessed for eligibility (databases and registers)",
        "Reports assessed for eligibility",
        "Reports assessed for eligibility (databases and registers)", "dbr_assessed.html",
    ),
    _row(
        "dbr_excluded", "node14", "box9", _DBR_EX + "]", "Reports excluded", _DBR_EX,
        "dbrexcludedrecords.html",
    ),
    _row(
        "other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
        "Reports assessed for eligibility", "Reports assessed for eligibility (other)",
        "other_assessed.html",
    ),
    _row(
        "other_excluded", "node21", "box15", _OTH_EX + "]", "Reports excluded", _OTH_EX,
        "other_excluded.html",
    ),
    _row(
        "new_studies", "node15", "box10", "New studies included in review",
        "New studies included in review", "New studies included in review",
        "new_studies.html",
    ),
    _row(
        "new_reports", "NA", "box10", "Reports of new included studies",
        "Reports of new included studies", "NA", "NA",
    ),
    _row(
        "total_studies", "node22", "box16", "Total studies included in review",
        "Total studies included in review", "Total studies included in review",
        "total_studies.html",
    ),
    _row(
        "total_reports", "NA", "box16", "Reports of total included studies",
        "Reports of total included studies", "NA", "NA",
    ),
    _row(
        "identification", "node1", "identification", "Blue identification box",
        "Identification4231412341", "Blue identification box", "identification.html",
    ),
    _row(
        "screening", "node2", "screening", "Blue screening box", "Screening",
        "Blue screening box", "screening.html",
    ),
    _row(
        "included", "node3", "included", "Blue included box", "Included", "Blue included box",
        "included.html",
    ),
)  # fmt: skip


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
    for row in TEMPLATE_ROWS:
        value = data.get(row[0])
        if isinstance(value, list):
            n = list_cell(value, "reason")
        elif isinstance(value, int):
            n = str(value)
        else:
            n = "0"
        w.writerow((*row, n))
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
