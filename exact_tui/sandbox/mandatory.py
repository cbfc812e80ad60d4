"""Exact's Mandatory column on POST: a property the reference marks mandatory (`q` in reference.py)
and the request leaves out or empty is refused with Exact's `Verplicht: <field>` / `Required: <field>`
(HTTP 500, catalogue "Verplicht / Mandatory, Required"), before any other rule of the record runs.

Three readings come from the reference's own descriptions, not from the column alone:
- Contacts: "Provide at least first name or last name to create a new contact" — both are marked
  mandatory, one of them is enough.
- SalesInvoiceLines.GLAccount: "generated based on the revenue account of the item" — Exact fills it,
  so leaving it out is not an error (the item's rules then apply).
- A line's parent key (`EntryID`, `InvoiceID`) is mandatory when a line is posted on its own; inside its
  parent's POST the parent gives it.
Field names in messages are Exact's labels in the user's language (the catalogue's texts), one table.
"""
from __future__ import annotations

from typing import Any

from .messages import SandboxError, fail
from .schema import ROUTES, EntitySpec, documented

# (entity type, property) -> a messages.py key with its own text, or (Dutch, English) label for field_required
LABELS: dict[tuple[str, str], str | tuple[str, str]] = {
    ("Account", "Name"): "name_required",
    ("Contact", "Account"): "account_required", ("Contact", "LastName"): ("Achternaam", "Last name"),
    ("Contact", "FirstName"): ("Voornaam", "First name"),
    ("SalesEntry", "Journal"): "journal_required", ("SalesEntry", "Customer"): "customer_required",
    ("SalesEntry", "SalesEntryLines"): "lines_required",
    ("SalesEntryLine", "GLAccount"): "gl_required", ("SalesEntryLine", "AmountFC"): ("Bedrag", "Amount"),
    ("SalesEntryLine", "EntryID"): ("EntryID", "EntryID"),
    ("SalesInvoice", "Journal"): "journal_required", ("SalesInvoice", "OrderedBy"): "ordered_by_required",
    ("SalesInvoice", "SalesInvoiceLines"): "lines_required",
    ("SalesInvoiceLine", "Item"): "item_required", ("SalesInvoiceLine", "InvoiceID"): ("InvoiceID", "InvoiceID"),
    ("PrintedSalesInvoice", "InvoiceID"): ("Factuur", "Invoice"),
    ("Item", "Code"): ("Code", "Code"), ("Item", "Description"): ("Omschrijving", "Description"),
    ("GLAccount", "Code"): ("Code", "Code"), ("GLAccount", "Description"): ("Omschrijving", "Description"),
    ("VATCode", "Code"): ("Code", "Code"), ("VATCode", "Description"): ("Omschrijving", "Description"),
    ("PaymentCondition", "Code"): ("Code", "Code"), ("PaymentCondition", "Description"): ("Omschrijving", "Description"),
    ("VatPercentage", "VATCodeID"): ("Btw-code", "VAT code"),
    ("ExchangeRate", "SourceCurrency"): ("Bronvaluta", "Source currency"),
    ("WebhookSubscription", "CallbackURL"): ("CallbackURL", "CallbackURL"),
    ("WebhookSubscription", "Topic"): ("Topic", "Topic"),
}
# the order Exact's own checks meet them in, where it is known (the rules' order); others follow by name
ORDER = {"SalesEntry": ("Journal", "Customer", "SalesEntryLines"),
         "SalesInvoice": ("Journal", "OrderedBy", "SalesInvoiceLines"),
         "SalesEntryLine": ("EntryID", "GLAccount", "AmountFC"), "Contact": ("Account", "LastName", "FirstName")}
EITHER = {"Contact": ("LastName", "FirstName")}  # one of them is enough (the reference's description)
FILLED_BY_EXACT = {("SalesInvoiceLine", "GLAccount")}  # from the item's revenue account


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value)


def required(type_name: str) -> list[str]:
    """The mandatory properties of an entity type, in the order they are checked."""
    names = sorted(name for name, prop in documented(type_name).items() if prop.required
                   and (type_name, name) not in FILLED_BY_EXACT)
    first = [name for name in ORDER.get(type_name, ()) if name in names]
    return first + [name for name in names if name not in first]


def _error(type_name: str, name: str) -> SandboxError:
    label = LABELS.get((type_name, name), (name, name))
    if isinstance(label, str):
        return fail(500, label)
    return fail(500, "field_required_named", field_nl=label[0], field_en=label[1])


def check(spec: EntitySpec, body: dict[str, Any], *, parent_key: str | None = None) -> None:
    """Refuse the first mandatory property `body` leaves empty; lines inside it are checked too (their
    parent's key is given by the parent)."""
    type_name = spec.reference or spec.type_name
    either = EITHER.get(type_name, ())
    for name in required(type_name):
        if name == parent_key or not _empty(body.get(name)):
            continue
        if name in either and any(not _empty(body.get(other)) for other in either):
            continue
        raise _error(type_name, name)
    if spec.lines and isinstance(body.get(spec.lines), list):
        line_spec = ROUTES[{"SalesEntryLines": "salesentry/salesentrylines",
                            "SalesInvoiceLines": "salesinvoice/salesinvoicelines"}[spec.lines]]
        for line in body[spec.lines]:
            check(line_spec, line, parent_key=spec.key)


def check_put(spec: EntitySpec, row: dict[str, Any], body: dict[str, Any]) -> None:
    """A PUT leaves what it does not send as it is, so only what it sends can empty a mandatory
    property: refused as on POST (a contact keeps one of its names either way)."""
    type_name = spec.reference or spec.type_name
    either = EITHER.get(type_name, ())
    merged = {**row, **body}
    for name in required(type_name):
        if name not in body or not _empty(body[name]) or name == spec.lines:
            continue
        if name in either and any(not _empty(merged.get(other)) for other in either):
            continue
        raise _error(type_name, either[0] if name in either else name)  # the pair is named as on POST
