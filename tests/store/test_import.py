"""Import of the local side: mapping, validation report, nothing half-imported, re-import, export."""
from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from exact_tui.domain.invoice import InvoiceKind
from exact_tui.domain.transfer import TransferOutcome, TransferRecord
from exact_tui.localdata import FileProblem, MappingProblem
from exact_tui.services.events import EventBus
from exact_tui.services.local_import import export_file, import_file
from exact_tui.store import ProfileStore

from .conftest import CUSTOMER_HEADER, INVOICE_HEADER, write_csv


def _import_all(store, files):
    for kind in ("customers", "contacts", "dimensions", "invoices"):
        result = import_file(store, kind, files[kind])
        assert result.problems == [], (kind, [str(p) for p in result.problems])


def test_sandbox_export_format_imports_cleanly(store, local_files):
    _import_all(store, local_files)
    assert len(store.customers) == 3 and len(store.contacts) == 2 and len(store.dimensions) == 2
    invoice = store.invoices.get("I1")
    assert invoice.total == Decimal("1233.00") and len(invoice.lines) == 2
    assert invoice.lines[1].product_number == "TRAVEL" and invoice.lines[0].dimension_id == "R1"
    credit = store.invoices.get("I2")
    assert credit.kind is InvoiceKind.CREDIT_NOTE and credit.credits_invoice == "2026-0001"
    assert credit.total == Decimal("-190.00")


def test_real_sandbox_export_local_imports_cleanly(tmp_path):
    from exact_tui.sandbox import seed

    data = seed.generate(customers=40, seed=3)
    assert data.local.customers and data.local.invoices
    accounts = data.tables[sorted(data.tables)[0]].get("crm/Accounts", [])
    folder = tmp_path / "export"
    seed.export_local(data.local, accounts, folder)
    with ProfileStore.open(tmp_path / "p") as store:
        _import_all(store, {k: folder / f"{k}.csv" for k in ("customers", "contacts", "dimensions", "invoices")})
        assert len(store.customers) == len(data.local.customers)
        assert len(store.invoices) == len(data.local.invoices)
        assert len(store.contacts) == len(data.local.contacts)


def test_validation_report_names_line_record_and_field(store, tmp_path):
    path = write_csv(tmp_path / "c.csv", CUSTOMER_HEADER[:10], [
        ["L1", "Good", "1001", "", "", "", "NL", "a@b.nl", "", ""],
        ["L2", "", "1002", "", "", "", "", "", "", ""],                      # missing name
        ["L3", "Letters", "10A2", "", "", "", "", "", "", ""],               # number not digits
        ["L4", "Long", "1234567890", "", "", "", "", "", "", ""],            # > 9 digits
        ["L1", "Dup id", "1005", "", "", "", "", "", "", ""],                # duplicate id
        ["L6", "Dup number", "1001", "", "", "", "", "", "", ""],            # duplicate number
        ["L7", "Mail", "1007", "", "", "", "", "x@", "", ""],               # bad e-mail
        ["L8", "Vat", "1008", "", "", "", "NL", "", "", "NL12"],            # bad VAT
        ["L9", "Land", "1009", "", "", "", "Narnia", "", "", ""],           # bad country
    ])
    strict = import_file(store, "customers", path, strict_numbers=True, dry_run=True)
    found = {(p.line, p.record, p.field) for p in strict.problems}
    assert found == {(3, "L2", "name"), (4, "L3", "number"), (5, "L4", "number"), (6, "L1", "id"),
                     (7, "L6", "number"), (8, "L7", "email"), (9, "L8", "vat"), (10, "L9", "country")}
    assert "duplicate of line 2" in next(str(p) for p in strict.problems if p.line == 6)
    assert strict.summary.startswith("customers: 1 added") and "8 invalid rows" in strict.summary
    assert len(store.customers) == 0, "dry run"
    # By default a number Exact will not take is imported with a notice naming line and field.
    result = import_file(store, "customers", path)
    numbers = {(4, "L3", "number"), (5, "L4", "number"), (7, "L6", "number")}
    assert {(p.line, p.record, p.field) for p in result.notices} == numbers
    assert "has 10 digits" in str(result.notices[1]) and "imported, but Exact will refuse" in str(result.notices[1])
    assert "1001 is also used by L1 (line 2)" in str(result.notices[2])
    assert {(p.line, p.record, p.field) for p in result.problems} == found - numbers
    assert sorted(c.id for c in store.customers.all()) == ["L1", "L3", "L4", "L6"]
    assert store.customers.get("L1").name == "Good"
    assert "5 invalid rows were left out; 3 imported with a warning" in result.summary


