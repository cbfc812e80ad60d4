"""Request bodies and keys as Exact reads them: each value typed by its documented Edm type (GUIDs,
dates as ISO-8601 or `/Date(ms)/`, decimals within Exact's decimal(18, …), strict booleans), unknown
property names refused with Exact's OData message, lines typed as their own entity, and what a PUT
may change (never a read-only property, never the key).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .messages import fail
from .values import parse_datetime, parse_guid
from .schema import ROUTES, EntitySpec
from .world import Row

if TYPE_CHECKING:
    from .app import Runtime

DATE_FIELDS = {"EntryDate", "InvoiceDate", "DueDate", "StartDate", "EndDate", "Created", "Modified", "DeletedDate",
               "LastPaymentDate"}
DECIMAL_FIELDS = {"AmountFC", "AmountDC", "VATAmountFC", "VATAmountDC", "Quantity", "NetPrice", "Percentage",
                  "VATPercentage", "Amount"}
INT_FIELDS = {"Type", "Status", "PaymentDays", "LineNumber", "EntryNumber", "InvoiceNumber", "FinYear", "FinPeriod"}
BOOL_FIELDS = {"Blocked", "IsSupplier", "IsSales", "IsSalesItem", "IsTime", "IsFractionAllowedItem", "IsBlocked",
               "AllowVariableCurrency", "AllowVariableExchangeRate", "AllowVAT", "IsFullyPaid", "Closed",
               "SendEmailToCustomer", "SendInvoiceToCustomerPostbox", "SendOutputBasedOnAccount"}
MAX_AMOUNT = Decimal(10) ** 14
LINE_SPECS = {"SalesEntryLines": "salesentry/SalesEntryLines", "SalesInvoiceLines": "salesinvoice/SalesInvoiceLines"}


def changeable(spec: EntitySpec, body: Row) -> Row:
    """What a PUT may change: Exact leaves read-only properties (`Created`, `Division`, `IsSales`, …)
    as they are and never changes the key, so they are dropped from the body, not stored."""
    props = spec.properties
    return {name: value for name, value in body.items()
            if name != spec.key and not (name in props and (props[name].read_only or props[name].key))}


def typed(spec: EntitySpec, raw: dict, known: set[str], rt: "Runtime") -> Row:
    out: Row = {}
    for name, value in raw.items():
        if name == "__metadata":
            continue
        if name not in known:
            raise fail(400, "unknown_property", field=name, entity=f"Exact.Web.Api.Models.{spec.type_name}")
        if name in LINE_SPECS and name == spec.lines:
            line_spec = ROUTES[LINE_SPECS[name].lower()]
            items = value.get("results", value) if isinstance(value, dict) else value
            if not isinstance(items, list):
                raise fail(400, "bad_value", field=name, value="(not a list)")
            line_fields = set(rt.field_names(line_spec.table))
            out[name] = [typed(line_spec, item if isinstance(item, dict) else {}, line_fields, rt) for item in items]
            continue
        out[name] = coerce(spec, name, value)
    return out


def _kind(spec: EntitySpec, name: str) -> str:
    """How a value is typed: from the documented Edm type, else the sandbox's own field sets."""
    prop = spec.properties.get(name)
    if prop is not None:
        return {"Guid": "guid", "DateTime": "date", "Double": "dec", "Decimal": "dec", "Boolean": "bool",
                "Int16": "int", "Int32": "int", "Int64": "int", "Byte": "int"}.get(prop.type, "str")
    if name in spec.guid_fields:
        return "guid"
    if name in DATE_FIELDS:
        return "date"
    if name in DECIMAL_FIELDS:
        return "dec"
    if name in INT_FIELDS and not (spec.table == "crm/Accounts" and name == "Status"):
        return "int"
    return "bool" if name in BOOL_FIELDS else "str"


def coerce(spec: EntitySpec, name: str, value: Any) -> Any:
    if value is None:
        return None
    kind = _kind(spec, name)
    try:
        if kind == "guid":
            try:
                return parse_guid(str(value))
            except ValueError:
                raise fail(400, "bad_guid", value=value) from None
        if kind == "date":
            return parse_datetime(str(value))
        if kind == "dec":
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) >= MAX_AMOUNT:
                raise ValueError(value)  # Exact stores money and quantities as decimal(18, …)
            return number
        if kind == "int":
            if isinstance(value, bool) or Decimal(str(value)) != int(Decimal(str(value))):
                raise ValueError(value)
            return int(Decimal(str(value)))
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(value)
            return value
        if not isinstance(value, str) and spec.properties.get(name) is not None:
            raise ValueError(value)  # a documented string property takes a string
    except (ValueError, InvalidOperation, TypeError):
        raise fail(400, "bad_value", field=name, value=value) from None
    return value


def parse_key(spec: EntitySpec, raw: str) -> Any:
    raw = raw.strip()
    if spec.composite:  # `Year=2025,Period=3,Journal='70'`: the view's sortable key
        parts = dict(p.partition("=")[::2] for p in re.split(r",(?=\w+=)", raw))
        try:
            year, period = int(parts["Year"]), int(parts["Period"])
            journal = re.fullmatch(r"'(.*)'", parts["Journal"].strip()).group(1)  # type: ignore[union-attr]
        except (KeyError, ValueError, AttributeError):
            raise fail(400, "bad_value", field=",".join(spec.composite), value=raw) from None
        return f"{year:04d}/{period:03d}/{journal}"
    if spec.key_is_int:
        try:
            return int(raw.rstrip("L"))
        except ValueError:
            raise fail(400, "bad_value", field=spec.key, value=raw) from None
    if spec.key not in spec.guid_fields:  # a string key: `('EUR')`
        m = re.fullmatch(r"'(.*)'", raw)
        if m is None:
            raise fail(400, "bad_value", field=spec.key, value=raw)
        return m.group(1).replace("''", "'")
    m = re.fullmatch(r"guid'(.*)'", raw)
    try:
        return parse_guid(m.group(1) if m else "not a guid: " + raw)
    except ValueError:
        raise fail(400, "bad_guid", value=raw) from None
