"""Import safety (#15): files crafted or mangled to break the importer, and what it must do instead.

Each case fails on the importer before #15: lines silently dropped, rows swallowed by a quote,
tracebacks, control characters printed raw, exports readable by every user.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from exact_tui.cli import main
from exact_tui.localdata import FileProblem
from exact_tui.paths import profile_dir
from exact_tui.services.local_import import LinesWouldBeRemoved, export_file, import_file
from exact_tui.store import ProfileStore

from .conftest import CUSTOMER_HEADER, write_csv


def _import_all(store, files):
    for kind in ("customers", "contacts", "dimensions", "invoices"):
        assert import_file(store, kind, files[kind]).problems == []


def store_bytes(folder: Path) -> dict[str, str]:
    """Every file under the profile's store with a hash of its bytes (what 'untouched' means)."""
    out = {}
    for path in sorted((folder / "store").rglob("*")):
        if path.is_file() and path.name != "log.jsonl":
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# -- item 4: a JSON invoice export re-imports with its lines -----------------------------------------
def test_json_invoice_export_reimports_unchanged_with_its_lines(store, local_files, tmp_path):
    _import_all(store, local_files)
    before = {i.id: i for i in store.invoices.all()}
    out = tmp_path / "invoices.json"
    export_file(store, "invoices", out)
    assert isinstance(json.loads(out.read_text())[0]["lines"], list)
    result = import_file(store, "invoices", out)
    assert result.problems == [] and result.changed == [] and sorted(result.unchanged) == sorted(before)
    assert {i.id: i for i in store.invoices.all()} == before


def test_an_import_that_would_remove_lines_is_refused_unless_asked(store, local_files, tmp_path, profile):
    _import_all(store, local_files)
    heads_only = write_csv(tmp_path / "heads.csv", ["invoice_id", "number", "customer_id", "date"],
                           [["I1", "2026-0001", "L1", "2026-01-15"]])
    untouched = store_bytes(profile)
    with pytest.raises(LinesWouldBeRemoved) as refused:
        import_file(store, "invoices", heads_only)
    assert "2 lines -> 0" in str(refused.value) and "--replace-lines" in str(refused.value)
    assert store_bytes(profile) == untouched and len(store.invoices.get("I1").lines) == 2
    result = import_file(store, "invoices", heads_only, replace_lines=True)
    assert result.changed == ["I1"] and store.invoices.get("I1").lines == []


def test_cli_refusal_of_removed_lines_exits_2(tmp_path, local_files, capsys):
    data = ["--data-dir", str(tmp_path / "data"), "--profile", "acme"]
    for kind in ("customers", "invoices"):
        assert main([*data, "import", kind, str(local_files[kind])]) == 0
    heads = write_csv(tmp_path / "h.csv", ["invoice_id", "number", "customer_id", "date"],
                      [["I1", "2026-0001", "L1", "2026-01-15"]])
    capsys.readouterr()
    assert main([*data, "import", "invoices", str(heads)]) == 2
    assert "would remove invoice lines" in capsys.readouterr().err
    assert main([*data, "import", "invoices", str(heads), "--replace-lines"]) == 0


