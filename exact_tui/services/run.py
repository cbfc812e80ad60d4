"""`exact-tui run`: one unattended pass of everything that is due, for cron and systemd timers.

One pass per profile at a time: the store's writer lock makes a second `run` (or a console) on
the same profile refuse with who holds it, or wait for it with `--wait`. Profiles share nothing,
so an agency runs one profile per client company side by side (Exact's limits are per company).

The steps, most important first:
1. transfers — invoices booked locally and not yet in Exact (new ones, and blocked or unknown ones
   whose cause may be gone), once the integration is activated (step 8). Their customers are
   handled as the maintenance mode of step 5 says (linked, created at the first invoice, or the
   invoice waits for a link); that is `TransferService`'s rule, used as it is.
2. payments — every `interval_hours` (4 by default);
3. products (Exact's item changes) and 4. customers (accounts both ways), every 24 hours by default;
   each schedule is set with `exact-tui sync FLOW --every HOURS` (0 switches products or customers off).
Before the work, the pass compares what the steps will cost in calls with what Exact said is left
today: transfers get the calls first, as many invoices as fit (in date order); a step that does not
fit is not started. Each is said with the numbers.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .budget import cost_line, day_left, fitting
from .events import Side

STEPS = ("transfers", "payments", "products", "customers")

# kept for callers of the earlier name
day_budget_left = day_left


@dataclass(slots=True)
class StepOutcome:
    step: str
    status: str  # done | attention | not_due | off | over_budget | failed | planned
    message: str
    calls: int = 0  # calls used; for planned or a step not started (over_budget, no counts) the estimate
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_attention(self) -> bool:
        return self.status in ("failed", "over_budget", "attention")


@dataclass(slots=True)
class RunReport:
    profile: str
    started_at: dt.datetime
    steps: list[StepOutcome] = field(default_factory=list)
    budget_left_today: int | None = None
    planned_calls: int | None = None  # what the due steps were estimated to cost before the pass

    @property
    def exit_code(self) -> int:
        return 1 if any(s.needs_attention for s in self.steps) else 0

    @property
    def calls(self) -> int:
        return sum(s.calls for s in self.steps if s.status != "planned" and (s.status != "over_budget"
                                                                             or "counts" in s.detail))

    def to_json(self) -> dict[str, Any]:
        return {"profile": self.profile, "started_at": self.started_at.isoformat(), "exit": self.exit_code,
                "budget_left_today": self.budget_left_today, "planned_calls": self.planned_calls,
                "steps": [asdict(s) for s in self.steps]}


def _failed(step: str, exc: Exception) -> StepOutcome:
    from .problems import explain

    problem = explain(exc)
    return StepOutcome(step, "failed", f"{problem.what}: {problem.todo}", detail={"error": str(exc)})


async def run_once(session: Any, *, now: dt.datetime | None = None, dry_run: bool = False,
                   skip: Iterable[str] = ()) -> RunReport:
    """Every due step, most important first, within today's remaining calls."""
    now = now or dt.datetime.now(dt.timezone.utc)
    report = RunReport(session.profile, now)
    left = day_left(session)
    report.budget_left_today = left
    skipped = set(skip)
    steps = [(name, step) for name, step in (("transfers", _transfers), ("payments", _payments),
                                             ("products", _products), ("customers", _customers))]
    if not dry_run and left is not None:
        await _say_budget_first(session, report, [(n, s) for n, s in steps if n not in skipped], now, left)
    for name, step in steps:
        if name in skipped:
            report.steps.append(StepOutcome(name, "off", "left out of this run (--skip)"))
            continue
        try:
            outcome = await step(session, now, left, dry_run)
        except Exception as exc:  # noqa: BLE001 - reported as this step's outcome, the pass goes on
            outcome = _failed(name, exc)
        report.steps.append(outcome)
        if left is not None and (outcome.status != "over_budget" or "counts" in outcome.detail):
            # what a step used (or, in a dry run, would use) is not there for the next one
            left = max(0, left - outcome.calls)
    return report


async def _say_budget_first(session: Any, report: RunReport, steps: list[Any], now: dt.datetime, left: int) -> None:
    """Before any work: what the due steps cost against what is left today, said when it does not fit."""
    need = 0
    for _name, step in steps:
        try:
            planned = await step(session, now, None, True)  # the dry run: no call
        except Exception:  # noqa: BLE001 - the real step reports its own failure
            continue
        need += planned.calls if planned.status == "planned" else 0
    report.planned_calls = need
    if need > left:
        session.events.warning(f"This pass needs about {need:,} API calls and Exact allows {left:,} more today: the "
                               "most important work goes first (transfers, then payments, products, customers); "
                               "what does not fit waits for the daily reset", side=Side.CONSOLE, topic="run")


