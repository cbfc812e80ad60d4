"""Two passes of Textual's start-up that the console's first frame does not wait for (issue #16: first
paint ≤ 0.6 s). Both keep Textual's result; they only leave out work that is done twice.

- `ConsoleScreen` (the app's first screen): Textual resumes its first screen with `refresh_styles`
  set and so applies the style sheet to every widget again, although each was styled when it was
  mounted, after the theme was set: ~35 ms of the launch. Later resumes (a screen closed over it)
  are Textual's, untouched.
- `ConsoleStylesheet`: setting the theme re-parses every style sheet (`reparse`); Textual parses them
  into a fresh style sheet and keeps its rules but not its parse cache, so the next widget class that
  adds its default CSS parses the console's four .tcss files a second time (~15 ms). This one parses
  into its own cache, with the same outcome on an error (the old rules stay, the bad source is noted).
"""
from __future__ import annotations

from textual import events
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen


class ConsoleScreen(Screen[None]):
    """Textual's default screen, less the second styling of every widget at start-up."""

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # runs before Screen's own handler (a subclass's handler comes first)
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False


class ConsoleStylesheet(Stylesheet):
    """Textual's style sheet, re-parsed in place (see the module's docstring)."""

    def reparse(self) -> None:
        # `set_variables` (which every theme change calls first) has emptied the cache; `parse` sets
        # the rules only once every source parsed, and records a source that fails in `_invalid_css`
        self.parse()
