"""Which column holds which field: field names by default, common Dutch/English headers, user overrides.

Headers are compared loosely (case, spaces, `_`, `-`, `.` ignored), so `Customer Number`,
`customer_number` and `KLANTNUMMER` all find `number`. `--map "Debiteur nr=number"` wins over
everything; `--map "Notes="` ignores a column.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KINDS = ("customers", "contacts", "invoices", "products", "dimensions")

FIELDS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "name", "number", "address", "postcode", "city", "country", "email", "phone", "vat",
                  "coc", "website", "currency", "payment_condition"),
    "contacts": ("id", "customer_id", "first_name", "last_name", "email", "phone"),
    "invoices": ("invoice_id", "number", "kind", "customer_id", "date", "currency", "your_ref", "description",
                 "credits_invoice", "line_description", "quantity", "unit_price", "vat_code", "data_type",
                 "dimension_kind", "dimension_id", "product_number"),
    "products": ("code", "description", "exact_id", "is_sales_item", "divisible", "revenue_gl", "vat_code", "active"),
    "dimensions": ("kind", "id", "name", "product_number"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("name",),  # `id` may come from `number`, see records.py
    "contacts": ("id", "customer_id"),
    "invoices": ("invoice_id", "number", "customer_id", "date"),
    "products": ("code",),
    "dimensions": ("kind", "id", "name"),
}

_COMMON = {
    "email": ("e-mail", "emailadres", "e-mailadres", "mail", "email address"),
    "phone": ("telefoon", "telefoonnummer", "tel", "phone number", "telephone", "mobiel"),
    "currency": ("valuta", "munt"),
}
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "id": ("customer id", "local id", "klant id", "relatie id", "key"),
        "name": ("naam", "klantnaam", "company", "company name", "bedrijfsnaam", "bedrijf", "customer name",
                 "relatienaam", "organisation", "organization"),
        "number": ("customer number", "klantnummer", "klantnr", "debiteurnummer", "debiteur", "debtor number",
                   "account number", "relatienummer", "nummer", "code", "customer code", "no"),
        "address": ("adres", "straat", "street", "address line 1", "adresregel 1", "addressline1"),
        "postcode": ("zip", "zipcode", "zip code", "postal code", "post code", "postalcode"),
        "city": ("plaats", "woonplaats", "stad", "town", "vestigingsplaats"),
        "country": ("land", "landcode", "country code"),
        "vat": ("btw", "btw nummer", "btwnummer", "btw-nummer", "vat number", "vat no", "vatnumber", "tax id",
                "omzetbelastingnummer"),
        "coc": ("kvk", "kvk nummer", "kvknummer", "kvk-nummer", "chamber of commerce", "coc number",
                "handelsregister"),
        "website": ("web", "url", "site", "webadres"),
        "payment_condition": ("betalingsconditie", "betaalconditie", "payment terms", "payment condition",
                              "betalingstermijn"),
        **_COMMON,
    },
    "contacts": {
        "id": ("contact id", "contactpersoon id", "person id"),
        "customer_id": ("customer", "klant", "klant id", "account id", "relatie id", "company id"),
        "first_name": ("voornaam", "firstname", "given name", "roepnaam"),
        "last_name": ("achternaam", "lastname", "surname", "family name"),
        "email": _COMMON["email"],
        "phone": _COMMON["phone"],
    },
    "invoices": {
        "invoice_id": ("invoice", "factuur id", "id"),
        "number": ("invoice number", "factuurnummer", "factuurnr", "invoice no"),
        "kind": ("type", "soort", "invoice type", "factuurtype"),
        "customer_id": ("customer", "klant", "klant id", "customer number"),
        "date": ("invoice date", "factuurdatum", "datum"),
        "your_ref": ("your reference", "uw referentie", "referentie", "reference", "po", "po number"),
        "description": ("omschrijving", "invoice description"),
        "credits_invoice": ("credited invoice", "gecrediteerde factuur", "original invoice", "credit for"),
        "line_description": ("regelomschrijving", "line text", "regel omschrijving"),
        "quantity": ("aantal", "qty", "hours", "uren"),
        "unit_price": ("prijs", "price", "stukprijs", "tarief", "rate", "unit price"),
        "vat_code": ("btw code", "btwcode", "vat", "btw"),
        "data_type": ("datatype", "line type", "regeltype"),
        "dimension_kind": ("dimension", "dimensie"),
        "dimension_id": ("dimension value", "dimensie id"),
        "product_number": ("item", "artikel", "artikelcode", "item code", "productnummer", "product"),
        "currency": _COMMON["currency"],
    },
    "products": {
        "code": ("item code", "artikelcode", "product number", "productnummer", "artikel"),
        "description": ("omschrijving", "name", "naam"),
        "exact_id": ("id", "item id", "guid"),
        "is_sales_item": ("sales item", "verkoopartikel"),
        "divisible": ("deelbaar", "fraction allowed", "isfractionalloweditem"),
        "revenue_gl": ("revenue gl", "omzetrekening", "glrevenuecode", "grootboek"),
        "vat_code": ("btw code", "btwcode", "salesvatcode"),
        "active": ("actief", "in use"),
    },
    "dimensions": {
        "kind": ("type", "soort", "dimension", "dimensie"),
        "id": ("code", "dimension id"),
        "name": ("naam", "omschrijving", "description"),
        "product_number": ("product", "productnummer", "artikel", "artikelcode", "item", "item code"),
    },
}


def squash(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


class MappingProblem(ValueError):
    pass


@dataclass(slots=True)
class ColumnMapping:
    kind: str
    columns: dict[str, str] = field(default_factory=dict)  # file header -> field
    ignored: list[str] = field(default_factory=list)  # headers no field uses
    missing: list[str] = field(default_factory=list)  # required fields no column provides

    def describe(self) -> list[str]:
        lines = [f"{header} -> {name}" for header, name in self.columns.items() if squash(header) != squash(name)]
        if self.ignored:
            lines.append("ignored columns: " + ", ".join(self.ignored))
        return lines


def parse_overrides(items: Iterable[str]) -> dict[str, str]:
    """`col=field` strings (from `--map`) as a dict; an empty field ignores the column."""
    out: dict[str, str] = {}
    for item in items:
        column, sep, name = item.partition("=")
        if not sep or not column.strip():
            raise MappingProblem(f"--map needs COLUMN=FIELD, not {item!r}")
        out[column.strip()] = name.strip()
    return out


def build_mapping(kind: str, headers: Iterable[str], overrides: Mapping[str, str] | None = None) -> ColumnMapping:
    if kind not in FIELDS:
        raise MappingProblem(f"unknown data type {kind!r}: use one of {', '.join(KINDS)}")
    fields = FIELDS[kind]
    headers = list(headers)
    by_squash = {squash(h): h for h in headers}
    mapping = ColumnMapping(kind)
    used: set[str] = set()
    for column, name in (overrides or {}).items():
        header = by_squash.get(squash(column))
        if header is None:
            raise MappingProblem(f"--map {column}={name}: the file has no column {column!r} "
                                 f"(columns: {', '.join(headers)})")
        if name and name not in fields:
            raise MappingProblem(f"--map {column}={name}: {name!r} is not a {kind} field "
                                 f"(fields: {', '.join(fields)})")
        if name in used:
            raise MappingProblem(f"--map: two columns map to {name!r}")
        if name:
            mapping.columns[header] = name
            used.add(name)
        else:
            mapping.ignored.append(header)
    taken = set(mapping.columns) | set(mapping.ignored)
    aliases = ALIASES.get(kind, {})
    # Exact field names first, then aliases, so a file with both `number` and `code` keeps `number`.
    for name in fields:
        if name in used:
            continue
        header = by_squash.get(squash(name))
        if header is not None and header not in taken:
            mapping.columns[header] = name
            used.add(name)
            taken.add(header)
    for name in fields:
        if name in used:
            continue
        for alias in aliases.get(name, ()):
            header = by_squash.get(squash(alias))
            if header is not None and header not in taken:
                mapping.columns[header] = name
                used.add(name)
                taken.add(header)
                break
    mapping.ignored.extend(h for h in headers if h not in taken)
    mapping.missing = [f for f in REQUIRED[kind] if f not in used]
    if kind == "customers" and "id" not in used and "number" not in used:
        mapping.missing.insert(0, "id")
    return mapping
