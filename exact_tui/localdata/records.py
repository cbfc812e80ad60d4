"""Rows -> domain records, with a problem for every bad cell, naming the line, the record and the field.

A row with any problem is left out whole (an invoice with any bad line is left out whole), so
what goes into the store is always complete. Checks that need what is already stored (does this
customer exist, is this invoice number taken) read a `Known` snapshot the caller fills in, which
keeps this module free of the store.

Why over 400 lines: one converter per record type over the shared cell parsers they all use.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..domain.customer import LocalContact, LocalCustomer, customer_number_problem
from ..domain.invoice import Invoice, InvoiceKind, InvoiceLine
from ..domain.products import DataType, Dimension, DimensionKind, ProductNumber
from ..domain.text import has_control_characters, printable
from ._gc import paused_gc
from .mapping import ColumnMapping
from .reading import Row, Table
from .values import (
    MAX_FIELD_CHARS,
    DecimalStyle,
    email_problem,
    normalise_vat,
    parse_bool,
    parse_country,
    parse_currency,
    parse_date,
    parse_decimal,
    vat_problem,
)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    record: str  # the record's id as the file gives it ("" when it has none)
    field: str
    message: str
    where: str = "line"  # "line" for CSV, "record" for JSON

    def __str__(self) -> str:
        rec = f" ({self.record})" if self.record else ""
        fld = f" {self.field}:" if self.field else ""
        return f"{self.where} {self.line}{rec}:{fld} {self.message}"


@dataclass(slots=True)
class Known:
    """What the store already holds, for the checks across files."""

    customer_ids: set[str] = field(default_factory=set)
    customer_numbers: dict[str, str] = field(default_factory=dict)  # number -> customer id
    invoice_numbers: dict[str, str] = field(default_factory=dict)  # number -> invoice id
    invoice_kinds: dict[str, str] = field(default_factory=dict)  # number -> kind
    product_codes: set[str] = field(default_factory=set)
    # A customer number Exact will not accept as a linked customer's code (letters, > 9 digits,
    # the number of another customer) is a notice by default: the customer is real and its
    # contacts and invoices need it; linking and auto-create refuse it until it is fixed.
    # Strict refuses the row instead.
    strict_numbers: bool = False


@dataclass(slots=True)
class Batch:
    kind: str
    records: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # per-row warnings: imported, but look at it
    rows: int = 0
    record_lines: dict[str, int] = field(default_factory=dict)  # record key -> line, for later checks

    @property
    def bad_records(self) -> int:
        return len({(p.line, p.record) for p in self.problems})


class _RowCheck:
    """Collects the problems of one row while its fields are parsed."""

    def __init__(self, batch: Batch, row: Row, record: str, where: str) -> None:
        self.batch, self.row, self.record, self.where = batch, row, record, where
        self.ok = True

    def problem(self, name: str, message: str) -> None:
        self.ok = False
        self.batch.problems.append(Problem(self.row.line, self.record, name, message, self.where))

    def unique_key(self, name: str, value: str, seen: dict[str, int]) -> None:
        """The record's key must be filled and not repeat an earlier line of the same file."""
        if not value:
            self.problem(name, "is empty")
        elif value in seen:
            self.problem(name, f"duplicate of line {seen[value]}")
        else:
            seen[value] = self.row.line

    def parse(self, name: str, value: Any, parser: Callable[[Any], Any], default: Any = None) -> Any:
        try:
            return parser(value)
        except ValueError as exc:
            self.problem(name, str(exc))
            return default


def _cells(row: Row, mapping: ColumnMapping) -> dict[str, str]:
    """The row's cells by field name, as stripped text (JSON numbers and booleans included)."""
    out: dict[str, str] = {}
    get = row.cells.get
    for header, name in mapping.columns.items():
        value = get(header)
        if value is None:
            out[name] = ""
        elif isinstance(value, str):
            out[name] = value  # the reader already stripped it
        elif isinstance(value, bool):
            out[name] = "1" if value else "0"
        else:
            out[name] = str(value).strip()
    return out


