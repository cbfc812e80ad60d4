"""Balancing against the sandbox: agreement, and each kind of drift with its fix."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import httpx
import pytest

from exact_tui.domain.invoice import Invoice, InvoiceLine
from exact_tui.exact.records import SalesEntry, SalesEntryLine
from exact_tui.services.payments import Transferred
from exact_tui.services.reconcile import number_gaps, reconcile

from exact.seedworld import DIV, gid, world


@pytest.fixture(scope="module")
def server():
    from exact_tui.sandbox.testing import running_sandbox

    with running_sandbox(seed_data=world(12), time_scale=60.0) as server:
        yield server


async def book(exact, store, number: str, customer: int, *, currency="EUR") -> Transferred:
    entry = await exact.create_sales_entry(SalesEntry(
        journal="70", customer=gid(100_000 + customer), your_ref=number, payment_condition="30",
        lines=[SalesEntryLine(gl_account=gid(8000), amount_fc=Decimal("100"))]))
    store.invoices.put(Invoice(f"id-{number}", number, f"c{customer}", dt.date.today(), currency=currency,
                               lines=[InvoiceLine("Uren", Decimal(1), Decimal(100))]))
    return Transferred(f"id-{number}", number, "invoice", "entries", entry.entry_id, str(entry.entry_number),
                       gid(100_000 + customer), "70")


async def test_both_sides_agree_then_each_drift_is_named_with_a_fix(server, exact, store):
    a = await book(exact, store, "R2026-0001", 1)
    b = await book(exact, store, "R2026-0002", 2)
    c = await book(exact, store, "R2026-0003", 3)
    report = await reconcile(store, exact, invoices=[a, b, c])
    assert report.agree and report.checked == 3, report.items
    assert report.calls <= 3  # payment terms, sync/Deleted and the VAT codes, whatever the count
    # Exact side: b deleted behind our back, c booked a second time with the same reference
    answer = httpx.delete(f"{server.base_url}/sandbox/divisions/{DIV}/rows/salesentry/SalesEntries/{b.exact_id}")
    assert answer.status_code in (200, 204), answer.text
    await exact.create_sales_entry(SalesEntry(journal="70", customer=gid(100_003), your_ref=c.number,
                                              payment_condition="30",
                                              lines=[SalesEntryLine(gl_account=gid(8000), amount_fc=Decimal("100"))]))
    d = await book(exact, store, "R2026-0004", 4, currency="GBP")  # local says GBP, Exact booked EUR
    e = await book(exact, store, "R2026-0007", 5)  # 0005 and 0006 never exported: a gap
    wrong_number = dataclasses.replace(a, exact_number="99999")
    report = await reconcile(store, exact, invoices=[wrong_number, b, c, d, e])
    kinds = {(item.number, item.kind) for item in report.items}
    assert ("R2026-0002", "deleted_in_exact") in kinds
    assert ("R2026-0003", "booked_twice") in kinds
    assert ("R2026-0001", "number") in kinds
    assert ("R2026-0004", "currency") in kinds
    assert ("R2026-0007", "gap") in kinds
    assert all(item.fix for item in report.items)
    assert report.to_json()["agree"] is False


def test_number_gaps_per_series():
    gaps = number_gaps(["2026-0012", "2026-0014", "2026-0015", "CN-7", "CN-9", "X"])
    assert ("2026-0012", "2026-0014", ["2026-0013"]) in gaps and ("CN-7", "CN-9", ["CN-8"]) in gaps
    assert number_gaps(["1", "2", "3"]) == []


def test_a_new_year_block_inside_the_number_is_a_new_series_not_a_gap():
    # the demo's (and many invoicing systems') numbers: year then sequence, 2400008 → 2500001
    gaps = number_gaps(["2400007", "2400008", "2500001", "2500003", "20260101", "20270001", "R2026-0099", "R2027-0001"])
    assert gaps == [("2500001", "2500003", ["2500002"])]
    assert number_gaps(["2400008", "2500002"])  # a block that does not start at 1 still shows its hole
