"""`exact-tui bundle`: one redacted zip for support (settings, log, transfers, doctor, versions)."""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

NAME = "bundle"
HELP = "write a support bundle: settings, recent log, transfer journal, doctor report, versions — secrets and personal data redacted"
ORDER = 72


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="the zip to write (default: exact-tui-bundle-PROFILE-TIME.zip here)")


async def _run(args: argparse.Namespace):
    from ..paths import profile_dir
    from ..services.bundle import make_bundle
    from ..services.session import ConsoleSession
    from ..store import ProfileStore

    folder = profile_dir(args.profile, args.data_dir)
    session = ConsoleSession(args.profile, folder, ProfileStore.open(folder, readonly=True), keep_log=False)
    try:
        return await make_bundle(session, args.out)
    finally:
        await session.aclose()


def run(args: argparse.Namespace) -> int:
    from ..store import StoreError

    print("bundle: collecting settings, log, transfers; running the doctor …", file=sys.stderr)
    try:
        result = asyncio.run(_run(args))
    except (StoreError, OSError) as exc:
        print(f"exact-tui bundle: {exc}", file=sys.stderr)
        return 2
    print(f"{result.path}  ({result.log_lines} log lines, {result.transfers} transfer records, doctor: "
          f"{result.doctor_status}; secrets and personal data redacted)")
    return 0
