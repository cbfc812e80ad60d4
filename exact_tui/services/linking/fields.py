"""The one table of customer fields shared by bulk linking and the customer card.

Each field has its local attribute (the same name on `ExactAccount` and the client's `Account`),
the labels the screens show, and the `crm/Accounts` property a PUT sends. `same_value` is the one
rule for "these two values are the same": the Link screen's highlighting, the card's side by side
and both merge directions use it, so "ACME bv" and "Acme BV" are the same everywhere (no API call
spent to change a capital, no local name overwritten for one).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CustomerField:
    key: str  # LocalCustomer / ExactAccount / Account attribute ("number" is the Exact code)
    label: str  # the customer card's label
    short: str  # the Link screen's detail panel label (narrow)
    api: str  # crm/Accounts property; "" for the code, which is never sent in a PUT


FIELDS: tuple[CustomerField, ...] = (
    CustomerField("number", "Number / code", "Number / code", ""),
    CustomerField("name", "Name", "Name", "Name"),
    CustomerField("address", "Address", "Address", "AddressLine1"),
    CustomerField("postcode", "Postcode", "Postcode", "Postcode"),
    CustomerField("city", "City", "City", "City"),
    CustomerField("country", "Country", "Country", "Country"),
    CustomerField("email", "E-mail", "E-mail", "Email"),
    CustomerField("phone", "Phone", "Phone", "Phone"),
    CustomerField("vat", "VAT number", "VAT", "VATNumber"),
    CustomerField("coc", "Chamber of Commerce", "KvK", "ChamberOfCommerce"),
    CustomerField("website", "Website", "Website", "Website"),
)
# Local field -> Exact account field for the merge in either direction (never the code).
MERGE_FIELDS: tuple[tuple[str, str], ...] = tuple((f.key, f.api) for f in FIELDS if f.api)
FIELD_LABELS = {f.key: f.short for f in FIELDS}
# The Link screen's detail panel reads name first, then the rest in table order.
COMPARED: tuple[CustomerField, ...] = tuple(sorted(FIELDS, key=lambda f: f.key != "name"))


def same_value(field_name: str, exact_value: str, local_value: str) -> bool:
    """Whether two values are the same for a person reading them: case and spaces do not count,
    postcodes compare as the matcher reads them."""
    exact_value, local_value = exact_value or "", local_value or ""
    if field_name == "postcode":
        from ...matching import normalise_postcode

        return normalise_postcode(exact_value) == normalise_postcode(local_value)
    return exact_value.replace(" ", "").casefold() == local_value.replace(" ", "").casefold()
