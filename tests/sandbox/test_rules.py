"""Business rules that make peers' errors happen, each in Dutch (demo) and English (api)."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import DIV, IDS, customer_id, message

YEAR = dt.datetime.now(dt.timezone.utc).year
TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()
ENTRIES = f"/{DIV}/salesentry/SalesEntries"
INVOICES = f"/{DIV}/salesinvoice/SalesInvoices"


def entry(**changes) -> dict:
    body = {"Journal": "70", "Customer": customer_id(20), "EntryDate": TODAY, "YourRef": "R-1",
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 100, "VATCode": "2"}]}
    body.update(changes)
    return body


def invoice(**changes) -> dict:
    body = {"Journal": "70", "OrderedBy": customer_id(21), "InvoiceDate": TODAY,
            "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 1.5, "NetPrice": 90}]}
    body.update(changes)
    return body


RULES = [
    ("non-sales journal", ENTRIES, entry(Journal="90"), "Ongeldig: Dagboek (type)", "Invalid: Journal (type)"),
    ("unknown journal", ENTRIES, entry(Journal="77"), "Ongeldige referentie: Dagboek", "Invalid reference: Journal"),
    ("foreign currency", ENTRIES, entry(Currency="USD"), "Niet toegestaan: Valuta (dagboek 70)",
     "Not allowed: Currency (journal 70)"),
    ("item without revenue GL", INVOICES,
     invoice(SalesInvoiceLines=[{"Item": IDS["item_nogl"], "Quantity": 1, "NetPrice": 5}]),
     "Verplicht: Grootboekrekening", "Required: general ledger account"),
    ("non-divisible item", INVOICES,
     invoice(SalesInvoiceLines=[{"Item": IDS["item_fixed"], "Quantity": 1.5, "NetPrice": 5}]),
     "Ongeldig: Aantal (artikel FIX is niet deelbaar)", "Invalid: Quantity (item FIX is not divisible)"),
    ("inclusive VAT code", ENTRIES,
     entry(SalesEntryLines=[{"GLAccount": IDS["gl_revenue"], "AmountFC": 100, "VATCode": "4"}]),
     "Het bedrag van de BTW regel met BTW code 4 komt niet overeen met het totaal aan BTW-bedragen in de grondslagregels",
     "The amount of the VAT line with VAT code 4 does not match the total of the VAT amounts in the base lines"),
    ("no payment condition", ENTRIES, entry(Customer=IDS["acc_nopay"]), "Verplicht: Betalingsconditie",
     "Mandatory: Payment condition"),
    ("no fiscal year", ENTRIES, entry(EntryDate="2015-06-01"), "Onbekend: Boekjaar (Periode-datumtabel)",
     "Unknown: Fiscal year (Period - date table)"),
    ("closed period", ENTRIES, entry(EntryDate=f"{YEAR - 1}-01-15"), f"Periode is afgesloten: {YEAR - 1} – 1",
     f"Period is closed: {YEAR - 1} – 1"),
    ("code used by a non-customer", ENTRIES, entry(Customer=IDS["acc_supplier"]), "Ongeldig: Klant (Type)",
     "Invalid: Customer (Type)"),
    ("blocked account", INVOICES, invoice(OrderedBy=IDS["acc_blocked"]), "Geblokkeerd: Klant", "Blocked: Customer"),
    ("blocked GL account", ENTRIES,
     entry(SalesEntryLines=[{"GLAccount": IDS["gl_blocked"], "AmountFC": 1}]),
     "Geblokkeerd: Grootboekrekening: 8999 - Oude omzet", "Blocked: Ledger account: 8999 - Oude omzet"),
    ("item whose revenue GL is blocked", INVOICES,
     invoice(SalesInvoiceLines=[{"Item": IDS["item_blocked_gl"], "Quantity": 1, "NetPrice": 5}]),
     "Geblokkeerd: Grootboekrekening: 8999 - Oude omzet", "Blocked: Ledger account: 8999 - Oude omzet"),
    ("item past its end date", INVOICES,
     invoice(SalesInvoiceLines=[{"Item": IDS["item_ended"], "Quantity": 1, "NetPrice": 5}]),
     f"Ongeldig: Artikel (OLD is niet actief: einddatum 31-12-{YEAR - 2})",
     f"Invalid: Item (OLD is not active: end date {YEAR - 2}-12-31)"),
    ("item before its start date", INVOICES,
     invoice(SalesInvoiceLines=[{"Item": IDS["item_later"], "Quantity": 1, "NetPrice": 5}]),
     f"Ongeldig: Artikel (NEW is niet actief: begindatum 01-01-{YEAR + 3})",
     f"Invalid: Item (NEW is not active: start date {YEAR + 3}-01-01)"),
    ("purchase-only item on a sales line", INVOICES,
     invoice(SalesInvoiceLines=[{"Item": IDS["item_purchase"], "Quantity": 1, "NetPrice": 5}]),
     "Ongeldig: Artikel (HW is geen verkoopartikel)", "Invalid: Item (HW is not a sales item)"),
    ("lines required on POST", ENTRIES, entry(SalesEntryLines=[]), "Verplicht: Regels", "Required: Lines"),
    ("account without name", f"/{DIV}/crm/Accounts", {"Name": " ", "Status": "C"}, "Verplicht: Naam", "Required: Name"),
]


@pytest.mark.parametrize("case, path, body, dutch, english", RULES, ids=[r[0] for r in RULES])
def test_business_rule_in_both_languages(nl, en, case, path, body, dutch, english):
    for api, text, lang in ((nl, dutch, "nl-NL"), (en, english, "en-US")):
        answer = api.post(path, json=body)
        assert answer.status_code == 500, answer.text
        error = answer.json()["error"]
        assert error["message"] == {"lang": lang, "value": text} and error["code"] == ""


def test_variable_currency_journal_accepts_foreign_currency(nl):
    answer = nl.post(ENTRIES, json=entry(Journal="71", Currency="USD"), headers={"Prefer": "return=representation"})
    assert answer.status_code == 201 and answer.json()["d"]["Currency"] == "USD"


def test_divisible_item_accepts_fractional_quantity(nl):
    assert nl.post(INVOICES, json=invoice()).status_code == 201


def test_duplicate_entry_number_and_invoice_number(nl, en):
    first = nl.post(ENTRIES, json=entry(EntryNumber=7012345), headers={"Prefer": "return=representation"})
    assert first.status_code == 201 and first.json()["d"]["EntryNumber"] == 7012345
    again = nl.post(ENTRIES, json=entry(EntryNumber=7012345))
    assert again.status_code == 500 and message(again) == "In gebruik: Boekstuknummer"
    assert message(en.post(ENTRIES, json=entry(EntryNumber=7012345))) == "In use: Document number"
    same_invoice = en.post(ENTRIES, json=entry(InvoiceNumber=7012345))
    assert message(same_invoice) == "There is already a sales booking for this invoice number"
    assert message(nl.post(ENTRIES, json=entry(InvoiceNumber=7012345))) == \
        "Er is al een verkoopboeking voor dit factuurnummer"
    other_journal = nl.post(ENTRIES, json=entry(Journal="71", EntryNumber=7012345))
    assert other_journal.status_code == 201  # numbers are per journal


def test_duplicate_invoice_number_on_invoices(nl):
    assert nl.post(INVOICES, json=invoice(InvoiceNumber=8800001)).status_code == 201
    answer = nl.post(INVOICES, json=invoice(InvoiceNumber=8800001))
    assert answer.status_code == 500 and message(answer) == "In gebruik: Boekstuknummer"


def test_code_in_put_is_refused_even_unchanged(nl, en):
    key = customer_id(30)
    for api, text in ((nl, "Gegeven bestaat reeds"), (en, "Data already exists")):
        answer = api.put(f"/{DIV}/crm/Accounts(guid'{key}')", json={"Code": "30".rjust(18), "Name": "X"})
        assert answer.status_code == 500 and message(answer) == text
    assert nl.put(f"/{DIV}/crm/Accounts(guid'{key}')", json={"Name": "Customer 30 Holding"}).status_code == 204


def test_new_account_code_must_be_unused(nl, en):
    answer = en.post(f"/{DIV}/crm/Accounts", json={"Name": "Clash", "Code": "9001", "Status": "C"})
    assert answer.status_code == 500 and message(answer) == "Already exists: Code (9001)"


def test_lines_refused_on_put(nl, en):
    created = nl.post(ENTRIES, json=entry(), headers={"Prefer": "return=representation"}).json()["d"]
    url = f"{ENTRIES}(guid'{created['EntryID']}')"
    for api, text in ((nl, "Niet toegestaan: Regels (wijzig via SalesEntryLines)"),
                      (en, "Not allowed: Lines (change through SalesEntryLines)")):
        answer = api.put(url, json={"SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 1}]})
        assert answer.status_code == 500 and message(answer) == text
    assert nl.put(url, json={"Description": "changed"}).status_code == 204


def test_delete_of_paid_entry_is_configurable(server, nl):
    created = nl.post(ENTRIES, json=entry(), headers={"Prefer": "return=representation"}).json()["d"]
    receivable = server.world.table(DIV, "cashflow/Receivables").find(TransactionEntryID=created["EntryID"])[0]
    import httpx

    httpx.post(f"{server.base_url}/sandbox/divisions/{DIV}/receivables/{receivable['ID']}/pay").raise_for_status()
    url = f"{ENTRIES}(guid'{created['EntryID']}')"
    refused = nl.delete(url)
    assert refused.status_code == 500 and message(refused) == "Niet toegestaan: Verwijderen (afgeletterd of betaald)"
    server.runtime.apply_behaviour({"allow_delete_paid": True})
    try:
        assert nl.delete(url).status_code == 204
    finally:
        server.runtime.apply_behaviour({"allow_delete_paid": False})


PRINT = f"/{DIV}/salesinvoice/PrintedSalesInvoices"


def _draft(api, **changes) -> str:
    answer = api.post(INVOICES, json=invoice(**changes), headers={"Prefer": "return=representation"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["d"]["Status"] == 20  # a draft: no period or number rules yet
    return answer.json()["d"]["InvoiceID"]


def _status(server, invoice_id: str) -> int:
    return server.world.table(DIV, "salesinvoice/SalesInvoices").get(invoice_id)["Status"]


@pytest.mark.parametrize("case, changes, dutch, english", [
    ("closed period", {"InvoiceDate": f"{YEAR - 1}-01-20"}, f"Periode is afgesloten: {YEAR - 1} – 1",
     f"Period is closed: {YEAR - 1} – 1"),
    ("no fiscal year", {"InvoiceDate": "2015-06-01"}, "Onbekend: Boekjaar (Periode-datumtabel)",
     "Unknown: Fiscal year (Period - date table)"),
])
def test_processing_a_draft_applies_the_period_rules(server, nl, en, case, changes, dutch, english):
    for api, text in ((nl, dutch), (en, english)):
        invoice_id = _draft(api, **changes)
        booked = len(server.world.table(DIV, "salesentry/SalesEntries"))
        answer = api.post(PRINT, json={"InvoiceID": invoice_id})
        assert answer.status_code == 500 and message(answer) == text
        assert _status(server, invoice_id) == 20  # still a draft, nothing booked
        assert len(server.world.table(DIV, "salesentry/SalesEntries")) == booked


def test_a_period_closed_after_the_draft_was_made_refuses_processing(server, nl, en):
    invoice_id = _draft(nl, InvoiceDate=f"{YEAR}-03-10")
    period = next(p for p in server.world.table(DIV, "financial/FinancialPeriods").rows.values()
                  if p["FinYear"] == YEAR and p["FinPeriod"] == 3)
    import httpx

    url = f"{server.base_url}/sandbox/divisions/{DIV}/rows/financial/FinancialPeriods/{period['ID']}"
    httpx.post(url, json={"Closed": True}).raise_for_status()
    try:
        for api, text in ((nl, f"Periode is afgesloten: {YEAR} – 3"), (en, f"Period is closed: {YEAR} – 3")):
            answer = api.post(PRINT, json={"InvoiceID": invoice_id})
            assert answer.status_code == 500 and message(answer) == text
        assert _status(server, invoice_id) == 20
        # processing on another date (the print date) in an open period books it
        moved = nl.post(PRINT, json={"InvoiceID": invoice_id, "InvoiceDate": f"{YEAR}-04-01"})
        assert moved.status_code == 201, moved.text
        assert _status(server, invoice_id) == 50
    finally:
        httpx.post(url, json={"Closed": False}).raise_for_status()


def test_processing_refuses_an_invoice_number_booked_meanwhile(server, nl, en):
    invoice_id = _draft(nl, InvoiceNumber=7055501)
    assert nl.post(ENTRIES, json=entry(EntryNumber=7055501)).status_code == 201  # booked by hand meanwhile
    for api, text in ((nl, "In gebruik: Boekstuknummer"), (en, "In use: Document number")):
        answer = api.post(PRINT, json={"InvoiceID": invoice_id})
        assert answer.status_code == 500 and message(answer) == text
    assert _status(server, invoice_id) == 20


def test_a_refused_processing_leaves_no_gap_in_the_numbers(server, nl, en):
    import httpx

    first = nl.post(PRINT, json={"InvoiceID": _draft(nl)})
    assert first.status_code == 201, first.text
    number = server.world.table(DIV, "salesinvoice/SalesInvoices").get(first.json()["d"]["InvoiceID"])["InvoiceNumber"]
    invoice_id = _draft(nl, SalesInvoiceLines=[{"Item": IDS["item_fixed"], "Quantity": 1, "NetPrice": 5}])
    gl = f"{server.base_url}/sandbox/divisions/{DIV}/rows/financial/GLAccounts/{IDS['gl_revenue']}"
    httpx.post(gl, json={"IsBlocked": True}).raise_for_status()  # blocked after the draft was made
    try:
        for api, text in ((nl, "Geblokkeerd: Grootboekrekening: 8000 - Omzet"), (en, "Blocked: Ledger account: 8000 - Omzet")):
            answer = api.post(PRINT, json={"InvoiceID": invoice_id})
            assert answer.status_code == 500 and message(answer) == text
    finally:
        httpx.post(gl, json={"IsBlocked": False}).raise_for_status()
    assert nl.post(PRINT, json={"InvoiceID": invoice_id}).status_code == 201
    assert server.world.table(DIV, "salesinvoice/SalesInvoices").get(invoice_id)["InvoiceNumber"] == number + 1


def test_an_item_ended_after_the_draft_refuses_processing(server, nl, en):
    import httpx

    invoice_id = _draft(nl, SalesInvoiceLines=[{"Item": IDS["item_fixed"], "Quantity": 2, "NetPrice": 5}])
    item = f"{server.base_url}/sandbox/divisions/{DIV}/rows/logistics/Items/{IDS['item_fixed']}"
    httpx.post(item, json={"EndDate": f"{YEAR - 1}-06-30"}).raise_for_status()
    try:
        for api, text in ((nl, f"Ongeldig: Artikel (FIX is niet actief: einddatum 30-06-{YEAR - 1})"),
                          (en, f"Invalid: Item (FIX is not active: end date {YEAR - 1}-06-30)")):
            answer = api.post(PRINT, json={"InvoiceID": invoice_id})
            assert answer.status_code == 500 and message(answer) == text
        assert _status(server, invoice_id) == 20
    finally:
        httpx.post(item, json={"EndDate": None}).raise_for_status()
    assert nl.post(PRINT, json={"InvoiceID": invoice_id}).status_code == 201
