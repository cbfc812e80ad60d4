"""Admin endpoints under /sandbox and the helpers other areas' tests use."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

from conftest import DIV, IDS, authorize_url, customer_id, fixture_seed, login, message, token_call
from exact_tui.sandbox.testing import approve, running_sandbox


def admin(server, path: str, body=None) -> httpx.Response:
    return httpx.post(f"{server.base_url}/sandbox/{path}", json=body)


def test_summary_lists_app_users_and_admin_paths(server):
    info = httpx.get(f"{server.base_url}/sandbox").json()
    assert info["client_id"] == server.client_id and info["redirect_uri"] == server.redirect_uri
    assert {u["username"] for u in info["users"]} >= {"demo", "api", "inactive"}
    assert "/sandbox/faults" in info["admin"] and "crm/Accounts" in info["entities"]
    assert "client_secret" not in info  # printed by the CLI, not served


def test_patch_row_reproduces_a_customer_set_up(server, nl):
    answer = admin(server, f"divisions/{DIV}/rows/crm/Accounts/{customer_id(60)}", {"Blocked": True})
    assert answer.status_code == 200
    body = {"Journal": "70", "OrderedBy": customer_id(60), "InvoiceDate": dt.date.today().isoformat(),
            "SalesInvoiceLines": [{"Item": IDS["item_hour"], "Quantity": 1, "NetPrice": 1}]}
    assert message(nl.post(f"/{DIV}/salesinvoice/SalesInvoices", json=body)) == "Geblokkeerd: Klant"
    assert admin(server, f"divisions/{DIV}/rows/crm/Accounts/{customer_id(60)}", {"Nope": 1}).status_code == 400
    assert admin(server, f"divisions/{DIV}/rows/crm/Accounts/{customer_id(60)}", {"Blocked": "ja"}).status_code == 400


def test_clock_jump_and_token_controls(server):
    before = httpx.get(f"{server.base_url}/sandbox/clock").json()["time"]
    after = admin(server, "clock/advance", {"seconds": 3600}).json()["time"]
    assert after - before >= 3600
    tokens = login(server, "api")
    assert admin(server, "tokens/expire-access").json()["tokens"] >= 1
    me = httpx.get(f"{server.base_url}/api/v1/current/Me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 401
    admin(server, "tokens/expire-refresh")
    server.clock.advance(600)
    expired = token_call(server, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert "expired" in expired.json()["error_description"]
    assert admin(server, "tokens/revoke").status_code == 200
    assert admin(server, "tokens/bogus").status_code == 404


def test_behaviour_endpoint_validates(server):
    assert admin(server, "behaviour", {"refresh_rotation": "grace"}).json()["behaviour"]["refresh_rotation"] == "grace"
    admin(server, "behaviour", {"refresh_rotation": "strict"})
    refused = admin(server, "behaviour", {"no_such_rule": 1})
    assert refused.status_code == 400 and "unknown behaviour" in refused.json()["error"]
    assert admin(server, "behaviour", {"allow_delete_paid": "maybe"}).status_code == 400


def test_granted_divisions_can_change(server, nl):
    assert admin(server, "app/divisions", {"granted": [DIV]}).status_code == 200
    try:
        assert nl.get("/103/system/Divisions").status_code == 403
        assert "niet opgenomen" in message(nl.get("/103/system/Divisions"))
    finally:
        admin(server, "app/divisions", {"granted": [DIV, 103]})


def test_limits_reset(server, nl):
    for _ in range(11):
        nl.get(f"/{DIV}/crm/Accounts")
    assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Code eq 'x'"}).status_code == 429
    admin(server, "limits/reset")
    assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Code eq 'x'"}).status_code == 200


def test_running_sandbox_and_approve_helpers():
    with running_sandbox(seed_data=fixture_seed(5), time_scale=2.0, behaviour={"too_early_status": 401}) as server:
        assert server.base_url.startswith("http://127.0.0.1:") and server.clock.scale == 2.0
        assert server.runtime.behaviour.too_early_status == 401
        redirect = approve(authorize_url(server, state="xyz"), "api", "api")
        assert redirect.startswith(server.redirect_uri) and "state=xyz" in redirect
        with pytest.raises(RuntimeError, match="Redirect URI mismatch"):
            approve(authorize_url(server).replace("callback", "elsewhere"))
        url = server.base_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)
