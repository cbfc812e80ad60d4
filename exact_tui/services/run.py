"""`exact-tui run`: one unattended pass of everything that is due, for cron and systemd timers.

One pass per profile at a time: the store's writer lock makes a second `run` (or a console) on
the same profile refuse with who holds it, or wait for it with `--wait`. Profiles share nothing,
so an agency runs one profile per client company side by side (Exact's limits are per company).

Before the work, the pass adds up what each due step will cost in calls and compares it with what
Exact said is left today: a step that does not fit is not started (said so, with the numbers), and
steps run in order of importance, so what fits is the most important work.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .payments import PaymentsService


@dataclass(slots=True)
class StepOutcome:
    step: str
    status: str  # done | not_due | over_budget | failed | planned
    message: str
    calls: int = 0  # calls used (or, for planned / over_budget, the estimate)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_attention(self) -> bool:
        return self.status in ("failed", "over_budget")


@dataclass(slots=True)
class RunReport:
    profile: str
    started_at: dt.datetime
    steps: list[StepOutcome] = field(default_factory=list)
    budget_left_today: int | None = None

    @property
    def exit_code(self) -> int:
        return 1 if any(s.needs_attention for s in self.steps) else 0

    def to_json(self) -> dict[str, Any]:
        return {"profile": self.profile, "started_at": self.started_at.isoformat(), "exit": self.exit_code,
                "budget_left_today": self.budget_left_today, "steps": [asdict(s) for s in self.steps]}


def day_budget_left(session: Any) -> int | None:
    """Calls Exact said are left today for the division (None when it has not said yet)."""
    client = getattr(session, "client", None)
    budget = client.budget if client is not None else None
    if budget is None or budget.day_remaining is None:
        return None
    if budget.day_reset is not None and client is not None and client.clock.time() >= budget.day_reset:
        return budget.day_limit
    return budget.day_remaining


async def run_once(session: Any, *, now: dt.datetime | None = None, dry_run: bool = False) -> RunReport:
    """Every due step, most important first, within today's remaining calls."""
    now = now or dt.datetime.now(dt.timezone.utc)
    report = RunReport(session.profile, now)
    left = day_budget_left(session)
    report.budget_left_today = left
    payments = session.store.payments
    # the steps in order of importance; each: (name, due?, estimated calls, action)
    if not payments.due(now):
        last = payments.last_run
        report.steps.append(StepOutcome("payments", "not_due",
                                        f"checked at {last:%Y-%m-%d %H:%M} UTC; due every {payments.interval_hours:g} h"))
        return report
    service = PaymentsService(session.store, session.client, events=session.events)
    estimate = service.estimate()
    if dry_run:
        report.steps.append(StepOutcome("payments", "planned", f"would check payments: about {estimate} call(s)",
                                        estimate))
        return report
    if left is not None and estimate > left:
        report.steps.append(StepOutcome(
            "payments", "over_budget", f"needs about {estimate} calls but Exact allows {left} more today: "
            "not started; it runs after the daily reset", estimate))
        return report
    try:
        outcome = await service.sync(now=now)
    except Exception as exc:  # noqa: BLE001 - reported as this step's outcome, the pass goes on
        from .problems import explain

        problem = explain(exc)
        report.steps.append(StepOutcome("payments", "failed", f"{problem.what}: {problem.todo}",
                                        detail={"error": str(exc)}))
        return report
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(outcome.counts.items())) or "no invoices"
    report.steps.append(StepOutcome("payments", "done", f"{outcome.invoices} transferred invoices ({counts}); "
                                    f"{len(outcome.changed)} changed", outcome.calls, outcome.to_json()))
    return report
