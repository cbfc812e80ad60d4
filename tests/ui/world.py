"""A small, fully known Exact world + local side for the console's tests (the SeedData shape of common.md).

Built here, not taken from the demo seed, so the screenshots and the walk-through do not change
when the demo seed's randomness does: two divisions, a sales journal without variable currency
(the local side has USD invoices) and one with it, items that are fine / not divisible / without
revenue G/L, customers on both sides with a few obvious pairs, hourly rates and project types.
"""
from __future__ import annotations

import datetime as dt
import socket
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.invoice import Invoice, InvoiceLine
from exact_tui.domain.products import DataType, Dimension, DimensionKind

DIV, DIV2 = 301, 302
UTC = dt.timezone.utc


def gid(n: int) -> str:
    return str(uuid.UUID(int=n))


@dataclass
class User:
    id: str
    username: str
    password: str
    full_name: str
    email: str
    language: str
    active: bool = True
    divisions: list[int] = field(default_factory=lambda: [DIV, DIV2])
    current_division: int = DIV


@dataclass
class Local:
    customers: list
    contacts: list
    invoices: list
    dimensions: list
    truth: dict


@dataclass
class World:
    client_id: str
    client_secret: str
    redirect_uri: str
    users: list
    granted_divisions: set
    divisions: list
    tables: dict
    local: Any = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


NAMES = ["Bakkerij de Vries", "Jansen Installatietechniek", "Van Dijk Advocaten", "Smit Logistiek",
         "De Boer Architecten", "Mulder ICT", "Visser Bouw", "Bos & Partners", "Meijer Media", "Peters Zorg"]
CITIES = ["Utrecht", "Amsterdam", "Rotterdam", "Den Haag", "Eindhoven"]


