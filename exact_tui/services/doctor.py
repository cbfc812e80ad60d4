"""The doctor: is this profile's integration healthy, and if not, what exactly to fix where.

A support engineer's first question on any ticket. Every check looks at one thing that makes
transfers fail in production (the catalogue's most reported causes) and answers ok, warning or
failing with the fix; checks that need Exact are `skipped` (with the reason) when there is no
connection, so a headless run still says everything it can. Read-only: nothing is written to Exact
or to the store, and every call counts against the API budget it reports.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Awaitable, Callable

from ..domain.customer import customer_number_problem
from ..domain.wording import count, number
from .events import Side

OK, WARNING, FAILING, SKIPPED = "ok", "warning", "failing", "skipped"
_RANK = {OK: 0, SKIPPED: 0, WARNING: 1, FAILING: 2}


@dataclass(slots=True)
class Check:
    """One line of the doctor's report."""

    id: str
    title: str
    status: str
    detail: str
    fix: str = ""
    side: str = ""  # who must act when it is not ok: local / exact / network / console
    records: list[str] = field(default_factory=list)  # the records concerned (first few)


@dataclass(slots=True)
class DoctorReport:
    profile: str
    checks: list[Check]
    at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    calls: int = 0  # API calls the doctor itself spent

    @property
    def status(self) -> str:
        worst = max((_RANK[c.status] for c in self.checks), default=0)
        return {0: OK, 1: WARNING, 2: FAILING}[worst]

    @property
    def exit_code(self) -> int:
        return _RANK[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {"profile": self.profile, "at": self.at, "status": self.status, "calls": self.calls,
                "checks": [asdict(c) for c in self.checks]}

    def lines(self) -> list[str]:
        mark = {OK: "✓", WARNING: "!", FAILING: "✗", SKIPPED: "-"}
        out = []
        for c in self.checks:
            out.append(f"{mark[c.status]} {c.title}: {c.detail}")
            if c.fix and c.status in (WARNING, FAILING):
                out.append(f"    fix: {c.fix}")
        return out


def _fmt_age(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def _few(items: list[str], n: int = 5) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


# -- the local side (no Exact needed) ----------------------------------------------------------------
def pending_invoices(store: Any) -> list[Any]:
    """Invoices not yet booked in Exact (the transfer journal is the truth of what was booked)."""
    booked = store.transfers.booked_invoice_ids()
    return [inv for inv in store.invoices.all() if inv.id not in booked]


def check_customer_numbers(store: Any) -> Check:
    linked = {link.local_id for link in store.links.all()}
    waiting = {inv.customer_id for inv in pending_invoices(store)}
    bad = []
    for customer in store.customers.all():
        if customer.id not in linked and customer.id not in waiting:
            continue
        problem = customer_number_problem(customer.number)
        if problem:
            bad.append(f"{customer.number or customer.id} {customer.name} ({problem})")
    if not bad:
        return Check("customer_numbers", "Local customer numbers", OK,
                     f"every linked or invoiced customer has a number Exact accepts ({number(len(linked | waiting))} checked)")
    return Check("customer_numbers", "Local customer numbers", FAILING,
                 f"{count(len(bad), 'customer')} {'has' if len(bad) == 1 else 'have'} a number Exact will not take: {_few(bad, 3)}",
                 "Give them digits-only numbers of at most 9 digits in the time-tracking system and re-import "
                 "(`exact-tui next-number` proposes the next free one).", Side.LOCAL, bad[:20])


def check_connection(session: Any, now: float) -> Check:
    tokens = session.token_store().load()
    if tokens is None:
        return Check("connection", "Connection and token age", FAILING, "this profile is not connected to Exact",
                     "Connect in step 1 of the console, or `exact-tui --profile NAME connect`.", Side.LOCAL)
    connected = now - (tokens.connected_at or tokens.obtained_at)
    refreshed = now - tokens.obtained_at
    warning = tokens.refresh_warning(now)
    detail = (f"connected {_fmt_age(connected)} ago as {tokens.owner.full_name or tokens.owner.user_name or 'unknown'}; "
              f"token last renewed {_fmt_age(refreshed)} ago ({tokens.refresh_count} renewals)")
    if warning:
        status = FAILING if "expired" in warning and "expires in" not in warning else WARNING
        return Check("connection", "Connection and token age", status, f"{detail}; {warning}",
                     "Connect again in step 1 before the refresh token ends (nothing else is lost).", Side.EXACT)
    return Check("connection", "Connection and token age", OK, detail)


def check_pacing(session: Any) -> Check:
    """Whether this profile's processes share one API budget (the client's cross-process pacer)."""
    try:
        from ..exact.shared import LIMITS_FILE
    except ImportError:  # an exact/ without the shared pacer: each process paces alone
        return Check("pacing", "Pacing across processes", WARNING,
                     "each process paces its own calls: two consoles (or a console and a scheduled run) on one "
                     "profile can together exceed 60 calls a minute", "Run one process per profile at a time.",
                     Side.LOCAL)
    shared = session.profile_dir / LIMITS_FILE
    detail = f"every process of this profile paces against one shared budget ({LIMITS_FILE})"
    if shared.exists():
        detail += f", last written {_fmt_age(time.time() - shared.stat().st_mtime)} ago"
    else:
        detail += "; no call made yet"
    return Check("pacing", "Pacing across processes", OK, detail)


# -- the runner -----------------------------------------------------------------------------------------
Probe = Callable[[Any, Any, dict[str, Any]], Awaitable[Check]]


async def run_doctor(session: Any, *, on_check: Callable[[Check], None] | None = None) -> DoctorReport:
    """Run every check; `on_check` sees each as it finishes (the Health screen and `--json` use the report)."""
    from . import doctor_exact as dx

    checks: list[Check] = []

    def add(check: Check) -> None:
        checks.append(check)
        if on_check is not None:
            on_check(check)

    store = session.store
    add(check_connection(session, time.time()))
    connected = checks[0].status != FAILING or "not connected" not in checks[0].detail
    client = None
    calls_before = 0
    if connected:
        try:
            client = session.client or await dx.connect(session)
            calls_before = dx.calls_made(client)
        except Exception as exc:  # noqa: BLE001 - the reason becomes the check's text
            from .problems import explain

            problem = explain(exc)
            add(Check("exact", "Exact reachable", FAILING, problem.what, problem.todo, str(problem.side)))
            client = None
    context: dict[str, Any] = {}
    for probe in dx.PROBES:
        if client is None:
            add(Check(probe.id, probe.title, SKIPPED, "not checked: needs a working connection to Exact"))
            continue
        try:
            add(await probe.run(session, client, context))
        except Exception as exc:  # noqa: BLE001 - one failing check never hides the others
            from .problems import explain

            problem = explain(exc)
            add(Check(probe.id, probe.title, FAILING, problem.what + (f" — {problem.cause}" if problem.cause else ""),
                      problem.todo, str(problem.side)))
    add(check_customer_numbers(store))
    add(check_pacing(session))
    report = DoctorReport(session.profile, checks)
    if client is not None:
        report.calls = dx.calls_made(client) - calls_before
    return report
