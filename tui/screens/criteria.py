"""CriteriaScreen: the review question and eligibility criteria, one key from screening."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown


def criteria_markdown(protocol: dict[str, Any]) -> str:
    """The protocol's question and criteria as Markdown (what the reviewer screens against)."""
    parts = []
    if protocol.get("question"):
        parts += ["## Question", protocol["question"]]
    elig = protocol.get("eligibility") or {}
    for key, heading in (("include", "Include when"), ("exclude", "Exclude when")):
        if elig.get(key):
            parts += [f"## {heading}", "\n".join(f"- {c}" for c in elig[key])]
    reasons = protocol.get("exclusion_reasons")
    if reasons:
        parts += ["## Full-text exclusion reasons", "\n".join(f"- {r}" for r in reasons)]
    if not parts:
        parts = [
            "## No eligibility criteria yet",
            "Add `question` and `eligibility` (`include`, `exclude`) to the review's "
            '"protocol" setting; the demo review shows the shape.',
        ]
    return "\n\n".join(parts)


class CriteriaScreen(ModalScreen[None]):
    """Read the criteria; any of Escape, q or c closes."""

    DEFAULT_CSS = """
    CriteriaScreen {
        align: center middle;
    }
    CriteriaScreen > VerticalScroll {
        width: 90%;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    CriteriaScreen #keys {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,c", "close", "Close")]

    def __init__(self, protocol: dict[str, Any]) -> None:
        super().__init__()
        self.protocol = protocol

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(criteria_markdown(self.protocol))
            yield Label("Esc (or q) to close", id="keys", classes="prompt-keys")

    def action_close(self) -> None:
        self.dismiss(None)
