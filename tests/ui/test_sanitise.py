"""#15 item 2: text from files and from Exact is shown, never obeyed, in the console's log pane and tables."""
from __future__ import annotations

from textual.app import App, ComposeResult

from exact_tui.services.events import Event, Level, Side
from exact_tui.ui.linking.table import set_cell_size
from exact_tui.ui.widgets.log_pane import LogPane

HOSTILE = "L1\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e"


class _LogApp(App):
    def compose(self) -> ComposeResult:
        yield LogPane(fixed_time="12:00:00")


async def test_log_pane_shows_control_characters_escaped():
    app = _LogApp()
    async with app.run_test(size=(120, 10)) as pilot:
        pane = app.query_one(LogPane)
        pane.add(Event("name is " + HOSTILE, side=Side.LOCAL, level=Level.ERROR, record=f"customers {HOSTILE}",
                       detail="Exact said: " + HOSTILE))
        await pilot.pause()
        text = "".join(segment.text for strip in pane.lines for segment in strip)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b]52;c;ZXZpbA==\\x07" in text


def test_link_table_cells_are_escaped():
    cell = set_cell_size("Bakker\x1b[2J B.V.", 30)
    assert "\x1b" not in cell and cell.startswith("Bakker\\x1b[2J B.V.")
