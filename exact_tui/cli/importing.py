"""`exact-tui import KIND FILE`: bring the local side's data into the profile."""
from __future__ import annotations

import argparse
import json
import sys

NAME = "import"
PROFILE = "create"  # the first import may start a profile
HELP = "import local customers, contacts, invoices, products or dimensions from CSV or JSON"
DESCRIPTION = (
    "Import one data type of the local side from a CSV (UTF-8, with or without BOM; ',' ';' or tab "
    "separated; Excel's quirks handled) or JSON file (a list of objects). Columns are matched by field name "
    "and by common Dutch and English headers; override with --map. Invalid rows are listed with their line "
    "and field and left out; the valid rows are saved in one atomic write. Re-importing updates records "
    "by id (added / changed / unchanged) and never deletes."
)
ORDER = 60
KIND_CHOICES = ("customers", "contacts", "invoices", "products", "dimensions")
MAX_LISTED = 200


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KIND_CHOICES, help="what the file holds")
    parser.add_argument("file", help="the CSV or JSON file")
    parser.add_argument("--format", choices=("csv", "json"), default=None, help="default: from the file name")
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                        help="read COLUMN as FIELD (repeatable); COLUMN= ignores a column")
    parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    parser.add_argument("--strict-numbers", action="store_true",
                        help="refuse customers whose number Exact will not take (not 1-9 digits, or another "
                             "customer's); default: import them with a warning")
    parser.add_argument("--replace-lines", action="store_true",
                        help="let invoices in the file replace stored invoices' lines even where that removes lines "
                             "(refused by default: a file without line columns would empty every invoice)")
    parser.add_argument("--all-problems", action="store_true", help=f"list every problem (default: first {MAX_LISTED})")


def run(args: argparse.Namespace) -> int:
    from ..domain.text import printable
    from ..services.headless import CannotRun
    from ..services.local_import import import_into_profile

    try:
        result = import_into_profile(args.profile, args.data_dir, args.kind, args.file, fmt=args.format,
                                     columns=args.map, dry_run=args.dry_run, strict_numbers=args.strict_numbers,
                                     replace_lines=args.replace_lines)
    except CannotRun as exc:
        print(printable(f"exact-tui import: {exc}"), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return 1 if result.problems else 0
    # Every line holds text from the file (record ids, cells): shown literally, never as terminal commands.
    def say(text: str) -> None:
        print(printable(text))

    say(f"{args.file}: {result.source}")
    for line in result.mapping:
        say(f"  column {line}")
    for warning in result.warnings:
        say(f"warning: {warning}")
    notices = result.notices if args.all_problems else result.notices[:MAX_LISTED]
    for notice in notices:
        say(f"warning: {notice}")
    if len(notices) < len(result.notices):
        print(f"… and {len(result.notices) - len(notices)} more warnings (--all-problems lists them)")
    listed = result.problems if args.all_problems else result.problems[:MAX_LISTED]
    for problem in listed:
        say(f"invalid: {problem}")
    if len(listed) < len(result.problems):
        print(f"… and {len(result.problems) - len(listed)} more problems (--all-problems lists them)")
    print(result.summary)
    return 1 if result.problems else 0
