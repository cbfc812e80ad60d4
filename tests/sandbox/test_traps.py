"""Facts §2 and §5 the client must meet in the sandbox: insufficient rights (403 or silently empty
lists), code drift and deletions behind the integration's back (seen through `sync/…`), and the
URL and request-size caps Exact's front door applies."""
from __future__ import annotations

import httpx
import pytest

from conftest import DIV, IDS, customer_id, message

ENTRIES = f"/{DIV}/salesentry/SalesEntries"


def admin(server, path: str, body: dict | None = None, method: str = "POST") -> httpx.Response:
    answer = httpx.request(method, f"{server.base_url}/sandbox/{path}", json=body)
    answer.raise_for_status()
    return answer


@pytest.fixture
def no_sales_rights(server):
    for user in ("demo", "api"):
        admin(server, f"users/{user}/rights", {"denied": ["salesentry", "cashflow"]})
    yield
    for user in ("demo", "api"):
        admin(server, f"users/{user}/rights", {"denied": []})
    server.runtime.apply_behaviour({"insufficient_rights": "forbidden"})


def test_insufficient_rights_answer_403(server, nl, en, no_sales_rights):
    for api in (nl, en):
        listed = api.get(ENTRIES, params={"$select": "EntryID"})
        assert listed.status_code == 403 and message(listed) == "Forbidden" and "Reason" not in listed.headers
        assert api.post(ENTRIES, json={"Journal": "70"}).status_code == 403
        assert api.get(f"/{DIV}/cashflow/Receivables").status_code == 403
        assert api.get(f"/{DIV}/financial/Journals").status_code == 200  # other areas unaffected


def test_insufficient_rights_as_silently_empty_lists(server, nl, en, no_sales_rights):
    booked = nl.post(f"/{DIV}/crm/Accounts", json={"Name": "Rechten BV", "Status": "C"})  # crm is still allowed
    assert booked.status_code == 201
    server.runtime.apply_behaviour({"insufficient_rights": "empty"})
    for api, label in ((nl, "Niet gevonden: Verkoopboeking"), (en, "Not found: Sales entry")):
        listed = api.get(ENTRIES, params={"$select": "EntryID"})
        assert listed.status_code == 200 and listed.json() == {"d": {"results": []}}
        one = api.get(f"{ENTRIES}(guid'{customer_id(1)}')")
        assert one.status_code == 404 and message(one) == label
        assert api.post(ENTRIES, json={"Journal": "70"}).status_code == 403  # writes are still refused


def test_insufficient_rights_behaviour_is_checked(server):
    answer = httpx.post(f"{server.base_url}/sandbox/behaviour", json={"insufficient_rights": "sometimes"})
    assert answer.status_code == 400 and "empty, forbidden" in answer.json()["error"]
    bad_area = httpx.post(f"{server.base_url}/sandbox/users/demo/rights", json={"denied": ["payroll"]})
    assert bad_area.status_code == 400


def test_code_drift_and_deleted_account_show_in_sync(server, nl):
    since = server.world.timestamp
    drifted, deleted = customer_id(60), customer_id(61)
    admin(server, f"divisions/{DIV}/rows/crm/Accounts/{drifted}", {"Code": "K60"})
    admin(server, f"divisions/{DIV}/rows/crm/Accounts/{deleted}", method="DELETE")
    changed = nl.get(f"/{DIV}/sync/CRM/Accounts", params={"$select": "ID,Code", "$filter": f"Timestamp gt {since}"})
    assert [(r["ID"], r["Code"]) for r in changed.json()["d"]["results"]] == [(drifted, "K60".rjust(18))]
    gone = nl.get(f"/{DIV}/sync/Deleted", params={"$select": "EntityKey,EntityType,DeletedDate",
                                                   "$filter": f"Timestamp gt {since}"}).json()["d"]["results"]
    # the account (type 2) and the visiting address Exact keeps with it (type 3)
    assert [(r["EntityKey"], r["EntityType"]) for r in gone if r["EntityType"] == 2] == [(deleted, 2)]
    assert sorted(r["EntityType"] for r in gone) == [2, 3]
    assert nl.get(f"/{DIV}/crm/Accounts(guid'{deleted}')").status_code == 404
    # about two months later the deletion is no longer listed
    server.clock.advance(61 * 86_400)
    later = nl.get(f"/{DIV}/sync/Deleted", params={"$select": "EntityKey", "$filter": f"Timestamp gt {since}"})
    assert later.json()["d"]["results"] == []


def test_entry_deleted_behind_the_integrations_back(server, nl):
    body = {"Journal": "70", "Customer": customer_id(62), "EntryDate": server.clock.now().date().isoformat(),
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 10}]}
    entry = nl.post(ENTRIES, json=body, headers={"Prefer": "return=representation"}).json()["d"]
    admin(server, f"divisions/{DIV}/rows/salesentry/SalesEntries/{entry['EntryID']}", method="DELETE")
    assert nl.get(f"{ENTRIES}(guid'{entry['EntryID']}')").status_code == 404
    assert not server.world.table(DIV, "cashflow/Receivables").find(TransactionEntryID=entry["EntryID"])
    again = nl.post(ENTRIES, json=body, headers={"Prefer": "return=representation"}).json()["d"]
    assert again["EntryNumber"] > entry["EntryNumber"]  # the number is not handed out twice


def test_url_over_6000_characters_is_refused(server, nl):
    name = "x" * 6000
    answer = nl.get(f"/{DIV}/crm/Accounts", params={"$filter": f"Name eq '{name}'"})
    assert answer.status_code == 414 and "too long" in message(answer)
    assert "X-RateLimit-Remaining" not in answer.headers  # refused before the API: not counted
    server.runtime.apply_behaviour({"max_url_length": 0})
    try:
        assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": f"Name eq '{name}'"}).status_code == 200
    finally:
        server.runtime.apply_behaviour({"max_url_length": 6000})


def test_request_over_the_size_cap_is_refused(server, nl):
    server.runtime.apply_behaviour({"max_request_bytes": 2000})
    try:
        big = {"Name": "Groot BV", "Status": "C", "Website": "https://example.nl/" + "a" * 3000}
        answer = nl.post(f"/{DIV}/crm/Accounts", json=big)
        assert answer.status_code == 413 and "too large" in message(answer)

        def chunks():  # no Content-Length: the cap still holds while reading
            yield b'{"Name": "Groot BV", "Website": "'
            yield b"a" * 3000
            yield b'"}'
        streamed = nl.post(f"/{DIV}/crm/Accounts", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert nl.post(f"/{DIV}/crm/Accounts", json={"Name": "Klein BV", "Status": "C"}).status_code == 201
    finally:
        server.runtime.apply_behaviour({"max_request_bytes": 38 * 1024 * 1024})


def test_stats_count_parallel_calls(server, nl):
    """Exact asks for one request at a time; the sandbox counts overlaps so a client test can show none."""
    from concurrent.futures import ThreadPoolExecutor

    with server.faults("latency:150"):
        admin(server, "stats/reset")
        nl.get(f"/{DIV}/financial/Journals")
        nl.get(f"/{DIV}/financial/Journals")
        assert admin(server, "stats", method="GET").json()["parallel"] == 0
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda _: nl.get(f"/{DIV}/financial/Journals"), range(2)))
    stats = admin(server, "stats", method="GET").json()
    assert stats["parallel"] >= 1 and stats["max_in_flight"] == 2
