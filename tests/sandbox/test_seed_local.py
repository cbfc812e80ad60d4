"""The local side of `seed.generate`: the ground truth is valid, every documented kind of difference
is present in (about) its documented share and really is that difference, the customer-number
rule has work to do, and the invoices/credit notes are what transfer tests need. Then the CSV
export: parseable, round-trips, and the product's own importer accepts it."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest

from exact_tui.domain.customer import customer_number_problem
from exact_tui.domain.invoice import InvoiceKind
from exact_tui.domain.products import DataType, DimensionKind
from exact_tui.sandbox import seed
from exact_tui.sandbox import seed_local as SL
from exact_tui.sandbox.seed import MAIN_DIVISION

TODAY = dt.date(2026, 11, 23)
N = 2000
# The shares promised in seed_local's docstring (measured here; tolerance for sampling at N=2,000).
NAME_SHARES = {"identical": 0.30, "legal_form": 0.30, "typo": 0.15, "case_punct": 0.10, "abbreviation": 0.08,
               "word_order": 0.07}
NUMBER_SHARES = {"number_same": 0.40, "number_other": 0.30, "number_empty": 0.22, "number_invalid": 0.08}
TOLERANCE = 0.035


@pytest.fixture(scope="module")
def data() -> seed.SeedData:
    return seed.generate(N, seed=7, today=TODAY)


@pytest.fixture(scope="module")
def accounts(data) -> dict[str, dict]:
    return {a["ID"]: a for a in data.tables[MAIN_DIVISION]["crm/Accounts"]}


@pytest.fixture(scope="module")
def partners(data) -> list:
    """Local customers with an Exact account, not counting duplicates."""
    return [c for c in data.local.customers if c.id in data.local.truth and c.id not in data.local.duplicates]


def kinds_of(data, customers) -> Counter:
    return Counter(k for c in customers for k in data.local.variations[c.id])


def digits(phone: str) -> str:
    """The national number: other formats of one phone number give the same digits."""
    value = re.sub(r"\D", "", phone)
    for cc in ("31", "32", "49", "44"):
        if phone.startswith("+" + cc):
            return value[len(cc):]
        if value.startswith("00" + cc):
            return value[2 + len(cc):]
    return value.lstrip("0")


def test_truth_pairs_are_valid(data, accounts, partners):
    local_ids = {c.id for c in data.local.customers}
    assert len(local_ids) == len(data.local.customers)
    for local_id, exact_id in data.local.truth.items():
        assert local_id in local_ids and accounts[exact_id]["Status"] == "C"
    assert len(partners) == round(N * SL.PARTNER_SHARE)
    assert len({data.local.truth[c.id] for c in partners}) == len(partners)  # one partner per account
    exact_only = [a for a in accounts.values() if a["Status"] == "C" and a["ID"] not in data.local.truth.values()]
    assert len(exact_only) == N - len(partners)
    for dup, original in data.local.duplicates.items():
        assert data.local.truth[dup] == data.local.truth[original] and dup != original
    assert not set(data.local.local_only) & set(data.local.truth)
    assert len(data.local.local_only) == round(N * SL.LOCAL_ONLY_SHARE)
    # The order of the local side says nothing about the pairs.
    first = [data.local.truth.get(c.id) for c in data.local.customers[:50]]
    assert first != [a["ID"] for a in list(accounts.values())[:50]]


def test_name_treatments_in_their_shares(data, partners):
    found = kinds_of(data, partners)
    for kind, share in NAME_SHARES.items():
        assert abs(found[kind] / len(partners) - share) <= TOLERANCE, (kind, found[kind] / len(partners))
    assert sum(found[k] for k in NAME_SHARES) == len(partners)  # exactly one each


def test_each_name_treatment_is_what_it_says(data, accounts, partners):
    seen = Counter()
    for c in partners:
        exact = accounts[data.local.truth[c.id]]["Name"]
        kind = next(k for k in data.local.variations[c.id] if k in NAME_SHARES)
        seen[kind] += 1
        if kind == "identical":
            assert c.name == exact
            continue
        assert c.name != exact, (kind, c.name)
        if kind == "case_punct":
            squash = lambda s: re.sub(r"[\W_]+", "", re.sub(r"\b(en|and|und)\b", "&", s.lower()))  # noqa: E731
            assert squash(c.name) == squash(exact) or c.name.lower() == exact.lower(), (c.name, exact)
        elif kind == "word_order":
            assert sorted(re.findall(r"\w+", c.name)) == sorted(re.findall(r"\w+", exact)), (c.name, exact)
        elif kind == "abbreviation":
            assert len(c.name) < len(exact), (c.name, exact)
        elif kind == "typo":
            assert abs(len(c.name) - len(exact)) <= 2 and c.name.lower() != exact.lower(), (c.name, exact)
    variants = {c.name for c in partners if "legal_form" in data.local.variations[c.id]}
    assert any(n.endswith(" BV") for n in variants) and any("Besloten Vennootschap" in n for n in variants)
    assert any(n.endswith(("Ltd.", "Limited", "LTD")) for n in variants) and any("Gmbh" in n or "GMBH" in n for n in variants)
    assert set(seen) == set(NAME_SHARES)


def test_field_differences_in_their_shares_and_real(data, accounts, partners):
    found = kinds_of(data, partners)
    share = {k: found[k] / len(partners) for k in SL.FIELD_KINDS}
    for kind in ("moved", "missing_fields", "other_email", "vat_one_side", "coc_one_side"):
        assert abs(share[kind] - SL.FIELD_KINDS[kind]) <= TOLERANCE, (kind, share[kind])
    nl = [c for c in partners if accounts[data.local.truth[c.id]]["Country"] == "NL"]
    assert abs(kinds_of(data, nl)["postcode_format"] / len(nl) - 0.30) <= 0.05
    assert 0.04 <= share["address_format"] <= 0.12 and 0.12 <= share["vat_format"] <= 0.22
    with_phone = [c for c in partners if accounts[data.local.truth[c.id]]["Phone"]]
    assert abs(kinds_of(data, with_phone)["phone_format"] / len(with_phone) - 0.45) <= 0.06
    for c in partners:
        row, kinds = accounts[data.local.truth[c.id]], data.local.variations[c.id]
        if "moved" in kinds and c.address:
            assert c.address != row["AddressLine1"]
        if "phone_format" in kinds and c.phone:
            assert c.phone != row["Phone"] and digits(c.phone) == digits(row["Phone"]), (c.phone, row["Phone"])
        if "postcode_format" in kinds and c.postcode and "moved" not in kinds:
            assert c.postcode != row["Postcode"] and c.postcode.replace(" ", "").upper() == row["Postcode"].replace(" ", "")
        if "vat_one_side" in kinds:
            assert bool(c.vat) != bool(row["VATNumber"])
        if "vat_format" in kinds and c.vat:
            assert c.vat != row["VATNumber"] and re.sub(r"[ .]", "", c.vat).upper() == row["VATNumber"]
        if "other_email" in kinds and c.email:
            assert c.email != (row["Email"] or "")
        if "missing_fields" in kinds:
            exact_values = [row["AddressLine1"], row["Postcode"], row["City"], row["Phone"], row["Email"],
                            row["Website"], row["VATNumber"], row["ChamberOfCommerce"]]
            local_values = [c.address, c.postcode, c.city, c.phone, c.email, c.website, c.vat, c.coc]
            assert sum(bool(e) and not v for e, v in zip(exact_values, local_values)) >= 1
        if not set(kinds) & {"moved", "missing_fields", "address_format", "postcode_format"}:
            assert (c.address, c.postcode, c.city) == (row["AddressLine1"], row["Postcode"], row["City"])


def test_customer_numbers_exercise_the_rule(data, accounts, partners):
    found = kinds_of(data, partners)
    for kind, share in NUMBER_SHARES.items():
        assert abs(found[kind] / len(partners) - share) <= TOLERANCE, (kind, found[kind] / len(partners))
    for c in partners:
        kinds = data.local.variations[c.id]
        code = accounts[data.local.truth[c.id]]["Code"].strip()
        if "number_same" in kinds:
            assert c.number == code
        elif "number_invalid" in kinds:
            assert customer_number_problem(c.number) is not None
        elif "number_other" in kinds:
            assert customer_number_problem(c.number) is None and c.number != code
        else:
            assert c.number == ""
    invalid = [c.number for c in data.local.customers if c.number and customer_number_problem(c.number)]
    assert any(not n.isdigit() for n in invalid) and any(n.isdigit() and len(n) > 9 for n in invalid)
    non_customer_codes = {a["Code"].strip() for a in accounts.values() if a["Status"] != "C"}
    colliding = [i for i in data.local.local_only if "number_collides" in data.local.variations[i]]
    numbers = {c.id: c.number for c in data.local.customers}
    assert colliding and all(numbers[i] in non_customer_codes for i in colliding)


def test_duplicates_one_side_only_and_ambiguous_names(data, accounts, partners):
    assert abs(len(data.local.duplicates) / len(partners) - SL.DUPLICATE_SHARE) <= 0.012
    by_id = {c.id: c for c in data.local.customers}
    for dup, original in data.local.duplicates.items():
        assert by_id[dup].name != by_id[original].name or by_id[dup].email != by_id[original].email
    # Hard negatives: a local-only customer with an Exact customer's name, in another city.
    exact_names = {}
    for a in accounts.values():
        exact_names.setdefault(a["Name"], set()).add(a["City"])
    hard = [by_id[i] for i in data.local.local_only if "hard_negative" in data.local.variations[i]]
    assert hard and all(h.name in exact_names and h.city not in exact_names[h.name] for h in hard)
    # Namesakes on the Exact side: the same name in two cities, both listed as ambiguous.
    assert len(data.local.ambiguous) >= 2 * round(N * 0.012) - 4
    names = Counter(accounts[i]["Name"] for i in data.local.ambiguous)
    assert all(n >= 2 for n in names.values())
    assert all(len({accounts[i]["City"] for i in data.local.ambiguous if accounts[i]["Name"] == name}) >= 2
               for name in names)


def test_contacts_and_dimensions(data):
    ids = {c.id for c in data.local.customers}
    assert data.local.contacts and all(c.customer_id in ids for c in data.local.contacts)
    assert len({c.id for c in data.local.contacts}) == len(data.local.contacts)
    per = Counter(c.customer_id for c in data.local.contacts)
    assert len(per) < len(ids) and max(per.values()) >= 3
    dims = data.local.dimensions
    assert {d.kind for d in dims} == set(DimensionKind)
    items = {i["Code"]: i for i in data.tables[MAIN_DIVISION]["logistics/Items"]}
    for kind in DimensionKind:
        mapped = [d for d in dims if d.kind == kind and d.product_number]
        assert mapped and all(d.product_number in items for d in mapped)
    assert any(not d.product_number for d in dims)
    mapped_items = [items[d.product_number] for d in dims if d.product_number]
    assert any(not i["IsFractionAllowedItem"] and i["IsTime"] for i in mapped_items)
    assert any(not i["GLRevenue"] for i in mapped_items)


def test_invoices_and_credit_notes(data):
    invoices = data.local.invoices
    by_number = {i.number: i for i in invoices}
    assert len(by_number) == len(invoices) and len({i.id for i in invoices}) == len(invoices)
    customers = {c.id for c in data.local.customers}
    assert all(i.customer_id in customers for i in invoices)
    recent = [i for i in invoices if i.date >= TODAY - dt.timedelta(days=430)]
    assert all(i.date <= TODAY for i in invoices) and len(recent) >= 0.99 * len(invoices)
    assert any(i.date.year == TODAY.year - 2 for i in invoices)  # before Exact's first fiscal year
    assert all(re.fullmatch(rf"{i.date.year % 100:02d}\d{{5}}", i.number) for i in invoices)
    assert {i.currency for i in invoices} >= {"EUR", "GBP", "USD"}
    credit_notes = [i for i in invoices if i.kind == InvoiceKind.CREDIT_NOTE]
    assert credit_notes and abs(len(credit_notes) / (len(invoices) - len(credit_notes)) - SL.CREDIT_SHARE) < 0.02
    for note in credit_notes:
        original = by_number[note.credits_invoice]
        assert original.kind == InvoiceKind.INVOICE and original.customer_id == note.customer_id
        assert original.date <= note.date and note.total < 0 and note.currency == original.currency
        assert -note.total <= original.total
    assert any(i.customer_id in set(data.local.local_only) for i in invoices)
    lines = [line for i in invoices for line in i.lines]
    assert all(isinstance(x, Decimal) for line in lines for x in (line.quantity, line.unit_price, line.amount))
    assert all(isinstance(i.total, Decimal) for i in invoices)
    assert any(line.quantity != line.quantity.to_integral_value() for line in lines)
    assert {line.data_type for line in lines} == set(DataType)
    assert {line.dimension_kind for line in lines} >= set(DimensionKind)
    dims = {(d.kind, d.id) for d in data.local.dimensions}
    assert all((line.dimension_kind, line.dimension_id) in dims for line in lines if line.dimension_kind)
    assert any(line.product_number for line in lines) and any(line.vat_code == "4" for line in lines)
    closed_year, closed_month = TODAY.year - 1, TODAY.month
    assert any((i.date.year, i.date.month) == (closed_year, closed_month) for i in invoices)


def test_export_writes_csv_that_round_trips(data, accounts, tmp_path):
    main_accounts = data.tables[MAIN_DIVISION]["crm/Accounts"]
    paths = seed.export_local(data.local, main_accounts, tmp_path / "out")
    assert [p.name for p in paths] == ["customers.csv", "contacts.csv", "invoices.csv", "dimensions.csv",
                                       "exact_accounts.csv", "truth.csv"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)  # no temp files

    def read(name):
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    customers = read("customers.csv")
    assert [r["id"] for r in customers] == [c.id for c in data.local.customers]
    from exact_tui.domain.text import csv_unguard  # the one guard: "'s-Hertogenbosch" is written "''s-…"

    assert [{k: csv_unguard(v) for k, v in r.items()} for r in customers] == [
        {k: str(v) for k, v in vars_of(c).items()} for c in data.local.customers]
    assert any(r["phone"].startswith("'+") for r in customers)  # "+31 20 …" must not run as a formula
    assert any("ü" in r["name"] or "ü" in r["address"] or "ß" in r["address"] for r in customers)
    lines = read("invoices.csv")
    assert len(lines) == sum(len(i.lines) for i in data.local.invoices)
    first = data.local.invoices[0]
    row = lines[0]
    assert (row["invoice_id"], row["number"], row["date"], row["kind"]) == (first.id, first.number,
                                                                          first.date.isoformat(), first.kind.value)
    assert Decimal(row["quantity"]) == first.lines[0].quantity and Decimal(row["unit_price"]) == first.lines[0].unit_price
    assert all("," not in r["quantity"] and dt.date.fromisoformat(r["date"]) for r in lines)
    assert {r["credits_invoice"] for r in lines if r["kind"] == "credit_note"} <= {r["number"] for r in lines}
    exact = read("exact_accounts.csv")
    assert list(exact[0]) == ["id", "name", "address", "postcode", "city", "country", "email", "phone", "vat", "coc",
                              "code"]
    assert len(exact) == len(main_accounts) and all(r["code"] == r["code"].strip() and r["code"] for r in exact)
    assert exact[0]["name"] == main_accounts[0]["Name"] and exact[0]["address"] == main_accounts[0]["AddressLine1"]
    assert {r["local_id"]: r["exact_id"] for r in read("truth.csv")} == data.local.truth
    assert len(read("dimensions.csv")) == len(data.local.dimensions)
    assert len(read("contacts.csv")) == len(data.local.contacts)


def vars_of(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__slots__}


def test_export_is_accepted_by_the_importer(tmp_path):
    """`exact-tui sandbox --export-local` promises files a user can import: the product's importer
    reads them back into the same records."""
    from exact_tui.localdata import build, build_mapping, known_from, read_table

    small = seed.generate(150, seed=4, today=TODAY)
    seed.export_local(small.local, small.tables[MAIN_DIVISION]["crm/Accounts"], tmp_path)
    known = known_from(small.local.customers, [])
    read_back = {}
    for kind in ("customers", "contacts", "dimensions", "invoices"):
        table = read_table(tmp_path / f"{kind}.csv")
        batch = build(table, build_mapping(kind, table.headers), known)
        assert batch.problems == [], (kind, batch.problems[:3])
        read_back[kind] = batch.records
    # The importer writes VAT numbers in their canonical form ("BE 0123…" -> "BE0123…"); all else is as exported.
    canonical = [dataclasses.replace(c, vat=re.sub(r"[ .]", "", c.vat).upper()) for c in small.local.customers]
    assert read_back["customers"] == canonical
    assert read_back["contacts"] == small.local.contacts
    assert read_back["dimensions"] == small.local.dimensions
    assert read_back["invoices"] == small.local.invoices
