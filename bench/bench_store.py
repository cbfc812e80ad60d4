"""Store at scale: 50,000 customers with contacts, 100,000 invoices, 50,000 links.

Prints: time to write each table once, time to open the profile and load every table, the time a
single change takes per table (what one click in the console costs; big tables are sharded, so
this rewrites one shard), and the file sizes. Also compares compact and default JSON separators
on the invoice table.

    python bench/bench_store.py [--customers 50000] [--invoices 100000]
    python bench/bench_store.py --per-record      # one saved record at 100 and at 100,000 records

The machine is shared: figures are noisy; run twice and take the lower.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.invoice import Invoice, InvoiceKind, InvoiceLine
from exact_tui.domain.link import DataSource, Link
from exact_tui.domain.products import DataType, DimensionKind
from exact_tui.domain.transfer import TransferRecord
from exact_tui.store import ProfileStore
from exact_tui.services.local_import import export_file, import_file
from exact_tui.store import codec


def make(n_customers: int, n_invoices: int, seed: int = 1):
    rng = random.Random(seed)
    customers = [LocalCustomer(f"L{i}", f"Customer {i} B.V.", str(10000 + i), f"Straat {i}", "3511 AB", "Utrecht",
                               "NL", f"info{i}@example.nl", "+31 30 1234567", "NL123456789B01", "12345678")
                 for i in range(n_customers)]
    contacts = [LocalContact(f"P{i}-{j}", f"L{i}", "Anna", f"Jansen {j}", f"anna{j}@example.nl")
                for i in range(n_customers) for j in range(2)]
    invoices = []
    for i in range(n_invoices):
        lines = [InvoiceLine(f"Consultancy week {k}", Decimal(rng.randint(1, 400)) / 10, Decimal("95.00"), "VH",
                             DataType.TIME_MATERIAL, DimensionKind.HOURLY_RATE, "R1") for k in range(rng.randint(1, 5))]
        invoices.append(Invoice(f"I{i}", f"2026-{i:06d}", f"L{rng.randrange(n_customers)}",
                                dt.date(2026, 1, 1) + dt.timedelta(days=i % 365),
                                InvoiceKind.INVOICE, "EUR", f"PO {i}", "Hours", lines=lines))
    links = [Link(f"L{i}", f"00000000-0000-0000-0000-{i:012d}", str(10000 + i), "demo",
                  dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), DataSource.EXACT) for i in range(n_customers)]
    return customers, contacts, invoices, links


def timed(label: str, func, *args):
    start = time.perf_counter()
    with codec.no_gc() if label.startswith(("dumps", "loads")) else contextlib.nullcontext():
        result = func(*args)
    print(f"  {label:<46} {time.perf_counter() - start:7.3f} s")
    return result


def per_record(sizes: list[int], repeats: int = 25) -> None:
    """One saved record (an invoice's outcome, a renamed customer) at each table size: must stay flat."""
    import statistics

    print(f"one record saved, median of {repeats} (each: the table's write path, shard dump, fsync, manifest):")
    for n in sizes:
        customers, _, invoices, _ = make(min(n, 50_000), n)
        with tempfile.TemporaryDirectory() as tmp, ProfileStore.open(Path(tmp) / "p") as store:
            store.customers.put_many(customers[:n])
            store.invoices.put_many(invoices)
            for label, repo, make_change in (
                    ("invoices.put", store.invoices,
                     lambda k: Invoice(invoices[k].id, invoices[k].number, invoices[k].customer_id, invoices[k].date,
                                       description=f"outcome {k}", lines=invoices[k].lines)),
                    ("customers.put", store.customers,
                     lambda k: LocalCustomer(customers[k % len(customers)].id, f"Renamed {k}",
                                             customers[k % len(customers)].number))):
                times = []
                for k in range(repeats):
                    record = make_change((k * 7919) % min(n, len(customers) if repo is store.customers else n))
                    start = time.perf_counter()
                    repo.put(record)
                    times.append(time.perf_counter() - start)
                shards = repo._storage.shards
                print(f"  {label:<14} in a table of {len(repo):>7,}: {statistics.median(times) * 1000:6.2f} ms "
                      f"(max {max(times) * 1000:.1f} ms; {shards} shards)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--per-record", action="store_true",
                        help="only the one-record cost at 100 and 100,000 records")
    args = parser.parse_args()
    if args.per_record:
        per_record([100, 100_000])
        return
    print(f"generating {args.customers:,} customers (+2 contacts each, + a link each) and {args.invoices:,} invoices…")
    customers, contacts, invoices, links = make(args.customers, args.invoices)
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "p"
        print("first write (one atomic write per table):")
        with ProfileStore.open(profile) as store:
            timed("customers.put_many", store.customers.put_many, customers)
            timed("contacts.put_many", store.contacts.put_many, contacts)
            timed("invoices.put_many", store.invoices.put_many, invoices)
            timed("links.link_many", store.links.link_many, links)
        print("open and load everything (a fresh process would see the same):")
        start = time.perf_counter()
        store = timed("ProfileStore.open", ProfileStore.open, profile)
        timed("customers.all()", store.customers.all)
        timed("contacts.all()", store.contacts.all)
        timed("invoices.all()", store.invoices.all)
        timed("links.all()", store.links.all)
        print(f"  {'TOTAL open + load':<46} {time.perf_counter() - start:7.3f} s")
        print("one change (the cost of one click):")
        c = customers[123]
        timed("customers.put (one renamed)", store.customers.put, LocalCustomer(c.id, "Renamed", c.number))
        timed("links.link (one new link)", store.links.link, Link("NEW", "new-guid", source=DataSource.LOCAL))
        timed("links.unlink", store.links.unlink, "NEW")
        inv = invoices[7]
        timed("invoices.put (one invoice)", store.invoices.put, Invoice(inv.id, inv.number, inv.customer_id, inv.date,
                                                                          lines=inv.lines[:1]))
        timed("settings.update", lambda: store.settings.update(journal="70"))
        timed("transfers.record (fsynced append)", store.transfers.record, TransferRecord("I7", inv.number))
        timed("log.append (flushed append)", store.log.append, {"message": "x", "level": "info"})
        print("export and re-import through CSV (validation included):")
        out = Path(tmp) / "customers.csv"
        timed("export customers -> CSV", export_file, store, "customers", out)
        timed("import customers CSV --dry-run (all unchanged)", lambda: import_file(store, "customers", out,
                                                                                    dry_run=True))
        inv_out = Path(tmp) / "invoices.csv"
        timed("export invoices -> CSV (one row per line)", export_file, store, "invoices", inv_out)
        timed("import invoices CSV --dry-run", lambda: import_file(store, "invoices", inv_out, dry_run=True))
        sizes = store.sizes()
        store.close()
        print("file sizes:")
        for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<24} {size / 1e6:8.2f} MB")
        print("JSON paths on the invoice table (stdlib json, collector paused as the store does):")
        docs = {"invoices": {i.id: codec.dump(i) for i in invoices}}
        compact = json.dumps(docs, separators=(",", ":")).encode()
        spaced = json.dumps(docs).encode()
        timed(f"dumps compact ({len(compact) / 1e6:.1f} MB)", lambda: json.dumps(docs, separators=(",", ":")))
        timed(f"dumps default separators ({len(spaced) / 1e6:.1f} MB)", lambda: json.dumps(docs))
        timed("loads compact", json.loads, compact)
        timed("loads default separators", json.loads, spaced)


if __name__ == "__main__":
    main()
