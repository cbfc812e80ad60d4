"""`exact-tui sync payments|products|customers`: one flow now, headless (progress on stderr, `--json` on stdout).

Exit 0 done, 1 something needs attention (an item in use that Exact will refuse, new Exact customers
to link, an account Exact would not update), 2 could not run
(not connected, profile busy, Exact unreachable).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

NAME = "sync"
HELP = "bring Exact's side back now: payments of transferred invoices, product numbers (items), customers"
ORDER = 44
FLOWS = ("payments", "products", "customers")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("flow", choices=FLOWS, help="what to bring back from Exact")
    parser.add_argument("--invoice", metavar="NUMBER", help="payments: only this invoice, in one call")
    parser.add_argument("--every", metavar="HOURS", type=float,
                        help="after how many hours `exact-tui run` does this flow again (payments 4, products and customers "
                             "24 by default; 0 switches products or customers off); saved in the profile")


async def _payments(args: argparse.Namespace) -> tuple[int, dict]:
    from ..services.headless import connected, progress_printer
    from ..services.payments import PaymentsService, payment_fields

    async with connected(args.profile, args.data_dir, progress=progress_printer(sys.stderr, as_json=args.json)) as session:
        if args.every is not None:
            session.store.payments.set_interval(args.every)
        service = PaymentsService(session.store, session.client, events=session.events)
        if args.invoice:
            state = await service.check(args.invoice)
            return 0, {"flow": "payments", "invoice": args.invoice, "calls": 1, **payment_fields(state)}
        report = await service.sync()
        return 0, {"flow": "payments", **report.to_json(),
                   "every_hours": session.store.payments.interval_hours}


async def _products(args: argparse.Namespace) -> tuple[int, dict]:
    from ..services.headless import connected, progress_printer
    from ..services.product_sync import sync_products

    async with connected(args.profile, args.data_dir, progress=progress_printer(sys.stderr, as_json=args.json)) as session:
        if args.every is not None:
            session.store.item_sync.set_interval(args.every)
        report = await sync_products(session.store, session.client, events=session.events)
        return (1 if report.flags else 0), {"flow": "products", **report.to_json(),
                                            "every_hours": session.store.item_sync.interval_hours}


async def _customers(args: argparse.Namespace) -> tuple[int, dict]:
    from ..services.customer_sync import sync_customers
    from ..services.headless import connected, progress_printer

    async with connected(args.profile, args.data_dir, progress=progress_printer(sys.stderr, as_json=args.json)) as session:
        if args.every is not None:
            session.store.customer_sync.set_interval(args.every)
        report = await sync_customers(session.store, session.client, events=session.events)
        return (1 if report.failed or report.proposed else 0), {"flow": "customers", **report.to_json(),
                                                                 "every_hours": session.store.customer_sync.interval_hours}


FLOW_RUNNERS = {"payments": _payments, "products": _products, "customers": _customers}


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun
    from ..services.problems import explain

    try:
        code, outcome = asyncio.run(FLOW_RUNNERS[args.flow](args))
    except CannotRun as exc:
        print(f"exact-tui sync {args.flow}: {exc}", file=sys.stderr)
        return 2
    except LookupError as exc:
        print(f"exact-tui sync {args.flow}: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"exact-tui sync {args.flow}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - Exact's or the network's failure, explained
        problem = explain(exc)
        print(f"exact-tui sync {args.flow}: " + "\n  ".join(problem.lines()), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(outcome, indent=2, default=str))
    else:
        if args.flow == "products":
            print(f"products: {len(outcome['added'])} new, {len(outcome['changed'])} changed, "
                  f"{len(outcome['gone'])} gone in Exact; {outcome['calls']} call(s)")
            for flag in outcome["flags"]:
                print(f"item {flag['code']} ({', '.join(flag['used_by'])}): {flag['problem']}\n    do: {flag['todo']}")
        elif args.flow == "customers":
            print(f"customers: {outcome['pulled']} changed in Exact; {len(outcome['local_updated'])} local updated, "
                  f"{len(outcome['exact_updated'])} Exact updated; {outcome['calls']} call(s)")
            for line in outcome["failed"]:
                print(f"not updated: {line}")
            if outcome["proposed"]:
                print(f"{len(outcome['proposed'])} new Exact customers to {outcome['how_proposed']} in Link customers "
                      "(F3): " + ", ".join(f"{p['code']} {p['name']}".strip() for p in outcome["proposed"][:10])
                      + (" …" if len(outcome["proposed"]) > 10 else ""))
        elif "invoice" in outcome:
            print(f"invoice {outcome['invoice']}: {outcome['payment']}"
                  + (f", {outcome['amount_open']} open" if outcome.get("payment") == "partly_paid" else "")
                  + (f", paid on {outcome['paid_on']}" if outcome.get("payment") == "paid" and outcome['paid_on'] else ""))
        else:
            counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(outcome["counts"].items())) or "none"
            print(f"payments: {outcome['invoices']} transferred invoices ({counts}); {len(outcome['changed'])} changed; "
                  f"{outcome['calls']} call(s)")
    return code
