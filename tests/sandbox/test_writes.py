"""Writes: 201 with Exact's null-unless-Prefer answer, 204 for PUT/DELETE, keys, invoices being
processed, sales entries with lines, receivables and the open-items list."""
from __future__ import annotations

import datetime as dt

import httpx

from conftest import DIV, IDS, customer_id, gid, message

TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()
ACC = f"/{DIV}/crm/Accounts"
PREFER = {"Prefer": "return=representation"}


def test_post_answers_201_with_unsent_fields_null(nl):
    answer = nl.post(ACC, json={"Name": "Nieuw BV", "Status": "C", "City": "Ede"})
    assert answer.status_code == 201
    d = answer.json()["d"]
    assert d["Name"] == "Nieuw BV" and d["City"] == "Ede" and d["ID"]
    assert d["Code"] is None and d["Postcode"] is None and d["IsSales"] is None
    assert answer.headers["Location"].endswith(f"(guid'{d['ID']}')")


def test_post_with_prefer_returns_the_whole_record_with_padded_code(nl):
    d = nl.post(ACC, json={"Name": "Compleet BV", "Code": "4711", "Status": "C"}, headers=PREFER).json()["d"]
    assert d["Code"] == "4711".rjust(18) and d["IsSales"] is True and d["Blocked"] is False
    assert d["Created"].startswith("/Date(")


def test_account_status_defaults_to_none_and_is_sales_is_read_only(nl):
    d = nl.post(ACC, json={"Name": "Prospect BV", "IsSales": True}, headers=PREFER).json()["d"]
    assert d["Status"] == "A" and d["IsSales"] is False


def test_put_and_delete_answer_204_without_body(nl):
    d = nl.post(f"/{DIV}/crm/Contacts", json={"Account": customer_id(5), "FirstName": "Els", "LastName": "Smit"}).json()["d"]
    url = f"/{DIV}/crm/Contacts(guid'{d['ID']}')"
    put = nl.put(url, json={"Email": "els@example.nl"})
    assert put.status_code == 204 and put.content == b""
    assert nl.get(url).json()["d"]["Email"] == "els@example.nl"
    assert nl.delete(url).status_code == 204
    assert nl.get(url).status_code == 404


def test_bad_and_unknown_keys(nl, en):
    bad = nl.get(f"{ACC}(guid'not-a-guid')")
    assert bad.status_code == 400 and message(bad).startswith("Niet herkende GUID-indeling")
    assert en.get(f"{ACC}(guid'nope')").json()["error"]["message"]["value"].startswith("Unrecognized Guid format")
    unknown = nl.get(f"{ACC}(guid'{gid(123456789)}')")
    assert unknown.status_code == 404 and message(unknown) == "Niet gevonden: Relatie"
    assert en.get(f"/{DIV}/crm/Nothing").status_code == 404


def test_malformed_bodies_are_400(nl):
    broken = nl.post(ACC, content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and "JSON" in message(broken)
    unknown_field = nl.post(ACC, json={"Name": "X", "Naam": "Y"})
    assert unknown_field.status_code == 400 and "Naam" in message(unknown_field)
    bad_date = nl.post(f"/{DIV}/salesentry/SalesEntries", json={"EntryDate": "gisteren"})
    assert bad_date.status_code == 400 and "EntryDate" in message(bad_date)
    bad_guid = nl.post(f"/{DIV}/crm/Contacts", json={"Account": "1042", "LastName": "X"})
    assert bad_guid.status_code == 400


def test_sales_entry_books_a_receivable_and_shows_in_open_items(server, nl):
    body = {"Journal": "70", "Customer": customer_id(40), "EntryDate": TODAY, "YourRef": "PO-77",
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 200, "VATCode": "2", "Description": "Uren"},
                                {"GLAccount": IDS["gl_revenue"], "AmountFC": 50}]}
    d = nl.post(f"/{DIV}/salesentry/SalesEntries", json=body, headers=PREFER).json()["d"]
    assert d["AmountFC"] == 292.0 and d["VATAmountFC"] == 42.0 and d["Status"] == 50 and d["Type"] == 20
    assert d["EntryNumber"] and d["InvoiceNumber"] == d["EntryNumber"]
    assert len(d["SalesEntryLines"]["results"]) == 2
    lines = nl.get(f"/{DIV}/salesentry/SalesEntryLines", params={"$filter": f"EntryID eq guid'{d['EntryID']}'"})
    assert len(lines.json()["d"]["results"]) == 2
    rec = nl.get(f"/{DIV}/cashflow/Receivables", params={"$filter": f"TransactionEntryID eq guid'{d['EntryID']}'"})
    receivable = rec.json()["d"]["results"][0]
    assert receivable["YourRef"] == "PO-77" and receivable["AmountDC"] == 292.0 and receivable["IsFullyPaid"] is False
    open_items = nl.get(f"/{DIV}/read/financial/ReceivablesList").json()["d"]["results"]
    item = next(r for r in open_items if r["Id"] == receivable["ID"])
    assert item["AccountId"] == customer_id(40) and item["AccountCode"].strip() == "40"
    assert item["Amount"] == 292.0 and item["YourRef"] == "PO-77" and item["JournalCode"] == "70"
    httpx.post(f"{server.base_url}/sandbox/divisions/{DIV}/receivables/{receivable['ID']}/pay").raise_for_status()
    open_items = nl.get(f"/{DIV}/read/financial/ReceivablesList").json()["d"]["results"]
    assert not any(r["Id"] == receivable["ID"] for r in open_items)  # paid: absent from the open items


