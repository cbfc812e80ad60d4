"""A small, fully known Exact world for the client's tests (the SeedData shape of common.md).

The client's tests need predictable master data (one sales journal, a revenue G/L account, an
exclusive VAT code, a divisible item with revenue G/L, open periods around today) and any number
of customer accounts; building it here keeps them independent of the demo seed's randomness.
"""
from __future__ import annotations

import datetime as dt
import functools
import socket
import uuid
from decimal import Decimal

from exact_tui.sandbox.seed import LocalSet, SandboxUser, SeedData

DIV = 301
_user = functools.partial(SandboxUser, divisions=[DIV], current_division=DIV)


def gid(n: int) -> str:
    return str(uuid.UUID(int=n))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def world(customers: int = 50, *, redirect_port: int | None = None) -> SeedData:
    utc = dt.timezone.utc
    now = dt.datetime.now(utc)
    accounts = [
        {"ID": gid(100_000 + i), "Code": str(i).rjust(18), "Name": f"Klant {i:05d} B.V.", "City": "Utrecht",
         "Country": "NL", "Email": f"info{i}@example.nl", "Status": "C", "IsSales": True, "IsSupplier": False,
         "Blocked": False, "PaymentConditionSales": "30", "Created": dt.datetime(2024, 1, 1, tzinfo=utc),
         "Modified": dt.datetime(2024, 1, 1, tzinfo=utc)}
        for i in range(1, customers + 1)
    ]
    periods = []
    for year in (now.year - 1, now.year, now.year + 1, now.year + 2):
        for p in range(1, 13):
            start = dt.datetime(year, p, 1, tzinfo=utc)
            end = dt.datetime(year + (p == 12), p % 12 + 1, 1, tzinfo=utc) - dt.timedelta(days=1)
            periods.append({"ID": gid(year * 100 + p), "FinYear": year, "FinPeriod": p, "StartDate": start,
                            "EndDate": end, "Closed": False})
    tables = {
        "crm/Accounts": accounts,
        "crm/Contacts": [{"ID": gid(200_000 + i), "Account": gid(100_000 + i), "FirstName": "Jan",
                          "LastName": f"Jansen {i}", "Email": f"jan{i}@example.nl"} for i in range(1, 6)],
        "financial/Journals": [
            {"ID": gid(70), "Code": "70", "Description": "Verkoopboek", "Type": 20, "Currency": "EUR",
             "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": True},
            {"ID": gid(90), "Code": "90", "Description": "Memoriaal", "Type": 90, "Currency": "EUR",
             "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": False},
        ],
        "financial/GLAccounts": [
            {"ID": gid(8000), "Code": "8000", "Description": "Omzet", "Type": 110, "BalanceType": "W", "IsBlocked": False},
        ],
        "vat/VATCodes": [
            {"ID": gid(2), "Code": "2  ", "Description": "21% excl", "Percentage": Decimal("0.21"), "Type": "E"},
        ],
        "cashflow/PaymentConditions": [{"ID": gid(30), "Code": "30", "Description": "30 dagen", "PaymentDays": 30}],
        "logistics/Items": [
            {"ID": gid(7001), "Code": "HOUR", "Description": "Uren", "IsSalesItem": True, "IsTime": True,
             "GLRevenue": gid(8000), "GLRevenueCode": "8000", "IsFractionAllowedItem": True, "SalesVatCode": "2"},
        ],
        "financial/FinancialPeriods": periods,
    }
    users = [
        _user(gid(1), "demo", "demo", "Demo Consultant", "demo@example.nl", "nl"),
        _user(gid(2), "api", "api", "API Integration", "api@example.com", "en"),
        _user(gid(3), "inactive", "inactive", "Former Employee", "gone@example.nl", "nl", active=False),
    ]
    divisions = [{"Code": DIV, "Description": "Client Test BV", "Customer": gid(500), "Blocked": False,
                  "Currency": "EUR"}]
    port = redirect_port or free_port()
    return SeedData("client-test-id", "client-test-secret", f"http://127.0.0.1:{port}/callback", users, {DIV},
                 divisions, {DIV: tables}, local=LocalSet())