def _text(cells: dict[str, str], name: str) -> str:
    return cells.get(name, "")


def build(table: Table, mapping: ColumnMapping, known: Known | None = None) -> Batch:
    known = known or Known()
    batch = Batch(mapping.kind, rows=len(table.rows))
    where = "record" if table.format == "json" else "line"
    builder = _BUILDERS[mapping.kind]
    with paused_gc():
        builder(table, mapping, known, batch, where)
    return batch


def _long_cells(check: _RowCheck, cells: dict[str, Any]) -> None:
    """Cells no field can hold: too long, or with control characters (ESC, NUL, …) in them."""
    for name, value in cells.items():
        if not isinstance(value, str):
            continue
        if len(value) > MAX_FIELD_CHARS:
            check.problem(name, f"is {len(value):,} characters long (at most {MAX_FIELD_CHARS:,})")
            cells[name] = ""
        elif has_control_characters(value):
            check.problem(name, f"holds control characters ({printable(value)[:80]}); remove them")
            cells[name] = ""


def _customers(table: Table, mapping: ColumnMapping, known: Known, batch: Batch, where: str) -> None:
    id_from_number = "id" not in mapping.columns.values()
    if id_from_number:
        batch.warnings.append("no id column: the customer number is used as the local id")
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[str, tuple[str, int]] = {}
    for row in table.rows:
        cells = _cells(row, mapping)
        number = _text(cells, "number")
        cid = number if id_from_number else _text(cells, "id")
        check = _RowCheck(batch, row, cid or number, where)
        _long_cells(check, cells)
        if not cid:
            check.problem("id", "is empty")
        elif cid in seen_ids:
            check.problem("id", f"duplicate of line {seen_ids[cid]}")
        name = _text(cells, "name")
        if not name:
            check.problem("name", "is empty")
        if number:
            problem = customer_number_problem(number)
            if problem is None and number in seen_numbers and seen_numbers[number][0] != cid:
                problem = f"{number} is also used by {seen_numbers[number][0]} (line {seen_numbers[number][1]})"
            elif problem is None and known.customer_numbers.get(number, cid) != cid:
                problem = f"{number} already belongs to stored customer {known.customer_numbers[number]}"
            if problem and known.strict_numbers:
                check.problem("number", problem)
            elif problem:
                batch.notices.append(Problem(row.line, cid or number, "number",
                                             f"{problem}; imported, but Exact will refuse it as the code of a "
                                             f"linked customer until it is changed", where))
        email = _text(cells, "email")
        if (p := email_problem(email)) is not None:
            check.problem("email", p)
        vat = _text(cells, "vat")
        if (p := vat_problem(vat)) is not None:
            check.problem("vat", p)
        country = check.parse("country", _text(cells, "country"), parse_country, "")
        currency = check.parse("currency", _text(cells, "currency"), parse_currency, "EUR")
        if cid and cid not in seen_ids:
            seen_ids[cid] = row.line
        if number and number not in seen_numbers:
            seen_numbers[number] = (cid, row.line)
        if not check.ok:
            continue
        batch.records.append(LocalCustomer(
            id=cid, name=name, number=number, address=_text(cells, "address"), postcode=_text(cells, "postcode"),
            city=_text(cells, "city"), country=country, email=email, phone=_text(cells, "phone"),
            vat=normalise_vat(vat) if vat else "", coc=_text(cells, "coc"), website=_text(cells, "website"),
            currency=currency, payment_condition=_text(cells, "payment_condition")))
        batch.record_lines[cid] = row.line


