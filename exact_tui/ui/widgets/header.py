"""One line at the top: profile, Exact user, division, connection health and the API budget."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...services.session import ConsoleSession, HealthState

HEALTH_STYLE = {HealthState.CONNECTED: ("●", "bold green"), HealthState.OFFLINE: ("○", "dim"),
                HealthState.PROBLEM: ("●", "bold red")}


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
        s = self.session
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("exact-tui ", style="bold")
        text.append(f"[{s.profile}]", style="bold")
        mark, style = HEALTH_STYLE.get(s.health.state, HEALTH_STYLE[HealthState.OFFLINE])
        text.append("  ")
        text.append(mark + " ", style=style)
        if s.me is not None:
            text.append(s.me.full_name or s.me.user_name)
        else:
            text.append(s.health.text, style="dim")
        division = s.client.config.division if s.client is not None else None
        if division is None:
            try:
                division = getattr(s.settings(), "division", None)
            except Exception:  # noqa: BLE001 - the header must never fail
                division = None
        if division:
            text.append(f"  div {division}")
        if s.health.state is HealthState.PROBLEM:
            text.append(f"  {s.health.text}", style="bold red")
        text.append("  ")
        text.append(s.budget_text(with_reset=not self.deterministic), style="dim" if s.budget is None else "")
        try:
            active = bool(getattr(s.settings(), "active", False))
        except Exception:  # noqa: BLE001
            active = False
        text.append("  ")
        text.append("ACTIVE" if active else "set-up", style="bold green" if active else "bold yellow")
        return text

    def refresh_status(self) -> None:
        self.update(self.render_status())
