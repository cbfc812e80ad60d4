"""Settings: the theme (built-in Textual themes + the files in `themes/`), log pane, keymap location, and
how invoices are booked in Exact (the transfer model, saved through `services/journal.choose_model`,
the same call as `exact-tui setup model`)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, OptionList, Static
from textual.widgets.option_list import Option

from .. import css
from ..shown import safe
from ..widgets.toggles import ShapedCheckbox


MODELS: tuple[tuple[str, str], ...] = (
    ("entries", "Sales entries: booked at once, no invoicing module needed"),
    ("invoices", "Sales invoices, processed: Exact numbers them"),
    ("drafts", "Sales invoices left as drafts in Exact"),
)


def _model_key(settings: object) -> str:
    if getattr(settings, "transfer_model", "entries") != "invoices":
        return "entries"
    return "drafts" if getattr(settings, "invoice_drafts", False) else "invoices"


class SettingsScreen(ModalScreen[None]):
    CSS_PATH = [css.WIDGETS, css.SCREENS]
    BINDINGS = [Binding("escape", "close", "Close", id="settings.close")]

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical() as box:
            box.border_title = "Settings (Esc closes)"
            yield Static("Theme — ↑/↓ previews, Enter keeps it (remembered for next time). "
                         "'ansi-dark' / 'ansi-light' use the terminal's own 16 colours.")
            names = sorted(app.available_themes)
            options = OptionList(*[Option(safe(name), id=name) for name in names], id="themes")  # user theme files name them
            yield options
            yield ShapedCheckbox("Show the integration log pane (F2)", app.prefs.log_visible, id="log-visible")
            yield Static("Invoices are booked in Exact as (Enter saves):")
            yield OptionList(id="transfer-model")
            yield Static(safe(f"Keymap file: {app.keymap_path}\nThemes folder: {app.user_themes_dir}", multiline=True),
                         classes="status")

    def on_mount(self) -> None:
        options = self.query_one("#themes", OptionList)
        names = sorted(self.app.available_themes)
        if self.app.theme in names:
            options.highlighted = names.index(self.app.theme)
        options.focus()
        self._original = self.app.theme
        self._show_models()

    def _show_models(self) -> None:
        """The three models, the one in force marked ● (as steps 2 and 3 mark their choice)."""
        models = self.query_one("#transfer-model", OptionList)
        current = _model_key(self.app.session.settings())
        models.clear_options()
        models.add_options([Option(("● " if key == current else "  ") + label, id=key) for key, label in MODELS])
        models.highlighted = [key for key, _ in MODELS].index(current)

    @on(OptionList.OptionSelected, "#transfer-model")
    def _model(self, event: OptionList.OptionSelected) -> None:
        from ...services.journal import choose_model
        from ..calls import run_service

        key = event.option.id or "entries"
        run_service(self, choose_model, self.app.session, "entries" if key == "entries" else "invoices",
                    drafts=key == "drafts", topic="settings", group="model",
                    done=lambda _: self._show_models())

    @on(OptionList.OptionHighlighted, "#themes")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        self.app.theme = event.option.id

    @on(OptionList.OptionSelected, "#themes")
    def _keep(self, event: OptionList.OptionSelected) -> None:
        self.app.set_theme(event.option.id)
        self._original = event.option.id

    @on(Checkbox.Changed, "#log-visible")
    def _log(self, event: Checkbox.Changed) -> None:
        if event.value != self.app.prefs.log_visible:
            self.app.action_toggle_log()

    def action_close(self) -> None:
        self.app.theme = self._original
        self.dismiss(None)
