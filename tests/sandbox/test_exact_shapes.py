"""The sandbox as any Exact client sees it (issue 17), each test from a statement of Exact's reference:
Divisions' `Hid`/`BlockingStatus`, the minute window on the whole minute, read-only and key
properties a PUT cannot change."""
from __future__ import annotations

import datetime as dt
import math

from conftest import DIV, DIV_BLOCKED, customer_id

ACC = f"/{DIV}/crm/Accounts"


def test_divisions_carry_hid_and_blocking_status_as_exact_names_them(server, nl):
    rows = nl.get(f"/{DIV}/system/Divisions", params={"$select": "Code,Hid,BlockingStatus,Current"}).json()["d"]["results"]
    by_code = {r["Code"]: r for r in rows}
    assert by_code[DIV]["BlockingStatus"] == 0 and by_code[DIV]["Current"] is True and by_code[DIV]["Hid"]
    assert by_code[DIV_BLOCKED]["BlockingStatus"] != 0  # blocked: a non-zero BlockingStatus
    for old_name in ("HID", "Blocked"):
        refused = nl.get(f"/{DIV}/system/Divisions", params={"$select": f"Code,{old_name}"})
        assert refused.status_code == 400 and old_name in refused.json()["error"]["message"]["value"]


def test_the_minute_window_starts_on_a_whole_minute(server, nl):
    now = server.clock.time()
    server.clock.advance(math.ceil(now / 60) * 60 + 17 - now)  # 17 s into a clock minute
    answer = nl.get(f"/{DIV}/system/Divisions")
    reset = int(answer.headers["X-RateLimit-Minutely-Reset"]) / 1000
    assert reset % 60 == 0 and 0 < reset - server.clock.time() <= 43.5
    server.clock.advance(45)  # past the whole minute: a fresh window, though 60 s have not passed
    fresh = nl.get(f"/{DIV}/system/Divisions")
    assert int(fresh.headers["X-RateLimit-Minutely-Remaining"]) == 59


def test_put_leaves_read_only_properties_and_the_key_alone(server, nl):
    key = customer_id(40)
    url = f"{ACC}(guid'{key}')"
    before = nl.get(url).json()["d"]
    new_id = "11111111-2222-3333-4444-555555555555"
    answer = nl.put(url, json={"ID": new_id, "Created": "2001-01-01T00:00:00", "Division": 1, "IsSales": False,
                               "City": "Deventer"})
    assert answer.status_code == 204
    after = nl.get(url).json()["d"]
    assert after["City"] == "Deventer"  # the writable property changed
    assert (after["ID"], after["Created"], after["Division"], after["IsSales"]) == (
        before["ID"], before["Created"], before["Division"], before["IsSales"])
    assert nl.get(f"{ACC}(guid'{new_id}')").status_code == 404  # not re-keyed: not found under the new key
    found = nl.get(ACC, params={"$filter": f"ID eq guid'{key}'", "$select": "ID,City"}).json()["d"]["results"]
    assert found == [{"__metadata": found[0]["__metadata"], "ID": key, "City": "Deventer"}]


def test_put_of_a_read_only_entry_property_is_ignored(nl):
    body = {"Journal": "70", "Customer": customer_id(41), "EntryDate": dt.date.today().isoformat(),
            "SalesEntryLines": [{"GLAccount": "00000000-0000-0000-0000-000000001f40", "AmountFC": 10}]}
    entry = nl.post(f"/{DIV}/salesentry/SalesEntries", json=body, headers={"Prefer": "return=representation"}).json()["d"]
    url = f"/{DIV}/salesentry/SalesEntries(guid'{entry['EntryID']}')"
    assert nl.put(url, json={"AmountDC": 1, "Status": 20, "Type": 21, "Description": "kept"}).status_code == 204
    after = nl.get(url).json()["d"]
    assert (after["AmountDC"], after["Status"], after["Type"], after["Description"]) == (
        entry["AmountDC"], entry["Status"], entry["Type"], "kept")


# ---------------------------------------------------------------- navigation URLs and nested $select

from conftest import IDS, gid  # noqa: E402

ENTRIES = f"/{DIV}/salesentry/SalesEntries"


