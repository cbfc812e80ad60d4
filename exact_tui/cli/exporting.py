"""`exact-tui export KIND FILE`: write the profile's data back out (CSV or JSON)."""
from __future__ import annotations

import argparse
import json
import sys

NAME = "export"
HELP = "export customers, contacts, invoices, links, … to CSV or JSON"
DESCRIPTION = (
    "Write one data type of the profile to a CSV (UTF-8 with BOM, comma-separated, cells that a spreadsheet "
    "would run as a formula escaped with a leading ') or JSON file. Customers, contacts, invoices, products "
    "and dimensions are written in the columns `exact-tui import` reads. Works while a console has the "
    "profile open (read-only)."
)
ORDER = 61
KIND_CHOICES = ("customers", "contacts", "invoices", "products", "dimensions", "links", "ignored",
                "exact_accounts", "transfers", "log")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KIND_CHOICES, help="what to export")
    parser.add_argument("file", help="the file to write (- for standard output, CSV)")
    parser.add_argument("--format", choices=("csv", "json"), default=None, help="default: from the file name")


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun, StoreError, reading
    from ..services.local_import import export_file

    if args.json and args.file == "-":
        print("exact-tui export: --json describes the file written; with - the data itself is on stdout "
              "(use --format json for JSON data)", file=sys.stderr)
        return 2
    try:
        with reading(args.profile, args.data_dir) as store:
            return _export(args, store, export_file)
    except (CannotRun, StoreError, OSError, ValueError) as exc:
        print(f"exact-tui export: {exc}", file=sys.stderr)
        return 2


def _export(args: argparse.Namespace, store, export_file) -> int:
    if args.file == "-":
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / ("out." + (args.format or "csv"))
            export_file(store, args.kind, target, fmt=args.format)
            sys.stdout.write(target.read_text(encoding="utf-8-sig"))
        return 0
    count = export_file(store, args.kind, args.file, fmt=args.format)
    if args.json:
        print(json.dumps({"kind": args.kind, "rows": count, "file": str(args.file)}))
    else:
        print(f"wrote {count} {args.kind} rows to {args.file}")
    return 0
