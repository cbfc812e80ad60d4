"""`exact-tui run`: one pass of everything due on a profile (cron / systemd timer friendly).

Exit 0 all fine, 1 something needs attention (a step failed or did not fit today's calls), 2 could
not run (profile busy, not connected). A second `run` on a busy profile says who holds it and exits
2 at once, or waits up to `--wait` seconds for it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from ..services.run import STEPS

NAME = "run"
HELP = "one unattended pass of everything due (transfers, payments, products, customers), for cron and systemd timers"
ORDER = 45


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="say what is due and what it costs; send nothing")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="when another process has the profile, wait up to this long (default: exit at once)")
    parser.add_argument("--skip", action="append", default=[], choices=STEPS, metavar="STEP",
                        help="leave a step out of this pass: " + ", ".join(STEPS) + " (repeatable)")


async def _run(args: argparse.Namespace):
    from ..services.headless import connected, progress_printer
    from ..services.run import run_once

    async with connected(args.profile, args.data_dir, progress=progress_printer(sys.stderr, as_json=args.json),
                         need_exact=not args.dry_run) as session:
        return await run_once(session, dry_run=args.dry_run, skip=args.skip)


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun, ProfileLocked

    deadline = time.monotonic() + max(0.0, args.wait)
    while True:
        try:
            report = asyncio.run(_run(args))
            break
        except CannotRun as exc:
            locked = "open for writing" in str(exc)
            if locked and time.monotonic() < deadline:
                time.sleep(1.0)
                continue
            print(f"exact-tui run: {exc}" + (" (another run or console is busy with it: nothing done)"
                                             if locked else ""), file=sys.stderr)
            return 2
        except ProfileLocked as exc:  # pragma: no cover - CannotRun carries it
            print(f"exact-tui run: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2, default=str))
    else:
        if report.budget_left_today is not None:
            print(f"API calls left today: {report.budget_left_today:,}")
        for step in report.steps:
            print(f"{step.step}: {step.status.replace('_', ' ')} — {step.message}")
    return report.exit_code
