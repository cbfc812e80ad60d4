"""Radio buttons, checkboxes and a selection list whose state is a shape, not only a colour.

Textual draws on and off with the same glyph in two colours (`▐●▌` / `▐X▌`), which a 16-colour or
monochrome terminal, or a colour-blind consultant, cannot tell apart. Here on is `●` / `✓` and off is
`○` / a blank, in every theme.
"""
from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

RADIO_ON, RADIO_OFF = "●", "○"
CHECK_ON, CHECK_OFF = "✓", " "


class _ShapedToggle:
    ON = OFF = ""

    @property
    def _button(self) -> Content:
        button = ToggleButton._button.fget(self)  # type: ignore[attr-defined]
        inner = self.ON if self.value else self.OFF  # type: ignore[attr-defined]
        spans = list(button.spans)
        plain = button.plain
        return Content(plain[0] + inner + plain[2:], spans)


class ShapedRadioButton(_ShapedToggle, RadioButton):
    ON, OFF = RADIO_ON, RADIO_OFF


class ShapedCheckbox(_ShapedToggle, Checkbox):
    ON, OFF = CHECK_ON, CHECK_OFF


class ShapedSelectionList(SelectionList):
    """A `SelectionList` whose selected items show ✓ and unselected ones a blank."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(int(self.scroll_offset.y) + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        mark = CHECK_ON if selection.value in self._selected else CHECK_OFF
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)
