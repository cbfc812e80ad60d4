"""`exact-tui match` end to end: CSV files in, pairs file out, clear errors on bad input."""
import csv
import json

import pytest

from exact_tui.cli import main

LOCAL = """id,name,number,address,postcode,city,email,phone,vat,coc
L1,Jansen Bouw BV,1001,Kerkstr. 12,1234 ab,Utrecht,info@jansen.nl,030 1234567,,
L2,Orion Data Solutions,1002,,,,,,,
L3,Orion Data Solution,1003,,,,,,,
L4,Smit Glas,1004,Dorpsweg 3,5678CD,Zwolle,,,NL812345678B01,
"""
EXACT = """id;name;code;address;postcode;city;vat
E1;Jansen Bouw B.V.;2001;Kerkstraat 12;1234AB;Utrecht;
E2;Orion Data Solutions;2002;;;;
E3;Qwerty Uiop;2003;;;;
E4;Glashandel Smit;2004;;;;NL 8123.45.678.B01
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_files_in_pairs_out(tmp_path, capsys):
    local, exact = _write(tmp_path, "local.csv", LOCAL), _write(tmp_path, "exact.csv", EXACT)
    out = str(tmp_path / "pairs.csv")
    assert main(["match", local, exact, "--out", out, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"]["one"] == 2 and summary["counts"]["more"] == 1 and summary["counts"]["none"] == 1
    assert summary["seconds"] >= 0
    rows = _rows(out)
    assert list(rows[0]) == ["exact_id", "local_id", "score", "bucket", "rank"]
    by = {}
    for r in rows:
        by.setdefault(r["exact_id"], []).append(r)
    assert [(r["local_id"], r["bucket"], r["rank"]) for r in by["E1"]] == [("L1", "one", "1")]
    assert [(r["local_id"], r["bucket"], r["rank"]) for r in by["E2"]] == [("L2", "more", "1"), ("L3", "more", "2")]
    assert [(r["local_id"], r["bucket"]) for r in by["E3"]] == [("", "none")]
    assert by["E4"][0]["local_id"] == "L4" and by["E4"][0]["bucket"] == "one"
    assert 0 <= float(by["E1"][0]["score"]) <= 100


def test_decisions_file(tmp_path, capsys):
    local, exact = _write(tmp_path, "local.csv", LOCAL), _write(tmp_path, "exact.csv", EXACT)
    decisions = _write(tmp_path, "d.csv", "exact_id,local_id,decision\nE1,L2,link\nE4,,ignore\n")
    out = str(tmp_path / "pairs.csv")
    assert main(["match", local, exact, "--out", out, "--decisions", decisions]) == 0
    assert "already linked" in capsys.readouterr().out
    by = {r["exact_id"]: r for r in _rows(out)}
    assert (by["E1"]["local_id"], by["E1"]["bucket"]) == ("L2", "linked")
    assert by["E4"]["bucket"] == "ignored"


def test_missing_name_column_is_an_error_naming_the_file(tmp_path, capsys):
    bad = _write(tmp_path, "bad.csv", "id,naam\n1,Jansen\n")
    exact = _write(tmp_path, "exact.csv", EXACT)
    out = tmp_path / "pairs.csv"
    assert main(["match", bad, exact, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "missing required column 'name'" in err
    assert not out.exists()


@pytest.mark.parametrize("text, message", [
    ("id,name\n1,Jansen\n,Pietersen\n", "line 3: column 'id' is empty; row left out"),
    ("id,name\n1,Jansen\n1,Pietersen\n", "line 3: id '1' already used on line 2; row left out"),
    ("id,name,city\n1,Jansen,Utrecht\n2,,\n", "line 3 (id 2): name and every other field are empty; row left out"),
])
def test_bad_rows_are_left_out_with_a_warning_naming_the_line(tmp_path, capsys, text, message):
    bad = _write(tmp_path, "local.csv", text)
    exact = _write(tmp_path, "exact.csv", EXACT)
    out = tmp_path / "p.csv"
    assert main(["match", bad, exact, "--out", str(out), "--json"]) == 1  # needs attention, but ran
    captured = capsys.readouterr()
    assert "local.csv" in captured.err and message in captured.err
    summary = json.loads(captured.out)
    assert summary["left_out"] == 1 and any(message in w for w in summary["warnings"])
    assert {r["exact_id"] for r in _rows(out)} == {"E1", "E2", "E3", "E4"}


def test_an_empty_name_is_matched_on_the_other_fields(tmp_path, capsys):
    local = _write(tmp_path, "local.csv", "id,name,address,postcode,vat\n"
                   "L1,,Dorpsweg 3,5678CD,NL812345678B01\nL2,Orion Data Solutions,,,\n")
    exact = _write(tmp_path, "exact.csv", EXACT)
    out = str(tmp_path / "p.csv")
    assert main(["match", local, exact, "--out", out]) == 0
    assert "line 2 (id L1): column 'name' is empty; matched on its other fields" in capsys.readouterr().err
    by = {r["exact_id"]: r for r in _rows(out)}
    assert by["E4"]["local_id"] == "L1"


@pytest.mark.parametrize("text, message", [
    ("id,name\n1,Jansen,extra\n", "line 2: 3 cells but the header has 2"),
    ("", "is empty"),
])
def test_unreadable_files_are_named(tmp_path, capsys, text, message):
    bad = _write(tmp_path, "local.csv", text)
    exact = _write(tmp_path, "exact.csv", EXACT)
    assert main(["match", bad, exact, "--out", str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert "local.csv" in err and message in err


def test_missing_file_and_windows_1252(tmp_path, capsys):
    exact = _write(tmp_path, "exact.csv", EXACT)
    assert main(["match", str(tmp_path / "nope.csv"), exact, "--out", str(tmp_path / "p.csv")]) == 2
    assert "nope.csv: file not found" in capsys.readouterr().err
    latin = tmp_path / "latin.csv"  # what Excel on Windows writes; `import` reads it, so does `match`
    latin.write_bytes("\ufeff".encode()[:0] + "id;name;city\n1;Müller Bäckerei;Köln\n".encode("cp1252"))
    out = tmp_path / "p.csv"
    assert main(["match", str(latin), exact, "--out", str(out)]) == 0
    assert "read as windows-1252" in capsys.readouterr().err
    assert out.exists()


def test_a_bom_and_semicolons_are_read_like_import(tmp_path):
    from exact_tui.cli.match import read_records

    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid;name;city\r\n1;Jansen;Utrecht\r\n".encode("utf-8"))
    got = read_records(str(path), "local")
    assert [(r.id, r.name, r.city) for r in got.records] == [("1", "Jansen", "Utrecht")]


def test_existing_output_is_replaced_whole(tmp_path):
    local, exact = _write(tmp_path, "local.csv", LOCAL), _write(tmp_path, "exact.csv", EXACT)
    out = tmp_path / "pairs.csv"
    out.write_text("old\n")
    assert main(["match", local, exact, "--out", str(out)]) == 0
    assert out.read_text().startswith("exact_id,local_id,score,bucket,rank")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_reasons_column(tmp_path):
    local, exact = _write(tmp_path, "local.csv", LOCAL), _write(tmp_path, "exact.csv", EXACT)
    out = str(tmp_path / "pairs.csv")
    assert main(["match", local, exact, "--out", out, "--reasons"]) == 0
    by = {r["exact_id"]: r for r in _rows(out)}
    assert by["E4"]["reasons"].startswith("same VAT number")
    assert by["E3"]["reasons"].startswith("no local customer scores 45 or more")  # why No match
    assert "score rule" in by["E1"]["reasons"] or "points ahead" in by["E1"]["reasons"]  # why One


def test_formula_guards_are_dropped(tmp_path):
    from exact_tui.cli.match import read_records

    path = _write(tmp_path, "x.csv", "id,name,phone\n1,Jansen,'+31 20 1234567\n2,O'Brien,'t Hof\n")
    records = read_records(path, "local").records
    assert records[0].phone == "+31 20 1234567"
    assert records[1].name == "O'Brien" and records[1].phone == "'t Hof"


def test_exact_accounts_that_are_not_customers_are_left_out(tmp_path, capsys):
    from exact_tui.domain.customer import is_customer_account

    assert [is_customer_account(s) for s in ("C", "", None, "P", "S", "A")] == [True, True, True, False, False, False]
    local = _write(tmp_path, "local.csv", LOCAL)
    exact = _write(tmp_path, "exact.csv", "id,name,status\nE1,Jansen Bouw,C\nE2,Orion Data Solutions,P\n"
                   "E3,Smit Glas,A\nE4,Qwerty,\n")
    out = str(tmp_path / "p.csv")
    assert main(["match", local, exact, "--out", out, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["exact"] == 2 and summary["not_customers"] == 2
    assert {r["exact_id"] for r in _rows(out)} == {"E1", "E4"}
