"""The records the Link customers screen shows and the service returns: an Exact account, a row
with its candidates, one row's result, a run's report, and a plan with what it costs.

The cost of a plan (`PlanCost`) is arithmetic on the client's rate budget, kept here rather than
in the screen so the confirmation, the headless `link --accept` and a test all read one answer.
"""
from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...domain.customer import LocalCustomer, strip_account_code
from ...domain.ignored import IgnoredAccount
from ...domain.link import Link
from ...domain.decisions import RejectedPair
from ..events import Event, Level, Side
from .actions import Action, Tab


@dataclass(slots=True)
class ExactAccount:
    """The fields of an Exact account the linking needs (cached between runs; `code` stripped)."""

    id: str
    name: str = ""
    code: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    vat: str = ""
    coc: str = ""
    website: str = ""
    status: str = ""
    blocked: bool = False  # Exact's `Blocked`: invoices to it are refused (rows cached before it was kept: False)
    timestamp: int | None = None

    @classmethod
    def from_record(cls, record: Any) -> "ExactAccount":
        """From the client's `Account` record (or anything with the same attribute names)."""
        get = (lambda k: record.get(k)) if isinstance(record, dict) else (lambda k: getattr(record, k, None))
        return cls(id=str(get("id")), name=get("name") or "", code=strip_account_code(get("code")),
                   address=get("address") or "", postcode=get("postcode") or "", city=get("city") or "",
                   country=get("country") or "", email=get("email") or "", phone=get("phone") or "",
                   vat=get("vat") or "", coc=get("coc") or "", website=get("website") or "",
                   status=get("status") or "", blocked=bool(get("blocked")), timestamp=get("timestamp"))

    def value(self, local_field: str) -> str:
        return self.code if local_field == "number" else getattr(self, local_field, "") or ""


@dataclass(slots=True, eq=False)
class Row:
    """One Exact account in a tab, with its candidates and what happened to it.

    `choice` indexes `candidates` (More matches: the user picks with ←/→ or the picker). `result`
    is the outcome of the last action on it; `problem` keeps a refusal or failure reason and how
    to fix it, so the row says it until the next attempt.
    """

    exact: ExactAccount
    tab: Tab
    candidates: list[Any] = field(default_factory=list)  # matching Candidates, best first
    choice: int = 0
    notes: Sequence[str] = field(default_factory=list)  # built when first read (matching.NoteView)
    result: str = ""
    problem: str = ""

    @property
    def id(self) -> str:
        return self.exact.id

    @property
    def candidate(self) -> Any | None:
        if not self.candidates:
            return None
        return self.candidates[min(self.choice, len(self.candidates) - 1)]

    @property
    def local_id(self) -> str | None:
        cand = self.candidate
        return cand.local_id if cand is not None else None

    @property
    def score(self) -> float:
        cand = self.candidate
        return float(cand.score) if cand is not None else 0.0


@dataclass(slots=True)
class RowResult:
    """What one action did to one row: `ok`, a short text for the row, and for failures the fix."""

    exact_id: str
    ok: bool
    text: str
    fix: str = ""
    exact_changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # Exact field -> (old, new)
    side: Side | None = None  # where the cause is, when the text alone does not say (a blocked account: Exact)


@dataclass(slots=True)
class ActionReport:
    action: Action
    results: list[RowResult] = field(default_factory=list)
    cancelled: bool = False
    calls: int = 0
    stopped: str = ""  # why the run stopped early (connection lost, quota spent), rest untouched

    @property
    def ok(self) -> list[RowResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if not r.ok]

    def summary(self) -> str:
        text = f"{self.action.label}: {len(self.ok):,} done"
        if self.failed:
            text += f", {len(self.failed):,} failed"
        if self.action.touches_exact:
            text += f", {self.calls:,} Exact call{'s' if self.calls != 1 else ''}"
        if self.cancelled:
            text += " (cancelled; the rest untouched)"
        if self.stopped:
            text += " (stopped early: the rest untouched)"
        return text


@dataclass(slots=True)
class Plan:
    """What a bulk action would do, before doing it: the confirmation names these numbers."""

    action: Action
    rows: list[Row]
    refused: list[RowResult]
    changes: dict[str, dict[str, tuple[str, str]]]  # exact_id -> Exact field -> (old, new), link-local only

    @property
    def api_calls(self) -> int:
        return len(self.changes) if self.action is Action.LINK_LOCAL else 0

    @property
    def accounts_changing(self) -> int:
        return self.api_calls



@dataclass(slots=True)
class PlanCost:
    """What `calls` Exact calls mean against the budget: short of today's quota, minutes at the rate."""

    calls: int
    day_remaining: int | None = None
    minute_limit: int | None = None

    @property
    def over_day(self) -> bool:
        """More calls than are left today: the rest wait for tomorrow's quota or fail."""
        return self.day_remaining is not None and self.calls > self.day_remaining

    @property
    def minutes(self) -> int:
        """Minutes the calls take at the per-minute limit (0 when the limit is not known)."""
        return math.ceil(self.calls / self.minute_limit) if self.minute_limit else 0


def plan_cost(plans: "Plan | list[Plan]", budget: Any = None) -> PlanCost:
    """The cost of one plan or several (a reviewed CSV's), against the client's `RateBudget` if known."""
    calls = sum(p.api_calls for p in (plans if isinstance(plans, list) else [plans]))
    if budget is None or not getattr(budget, "known", False):
        return PlanCost(calls)
    return PlanCost(calls, budget.day_remaining, budget.minute_limit)


@dataclass(slots=True)
class Pending:
    """Store writes collected over a batch of rows."""

    links: list[Link] = field(default_factory=list)
    customers: dict[str, LocalCustomer] = field(default_factory=dict)
    ignore: list[IgnoredAccount] = field(default_factory=list)
    unignore: list[str] = field(default_factory=list)
    reject: list[RejectedPair] = field(default_factory=list)
    accounts: list[ExactAccount] = field(default_factory=list)  # cache rows we changed in Exact
    since: float = field(default_factory=time.monotonic)

    def size(self) -> int:
        return len(self.links) + len(self.customers) + len(self.ignore) + len(self.unignore) + len(self.reject)

    def due(self, every: int, seconds: float) -> bool:
        """Flush by count, or by time when rows are slow (each waits for Exact): a crash loses little."""
        size = self.size()
        return size >= every or (size > 0 and time.monotonic() - self.since >= seconds)

    def clear(self) -> None:
        for batch in (self.links, self.customers, self.ignore, self.unignore, self.reject, self.accounts):
            batch.clear()
        self.since = time.monotonic()



def reasons(row: Row) -> list[str]:
    """The matcher's reasons for the row's chosen candidate, with the score's sum (for the screen:
    the UI imports services, not the matcher)."""
    from ...matching import explain

    cand = row.candidate
    return explain(cand, detail=True) if cand is not None else []


def tab_for(row: Row) -> Tab:
    """Where an un-ignored account goes: More matches when it has candidates (a person confirms the
    pair; only the matcher's own re-run may call it a One match), else No match."""
    return Tab.MORE if row.candidates else Tab.NONE


def link_event(message: str, level: Level, side: Side, **kw: Any) -> Event:
    return Event(message, side=side, level=level, topic="link", **kw)