def two_line_entry(api) -> dict:
    body = {"Journal": "70", "Customer": customer_id(42), "SalesEntryLines": [
        {"GLAccount": IDS["gl_revenue"], "AmountFC": 30, "Description": "a"},
        {"GLAccount": IDS["gl_revenue"], "AmountFC": 12, "Description": "b"}]}
    answer = api.post(ENTRIES, json=body, headers={"Prefer": "return=representation"})
    assert answer.status_code == 201, answer.text
    return answer.json()["d"]


def test_the_deferred_link_of_lines_is_served_through_the_parent_url(nl):
    entry = two_line_entry(nl)
    plain = nl.get(f"{ENTRIES}(guid'{entry['EntryID']}')").json()["d"]
    link = plain["SalesEntryLines"]["__deferred"]["uri"]
    assert link.endswith(f"SalesEntries(guid'{entry['EntryID']}')/SalesEntryLines")
    lines = nl.get(link, params={"$select": "ID,AmountFC,EntryID"}).json()["d"]["results"]
    assert sorted(line["AmountFC"] for line in lines) == [12.0, 30.0]
    assert {line["EntryID"] for line in lines} == {entry["EntryID"]}
    assert nl.get(f"{link}/$count").text == "2"
    unknown = nl.get(f"{ENTRIES}(guid'{gid(424242)}')/SalesEntryLines")
    assert unknown.status_code == 404


