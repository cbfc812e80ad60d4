"""Shared fixtures: a small, fully known world (the fixture seed) served over real loopback HTTP.

The fixture world is built to the SeedData contract of common.md with exactly the records the rule
tests need (a non-sales journal, an inclusive VAT code, an item without revenue G/L, …), so each
business-rule test names the record it breaks. `tests/sandbox/test_seeded.py` covers the product
path with `seed.generate`.
"""
from __future__ import annotations

import datetime as dt
import functools
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from exact_tui.sandbox import SandboxConfig, SandboxServer
from exact_tui.sandbox.seed import LocalSet, SandboxUser, SeedData
from exact_tui.sandbox.testing import approve

DIV, DIV_NOT_GRANTED, DIV_BLOCKED, DIV_FOREIGN = 101, 102, 103, 999
JSON = {"Accept": "application/json"}


_user = functools.partial(SandboxUser, divisions=[DIV, DIV_NOT_GRANTED, DIV_BLOCKED], current_division=DIV)


def gid(n: int) -> str:
    return str(uuid.UUID(int=n))


IDS = {
    "acc_supplier": gid(9001), "acc_blocked": gid(9002), "acc_nopay": gid(9003),
    "gl_revenue": gid(8000), "gl_blocked": gid(8999), "gl_debtors": gid(1300), "gl_cost": gid(7000),
    "item_hour": gid(7001), "item_fixed": gid(7002), "item_nogl": gid(7003),
    "item_ended": gid(7004), "item_purchase": gid(7005), "item_blocked_gl": gid(7006), "item_later": gid(7007),
}


def customer_id(n: int) -> str:
    return gid(100_000 + n)


