"""`exact-tui transfer`: transfer booked invoices and credit notes to Exact from a script or cron.

    exact-tui transfer --all                       # every invoice not yet transferred
    exact-tui transfer 2600012 2600013 --json      # these two
    exact-tui transfer --all --dry-run             # the pre-flight and the API cost; nothing is sent
    exact-tui transfer --undo 2600012              # delete the booking in Exact where Exact allows it

Progress goes to stderr, `--json` to stdout. Exit 0: all done; 1: some blocked, refused, partial or
unknown (or the run stopped); 2: could not run (not connected, no such invoice, profile locked).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

NAME = "transfer"
HELP = "transfer booked invoices and credit notes to Exact (--all, numbers, filters; --dry-run; --undo)"
DESCRIPTION = __doc__.split("\n\n")[0] + (
    " Uses the profile's connection (exact-tui connect, with --keep-secret) and the set-up of steps 2–7.")
ORDER = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("numbers", nargs="*", metavar="NUMBER", help="local invoice numbers")
    parser.add_argument("--all", action="store_true", help="every invoice not yet transferred (ignored ones left out)")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="only invoices dated on or after DATE")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="only invoices dated on or before DATE")
    parser.add_argument("--customer", metavar="ID", help="only this local customer (id or number)")
    parser.add_argument("--kind", choices=("invoice", "credit_note"), help="only invoices or only credit notes")
    parser.add_argument("--retry-failed", action="store_true", help="also send refused, partial and blocked ones again")
    parser.add_argument("--dry-run", action="store_true", help="print the pre-flight and the API cost; send nothing")
    parser.add_argument("--undo", action="store_true", help="undo the export of the NUMBERs (delete them in Exact)")
    parser.add_argument("--ignore", action="store_true", help="ignore the NUMBERs: left out until --unignore")
    parser.add_argument("--unignore", action="store_true", help="take ignored NUMBERs back")


def _date(text: str | None, flag: str):
    if not text:
        return None
    from ..localdata.values import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValueError(f"{flag} {text!r}: {exc}") from None


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ..services.headless import CannotRun, StoreError

    if not (args.all or args.numbers or args.retry_failed or args.date_from or args.date_to or args.customer
            or args.kind):
        _err("exact-tui transfer: say which invoices: --all, invoice NUMBERs, or a filter (--from, --customer, …)")
        return 2
    if (args.undo or args.ignore or args.unignore) and not args.numbers:
        _err("exact-tui transfer: --undo, --ignore and --unignore need invoice NUMBERs")
        return 2
    try:
        return asyncio.run(_run(args))
    except (CannotRun, StoreError, LookupError, ValueError) as exc:
        _err(f"exact-tui transfer: {exc}")
        return 2


async def _run(args: argparse.Namespace) -> int:
    from ..services import connection
    from ..services.headless import open_session
    from ..services.problems import explain
    from ..services.transfer import TransferService

    session = open_session(args.profile, args.data_dir)
    unsubscribe = session.events.subscribe(_progress_printer(args))
    try:
        service = TransferService.for_session(session)
        if args.ignore or args.unignore:
            invoices = service.select(args.numbers)
            count = service.ignore(invoices, on=args.ignore)
            return _emit(args, {"ignored" if args.ignore else "unignored": count,
                                "invoices": [i.number for i in invoices]}, 0)
        offline = ""
        try:
            report = await connection.resume(session)
            if report is None:
                offline = "not connected: run `exact-tui connect --keep-secret` for this profile first"
        except Exception as exc:  # noqa: BLE001 - explained below
            offline = explain(exc).what
        if offline and not args.dry_run:
            _err(f"exact-tui transfer: {offline}")
            return 2
        service.client = session.client
        await service.start()
        invoices = service.select(args.numbers, all=args.all or not args.numbers, date_from=_date(args.date_from, "--from"),
                                  date_to=_date(args.date_to, "--to"), customer=args.customer or "",
                                  kind=args.kind or "", retry_failed=args.retry_failed)
        if args.undo:
            from ..services.transfer import undo

            results = await undo(service, invoices)
            rows = [{"number": r.invoice.number, "undone": r.undone, "message": r.message, "todo": r.todo}
                    for r in results]
            if not args.json:
                for r in results:
                    print(f"{r.invoice.number}: {'undone' if r.undone else 'kept'} — {r.message}"
                          + (f" ({r.todo})" if r.todo and not r.undone else ""))
            return _emit(args, rows, 0 if all(r.undone for r in results) else 1)
        if args.dry_run:
            return _dry_run(args, service, invoices, offline)
        outcome = await service.run(invoices)
        rows = [_row(r.invoice, service) for r in _last(outcome.results)]
        if not args.json:
            for row in rows:
                if row["status"] != "transferred":
                    print(f"{row['number']}: {row['status']} — {row['message']}")
            print(outcome.summary())
        return _emit(args, {"summary": outcome.summary(), "counts": dict(outcome.counts), "calls": outcome.calls,
                            "stopped": outcome.stopped.what if outcome.stopped else None, "invoices": rows},
                     1 if outcome.needs_attention else 0)
    finally:
        unsubscribe()
        await session.aclose()


def _last(results: list[Any]) -> list[Any]:
    """One result per invoice: the last (a lost answer is settled later in the same run)."""
    out: dict[str, Any] = {}
    for result in results:
        out[result.invoice.id] = result
    return list(out.values())


def _row(invoice: Any, service: Any) -> dict[str, Any]:
    state = service.states.get(invoice)
    return {"number": invoice.number, "kind": str(invoice.kind), "status": str(state.status),
            "exact_number": state.exact_number, "exact_id": state.exact_id, "message": state.message,
            "todo": state.todo}


def _dry_run(args: argparse.Namespace, service: Any, invoices: list[Any], offline: str) -> int:
    checks, calls = service.dry_run(invoices)
    ready = [c for c in checks if c.ok]
    rows = [{"number": c.invoice.number, "kind": str(c.invoice.kind), "ready": c.ok,
             "customer": c.customer.how if c.customer else "",
             "problems": [{"what": p.what, "why": p.cause, "side": str(p.side), "todo": p.todo} for p in c.problems]}
            for c in checks]
    from ..services.budget import cost_line, day_left

    # a run reads Exact's reference data and the changed accounts first (this process's copy is not kept)
    calls += service.preparation_cost() if service.client is not None else 0
    left = day_left(service)
    summary = (f"{len(ready):,} of {len(checks):,} invoices ready, {len(checks) - len(ready):,} blocked; "
               f"transferring costs {cost_line(calls, left)}"
               + (f"; checked offline only ({offline}): Exact's journal, periods, VAT codes and items not compared"
                  if offline else ""))
    if not args.json:
        for c in checks:
            for p in c.problems:
                print(f"{c.invoice.number}: {p.what}\n    why: {p.cause}\n    side: {p.side_label}\n    do: {p.todo}")
        print(summary)
    return _emit(args, {"summary": summary, "calls": calls, "left_today": left, "ready": len(ready),
                        "blocked": len(checks) - len(ready),
                        "invoices": rows}, 0 if len(ready) == len(checks) else 1)


def _emit(args: argparse.Namespace, payload: Any, code: int) -> int:
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    return code


def _progress_printer(args: argparse.Namespace):
    """The transfer's events on stderr: text lines, or with --json one JSON object per line."""
    from ..services.headless import progress_printer

    def keep(event: Any) -> bool:
        return event.topic == "transfer" or (event.topic == "connection" and event.level != "info")
    return progress_printer(sys.stderr, as_json=args.json, keep=keep)
