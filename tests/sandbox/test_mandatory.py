"""Exact's Mandatory column, enforced on POST. The REST reference marks per property whether it is
mandatory (reference.py's `q`, scraped from the reference pages by Pi-Systems/exact-online); a POST that
leaves one out or empty is refused with `Verplicht: <field>` / `Required: <field>` (HTTP 500, the
catalogue's "a required field is empty"). The reference's descriptions qualify three of them: a contact
needs "at least first name or last name", a sales invoice line's G/L account "is generated based on the
revenue account of the item", and a line inside its parent's POST gets its parent's key."""
from __future__ import annotations

import datetime as dt
import uuid
from xml.etree import ElementTree

import pytest

from conftest import DIV, IDS, customer_id, message
from exact_tui.sandbox.schema import ROUTES, documented

TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()


def ref() -> str:
    return f"MAND-{uuid.uuid4().hex[:8]}"


def entry_body() -> dict:
    return {"Journal": "70", "Customer": customer_id(40), "EntryDate": TODAY, "YourRef": ref(),
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 10}]}


def invoice_body() -> dict:
    return {"Journal": "70", "OrderedBy": customer_id(41), "YourRef": ref(),
            "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 1, "NetPrice": 10}]}


def posted(api, path: str, body: dict) -> dict:
    answer = api.post(f"/{DIV}/{path}", json=body, headers={"Prefer": "return=representation"})
    assert answer.status_code == 201, answer.text
    return answer.json()["d"]


def valid_bodies(api) -> dict[str, dict]:
    """One body per writable entity that Exact accepts, to take one mandatory property out of."""
    entry = posted(api, "salesentry/SalesEntries", entry_body())
    draft = posted(api, "salesinvoice/SalesInvoices", invoice_body())
    return {
        "crm/Accounts": {"Name": "Verplicht BV", "Status": "C"},
        "crm/Contacts": {"Account": customer_id(42), "LastName": "Bakker"},
        "salesentry/SalesEntries": entry_body(),
        "salesentry/SalesEntryLines": {"EntryID": entry["EntryID"], "GLAccount": IDS["gl_revenue"], "AmountFC": 5},
        "salesinvoice/SalesInvoices": invoice_body(),
        "salesinvoice/SalesInvoiceLines": {"InvoiceID": draft["InvoiceID"], "Item": IDS["item_hour"], "Quantity": 1},
        "salesinvoice/PrintedSalesInvoices": {"InvoiceID": draft["InvoiceID"]},
        "webhooks/WebhookSubscriptions": {"CallbackURL": "https://example.com/hook", "Topic": "SalesEntries"},
    }


# the reference's Mandatory column, per writable entity (the pages as scraped; keys are Exact's to assign)
MANDATORY = {
    "crm/Accounts": {"Name"}, "crm/Contacts": {"Account", "FirstName", "LastName"},
    "salesentry/SalesEntries": {"Journal", "Customer", "SalesEntryLines"},
    "salesentry/SalesEntryLines": {"EntryID", "GLAccount", "AmountFC"},
    "salesinvoice/SalesInvoices": {"Journal", "OrderedBy", "SalesInvoiceLines"},
    "salesinvoice/SalesInvoiceLines": {"InvoiceID", "Item", "GLAccount"},
    "salesinvoice/PrintedSalesInvoices": {"InvoiceID"}, "webhooks/WebhookSubscriptions": {"CallbackURL", "Topic"},
}
CASES = [(path, name) for path, names in MANDATORY.items() for name in sorted(names)
         if (path, name) not in {("crm/Contacts", "FirstName"), ("salesinvoice/SalesInvoiceLines", "GLAccount")}]


@pytest.mark.parametrize("path", sorted(MANDATORY))
def test_the_reference_data_carries_the_mandatory_column(path):
    spec = ROUTES[path.lower()]
    assert {name for name, prop in spec.properties.items() if prop.required} == MANDATORY[path]


def test_other_entities_carry_it_too_and_keys_are_not_mandatory():
    assert {n for n, p in documented("Item").items() if p.required} == {"Code", "Description"}
    assert {n for n, p in documented("GLAccount").items() if p.required} == {"Code", "Description"}
    assert {n for n, p in documented("ExchangeRate").items() if p.required} == {"SourceCurrency"}
    assert not documented("SalesEntry")["EntryID"].required and not documented("Account")["ID"].required


@pytest.fixture(scope="module")
def bodies(nl):
    return valid_bodies(nl)


@pytest.mark.parametrize("path, name", CASES, ids=[f"{p}-{n}" for p, n in CASES])
@pytest.mark.parametrize("how", ["left out", "empty"])
def test_a_post_without_a_mandatory_property_is_refused(nl, en, bodies, path, name, how):
    body = dict(bodies[path])
    if how == "left out":
        body.pop(name, None)
    else:
        body[name] = [] if name.endswith("Lines") else None
    for api, prefix in ((nl, "Verplicht: "), (en, ("Required: ", "Mandatory: "))):
        answer = api.post(f"/{DIV}/{path}", json=body)
        assert answer.status_code == 500, (name, answer.text)
        assert message(answer).startswith(prefix), message(answer)


def test_the_message_names_the_field_in_the_users_language(nl, en, bodies):
    line = dict(bodies["salesentry/SalesEntryLines"])
    del line["AmountFC"]
    assert message(nl.post(f"/{DIV}/salesentry/SalesEntryLines", json=line)) == "Verplicht: Bedrag"
    assert message(en.post(f"/{DIV}/salesentry/SalesEntryLines", json=line)) == "Required: Amount"
    nested = entry_body()
    del nested["SalesEntryLines"][0]["AmountFC"]
    assert message(en.post(f"/{DIV}/salesentry/SalesEntries", json=nested)) == "Required: Amount"
    assert message(en.post(f"/{DIV}/salesinvoice/SalesInvoices", json={**invoice_body(), "Journal": ""})) == \
        "Required: Journal"


def test_a_contact_needs_a_first_or_a_last_name_not_both(nl):
    only_first = posted(nl, "crm/Contacts", {"Account": customer_id(43), "FirstName": "Els"})
    assert only_first["FirstName"] == "Els" and only_first["LastName"] is None
    assert posted(nl, "crm/Contacts", {"Account": customer_id(43), "LastName": "Smit"})["LastName"] == "Smit"
    neither = nl.post(f"/{DIV}/crm/Contacts", json={"Account": customer_id(43), "FirstName": " "})
    assert neither.status_code == 500 and message(neither) == "Verplicht: Achternaam"


def test_exact_fills_an_invoice_lines_gl_account_from_the_item(nl, bodies):
    line = posted(nl, "salesinvoice/SalesInvoiceLines", bodies["salesinvoice/SalesInvoiceLines"])
    assert line["GLAccount"] == IDS["gl_revenue"]


def test_lines_inside_their_parent_need_no_parent_key(nl):
    booked = posted(nl, "salesentry/SalesEntries", entry_body())
    assert booked["SalesEntryLines"]["results"][0]["EntryID"] == booked["EntryID"]


def test_metadata_marks_mandatory_properties_not_nullable(nl):
    answer = nl.get(f"/{DIV}/salesentry/$metadata")
    assert answer.status_code == 200
    ns = {"e": "http://schemas.microsoft.com/ado/2009/11/edm"}
    line = next(t for t in ElementTree.fromstring(answer.content).iter(f"{{{ns['e']}}}EntityType")
                if t.get("Name") == "SalesEntryLine")
    nullable = {p.get("Name"): p.get("Nullable") for p in line.iter(f"{{{ns['e']}}}Property")}
    assert nullable["AmountFC"] == "false" and nullable["Description"] == "true"


def test_a_put_cannot_empty_a_mandatory_property(nl, en):
    entry = posted(nl, "salesentry/SalesEntries", entry_body())
    key = f"/{DIV}/salesentry/SalesEntries(guid'{entry['EntryID']}')"
    emptied = en.put(key, json={"Journal": ""})
    assert emptied.status_code == 500 and message(emptied) == "Required: Journal"
    assert en.put(key, json={"Description": "only this"}).status_code == 204  # what is not sent stays
    contact = posted(nl, "crm/Contacts", {"Account": customer_id(44), "FirstName": "Els", "LastName": "Smit"})
    contact_url = f"/{DIV}/crm/Contacts(guid'{contact['ID']}')"
    assert nl.put(contact_url, json={"LastName": None}).status_code == 204  # the first name is enough
    gone = nl.put(contact_url, json={"FirstName": ""})
    assert gone.status_code == 500 and message(gone) == "Verplicht: Achternaam"
