"""`exact-tui transfer` / `transfers` / `export transfers` as a script runs them (subprocesses)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from exact_tui.services.transfer.service import NotActivated

from .conftest import entries, hours


def cli(profile, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exact_tui", "--data-dir", str(profile.session.profile_dir.parents[1]),
                           "--profile", "t", *args], capture_output=True, text=True, timeout=120)


async def test_transfer_all_json_and_the_transfers_list(profile, server):
    good = profile.invoice(profile.customer(), hours())
    bad = profile.invoice(profile.customer(), hours(item="HOSTING"))
    profile.session.close_store()
    dry = cli(profile, "transfer", "--all", "--dry-run", "--json")
    assert dry.returncode == 1, dry.stderr
    plan = json.loads(dry.stdout)
    assert plan["ready"] >= 1 and plan["blocked"] >= 1 and plan["calls"] >= 1
    assert "left_today" in plan and f"about {plan['calls']:,} API call" in plan["summary"]
    assert entries(server, good.number) == []
    done = cli(profile, "transfer", "--all", "--json")
    assert done.returncode == 1, done.stderr  # one blocked: needs attention
    result = json.loads(done.stdout)
    by_number = {r["number"]: r for r in result["invoices"]}
    assert by_number[good.number]["status"] == "transferred" and by_number[good.number]["exact_number"]
    assert by_number[bad.number]["status"] == "blocked" and "HOSTING" in by_number[bad.number]["message"]
    events = [json.loads(line) for line in done.stderr.splitlines()]  # --json: one event object per line
    assert any(e["topic"] == "transfer" and e["progress"] for e in events)  # progress on stderr
    listed = cli(profile, "transfers", "--json")
    assert listed.returncode == 0
    rows = {r["number"]: r for r in json.loads(listed.stdout)}
    assert {"number", "kind", "status", "exact_number", "exact_id", "message"} <= set(rows[good.number])
    assert rows[good.number]["exact_id"] == by_number[good.number]["exact_id"]
    assert rows[good.number]["payment"] is None  # not checked yet
    paid = cli(profile, "sync", "payments", "--json")
    assert paid.returncode == 0, paid.stdout + paid.stderr
    rows = {r["number"]: r for r in json.loads(cli(profile, "transfers", "--json").stdout)}
    assert rows[good.number]["payment"] == "open" and rows[good.number]["paid_on"] is None
    assert rows[good.number]["amount_open"] not in (None, "0", "0.00")
    assert rows[bad.number]["payment"] is None  # blocked: never in Exact
    only = json.loads(cli(profile, "transfers", "--status", "blocked", "--json").stdout)
    assert [r["number"] for r in only] == [bad.number]
    exported = cli(profile, "export", "transfers", "-")
    assert exported.returncode == 0 and good.number in exported.stdout
    undone = cli(profile, "transfer", "--undo", good.number)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert entries(server, good.number) == []


async def test_transfer_says_what_is_missing(profile, server):
    profile.session.close_store()
    nothing = cli(profile, "transfer")
    assert nothing.returncode == 2 and "--all" in nothing.stderr
    unknown = cli(profile, "transfer", "NOPE-1")
    assert unknown.returncode == 2 and "NOPE-1" in unknown.stderr and "Traceback" not in unknown.stderr


async def test_nothing_is_transferred_before_activation(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    profile.store.settings.update(active=False)
    service = profile.service()
    await service.start()
    with pytest.raises(NotActivated):
        await service.run([invoice])
    assert entries(server, invoice.number) == []
