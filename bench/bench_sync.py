"""Payments for N transferred invoices against the sandbox (loopback HTTP, scaled clock).

    python bench/bench_sync.py [--invoices 10000] [--suppliers 500] [--scale 60]

The invoices are booked straight into the sandbox's world (10,000 POSTs would only measure the
60-calls-a-minute limit, which bench_client does), each with its customer payment term; supplier
terms with colliding numbers sit beside them. Then, through the real client and the payments
service: the first full pull, an unchanged re-sync, a re-sync after 300 payments (a third partial),
one invoice on demand, and a reconcile of all of them (amounts including VAT against the local
invoices, which the store holds). Prints calls, 429s, sandbox minutes and wall seconds (rough on a shared
machine) and checks the outcome (every state right, no supplier line counted).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def book_world(server, division: int, customers: list[str], n: int, suppliers: int) -> list:
    """N booked entries with their receivables, and supplier terms, straight into the world; the
    transferred invoices and their local records (one line at 21 % VAT, code 2 of the seed)."""
    from exact_tui.domain.invoice import Invoice, InvoiceLine
    from exact_tui.sandbox import cashflow
    from exact_tui.services.payments import Transferred

    world = server.runtime.world
    today = dt.datetime.now(dt.timezone.utc)
    invoices, local = [], []
    with world.lock:
        for i in range(n):
            entry_id, customer = str(uuid.uuid4()), customers[i % len(customers)]
            net = Decimal(100 + i % 900)
            amount = net + (net * Decimal("0.21")).quantize(Decimal("0.01"))
            local.append(Invoice(f"inv-{i}", f"B{i:06d}", f"c{i % len(customers)}", today.date(),
                                 lines=[InvoiceLine("Uren", Decimal(1), net, "2")]))
            world.insert(division, "cashflow/Receivables", {
                "ID": str(uuid.uuid4()), "Account": customer, "LineType": cashflow.RECEIPT, "Journal": "70",
                "EntryNumber": 70_000_000 + i, "InvoiceNumber": 70_000_000 + i, "YourRef": f"B{i:06d}",
                "AmountFC": amount, "AmountDC": amount, "TransactionAmountFC": amount, "TransactionAmountDC": amount,
                "RateFC": Decimal(1), "Currency": "EUR", "InvoiceDate": today, "EntryDate": today, "DueDate": today,
                "IsFullyPaid": False, "Status": cashflow.OPEN, "TransactionEntryID": entry_id})
            invoices.append(Transferred(f"inv-{i}", f"B{i:06d}", "invoice", "entries", entry_id,
                                        str(70_000_000 + i), customer, "70"))
        supplier = str(uuid.UUID(int=9001))
        for k in range(suppliers):
            world.insert(division, cashflow.PAYABLES, {
                "ID": str(uuid.uuid4()), "Account": supplier, "LineType": cashflow.PAYMENT, "Journal": "60",
                "EntryNumber": 70_000_000 + k, "InvoiceNumber": 70_000_000 + k, "YourRef": f"B{k:06d}",
                "AmountFC": Decimal(-50), "AmountDC": Decimal(-50), "Currency": "EUR", "IsFullyPaid": False,
                "Status": cashflow.OPEN, "TransactionEntryID": str(uuid.uuid4())})
    return invoices, local


async def run(args: argparse.Namespace) -> None:
    from exact.seedworld import DIV, gid, world as build  # tests/exact: a small known world

    from exact_tui.exact import ExactClient, ExactConfig, TokenStore, oauth
    from exact_tui.sandbox import cashflow
    from exact_tui.sandbox.testing import approve, running_sandbox
    from exact_tui.services.payments import PaymentsService
    from exact_tui.store.profile import ProfileStore

    rows = []
    with running_sandbox(seed_data=build(50), time_scale=args.scale) as server, \
            tempfile.TemporaryDirectory() as folder:
        customers = [gid(100_000 + i) for i in range(1, 51)]
        invoices, local = book_world(server, DIV, customers, args.invoices, args.suppliers)
        config = ExactConfig(server.base_url, server.client_id, server.client_secret, server.redirect_uri, DIV)
        tokens = TokenStore(Path(folder) / "tokens.json", clock=server.clock)
        state = oauth.new_state()
        await oauth.exchange_redirect(config, tokens, approve(oauth.authorize_url(config, state), "api", "api"), state)
        store = ProfileStore.open(Path(folder) / "profile")
        store.invoices.put_many(local)
        seen: list = []
        async with ExactClient(config, tokens, clock=server.clock, observer=seen.append) as exact:
            service = PaymentsService(store, exact, invoices=invoices)

            async def measure(name, action):
                seen.clear()
                sim0, wall0 = server.clock.time(), time.perf_counter()
                result = await action()
                rest = [c for c in seen if c.endpoint.startswith("/api/v1/")]
                statuses = collections.Counter(c.status for c in rest)
                rows.append((name, len(rest), statuses.get(429, 0), (server.clock.time() - sim0) / 60,
                             time.perf_counter() - wall0))
                return result

            first = await measure(f"payments, first pull of {args.invoices:,} invoices", service.sync)
            again = await measure("payments, nothing changed", PaymentsService(store, exact, invoices=invoices).sync)
            table = server.runtime.world.table(DIV, "cashflow/Receivables")
            ctx_rt = server.runtime
            from exact_tui.sandbox import rules

            ctx = rules.Ctx(ctx_rt, DIV, next(iter(ctx_rt.world.users.values())))
            with ctx_rt.world.lock:
                for i, term in enumerate(list(table.rows.values())[:300]):
                    cashflow.pay(ctx, term, None if i % 3 else Decimal(term["AmountFC"]) / 2)
            third = await measure("payments, after 300 payments", PaymentsService(store, exact, invoices=invoices).sync)
            await measure("payments, one invoice on demand", lambda: service.check(invoices[-1].number))
            from exact_tui.services.reconcile import reconcile

            balance = await measure(f"reconcile {args.invoices:,} invoices", lambda: reconcile(store, exact,
                                                                                             invoices=invoices))
        counts = collections.Counter(p.status.value for p in store.payments.all().values())
        kept_supplier = sum(1 for t in store.payments.terms() if t.get("line_type") == cashflow.PAYMENT)
        store.close()
    print(f"bench_sync: {args.invoices:,} transferred invoices, {args.suppliers} supplier terms beside them, "
          f"sandbox at {args.scale:g}x")
    print(f"{'operation':44} {'calls':>6} {'429s':>5} {'sim min':>8} {'wall s':>7}")
    for name, calls, limited, minutes, wall in rows:
        print(f"{name:44} {calls:>6} {limited:>5} {minutes:>8.2f} {wall:>7.2f}")
    print(f"first pull: {first.terms_seen:,} terms seen, {first.terms_kept:,} kept, {first.supplier_or_foreign} not ours; "
          f"unchanged re-sync: {again.calls} call; after payments: {len(third.changed)} invoices changed")
    print(f"states: {dict(counts)}; supplier terms kept: {kept_supplier}; reconcile: {len(balance.items)} drift items "
          f"({'agree' if balance.agree else 'drift'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--suppliers", type=int, default=500)
    parser.add_argument("--scale", type=float, default=60.0)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
