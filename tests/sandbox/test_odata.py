"""The OData subset: envelope, paging, $select, mandatory filtering, $filter parser, $orderby, $top,
padded codes, dates, XML without Accept JSON, sync with Timestamp and sync/Deleted."""
from __future__ import annotations

import re

import pytest

from conftest import DIV, customer_id, gid, message
from exact_tui.sandbox.odata import QueryError, compile_filter, parse_filter

PAD = lambda code: str(code).rjust(18)  # noqa: E731
ACC = f"/{DIV}/crm/Accounts"


def results(answer) -> list[dict]:
    assert answer.status_code == 200, answer.text
    return answer.json()["d"]["results"]


# ---------------------------------------------------------------- parser (unit)

@pytest.mark.parametrize("text, row, expected", [
    ("Name eq 'A'", {"Name": "A"}, True),
    ("Name ne 'A'", {"Name": "A"}, False),
    ("N gt 2 and N lt 5", {"N": 3}, True),
    ("N ge 3 and N le 3", {"N": 3}, True),
    ("not (N eq 3)", {"N": 3}, False),
    ("N eq 1 or (N eq 3 and Name eq 'x')", {"N": 3, "Name": "x"}, True),
    ("substringof('ACME', Name)", {"Name": "The Acme BV"}, True),
    ("startswith(Name, 'the')", {"Name": "The Acme BV"}, True),
    ("Name eq 'O''Brien'", {"Name": "O'Brien"}, True),
    ("ID eq guid'00000000-0000-0000-0000-00000000000A'", {"ID": "00000000-0000-0000-0000-00000000000a"}, True),
    ("Name eq null", {"Name": None}, True),
    ("Amount gt 10.5M", {"Amount": 11}, True),
])
def test_filter_expressions(text, row, expected):
    fields = {"Name", "N", "ID", "Amount"}
    assert compile_filter(parse_filter(text), fields, frozenset({"ID"}))(row) is expected


@pytest.mark.parametrize("text, fragment", [
    ("Name eq", "position 7"),
    ("Name eq 'x", "unterminated string"),
    ("(Name eq 'x'", "expected ')'"),
    ("Name eq 'x' Name", "unexpected 'Name'"),
    ("Name ~ 'x'", "unexpected character '~'"),
    ("ID eq guid'nope'", "invalid guid literal"),
    ("frobnicate(Name)", "unknown function"),
])
def test_filter_syntax_errors_say_where(text, fragment):
    with pytest.raises(QueryError, match=re.escape(fragment)):
        parse_filter(text)


# ---------------------------------------------------------------- over HTTP

def test_list_envelope_paging_60_and_next_link(server, nl):
    first = nl.get(ACC, params={"$filter": "Status eq 'C'", "$select": "ID,Name"})
    d = first.json()["d"]
    assert len(d["results"]) == 60 and d["__next"].startswith(server.base_url + "/api/v1/")
    assert d["results"][0]["__metadata"]["uri"].startswith(server.base_url)
    seen = [r["ID"] for r in d["results"]]
    url = d["__next"]
    while url:
        page = nl.get(url).json()["d"]
        seen += [r["ID"] for r in page["results"]]
        url = page.get("__next")
    assert len(seen) == len(set(seen)) == 152  # 150 customers + blocked + no-payment-condition (not the supplier)


def test_bulk_pages_1000_and_needs_select(server, nl):
    refused = nl.get(f"/{DIV}/bulk/CRM/Accounts")
    assert refused.status_code == 400 and "$select" in message(refused)
    rows = results(nl.get(f"/{DIV}/bulk/CRM/Accounts", params={"$select": "ID,Code"}))
    assert len(rows) == 153 and set(rows[0]) == {"__metadata", "ID", "Code"}


def test_mandatory_filtering_on_accounts_and_items(nl):
    # every entity with a sync/ alternative: accounts, items, contacts, sales invoices, receivables
    for path in (ACC, f"/{DIV}/logistics/Items", f"/{DIV}/crm/Contacts", f"/{DIV}/salesinvoice/SalesInvoices",
                 f"/{DIV}/cashflow/Receivables"):
        answer = nl.get(path)
        assert answer.status_code == 400
        assert message(answer).startswith("This endpoint has mandatory filtering applied.")
    assert results(nl.get(f"/{DIV}/logistics/Items", params={"$filter": "Code eq 'HOUR'"}))[0]["Code"] == "HOUR"
    account = f"guid'{customer_id(1)}'"
    assert results(nl.get(f"/{DIV}/crm/Contacts", params={"$filter": f"Account eq {account}"}))[0]["LastName"] == "Jansen 1"
    assert nl.get(f"/{DIV}/bulk/CRM/Contacts", params={"$select": "ID"}).status_code == 200  # bulk: no filter needed


def test_filter_syntax_error_is_a_clear_400(nl):
    answer = nl.get(ACC, params={"$filter": "Name eq 'x' and"})
    assert answer.status_code == 400 and "$filter" in message(answer) and "position" in message(answer)
    unknown = nl.get(ACC, params={"$filter": "Nmae eq 'x'"})
    assert unknown.status_code == 400 and "Nmae" in message(unknown)
    guid_as_string = nl.get(ACC, params={"$filter": f"ID eq '{customer_id(1)}'"})
    assert guid_as_string.status_code == 400 and "Edm.Guid" in message(guid_as_string)