def _contacts(table: Table, mapping: ColumnMapping, known: Known, batch: Batch, where: str) -> None:
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = _cells(row, mapping)
        cid = _text(cells, "id")
        check = _RowCheck(batch, row, cid, where)
        _long_cells(check, cells)
        check.unique_key("id", cid, seen)
        customer = _text(cells, "customer_id")
        if not customer:
            check.problem("customer_id", "is empty")
        elif customer not in known.customer_ids:
            check.problem("customer_id", f"unknown customer {customer!r} (import the customers first)")
        first, last = _text(cells, "first_name"), _text(cells, "last_name")
        if not first and not last:
            check.problem("last_name", "the contact has no name")
        email = _text(cells, "email")
        if (p := email_problem(email)) is not None:
            check.problem("email", p)
        if check.ok:
            batch.records.append(LocalContact(cid, customer, first, last, email, _text(cells, "phone")))
            batch.record_lines[cid] = row.line


_KIND_WORDS = {"invoice": InvoiceKind.INVOICE, "factuur": InvoiceKind.INVOICE, "": InvoiceKind.INVOICE,
               "credit_note": InvoiceKind.CREDIT_NOTE, "credit note": InvoiceKind.CREDIT_NOTE,
               "creditnote": InvoiceKind.CREDIT_NOTE, "credit": InvoiceKind.CREDIT_NOTE,
               "creditnota": InvoiceKind.CREDIT_NOTE, "creditfactuur": InvoiceKind.CREDIT_NOTE}
_HEADER_FIELDS = ("number", "kind", "customer_id", "date", "currency", "your_ref", "description", "credits_invoice")