def world(customers: int = 10, *, redirect_port: int | None = None) -> World:
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    accounts, local_customers, truth = [], [], {}
    for i in range(1, customers + 1):
        name = NAMES[(i - 1) % len(NAMES)] + ("" if i <= len(NAMES) else f" {i}")
        city = CITIES[i % len(CITIES)]
        account_id = gid(100_000 + i)
        accounts.append({"ID": account_id, "Code": str(1000 + i).rjust(18), "Name": f"{name} B.V.", "City": city,
                         "AddressLine1": f"Kerkstraat {i}", "Postcode": f"35{i:02d} AB", "Country": "NL",
                         "Email": f"info@klant{i}.nl", "Status": "C", "IsSales": True, "IsSupplier": False,
                         "Blocked": False, "PaymentConditionSales": "30", "Created": now, "Modified": now})
        if i % 5 != 0:  # every fifth Exact customer has no local partner
            local_customers.append(LocalCustomer(id=f"L{i}", name=f"{name} BV", number=str(1000 + i),
                                                 address=f"Kerkstraat {i}", postcode=f"35{i:02d}AB", city=city,
                                                 country="NL", email=f"info@klant{i}.nl"))
            truth[f"L{i}"] = account_id
    local_customers.append(LocalCustomer(id="L900", name="Alleen Lokaal Consultancy", number="900", city="Zwolle"))
    contacts = [LocalContact(id=f"C{i}", customer_id=f"L{i}", first_name="Jan", last_name=f"Jansen {i}")
                for i in range(1, 4)]
    dimensions = [
        Dimension(DimensionKind.HOURLY_RATE, "R1", "Senior consultant"),
        Dimension(DimensionKind.HOURLY_RATE, "R2", "Junior consultant"),
        Dimension(DimensionKind.HOURLY_RATE, "R3", "Weekend rate"),
        Dimension(DimensionKind.PROJECT_TYPE, "P1", "Fixed-price project"),
        Dimension(DimensionKind.EXPENSE_TYPE, "E1", "Travel expenses"),
    ]
    invoices = []
    for n in range(1, 7):
        currency = "USD" if n in (2, 5) else "EUR"
        invoices.append(Invoice(id=f"I{n}", number=f"2026-{n:04d}", customer_id=f"L{n}", date=dt.date(2026, 1, n),
                                currency=currency, lines=[InvoiceLine("Consultancy", Decimal("8"), Decimal("95.00"),
                                                                      data_type=DataType.TIME_MATERIAL,
                                                                      dimension_kind=DimensionKind.HOURLY_RATE,
                                                                      dimension_id="R1")]))
    periods = []
    for year in (2025, 2026, 2027):
        for p in range(1, 13):
            start = dt.datetime(year, p, 1, tzinfo=UTC)
            end = dt.datetime(year + (p == 12), p % 12 + 1, 1, tzinfo=UTC) - dt.timedelta(days=1)
            periods.append({"ID": gid(year * 100 + p), "FinYear": year, "FinPeriod": p, "StartDate": start,
                            "EndDate": end, "Closed": False})

    def tables(div: int) -> dict:
        return {
            "crm/Accounts": accounts if div == DIV else accounts[:3],
            "crm/Contacts": [{"ID": gid(200_000 + i), "Account": gid(100_000 + i), "FirstName": "Jan",
                              "LastName": f"Jansen {i}", "Email": f"jan{i}@klant{i}.nl"} for i in range(1, 4)],
            "financial/Journals": [
                {"ID": gid(70), "Code": "70", "Description": "Verkoopboek", "Type": 20, "Currency": "EUR",
                 "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": True},
                {"ID": gid(71), "Code": "71", "Description": "Verkoop valuta", "Type": 20, "Currency": "EUR",
                 "AllowVariableCurrency": True, "AllowVariableExchangeRate": True, "AllowVAT": True},
                {"ID": gid(90), "Code": "90", "Description": "Memoriaal", "Type": 90, "Currency": "EUR",
                 "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": False},
            ],
            "financial/GLAccounts": [
                {"ID": gid(8000), "Code": "8000", "Description": "Omzet", "Type": 110, "BalanceType": "W",
                 "IsBlocked": False}],
            "vat/VATCodes": [{"ID": gid(2), "Code": "2  ", "Description": "21% excl", "Percentage": Decimal("0.21"),
                              "Type": "E"}],
            "cashflow/PaymentConditions": [{"ID": gid(30), "Code": "30", "Description": "30 dagen", "PaymentDays": 30}],
            "logistics/Items": [
                {"ID": gid(7001), "Code": "HOUR", "Description": "Consultancy hours", "IsSalesItem": True, "IsTime": True,
                 "GLRevenue": gid(8000), "GLRevenueCode": "8000", "IsFractionAllowedItem": True, "SalesVatCode": "2"},
                {"ID": gid(7002), "Code": "FIXED", "Description": "Fixed-price work", "IsSalesItem": True,
                 "IsTime": False, "GLRevenue": gid(8000), "GLRevenueCode": "8000", "IsFractionAllowedItem": True,
                 "SalesVatCode": "2"},
                {"ID": gid(7003), "Code": "TRAVEL", "Description": "Travel costs", "IsSalesItem": True,
                 "IsTime": False, "GLRevenue": gid(8000), "GLRevenueCode": "8000",
                 "IsFractionAllowedItem": False, "SalesVatCode": "2"},
                {"ID": gid(7004), "Code": "MISC", "Description": "Miscellaneous", "IsSalesItem": True,
                 "IsTime": False, "GLRevenue": None, "GLRevenueCode": None, "IsFractionAllowedItem": True,
                 "SalesVatCode": "2"},
            ],
            "financial/FinancialPeriods": periods,
        }

    users = [
        User(gid(1), "demo", "demo", "Demo Consultant", "demo@example.nl", "nl"),
        User(gid(2), "api", "api", "API Integration", "api@example.com", "en"),
        User(gid(3), "inactive", "inactive", "Former Employee", "gone@example.nl", "nl", active=False),
    ]
    divisions = [{"Code": DIV, "Description": "Client Test BV", "Customer": gid(500), "Blocked": False, "Currency": "EUR"},
                 {"Code": DIV2, "Description": "Client Holding BV", "Customer": gid(501), "Blocked": False,
                  "Currency": "EUR"}]
    local = Local(local_customers, contacts, invoices, dimensions, truth)
    return World("client-ui-id", "client-ui-secret", f"http://127.0.0.1:{redirect_port or free_port()}/callback", users, {DIV, DIV2},
                 divisions, {DIV: tables(DIV), DIV2: tables(DIV2)}, local)
