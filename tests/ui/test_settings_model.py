"""The transfer model in Settings (F4): the same service call as `exact-tui setup model`, marked where chosen."""
from __future__ import annotations

from textual.widgets import OptionList

from exact_tui.ui.app import ExactApp
from exact_tui.ui.screens.settings import SettingsScreen

from .conftest import wait_for


async def test_settings_choose_how_invoices_are_booked(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), what="settings")
        models = app.screen.query_one("#transfer-model", OptionList)
        assert str(models.get_option_at_index(0).prompt).startswith("● Sales entries")
        models.focus()
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: session.store.settings.get().invoice_drafts, what="drafts saved")
        assert session.store.settings.get().transfer_model == "invoices"
        await wait_for(pilot, lambda: str(models.get_option_at_index(2).prompt).startswith("● "), what="marked")
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: not session.store.settings.get().invoice_drafts, what="processed saved")
        assert session.store.settings.get().transfer_model == "invoices"
