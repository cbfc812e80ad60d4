"""One line at the top: profile, Exact user, division, connection health and the API budget."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...services.session import ConsoleSession, HealthState
from ..shown import printable

HEALTH_STYLE = {HealthState.CONNECTED: ("●", "bold green"), HealthState.OFFLINE: ("○", "dim"),
                HealthState.PROBLEM: ("●", "bold red"), HealthState.RECONNECT: ("✗", "bold red")}


class StatusHeader(Static):

    def __init__(self, session: ConsoleSession, *, deterministic: bool = False, **kw) -> None:
        super().__init__("", **kw)
        self.session = session
        self.deterministic = deterministic

    def on_mount(self) -> None:
        self.refresh_status()
        if not self.deterministic:
            self.set_interval(1.0, self.refresh_status)  # the minute budget resets on its own

    def render_status(self) -> Text:
        """What goes first at 80 columns: the profile and whether the integration is ACTIVE, then the
        connection and user, the division, and the API budget last (cut with … when it does not fit)."""
        s = self.session
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"[{printable(s.profile)}] ", style="bold")
        try:
            settings = s.settings()
        except Exception:  # noqa: BLE001 - the header must never fail
            settings = None
        active = bool(getattr(settings, "active", False))
        text.append("ACTIVE" if active else "set-up", style="bold green" if active else "bold yellow")
        mark, style = HEALTH_STYLE.get(s.health.state, HEALTH_STYLE[HealthState.OFFLINE])
        text.append("  ")
        text.append(mark + " ", style=style)
        if s.me is not None:
            text.append(printable(s.me.full_name or s.me.user_name))  # Exact's words
        else:
            text.append(printable(s.health.text), style="dim")
        if s.health.state in (HealthState.PROBLEM, HealthState.RECONNECT):
            text.append(f"  {printable(s.health.text)}", style="bold red")
        division = getattr(settings, "division", None)  # the chosen one only: not the user's current division
        if division:
            text.append(f"  div {division}")
        text.append("  ")
        text.append(s.budget_text(with_reset=not self.deterministic), style="dim" if s.budget is None else "")
        return text

    def refresh_status(self) -> None:
        self.update(self.render_status())
