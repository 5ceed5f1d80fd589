"""The PRISMA 2020 flow diagram as SVG (and PNG through CairoSVG), laid out like the official
template for new reviews with databases, registers and other methods: phase bars on the left,
the databases-and-registers column with its side boxes of removed records, the other-methods
column on the right, both leading to the included box.

Each box is a `<g id="box-NAME">` named by the PRISMA2020 data name of its first number, so
tests (and anyone restyling the diagram) can find what is where.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from review.errors import LitsiftError
from review.prisma import PrismaCounts, stop_note

LINE = 16  # px between text lines
PAD = 10
GAP = 34  # px between rows
WRAP = 36  # characters per line in a box (about 7 px each at this font size)
COLS = {"main": (60, 285), "side": (375, 295), "omain": (720, 285), "oside": (1035, 285)}
WIDTH = 1340
INDENT_PX = 4  # per leading space of a line


class RenderError(LitsiftError):
    """The diagram could not be drawn as PNG."""


@dataclass
class Box:
    """A box of the diagram: its id, column, lines of text (first one bold) and fill."""

    id: str
    col: str
    lines: list[str]
    fill: str = "#ffffff"
    y: int = 0
    min_h: int = 0

    @property
    def x(self) -> int:
        return COLS[self.col][0]

    @property
    def w(self) -> int:
        return COLS[self.col][1]

    @property
    def h(self) -> int:
        return max(self.min_h, len(self.lines) * LINE + 2 * PAD)

    def svg(self) -> str:
        out = [
            f'<g id="box-{self.id}">',
            f'<rect x="{self.x}" y="{self.y}" width="{self.w}" height="{self.h}" '
            f'fill="{self.fill}" stroke="#000000" stroke-width="1"/>',
        ]
        top = self.y + (self.h - len(self.lines) * LINE) // 2
        for i, line in enumerate(self.lines):
            heading = line.endswith(":") or self.id == "new_studies"
            weight = ' font-weight="bold"' if i == 0 and heading else ""
            x = self.x + PAD + INDENT_PX * (len(line) - len(line.lstrip(" ")))
            out.append(
                f'<text x="{x}" y="{top + (i + 1) * LINE - 4}"{weight}>'
                f"{escape(line.strip())}</text>"
            )
        out.append("</g>")
        return "\n".join(out)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WRAP, subsequent_indent=indent + "  ", initial_indent=indent) or [""]


def _wrap_n(label: str, n: int, indent: str = "") -> list[str]:
    """`label (n = N)` wrapped, never splitting the count."""
    lines = _wrap(label, indent)
    count = f"(n = {n})"
    if len(lines[-1]) + 1 + len(count) <= WRAP:
        lines[-1] += " " + count
    else:
        lines.append(indent + "  " + count)
    return lines


def _items(items: list[dict[str, Any]], key: str, indent: str = "  ") -> list[str]:
    out: list[str] = []
    for i in items:
        out += _wrap_n(str(i[key]), i["n"], indent)
    return out


def _counted(d: dict[str, Any], name: str, col: str, label: str) -> Box:
    """The box `name` showing `label (n = N)` with N the count of that name."""
    return Box(name, col, _wrap_n(label, d[name]))


def _excluded(d: dict[str, Any], name: str, col: str) -> Box:
    """The box `name` of reports excluded, their total and a line per reason."""
    total = sum(i["n"] for i in d[name])
    return Box(name, col, [f"Reports excluded (n = {total}):", *_items(d[name], "reason")])


def _boxes(c: PrismaCounts) -> list[list[Box]]:
    """The rows of boxes, top to bottom."""
    d = c.to_json()
    det = d["details"]
    ident = ["Records identified from:", f"Databases (n = {d['database_results']})"]
    ident += _items(d["database_specific_results"], "name")
    ident.append(f"Registers (n = {d['register_results']})")
    ident += _items(d["register_specific_results"], "name")
    removed = ["Records removed before screening:"]
    removed += _wrap_n("Duplicate records removed", d["duplicates"], "  ")
    removed += _wrap_n(
        "Records marked as ineligible by automation tools", d["excluded_automatic"], "  "
    )
    removed += _items(det["excluded_automatic"], "reason", "      ")
    removed += _wrap_n("Records removed for other reasons", d["excluded_other"], "  ")
    removed += _items(det["excluded_other"], "reason", "      ")
    other_ident = [
        "Records identified from:",
        f"Websites (n = {d['website_results']})",
        f"Organisations (n = {d['organisation_results']})",
        f"Citation searching (n = {d['citations_results']})",
    ]
    included = [
        f"Studies included in review (n = {d['new_studies']})",
        f"Reports of included studies (n = {d['new_reports']})",
    ]
    if c.previous_studies or c.previous_reports:
        included = [
            f"Total studies included in review (n = {d['total_studies']})",
            f"Reports of total included studies (n = {d['total_reports']})",
            f"  of which new studies (n = {d['new_studies']})",
            f"  and new reports (n = {d['new_reports']})",
        ]
    retrieval: list[Box] = []  # databases and registers, then other methods
    assessment: list[Box] = []
    for path, main, side in (("dbr", "main", "side"), ("other", "omain", "oside")):
        retrieval += [
            _counted(d, f"{path}_sought_reports", main, "Reports sought for retrieval"),
            _counted(d, f"{path}_notretrieved_reports", side, "Reports not retrieved"),
        ]
        assessment += [
            _counted(d, f"{path}_assessed", main, "Reports assessed for eligibility"),
            _excluded(d, f"{path}_excluded", side),
        ]
    return [
        [
            Box("database_results", "main", ident),
            Box("duplicates", "side", removed),
            Box("website_results", "omain", other_ident),
        ],
        [
            Box("records_screened", "main", [f"Records screened (n = {d['records_screened']})"]),
            Box("records_excluded", "side", [f"Records excluded (n = {d['records_excluded']})"]),
        ],
        retrieval,
        assessment,
        [Box("new_studies", "main", included, min_h=90)],
    ]


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#000000" '
        'stroke-width="1.2" marker-end="url(#arrow)"/>'
    )


def _bar(x: int, y: int, w: int, h: int, text: str, fill: str, vertical: bool) -> str:
    cx, cy = x + w / 2, y + h / 2
    rot = f' transform="rotate(-90 {cx} {cy})"' if vertical else ""
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" '
        f'stroke="#000000" stroke-width="0.6"/>\n'
        f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-weight="bold"{rot}>'
        f"{escape(text)}</text>"
    )


def to_svg(counts: PrismaCounts) -> str:
    """The diagram as an SVG document."""
    rows = _boxes(counts)
    y = 70
    for row in rows:
        h = max(b.h for b in row)
        for b in row:
            b.y = y + (h - b.h) // 2 if b.col in ("side", "oside") else y
        y += h + GAP
    height = y + 60
    by = {b.id: b for row in rows for b in row}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Arial, Helvetica, sans-serif" '
        'font-size="12.5">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/>'
        "</marker></defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _bar(60, 20, 610, 36, "Identification of new studies via databases and registers",
             "#ffc000", False),
        _bar(720, 20, 600, 36, "Identification of new studies via other methods", "#d9d9d9",
             False),
    ]  # fmt: skip
    first, last = rows[0][0], rows[-1][0]
    bar_h = [(first.y, first.y + max(b.h for b in rows[0]), "Identification")]
    bar_h.append((rows[1][0].y, rows[3][0].y + max(b.h for b in rows[3]), "Screening"))
    bar_h.append((last.y, last.y + last.h, "Included"))
    for top, bottom, text in bar_h:
        parts.append(_bar(14, top, 30, bottom - top, text, "#9dc3e6", True))
    for row in rows:
        parts += [b.svg() for b in row]
    for a_id, b_id in (
        ("database_results", "records_screened"),
        ("records_screened", "dbr_sought_reports"),
        ("dbr_sought_reports", "dbr_assessed"),
        ("dbr_assessed", "new_studies"),
        ("website_results", "other_sought_reports"),
        ("other_sought_reports", "other_assessed"),
    ):
        s, t = by[a_id], by[b_id]
        parts.append(_arrow(s.x + s.w / 2, s.y + s.h, t.x + t.w / 2, t.y))
    for a_id, b_id in (
        ("database_results", "duplicates"),
        ("records_screened", "records_excluded"),
        ("dbr_sought_reports", "dbr_notretrieved_reports"),
        ("dbr_assessed", "dbr_excluded"),
        ("other_sought_reports", "other_notretrieved_reports"),
        ("other_assessed", "other_excluded"),
    ):
        s, t = by[a_id], by[b_id]
        yy = s.y + min(s.h, t.y + t.h - s.y) / 2 if t.y >= s.y else s.y + s.h / 2
        yy = max(yy, t.y + 8)
        parts.append(_arrow(s.x + s.w, yy, t.x, yy))
    s, t = by["other_assessed"], by["new_studies"]
    mid = t.y - GAP / 2
    parts.append(
        f'<polyline points="{s.x + s.w / 2},{s.y + s.h} {s.x + s.w / 2},{mid} '
        f'{t.x + t.w - 30},{mid}" fill="none" stroke="#000000" stroke-width="1.2"/>'
    )
    parts.append(_arrow(t.x + t.w - 30, mid, t.x + t.w - 30, t.y))
    notes = []
    if counts.stopped:
        notes.append(stop_note(counts.stopped, full=True))
    notes += counts.warnings()
    for i, n in enumerate(notes):
        parts.append(f'<text x="60" y="{y + 4 + i * LINE}" fill="#7f0000">{escape(n)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def to_png(svg: str, *, scale: float = 1.5) -> bytes:
    """Render the SVG to PNG with CairoSVG (needs the cairo library: Debian's libcairo2)."""
    try:
        import cairosvg  # type: ignore[import-untyped]
    except (ImportError, OSError) as e:
        raise RenderError(
            f"cannot render PNG: {e}",
            hint="install CairoSVG and the cairo library (apt-get install libcairo2), or use "
            "--format svg",
        ) from e
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
    assert isinstance(png, bytes)
    return png
