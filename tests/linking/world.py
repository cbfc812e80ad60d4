"""A known Exact world with N customer accounts and the local customers that are their true pairs.

Every tenth pair differs in a way the merge rule must respect: a newer local e-mail (sent to
Exact), an empty local phone (not sent), a different local city with an empty local address (city
sent, address not), and every fiftieth local customer has a number that breaks the rule (refused).
"""
from __future__ import annotations

import datetime as dt
import functools
import socket
import uuid

from exact_tui.domain.customer import LocalCustomer
from exact_tui.sandbox.seed import LocalSet, SandboxUser, SeedData

DIV = 401
_A = ("Bakkerij", "Installatie", "Advies", "Transport", "Bouw", "Schilders", "Tuin", "Zorg", "Media", "Techniek",
      "Drukkerij", "Kapsalon", "Garage", "Makelaardij", "Accountants", "Architecten", "Catering", "Metaal")
_B = ("Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
      "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf")
_CITY = ("Amsterdam", "Utrecht", "Rotterdam", "Leiden", "Delft", "Zwolle", "Groningen", "Arnhem", "Breda", "Tilburg")


_user = functools.partial(SandboxUser, divisions=[DIV], current_division=DIV)


def gid(n: int) -> str:
    return str(uuid.UUID(int=n))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def name(i: int) -> str:
    return f"{_A[i % len(_A)]} {_B[(i // len(_A)) % len(_B)]} {i:05d}"


def accounts(n: int) -> list[dict]:
    utc = dt.timezone.utc
    return [{"ID": gid(100_000 + i), "Code": str(1000 + i), "Name": f"{name(i)} B.V.", "AddressLine1": f"Straatweg {i}",
             "Postcode": f"{1000 + i % 8999}AB", "City": _CITY[i % len(_CITY)], "Country": "NL",
             "Email": f"info@klant{i}.nl", "Phone": f"030{i:07d}", "Status": "C", "IsSupplier": False,
             "Blocked": False, "Created": dt.datetime(2024, 1, 1, tzinfo=utc),
             "Modified": dt.datetime(2024, 1, 1, tzinfo=utc)} for i in range(1, n + 1)]


def local_customers(n: int) -> list[LocalCustomer]:
    out = []
    for i in range(1, n + 1):
        c = LocalCustomer(f"L{i:05d}", f"{name(i)} B.V.", str(1000 + i), f"Straatweg {i}", f"{1000 + i % 8999}AB",
                          _CITY[i % len(_CITY)], "NL", f"info@klant{i}.nl", f"030{i:07d}")
        if i % 10 == 1:
            c.email = f"facturen@klant{i}.nl"  # newer locally: sent
        elif i % 10 == 2:
            c.phone = ""  # empty locally: not sent
        elif i % 10 == 3:
            c.city, c.address = "Den Haag", ""  # city sent, empty address not
        if i % 50 == 0:
            c.number = f"K-{i}"  # breaks the customer-number rule: refused
        out.append(c)
    return out


def seed(n: int) -> SeedData:
    users = [_user(gid(1), "demo", "demo", "Demo Consultant", "demo@example.nl", "nl")]
    divisions = [{"Code": DIV, "Description": "Link Test BV", "Customer": gid(500), "Blocked": False, "Currency": "EUR"}]
    return SeedData("link-test-id", "link-test-secret", f"http://127.0.0.1:{free_port()}/callback", users, {DIV},
                divisions, {DIV: {"crm/Accounts": accounts(n)}}, local=LocalSet())
