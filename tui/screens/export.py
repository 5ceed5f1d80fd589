"""Export: write records (by stage and decision), the decision log, the PRISMA 2020 counts or
the extracted data to a file without leaving the app. The list says what, the file name (a
default in the review's folder, editable) says where and, by its extension, in which format;
the worker runs the CLI's own use-case (`tui.export_choices.run_export`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from review.db import Store
from review.export_files import Exported
from tui.export_choices import CHOICES, ExportChoice, default_path, run_export
from tui.keys import screen_bindings
from tui.safe_text import safe_text
from tui.screens.base import LitsiftScreen
from tui.screens.confirm_prompt import ConfirmPrompt
from tui.worker_errors import WorkerFailed, reports_failure


class ExportScreen(LitsiftScreen):
    """Choose what (Enter moves on to the file name), edit the file name, Enter exports."""

    CSS_PATH = "export.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("export")

    @dataclass
    class Working(Message):
        """A worker started writing (shown until its result replaces it)."""

        text: str

    @dataclass
    class Done(Message):
        """A worker wrote the export."""

        exported: Exported

    def __init__(self, store: Store, reviewer: str = "") -> None:
        super().__init__(store, reviewer, "export")
        self.choice = CHOICES[0]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label("What to export")
            yield OptionList(*(Option(c.label, id=c.id) for c in CHOICES), id="what", compact=True)
            yield Checkbox(
                "Leave out records merged as duplicates", True, id="canonical", compact=True
            )
            yield Label("File (its extension chooses the format)")
            yield Input(
                str(default_path(self.store, self.choice)),
                id="path",
                compact=True,
                select_on_focus=False,
            )
            yield Static(id="formats")
            yield Static(id="result")

    def on_mount(self) -> None:
        what = self.query_one("#what", OptionList)
        what.highlighted = 0
        what.focus()
        self._show_choice()

    def _show_choice(self) -> None:
        self.query_one("#formats", Static).update(
            Text("formats: " + self.choice.formats_line() + " · Enter or Ctrl+S exports")
        )
        self.query_one("#canonical", Checkbox).display = self.choice.kind == "records"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.choice = next(c for c in CHOICES if c.id == event.option.id)
        path = self.query_one("#path", Input)
        default = default_path(self.store, self.choice)
        typed = path.value.strip()  # a folder typed before stays: the name follows the choice
        path.value = str(Path(typed).expanduser().parent / default.name if typed else default)
        path.cursor_position = len(path.value)  # at the extension, to change the format
        self._show_choice()

    def on_option_list_option_selected(self, _event: OptionList.OptionSelected) -> None:
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_export()

    def action_export(self) -> None:
        """Export the chosen thing to the file named; an existing file only after asking."""
        if self.busy:
            return
        name = self.query_one("#path", Input).value.strip()
        if not name:
            self._say(Text("error: name the file to write", "red"))
            return
        target = Path(name).expanduser()
        if not (target.exists() or target.is_symlink()):
            self._export(self.choice, target, force=False)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self._export(self.choice, target, force=True)
            else:
                self._say(safe_text(f"not written: {target} already exists", single_line=True))

        self.app.push_screen(ConfirmPrompt(f"{target} already exists. Replace it?"), answered)

    def _export(self, choice: ExportChoice, target: Path, *, force: bool) -> None:
        self.busy = True
        canonical = self.query_one("#canonical", Checkbox).value
        self._write(choice, target, canonical, force)

    @work(thread=True, exclusive=True, group="export")
    @reports_failure
    def _write(self, choice: ExportChoice, target: Path, canonical: bool, force: bool) -> None:
        self.post_message(self.Working(f"writing {choice.label.lower()} to {target}…"))
        done = run_export(self.store, choice, target, canonical_only=canonical, force=force)
        self.post_message(self.Done(done))

    def on_export_screen_working(self, message: Working) -> None:
        self._say(safe_text(message.text))

    def on_export_screen_done(self, message: Done) -> None:
        self.busy = False
        self._say(Text.assemble(("✓ ", "green"), safe_text(message.exported.summary())))

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """Shown in place, as the CLI shows it (message, then its hint); not as a toast too."""
        super().on_worker_failed(message)
        message.stop()
        first, _, hint = message.error.partition("\nhint: ")
        said = Text.assemble(("error: ", "bold red"), safe_text(first))
        if hint:
            said.append_text(Text.assemble("\n", ("hint: ", "dim"), safe_text(hint)))
        self._say(said)

    def _say(self, text: Text) -> None:
        self.query_one("#result", Static).update(text)