def test_deleting_the_last_line_deletes_the_entry(nl):
    body = {"Journal": "70", "Customer": customer_id(41), "EntryDate": TODAY,
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 10}]}
    d = nl.post(f"/{DIV}/salesentry/SalesEntries", json=body, headers=PREFER).json()["d"]
    line = d["SalesEntryLines"]["results"][0]
    added = nl.post(f"/{DIV}/salesentry/SalesEntryLines",
                    json={"EntryID": d["EntryID"], "GLAccount": IDS["gl_revenue"], "AmountFC": 5})
    assert added.status_code == 201
    entry_url = f"/{DIV}/salesentry/SalesEntries(guid'{d['EntryID']}')"
    assert nl.get(entry_url, params={"$select": "AmountFC"}).json()["d"]["AmountFC"] == 15.0
    assert nl.delete(f"/{DIV}/salesentry/SalesEntryLines(guid'{line['ID']}')").status_code == 204
    assert nl.delete(f"/{DIV}/salesentry/SalesEntryLines(guid'{added.json()['d']['ID']}')").status_code == 204
    assert nl.get(entry_url).status_code == 404


def test_printed_sales_invoice_is_processed_numbered_and_booked(nl):
    body = {"Journal": "70", "OrderedBy": customer_id(42), "InvoiceDate": TODAY, "YourRef": "T-9",
            "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 2.5, "NetPrice": 100, "Description": "Advies"}]}
    inv = nl.post(f"/{DIV}/salesinvoice/SalesInvoices", json=body, headers=PREFER).json()["d"]
    assert inv["Status"] == 20 and inv["InvoiceNumber"] is None and inv["AmountFC"] == 302.5
    url = f"/{DIV}/salesinvoice/SalesInvoices(guid'{inv['InvoiceID']}')"
    assert nl.put(url, json={"Description": "Oktober"}).status_code == 204  # open: still changeable
    printed = nl.post(f"/{DIV}/salesinvoice/PrintedSalesInvoices", json={"InvoiceID": inv["InvoiceID"]})
    assert printed.status_code == 201
    after = nl.get(url, params={"$select": "Status,InvoiceNumber"}).json()["d"]
    assert after["Status"] == 50 and after["InvoiceNumber"]
    # the reference: "When printing the field InvoiceNumber is copied to the fields EntryNumber and
    # InvoiceNumber of the sales entry" (SalesInvoices carry no link to the entry)
    booked = nl.get(f"/{DIV}/salesentry/SalesEntries",
                    params={"$filter": f"Journal eq '70' and EntryNumber eq {after['InvoiceNumber']}"}).json()["d"]["results"]
    assert len(booked) == 1
    entry = booked[0]
    assert entry["EntryNumber"] == entry["InvoiceNumber"] == after["InvoiceNumber"] and entry["YourRef"] == "T-9"
    refused = nl.put(url, json={"Description": "te laat"})
    assert refused.status_code == 500 and message(refused) == "Niet toegestaan: Status (verwerkt)"
    assert nl.delete(url).status_code == 500
    assert nl.post(f"/{DIV}/salesinvoice/PrintedSalesInvoices", json={"InvoiceID": inv["InvoiceID"]}).status_code == 500


def test_expand_lines_and_deferred_links(nl):
    body = {"Journal": "70", "OrderedBy": customer_id(43), "InvoiceDate": TODAY,
            "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 1, "NetPrice": 10}]}
    inv = nl.post(f"/{DIV}/salesinvoice/SalesInvoices", json=body).json()["d"]
    url = f"/{DIV}/salesinvoice/SalesInvoices(guid'{inv['InvoiceID']}')"
    assert "__deferred" in nl.get(url).json()["d"]["SalesInvoiceLines"]
    expanded = nl.get(url, params={"$expand": "SalesInvoiceLines"}).json()["d"]["SalesInvoiceLines"]["results"]
    assert expanded[0]["ItemCode"] == "HOUR" and expanded[0]["GLAccount"] == IDS["gl_revenue"]


def test_webhook_subscription_needs_https(en):
    answer = en.post(f"/{DIV}/webhooks/WebhookSubscriptions", json={"CallbackURL": "http://localhost/x", "Topic": "Accounts"})
    assert answer.status_code == 500 and message(answer) == "Invalid: CallbackURL (https required)"
    ok = en.post(f"/{DIV}/webhooks/WebhookSubscriptions", json={"CallbackURL": "https://example.com/x", "Topic": "Accounts"})
    assert ok.status_code == 201
