"""Pulls, sync timestamps, typed calls, entries and invoices, validation errors in nl and en."""
from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal

import httpx
import pytest

from exact_tui.domain.exact_messages import MessageKind
from exact_tui.exact import NotFound, ValidationError
from exact_tui.exact.records import Account, Contact, SalesEntry, SalesEntryLine, SalesInvoice, SalesInvoiceLine
from exact_tui.sandbox.testing import running_sandbox

from .conftest import client, login
from .seedworld import gid, world

CUSTOMERS = 10_000


@pytest.fixture(scope="module")
def server():
    # time runs 60x: a pull of 10 pages never meets the minute limit's reset in a surprising place,
    # and the module's ~150 calls stay far under the daily limit
    with running_sandbox(seed_data=world(CUSTOMERS), time_scale=60.0) as server:
        yield server


@pytest.fixture(scope="module")
def demo(server, tmp_path_factory):
    return asyncio.run(login(server, tmp_path_factory.mktemp("demo"), "demo"))


async def master(exact):
    """A sales journal, an active customer, a usable GL account, an exclusive VAT code, a payment condition."""
    journal = next(j for j in await exact.journals(sales_only=True) if (j.currency or "EUR") == "EUR")
    customer = next(a for a in await exact.accounts(customers_only=True) if not a.blocked)
    gl = next(g for g in await exact.gl_accounts() if not g.blocked and (g.balance_type or "W") == "W")
    vat = next((v for v in await exact.vat_codes() if v.exclusive), None)
    condition = (await exact.payment_conditions())[0]
    return journal, customer, gl, vat, condition


async def test_ten_thousand_accounts_in_at_most_eleven_calls(server, demo):
    config, store = demo
    seen = []
    async with client(server, config, store, observer=seen.append) as exact:
        accounts = await exact.accounts()
    assert len(accounts) >= CUSTOMERS
    assert len(seen) <= 11 and all(c.status == 200 for c in seen)
    assert all(c.endpoint.endswith("/bulk/CRM/Accounts") for c in seen)
    assert all(a.code == a.code.strip() and a.id for a in accounts)  # codes come back stripped
    assert len({a.id for a in accounts}) == len(accounts)  # no duplicates across pages


async def test_sync_returns_only_changes_after_the_stored_timestamp(server, demo):
    config, store = demo
    seen = []
    async with client(server, config, store, observer=seen.append) as exact:
        first = await exact.sync_accounts()
        assert len(first.rows) >= CUSTOMERS and first.timestamp is not None
        assert len(seen) <= 11
        code = str(900_000_000 + uuid.uuid4().int % 99_999_999)
        created = await exact.create_account(Account(name="Sync Test BV", code=code, status="C", city="Utrecht"))
        again = await exact.sync_accounts(first.timestamp)
        assert [a.id for a in again.rows] == [created.id] and again.timestamp > first.timestamp
        assert (await exact.sync_accounts(again.timestamp)).rows == []


async def test_codes_are_padded_in_filters_and_accounts_round_trip(server, demo):
    config, store = demo
    async with client(server, config, store) as exact:
        code = str(800_000_000 + uuid.uuid4().int % 99_999_999)
        created = await exact.create_account(Account(name="Padded Code BV", code=code, status="C", email="a@b.nl"))
        assert created.code == code and created.id
        found = await exact.find_accounts_by_code(code)
        assert [a.id for a in found] == [created.id]
        await exact.update_account(created.id, Account(name="Padded Code B.V.", code="ignored", city="Delft"))
        fetched = await exact.account(created.id)
        assert fetched.name == "Padded Code B.V." and fetched.city == "Delft" and fetched.code == code
        contact = await exact.create_contact(Contact(account=created.id, first_name="Ann", last_name="de Vries",
                                                     email="ann@example.nl"))
        assert contact.id and [c.id for c in await exact.contacts(account=created.id)] == [contact.id]
        with pytest.raises(NotFound):
            await exact.account(str(uuid.uuid4()))


