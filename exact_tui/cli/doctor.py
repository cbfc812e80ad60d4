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
    """No options of its own: `--json` (the report as one JSON object on stdout) is global."""


async def _run(profile: str, data_dir: str | None, progress):
    from ..services.doctor import run_doctor
    from ..services.headless import reading_session

    async with reading_session(profile, data_dir) as session:
        return await run_doctor(session, on_check=progress)


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun, StoreError

    def progress(check) -> None:
        line = json.dumps({"check": check.title, "status": str(check.status)}) if args.json \
            else f"doctor: {check.title}: {check.status}"
        print(line, file=sys.stderr)

    try:
        report = asyncio.run(_run(args.profile, args.data_dir, progress if args.json else None))
    except (CannotRun, StoreError, OSError, ValueError) as exc:
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
