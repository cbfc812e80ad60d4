"""Transfer 1,000 invoices to the sandbox at Exact's real limits (60 calls a minute, 5,000 a day).

    python bench/bench_transfer.py [--invoices 1000] [--new-customers 20] [--scale 10] [--model entries]

The sandbox runs on a scaled clock (`--scale 10`: one sandbox minute per 6 wall seconds; higher scales make the machine, not the limit, the bottleneck), so the run
takes about as many wall seconds as Exact would take minutes. Prints:
- REST calls per invoice for the run (goal ≤ 1.05 plus the customers and contacts created);
- 429 answers met (goal 0);
- sandbox-clock minutes against the floor the 60-a-minute limit sets (goal within 5 % of it);
- CPU of the client per invoice (the main thread only: the sandbox runs in its own thread).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def run(args: argparse.Namespace) -> None:
    from exact_tui.domain.customer import LocalContact, LocalCustomer
    from exact_tui.domain.invoice import Invoice, InvoiceKind, InvoiceLine
    from exact_tui.domain.link import DataSource, Link, MaintenanceMode
    from exact_tui.domain.products import DataType
    from exact_tui.exact import ExactClient, ExactConfig, oauth
    from exact_tui.sandbox.testing import approve, running_sandbox
    from exact_tui.services import products as product_numbers
    from exact_tui.services.session import ConsoleSession
    from exact_tui.services.transfer import TransferService

    division = 786431
    with running_sandbox(customers=300, seed=1, time_scale=args.scale) as server, \
            tempfile.TemporaryDirectory() as folder:
        session = ConsoleSession.open("bench", folder)
        config = ExactConfig(server.base_url, server.client_id, server.client_secret, server.redirect_uri, division)
        state = oauth.new_state()
        await oauth.exchange_redirect(config, session.token_store(),
                                      approve(oauth.authorize_url(config, state), "api", "api"), state)
        seen: list = []
        client = ExactClient(config, session.token_store(), clock=server.clock, observer=seen.append)
        await client.open()
        session.client, session.config = client, config
        store = session.store
        store.settings.update(division=division, journal="71", maintenance_mode=MaintenanceMode.AUTO_CREATE,
                              transfer_model=args.model, active=True)
        await product_numbers.import_items(session)
        product_numbers.set_active(session, {p.code for p in store.products.all()})
        accounts = [r for r in server.world.table(division, "crm/Accounts").rows.values()
                    if r.get("Status") == "C" and not r.get("Blocked")]
        rng = random.Random(5)
        customers, links, contacts = [], [], []
        for n, account in enumerate(accounts[:200]):
            customers.append(LocalCustomer(f"c{n}", account["Name"], account["Code"].strip()))
            links.append(Link(f"c{n}", account["ID"], account["Code"].strip(), "bench", None, DataSource.NONE))
        for n in range(args.new_customers):
            customers.append(LocalCustomer(f"new{n}", f"Nieuwe klant {n} BV", str(880_000 + n)))
            contacts.append(LocalContact(f"p{n}", f"new{n}", "Sam", f"Klant{n}", f"sam{n}@example.com"))
        store.customers.put_many(customers)
        store.contacts.put_many(contacts)
        store.links.link_many(links)
        today = server.clock.now().date() if hasattr(server.clock, "now") else dt.date.today()
        invoices = []
        for n in range(args.invoices):
            customer = customers[n % len(customers)]
            lines = [InvoiceLine(f"Uren {n}.{k}", Decimal(rng.choice(["1", "2.5", "7.75"])), Decimal("95.00"), "1",
                                 DataType.TIME_MATERIAL, product_number=rng.choice(["CONS", "DEV", "PM"]))
                     for k in range(rng.choice([1, 1, 2, 3]))]
            kind = InvoiceKind.CREDIT_NOTE if n % 25 == 24 else InvoiceKind.INVOICE
            if kind is InvoiceKind.CREDIT_NOTE:
                lines = [InvoiceLine(l.description, -l.quantity, l.unit_price, l.vat_code, l.data_type,
                                     product_number=l.product_number) for l in lines]
            invoices.append(Invoice(f"i{n}", str(500_000_000 + n), customer.id, today - dt.timedelta(days=n % 25),
                                    kind, lines=lines))
        store.invoices.put_many(invoices)
        service = TransferService.for_session(session)

        seen.clear()
        sim0 = server.clock.time()
        await service.start()
        start_calls = sum(1 for c in seen if c.endpoint.startswith("/api/v1/"))
        selected = service.select(all=True)
        cpu0, sim1, wall1 = time.thread_time(), server.clock.time(), time.perf_counter()
        first = len(seen)
        report = await service.run(selected)
        cpu = time.thread_time() - cpu0
        run_calls = [c for c in seen[first:] if c.endpoint.startswith("/api/v1/")]
        statuses = collections.Counter(c.status for c in seen if c.endpoint.startswith("/api/v1/"))
        sim_run = (server.clock.time() - sim1) / 60
        created = sum(1 for c in run_calls if c.method == "POST" and c.endpoint.endswith(("crm/Accounts", "crm/Contacts")))
        booked = sum(1 for e in server.world.table(division, "salesentry/SalesEntries").rows.values()
                     if str(e.get("YourRef") or "").startswith("5000"))
        floor = len(run_calls) / 60
        print(f"model {args.model}, {len(selected):,} invoices, {args.new_customers} new customers, scale {args.scale:g}")
        print(f"result: {report.summary()}")
        print(f"start (journal, reference data, accounts): {start_calls} calls, "
              f"{(sim1 - sim0) / 60:.2f} sandbox min")
        print(f"run: {len(run_calls):,} REST calls = {len(run_calls) / max(1, len(selected)):.3f} per invoice; "
              f"{created} of them customer/contact creates → "
              f"{(len(run_calls) - created) / max(1, len(selected)):.3f} per invoice without them")
        print(f"429 answers: {statuses.get(429, 0)}")
        print(f"sandbox clock: {sim_run:.2f} min for the run; floor at 60 calls/min: {floor:.2f} min "
              f"→ {100 * (sim_run / floor - 1) if floor else 0:+.1f} %")
        print(f"client CPU: {cpu:.2f} s = {1000 * cpu / max(1, len(selected)):.2f} ms per invoice; "
              f"wall {time.perf_counter() - wall1:.1f} s (noisy on a shared machine)")
        if args.model == "entries":
            print(f"entries in Exact for these invoices: {booked:,}")
        await client.aclose()
        session.close_store()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--new-customers", type=int, default=20)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--model", choices=("entries", "invoices"), default="entries")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
