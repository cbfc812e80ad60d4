"""What a transfer meets when Exact says no (issue 11's sandbox section), each from Exact's own
statements: the G/L account type of a sales line, closed periods, the entry of a processed invoice,
Exact's own entry number, one number per entry, a client's due date, a commit answered too late,
`sync/Deleted` entity types, and mandatory filtering whose field list Exact has not published."""
from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest

from conftest import DIV, IDS, customer_id, gid, message

YEAR = dt.datetime.now(dt.timezone.utc).year
TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()
ENTRIES = f"/{DIV}/salesentry/SalesEntries"
INVOICES = f"/{DIV}/salesinvoice/SalesInvoices"


def entry(**changes) -> dict:
    body = {"Journal": "70", "Customer": customer_id(30), "EntryDate": TODAY, "YourRef": f"NO-{uuid.uuid4().hex[:8]}",
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 100, "VATCode": "2"}]}
    body.update(changes)
    return body


def created(api, path: str, body: dict) -> dict:
    answer = api.post(path, json=body, headers={"Prefer": "return=representation"})
    assert answer.status_code == 201, answer.text
    return answer.json()["d"]


def behave(server, **values) -> None:
    assert httpx.post(f"{server.base_url}/sandbox/behaviour", json=values).status_code == 200


def set_row(server, table: str, key: str, **changes) -> None:
    answer = httpx.post(f"{server.base_url}/sandbox/divisions/{DIV}/rows/{table}/{key}", json=changes)
    assert answer.status_code == 200, answer.text


# ---------------------------------------------------------------- G/L account type of a sales line

@pytest.mark.parametrize("api_name, text", [
    ("nl", "Ongeldig: Grootboekrekeningtype (grootboekrekening '1300' is van het type '20 - Debiteuren')"),
    ("en", "Ledger account '1300' is of a wrong type: '20 - Accounts receivable'"),
])
def test_a_sales_line_on_a_receivables_account_is_refused(request, api_name, text):
    api = request.getfixturevalue(api_name)
    answer = api.post(ENTRIES, json=entry(SalesEntryLines=[{"GLAccount": IDS["gl_debtors"], "AmountFC": 10}]))
    assert answer.status_code == 500 and message(answer) == text


def test_a_non_revenue_profit_and_loss_account_depends_on_the_behaviour(server, en):
    cost_line = entry(SalesEntryLines=[{"GLAccount": IDS["gl_cost"], "AmountFC": 10}])
    refused = en.post(ENTRIES, json=cost_line)
    assert refused.status_code == 500 and message(refused) == "Ledger account '7000' is of a wrong type: '111 - Cost of goods'"
    behave(server, sales_line_gl="profit-loss")
    assert en.post(ENTRIES, json=entry(SalesEntryLines=[{"GLAccount": IDS["gl_cost"], "AmountFC": 10}])).status_code == 201
    debtors = en.post(ENTRIES, json=entry(SalesEntryLines=[{"GLAccount": IDS["gl_debtors"], "AmountFC": 10}]))
    assert debtors.status_code == 500  # a receivables account never, whatever the reading


# ---------------------------------------------------------------- closed periods

def test_an_entry_in_a_period_closed_since_cannot_be_changed_or_deleted(server, nl):
    booked = created(nl, ENTRIES, entry(EntryDate=f"{YEAR + 1}-03-10"))
    key = f"{ENTRIES}(guid'{booked['EntryID']}')"
    line_id = booked["SalesEntryLines"]["results"][0]["ID"]
    set_row(server, "financial/FinancialPeriods", gid((YEAR + 1) * 100 + 3), Closed=True)
    try:
        closed = f"Periode is afgesloten: {YEAR + 1} – 3"
        for answer in (nl.put(key, json={"Description": "changed"}), nl.delete(key),
                       nl.put(f"/{DIV}/salesentry/SalesEntryLines(guid'{line_id}')", json={"AmountFC": 5}),
                       nl.delete(f"/{DIV}/salesentry/SalesEntryLines(guid'{line_id}')"),
                       nl.post(f"/{DIV}/salesentry/SalesEntryLines",
                               json={"EntryID": booked["EntryID"], "GLAccount": IDS["gl_revenue"], "AmountFC": 1})):
            assert answer.status_code == 500 and message(answer) == closed
        still = nl.get(key).json()["d"]
        assert still["Description"] is None and still["AmountFC"] == 121.0
    finally:
        set_row(server, "financial/FinancialPeriods", gid((YEAR + 1) * 100 + 3), Closed=False)
    assert nl.delete(key).status_code == 204  # reopened: the same delete goes through


