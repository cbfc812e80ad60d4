"""Properties of import/export (#15 items 4 and 7), checked with hypothesis.

- Round trip: for every kind and both formats, exporting what the store holds and importing it
  back changes nothing (no record "changed", no line lost, the store's records equal).
- Fuzz: whatever bytes a CSV or JSON file holds, importing it gives a result or a FileProblem /
  MappingProblem (exit 2) — never another exception — and on a refusal the store's bytes are as they were.

Examples are bounded (settings below) so the suite stays fast; every example opens a real store.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.invoice import Invoice, InvoiceKind, InvoiceLine
from exact_tui.domain.products import DataType, Dimension, DimensionKind, ProductNumber
from exact_tui.localdata import FileProblem, MappingProblem
from exact_tui.services.local_import import export_file, import_file
from exact_tui.store import ProfileStore

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a user's system may hold in a field: any letters, digits, punctuation, a leading ' or =,
# but no control characters (refused on import by design) and no outer spaces (cells are trimmed).
_chars = st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn"))
text = st.text(_chars, max_size=30).map(str.strip)
filled = text.filter(bool)
ids = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_.'=+@"),
              min_size=1, max_size=12)
amounts = st.decimals(min_value=Decimal("-99999"), max_value=Decimal("99999"), places=2, allow_nan=False)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def customers(draw) -> list[LocalCustomer]:
    keys = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    return [LocalCustomer(
        id=k, name=draw(filled), number=draw(st.sampled_from(["", "1001", "abc", "1234567890"])),
        address=draw(text), postcode=draw(text), city=draw(text), country=draw(st.sampled_from(["", "NL", "BE", "DE"])),
        email=draw(st.sampled_from(["", "info@example.nl", "a.b+c@sub.example.com"])), phone=draw(text),
        vat=draw(st.sampled_from(["", "NL123456789B01", "BE0123456789"])), coc=draw(text), website=draw(text),
        currency=draw(st.sampled_from(["EUR", "USD", "GBP"])), payment_condition=draw(text)) for k in keys]


@st.composite
def world(draw) -> dict[str, list]:
    custs = draw(customers())
    cids = [c.id for c in custs]
    contacts = [LocalContact(k, draw(st.sampled_from(cids)), draw(text), draw(filled), "", draw(text))
                for k in draw(st.lists(ids, max_size=5, unique=True))]
    invoices: list[Invoice] = []
    for n, k in enumerate(draw(st.lists(ids, max_size=5, unique=True))):
        lines = [InvoiceLine(draw(filled), draw(amounts), draw(amounts), draw(text), draw(st.sampled_from(DataType)),
                             draw(st.none() | st.sampled_from(DimensionKind)), draw(text), draw(text))
                 for _ in range(draw(st.integers(0, 3)))]
        credit = n > 0 and draw(st.booleans())
        invoices.append(Invoice(k, f"2026-{n:04d}", draw(st.sampled_from(cids)), draw(dates),
                                InvoiceKind.CREDIT_NOTE if credit else InvoiceKind.INVOICE,
                                draw(st.sampled_from(["EUR", "USD"])), draw(text), draw(text),
                                "2026-0000" if credit and invoices[0].kind is InvoiceKind.INVOICE else "", lines))
    products = [ProductNumber(k, draw(text), draw(text), draw(st.booleans()), draw(st.booleans()), draw(text),
                              draw(text), draw(st.booleans())) for k in draw(st.lists(ids, max_size=4, unique=True))]
    dimensions = [Dimension(draw(st.sampled_from(DimensionKind)), k, draw(filled), draw(text))
                  for k in draw(st.lists(ids, max_size=4, unique=True))]
    return {"customers": custs, "contacts": contacts, "invoices": invoices, "products": products,
            "dimensions": dimensions}


KINDS = ("customers", "contacts", "invoices", "products", "dimensions")


@SETTINGS
@given(data=world(), fmt=st.sampled_from(["csv", "json"]))
def test_export_then_import_is_identity_for_every_kind(data, fmt):
    with tempfile.TemporaryDirectory() as tmp, ProfileStore.open(Path(tmp) / "p") as store:
        for kind in KINDS:
            getattr(store, kind).put_many(data[kind])
        before = {kind: sorted(map(repr, getattr(store, kind).all())) for kind in KINDS}
        for kind in KINDS:
            path = Path(tmp) / f"{kind}.{fmt}"
            export_file(store, kind, path)
            result = import_file(store, kind, path)
            assert result.problems == [], (kind, [str(p) for p in result.problems])
            assert result.added == [] and result.changed == [], (kind, result.changed)
            assert len(result.unchanged) == len(data[kind])
        assert {kind: sorted(map(repr, getattr(store, kind).all())) for kind in KINDS} == before


def _store_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p): hashlib.sha256(p.read_bytes()).digest() for p in sorted((folder / "store").rglob("*"))
            if p.is_file() and p.name != "log.jsonl"}


# Files near the real ones: a valid header and rows, with any cells; plus fully random bytes.
_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['"', '""', '"a', "'=1", "\x1b[2J", "1.234,5", "-", "31-02-2026", "9" * 40, "\ufeff", "\r\n", ";", "\x00"])
_HEADERS = {"customers": ["id", "name", "number", "email", "country", "vat"],
            "contacts": ["id", "customer_id", "first_name", "last_name", "email"],
            "invoices": ["invoice_id", "number", "customer_id", "date", "kind", "line_description", "quantity",
                         "unit_price", "credits_invoice"],
            "products": ["code", "description", "active", "divisible"],
            "dimensions": ["kind", "id", "name"]}


@st.composite
def csv_bytes(draw, kind: str) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    rows = [_HEADERS[kind]] + draw(st.lists(st.lists(_cell, min_size=1, max_size=len(_HEADERS[kind]) + 1),
                                            max_size=6))
    body = "\n".join(sep.join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return body.encode(encoding, errors="replace") if encoding != "utf-16" else body.encode("utf-16")


_json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=10)


@st.composite
def json_bytes(draw, kind: str) -> bytes:
    records = draw(st.lists(st.dictionaries(st.sampled_from(_HEADERS[kind] + ["lines", "x"]), _json_value, max_size=8),
                            max_size=5))
    text = json.dumps(records)
    if draw(st.booleans()):  # a lone surrogate or a deep nest, as attackers write them
        text = text.replace('"', '"\\ud800', 1) if draw(st.booleans()) else "[" * 3000 + "]" * 3000
    return text.encode("utf-8", errors="surrogatepass")


@SETTINGS
@given(kind=st.sampled_from(KINDS), fmt=st.sampled_from(["csv", "json"]), data=st.data())
def test_fuzzed_files_never_raise_and_refusals_leave_the_store_untouched(kind, fmt, data):
    raw = data.draw(csv_bytes(kind) if fmt == "csv" else json_bytes(kind)) if data.draw(st.booleans()) \
        else data.draw(st.binary(max_size=200))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "p"
        with ProfileStore.open(folder) as store:
            store.customers.put_many([LocalCustomer("1", "Eerste"), LocalCustomer("L1", "Tweede")])
            before = _store_bytes(folder)
            path = Path(tmp) / f"in.{fmt}"
            path.write_bytes(raw)
            try:
                result = import_file(store, kind, path)
            except (FileProblem, MappingProblem) as refused:
                assert str(refused)
                assert _store_bytes(folder) == before
            else:
                for problem in result.problems:
                    assert problem.line >= 0 and str(problem)
        with ProfileStore.open(folder, readonly=True) as again:  # whatever was saved reads back
            assert again.customers.get("1") is not None
