"""Command palette (ctrl+p): one provider, fed by the action registry (`actions.py`).

Every action of every screen is found by typing part of its name; the hint shows its key (as
remapped in keymap.toml) and its binding id. On the customer card and the Link customers screen the
palette offers that screen's actions first-hand, plus the console's own.
"""
from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .actions import linking_screen, palette_entries

__all__ = ["ConsoleCommands", "linking_screen", "palette_entries"]


class ConsoleCommands(Provider):
    async def discover(self) -> Hits:
        for name, help_text, callback in palette_entries(self.app):
            if not name.startswith("Theme:"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in palette_entries(self.app):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
