"""The integration log for people who read it: every line wrapped, filterable, and explained on Enter.

Opened from any screen (F5): the newest 20,000 lines of the profile's stored log (what the session
kept of every event), newest last. Filter with `/` — words, `level:error`, `side:exact`, `record:1042` — or cycle level and
side with `l` / `s`; `r` keeps only the highlighted line's record. Enter opens the line's detail:
the whole message, Exact's raw answer, the diagnosis (kind, field, side, cause, remedy, catalogue
rows), the record it concerns and a key to jump to that record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import css
from ..shown import printable, safe
from .listing import ListScreen, list_keys

LEVELS = ("", "error", "warning", "success", "info")
SIDES = ("", "local", "exact", "network", "console")
LOADED = 20_000  # newest lines read from the stored log (a 1,000,000-line log opens in a fraction of a second)
SHOWN = 3000  # newest matching lines listed
_TOKEN = re.compile(r"\b(level|side|record):(\S+)", re.I)
_STYLE = {"error": "bold red", "warning": "bold yellow", "success": "green", "info": ""}
_MARK = {"error": "✗", "warning": "!", "success": "✓", "info": " "}


@dataclass(slots=True)
class LogFilter:
    """What the filter box says: `level:` `side:` `record:` and free words (all must match)."""

    level: str = ""
    side: str = ""
    record: str = ""
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> "LogFilter":
        found = {k.lower(): v.lower() for k, v in _TOKEN.findall(text or "")}
        rest = _TOKEN.sub(" ", text or "").lower().split()
        return cls(found.get("level", ""), found.get("side", ""), found.get("record", ""), tuple(rest))

    def text(self) -> str:
        parts = [f"{k}:{v}" for k, v in (("level", self.level), ("side", self.side), ("record", self.record)) if v]
        return " ".join([*parts, *self.words])

    def matches(self, entry) -> bool:
        if self.level and entry.level != self.level:
            return False
        if self.side and entry.side != self.side:
            return False
        if self.record and self.record not in entry.record.lower():
            return False
        if self.words:
            hay = f"{entry.record} {entry.message} {entry.detail} {entry.topic}".lower()
            return all(w in hay for w in self.words)
        return True


def diagnosis_of(entry):
    """The diagnosis of a line that carries Exact's (or the network's) words; None for plain progress."""
    if entry.level not in ("error", "warning") or entry.side not in ("exact", "network"):
        return None  # the console's own notices explain themselves
    from ...diagnose import diagnose

    text = entry.detail or entry.message
    status = re.search(r"→ (\d{3})\b", entry.message)
    return diagnose(text, status=int(status.group(1)) if status else None)


def _line(entry, fixed_time: str | None) -> Text:
    clock = fixed_time or (entry.time.astimezone().strftime("%m-%d %H:%M:%S") if entry.time else "--:--:--")
    line = Text()
    line.append(f"{clock} ", style="dim")
    line.append(f"{entry.side:<7} ", style="bold" if entry.side != "console" else "dim")
    line.append(_MARK.get(entry.level, " ") + " ", style=_STYLE.get(entry.level, ""))
    if entry.record:
        line.append(f"[{printable(entry.record)}] ", style="italic")
    line.append(printable(entry.message), style=_STYLE.get(entry.level, "") if entry.level != "info" else "")
    if entry.detail:
        line.append(f" — {printable(entry.detail)}", style="dim")
    return line


class LogDetail(ModalScreen[str | None]):
    """One line in full: message, Exact's raw answer, the diagnosis, the record, and where to go."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="logdetail.close"),
                Binding("g", "jump", "Go to record", id="logdetail.jump"),
                Binding("r", "only_record", "Only this record", id="logdetail.record")]
    CSS_PATH = [css.WIDGETS, css.SCREENS]

    def __init__(self, entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        d = diagnosis_of(e)
        with VerticalScroll():
            yield Static(Text.assemble(("Log line", "bold"), f"  {e.time:%Y-%m-%d %H:%M:%S} · " if e.time else "  ",
                                       printable(f"{e.side} · {e.level}" + (f" · {e.topic}" if e.topic else ""))))
            # Exact's words and local data are shown with control characters escaped (one rule: printable)
            yield Static(Text.assemble(("Record: ", "bold"), printable(e.record) or "(none)"))
            yield Static(Text.assemble(("Message: ", "bold"), printable(e.message, multiline=True)))
            if e.detail:
                yield Static(Text.assemble(("Exact's answer / detail: ", "bold"), printable(e.detail, multiline=True)))
            if d is not None:
                yield Static(Text.assemble(("Diagnosis: ", "bold"), printable(d.summary)), id="diagnosis")
                yield Static(safe(f"  kind: {d.kind} · field: {d.field or '-'} · side: {d.side}"
                                  + (f" · catalogue #{', #'.join(map(str, d.catalogue))}" if d.catalogue else "")))
                yield Static(Text.assemble(("  Cause: ", "bold"), printable(d.cause)))
                yield Static(Text.assemble(("  What to do: ", "bold"), printable(d.remedy)))
            keys = ["esc close"]
            if _invoice_of(e.record):
                keys.append("g opens Transfers on this invoice")
            elif _customer_of(e.record):
                keys.append("g opens the customer card on this record")
            if e.record:
                keys.append("r shows only this record's lines")
            yield Static(Text("\n" + " · ".join(keys), style="dim"))

    def action_jump(self) -> None:
        self.dismiss("jump")

    def action_only_record(self) -> None:
        self.dismiss("record")


def _invoice_of(record: str) -> str:
    """The invoice number of a record such as `invoice 2024-0042` (how the transfer logs its lines)."""
    m = re.match(r"\s*invoice\s+(\S+)", record or "", re.I)
    return m.group(1) if m else ""


def _customer_of(record: str) -> str:
    m = re.match(r"\s*customer\s+(\S+)", record or "", re.I)
    return m.group(1) if m else ""


class LogScreen(ListScreen):
    """The whole stored log, filterable; Enter explains a line."""

    BINDINGS = [
        *list_keys("log"),
        Binding("l", "cycle_level", "Level", id="log.level"),
        Binding("s", "cycle_side", "Side", id="log.side"),
        Binding("r", "only_record", "This record", id="log.record"),
        Binding("g", "jump", "Go to record", id="log.jump"),
        Binding("x", "clear", "Clear filter", id="log.clear"),
    ]
    FILTER, LIST = "#log-filter", "#log-lines"
    CSS_PATH = [css.WIDGETS, css.SCREENS]

    def __init__(self, session, *, fixed_time: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.fixed_time = fixed_time
        self.filter = LogFilter()
        self.entries: list = []
        self.shown: list = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: words  level:error  side:exact  record:1042   (/)", id="log-filter")
        yield Static("", id="log-count")
        yield OptionList(id="log-lines")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Integration log"
        self.action_reload()
        self.query_one(OptionList).focus()

    def action_reload(self) -> None:
        log = getattr(self.session.store, "log", None)
        self.entries = log.tail(LOADED) if log is not None else []
        self._refill()

    def _refill(self) -> None:
        matching = [e for e in self.entries if self.filter.matches(e)]
        self.shown = matching[-SHOWN:]
        lines = self.query_one(OptionList)
        lines.clear_options()
        lines.add_options([Option(_line(e, self.fixed_time)) for e in self.shown])
        if self.shown:
            lines.highlighted = len(self.shown) - 1
        more = f" (newest {SHOWN:,} shown)" if len(matching) > SHOWN else ""
        if len(self.entries) >= LOADED:
            more += f" · newest {LOADED:,} lines loaded (`exact-tui export log FILE` has all)"
        what = self.filter.text() or "no filter"
        self.query_one("#log-count", Static).update(
            safe(f"{len(matching):,} of {len(self.entries):,} lines · {what}{more} · Enter explains a line"))

    def _set(self, **changes) -> None:
        for key, value in changes.items():
            setattr(self.filter, key, value)
        box = self.query_one("#log-filter", Input)
        with box.prevent(Input.Changed):
            box.value = self.filter.text()
        self._refill()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter = LogFilter.parse(event.value)
        self._refill()

    def action_cycle_level(self) -> None:
        self._set(level=LEVELS[(LEVELS.index(self.filter.level) + 1) % len(LEVELS)] if self.filter.level in LEVELS else "")

    def action_cycle_side(self) -> None:
        self._set(side=SIDES[(SIDES.index(self.filter.side) + 1) % len(SIDES)] if self.filter.side in SIDES else "")

    def action_clear(self) -> None:
        self.filter = LogFilter()
        self._set()

    def _highlighted(self):
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and 0 <= index < len(self.shown) else None

    def action_only_record(self) -> None:
        entry = self._highlighted()
        if entry is not None and entry.record:
            self._set(record=entry.record.lower())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        entry = self.shown[event.option_index]

        def done(choice: str | None) -> None:
            if choice == "record" and entry.record:
                self._set(record=entry.record.lower())
            elif choice == "jump":
                self._jump(entry)

        self.app.push_screen(LogDetail(entry), done)

    def action_jump(self) -> None:
        entry = self._highlighted()
        if entry is not None:
            self._jump(entry)

    def _jump(self, entry) -> None:
        """To the record a line concerns: a customer's card, an invoice's row in Transfers; any other
        record keeps only its lines here."""
        invoice = _invoice_of(entry.record)
        if invoice:
            from ..transfers import TransfersScreen

            self.app.push_screen(TransfersScreen(self.session, invoice=invoice))
            return
        number = _customer_of(entry.record)
        if not number:
            if entry.record:
                self._set(record=entry.record.lower())
            return
        from .customers import CustomerCardScreen

        card = CustomerCardScreen(self.session)
        self.app.push_screen(card)

        def search() -> None:
            box = card.query_one("#search", Input)
            box.value = number
            box.focus()

        card.call_after_refresh(search)
