"""The sandbox's money side: payment terms of customers and suppliers, partial payments, credit
matching, exchange rates and currencies — over HTTP, as a client sees them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from conftest import DIV, IDS, Api, customer_id, fixture_seed, start
from exact_tui.sandbox import cashflow

TODAY = dt.date.today().isoformat()
PREFER = {"Prefer": "return=representation"}
TERM_SELECT = ("ID,Account,LineType,EntryNumber,InvoiceNumber,YourRef,AmountDC,AmountFC,TransactionAmountDC,"
               "TransactionAmountFC,RateFC,Currency,Status,IsFullyPaid,LastPaymentDate,TransactionEntryID,Journal")


@pytest.fixture(scope="module")
def server():
    seed = fixture_seed()
    tables = seed.tables[DIV]
    tables.update(cashflow.seed_tables(DIV, dt.date.today(), tables["crm/Accounts"]))
    srv = start(seed_data=seed)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def api(server):
    client = Api(server, "api")
    yield client
    client.close()


def entry(api, customer: int, amount, *, journal="70", currency=None, ref="") -> dict:
    body = {"Journal": journal, "Customer": customer_id(customer), "EntryDate": TODAY, "YourRef": ref,
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": amount, "VATCode": "2"}]}
    if currency:
        body["Currency"] = currency
    answer = api.post(f"/{DIV}/salesentry/SalesEntries", json=body, headers=PREFER)
    assert answer.status_code == 201, answer.text
    return answer.json()["d"]


def terms(api, since: int = 1) -> list[dict]:
    rows, url, params = [], f"/{DIV}/sync/Cashflow/PaymentTerms", {"$select": TERM_SELECT + ",Timestamp",
                                                                   "$filter": f"Timestamp gt {since}"}
    while url:
        d = api.get(url, params=params).json()["d"]
        rows += d["results"]
        url, params = d.get("__next"), None
    return rows


def of_entry(api, entry_id: str) -> list[dict]:
    return [t for t in terms(api) if t["TransactionEntryID"] == entry_id]


def admin(server, path: str, **body) -> httpx.Response:
    return httpx.post(f"{server.base_url}/sandbox/divisions/{DIV}/{path}", json=body)


def test_payment_terms_hold_customer_and_supplier_lines_in_one_timestamp_order(server, api):
    booked = entry(api, 3, 100, ref="7")
    rows = terms(api)
    stamps = [r["Timestamp"] for r in rows]
    assert stamps == sorted(stamps)
    kinds = {r["LineType"] for r in rows}
    assert kinds == {cashflow.RECEIPT, cashflow.PAYMENT}  # both kinds, told apart only by the line type
    ours = [r for r in rows if r["TransactionEntryID"] == booked["EntryID"]]
    assert len(ours) == 1 and ours[0]["LineType"] == cashflow.RECEIPT and ours[0]["Account"] == customer_id(3)
    # supplier terms reuse the numbers and references a naive client would match on
    supplier = [r for r in rows if r["LineType"] == cashflow.PAYMENT]
    assert all(r["Account"] == IDS["acc_supplier"] and r["AmountFC"] < 0 for r in supplier)
    assert {str(r["YourRef"]) for r in supplier} & {"7", str(booked["EntryNumber"] % 40)} or \
        any(r["InvoiceNumber"] <= 40 for r in supplier)
    # the customer-only views stay customer-only; suppliers have their own bulk endpoint
    receivables = api.get(f"/{DIV}/bulk/Cashflow/Receivables", params={"$select": "ID,LineType"}).json()["d"]["results"]
    assert {r["LineType"] for r in receivables} == {cashflow.RECEIPT}
    payments = api.get(f"/{DIV}/bulk/Cashflow/Payments", params={"$select": "ID,LineType,Account"}).json()["d"]["results"]
    assert payments and {r["LineType"] for r in payments} == {cashflow.PAYMENT}


def test_a_partial_payment_splits_the_term_and_leaves_the_rest_open(server, api):
    booked = entry(api, 4, 1000)  # 1,210.00 incl. VAT
    term = of_entry(api, booked["EntryID"])[0]
    before = max(t["Timestamp"] for t in terms(api))
    assert admin(server, f"receivables/{term['ID']}/payments", amount="400.00", date="2026-03-02").json()["ok"]
    changed = terms(api, before)  # the change shows in sync/ after the stored Timestamp
    assert {t["TransactionEntryID"] for t in changed} == {booked["EntryID"]} and len(changed) == 2
    paid = next(t for t in changed if t["Status"] == cashflow.MATCHED)
    rest = next(t for t in changed if t["Status"] == cashflow.OPEN)
    assert paid["AmountFC"] == 400.0 and paid["IsFullyPaid"] is True and paid["LastPaymentDate"]
    assert rest["ID"] == term["ID"] and rest["AmountFC"] == 810.0 and rest["IsFullyPaid"] is False
    assert rest["TransactionAmountFC"] == paid["TransactionAmountFC"] == 1210.0
    # paying more than is open is refused; paying the rest closes it
    assert admin(server, f"receivables/{term['ID']}/payments", amount="900").status_code == 400
    assert admin(server, f"receivables/{term['ID']}/payments").json()["ok"]
    after = of_entry(api, booked["EntryID"])
    assert all(t["IsFullyPaid"] and t["Status"] == cashflow.MATCHED for t in after)
    assert sum(Decimal(str(t["AmountFC"])) for t in after) == Decimal("1210")
    open_items = api.get(f"/{DIV}/read/financial/ReceivablesList").json()["d"]["results"]
    assert not any(r["Id"] in {t["ID"] for t in after} for r in open_items)


def test_a_credit_note_matched_against_its_invoice_settles_both_without_a_payment_date(server, api):
    invoice = entry(api, 5, 100)
    credit = entry(api, 5, -100)
    a, b = of_entry(api, invoice["EntryID"])[0], of_entry(api, credit["EntryID"])[0]
    assert admin(server, f"receivables/{a['ID']}/match", **{"with": b["ID"]}).json()["ok"]
    for settled in (of_entry(api, invoice["EntryID"]), of_entry(api, credit["EntryID"])):
        assert all(t["Status"] == cashflow.MATCHED and t["IsFullyPaid"] for t in settled)
        assert all(t["LastPaymentDate"] is None for t in settled)
    other = entry(api, 6, 10)
    mismatch = admin(server, f"receivables/{of_entry(api, other['EntryID'])[0]['ID']}/match",
                     **{"with": of_entry(api, credit["EntryID"])[0]["ID"]})
    assert mismatch.status_code == 400


def test_foreign_currency_books_amount_dc_at_the_days_rate(server, api):
    booked = entry(api, 7, 100, journal="71", currency="GBP")  # 121.00 GBP incl. VAT
    rate = Decimal("1.1830")  # the seed's second GBP rate, valid since last 1 January
    assert booked["Currency"] == "GBP" and booked["AmountFC"] == 121.0
    assert Decimal(str(booked["AmountDC"])) == (Decimal("121") * rate).quantize(Decimal("0.01"))
    term = of_entry(api, booked["EntryID"])[0]
    assert term["AmountFC"] == 121.0 and term["AmountDC"] == booked["AmountDC"] != term["AmountFC"]
    assert Decimal(str(term["RateFC"])) == rate
    # a partial payment in GBP: the DC part follows at the term's rate
    admin(server, f"receivables/{term['ID']}/payments", amount="21.00")
    rest = next(t for t in of_entry(api, booked["EntryID"]) if t["Status"] == cashflow.OPEN)
    assert rest["AmountFC"] == 100.0 and Decimal(str(rest["AmountDC"])) == Decimal("118.30")
    home = entry(api, 8, 100)
    assert home["AmountDC"] == home["AmountFC"]


def test_currencies_and_exchange_rates_are_listed(api):
    currencies = api.get(f"/{DIV}/general/Currencies", params={"$select": "Code,Description"}).json()["d"]["results"]
    assert {"EUR", "GBP", "USD"} <= {c["Code"] for c in currencies}
    rates = api.get(f"/{DIV}/financial/ExchangeRates",
                    params={"$filter": "SourceCurrency eq 'GBP'", "$select": "Rate,StartDate,TargetCurrency"})
    rows = rates.json()["d"]["results"]
    assert len(rows) == 2 and {r["TargetCurrency"] for r in rows} == {"EUR"}


def test_a_supplier_invoice_can_be_booked_beside_the_sales_side(server, api):
    added = admin(server, "payables", Account=IDS["acc_supplier"], AmountFC="55.50", InvoiceNumber=12, YourRef="12")
    assert added.json()["ok"]
    row = next(t for t in terms(api) if t["ID"] == added.json()["id"])
    assert row["LineType"] == cashflow.PAYMENT and row["AmountFC"] == -55.5 and row["Journal"] == "60"
    assert admin(server, "payables", Account=customer_id(999)).status_code == 400


def test_the_generated_seed_has_rates_currencies_and_supplier_terms():
    from exact_tui.sandbox.seed import generate
    from exact_tui.sandbox.seed_exact import MAIN_DIVISION

    data = generate(customers=60, seed=3).tables[MAIN_DIVISION]
    assert data[cashflow.PAYABLES] and all(r["LineType"] == cashflow.PAYMENT for r in data[cashflow.PAYABLES])
    assert {"GBP", "USD"} <= {r["SourceCurrency"] for r in data[cashflow.RATES]}
    assert any(j["Code"] == "60" and j["Type"] == 22 for j in data["financial/Journals"])
