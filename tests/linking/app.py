"""A minimal host app for Pilot and snapshot tests of the Link customers screen."""
from __future__ import annotations

from pathlib import Path

from textual.app import App

from exact_tui.services.session import ConsoleSession
from exact_tui.ui.linking import LinkCustomersScreen


class LinkApp(App[None]):
    def __init__(self, session: ConsoleSession, service=None) -> None:
        super().__init__()
        self.session = session
        self.service = service

    def on_mount(self) -> None:
        self.push_screen(LinkCustomersScreen(self.session, service=self.service))

    @property
    def link(self) -> LinkCustomersScreen:
        return self.screen_stack[1]  # type: ignore[return-value]


def make_session(store, folder: Path) -> ConsoleSession:
    return ConsoleSession("test", folder, store)
