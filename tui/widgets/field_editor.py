"""FieldEditor: one scalar field of an extraction form, with the widget its type asks for
(Input for text, numbers, dates and countries; TextArea for long text; Select for a choice;
SelectionList for a multiple choice; Checkbox for yes/no), its label and help, and an inline
message line. When focus leaves the field it checks the value (`extraction.forms.coerce`,
no database) and posts `Left` with the typed value or shows the reason it is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from extraction.forms import FieldDef, coerce, format_value
from tui.safe_text import safe_text, visible

UNKNOWN = object()  # the stored value after a failed write: any value differs from it
PLACEHOLDERS = {
    "integer": "a whole number",
    "number": "a number",
    "date": "YYYY-MM-DD",
    "country": "a country name or ISO code (KE, KEN)",
}


def field_label(f: FieldDef) -> Text:
    """`Label (unit) *` for a field (the star marks a required one)."""
    label = safe_text(f.label, "bold", single_line=True)
    if f.unit:
        label.append(f" ({visible(f.unit, single_line=True)})")
    if f.required:
        label.append(" *", "bold red")
    return label


class FieldEditor(Vertical):
    """Edits one field; attributes down (`load`, `show_error`), messages up (`Left`, `Changed`)."""

    @dataclass
    class Left(Message):
        """Focus left the field with a valid value that differs from the stored one."""

        editor: FieldEditor
        value: Any

    @dataclass
    class Changed(Message):
        """The value in the widget changed (conditions may show or hide fields)."""

        editor: FieldEditor

    def __init__(self, field: FieldDef) -> None:
        super().__init__(classes="field-editor", id=f"field-{field.name}")
        self.field = field
        self.stored: Any = None
        self.touched = False  # a checkbox was toggled (it cannot show "not answered")
        self._loading = False

    def compose(self) -> ComposeResult:
        f = self.field
        yield Static(field_label(f), classes="field-label")
        yield self._make_input()
        help_ = safe_text(f.help, single_line=True) if f.help else ""
        msg = Static(help_, classes="field-message")
        msg.display = bool(f.help)
        yield msg

    def _make_input(self) -> Widget:
        f = self.field
        wid = f"input-{f.name}"
        if f.type == "long_text":
            return TextArea(id=wid, soft_wrap=True, tab_behavior="focus", compact=True)
        if f.type == "choice":
            opts = [(safe_text(c.label, single_line=True), c.value) for c in f.choices]
            return Select(opts, id=wid, prompt="(not answered)", compact=True)
        if f.type == "multi_choice":
            return SelectionList[str](
                *((safe_text(c.label, single_line=True), c.value) for c in f.choices),
                id=wid,
                compact=True,
            )
        if f.type == "boolean":
            return Checkbox("yes", id=wid, compact=True)
        return Input(id=wid, placeholder=PLACEHOLDERS.get(f.type, ""), compact=True)

    @property
    def input(self) -> Widget:
        """The widget that holds the value."""
        return self.query_one(f"#input-{self.field.name}")

    def raw(self) -> Any:
        """What the widget holds now, before checking."""
        w = self.input
        if isinstance(w, TextArea):
            return w.text
        if isinstance(w, Select):
            return None if w.is_blank() else w.value
        if isinstance(w, SelectionList):
            return list(w.selected)
        if isinstance(w, Checkbox):
            return w.value if (self.touched or self.stored not in (None, UNKNOWN)) else None
        assert isinstance(w, Input)
        return w.value

    def current(self) -> Any:
        """The typed value the widget holds (the stored one when it holds a bad value)."""
        try:
            return coerce(self.field, self.raw())
        except ValueError:
            return None if self.stored is UNKNOWN else self.stored

    def load(self, value: Any) -> None:
        """Show a stored value."""
        self.stored = value
        self.touched = False
        self._loading = True
        w = self.input
        if isinstance(w, TextArea):
            w.load_text(value or "")
        elif isinstance(w, Select):
            if value is None:
                w.clear()
            else:
                w.value = value
        elif isinstance(w, SelectionList):
            w.deselect_all()
            for v in value or []:
                w.select(v)
        elif isinstance(w, Checkbox):
            w.value = bool(value)
        else:
            assert isinstance(w, Input)
            w.value = visible(format_value(value), single_line=True)
        self.call_after_refresh(self._loaded)
        self.clear_error()

    def _loaded(self) -> None:
        self._loading = False

    def show_error(self, reason: str) -> None:
        """Show why the value is refused, under the field."""
        self.add_class("-invalid")
        msg = self.query_one(".field-message", Static)
        msg.update(Text.assemble(("✗ ", "bold red"), safe_text(reason, single_line=True)))
        msg.display = True

    def clear_error(self) -> None:
        self.remove_class("-invalid")
        f = self.field
        msg = self.query_one(".field-message", Static)
        msg.update(safe_text(f.help, single_line=True) if f.help else "")
        msg.display = bool(f.help)

    def check(self) -> tuple[bool, Any]:
        """Check the widget's value: (True, typed value) or (False, None) with the reason shown."""
        try:
            value = coerce(self.field, self.raw())
        except ValueError as e:
            self.show_error(str(e))
            return False, None
        self.clear_error()
        return True, value

    def leave(self) -> tuple[bool, Any]:
        """The reviewer is done with this field: check it; (True, value) when it is valid and
        differs from the stored value (which it then becomes: the caller writes it)."""
        ok, value = self.check()
        if ok and value != self.stored:
            self.stored = value
            return True, value
        return False, None

    def write_failed(self) -> None:
        """The value was not written: leaving the field again tries again."""
        self.stored = UNKNOWN

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.call_after_refresh(self._maybe_left)

    def _maybe_left(self) -> None:
        if self.is_attached and not self.has_focus_within:
            changed, value = self.leave()
            if changed:
                self.post_message(self.Left(self, value))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if not self._loading:
            self.touched = True
            self.post_message(self.Changed(self))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if not self._loading:
            self.post_message(self.Changed(self))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # conditions follow what is typed, so a field they show is next on Tab
        if not self._loading:
            self.post_message(self.Changed(self))

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        if not self._loading:
            self.post_message(self.Changed(self))