def fixture_seed(customers: int = 150) -> SeedData:
    utc = dt.timezone.utc
    year = dt.datetime.now(utc).year
    accounts = [
        {"ID": customer_id(i), "Code": str(i).rjust(18), "Name": f"Customer {i:04d} B.V.", "City": "Utrecht" if i % 2 else "Zwolle",
         "Country": "NL", "Email": f"info{i}@example.nl", "Status": "C", "IsSales": True, "IsSupplier": False,
         "Blocked": False, "PaymentConditionSales": "30", "Created": dt.datetime(2024, 1, 1, tzinfo=utc)}
        for i in range(1, customers + 1)
    ]
    accounts += [
        {"ID": IDS["acc_supplier"], "Code": "9001".rjust(18), "Name": "Leverancier BV", "Status": "S", "IsSales": False,
         "IsSupplier": True, "Blocked": False, "PaymentConditionSales": "30", "Country": "NL"},
        {"ID": IDS["acc_blocked"], "Code": "9002".rjust(18), "Name": "Geblokkeerd BV", "Status": "C", "IsSales": True,
         "IsSupplier": False, "Blocked": True, "PaymentConditionSales": "30", "Country": "NL"},
        {"ID": IDS["acc_nopay"], "Code": "9003".rjust(18), "Name": "Zonder Conditie BV", "Status": "C", "IsSales": True,
         "IsSupplier": False, "Blocked": False, "PaymentConditionSales": None, "Country": "NL"},
    ]
    periods = []
    for y in (year - 1, year, year + 1):
        for p in range(1, 13):
            start = dt.datetime(y, p, 1, tzinfo=utc)
            end = (dt.datetime(y + (p == 12), p % 12 + 1, 1, tzinfo=utc) - dt.timedelta(days=1))
            periods.append({"ID": gid(y * 100 + p), "FinYear": y, "FinPeriod": p, "StartDate": start, "EndDate": end,
                            "Closed": y == year - 1 and p == 1})
    tables = {
        "crm/Accounts": accounts,
        "crm/Contacts": [{"ID": gid(200_000 + i), "Account": customer_id(i), "FirstName": "Jan", "LastName": f"Jansen {i}",
                          "Email": f"jan{i}@example.nl"} for i in range(1, 11)],
        "financial/Journals": [
            {"ID": gid(70), "Code": "70", "Description": "Verkoopboek", "Type": 20, "Currency": "EUR",
             "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": True},
            {"ID": gid(71), "Code": "71", "Description": "Verkoop valuta", "Type": 20, "Currency": "EUR",
             "AllowVariableCurrency": True, "AllowVariableExchangeRate": True, "AllowVAT": True},
            {"ID": gid(90), "Code": "90", "Description": "Memoriaal", "Type": 90, "Currency": "EUR",
             "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": False},
        ],
        "financial/GLAccounts": [
            {"ID": IDS["gl_revenue"], "Code": "8000", "Description": "Omzet", "Type": 110, "BalanceType": "W", "IsBlocked": False},
            {"ID": IDS["gl_blocked"], "Code": "8999", "Description": "Oude omzet", "Type": 110, "BalanceType": "W", "IsBlocked": True},
            {"ID": IDS["gl_debtors"], "Code": "1300", "Description": "Debiteuren", "Type": 20, "BalanceType": "B", "IsBlocked": False},
            {"ID": IDS["gl_cost"], "Code": "7000", "Description": "Inkoopwaarde", "Type": 111, "BalanceType": "W", "IsBlocked": False},
        ],
        "vat/VATCodes": [
            {"ID": gid(2), "Code": "2  ", "Description": "21% excl", "Percentage": Decimal("0.21"), "Type": "E"},
            {"ID": gid(4), "Code": "4  ", "Description": "21% incl", "Percentage": Decimal("0.21"), "Type": "I"},
        ],
        "cashflow/PaymentConditions": [{"ID": gid(30), "Code": "30", "Description": "30 dagen", "PaymentDays": 30}],
        "logistics/Items": [
            {"ID": IDS["item_hour"], "Code": "HOUR", "Description": "Uren", "IsSalesItem": True, "IsTime": True,
             "GLRevenue": IDS["gl_revenue"], "GLRevenueCode": "8000", "IsFractionAllowedItem": True, "SalesVatCode": "2"},
            {"ID": IDS["item_fixed"], "Code": "FIX", "Description": "Vaste prijs", "IsSalesItem": True, "IsTime": False,
             "GLRevenue": IDS["gl_revenue"], "GLRevenueCode": "8000", "IsFractionAllowedItem": False, "SalesVatCode": "2"},
            {"ID": IDS["item_nogl"], "Code": "NOGL", "Description": "Zonder grootboek", "IsSalesItem": True, "IsTime": True,
             "GLRevenue": None, "GLRevenueCode": None, "IsFractionAllowedItem": True, "SalesVatCode": "2"},
            {"ID": IDS["item_ended"], "Code": "OLD", "Description": "Oud tarief", "IsSalesItem": True, "IsTime": True,
             "GLRevenue": IDS["gl_revenue"], "GLRevenueCode": "8000", "IsFractionAllowedItem": True, "SalesVatCode": "2",
             "StartDate": dt.datetime(2020, 1, 1, tzinfo=utc), "EndDate": dt.datetime(year - 2, 12, 31, tzinfo=utc)},
            {"ID": IDS["item_later"], "Code": "NEW", "Description": "Nieuw tarief", "IsSalesItem": True, "IsTime": True,
             "GLRevenue": IDS["gl_revenue"], "GLRevenueCode": "8000", "IsFractionAllowedItem": True, "SalesVatCode": "2",
             "StartDate": dt.datetime(year + 3, 1, 1, tzinfo=utc), "EndDate": None},
            {"ID": IDS["item_purchase"], "Code": "HW", "Description": "Hardware (inkoop)", "IsSalesItem": False,
             "IsTime": False, "GLRevenue": IDS["gl_revenue"], "GLRevenueCode": "8000", "IsFractionAllowedItem": False,
             "SalesVatCode": "2"},
            {"ID": IDS["item_blocked_gl"], "Code": "OLDGL", "Description": "Advies (oude omzet)", "IsSalesItem": True,
             "IsTime": True, "GLRevenue": IDS["gl_blocked"], "GLRevenueCode": "8999", "IsFractionAllowedItem": True,
             "SalesVatCode": "2"},
        ],
        "financial/FinancialPeriods": periods,
    }
    users = [
        _user(gid(1), "demo", "demo", "Demo Consultant", "demo@example.nl", "nl"),
        _user(gid(2), "api", "api", "API Integration", "api@example.com", "en"),
        _user(gid(3), "inactive", "inactive", "Former Employee", "gone@example.nl", "nl", active=False),
    ]
    divisions = [
        {"Code": DIV, "Description": "Demo BV", "Customer": gid(500), "Blocked": False, "Currency": "EUR"},
        {"Code": DIV_NOT_GRANTED, "Description": "Zuster BV", "Customer": gid(500), "Blocked": False, "Currency": "EUR"},
        {"Code": DIV_BLOCKED, "Description": "Geblokkeerd BV", "Customer": gid(500), "Blocked": True, "Currency": "EUR"},
    ]
    return SeedData("sandbox-client-id", "sandbox-secret-xyz", "https://localhost/callback", users,
                       {DIV, DIV_BLOCKED}, divisions, {DIV: tables}, local=LocalSet())