def test_invoice_checks_unknown_customer_credit_note_amounts_dates(store, local_files, tmp_path):
    import_file(store, "customers", local_files["customers"])
    row = ["X", "N", "invoice", "L1", "2026-01-15", "EUR", "", "", "", "line", "1", "10", "", "", "", "", ""]

    def inv(**changes):
        values = dict(zip(INVOICE_HEADER, row))
        values.update(changes)
        return [values[h] for h in INVOICE_HEADER]

    path = write_csv(tmp_path / "i.csv", INVOICE_HEADER, [
        inv(invoice_id="A", number="1"),
        inv(invoice_id="B", number="2", customer_id="NOPE"),
        inv(invoice_id="C", number="3", kind="credit_note", credits_invoice="999"),
        inv(invoice_id="D", number="4", quantity="1.2.3,4,5"),
        inv(invoice_id="E", number="5", date="31-02-2026"),
        inv(invoice_id="F", number="6"), inv(invoice_id="F", number="6", unit_price="abc"),  # one bad line
        inv(invoice_id="G", number="1"),                                                # duplicate number
        inv(invoice_id="H", number="8", kind="credit_note", credits_invoice="1"),
        inv(invoice_id="K", number="9", date="15-01-2026", unit_price="1.234,50"),
    ])
    result = import_file(store, "invoices", path)
    by_record = {p.record: p.field for p in result.problems}
    assert by_record == {"B": "customer_id", "C": "credits_invoice", "D": "quantity", "E": "date", "F": "unit_price",
                         "G": "number"}
    assert sorted(i.id for i in store.invoices.all()) == ["A", "H", "K"], "invoice F is left out whole"
    assert store.invoices.get("K").total == Decimal("1234.50")


def test_unknown_customer_for_contacts(store, tmp_path):
    path = write_csv(tmp_path / "p.csv", ["id", "customer_id", "last_name"], [["P1", "ghost", "X"]])
    result = import_file(store, "contacts", path)
    assert "unknown customer 'ghost'" in str(result.problems[0]) and len(store.contacts) == 0


def test_dry_run_saves_nothing_and_reimport_reports_changes(store, local_files, profile, tmp_path):
    dry = import_file(store, "customers", local_files["customers"], dry_run=True)
    assert len(dry.added) == 3 and len(store.customers) == 0 and "dry run" in dry.summary
    import_file(store, "customers", local_files["customers"])
    rows = list(csv.DictReader(open(local_files["customers"], encoding="utf-8")))
    rows[0]["city"] = "Amersfoort"
    rows.append({**rows[1], "id": "L9", "number": "1009"})
    del rows[2]  # a record missing from the file is kept, never deleted
    path = write_csv(tmp_path / "again.csv", CUSTOMER_HEADER, [[r[h] for h in CUSTOMER_HEADER] for r in rows])
    result = import_file(store, "customers", path)
    assert (result.added, result.changed, result.unchanged) == (["L9"], ["L1"], ["L2"])
    assert len(store.customers) == 4 and store.customers.get("L1").city == "Amersfoort"


