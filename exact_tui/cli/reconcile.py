"""`exact-tui reconcile`: do Exact and the local side agree on every transferred invoice?

Exit 0 both sides agree, 1 drift (each item names the local invoice and a fix), 2 could not run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

NAME = "reconcile"
HELP = "compare every transferred invoice with Exact (presence, number, currency, customer, doubles, gaps)"
ORDER = 46


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options of its own: `--json` (the outcome and the drift items) is global."""


async def _reconcile(args: argparse.Namespace):
    from ..services.headless import connected, progress_printer
    from ..services.reconcile import reconcile

    async with connected(args.profile, args.data_dir, progress=progress_printer(sys.stderr, as_json=args.json)) as session:
        return await reconcile(session.store, session.client)


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun
    from ..services.problems import explain

    try:
        report = asyncio.run(_reconcile(args))
    except CannotRun as exc:
        print(f"exact-tui reconcile: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - Exact's or the network's failure, explained
        print("exact-tui reconcile: " + "\n  ".join(explain(exc).lines()), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    elif report.agree:
        print(f"both sides agree on {report.checked} transferred invoices ({report.calls} calls)")
    else:
        print(f"{len(report.items)} difference(s) in {report.checked} transferred invoices ({report.calls} calls):")
        for item in report.items:
            print(f"  {item.number}  {item.kind}: {item.what}\n      fix: {item.fix}")
    return 0 if report.agree else 1
