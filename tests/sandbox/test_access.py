"""Division scoping, user state and app scopes: 403s with Exact's texts and `Reason` headers."""
from __future__ import annotations

import httpx

from conftest import DIV, DIV_BLOCKED, DIV_FOREIGN, DIV_NOT_GRANTED, message


def test_division_not_granted_to_the_app(nl, en):
    answer = nl.get(f"/{DIV_NOT_GRANTED}/system/Divisions")
    assert answer.status_code == 403
    assert message(answer) == ("De Exact Online divisie '102' is niet opgenomen in de rechten die aan deze "
                               "applicatie werden verleend")
    assert message(en.get(f"/{DIV_NOT_GRANTED}/system/Divisions")) == (
        "The Exact Online division '102' is not included in the rights granted to this application")


def test_reasons_for_no_access_and_blocked_division(nl):
    foreign = nl.get(f"/{DIV_FOREIGN}/system/Divisions")
    assert foreign.status_code == 403 and foreign.headers["Reason"] == "NoDivisionAccess"
    blocked = nl.get(f"/{DIV_BLOCKED}/system/Divisions")
    assert blocked.status_code == 403 and blocked.headers["Reason"] == "DivisionBlocked"


def test_blocked_user_gets_reason(server, en):
    httpx.post(f"{server.base_url}/sandbox/users/api/block").raise_for_status()
    try:
        answer = en.get(f"/{DIV}/system/Divisions")
        assert answer.status_code == 403 and answer.headers["Reason"] == "BlockedUser"
    finally:
        httpx.post(f"{server.base_url}/sandbox/users/api/unblock").raise_for_status()


def test_application_scope_violated(server, nl):
    httpx.post(f"{server.base_url}/sandbox/app/scopes", json={"scopes": ["crm.read", "system.read"]}).raise_for_status()
    try:
        assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Status eq 'C'", "$top": "1"}).status_code == 200
        write = nl.post(f"/{DIV}/crm/Accounts", json={"Name": "X"})
        assert write.status_code == 403 and message(write) == "Application Scope Violated. Cannot write"
        read = nl.get(f"/{DIV}/financial/Journals")
        assert read.status_code == 403 and message(read) == "Application Scope Violated. Cannot read"
    finally:
        httpx.post(f"{server.base_url}/sandbox/app/scopes", json={"scopes": None}).raise_for_status()


def test_every_answer_has_a_request_id(nl):
    ok = nl.get(f"/{DIV}/system/Divisions")
    bad = nl.get(f"/{DIV}/crm/Accounts(guid'x')")
    assert ok.headers["X-Request-Id"] != bad.headers["X-Request-Id"]


def test_division_licence_states_give_exacts_reasons(server, nl, en):
    url = f"{server.base_url}/sandbox/divisions/{DIV}"
    try:
        for flag, reason in (("LicenseExpired", "LicenseExpired"), ("CustomerBlocked", "BlockedCustomer")):
            httpx.post(url, json={flag: True}).raise_for_status()
            for api in (nl, en):
                answer = api.get(f"/{DIV}/financial/Journals")
                assert answer.status_code == 403 and answer.headers["Reason"] == reason
            httpx.post(url, json={flag: False}).raise_for_status()
        assert httpx.post(url, json={"LicenseExpired": "yes"}).status_code == 400
    finally:
        httpx.post(url, json={"LicenseExpired": False, "CustomerBlocked": False}).raise_for_status()
    assert nl.get(f"/{DIV}/financial/Journals").status_code == 200


def test_division_without_the_invoicing_module_refuses_sales_invoices(server, nl, en):
    url = f"{server.base_url}/sandbox/divisions/{DIV}"
    httpx.post(url, json={"InvoicingModule": False}).raise_for_status()
    try:
        for api in (nl, en):
            answer = api.post(f"/{DIV}/salesinvoice/SalesInvoices", json={"Journal": "70"})
            assert answer.status_code == 403 and message(answer) == "Forbidden"
            assert api.get(f"/{DIV}/financial/Journals").status_code == 200  # the rest still works
    finally:
        httpx.post(url, json={"InvoicingModule": True}).raise_for_status()
