"""Command palette (Ctrl+P): every action of every screen, found by typing part of its name.

Built from the same `BINDINGS` the footer and the help screen show, so an action added to a step
appears in the palette without extra code.
"""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:  # pragma: no cover
    from .app import ExactApp


def palette_entries(app: "ExactApp") -> list[tuple[str, str, object]]:
    """(name, help, callback) for every command the console offers right now."""
    from .steps import STEPS

    entries: list[tuple[str, str, object]] = []
    for step in STEPS:
        entries.append((f"Go to step {step.NUMBER}: {step.TITLE}", step.INTRO, partial(app.goto, step.KEY)))
    for binding in app.BINDINGS:
        entries.append((binding.description, f"key {app.key_for(binding)}", partial(app.run_action, binding.action)))
    for step in STEPS:
        for binding in step.BINDINGS:
            entries.append((f"{step.TITLE}: {binding.description}", f"step {step.NUMBER} · key {app.key_for(binding)}",
                            partial(app.run_step_action, step.KEY, binding.action)))
    from .screens.customers import CustomerCardScreen

    for binding in CustomerCardScreen.BINDINGS:
        if binding.description and binding.action != "back":
            entries.append((f"Customer card: {binding.description}", f"key {app.key_for(binding)}",
                            partial(app.run_card_action, binding.action)))
    linking = linking_screen()
    if linking is not None:
        for binding in linking.BINDINGS:
            if binding.description and binding.action != "escape":
                entries.append((f"Link customers: {binding.description}", f"key {app.key_for(binding)}",
                                partial(app.run_linking_action, binding.action)))
    for name in sorted(app.available_themes):
        entries.append((f"Theme: {name}", "switch and remember", partial(app.set_theme, name)))
    return entries


def linking_screen():
    """The Link customers screen class (its own package), or None when it is not installed."""
    try:
        from .linking import LinkCustomersScreen
    except ImportError:
        return None
    return LinkCustomersScreen


class ConsoleCommands(Provider):
    async def discover(self) -> Hits:
        for name, help_text, callback in palette_entries(self.app):  # type: ignore[arg-type]
            if not name.startswith("Theme:"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in palette_entries(self.app):  # type: ignore[arg-type]
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