def _enum(enum: type, label: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        try:
            return enum(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a {label} ({', '.join(e.value for e in enum)})") from None

    return parse


def _invoice_kind(value: Any) -> InvoiceKind:
    kind = _KIND_WORDS.get(str(value).strip().lower())
    if kind is None:
        raise ValueError(f"{value!r} is not invoice or credit_note")
    return kind


def _invoices(table: Table, mapping: ColumnMapping, known: Known, batch: Batch, where: str) -> None:
    amount_values = [str(r.cells.get(h, "")) for r in table.rows for h, n in mapping.columns.items()
                     if n in ("quantity", "unit_price")]
    style = DecimalStyle.detect(amount_values, DecimalStyle.COMMA if table.separator == ";" else DecimalStyle.POINT)
    groups: dict[str, list[tuple[Row, dict[str, str]]]] = {}
    for row in table.rows:
        cells = _cells(row, mapping)
        groups.setdefault(cells.get("invoice_id", ""), []).append((row, cells))
    invoices: list[tuple[Invoice, int]] = []
    bad_ids: set[str] = set()
    for invoice_id, rows in groups.items():
        invoice, ok = _one_invoice(invoice_id, rows, mapping, known, batch, where, style)
        if ok and invoice is not None:
            invoices.append((invoice, rows[0][0].line))
        else:
            bad_ids.add(invoice_id)
    # Numbers across invoices, and credit notes pointing at invoices, once all invoices are known.
    by_number: dict[str, tuple[str, int]] = {}
    for invoice, line in invoices:
        other = by_number.get(invoice.number)
        stored = known.invoice_numbers.get(invoice.number)
        if other is not None:
            batch.problems.append(Problem(line, invoice.id, "number",
                                          f"invoice number {invoice.number} is also used by {other[0]} (line {other[1]})",
                                          where))
            bad_ids.add(invoice.id)
        elif stored is not None and stored != invoice.id:
            batch.problems.append(Problem(line, invoice.id, "number",
                                          f"invoice number {invoice.number} already belongs to stored invoice {stored}",
                                          where))
            bad_ids.add(invoice.id)
        else:
            by_number[invoice.number] = (invoice.id, line)
    numbers = {n for n, k in known.invoice_kinds.items() if k == InvoiceKind.INVOICE}
    numbers |= {inv.number for inv, _ in invoices if inv.kind is InvoiceKind.INVOICE and inv.id not in bad_ids}
    for invoice, line in invoices:
        if invoice.id in bad_ids:
            continue
        if invoice.kind is InvoiceKind.CREDIT_NOTE and invoice.credits_invoice:
            if invoice.credits_invoice not in numbers:
                batch.problems.append(Problem(line, invoice.id, "credits_invoice",
                                              f"credits unknown invoice {invoice.credits_invoice!r}", where))
                continue
        elif invoice.kind is InvoiceKind.CREDIT_NOTE:
            batch.warnings.append(f"{where} {line} ({invoice.id}): credit note without the invoice it credits")
        batch.records.append(invoice)
        batch.record_lines[invoice.id] = line


def _one_invoice(invoice_id: str, rows: list[tuple[Row, dict[str, str]]], mapping: ColumnMapping, known: Known,
                 batch: Batch, where: str, style: DecimalStyle) -> tuple[Invoice | None, bool]:
    first, head_cells = rows[0]
    check = _RowCheck(batch, first, invoice_id, where)
    if not invoice_id:
        for row, _cells_ in rows:
            _RowCheck(batch, row, "", where).problem("invoice_id", "is empty")
        return None, False
    # Invoice fields repeat on each line row: they must agree, or the file is mixing two invoices.
    for row, cells in rows[1:]:
        for name in _HEADER_FIELDS:
            if name in cells and _text(cells, name) and _text(cells, name) != _text(head_cells, name):
                _RowCheck(batch, row, invoice_id, where).problem(
                    name, f"{_text(cells, name)!r} differs from {_text(head_cells, name)!r} on line {first.line}")
                check.ok = False
    _long_cells(check, head_cells)
    number = _text(head_cells, "number")
    if not number:
        check.problem("number", "is empty")
    customer = _text(head_cells, "customer_id")
    if not customer:
        check.problem("customer_id", "is empty")
    elif customer not in known.customer_ids:
        check.problem("customer_id", f"unknown customer {customer!r} (import the customers first)")
    date = check.parse("date", _text(head_cells, "date"), parse_date)
    kind = check.parse("kind", _text(head_cells, "kind"), _invoice_kind, InvoiceKind.INVOICE)
    currency = check.parse("currency", _text(head_cells, "currency"), parse_currency, "EUR")
    lines: list[InvoiceLine] = []
    for row, cells in rows:
        line_check = check if row is first else _RowCheck(batch, row, invoice_id, where)
        if row is not first:
            _long_cells(line_check, cells)
        qty_text, price_text = _text(cells, "quantity"), _text(cells, "unit_price")
        desc = _text(cells, "line_description")
        if not (qty_text or price_text or desc):
            continue  # an invoice row without a line
        quantity = line_check.parse("quantity", qty_text, lambda v: parse_decimal(v, style))
        price = line_check.parse("unit_price", price_text, lambda v: parse_decimal(v, style))
        data_type = line_check.parse("data_type", _text(cells, "data_type") or "time_material",
                                     _enum(DataType, "data type"), DataType.TIME_MATERIAL)
        dim_text = _text(cells, "dimension_kind")
        dim_kind = line_check.parse("dimension_kind", dim_text, _enum(DimensionKind, "dimension kind")) if dim_text else None
        product = _text(cells, "product_number")
        if product and known.product_codes and product not in known.product_codes:
            batch.warnings.append(f"{where} {row.line} ({invoice_id}): product number {product} is not among the "
                                  f"imported Exact items")
        if not line_check.ok:
            check.ok = False
            continue
        lines.append(InvoiceLine(desc, quantity, price, _text(cells, "vat_code"), data_type, dim_kind,
                                 _text(cells, "dimension_id"), product))
    if not check.ok:
        return None, False
    if not lines:
        batch.warnings.append(f"{where} {first.line} ({invoice_id}): invoice {number} has no lines")
    return Invoice(invoice_id, number, customer, date, kind, currency, _text(head_cells, "your_ref"),
                   _text(head_cells, "description"), _text(head_cells, "credits_invoice"), lines), True


def _products(table: Table, mapping: ColumnMapping, known: Known, batch: Batch, where: str) -> None:
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = _cells(row, mapping)
        code = _text(cells, "code")
        check = _RowCheck(batch, row, code, where)
        _long_cells(check, cells)
        check.unique_key("code", code, seen)
        flags = {}
        for name, default in (("is_sales_item", True), ("divisible", True), ("active", False)):
            raw = cells.get(name, "")
            flags[name] = check.parse(name, raw, parse_bool, default) if _text(cells, name) else default
        if check.ok:
            batch.records.append(ProductNumber(code, _text(cells, "description"), _text(cells, "exact_id"),
                                               flags["is_sales_item"], flags["divisible"], _text(cells, "revenue_gl"),
                                               _text(cells, "vat_code"), flags["active"]))
            batch.record_lines[code] = row.line


_DIMENSION_WORDS = {
    "uurtarief": DimensionKind.HOURLY_RATE, "hourly rate": DimensionKind.HOURLY_RATE, "rate": DimensionKind.HOURLY_RATE,
    "projecttype": DimensionKind.PROJECT_TYPE, "project type": DimensionKind.PROJECT_TYPE,
    "projectcategorie": DimensionKind.PROJECT_CATEGORY, "project category": DimensionKind.PROJECT_CATEGORY,
    "onkostensoort": DimensionKind.EXPENSE_TYPE, "expense type": DimensionKind.EXPENSE_TYPE,
    "declaratiesoort": DimensionKind.EXPENSE_TYPE,
    "taaksoort": DimensionKind.TASK_TYPE, "task type": DimensionKind.TASK_TYPE, "taaktype": DimensionKind.TASK_TYPE,
}


def _dimension_kind(value: Any) -> DimensionKind:
    text = str(value).strip().lower()
    if text in _DIMENSION_WORDS:
        return _DIMENSION_WORDS[text]
    return _enum(DimensionKind, "dimension kind")(text)


def _dimensions(table: Table, mapping: ColumnMapping, known: Known, batch: Batch, where: str) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        cells = _cells(row, mapping)
        did = _text(cells, "id")
        check = _RowCheck(batch, row, did, where)
        _long_cells(check, cells)
        kind = check.parse("kind", _text(cells, "kind"), _dimension_kind)
        if not did:
            check.problem("id", "is empty")
        elif kind is not None and (kind.value, did) in seen:
            check.problem("id", f"duplicate {kind.value} {did} (line {seen[(kind.value, did)]})")
        elif kind is not None:
            seen[(kind.value, did)] = row.line
        name = _text(cells, "name")
        if not name:
            check.problem("name", "is empty")
        product = _text(cells, "product_number")
        if product and known.product_codes and product not in known.product_codes:
            batch.warnings.append(f"{where} {row.line} ({did}): product number {product} is not among the "
                                  f"imported Exact items")
        if check.ok and kind is not None:
            batch.records.append(Dimension(kind, did, name, product))
            batch.record_lines[f"{kind.value}:{did}"] = row.line


_BUILDERS: dict[str, Callable[[Table, ColumnMapping, Known, Batch, str], None]] = {
    "customers": _customers, "contacts": _contacts, "invoices": _invoices, "products": _products,
    "dimensions": _dimensions,
}


def known_from(customers: Iterable[LocalCustomer] = (), invoices: Iterable[Invoice] = (),
               product_codes: Iterable[str] = ()) -> Known:
    known = Known(product_codes=set(product_codes))
    for c in customers:
        known.customer_ids.add(c.id)
        if c.number:
            known.customer_numbers[c.number.strip()] = c.id
    for inv in invoices:
        known.invoice_numbers[inv.number] = inv.id
        known.invoice_kinds[inv.number] = str(inv.kind)
    return known
