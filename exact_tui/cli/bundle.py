"""`exact-tui bundle`: one redacted zip for support (settings, log, transfers, doctor, versions)."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

NAME = "bundle"
HELP = "write a support bundle: settings, recent log, transfer journal, doctor report, versions — secrets and personal data redacted"
ORDER = 72


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="the zip to write (default: exact-tui-bundle-PROFILE-TIME.zip here)")


async def _run(args: argparse.Namespace):
    from ..services.bundle import make_bundle
    from ..services.headless import reading_session

    async with reading_session(args.profile, args.data_dir) as session:
        return await make_bundle(session, args.out)


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun, StoreError

    print("bundle: collecting settings, log, transfers; running the doctor …", file=sys.stderr)
    try:
        result = asyncio.run(_run(args))
    except (CannotRun, StoreError, OSError) as exc:
        print(f"exact-tui bundle: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"path": str(result.path), "log_lines": result.log_lines, "transfers": result.transfers,
                          "doctor": result.doctor_status}, ensure_ascii=False, indent=2))
        return 0
    print(f"{result.path}  ({result.log_lines} log lines, {result.transfers} transfer records, doctor: "
          f"{result.doctor_status}; secrets and personal data redacted)")
    return 0
