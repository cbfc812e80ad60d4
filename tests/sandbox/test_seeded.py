"""The product path: a sandbox on `seed.generate` data (what `exact-tui sandbox` and the demo serve)
answers a full connect → read → invoice round trip, with the seeded users behaving as promised."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import Api, code_for, message, token_call
from exact_tui.sandbox import SandboxConfig, SandboxServer

CUSTOMERS = 60


@pytest.fixture(scope="module")
def seeded():
    server = SandboxServer(SandboxConfig(customers=CUSTOMERS, seed=3)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo(seeded):
    api = Api(seeded, "demo")
    yield api
    api.close()


def rows(answer) -> list[dict]:
    assert answer.status_code == 200, answer.text
    return answer.json()["d"]["results"]


def test_seeded_users_and_languages(seeded, demo):
    me = rows(demo.get("/current/Me"))[0]
    assert me["UserName"] == "demo" and me["Language"] == "nl-NL"
    assert me["CurrentDivision"] in seeded.seed.granted_divisions
    api = Api(seeded, "api")
    try:
        assert rows(api.get("/current/Me"))[0]["Language"] == "en-US"
    finally:
        api.close()
    refused = token_call(seeded, grant_type="authorization_code", code=code_for(seeded, "inactive"),
                         redirect_uri=seeded.redirect_uri)
    assert refused.json() == {"error": "invalid_grant", "error_description": "The user is not active"}


def test_seeded_accounts_have_padded_codes(seeded, demo):
    division = seeded.world.users["demo"].current_division
    accounts = rows(demo.get(f"/{division}/bulk/CRM/Accounts", params={"$select": "ID,Code,Name,Status"}))
    assert len(accounts) >= CUSTOMERS
    assert all(len(a["Code"]) == 18 and a["Code"] == a["Code"].strip().rjust(18) for a in accounts if a["Code"])


def test_divisions_not_granted_are_refused(seeded, demo):
    user = seeded.world.users["demo"]
    refused = [d for d in user.divisions if d not in seeded.seed.granted_divisions]
    for division in refused[:1]:
        answer = demo.get(f"/{division}/system/Divisions")
        assert answer.status_code == 403 and "niet opgenomen in de rechten" in message(answer)
    listed = {d["Code"] for d in rows(demo.get(f"/{user.current_division}/system/Divisions"))}
    assert user.current_division in listed


def _pick(seeded, division: int) -> dict:
    """Master data that should book cleanly: a sales journal in the home currency, a customer with a
    payment condition, a divisible item with revenue G/L and an exclusive VAT code."""
    table = seeded.world.table
    settings = seeded.world.settings.get(division, {})
    home = settings.get("Currency") or "EUR"
    journal = next(j for j in table(division, "financial/Journals").rows.values()
                   if j.get("Type") == 20 and (j.get("Currency") or home) == home)
    exclusive = {str(v["Code"]).strip() for v in table(division, "vat/VATCodes").rows.values()
                 if str(v.get("Type", "E")).upper() == "E"}
    item = next(i for i in table(division, "logistics/Items").rows.values()
                if i.get("GLRevenue") and i.get("IsFractionAllowedItem") and str(i.get("SalesVatCode") or "").strip() in exclusive
                and table(division, "financial/GLAccounts").get(i["GLRevenue"]) is not None
                and not table(division, "financial/GLAccounts").get(i["GLRevenue"]).get("IsBlocked"))
    default_condition = settings.get("DefaultPaymentConditionSales")
    customer = next(a for a in table(division, "crm/Accounts").rows.values()
                    if a.get("Status") == "C" and not a.get("Blocked") and (a.get("PaymentConditionSales") or default_condition))
    return {"journal": str(journal["Code"]).strip(), "item": item, "customer": customer}


def test_an_invoice_books_on_seeded_master_data(seeded, demo):
    division = seeded.world.users["demo"].current_division
    picked = _pick(seeded, division)
    today = seeded.clock.now().date().isoformat()
    invoice = demo.post(f"/{division}/salesinvoice/SalesInvoices", headers={"Prefer": "return=representation"}, json={
        "Journal": picked["journal"], "OrderedBy": picked["customer"]["ID"], "InvoiceDate": today, "YourRef": "seed-1",
        "SalesInvoiceLines": [{"Item": picked["item"]["ID"], "Quantity": 7.5, "NetPrice": 95}]})
    assert invoice.status_code == 201, invoice.text
    invoice_id = invoice.json()["d"]["InvoiceID"]
    printed = demo.post(f"/{division}/salesinvoice/PrintedSalesInvoices", json={"InvoiceID": invoice_id})
    assert printed.status_code == 201, printed.text
    open_items = rows(demo.get(f"/{division}/read/financial/ReceivablesList"))
    assert any(r["YourRef"] == "seed-1" for r in open_items)
    entry = rows(demo.get(f"/{division}/salesentry/SalesEntries", params={"$filter": "YourRef eq 'seed-1'"}))[0]
    assert entry["EntryDate"] == f"/Date({int(dt.datetime.fromisoformat(today).replace(tzinfo=dt.timezone.utc).timestamp()) * 1000})/"
