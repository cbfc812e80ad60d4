"""`exact-tui diagnose`: explain an Exact error text — kind, field, side, cause, remedy, catalogue rows."""
from __future__ import annotations

import argparse
import json
import sys

NAME = "diagnose"
PROFILE = "none"  # explains a text; no profile involved
HELP = "explain an Exact Online error message (any language or wrapper): what, why, who must act, what to do"
DESCRIPTION = (HELP + ". Paste the message as it appeared (JSON envelope, `Error 500: …`, several lines, an "
               "OAuth answer, an HTML page): `exact-tui diagnose 'Verplicht: Betalingsconditie'`, or `-` to read stdin.")
ORDER = 70


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message", nargs="+", help="Exact's message (quote it), or - to read it from stdin")
    parser.add_argument("--status", type=int, default=None, help="the HTTP status it came with, when known")


def run(args: argparse.Namespace) -> int:
    from ..diagnose import diagnose
    from ..domain.text import printable

    text = sys.stdin.read() if args.message == ["-"] else " ".join(args.message)
    if not text.strip():
        print("exact-tui diagnose: no message given (pass it as an argument, or - and pipe it in)", file=sys.stderr)
        return 2
    d = diagnose(text, status=args.status)
    if args.json:
        print(json.dumps(d.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(printable(d.summary))  # Exact's words may carry control characters: shown escaped
    print(f"  cause:     {printable(d.cause)}")
    print(f"  what to do: {printable(d.remedy)}")
    print(f"  side:      {d.side}  ·  kind: {d.kind}" + (f"  ·  field: {d.field}" if d.field else ""))
    if d.catalogue:
        print(f"  catalogue: {', '.join(f'#{r}' for r in d.catalogue)} (shared/exact-error-catalogue.md)")
    for i, part in enumerate(d.parts, 1):
        print(f"  [{i}] {printable(part.message)}: {part.kind} · {printable(part.field) or '-'} · {part.side}")
    return 0