# -- item 3: exports are the user's only -------------------------------------------------------------
@pytest.mark.parametrize("name", ["customers.csv", "customers.json"])
def test_exports_are_written_0600(store, local_files, tmp_path, name):
    _import_all(store, local_files)
    old = os.umask(0o022)
    try:
        target = tmp_path / name
        target.write_text("old")
        os.chmod(target, 0o644)  # an earlier export, or a file the user made
        export_file(store, "customers", target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# -- item 6: an unbalanced quote does not swallow rows -------------------------------------------------
@pytest.mark.parametrize("text, line", [
    ('id,name,city\n1,"Bakker,Utrecht\n2,Jansen,Amsterdam\n3,Pietersen,Delft\n', 2),
    ('id,name,city\n1,"Bakker",Utrecht\n2,"Jansen,Amsterdam\n3,"Pietersen",Delft\n', 3),
])
def test_unbalanced_quote_is_refused_with_its_line(store, tmp_path, profile, text, line):
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    untouched = store_bytes(profile)
    with pytest.raises(FileProblem, match=f"line {line}: a quote"):
        import_file(store, "customers", path)
    assert store_bytes(profile) == untouched


def test_a_quoted_line_break_is_still_fine(store, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('id,name,address\n1,Bakker,"Dorpsstraat 1\nachterom"\n2,Jansen,x\n', encoding="utf-8")
    result = import_file(store, "customers", path)
    assert result.added == ["1", "2"] and store.customers.get("1").address == "Dorpsstraat 1\nachterom"


# -- item 7: messages, never tracebacks, and the store untouched ---------------------------------------
def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    deep = tmp_path / "deep.json"
    deep.write_text('[{"id": "1", "name": ' + "[" * 1000 + "]" * 1000 + "}]")
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text('[{"id": "1", "name": "A\\ud800B"}]')
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(b"\xef\xbb\xbfid,name\n1,Jansen\n2,M\xfcller\n")
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"id,name\n" + b"".join(b"%d,Klant %d\n" % (i, i) for i in range(1, 900)) + b"900,Na\x00me\n")
    nested = tmp_path / "nested.json"
    nested.write_text('[{"id": "1", "name": {"first": "A"}}]')
    return {"deep": (deep, "nested too deep"), "surrogate": (surrogate, "half of a UTF-16 pair"),
            "mixed": (mixed, "line 3: the file starts with a UTF-8 mark"), "nul": (nul, "line 901: holds a NUL"),
            "nested": (nested, "field 'name': holds a JSON object")}


@pytest.mark.parametrize("case", ["deep", "surrogate", "mixed", "nul", "nested"])
def test_hostile_files_give_a_message_and_exit_2_with_the_store_untouched(tmp_path, capsys, case):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "--profile", "acme", "import", "customers",
                 str(write_csv(tmp_path / "ok.csv", ["id", "name"], [["0", "Eerste"]]))]) == 0
    folder = profile_dir("acme", data)
    untouched = store_bytes(folder)
    path, message = _bad_files(tmp_path)[case]
    capsys.readouterr()
    assert main(["--data-dir", str(data), "--profile", "acme", "import", "customers", str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err + captured.out
    assert store_bytes(folder) == untouched


def test_a_record_the_store_cannot_write_leaves_no_stray_shard_files(store, profile):
    from exact_tui.domain.customer import LocalCustomer

    untouched = store_bytes(profile)
    with pytest.raises(UnicodeEncodeError):
        store.customers.put_many([LocalCustomer(f"C{i}", "x\ud800" if i == 7 else "ok") for i in range(40)])
    assert store_bytes(profile) == untouched
    assert store.customers.get("C1") is None  # the failed write is not half-visible either


# -- item 9: validation gaps ---------------------------------------------------------------------------
@pytest.mark.parametrize("number", ["１２３", "١٢٣", "12３"])
def test_non_ascii_digits_are_not_a_customer_number(store, tmp_path, number):
    path = write_csv(tmp_path / "c.csv", ["id", "name", "number"], [["L1", "A", number]])
    result = import_file(store, "customers", path, strict_numbers=True)
    assert result.added == [] and "digits only" in str(result.problems[0])


@pytest.mark.parametrize("field, value, message", [
    ("quantity", "1" * 31, "more than 15 digits"),
    ("unit_price", "0.1234567890123456789", "more than 15 digits"),
    ("date", "0001-01-01", "outside the years"),
    ("date", "31-12-9999", "outside the years"),
])
def test_out_of_range_invoice_values_are_refused(store, local_files, tmp_path, field, value, message):
    import_file(store, "customers", local_files["customers"])
    row = {"invoice_id": "X1", "number": "9-1", "customer_id": "L1", "date": "2026-01-02",
           "line_description": "Werk", "quantity": "2", "unit_price": "10"}
    row[field] = value
    path = write_csv(tmp_path / "i.csv", list(row), [list(row.values())])
    result = import_file(store, "invoices", path)
    assert result.added == [] and message in str(result.problems[0]) and f" {field}:" in str(result.problems[0])


def test_json_numbers_beyond_exacts_precision_are_refused(store, local_files, tmp_path):
    import_file(store, "customers", local_files["customers"])
    path = tmp_path / "i.json"
    path.write_text('[{"id": "X1", "number": "9-1", "customer_id": "L1", "date": "2026-01-02", '
                    '"lines": [{"description": "W", "quantity": 1e40, "unit_price": NaN}]}]')
    result = import_file(store, "invoices", path)
    assert result.added == [] and {p.field for p in result.problems} == {"quantity", "unit_price"}


def test_a_users_own_leading_quote_survives_export_and_import(store, tmp_path):
    path = tmp_path / "c.json"
    names = {"L1": "'=SUM(A1)", "L2": "'+31 prefix", "L3": "''double", "L4": "'@home", "L5": "-12.5"}
    path.write_text(json.dumps([{"id": k, "name": v} for k, v in names.items()]))
    import_file(store, "customers", path)
    assert {c.id: c.name for c in store.customers.all()} == names
    out = tmp_path / "c.csv"
    export_file(store, "customers", out)
    assert ",-12.5," in out.read_text(encoding="utf-8-sig")  # a plain number is not escaped
    assert import_file(store, "customers", out).changed == []
    assert {c.id: c.name for c in store.customers.all()} == names


# -- item 2: control characters are refused in cells and never printed raw ----------------------------
def test_escape_sequences_in_a_file_are_refused_and_printed_escaped(tmp_path, capsys):
    clean = [[f"K{i}", f"Klant {i}", str(100 + i)] for i in range(300)]  # a real file: mostly clean rows
    path = write_csv(tmp_path / "c.csv", CUSTOMER_HEADER[:3], [
        ["L1\x1b]52;c;ZXZpbA==\x07", "A", "1"], ["L2", "B\x1b[2J\x1b]0;pwned\x07", "2"], ["L3", "C", "3\u202e9"],
        *clean])
    code = main(["--data-dir", str(tmp_path / "d"), "--profile", "acme", "import", "customers", str(path)])
    out = capsys.readouterr().out
    assert code == 1 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]52;c;ZXZpbA==\\x07" in out and "holds control characters" in out
    with ProfileStore.open(profile_dir("acme", tmp_path / "d"), readonly=True) as store:
        assert len(store.customers) == 300 and store.customers.get("L2") is None