async def _transfers(session: Any, now: dt.datetime, left: int | None, dry_run: bool) -> StepOutcome:
    from .transfer import TransferService

    settings = session.store.settings.get()
    if not settings.active:
        return StepOutcome("transfers", "off", "the integration is not activated (step 8): nothing is transferred")
    service = TransferService.for_session(session)
    if session.client is None:
        await service.start(refresh_accounts=False)  # the journal's repairs only: no call
    invoices = service.select(all=True)
    if not invoices:
        return StepOutcome("transfers", "not_due", "no invoices waiting to be transferred")
    prepare = service.preparation_cost() if session.client is not None else 0
    if dry_run:
        checks, calls = service.dry_run(invoices)
        calls += service.preparation_cost()
        ready = sum(1 for c in checks if c.ok)
        return StepOutcome("transfers", "planned",
                           f"would transfer {ready:,} of {len(invoices):,} waiting invoices "
                           f"({len(invoices) - ready:,} blocked by the pre-flight): {cost_line(calls, left)}",
                           calls, {"ready": ready, "blocked": len(invoices) - ready,
                                   "offline": session.client is None})
    if left is not None and left < prepare + 1:
        return StepOutcome("transfers", "over_budget",
                           f"{len(invoices):,} invoices wait, but reading Exact's reference data alone needs about "
                           f"{prepare} calls and Exact allows {left} more today: not started; they go after the "
                           "daily reset", prepare + 1)
    before = session.client.calls
    await service.start()
    spent = session.client.calls - before
    checks = [service.preflight(i) for i in invoices]
    costs = service.invoice_costs(checks)
    room = None if left is None else left - spent
    n = fitting(costs, room, extra=lambda k: service.run_cost(costs[:k]) - sum(costs[:k]))
    chosen = invoices[:n]
    later = len(invoices) - n
    outcome = await service.run(chosen)
    calls = spent + outcome.calls
    detail = {"counts": dict(outcome.counts), "invoices": len(chosen), "left_for_tomorrow": later,
              "stopped": outcome.stopped.what if outcome.stopped else None}
    message = outcome.summary().replace(f" · {outcome.calls:,} API call", f" · {calls:,} API call")
    if later:
        needed = service.run_cost(costs) - service.run_cost(costs[:n])
        return StepOutcome("transfers", "over_budget",
                           f"{message}; {later:,} more invoices need about {needed:,} calls and do not fit in what "
                           "Exact allows today: they go after the daily reset", calls, detail)
    if outcome.stopped:
        return StepOutcome("transfers", "failed", message, calls, detail)
    return StepOutcome("transfers", "attention" if outcome.needs_attention else "done", message, calls, detail)


def _not_due(step: str, schedule: Any) -> StepOutcome:
    """The outcome of a scheduled step that is switched off or not due yet."""
    if schedule.interval_hours <= 0:
        return StepOutcome(step, "off", f"switched off (exact-tui sync {step} --every HOURS switches it on)")
    last = schedule.last_run
    return StepOutcome(step, "not_due", f"done at {last:%Y-%m-%d %H:%M} UTC; due every {schedule.interval_hours:g} h")


def _fits(step: str, estimate: int, left: int | None, dry_run: bool, what: str) -> StepOutcome | None:
    if dry_run:
        return StepOutcome(step, "planned", f"would {what}: {cost_line(estimate, left)}", estimate)
    if left is not None and estimate > left:
        return StepOutcome(step, "over_budget", f"needs about {estimate} calls but Exact allows {left} more "
                           "today: not started; it runs after the daily reset", estimate)
    return None


async def _payments(session: Any, now: dt.datetime, left: int | None, dry_run: bool) -> StepOutcome:
    from .payments import PaymentsService

    payments = session.store.payments
    if not payments.due(now):
        return _not_due("payments", payments)
    service = PaymentsService(session.store, session.client, events=session.events)
    early = _fits("payments", service.estimate(), left, dry_run, "check payments")
    if early is not None:
        return early
    outcome = await service.sync(now=now)
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(outcome.counts.items())) or "no invoices"
    return StepOutcome("payments", "done", f"{outcome.invoices} transferred invoices ({counts}); "
                       f"{len(outcome.changed)} changed", outcome.calls, outcome.to_json())


async def _products(session: Any, now: dt.datetime, left: int | None, dry_run: bool) -> StepOutcome:
    from .product_sync import estimate, sync_products

    store = session.store
    if not store.item_sync.due(now):
        return _not_due("products", store.item_sync)
    early = _fits("products", estimate(store), left, dry_run, "sync the items changed in Exact")
    if early is not None:
        return early
    report = await sync_products(store, session.client, events=session.events)
    text = report.summary() + "".join(f"\n  {flag.text()}" for flag in report.flags[:10])
    return StepOutcome("products", "attention" if report.flags else "done", text, report.calls, report.to_json())


async def _customers(session: Any, now: dt.datetime, left: int | None, dry_run: bool) -> StepOutcome:
    from .customer_sync import estimate, sync_customers

    store = session.store
    if not store.customer_sync.due(now):
        return _not_due("customers", store.customer_sync)
    early = _fits("customers", estimate(store), left, dry_run, "sync the customers changed on either side")
    if early is not None:
        return early
    report = await sync_customers(store, session.client, events=session.events)
    needs = bool(report.failed or report.proposed)
    return StepOutcome("customers", "attention" if needs else "done", report.summary(), report.calls, report.to_json())
