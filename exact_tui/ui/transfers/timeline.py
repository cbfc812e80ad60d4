"""The timeline of one invoice: every attempt — time, what was sent, Exact's answer, the diagnosis."""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import css
from ..shown import printable, safe_markup

ACTIONS = {"post": "sent", "process": "processed", "customer": "customer", "undo": "undo", "resolve": "looked up"}


def timeline_text(row: Any, attempts: list[Any]) -> Text:
    """Every attempt of one invoice. Numbers, names and Exact's answers are shown with their control
    characters escaped (one rule: printable); Exact's raw answer keeps its line breaks."""
    p = printable
    inv = row.invoice
    text = Text()
    text.append(f"{inv.kind.replace('_', ' ')} {p(inv.number)}", style="bold")
    text.append(f" · {inv.date.isoformat()} · {p(row.customer)} · {p(inv.currency)} {inv.total:,.2f}\n")
    text.append(f"now: {row.status}", style="bold")
    if row.exact_number:
        text.append(f" · Exact {p(row.exact_number)}")
    if row.message:
        text.append(f"\n{p(row.message)}")
    if row.todo:
        text.append(f"\nWhat to do: {p(row.todo)}", style="italic")
    if not attempts:
        text.append("\n\nNothing sent to Exact yet.", style="dim")
    for a in attempts:
        when = a.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        text.append(f"\n\n{when}  {ACTIONS.get(a.action, a.action)}  ", style="bold")
        style = {"booked": "green", "refused": "red", "unknown": "yellow", "pending": "yellow"}.get(str(a.outcome), "")
        text.append(str(a.outcome), style=style)
        if a.request:
            text.append(f"\n  request: {p(a.request)}")
        if a.message:
            text.append(f"\n  answer: {p(a.message)}")
        if a.exact_entry_number:
            text.append(f" (Exact {p(a.exact_entry_number)})")
        if a.detail:
            said = a.detail if a.detail.startswith("Exact said") else f"Exact said: {a.detail}"
            text.append(f"\n  {p(said, multiline=True)}", style="dim")
        if a.cause:
            text.append(f"\n  cause: {p(a.cause)}")
        if a.todo:
            text.append(f"\n  what to do: {p(a.todo)}", style="italic")
        if a.request_id:
            text.append(f"\n  request id: {p(a.request_id)}", style="dim")
    return text


class TimelineScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="transfers.timeline_close")]
    CSS_PATH = [css.TRANSFERS]

    def __init__(self, row: Any, attempts: list[Any]) -> None:
        super().__init__()
        self.row, self.attempts = row, attempts

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(timeline_text(self.row, self.attempts), id="timeline")
            yield Static("Esc close · ↑↓ scroll", id="timeline-keys")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = f"Timeline · invoice {safe_markup(self.row.invoice.number)}"
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
