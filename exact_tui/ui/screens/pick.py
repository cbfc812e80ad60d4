"""The console's one picker: choose one value from a list, keyboard only.

Type to filter (when the list is long enough to need it), ↓ to the list, Enter picks, Esc cancels.
Each choice is `(id, label)` or `(id, label, detail)`; the detail (why a candidate was proposed,
what a fix does) is shown dimmed under the label. Used for accounts and contacts on the card, items
in step 7, a row's candidates and the linked-account problems on the Link screen. With `all_label`,
`a` returns `PickScreen.ALL` ("fix all").
"""
from __future__ import annotations

from collections.abc import Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import css
from ..shown import printable, safe

Choice = tuple[str, str] | tuple[str, str, str]


class PickScreen(ModalScreen[str | None]):
    """Returns the chosen option's id, `PickScreen.ALL` (with `all_label`), or None on Escape."""

    ALL = "\x00all"
    CSS_PATH = [css.WIDGETS, css.SCREENS]
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel"),
                Binding("a", "pick_all", "All", id="pick.all")]

    def __init__(self, title: str, choices: Sequence[Choice], *, note: str = "", current: int | str | None = None,
                 filter: bool | None = None, all_label: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = [(c[0], c[1], c[2] if len(c) > 2 else "") for c in choices]
        self.note = note
        self.current = current
        self.with_filter = True if filter is None else filter
        self.all_label = all_label
        self.hint = hint
        self._to_list = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe(self.title_text), id="dialog-title")  # names from Exact or a file: literal
            if self.note:
                yield Static(safe(self.note, multiline=True), classes="dialog-note")
            if self.with_filter:
                yield Input(placeholder="type to filter, ↓ to the list, Enter picks", id="pick-filter")
            yield OptionList(*self._options(""), id="pick-list")
            yield Static(safe(self.hint or self._hint()), classes="dialog-hint")

    def _hint(self) -> str:
        parts = ["↑/↓ choose", "Enter pick"]
        if self.all_label:
            parts.append(f"a {self.all_label.lower()}")
        return " · ".join([*parts, "Esc cancel"])

    def _options(self, wanted: str) -> list[Option]:
        out = []
        for key, label, detail in self.choices:
            if wanted and not any(wanted in part.lower() for part in (label, key, detail)):
                continue
            prompt = safe(label)
            if detail:
                prompt.append("\n  " + printable(detail), style="dim")
            out.append(Option(prompt, id=key))
        return out

    def on_mount(self) -> None:
        options = self.query_one("#pick-list", OptionList)
        if isinstance(self.current, int) and 0 <= self.current < options.option_count:
            options.highlighted = self.current
        elif isinstance(self.current, str):
            index = next((i for i, c in enumerate(self.choices) if c[0] == self.current), None)
            if index is not None:
                options.highlighted = index
        (self.query_one("#pick-filter") if self.with_filter else options).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_all":
            return bool(self.all_label)
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._to_list = False  # the focus has arrived where it was going

    @on(Input.Changed, "#pick-filter")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        options.add_options(self._options(event.value.strip().lower()))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Submitted, "#pick-filter")
    def _submit(self) -> None:
        options = self.query_one("#pick-list", OptionList)
        if options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted or 0).id)

    def on_key(self, event) -> None:
        """↓ from the filter goes to the list, ↑ from the list's top back to the filter.

        Textual moves the focus on the next turn of the loop, so keys that arrive in one burst (over SSH,
        a fast typist) still reach the filter: each further ↓/↑ then moves the highlight itself, and
        Enter in the filter picks the highlighted choice — Down Down Enter picks the second choice."""
        if not self.with_filter or event.key not in ("down", "up"):
            return
        options = self.query_one("#pick-list", OptionList)
        if self.focused is self.query_one("#pick-filter"):
            if self._to_list:  # focus already on its way to the list: this key is the list's
                (options.action_cursor_down if event.key == "down" else options.action_cursor_up)()
            elif event.key == "down":
                self._to_list = True
                options.focus()
            event.stop()
        elif self.focused is options and event.key == "up" and not options.highlighted:
            self._to_list = False
            self.query_one("#pick-filter").focus()
            event.stop()

    @on(OptionList.OptionSelected, "#pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick_all(self) -> None:
        self.dismiss(self.ALL)

    def action_cancel(self) -> None:
        self.dismiss(None)
