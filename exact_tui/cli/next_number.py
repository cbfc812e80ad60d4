"""`exact-tui next-number`: propose the next local customer number (continues Exact's series)."""
from __future__ import annotations

import argparse
import sys

from ..domain.text import printable

NAME = "next-number"
HELP = "propose the next customer number, continuing the highest numeric code of Exact and the local side"
ORDER = 62


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the number")


def run(args: argparse.Namespace) -> int:
    from ..paths import profile_dir
    from ..services.numbering import propose_next_number
    from ..store import ProfileStore, StoreError

    try:
        with ProfileStore.open(profile_dir(args.profile, args.data_dir), readonly=True) as store:
            proposal = propose_next_number(store)
    except (StoreError, ValueError) as exc:
        print(printable(f"exact-tui next-number: {exc}"), file=sys.stderr)
        return 2
    print(proposal.number if args.quiet else proposal.explain())
    return 0
