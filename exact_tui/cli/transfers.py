"""`exact-tui transfers`: every local invoice with its transfer status and Exact numbers.

Read-only: works while a console or a transfer has the profile open. `--json` gives a list of
objects with `number`, `kind`, `date`, `customer`, `amount`, `currency`, `status` (blocked, pending,
transferred, refused, partial, unknown, ignored), `exact_number`, `exact_id`, `message`, `edited`,
and the payment state from the last `exact-tui sync payments`: `payment` (open, partly_paid, paid,
credited or null), `paid_on`, `amount_open`.
"""
from __future__ import annotations

import argparse
import json
import sys

NAME = "transfers"
HELP = "list invoices with their transfer status and Exact numbers (--status, --json)"
ORDER = 31
STATUSES = ("blocked", "pending", "transferred", "refused", "partial", "unknown", "ignored")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=STATUSES, action="append", help="only these statuses (repeatable)")


def run(args: argparse.Namespace) -> int:
    from ..services.headless import CannotRun, StoreError, reading
    from ..services.payments import describe, payment_fields
    from ..services.transfer import TransferService

    try:
        with reading(args.profile, args.data_dir) as store:
            rows = TransferService(store).rows()
            payments = {r.invoice.id: store.payments.get(r.invoice.id) for r in rows}
    except (CannotRun, StoreError) as exc:
        print(f"exact-tui transfers: {exc}", file=sys.stderr)
        return 2
    if args.status:
        rows = [r for r in rows if str(r.status) in args.status]
    objects = [{"number": r.invoice.number, "kind": str(r.invoice.kind), "date": r.invoice.date.isoformat(),
                "customer": r.customer, "amount": str(r.invoice.total), "currency": r.invoice.currency,
                "status": str(r.status), "exact_number": r.exact_number, "exact_id": r.exact_id,
                "message": r.message, "edited": r.edited,
                **payment_fields(payments.get(r.invoice.id))} for r in rows]
    if args.json:
        json.dump(objects, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    from collections import Counter

    counts = Counter(str(r.status) for r in rows)
    print(f"{'status':<12} {'number':<12} {'date':<10} {'customer':<28} {'amount':>12} {'cur':<3} {'Exact':<10} message")
    for r, o in zip(rows, objects):
        paid = describe(payments.get(r.invoice.id))
        print(f"{o['status']:<12} {o['number'][:12]:<12} {o['date']:<10} {o['customer'][:28]:<28} "
              f"{o['amount']:>12} {o['currency']:<3} {o['exact_number'][:10]:<10} "
              f"{('✎ ' if o['edited'] else '') + o['message']}{'  · ' + paid if paid else ''}")
    print(", ".join(f"{counts[s]:,} {s}" for s in STATUSES if counts.get(s)) or "no invoices", file=sys.stderr)
    return 0
