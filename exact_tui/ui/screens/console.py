"""The console's own first screen (`ExactApp.get_default_screen`): the rail, the steps and the log live on it."""
from __future__ import annotations

from textual import events
from textual.screen import Screen


class ConsoleScreen(Screen[None]):
    """Textual's default screen, less one pass over its styles at start-up.

    When the app starts, Textual resumes its first screen with `refresh_styles` set, and so applies the
    style sheet to every widget again, although each was styled when it was mounted, after the theme
    was set: a third of the mount phase of the console's launch (~35 ms of the 0.6 s goal). Any later
    resume (a screen closed over it) restyles as Textual does: a theme may have changed meanwhile."""

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # called before Screen's own handler (the subclass comes first in the handler order)
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
