"""`exact-tui import / export / next-number`, and the customer number proposal."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from exact_tui.cli import main
from exact_tui.domain.customer import LocalCustomer
from exact_tui.paths import profile_dir
from exact_tui.services.numbering import propose_next_number
from exact_tui.store import ProfileStore


def _cli(tmp_path, *argv):
    return main(["--data-dir", str(tmp_path / "data"), "--profile", "acme", *argv])


def test_import_dry_run_then_import_then_export(tmp_path, local_files, capsys):
    assert _cli(tmp_path, "import", "customers", str(local_files["customers"]), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "3 added" in out and "dry run" in out
    with ProfileStore.open(profile_dir("acme", tmp_path / "data"), readonly=True) as store:
        assert len(store.customers) == 0
    assert _cli(tmp_path, "import", "customers", str(local_files["customers"])) == 0
    assert _cli(tmp_path, "import", "invoices", str(local_files["invoices"])) == 0
    capsys.readouterr()
    target = tmp_path / "links.json"
    assert _cli(tmp_path, "export", "customers", str(tmp_path / "c.csv")) == 0
    assert _cli(tmp_path, "export", "links", str(target)) == 0 and target.read_text().strip() == "[]"
    assert _cli(tmp_path, "export", "invoices", "-") == 0
    assert "invoice_id,number,kind" in capsys.readouterr().out


def test_import_with_problems_exits_1_and_lists_them(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("klantnummer;naam;e-mail\n12;A;a@b.nl\nabc;B;x\n", encoding="utf-8")
    assert _cli(tmp_path, "import", "customers", str(path), "--map", "klantnummer=number", "--dry-run",
                "--strict-numbers") == 1
    out = capsys.readouterr().out
    assert "invalid: line 3 (abc): number: customer number 'abc' must contain digits only" in out
    assert "invalid: line 3 (abc): email:" in out and "1 added" in out and "1 invalid row would be" in out
    assert _cli(tmp_path, "import", "customers", str(path)) == 1
    out = capsys.readouterr().out
    assert "warning: line 3 (abc): number: customer number 'abc' must contain digits only" in out
    assert "1 invalid row was left out; 1 imported with a warning" in out


@pytest.mark.parametrize("content, message", [(b"", "is empty"), (b"\x00\x01\x02junk" * 100, "binary")])
def test_unusable_file_exits_2_with_message(tmp_path, capsys, content, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert _cli(tmp_path, "import", "customers", str(path)) == 2
    assert message in capsys.readouterr().err


def test_bad_map_and_locked_profile(tmp_path, local_files, capsys):
    assert _cli(tmp_path, "import", "customers", str(local_files["customers"]), "--map", "oops") == 2
    assert "COLUMN=FIELD" in capsys.readouterr().err
    with ProfileStore.open(profile_dir("acme", tmp_path / "data")):
        assert _cli(tmp_path, "import", "customers", str(local_files["customers"])) == 2
        assert "is open for writing by process" in capsys.readouterr().err
        assert _cli(tmp_path, "next-number", "-q") == 0  # read-only commands still work
        assert capsys.readouterr().out.strip() == "1"


def test_next_number_continues_highest_of_exact_and_local(tmp_path):
    with ProfileStore.open(tmp_path / "p") as store:
        store.customers.put_many([LocalCustomer("1", "A", "1001"), LocalCustomer("2", "B", "X-9"),
                                  LocalCustomer("3", "C", "")])
        proposal = propose_next_number(store)
        assert proposal.number == "1002" and proposal.pulled_at is None and "never pulled" in proposal.explain()
        store.exact_accounts.replace([{"id": "g1", "code": "          204711"}, {"id": "g2", "code": "ABC"},
                                      {"id": "g3", "code": "1234567890"}], division=1, timestamp=9)
        proposal = propose_next_number(store)
        assert (proposal.number, proposal.highest_exact, proposal.highest_local) == ("204712", "204711", "1001")
        assert proposal.pulled_at.date() == dt.datetime.now(dt.timezone.utc).date()


def test_help_stays_light():
    code = ("import sys; from exact_tui.cli import build_parser; build_parser(); "
            "print(any(m.startswith(('tinydb', 'exact_tui.store', 'exact_tui.localdata')) for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "False", done.stderr
