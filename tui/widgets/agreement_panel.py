"""AgreementPanel: inter-rater agreement per stage and reviewer pair, and the number of open
conflicts, for the home screen. Attributes down: `show(report, conflicts)`."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from review.agreement import StageAgreement
from tui.safe_text import safe_text


def _num(x: float | None, fmt: str) -> str:
    return "—" if x is None else format(x, fmt)


class AgreementPanel(Static):
    """Cohen's kappa and percent agreement (Fleiss' kappa for more reviewers)."""

    @dataclass
    class Computed(Message):
        """A worker computed the agreement report and counted the open conflicts."""

        report: list[StageAgreement]
        conflicts: int

    def on_agreement_panel_computed(self, message: Computed) -> None:
        self.show(message.report, message.conflicts)

    def show(self, report: list[StageAgreement], conflicts: int) -> None:
        """Display an agreement report (`review.agreement.agreement`)."""
        lines: list[str] = []
        for st in report:
            for p in st.pairs:
                lines.append(
                    f"  {st.stage} · {p.reviewer_a} × {p.reviewer_b}: n={p.n} · "
                    f"{_num(p.percent_agreement, '.1f')}% agree · "
                    f"kappa {_num(p.cohen_kappa, '.2f')} "
                    f"(inc/inc {p.both_include}, inc/exc {p.a_include_b_exclude}, "
                    f"exc/inc {p.a_exclude_b_include}, exc/exc {p.both_exclude})"
                )
            if st.fleiss is not None:
                lines.append(
                    f"  {st.stage} · Fleiss' kappa {_num(st.fleiss.kappa, '.2f')} "
                    f"({st.fleiss.n} records × {st.fleiss.raters_per_record} decisions)"
                )
        self.display = bool(lines) or conflicts > 0
        head = f"agreement · {conflicts} conflict{'' if conflicts == 1 else 's'} to resolve (c)"
        self.update(safe_text("\n".join([head, *lines])))
