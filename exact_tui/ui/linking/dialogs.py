"""What the Link screen's dialogs say: the bulk confirmation, a row's candidates, linked-account problems.

The dialogs themselves are the console's one confirm modal and one picker (`ui/screens`); this
module only words their content from the service's plan, rows and problems.
"""
from __future__ import annotations

from typing import Any

from ...domain.wording import count
from rich.markup import escape

from ...services.linking import LinkDiff, LinkingService, LinkProblem, Plan, ProblemKind, Row, plan_cost


def confirm_text(plan: Plan, client: Any) -> str:
    """'2 accounts will be linked; 2 Exact accounts change … This costs 2 API calls.' (Rich markup)."""
    budget = getattr(client, "budget", None)
    cost = plan_cost(plan, budget)
    calls = cost.calls
    lines = [f"{count(len(plan.rows), 'account')} will be linked; "
             f"[b]{count(plan.accounts_changing, 'Exact account')} change[/] "
             f"(local fields that differ; empty local fields are not sent, the code never is).",
             f"This costs [b]{count(calls, 'API call')}[/]."]
    if budget is not None and getattr(budget, "known", False):
        now = client.clock.time()
        lines.append(f"Budget now: {budget.describe(now)}.")
        if cost.over_day:
            lines.append(f"[b $error]Only {cost.day_remaining:,} calls are left today: the rest will wait "
                         f"for tomorrow's quota or fail; consider a smaller selection.[/]")
        if cost.minutes > 1:
            lines.append(f"At {cost.minute_limit} calls a minute this takes about {cost.minutes} minutes; "
                         "Esc cancels after the current account.")
    if plan.refused:
        lines.append(f"{count(len(plan.refused), 'selected row')} {'is' if len(plan.refused) == 1 else 'are'} refused "
                     "and stay selected with the reason.")
    lines.append("Exact-side changes cannot be undone here; each one is listed in the log.")
    return "\n".join(lines)


SHOWN_ACCOUNTS = 50  # accounts written out in the confirmation; `v` lists every one


def diff_text(diff: LinkDiff, *, shown: int = SHOWN_ACCOUNTS) -> str:
    """Per field how many accounts change, the VAT / KvK conflicts, then the first accounts field by
    field, old → new (Rich markup; values escaped: they are the customers' data)."""
    if not diff.accounts:
        return f"No {diff.side} field changes: the data already agree."
    where = "in Exact" if diff.side == "Exact" else "locally"
    lines = [f"[b]What changes {where}[/] ({count(len(diff.accounts), 'account')}; "
             f"{count(diff.unchanged, 'account')} already equal):"]
    width = max(len(label) for label, _ in diff.by_field())
    lines += [f"  {label:<{width}}  {count(n, 'account')}" for label, n in diff.by_field()]
    conflicts = diff.warnings
    if conflicts:
        lines.append(f"[b $warning]⚠ {count(len(conflicts), 'account')} with a different VAT or Chamber of "
                     "Commerce number: check each is the same company (listed first).[/]")
    ordered = sorted(diff.accounts, key=lambda a: not a.warning)
    for account in ordered[:shown]:
        lines.append("")
        lines.append(f"[b]{escape(account.title)}[/]")
        if account.warning:
            lines.append(f"  [$warning]⚠ {escape(account.warning)}[/]")
        lines += [f"  {escape(c.label)}: {escape(repr(c.old))} → {escape(repr(c.new))}" for c in account.changes]
    if len(ordered) > shown:
        lines.append(f"\n… and {count(len(ordered) - shown, 'more account')}: v lists every account.")
    return "\n".join(lines)


def diff_choices(diff: LinkDiff) -> list[tuple[str, str, str]]:
    """Every changing account for the picker (type to filter by code or name): the fields, old → new."""
    out = []
    for account in sorted(diff.accounts, key=lambda a: not a.warning):
        detail = "\n  ".join([*(f"⚠ {account.warning}" for _ in [0] if account.warning),
                              *(f"{c.label}: {c.old!r} → {c.new!r}" for c in account.changes)])
        fields = ", ".join(c.label for c in account.changes)
        out.append((account.exact_id, f"{'⚠ ' if account.warning else ''}{account.title} · {fields}", detail))
    return out


def candidate_choices(service: LinkingService, row: Row) -> list[tuple[str, str, str]]:
    """A row's candidates for the picker, best first: score, number, name, city — and why."""
    out = []
    for index, cand in enumerate(row.candidates):
        customer = service.customer(cand.local_id)
        label = f"{cand.score:5.1f}  {getattr(customer, 'number', '')} {getattr(customer, 'name', cand.local_id)}"
        if customer is not None and customer.city:
            label += f" · {customer.city}"
        out.append((str(index), label, "; ".join(cand.reasons[:3])))
    return out


def problem_choices(problems: list[LinkProblem]) -> list[tuple[str, str, str]]:
    """Linked-account problems for the picker: what happened, what to do, what Enter does."""
    out = []
    for problem in problems:
        mark = "✗ deleted" if problem.kind is ProblemKind.DELETED else "≠ code"
        out.append((problem.local_id, f"{mark} {problem.text}", f"{problem.fix}\n  Enter: {problem.fix_label}"))
    return out
