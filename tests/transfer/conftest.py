"""A sandbox on loopback, a connected profile set up through the services, and a small local side.

The sandbox is the seeded one (division 786431: journals 70 EUR-only and 71 variable currency,
items with every awkward property, one closed period); the local customers and invoices are made
per test, so each rule test names the record it breaks.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from decimal import Decimal

import pytest

from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.invoice import Invoice, InvoiceKind, InvoiceLine
from exact_tui.domain.link import DataSource, Link, MaintenanceMode
from exact_tui.domain.products import DataType, Dimension, DimensionKind, Principle, ProductPrinciple
from exact_tui.exact import ExactConfig, oauth
from exact_tui.exact.appconfig import save_app_config
from exact_tui.sandbox.testing import approve, running_sandbox
from exact_tui.services.session import ConsoleSession
from exact_tui.services.transfer import TransferService

DIVISION = 786431
TODAY = dt.date.today()
_numbers = itertools.count(1)
_BASE = random.randrange(100, 900) * 1_000_000


@pytest.fixture(scope="module")
def server():
    with running_sandbox(customers=12, seed=3, time_scale=60.0,
                         behaviour={"day_limit": 1_000_000, "minute_limit": 100_000}) as server:
        yield server


def exact_customers(server) -> list[dict]:
    rows = server.world.table(DIVISION, "crm/Accounts").rows.values()
    return [r for r in rows if r.get("Status") == "C" and not r.get("Blocked")]


def entries(server, your_ref: str) -> list[dict]:
    return [e for e in server.world.table(DIVISION, "salesentry/SalesEntries").rows.values()
            if e.get("YourRef") == your_ref]


def invoices_in_exact(server, your_ref: str) -> list[dict]:
    return [e for e in server.world.table(DIVISION, "salesinvoice/SalesInvoices").rows.values()
            if e.get("YourRef") == your_ref]


async def connect(server, session: ConsoleSession) -> None:
    config = ExactConfig(server.base_url, server.client_id, server.client_secret, server.redirect_uri, DIVISION)
    for attempt in range(5):
        state = oauth.new_state()
        redirect = approve(oauth.authorize_url(config, state), "api", "api")
        try:
            await oauth.exchange_redirect(config, session.token_store(), redirect, state)
            break
        except Exception:
            if attempt == 4:
                raise
    save_app_config(session.profile_dir, config, keep_secret=True)
    client = await session.attach(config)
    session.me = await client.me()
    client.config.division = DIVISION


def number() -> str:
    """A fresh local invoice number (the sandbox is shared by a module's tests): 9 digits."""
    return str(_BASE + next(_numbers))


@dataclasses.dataclass
class Profile:
    session: ConsoleSession
    server: object

    @property
    def store(self):
        return self.session.store

    def service(self, **kw) -> TransferService:
        return TransferService.for_session(self.session, unknown_grace=kw.pop("unknown_grace", 0.2), **kw)

    def customer(self, *, linked: bool = True, exact: dict | None = None, **fields) -> LocalCustomer:
        n = next(_numbers)
        cid = f"c-{n}"
        values = dict(name=f"Klant {n} BV", number="", city="Utrecht", country="NL")
        values.update(fields)
        customer = LocalCustomer(cid, **values)
        self.store.customers.put(customer)
        if linked:
            account = exact or exact_customers(self.server)[n % len(exact_customers(self.server))]
            self.store.links.put(Link(cid, account["ID"], account["Code"].strip(), "test",
                                      dt.datetime.now(dt.timezone.utc), DataSource.NONE))
        return customer

    def invoice(self, customer: LocalCustomer, *lines: InvoiceLine, kind: InvoiceKind = InvoiceKind.INVOICE,
                currency: str = "EUR", date: dt.date | None = None, num: str | None = None) -> Invoice:
        num = num or number()
        invoice = Invoice(f"inv-{num}", num, customer.id, date or TODAY, kind, currency, "PO-1", f"Werk {num}", "",
                          list(lines) or [hours()])
        self.store.invoices.put(invoice)
        return invoice


def hours(quantity: str = "2.5", price: str = "100", item: str = "CONS", **kw) -> InvoiceLine:
    return InvoiceLine(kw.pop("description", "Consultancy"), Decimal(quantity), Decimal(price), kw.pop("vat", "1"),
                       kw.pop("data_type", DataType.TIME_MATERIAL), product_number=item, **kw)


@pytest.fixture
async def profile(server, tmp_path):
    session = ConsoleSession.open("t", tmp_path)
    await connect(server, session)
    from exact_tui.services import products as product_numbers

    store = session.store
    store.settings.update(division=DIVISION, journal="70", maintenance_mode=MaintenanceMode.AUTO_CREATE, active=True)
    await product_numbers.import_items(session)
    product_numbers.set_active(session, {p.code for p in store.products.all()})
    store.dimensions.put_many([Dimension(DimensionKind.HOURLY_RATE, "hr-1", "Senior", "CONS-SR"),
                               Dimension(DimensionKind.HOURLY_RATE, "hr-2", "Unmapped", "")])
    store.settings.update(principles={"fixed_price": ProductPrinciple(DataType.FIXED_PRICE, Principle.SPECIFIC,
                                                                      product_number="FIX-PRJ")})
    yield Profile(session, server)
    await session.aclose()


__all__ = ["LocalContact", "hours", "entries", "invoices_in_exact", "exact_customers", "number"]
