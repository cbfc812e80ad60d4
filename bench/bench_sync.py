"""Payments, products and customers back from Exact against the sandbox (loopback HTTP, scaled clock).

    python bench/bench_sync.py [--invoices 10000] [--suppliers 500] [--items 2000] [--customers 10000]
                               [--changed 300] [--scale 60]

The invoices are booked straight into the sandbox's world (10,000 POSTs would only measure the
60-calls-a-minute limit, which bench_client does), each with its customer payment term; supplier
terms with colliding numbers sit beside them. Then, through the real client and the payments
service: the first full pull, an unchanged re-sync, a re-sync after 300 payments (a third partial),
one invoice on demand, and a reconcile of all of them (amounts including VAT against the local
invoices, which the store holds).

Products (`services/product_sync`): `--items` items in Exact; the first sync, an unchanged re-sync, and
a re-sync after `--changed` items changed in Exact (G/L account or description) and a tenth as many
deleted. Customers (`services/customer_sync`): `--customers` accounts, each linked to a local customer
with the same data, half with Exact as master and half with the local side; the first sync, an
unchanged re-sync, `--changed` accounts changed in Exact (Exact-master links: copied to local, no
PUT) and `--changed` local customers changed (local-master links: one PUT each).

Prints calls, 429s, sandbox minutes and wall seconds (rough on a shared machine) and checks the
outcome (every state right, no supplier line counted, every change applied on the right side).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
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


def seed_items(server, division: int, n: int) -> list[str]:
    """N sales items (divisible, revenue G/L 8000 of the small world) straight into the world."""
    world = server.runtime.world
    ids = []
    with world.lock:
        for i in range(n):
            row = world.insert(division, "logistics/Items", {
                "ID": str(uuid.uuid4()), "Code": f"ITEM-{i:05d}", "Description": f"Artikel {i:05d}",
                "IsSalesItem": True, "IsTime": i % 2 == 0, "GLRevenue": str(uuid.UUID(int=8000)),
                "GLRevenueCode": "8000", "IsFractionAllowedItem": True, "SalesVatCode": "2"})
            ids.append(row["ID"])
    return ids


def change_items(server, division: int, ids: list[str], changed: int) -> int:
    """`changed` items edited in Exact (every other one loses its revenue G/L) and a tenth as many deleted."""
    world = server.runtime.world
    user = next(iter(world.users.values())).id
    table = world.table(division, "logistics/Items")
    deleted = max(1, changed // 10)
    with world.lock:
        for k, key in enumerate(ids[:changed]):
            row = table.get(key)
            world.update(division, "logistics/Items", row,
                         {"GLRevenue": None, "GLRevenueCode": None} if k % 2 else {"Description": f"Gewijzigd {k}"})
        for key in ids[changed:changed + deleted]:
            world.delete(division, "logistics/Items", key, user)
    return deleted


def link_customers(server, division: int, store, n: int) -> list:
    """A local customer for each of the first N accounts, with the account's data, linked: even ones with
    Exact as master, odd ones with the local side as master."""
    from exact_tui.domain.customer import LocalCustomer
    from exact_tui.domain.link import DataSource, Link

    rows = sorted(server.runtime.world.table(division, "crm/Accounts").rows.values(), key=lambda r: r["Code"])[:n]
    now = dt.datetime.now(dt.timezone.utc)
    customers, links = [], []
    for i, row in enumerate(rows):
        code = row["Code"].strip()
        customers.append(LocalCustomer(f"loc-{code}", row["Name"], code, city=row.get("City") or "",
                                       country=row.get("Country") or "", email=row.get("Email") or ""))
        links.append(Link(f"loc-{code}", row["ID"], code, "bench", now, DataSource.EXACT if i % 2 == 0 else DataSource.LOCAL))
    store.customers.put_many(customers)
    store.links.link_many(links)
    return links


async def run(args: argparse.Namespace) -> None:
    from exact.seedworld import DIV, gid, world as build  # tests/exact: a small known world

    from exact_tui.exact import ExactClient, ExactConfig, TokenStore, oauth
    from exact_tui.sandbox import cashflow
    from exact_tui.sandbox.testing import approve, running_sandbox
    from exact_tui.services.payments import PaymentsService
    from exact_tui.store.profile import ProfileStore

    rows = []
    with running_sandbox(seed_data=build(max(50, args.customers)), time_scale=args.scale) as server, \
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
            products = await _products(args, server, store, exact, measure)
            customers = await _customers(args, server, store, exact, measure)
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
    print(products)
    print(customers)


async def _products(args, server, store, exact, measure) -> str:
    """First product sync, an unchanged one, and one after `--changed` items changed (and some deleted)."""
    from exact.seedworld import DIV

    from exact_tui.services.product_sync import sync_products

    ids = seed_items(server, DIV, args.items)
    first = await measure(f"products, first sync of {args.items + 1:,} items", lambda: sync_products(store, exact))
    quiet = await measure("products, nothing changed", lambda: sync_products(store, exact))
    deleted = change_items(server, DIV, ids, args.changed)
    after = await measure(f"products, {args.changed} changed + {deleted} deleted", lambda: sync_products(store, exact))
    no_gl = sum(1 for p in store.products.all() if not p.revenue_gl and not p.gone)
    assert len(first.added) == args.items + 1 and not quiet.added and not quiet.changed, (first.summary(), quiet.summary())
    assert len(after.changed) == args.changed + deleted and len(after.gone) == deleted, after.summary()
    assert no_gl == args.changed // 2, no_gl
    return (f"products: first {len(first.added):,} added; unchanged: {quiet.calls} calls; after changes: "
            f"{len(after.changed)} changed ({len(after.gone)} gone, {no_gl} without revenue G/L now)")


async def _customers(args, server, store, exact, measure) -> str:
    """First customer sync, an unchanged one, `--changed` accounts changed in Exact, `--changed` local ones."""
    from exact.seedworld import DIV

    from exact_tui.services.customer_sync import sync_customers

    links = link_customers(server, DIV, store, args.customers)
    first = await measure(f"customers, first sync of {args.customers:,} links", lambda: sync_customers(store, exact))
    quiet = await measure("customers, nothing changed", lambda: sync_customers(store, exact))
    world = server.runtime.world
    table = world.table(DIV, "crm/Accounts")
    exact_master = [link for i, link in enumerate(links) if i % 2 == 0][:args.changed]
    local_master = [link for i, link in enumerate(links) if i % 2 == 1][:args.changed]
    with world.lock:
        for link in exact_master:
            world.update(DIV, "crm/Accounts", table.get(link.exact_id.lower()) or table.get(link.exact_id),
                         {"City": "Maastricht"})
    in_exact = await measure(f"customers, {len(exact_master)} changed in Exact", lambda: sync_customers(store, exact))
    moved = [dataclasses.replace(store.customers.get(link.local_id), city="Groningen") for link in local_master]
    store.customers.put_many(moved)
    local = await measure(f"customers, {len(local_master)} changed locally", lambda: sync_customers(store, exact))
    assert not first.failed and not first.proposed and not quiet.local_updated and not quiet.exact_updated, first.summary()
    assert len(in_exact.local_updated) == len(exact_master) and not in_exact.exact_updated, in_exact.summary()
    assert len(local.exact_updated) == len(local_master) and not local.failed, local.summary()
    assert all((table.get(link.exact_id.lower()) or table.get(link.exact_id))["City"] == "Groningen"
               for link in local_master)
    return (f"customers: first {first.pulled:,} accounts pulled, {len(first.local_updated)} local / "
            f"{len(first.exact_updated)} Exact updated; unchanged: {quiet.calls} calls; changed in Exact: "
            f"{len(in_exact.local_updated)} local customers updated; changed locally: {len(local.exact_updated)} "
            f"accounts PUT ({local.calls} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--suppliers", type=int, default=500)
    parser.add_argument("--items", type=int, default=2_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=300)
    parser.add_argument("--scale", type=float, default=60.0)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
