"""`exact-tui next-number`: propose the next local customer number (continues Exact's series)."""
from __future__ import annotations

import argparse
import json
import sys

from ..domain.text import printable

NAME = "next-number"
HELP = "propose the next customer number, continuing the highest numeric code of Exact and the local side"
ORDER = 62


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the number")


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun, StoreError, reading
    from ..services.numbering import propose_next_number

    try:
        with reading(args.profile, args.data_dir) as store:
            proposal = propose_next_number(store)
    except (CannotRun, StoreError, ValueError) as exc:
        print(printable(f"exact-tui next-number: {exc}"), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"number": proposal.number, "explanation": proposal.explain()}, ensure_ascii=False))
    else:
        print(proposal.number if args.quiet else proposal.explain())
    return 0