# ---------------------------------------------------------------- the entry of a processed invoice

def test_the_entry_of_a_processed_sales_invoice_cannot_be_deleted(en):
    invoice = created(en, INVOICES, {"Journal": "70", "OrderedBy": customer_id(31), "InvoiceDate": TODAY,
                                     "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 2, "NetPrice": 50}]})
    assert en.post(f"/{DIV}/salesinvoice/PrintedSalesInvoices", json={"InvoiceID": invoice["InvoiceID"]}).status_code == 201
    processed = en.get(f"{INVOICES}(guid'{invoice['InvoiceID']}')").json()["d"]
    booked = en.get(ENTRIES, params={"$filter": f"Journal eq '70' and EntryNumber eq {processed['InvoiceNumber']}"})
    entry_id = booked.json()["d"]["results"][0]["EntryID"]
    answer = en.delete(f"{ENTRIES}(guid'{entry_id}')")
    assert answer.status_code == 500
    assert message(answer) == (f"Not allowed: Delete (entry of processed sales invoice {processed['InvoiceNumber']}; "
                               "create a credit note)")
    assert en.get(f"{ENTRIES}(guid'{entry_id}')").status_code == 200


# ---------------------------------------------------------------- numbering and due date

def test_one_number_per_entry_from_either_hint(en):
    by_entry = created(en, ENTRIES, entry(EntryNumber=70_990_001))
    assert by_entry["EntryNumber"] == by_entry["InvoiceNumber"] == 70_990_001
    by_invoice = created(en, ENTRIES, entry(InvoiceNumber=70_990_002))
    assert by_invoice["EntryNumber"] == by_invoice["InvoiceNumber"] == 70_990_002
    mine = created(en, ENTRIES, entry())
    assert mine["EntryNumber"] == mine["InvoiceNumber"] and mine["EntryNumber"] not in (70_990_001, 70_990_002)
    again = en.post(ENTRIES, json=entry(InvoiceNumber=70_990_001))
    assert again.status_code == 500 and message(again) == "There is already a sales booking for this invoice number"
    receivable = en.get(f"/{DIV}/cashflow/Receivables", params={
        "$filter": f"TransactionEntryID eq guid'{by_invoice['EntryID']}'"}).json()["d"]["results"][0]
    assert receivable["InvoiceNumber"] == receivable["EntryNumber"] == 70_990_002


def test_exact_may_ignore_the_number_hint_and_number_the_entry_itself(server, en):
    behave(server, entry_number_hint="ignore")
    ignored = created(en, ENTRIES, entry(EntryNumber=70_990_101, InvoiceNumber=70_990_101))
    assert ignored["EntryNumber"] != 70_990_101 and ignored["InvoiceNumber"] == ignored["EntryNumber"]
    found = en.get(ENTRIES, params={"$filter": f"YourRef eq '{ignored['YourRef']}'"}).json()["d"]["results"]
    assert [e["EntryID"] for e in found] == [ignored["EntryID"]]  # the key we control still finds it


def test_a_due_date_sent_is_kept_and_one_left_out_is_computed(en):
    kept = created(en, ENTRIES, entry(EntryDate=f"{YEAR}-05-01", DueDate=f"{YEAR}-05-15"))
    assert kept["DueDate"] == f"/Date({int(dt.datetime(YEAR, 5, 15, tzinfo=dt.timezone.utc).timestamp() * 1000)})/"
    computed = created(en, ENTRIES, entry(EntryDate=f"{YEAR}-05-01"))  # customer's condition: 30 days
    assert computed["DueDate"] == f"/Date({int(dt.datetime(YEAR, 5, 31, tzinfo=dt.timezone.utc).timestamp() * 1000)})/"


# ---------------------------------------------------------------- a commit answered too late

def test_slow_commit_answers_after_the_clients_timeout_but_the_entry_exists(server, en):
    body = entry()
    with server.faults("slow-commit:ms=1500"):
        with pytest.raises(httpx.ReadTimeout):
            en.post(ENTRIES, json=body, timeout=0.4)
        found = en.get(ENTRIES, params={"$filter": f"YourRef eq '{body['YourRef']}'"}, timeout=5).json()["d"]["results"]
        assert len(found) == 1  # committed before the answer, visible to the client's look-up at once
        assert server.runtime.stats.faults["slow-commit"] == 1


# ---------------------------------------------------------------- sync/Deleted

def deleted_since(api, stamp: int) -> list[dict]:
    answer = api.get(f"/{DIV}/sync/Deleted", params={"$select": "EntityKey,EntityType,Timestamp",
                                                      "$filter": f"Timestamp gt {stamp}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["d"]["results"]


def test_a_deleted_entry_shows_as_its_deleted_transaction_lines(server, nl):
    booked = created(nl, ENTRIES, entry(SalesEntryLines=[{"GLAccount": IDS["gl_revenue"], "AmountFC": 60},
                                                         {"GLAccount": IDS["gl_revenue"], "AmountFC": 40}]))
    lines = {line["ID"] for line in booked["SalesEntryLines"]["results"]}
    stamp = server.world.timestamp
    assert nl.delete(f"{ENTRIES}(guid'{booked['EntryID']}')").status_code == 204
    gone = deleted_since(nl, stamp)
    lines_gone = {r["EntityKey"] for r in gone if r["EntityType"] == 1}
    assert lines_gone == lines and booked["EntryID"] not in {r["EntityKey"] for r in gone}
    assert {r["EntityType"] for r in gone} <= {1, 10}  # lines, and the receivable's payment term


def test_deleted_types_are_exacts_numbers_and_never_0(server, en):
    stamp = server.world.timestamp
    draft = created(en, INVOICES, {"Journal": "70", "OrderedBy": customer_id(32), "InvoiceDate": TODAY,
                                   "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 1, "NetPrice": 5}]})
    assert en.delete(f"{INVOICES}(guid'{draft['InvoiceID']}')").status_code == 204
    contact = created(en, f"/{DIV}/crm/Contacts", {"Account": customer_id(32), "LastName": "Weg"})
    assert en.delete(f"/{DIV}/crm/Contacts(guid'{contact['ID']}')").status_code in (204, 405)
    gone = deleted_since(en, stamp)
    assert (draft["InvoiceID"], 13) in {(r["EntityKey"], r["EntityType"]) for r in gone}
    everything = deleted_since(en, 0)
    assert everything and 0 not in {r["EntityType"] for r in everything}
    assert {r["EntityType"] for r in everything} <= {1, 2, 3, 5, 7, 8, 9, 10, 13}


def test_there_is_no_bulk_endpoint_for_sales_entries(nl):
    answer = nl.get(f"/{DIV}/bulk/SalesEntry/SalesEntries", params={"$select": "EntryID"})
    assert answer.status_code == 404


# ---------------------------------------------------------------- mandatory filtering

def test_accounts_take_the_published_field_list(nl):
    assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "City eq 'Zwolle'", "$select": "ID"}).status_code == 200
    refused = nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Website eq 'x'", "$select": "ID"})
    assert refused.status_code == 400 and "City," in message(refused) and message(refused).endswith("VATNumber.")
    assert nl.get(f"/{DIV}/logistics/Items", params={"$filter": "IsSalesItem eq true", "$select": "ID"}).status_code == 200


@pytest.mark.parametrize("path, key", [
    ("salesinvoice/SalesInvoices", "InvoiceID"), ("crm/Contacts", "ID"), ("cashflow/Receivables", "ID"),
])
def test_unpublished_mandatory_filter_lists_are_a_behaviour(server, nl, path, key):
    url = f"/{DIV}/{path}"
    by_ref = {"$filter": "YourRef eq 'x'" if path != "crm/Contacts" else "Email eq 'x'"}
    by_key = {"$filter": f"{key} eq guid'{gid(1)}'"}
    assert nl.get(url).status_code == 400  # default "any-field": some $filter is needed
    assert nl.get(url, params=by_ref).status_code == 200
    behave(server, mandatory_filter="key-only")
    refused = nl.get(url, params=by_ref)
    assert refused.status_code == 400 and message(refused).startswith("This endpoint has mandatory filtering applied.")
    assert message(refused).endswith(f"url:{key}.")
    assert nl.get(url, params=by_key).status_code == 200
    behave(server, mandatory_filter="none")
    assert nl.get(url).status_code == 200
