"""`exact-tui link`: step 4 (Link customers) from a script.

    exact-tui link                                   # pull the Exact customers, match, print the tab counts
    exact-tui link --accept one [--use exact|local]  # link every One match, as the Link screen's bulk action
    exact-tui link --accept one --dry-run            # what that would do and cost; changes nothing

The same `LinkingService` as the Link customers screen: the accounts are pulled through `sync/`,
every decision already taken is kept, and `--accept one` runs the screen's "link and use data from
Exact" (`--use exact`, the default: local fields take Exact's, an empty Exact field never wipes a
filled local one; local only) or "link and use local data" (`--use local`: the Exact account is
updated with the local fields, one PUT per account that differs) on the whole One match tab. A row
the service refuses (its local customer already linked, a customer number Exact will not take) is
reported with the reason and left for the screen. Exit 0: all done; 1: some rows refused or failed,
or linked accounts need the user; 2: could not run.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

NAME = "link"
HELP = "match local customers to Exact accounts and print the tabs; --accept one links every One match"
DESCRIPTION = __doc__.split("\n\n")[0]
ORDER = 26


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accept", choices=("one",), help="link every proposal of this tab (one: exactly one candidate)")
    parser.add_argument("--use", choices=("exact", "local"), default="exact",
                        help="whose fields win when linking: exact (local fields take Exact's; default) or local "
                             "(the Exact accounts are updated)")
    parser.add_argument("--dry-run", action="store_true", help="with --accept: say what would happen and what it costs")


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ..services.headless import CannotRun, StoreError

    try:
        return asyncio.run(_run(args))
    except (CannotRun, StoreError, ValueError, RuntimeError) as exc:
        from ..domain.text import printable

        print(f"exact-tui link: {printable(str(exc))}", file=sys.stderr)
        if args.json:
            from .setup import _dump

            _dump({"ok": False, "error": printable(str(exc))})
        return 2


async def _run(args: argparse.Namespace) -> int:
    from ..services.linking import TAB_TITLES, TABS, Action, LinkingService, Tab
    from .setup import _emit, _session

    async with _session(args) as session:
        service = LinkingService.for_session(session)
        await service.pull()
        counts = service.rebuild()
        problems = [{"local_id": p.local_id, "problem": p.text, "fix": p.fix} for p in service.link_problems.values()]
        payload: dict[str, Any] = {"tabs": counts, "linked": service.linked_count, "link_problems": problems}
        lines = [", ".join(f"{counts[t]:,} {TAB_TITLES[t].lower()}" for t in TABS) + f", {service.linked_count:,} linked"]
        lines += [f"• {p['problem']} — {p['fix']}" for p in problems]
        if not args.accept:
            return _emit(args, payload, lines, 1 if problems else 0)
        action = Action.LINK_EXACT if args.use == "exact" else Action.LINK_LOCAL
        plan = service.plan(action, service.tab_rows(Tab.ONE))
        refused = [{"exact_id": r.exact_id, "account": _code(service, r.exact_id), "reason": r.text, "fix": r.fix}
                   for r in plan.refused]
        payload.update(action=action.value, accepted=len(plan.rows), refused=refused, api_calls=plan.api_calls)
        if args.dry_run:
            lines.append(f"{action.label}: {len(plan.rows):,} One matches would be linked, {len(refused):,} refused; "
                         f"{plan.api_calls:,} API calls")
            lines += [f"  account {r['account']}: {r['reason']}" + (f" — {r['fix']}" if r["fix"] else "") for r in refused]
            return _emit(args, payload, lines, 1 if refused else 0)
        rows = {r.id: r for r in plan.rows}
        report = await service.run(plan)
        failed = [{"exact_id": r.exact_id, "account": _code(service, r.exact_id, rows), "reason": r.text, "fix": r.fix}
                  for r in report.failed]
        linked = [{"exact_id": r.exact_id, "account": _code(service, r.exact_id, rows),
                   "local_id": rows[r.exact_id].local_id if r.exact_id in rows else None,
                   "exact_changed": r.exact_changed} for r in report.ok]
        payload.update(linked_now=linked, failed=failed, stopped=report.stopped or None, summary=report.summary(),
                       tabs=service.counts(), linked=service.linked_count)
        lines = [report.summary()] + [f"  account {f['account']}: {f['reason']}" + (f" — {f['fix']}" if f["fix"] else "")
                                      for f in failed]
        return _emit(args, payload, lines, 1 if failed or report.stopped or problems else 0)


def _code(service: Any, exact_id: str, rows: dict[str, Any] | None = None) -> str:
    row = (rows or {}).get(exact_id) or service.rows.get(exact_id)
    account = row.exact if row is not None else service.cache.accounts.get(exact_id)
    return (account.code or account.name) if account is not None else exact_id
