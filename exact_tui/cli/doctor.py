"""`exact-tui doctor`: check a profile's integration end to end; each check ok / warning / failing with the fix."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

NAME = "doctor"
HELP = "check connection, user, division, journal, items, VAT, payment condition, periods, links and API budget"
DESCRIPTION = (HELP + ". Read-only. Exit 0 when all is well, 1 with warnings, 2 when a check fails "
               "(or the profile cannot be read).")
ORDER = 71


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="the report as one JSON object on stdout")


async def _run(profile: str, data_dir: str | None, progress):
    from ..paths import profile_dir
    from ..services.doctor import run_doctor
    from ..services.session import ConsoleSession
    from ..store import ProfileStore

    folder = profile_dir(profile, data_dir)
    store = ProfileStore.open(folder, readonly=True)
    session = ConsoleSession(profile, folder, store, keep_log=False)
    try:
        return await run_doctor(session, on_check=progress)
    finally:
        await session.aclose()


def run(args: argparse.Namespace) -> int:
    from ..store import StoreError

    def progress(check) -> None:
        print(f"doctor: {check.title}: {check.status}", file=sys.stderr)

    try:
        report = asyncio.run(_run(args.profile, args.data_dir, progress if args.json else None))
    except (StoreError, OSError, ValueError) as exc:
        print(f"exact-tui doctor: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"exact-tui doctor — profile {report.profile}: {report.status}"
              + (f" ({report.calls} API calls)" if report.calls else ""))
        from ..domain.text import printable

        for line in report.lines():
            print(printable(line))
    return report.exit_code