async def test_master_data_calls(server, demo):
    config, store = demo
    async with client(server, config, store) as exact:
        me = await exact.me()
        divisions = await exact.divisions()
        assert me.current_division in [d.code for d in divisions]
        items = await exact.items()
        assert items and all(i.code for i in items)
        journals = await exact.journals()
        assert any(j.is_sales for j in journals)
        assert all(j.is_sales for j in await exact.journals(sales_only=True))
        assert await exact.gl_accounts() and await exact.payment_conditions()
        vat = await exact.vat_codes()
        assert all(v.percentage is None or isinstance(v.percentage, Decimal) for v in vat)
        assert exact.budget.minute_limit == 60 and exact.budget.day_limit == 5000
        assert exact.budget.day_remaining < 5000


async def test_sales_entry_create_find_get_delete(server, demo):
    config, store = demo
    async with client(server, config, store) as exact:
        journal, customer, gl, vat, condition = await master(exact)
        ref = f"INV-{uuid.uuid4().hex[:8]}"
        entry = SalesEntry(journal=journal.code, customer=customer.id, your_ref=ref, description="Consultancy",
                           payment_condition=condition.code,
                           lines=[SalesEntryLine(gl_account=gl.id, amount_fc=Decimal("123.45"),
                                                 vat_code=vat.code if vat else "", description="12 h")])
        created = await exact.create_sales_entry(entry)
        assert created.entry_id and created.entry_number
        assert [e.entry_id for e in await exact.find_sales_entries(journal=journal.code, your_ref=ref)] == [created.entry_id]
        by_number = await exact.find_sales_entries(journal=journal.code, entry_number=created.entry_number)
        assert [e.entry_id for e in by_number] == [created.entry_id]
        fetched = await exact.sales_entry(created.entry_id)
        assert fetched.your_ref == ref and fetched.lines and fetched.lines[0].amount_fc == Decimal("123.45")
        assert fetched.entry_date is not None and fetched.entry_date.tzinfo is not None
        receivables = await exact.receivables(your_refs=[ref])
        assert [r.entry_id for r in receivables] == [created.entry_id]
        # a second entry with the same number is refused with a parsed, Dutch message (demo is nl)
        duplicate = SalesEntry(journal=journal.code, customer=customer.id, entry_number=created.entry_number,
                               payment_condition=condition.code, lines=entry.lines)
        with pytest.raises(ValidationError) as refused:
            await exact.create_sales_entry(duplicate)
        assert refused.value.kind is MessageKind.IN_USE and refused.value.parsed.language == "nl"
        assert refused.value.status == 500 and refused.value.request_id and "SalesEntries" in refused.value.endpoint
        assert ref in {r.your_ref for r in await exact.open_receivables()}
        deleted_before = await exact.sync_deleted()
        await exact.delete_sales_entry(created.entry_id)
        assert await exact.find_sales_entries(journal=journal.code, your_ref=ref) == []
        gone = await exact.sync_deleted(deleted_before.timestamp)
        # Exact has no sync/Deleted type for a sales entry: it shows as its deleted transaction lines
        # (type 1), keyed by line
        assert {line.id for line in fetched.lines} <= {d.entity_key for d in gone.rows if d.entity_type == 1}
        assert ref not in {r.your_ref for r in await exact.open_receivables()}


async def test_sales_invoice_create_get_process(server, demo):
    config, store = demo
    async with client(server, config, store) as exact:
        journal, customer, _, _, _ = await master(exact)
        item = next(i for i in await exact.items() if i.gl_revenue and i.divisible and i.is_sales_item is not False)
        ref = f"SI-{uuid.uuid4().hex[:8]}"
        invoice = SalesInvoice(ordered_by=customer.id, journal=journal.code, your_ref=ref, description="Hours",
                               lines=[SalesInvoiceLine(item=item.id, quantity=Decimal("1.5"), net_price=Decimal("95"))])
        created = await exact.create_sales_invoice(invoice)
        assert created.invoice_id
        fetched = await exact.sales_invoice(created.invoice_id)
        assert fetched.your_ref == ref and len(fetched.lines) == 1
        assert [i.invoice_id for i in await exact.find_sales_invoices(your_ref=ref)] == [created.invoice_id]
        await exact.process_sales_invoice(created.invoice_id)
        processed = await exact.sales_invoice(created.invoice_id)
        assert processed.status == SalesInvoice.PROCESSED and processed.invoice_number
        with pytest.raises(ValidationError):
            await exact.delete_sales_invoice(created.invoice_id)  # processed invoices cannot be deleted


