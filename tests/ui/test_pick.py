"""The picker under keys that arrive in one burst, as they do over SSH or from a fast typist.

Textual moves focus on the next turn of the loop, so keys that arrive together reach the widget that
had the focus before: the picker must still act on each of them, or Down Down Enter picks the first
choice instead of the second — on the card that links the wrong Exact account.
"""
from __future__ import annotations

from textual import events
from textual.app import App

from exact_tui.ui.screens.pick import PickScreen


class PickApp(App[None]):
    picked: str | None = "not yet"


async def burst(app: App, *keys: str) -> None:
    for key in keys:
        app.post_message(events.Key(key, None))


async def test_down_down_enter_in_one_burst_picks_the_second_choice():
    app = PickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        def done(value):
            app.picked = value

        await app.push_screen(PickScreen("Which?", [("a", "first"), ("b", "second"), ("c", "third")]), done)
        await pilot.pause()
        await burst(app, "down", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.picked == "b"


async def test_up_from_the_top_of_the_list_returns_to_the_filter():
    app = PickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = PickScreen("Which?", [("a", "first"), ("b", "second")])
        await app.push_screen(screen)
        await pilot.press("down")
        assert screen.focused is screen.query_one("#pick-list")
        await pilot.press("up")
        assert screen.focused is screen.query_one("#pick-filter")
        await pilot.press("s", "e", "c", "enter")
        assert app.screen is not screen


async def test_back_in_the_filter_down_goes_to_the_list_again():
    app = PickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = PickScreen("Which?", [("a", "first"), ("b", "second")])
        await app.push_screen(screen)
        await pilot.press("down", "shift+tab", "down")
        assert screen.focused is screen.query_one("#pick-list")
        assert screen.query_one("#pick-list").highlighted == 0