def test_invoice_lines_and_vat_percentages_through_their_parents(en):
    invoice = en.post(f"/{DIV}/salesinvoice/SalesInvoices", headers={"Prefer": "return=representation"}, json={
        "Journal": "70", "OrderedBy": customer_id(43),
        "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 2, "NetPrice": 10}]}).json()["d"]
    lines = en.get(f"/{DIV}/salesinvoice/SalesInvoices(guid'{invoice['InvoiceID']}')/SalesInvoiceLines").json()["d"]
    assert [line["Quantity"] for line in lines["results"]] == [2.0]
    percentages = en.get(f"/{DIV}/vat/VATCodes(guid'{gid(2)}')/VATPercentages",
                         params={"$select": "VATCodeID,Percentage"}).json()["d"]["results"]
    assert [(p["VATCodeID"], p["Percentage"]) for p in percentages] == [(gid(2), 0.21)]


def test_nested_select_with_expand_as_the_knowledge_base_shows(nl):
    entry = two_line_entry(nl)
    answer = nl.get(f"{ENTRIES}(guid'{entry['EntryID']}')",
                    params={"$select": "EntryID,SalesEntryLines/AmountFC", "$expand": "SalesEntryLines"})
    assert answer.status_code == 200, answer.text
    d = answer.json()["d"]
    assert set(d) == {"__metadata", "EntryID", "SalesEntryLines"}
    assert [set(line) for line in d["SalesEntryLines"]["results"]] == [{"__metadata", "AmountFC"}] * 2
    listed = nl.get(ENTRIES, params={"$filter": f"EntryID eq guid'{entry['EntryID']}'",
                                     "$select": "EntryNumber,SalesEntryLines/Description", "$expand": "SalesEntryLines"})
    assert [line["Description"] for line in listed.json()["d"]["results"][0]["SalesEntryLines"]["results"]] == ["a", "b"]
    assert nl.get(ENTRIES, params={"$select": "EntryID,SalesEntryLines/Nope", "$expand": "SalesEntryLines"}).status_code == 400


# ---------------------------------------------------------------- paging, counting, $metadata, bare lists

def test_ordered_lists_page_with_skiptoken_not_skip(nl):
    params = {"$filter": "Status eq 'C'", "$orderby": "Name desc", "$select": "ID,Name"}
    page = nl.get(ACC, params=params).json()["d"]
    seen = [r["Name"] for r in page["results"]]
    while "__next" in page:
        assert "$skiptoken=" in page["__next"] and "$skip=" not in page["__next"]
        page = nl.get(page["__next"]).json()["d"]
        seen += [r["Name"] for r in page["results"]]
    assert len(seen) == len(set(seen)) == 152 and seen == sorted(seen, key=str.lower, reverse=True)


def test_count_is_a_plain_integer_without_an_accept_header(server, nl):
    answer = nl.get(f"{ACC}/$count", params={"$filter": "City eq 'Zwolle'"}, headers={"Accept": "*/*"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    listed = nl.get(ACC, params={"$filter": "City eq 'Zwolle'", "$inlinecount": "allpages", "$select": "ID"})
    assert int(answer.text) == int(listed.json()["d"]["__count"]) > 60  # more than a page: counted, not paged


def test_metadata_describes_the_served_types(nl):
    answer = nl.get(f"/{DIV}/salesentry/$metadata")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    text = answer.text
    assert '<EntityType Name="SalesEntry"><Key><PropertyRef Name="EntryID" />' in text
    assert '<Property Name="PaymentReference" Type="Edm.String"' in text
    assert '<EntitySet Name="salesentry/SalesEntryLines"' in text
    assert "crm/Accounts" not in text
    assert nl.get(f"/{DIV}/nosuchservice/$metadata").status_code == 404


def test_a_top_answer_may_be_a_bare_list(server, nl):
    params = {"$filter": "Status eq 'C'", "$top": "3", "$select": "ID"}
    assert len(nl.get(ACC, params=params).json()["d"]["results"]) == 3
    server.runtime.apply_behaviour({"top_shape": "bare"})
    bare = nl.get(ACC, params=params).json()["d"]
    assert isinstance(bare, list) and len(bare) == 3
    paged = nl.get(ACC, params={"$filter": "Status eq 'C'", "$top": "100", "$select": "ID"}).json()["d"]
    assert "__next" in paged  # an answer that pages keeps the envelope


# ---------------------------------------------------------------- endpoints Exact documents

def test_the_added_endpoints_answer_with_their_documented_properties(server, nl):
    entry = two_line_entry(nl)
    lines = nl.get(f"/{DIV}/financialtransaction/TransactionLines",
                   params={"$filter": f"EntryID eq guid'{entry['EntryID']}'", "$select": "ID,AmountFC,EntryNumber"})
    rows = lines.json()["d"]["results"]
    assert sorted(r["AmountFC"] for r in rows) == [-30.0, -12.0] and {r["EntryNumber"] for r in rows} == {entry["EntryNumber"]}
    assert {r["ID"] for r in rows} == {line["ID"] for line in entry["SalesEntryLines"]["results"]}
    for path in ("sync/Financial/TransactionLines", "bulk/Financial/TransactionLines", "sync/Financial/GLAccounts",
                 "bulk/Financial/GLAccounts", "sync/CRM/Addresses", "sync/Logistics/SalesItemPrices"):
        assert nl.get(f"/{DIV}/{path}").status_code == 400  # $select is mandatory there
        assert nl.get(f"/{DIV}/{path}", params={"$select": "ID"}).status_code == 200, path
    addresses = nl.get(f"/{DIV}/crm/Addresses", params={"$filter": f"Account eq guid'{customer_id(2)}'"}).json()["d"]
    assert [(a["City"], a["Main"], a["Type"]) for a in addresses["results"]] == [("Zwolle", True, 1)]
    prices = nl.get(f"/{DIV}/logistics/SalesItemPrices", params={"$select": "Item,ItemCode"}).json()["d"]["results"]
    assert IDS["item_hour"] in {p["Item"] for p in prices} and IDS["item_purchase"] not in {p["Item"] for p in prices}
    aging = nl.get(f"/{DIV}/read/financial/AgingReceivablesList").json()["d"]["results"]
    mine = next(a for a in aging if a["AccountId"] == customer_id(42))
    assert mine["AgeGroup1Amount"] == mine["TotalAmount"] >= 42.0
    overview = nl.get(f"/{DIV}/read/financial/OutstandingInvoicesOverview").json()["d"]["results"]
    assert overview[0]["CurrencyCode"] == "EUR" and overview[0]["OutstandingReceivableInvoiceCount"] >= 1
    hrm = nl.get(f"/{DIV}/hrm/Divisions", params={"$select": "Code,HID,BlockingStatus"}).json()["d"]["results"]
    assert {d["Code"] for d in hrm} == set(server.world.users["demo"].divisions) & set(server.world.divisions)
    every = nl.get(f"/{DIV}/system/AllDivisions", params={"$select": "Code"}).json()["d"]["results"]
    assert {d["Code"] for d in every} == set(server.world.divisions)
