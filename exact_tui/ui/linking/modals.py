"""Small modal screens of the Link customers screen: confirm a bulk action, pick a candidate, ask a value."""
from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option


MODAL_CSS = """
ConfirmAction, CandidatePicker, AskValue { align: center middle; }
ConfirmAction #dialog, CandidatePicker #dialog, AskValue #dialog {
    width: 90; max-width: 95%; height: auto; max-height: 90%; border: thick $warning; background: $surface;
    padding: 0 1;
}
CandidatePicker #dialog, AskValue #dialog { border: thick $accent; }
ConfirmAction #dialog-title, CandidatePicker #dialog-title, AskValue #dialog-title { text-style: bold; margin-bottom: 1; }
ConfirmAction #dialog-buttons { height: auto; margin-top: 1; }
ConfirmAction #dialog-buttons Button { margin-right: 2; }
CandidatePicker #picker { height: auto; max-height: 16; }
CandidatePicker .dialog-hint, AskValue .dialog-hint { color: $text-muted; margin-top: 1; }
"""


class ConfirmAction(ModalScreen[bool]):
    """'Link and use local data: 1,204 Exact accounts change, 1,204 API calls …' — No is focused,
    so a stray Enter never starts thousands of calls."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS = [Binding("escape", "answer(False)", "Cancel"), Binding("y", "answer(True)", "Yes"),
                Binding("n", "answer(False)", "No")]

    def __init__(self, title: str, body: str, *, yes: str = "Yes, go") -> None:
        super().__init__()
        self.title_text, self.body, self.yes = title, body, yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            yield Static(self.body, id="dialog-body")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class CandidatePicker(ModalScreen[int | None]):
    """The candidates of one Exact account, best first, with score and the matcher's reasons."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], current: int) -> None:
        super().__init__()
        self.title_text, self.options, self.current = title, options, current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            yield OptionList(*[Option(f"{label}\n  [dim]{why}[/]", id=str(i))
                               for i, (label, why) in enumerate(self.options)], id="picker")
            yield Static("↑/↓ choose · Enter take · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.highlighted = self.current
        picker.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class AskValue(ModalScreen[str | None]):
    """One line of input (a score threshold, a file path), with a hint and a validator."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, hint: str, value: str = "", *, check: Any = None) -> None:
        super().__init__()
        self.title_text, self.hint, self.value, self.check = title, hint, value, check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            yield Input(self.value, id="ask")
            yield Static(self.hint, id="ask-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value) if self.check else None
        if problem:
            self.query_one("#ask-hint", Static).update(f"[b $error]{problem}[/]")
            return
        self.dismiss(event.value)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


KEYS_HELP = """\
[b]Tabs[/]        1 One match · 2 More matches · 3 No match · 4 Ignored (counts are live)
[b]Move[/]        ↑/↓ · PgUp/PgDn · Home/End · j next row with a problem · click a header to sort
[b]Select[/]      space toggle · shift+↑/↓ extend · a all shown · n none · i invert · > score ≥ X
[b]Filter[/]      / then type: words (name, code, city, local customer), >=80, <50, 60..80,
            name: code: city: postcode: local:  — Enter/Esc back to the list
[b]Sort[/]        s next column · S reverse
[b]Candidate[/]   ←/→ other candidate · Enter or p picker (More matches)
[b]Actions[/]     e link, use data from Exact (empty Exact fields never overwrite)
            l link, use local data (updates Exact; asks first; code never sent)
            m import as new local customer · x ignore (in Ignored: un-ignore)
            N not this pair: the proposed local customer is never proposed again
            u / ctrl+z undo the last local-only action · Esc cancels a running action
[b]Files[/]       E export this tab to CSV · I import decisions from a reviewed CSV
[b]Other[/]       r pull changes from Exact and match again (decisions kept) · d detail panel
            P linked accounts deleted in Exact or with a changed code, and their fix
            ctrl+p command palette · Esc back"""


class KeysHelp(ModalScreen[None]):
    """Every key of the Link customers screen on one page."""

    DEFAULT_CSS = MODAL_CSS + "KeysHelp { align: center middle; } KeysHelp #dialog { width: 96; max-width: 98%; " \
        "height: auto; border: thick $accent; background: $surface; padding: 0 1; }"
    BINDINGS = [Binding("escape,question_mark,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Link customers: keys", id="dialog-title")
            yield Static(KEYS_HELP)

    def action_close(self) -> None:
        self.dismiss(None)
