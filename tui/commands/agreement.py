"""`litsift agreement`: Cohen's kappa and percent agreement per reviewer pair (Fleiss' kappa
for more than two reviewers), with the 2×2 counts behind them."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from review.agreement import StageAgreement, to_json
from review.agreement import agreement as compute_agreement
from tui.common import StageFilterOption, out_console
from tui.review_command import ReviewCall, review_command


def register(app: typer.Typer) -> None:
    app.command("agreement")(agreement)


def _num(x: float | None, fmt: str) -> str:
    return "—" if x is None else format(x, fmt)


@review_command()
def agreement(call: ReviewCall, stage: StageFilterOption = None) -> None:
    """How far the reviewers agree (maybe counts as include: both send a record on)."""
    report = compute_agreement(call.store, stage=stage)
    call.answer(to_json(report), lambda: _show(report))


def _show(report: list[StageAgreement]) -> None:
    for st in report:
        out_console.print(f"[bold]{st.stage}[/]")
        if not st.pairs:
            out_console.print("  no record decided by two reviewers yet")
            continue
        t = Table(box=None, pad_edge=False)
        for col in ("reviewers", "n", "agree %", "kappa", "inc/inc", "inc/exc", "exc/inc"):
            t.add_column(col, justify="left" if col == "reviewers" else "right", no_wrap=True)
        t.add_column("exc/exc", justify="right", no_wrap=True)
        for p in st.pairs:
            t.add_row(
                escape(f"{p.reviewer_a} × {p.reviewer_b}"),
                str(p.n),
                _num(p.percent_agreement, ".1f"),
                _num(p.cohen_kappa, ".3f"),
                str(p.both_include),
                str(p.a_include_b_exclude),
                str(p.a_exclude_b_include),
                str(p.both_exclude),
            )
        out_console.print(t)
        if st.fleiss is not None:
            f = st.fleiss
            out_console.print(
                f"  Fleiss' kappa ({len(f.reviewers)} reviewers, {f.n} records with "
                f"{f.raters_per_record} decisions each): {_num(f.kappa, '.3f')}"
            )
