"""Deterministic seed data for the sandbox: an Exact administration and a local side that matches it.

    data = generate(customers=2000, seed=1)
    data.tables[786431]["crm/Accounts"]   # Exact rows, Exact field names
    data.local.customers, data.local.truth  # the local side and which pairs truly belong together

Same `customers`, `seed` and `today` give identical output (every GUID comes from
`random.Random(seed)`); `today` defaults to the current date because fiscal periods, invoice dates
and "closed last year" only make sense relative to the sandbox's clock.

The Exact side is built in `seed_exact` (divisions, master data, accounts), the local side in
`seed_local` (customers spelled differently, invoices, dimensions); see their docstrings for the
records that exist to trigger Exact's business rules and for the measured share of each kind of
difference between the two sides.
"""
from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import io
import random
from exact_tui.domain.text import csv_guard
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable

from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.invoice import Invoice
from exact_tui.domain.products import Dimension

from .seed_exact import BLOCKED_DIVISION, MAIN_DIVISION, NOT_GRANTED_DIVISION, SECOND_DIVISION, exact_side

__all__ = ["SandboxUser", "LocalSet", "SeedData", "generate", "export_local", "CLIENT_ID", "REDIRECT_URI",
           "MAIN_DIVISION", "SECOND_DIVISION", "NOT_GRANTED_DIVISION", "BLOCKED_DIVISION"]

# The app registration. A constant client id (what a user copies from the Exact App Center) and a
# loopback http redirect URI: the console's one-shot listener can catch it, and where it cannot, the
# browser's address bar still shows the full URL to paste back.
CLIENT_ID = "3f6c2a9e-8b1d-4c57-a0e4-7d2b9f6e1c38"
REDIRECT_URI = "http://127.0.0.1:8765/callback"


@dataclass
class SandboxUser:
    """An Exact user who can log in on the sandbox's consent page."""

    id: str
    username: str
    password: str
    full_name: str
    email: str
    language: str  # "nl" | "en": language of Exact's error texts for this user
    active: bool = True
    divisions: list[int] = field(default_factory=list)  # divisions this user may use
    current_division: int = 0
    # areas (scope names) this user has no rights in: 403 or silently empty lists (facts §5)
    denied: list[str] = field(default_factory=list)


@dataclass
class LocalSet:
    """The local (time-tracking) side, with the ground truth of which Exact account each belongs to.

    `variations` says, per local customer id, which differences from its Exact account were applied
    (kinds listed in `seed_local.VARIATION_KINDS`); `duplicates` maps a duplicate local record to the
    local customer it duplicates; `local_only` lists local customers with no Exact account.
    """

    customers: list[LocalCustomer] = field(default_factory=list)
    contacts: list[LocalContact] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    dimensions: list[Dimension] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)  # local customer id -> Exact account ID
    variations: dict[str, list[str]] = field(default_factory=dict)
    duplicates: dict[str, str] = field(default_factory=dict)
    local_only: list[str] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)  # Exact IDs sharing their exact name with another account


@dataclass
class SeedData:
    client_id: str
    client_secret: str
    redirect_uri: str
    users: list[SandboxUser]
    granted_divisions: set[int]  # division scoping: divisions the APP was granted
    divisions: list[dict]  # system/Divisions rows
    tables: dict[int, dict[str, list[dict]]]  # division -> entity path -> rows in Exact's field names
    local: LocalSet
    main_division: int = MAIN_DIVISION
    today: dt.date = field(default_factory=dt.date.today)


def client_secret(seed: int) -> str:
    """Exact-style 12-character secret, the same for the same seed (so a saved profile keeps working
    against a restarted sandbox of the same seed), different for another seed."""
    digest = hashlib.sha256(f"exact-tui-sandbox/{seed}".encode()).hexdigest()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    value = int(digest, 16)
    chars = []
    for _ in range(12):
        value, rest = divmod(value, len(alphabet))
        chars.append(alphabet[rest])
    return "".join(chars)


def users() -> list[SandboxUser]:
    everything = [MAIN_DIVISION, SECOND_DIVISION, NOT_GRANTED_DIVISION, BLOCKED_DIVISION]
    return [
        SandboxUser("0b5f3c1e-6a2d-4f8b-9c3e-1d7a5b9e2f01", "demo", "demo", "Demo Consultant",
                    "demo@brightwork.nl", "nl", True, everything, MAIN_DIVISION),
        SandboxUser("0b5f3c1e-6a2d-4f8b-9c3e-1d7a5b9e2f02", "api", "api", "API Integration",
                    "integrations@brightwork.nl", "en", True, [MAIN_DIVISION, SECOND_DIVISION, BLOCKED_DIVISION],
                    MAIN_DIVISION),
        SandboxUser("0b5f3c1e-6a2d-4f8b-9c3e-1d7a5b9e2f03", "inactive", "inactive", "Former Employee",
                    "p.devries@brightwork.nl", "nl", False, [MAIN_DIVISION], MAIN_DIVISION),
        # A personal account whose current division is the second company: connecting with it picks
        # the wrong administration unless the user chooses one.
        SandboxUser("0b5f3c1e-6a2d-4f8b-9c3e-1d7a5b9e2f04", "j.jansen", "welkom01", "Jan Jansen",
                    "j.jansen@brightwork.nl", "nl", True, [MAIN_DIVISION, SECOND_DIVISION], SECOND_DIVISION),
        # An office user without sales or cash-flow rights: a link made with this login reads master
        # data fine but is refused (or sees nothing) on invoices, entries and receivables.
        SandboxUser("0b5f3c1e-6a2d-4f8b-9c3e-1d7a5b9e2f05", "beperkt", "beperkt", "Beperkte Gebruiker",
                    "office@brightwork.nl", "nl", True, [MAIN_DIVISION], MAIN_DIVISION,
                    denied=["salesentry", "salesinvoice", "cashflow"]),
    ]


