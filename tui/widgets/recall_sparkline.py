"""`RecallSparkline`: the recall estimate over time, one bar per point, under the advice line."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Sparkline


class RecallSparkline(Sparkline):
    """Hidden until there are two estimates to compare."""

    DEFAULT_CSS = """
    RecallSparkline {
        height: 1;
        padding: 0 1;
        display: none;
    }
    RecallSparkline.-shown {
        display: block;
    }
    """

    def show_history(self, estimates: Sequence[float]) -> None:
        """Show `estimates` (recall 0..1, oldest first)."""
        values = [min(max(float(v), 0.0), 1.0) for v in estimates]
        # bars run from the lowest to the highest estimate shown (Sparkline's own scaling)
        self.data = values
        self.set_class(len(values) >= 2, "-shown")
        if values:
            self.tooltip = f"recall estimate over time: now ≥ {values[-1]:.0%}"
