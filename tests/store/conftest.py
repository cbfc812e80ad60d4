from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exact_tui.store import ProfileStore


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profiles" / "acme"


@pytest.fixture
def store(profile: Path):
    with ProfileStore.open(profile) as opened:
        yield opened


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, sep: str = ",", bom: bool = False,
              newline: str = "\n") -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=sep, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path


CUSTOMER_HEADER = ["id", "name", "number", "address", "postcode", "city", "country", "email", "phone", "vat", "coc",
                   "website", "currency", "payment_condition"]
INVOICE_HEADER = ["invoice_id", "number", "kind", "customer_id", "date", "currency", "your_ref", "description",
                  "credits_invoice", "line_description", "quantity", "unit_price", "vat_code", "data_type",
                  "dimension_kind", "dimension_id", "product_number"]


@pytest.fixture
def local_files(tmp_path: Path) -> dict[str, Path]:
    """The files `exact-tui sandbox --export-local` writes (common.md's format), small."""
    folder = tmp_path / "local"
    folder.mkdir()
    customers = write_csv(folder / "customers.csv", CUSTOMER_HEADER, [
        ["L1", "Jansen Advies B.V.", "1001", "Dorpsstraat 1", "3511 AB", "Utrecht", "NL", "info@jansen.nl",
         "+31 30 1234567", "NL123456789B01", "12345678", "https://jansen.nl", "EUR", "30"],
        ["L2", "Brouwerij De Gent", "1002", "Kouter 5", "9000", "Gent", "BE", "", "", "BE0123456789", "", "", "EUR", ""],
        ["L3", "Müller GmbH", "", "Hauptstraße 3", "10115", "Berlin", "DE", "kontakt@mueller.de", "", "", "", "", "EUR", ""],
    ])
    contacts = write_csv(folder / "contacts.csv", ["id", "customer_id", "first_name", "last_name", "email", "phone"], [
        ["P1", "L1", "Anna", "Jansen", "anna@jansen.nl", ""],
        ["P2", "L2", "", "Peeters", "", "+32 9 1234567"],
    ])
    invoices = write_csv(folder / "invoices.csv", INVOICE_HEADER, [
        ["I1", "2026-0001", "invoice", "L1", "2026-01-15", "EUR", "PO 42", "January", "", "Consultancy", "12.5",
         "95.00", "VH", "time_material", "hourly_rate", "R1", ""],
        ["I1", "2026-0001", "invoice", "L1", "2026-01-15", "EUR", "PO 42", "January", "", "Travel", "1", "45.50",
         "VH", "travel", "", "", "TRAVEL"],
        ["I2", "2026-0002", "credit_note", "L1", "2026-02-01", "EUR", "", "Correction", "2026-0001", "Consultancy",
         "-2", "95.00", "VH", "time_material", "hourly_rate", "R1", ""],
    ])
    dimensions = write_csv(folder / "dimensions.csv", ["kind", "id", "name", "product_number"], [
        ["hourly_rate", "R1", "Senior consultant", "CONSULT"], ["project_type", "PT1", "Fixed price", ""],
    ])
    return {"customers": customers, "contacts": contacts, "invoices": invoices, "dimensions": dimensions}