def start(**config: Any) -> SandboxServer:
    seed = config.pop("seed_data", None) or fixture_seed()
    return SandboxServer(SandboxConfig(**config), seed=seed).start()


@pytest.fixture(scope="module")
def server():
    srv = start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _fresh_limits(request):
    """Each test starts with empty counters, no faults and the default behaviours on the shared
    module server (a test that switches a behaviour does not leak it into the next)."""
    srv = request.getfixturevalue("server") if "server" in request.fixturenames else None
    if srv is not None:
        srv.runtime.reset_limits()
        srv.set_faults(None)
        saved = srv.runtime.behaviour.as_dict()
    yield
    if srv is not None:
        srv.runtime.apply_behaviour(saved)
        srv.set_faults(None)


def authorize_url(server: SandboxServer, state: str = "st4te", **extra: str) -> str:
    query = {"client_id": server.client_id, "redirect_uri": server.redirect_uri, "response_type": "code",
             "state": state, **extra}
    return f"{server.base_url}/api/oauth2/auth?{urlencode(query)}"


def code_for(server: SandboxServer, username: str = "demo") -> str:
    redirect = approve(authorize_url(server), username, username)
    return parse_qs(urlsplit(redirect).query)["code"][0]


def token_call(server: SandboxServer, **form: str) -> httpx.Response:
    data = {"client_id": server.client_id, "client_secret": server.client_secret, **form}
    return httpx.post(f"{server.base_url}/api/oauth2/token", data=data)


def login(server: SandboxServer, username: str = "demo") -> dict:
    answer = token_call(server, grant_type="authorization_code", code=code_for(server, username),
                        redirect_uri=server.redirect_uri)
    assert answer.status_code == 200, answer.text
    return answer.json()


class _Bearer(httpx.Auth):
    """Renews the token when a test has jumped the sandbox clock past its lifetime."""

    def __init__(self, api: "Api") -> None:
        self.api = api

    def auth_flow(self, request):
        self.api.fresh()
        request.headers["Authorization"] = f"Bearer {self.api.tokens['access_token']}"
        yield request


class Api:
    """A bare httpx client bound to one user's access token (tests want raw answers, not the product client)."""

    def __init__(self, server: SandboxServer, username: str = "demo") -> None:
        self.server = server
        self.username = username
        self.tokens = login(server, username)
        self.issued = server.clock.time()
        self.http = httpx.Client(base_url=f"{server.base_url}/api/v1", headers=JSON, auth=_Bearer(self), timeout=10)

    def fresh(self) -> None:
        if self.server.clock.time() - self.issued < 590:
            return
        answer = token_call(self.server, grant_type="refresh_token", refresh_token=self.tokens["refresh_token"])
        self.tokens = answer.json() if answer.status_code == 200 else login(self.server, self.username)
        self.issued = self.server.clock.time()

    def __getattr__(self, name: str):
        return getattr(self.http, name)

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="module")
def nl(server):
    api = Api(server, "demo")
    yield api
    api.close()


@pytest.fixture(scope="module")
def en(server):
    api = Api(server, "api")
    yield api
    api.close()


def message(answer: httpx.Response) -> str:
    return answer.json()["error"]["message"]["value"]
