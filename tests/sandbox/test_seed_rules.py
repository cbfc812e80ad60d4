"""The seed's rule-triggering records really trigger Exact's rules on a sandbox serving them over
loopback HTTP: each sales invoice below differs from a clean one by one seeded record (a journal,
item, VAT code, period, account) and must fail with Exact's message for it; the clean one books."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import Api, message
from exact_tui.sandbox import SandboxConfig, SandboxServer
from exact_tui.sandbox.seed import MAIN_DIVISION, SECOND_DIVISION


@pytest.fixture(scope="module")
def served():
    server = SandboxServer(SandboxConfig(customers=80, seed=9)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo(served):
    api = Api(served, "demo")
    yield api
    api.close()


def rows(served, division: int, table: str) -> list[dict]:
    return served.seed.tables[division][table]


def code(served, division: int, table: str, wanted: str) -> dict:
    return next(r for r in rows(served, division, table) if str(r["Code"]).strip() == wanted)


def account(served, division: int, **want) -> dict:
    return next(a for a in rows(served, division, "crm/Accounts") if all(a.get(k) == v for k, v in want.items()))


def invoice(served, *, division=MAIN_DIVISION, journal="70", item="CONS", quantity=7.5, when=None, customer=None,
            **extra) -> tuple[int, dict]:
    body = {"Journal": journal, "OrderedBy": (customer or account(served, division, Status="C", Blocked=False))["ID"],
            "InvoiceDate": (when or served.seed.today).isoformat(), "YourRef": "seed-rule",
            "SalesInvoiceLines": [{"Item": code(served, division, "logistics/Items", item)["ID"],
                                   "Quantity": quantity, "NetPrice": 118}], **extra}
    return division, body


def entry(served, when: dt.date) -> tuple[int, dict]:
    """A sales entry (no invoicing module): periods are checked when it is booked."""
    body = {"Journal": "70", "Customer": account(served, MAIN_DIVISION, Status="C", Blocked=False)["ID"],
            "EntryDate": when.isoformat(), "YourRef": "seed-rule",
            "SalesEntryLines": [{"GLAccount": code(served, MAIN_DIVISION, "financial/GLAccounts", "8000")["ID"],
                                 "AmountFC": 100, "VATCode": "1"}]}
    return MAIN_DIVISION, body


def post(demo, division: int, body: dict):
    path = "salesentry/SalesEntries" if "SalesEntryLines" in body else "salesinvoice/SalesInvoices"
    return demo.post(f"/{division}/{path}", json=body)


def test_a_clean_invoice_on_seeded_master_data_books(served, demo):
    answer = post(demo, *invoice(served))
    assert answer.status_code == 201, answer.text
    foreign = post(demo, *invoice(served, journal="71", Currency="GBP"))
    assert foreign.status_code == 201, foreign.text
    booked = post(demo, *entry(served, served.seed.today))
    assert booked.status_code == 201, booked.text


@pytest.mark.parametrize(("case", "expected"), [
    ("item_not_divisible", "is niet deelbaar"),
    ("item_without_gl", "Verplicht: Grootboekrekening"),
    ("inclusive_vat_item", "komt niet overeen met het totaal aan BTW-bedragen"),
    ("foreign_currency_on_plain_journal", "Niet toegestaan: Valuta (dagboek 70)"),
    ("general_journal", "Ongeldig: Dagboek (type)"),
    ("closed_period", "Periode is afgesloten"),
    ("before_first_fiscal_year", "Onbekend: Boekjaar"),
    ("blocked_customer", "Geblokkeerd: Klant"),
    ("supplier_code", "Ongeldig: Klant (Type)"),
    ("no_payment_condition", "Verplicht: Betalingsconditie"),
    ("inactive_item", "Ongeldig: Artikel (OUD-TARIEF is niet actief: einddatum 31-12-"),
    ("purchase_item", "Ongeldig: Artikel (HW-INKOOP is geen verkoopartikel)"),
    ("item_with_blocked_gl", "Geblokkeerd: Grootboekrekening: 8999 - "),
])
def test_each_rule_record_makes_exact_refuse(served, demo, case, expected):
    today = served.seed.today
    made = {
        "item_not_divisible": lambda: invoice(served, item="CONS-DAG", quantity=7.5),
        "item_without_gl": lambda: invoice(served, item="HOSTING", quantity=1),
        "inactive_item": lambda: invoice(served, item="OUD-TARIEF", quantity=1),
        "purchase_item": lambda: invoice(served, item="HW-INKOOP", quantity=1),
        "item_with_blocked_gl": lambda: invoice(served, item="OUD-OMZET", quantity=1),
        "inclusive_vat_item": lambda: invoice(served, item="PARK", quantity=1),
        "foreign_currency_on_plain_journal": lambda: invoice(served, Currency="GBP"),
        "general_journal": lambda: invoice(served, journal="90"),
        "closed_period": lambda: entry(served, dt.date(today.year - 1, today.month, 15)),
        "before_first_fiscal_year": lambda: entry(served, dt.date(today.year - 2, 12, 15)),
        "blocked_customer": lambda: invoice(served, customer=account(served, MAIN_DIVISION, Status="C", Blocked=True)),
        "supplier_code": lambda: invoice(served, customer=account(served, MAIN_DIVISION, IsSupplier=True)),
        "no_payment_condition": lambda: invoice(served, division=SECOND_DIVISION, customer=account(
            served, SECOND_DIVISION, Status="C", Blocked=False, PaymentConditionSales=None)),
    }[case]
    answer = post(demo, *made())
    assert answer.status_code == 500, answer.text
    assert expected in message(answer)


def test_processing_a_seeded_draft_in_the_closed_period_is_refused(served, demo):
    """Drafts carry no period rules; processing (`PrintedSalesInvoices`) books, so it checks them."""
    today = served.seed.today
    draft = post(demo, *invoice(served, when=dt.date(today.year - 1, today.month, 15)))
    assert draft.status_code == 201, draft.text
    printed = demo.post(f"/{MAIN_DIVISION}/salesinvoice/PrintedSalesInvoices", json={"InvoiceID": draft.json()["d"]["InvoiceID"]})
    assert printed.status_code == 500 and "Periode is afgesloten" in message(printed)


def test_seeded_user_without_sales_rights(served):
    limited = Api(served, "beperkt")
    try:
        assert limited.get(f"/{MAIN_DIVISION}/financial/Journals").status_code == 200
        refused = limited.post(f"/{MAIN_DIVISION}/salesinvoice/SalesInvoices", json={"Journal": "70"})
        assert refused.status_code == 403 and message(refused) == "Forbidden"
    finally:
        limited.close()