def test_an_interrupted_import_leaves_the_store_as_it_was(store, local_files, monkeypatch):
    import_file(store, "customers", local_files["customers"])
    before = (store.folder / "customers.json").read_bytes()
    import exact_tui.store.atomic as atomic

    def crash(path, data):
        path.with_name(".customers.json.1.tmp").write_bytes(data[: len(data) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "atomic_write_bytes", crash)
    big = local_files["customers"].with_name("big.csv")
    write_csv(big, ["id", "name"], [[f"N{i}", f"Name {i}"] for i in range(500)])
    with pytest.raises(KeyboardInterrupt):
        import_file(store, "customers", big)
    monkeypatch.undo()
    assert (store.folder / "customers.json").read_bytes() == before
    assert len(store.customers) == 3


def test_booked_invoices_are_not_changed_by_a_reimport(store, local_files, tmp_path):
    _import_all(store, local_files)
    store.transfers.record(TransferRecord("I1", "2026-0001", outcome=TransferOutcome.BOOKED))
    text = local_files["invoices"].read_text().replace("95.00", "99.00")
    changed = tmp_path / "changed.csv"
    changed.write_text(text)
    result = import_file(store, "invoices", changed)
    assert any("already booked in Exact" in p.message and p.record == "I1" for p in result.problems)
    assert store.invoices.get("I1").lines[0].unit_price == Decimal("95.00")
    assert store.invoices.get("I2").lines[0].unit_price == Decimal("99.00")


def test_aliases_and_map_overrides(store, tmp_path):
    path = tmp_path / "nl.csv"
    path.write_text("Klantnummer;Naam;Postcode;Plaats;BTW;KvK;Debiteur oud;Notities\n"
                    "1001;Jansen;3511 AB;Utrecht;NL123456789B01;12345678;77;vip\n", encoding="utf-8")
    result = import_file(store, "customers", path, mapping={"Notities": ""})
    c = store.customers.get("1001")
    assert (c.name, c.postcode, c.city, c.vat, c.coc) == ("Jansen", "3511 AB", "Utrecht", "NL123456789B01", "12345678")
    assert any("Debiteur oud" in line for line in result.mapping)
    taken = import_file(store, "customers", path, mapping={"Debiteur oud": "id", "Notities": "website"},
                        strict_numbers=True)
    assert "1001 already belongs to stored customer 1001" in str(taken.problems[0])
    import_file(store, "customers", path, mapping={"Debiteur oud": "id", "Klantnummer": "", "Notities": "website"})
    assert store.customers.get("77").website == "vip" and store.customers.get("77").number == ""
    with pytest.raises(MappingProblem, match="no column 'Nope'"):
        import_file(store, "customers", path, mapping={"Nope": "name"})
    with pytest.raises(MappingProblem, match="not a customers field"):
        import_file(store, "customers", path, mapping={"Naam": "nonsense"})
    missing = tmp_path / "m.csv"
    missing.write_text("foo,bar\n1,2\n")
    with pytest.raises(MappingProblem, match="--map COLUMN="):
        import_file(store, "customers", missing)


def test_import_events_are_emitted(store, tmp_path):
    seen = []
    bus = EventBus()
    bus.subscribe(seen.append)
    path = write_csv(tmp_path / "c.csv", ["id", "name", "email"], [["1", "A", "bad"]])
    import_file(store, "customers", path, events=bus)
    assert seen[0].record == "customers 1" and "c.csv line 2, field email" in seen[0].detail
    assert seen[-1].topic == "import" and "1 invalid row" in seen[-1].message


def test_export_round_trips_and_escapes_formulas(store, local_files, tmp_path):
    _import_all(store, local_files)
    hostile = write_csv(tmp_path / "h.csv", ["id", "name", "city", "address"], [
        ["X1", "=cmd|' /C calc'!A0", "+31 Utrecht", "@SUM(1+1)"], ["X2", "-2+3", "\tTab", "Normal"]])
    import_file(store, "customers", hostile)
    out = tmp_path / "out.csv"
    assert export_file(store, "customers", out) == 5
    raw = out.read_text(encoding="utf-8-sig")
    for row in csv.DictReader(raw.splitlines()):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert "'=cmd|" in raw and "'+31 Utrecht" in raw and "'@SUM" in raw and "'-2+3" in raw
    before = {c.id: c for c in store.customers.all()}
    result = import_file(store, "customers", out)
    assert len(result.unchanged) == 5 and {c.id: c for c in store.customers.all()} == before

    inv_csv, inv_json = tmp_path / "inv.csv", tmp_path / "inv.json"
    assert export_file(store, "invoices", inv_csv) == 3  # one row per line
    assert len(import_file(store, "invoices", inv_csv).unchanged) == 2
    export_file(store, "invoices", inv_json)
    data = json.loads(inv_json.read_text())
    assert data[0]["lines"][0]["quantity"] == "12.5"
    assert len(import_file(store, "dimensions", local_files["dimensions"]).unchanged) == 2


def test_negative_amounts_are_not_escaped(store, local_files, tmp_path):
    _import_all(store, local_files)
    out = tmp_path / "inv.csv"
    export_file(store, "invoices", out)
    assert ",-2," in out.read_text(encoding="utf-8-sig")


def test_json_import_of_customers_and_nested_invoices_export(store, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps([{"id": "J1", "name": "Json BV", "number": 42, "country": "nl"}]))
    result = import_file(store, "customers", path)
    assert result.added == ["J1"] and store.customers.get("J1").number == "42"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "J2", "name": " "}]))
    result = import_file(store, "customers", bad)
    assert str(result.problems[0]) == "record 1 (J2): name: is empty"