def test_filter_operators_over_http(nl):
    rows = results(nl.get(ACC, params={
        "$filter": f"(Code eq '{PAD(5)}' or Code eq '{PAD(6)}') and not (City eq 'Zwolle')", "$select": "Code"}))
    assert [r["Code"] for r in rows] == [PAD(5)]
    by_guid = results(nl.get(ACC, params={"$filter": f"ID eq guid'{customer_id(7)}'", "$select": "Name"}))
    assert by_guid[0]["Name"] == "Customer 0007 B.V."
    like = results(nl.get(ACC, params={"$filter": "substringof('0012', Name)", "$select": "Name"}))
    assert [r["Name"] for r in like] == ["Customer 0012 B.V."]
    dated = results(nl.get(ACC, params={"$filter": "Created ge datetime'2024-01-01' and Status ne 'S'",
                                        "$select": "ID", "$top": "5"}))
    assert len(dated) == 5


def test_padded_code_finds_and_unpadded_does_not(nl):
    assert results(nl.get(ACC, params={"$filter": "Code eq '42'"})) == []
    rows = results(nl.get(ACC, params={"$filter": f"Code eq '{PAD(42)}'", "$select": "Code"}))
    assert rows[0]["Code"] == "                42" and len(rows[0]["Code"]) == 18


def test_orderby_several_fields_top_skip_and_inlinecount(nl):
    params = {"$filter": "Status eq 'C'", "$select": "Code,City,Name", "$orderby": "City desc, Name asc",
              "$top": "3", "$skip": "2", "$inlinecount": "allpages"}
    answer = nl.get(ACC, params=params)
    d = answer.json()["d"]
    assert d["__count"] == "152"
    assert [r["City"] for r in d["results"]] == ["Zwolle"] * 3
    assert [r["Name"] for r in d["results"]] == ["Customer 0006 B.V.", "Customer 0008 B.V.", "Customer 0010 B.V."]
    assert "__next" not in d  # $top reached
    assert nl.get(ACC, params={**params, "$orderby": "City sideways"}).status_code == 400


def test_dates_are_json_dates(nl):
    row = results(nl.get(ACC, params={"$filter": f"ID eq guid'{customer_id(1)}'", "$select": "Created"}))[0]
    assert row["Created"] == "/Date(1704067200000)/"


def test_without_accept_json_the_answer_is_atom_xml(server, nl):
    answer = nl.get(ACC, params={"$filter": f"Code eq '{PAD(3)}'"}, headers={"Accept": "*/*"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    assert answer.text.startswith("<?xml") and "<m:properties>" in answer.text and "Customer 0003 B.V." in answer.text
    error = nl.get(ACC, headers={"Accept": "application/xml"})
    assert error.status_code == 400 and "<error" in error.text


def test_get_by_key_and_select_unknown_field(nl):
    one = nl.get(f"{ACC}(guid'{customer_id(9)}')", params={"$select": "Name"})
    assert one.json()["d"]["Name"] == "Customer 0009 B.V."
    bad = nl.get(ACC, params={"$filter": "Status eq 'C'", "$select": "Name,Nope"})
    assert bad.status_code == 400 and "Nope" in message(bad)


def test_divisions_and_me(nl):
    divisions = results(nl.get(f"/{DIV}/system/Divisions"))
    assert {d["Code"] for d in divisions} == {101, 102, 103}
    me = results(nl.get("/current/Me"))[0]
    assert me["CurrentDivision"] == DIV and me["UserName"] == "demo" and me["FullName"] == "Demo Consultant"


def test_sync_timestamp_paging_and_changes(server, nl):
    first = nl.get(f"/{DIV}/sync/CRM/Accounts", params={"$select": "ID,Name,Timestamp"})
    rows = results(first)
    stamps = [r["Timestamp"] for r in rows]
    assert stamps == sorted(stamps) and len(rows) == 153 and "__next" not in first.json()["d"]
    top = max(stamps)
    assert results(nl.get(f"/{DIV}/sync/CRM/Accounts", params={"$select": "ID", "$filter": f"Timestamp gt {top}"})) == []
    changed = nl.put(f"{ACC}(guid'{customer_id(3)}')", json={"City": "Deventer"})
    assert changed.status_code == 204
    delta = results(nl.get(f"/{DIV}/sync/CRM/Accounts", params={"$select": "ID,City,Timestamp",
                                                               "$filter": f"Timestamp gt {top}L"}))
    assert [(r["ID"], r["City"]) for r in delta] == [(customer_id(3), "Deventer")] and delta[0]["Timestamp"] > top
    other = nl.get(f"/{DIV}/sync/CRM/Accounts", params={"$select": "ID", "$filter": "Name eq 'x'"})
    assert other.status_code == 400


def test_sync_pages_1000(server, nl):
    many = server.world.table(DIV, "crm/Contacts")
    before = len(many)
    for n in range(1100):
        server.world.insert(DIV, "crm/Contacts", {"ID": gid(900_000 + n), "Account": customer_id(1), "LastName": f"L{n}"})
    try:
        page = nl.get(f"/{DIV}/sync/CRM/Contacts", params={"$select": "ID,Timestamp"}).json()["d"]
        assert len(page["results"]) == 1000 and "$skiptoken=" in page["__next"]
        rest = nl.get(page["__next"]).json()["d"]
        assert len(rest["results"]) == before + 1100 - 1000
    finally:
        for n in range(1100):
            many.remove(gid(900_000 + n))


def test_sync_deleted_lists_deletions(server, nl):
    created = nl.post(f"/{DIV}/crm/Contacts", json={"Account": customer_id(2), "LastName": "Tijdelijk"})
    key = created.json()["d"]["ID"]
    assert nl.delete(f"/{DIV}/crm/Contacts(guid'{key}')").status_code == 204
    deleted = results(nl.get(f"/{DIV}/sync/Deleted", params={"$select": "EntityKey,EntityType,DeletedDate,Timestamp"}))
    assert [(r["EntityKey"], r["EntityType"]) for r in deleted][-1] == (key, 5)
    assert deleted[-1]["DeletedDate"].startswith("/Date(")