@pytest.mark.parametrize("username,language,kind_text", [("demo", "nl", "Verplicht"), ("api", "en", "Required")])
async def test_validation_errors_in_both_languages(server, demo, tmp_path, username, language, kind_text):
    # a second login of the same user revokes the module's chain (Exact keeps one per user and app):
    # the demo user goes on with the module's login
    config, store = demo if username == "demo" else await login(server, tmp_path, username)
    async with client(server, config, store) as exact:
        journal = (await exact.journals(sales_only=True))[0]
        customer = next(a for a in await exact.accounts(customers_only=True) if not a.blocked)
        with pytest.raises(ValidationError) as refused:
            await exact.create_sales_entry(SalesEntry(journal=journal.code, customer=customer.id, your_ref="x",
                                                      lines=[SalesEntryLine(amount_fc=Decimal("1"))]))
    error = refused.value
    assert error.kind is MessageKind.REQUIRED and error.parsed.language == language
    assert error.text.startswith(kind_text) and error.status == 500
    with pytest.raises(ValidationError) as bad_name:
        async with client(server, config, store) as exact:
            await exact.create_account(Account(name=""))
    assert bad_name.value.kind is MessageKind.REQUIRED


async def test_the_client_takes_bare_top_lists_and_reads_deferred_lines_through_the_parent(server, tmp_path):
    """Exact may answer a `$top` list without paging as a bare `{"d": [...]}` (WCF Data Services), and
    serves lines not expanded through the parent's navigation URL; the client reads both."""
    config, store = await login(server, tmp_path, "api")
    async with client(server, config, store) as exact:
        server.runtime.apply_behaviour({"top_shape": "bare"})
        try:
            bare = await exact.list_records(Account, "crm/Accounts", filter="Status eq 'C'", top=3)
        finally:
            server.runtime.apply_behaviour({"top_shape": "results"})
        enveloped = await exact.list_records(Account, "crm/Accounts", filter="Status eq 'C'", top=3)
        assert [a.id for a in bare] == [a.id for a in enveloped] and len(bare) == 3
        journal, customer, gl, vat, condition = await master(exact)
        entry = await exact.create_sales_entry(SalesEntry(
            journal=journal.code, customer=customer.id, your_ref=f"NAV-{uuid.uuid4().hex[:8]}",
            payment_condition=condition.code,
            lines=[SalesEntryLine(gl_account=gl.id, amount_fc=Decimal("7.50"), vat_code=vat.code if vat else None)]))
        path = f"salesentry/SalesEntries(guid'{entry.entry_id}')"
        row = await exact.get_one(path, {"$select": "EntryID,SalesEntryLines"})  # not expanded: a deferred link
        assert "__deferred" in row["SalesEntryLines"]
        read = SalesEntry.from_exact(await exact._lines(row, "SalesEntryLines", path))
        assert [line.amount_fc for line in read.lines] == [Decimal("7.50")]


async def test_a_closed_period_is_read_from_the_journals_status_list(server, demo):
    # FinancialPeriods has no Closed property (the REST reference): whether a period is closed comes from
    # read/financial/JournalStatusList, "Journal status for this year and period 0=open, 1=closed"
    config, store = demo
    year = dt.date.today().year + 1
    async with client(server, config, store) as exact:
        journal = next(j for j in await exact.journals(sales_only=True))
        division = (await exact.me()).current_division
        row = f"{server.base_url}/sandbox/divisions/{division}/rows/financial/FinancialPeriods/{gid(year * 100 + 4)}"
        assert httpx.post(row, json={"Closed": True}).status_code == 200
        try:
            periods = await exact.financial_periods(journal.code)
            closed = [(p.year, p.period) for p in periods if p.closed]
            assert closed == [(year, 4)] and all(p.closed is False for p in periods if (p.year, p.period) != (year, 4))
            assert all(p.closed is None for p in await exact.financial_periods())  # not asked: not known
            other = next(j for j in await exact.journals() if j.code != journal.code)
            assert httpx.post(row, json={"Closed": False, "Journal": journal.code}).status_code == 200
            assert not any(p.closed for p in await exact.financial_periods(journal.code))  # per journal
            assert [(p.year, p.period) for p in await exact.financial_periods(other.code) if p.closed] == [(year, 4)]
        finally:
            httpx.post(row, json={"Closed": False})