def test_unusable_files_raise(store, tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileProblem, match="is empty"):
        import_file(store, "customers", empty)
    header_only = write_csv(tmp_path / "h.csv", ["id", "name"], [])
    result = import_file(store, "customers", header_only)
    assert result.rows == 0 and result.problems == [] and "0 added" in result.summary


def test_products_and_dutch_dimension_kinds(store, tmp_path):
    products = tmp_path / "items.csv"
    products.write_text("Artikelcode;Omschrijving;Deelbaar;Actief;Omzetrekening\n"
                        "CONSULT;Consultancy;ja;ja;8000\nKM;Kilometers;nee;nee;\nBAD;Bad;misschien;ja;\n")
    result = import_file(store, "products", products)
    assert [str(p) for p in result.problems] == ["line 4 (BAD): divisible: 'misschien' is not yes/no"]
    assert [p.code for p in store.products.active()] == ["CONSULT"] and not store.products.get("KM").divisible
    dims = tmp_path / "dims.csv"
    dims.write_text("soort,code,naam,artikel\nUurtarief,R1,Senior,CONSULT\nTaaksoort,T1,Meeting,NOPE\n"
                    "onzin,X,Y,\n")
    result = import_file(store, "dimensions", dims)
    assert {(d.kind.value, d.id) for d in store.dimensions.all()} == {("hourly_rate", "R1"), ("task_type", "T1")}
    assert result.problems[0].field == "kind" and any("NOPE is not among" in w for w in result.warnings)


def test_reader_retries_when_a_writer_replaces_a_shard_meanwhile(store, profile, monkeypatch):
    from exact_tui.store.atomic import AtomicJSONStorage

    store.customers.put_many([__import__("exact_tui.domain.customer", fromlist=["x"]).LocalCustomer("1", "A")])
    real = AtomicJSONStorage._load_shards
    calls = []

    def flaky(self, head):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("replaced meanwhile")
        return real(self, head)

    monkeypatch.setattr(AtomicJSONStorage, "_load_shards", flaky)
    with ProfileStore.open(profile, readonly=True) as reader:
        assert [c.name for c in reader.customers.all()] == ["A"] and len(calls) == 2


def test_export_of_cached_exact_accounts_links_transfers_and_log(store, tmp_path):
    store.exact_accounts.replace([{"id": "g1", "code": "1", "name": "=HYPERLINK()"},
                                  {"id": "g2", "code": "2", "name": "B", "vat": "NL1"}], division=1)
    store.links.link(__import__("exact_tui.domain.link", fromlist=["Link"]).Link("L1", "g1"))
    store.transfers.record(TransferRecord("I1", "2026-1"))
    store.log.append({"message": "hello", "level": "info"})
    for kind in ("exact_accounts", "links", "transfers", "log", "ignored"):
        out = tmp_path / f"{kind}.csv"
        export_file(store, kind, out)
        rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert len(rows) == {"exact_accounts": 2, "ignored": 0}.get(kind, 1) or kind == "log", kind
    accounts = (tmp_path / "exact_accounts.csv").read_text(encoding="utf-8-sig")
    assert "vat" in accounts.splitlines()[0] and "'=HYPERLINK()" in accounts
    assert "linked_at" in (tmp_path / "links.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(ValueError, match="unknown data type"):
        export_file(store, "secrets", tmp_path / "x.csv")