def generate(customers: int = 200, seed: int = 1, *, today: dt.date | None = None) -> SeedData:
    """The whole seed, deterministic for (customers, seed, today)."""
    if customers < 0:
        raise ValueError("customers must be 0 or more")
    today = today or dt.date.today()
    rng = random.Random(seed)
    collecting = gc.isenabled()
    gc.disable()  # a million acyclic dicts and strings: the cycle collector only costs time here
    try:
        exact = exact_side(random.Random(rng.getrandbits(64)), today, customers)
        local = _local_side(random.Random(rng.getrandbits(64)), today, exact)
    finally:
        if collecting:
            gc.enable()
    return SeedData(CLIENT_ID, client_secret(seed), REDIRECT_URI, users(), exact.granted, exact.divisions,
                    exact.tables, local, MAIN_DIVISION, today)


def _local_side(rng: random.Random, today: dt.date, exact: Any) -> LocalSet:
    from .seed_local import local_side  # imports LocalSet from here

    return local_side(rng, today, exact)


# ---------------------------------------------------------------------------------------- export

INVOICE_COLUMNS = ["invoice_id", "number", "kind", "customer_id", "date", "currency", "your_ref", "description",
                   "credits_invoice", "line_description", "quantity", "unit_price", "vat_code", "data_type",
                   "dimension_kind", "dimension_id", "product_number"]
EXACT_COLUMNS = ["id", "name", "address", "postcode", "city", "country", "email", "phone", "vat", "coc", "code"]


def _text(value: Any) -> str:
    """A cell as text; text a spreadsheet would run as a formula ("+31 20 …") gets a leading `'`,
    the same escape the console's own export writes and its importer removes."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return csv_guard(value)


def _write(path: Path, header: list[str], rows: Iterable[list[Any]]) -> Path:
    from exact_tui.domain.files import atomic_write

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_text(v) for v in row] for row in rows)
    return atomic_write(path, buffer.getvalue(), mode=0o644)  # an export for the user to open: as before


def _exact_value(row: Any, exact_name: str, attr: str) -> Any:
    if isinstance(row, dict):
        return row.get(exact_name)
    return getattr(row, attr, None)


def export_local(local: LocalSet, exact_accounts: list[dict], directory: Path) -> list[Path]:
    """Write the local side (and the Exact accounts in matching format) as UTF-8 CSV files with a
    header row, ISO dates, `.` decimals and formula-escaped text; returns the paths written. Each file is written to a
    temporary name first, so an interrupted export never leaves a half file under the real name."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    cust_cols = [f.name for f in fields(LocalCustomer)]
    written.append(_write(directory / "customers.csv", cust_cols,
                          ([getattr(c, n) for n in cust_cols] for c in local.customers)))
    contact_cols = [f.name for f in fields(LocalContact)]
    written.append(_write(directory / "contacts.csv", contact_cols,
                          ([getattr(c, n) for n in contact_cols] for c in local.contacts)))

    def invoice_rows():
        for inv in local.invoices:
            head = [inv.id, inv.number, inv.kind.value, inv.customer_id, inv.date, inv.currency, inv.your_ref,
                    inv.description, inv.credits_invoice]
            for line in inv.lines:
                yield head + [line.description, line.quantity, line.unit_price, line.vat_code, line.data_type.value,
                              line.dimension_kind.value if line.dimension_kind else "", line.dimension_id,
                              line.product_number]

    written.append(_write(directory / "invoices.csv", INVOICE_COLUMNS, invoice_rows()))
    written.append(_write(directory / "dimensions.csv", ["kind", "id", "name", "product_number"],
                          ([d.kind.value, d.id, d.name, d.product_number] for d in local.dimensions)))
    pairs = [("ID", "id"), ("Name", "name"), ("AddressLine1", "address"), ("Postcode", "postcode"),
             ("City", "city"), ("Country", "country"), ("Email", "email"), ("Phone", "phone"),
             ("VATNumber", "vat"), ("ChamberOfCommerce", "coc"), ("Code", "code")]
    written.append(_write(directory / "exact_accounts.csv", EXACT_COLUMNS, (
        [_text(_exact_value(row, exact_name, attr)).strip() if attr == "code" else _exact_value(row, exact_name, attr)
         for exact_name, attr in pairs] for row in exact_accounts)))
    written.append(_write(directory / "truth.csv", ["local_id", "exact_id"], sorted(local.truth.items())))
    return written
