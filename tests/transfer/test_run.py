"""`exact-tui run` transfers what is waiting before payments, each step reported, within today's calls."""
from __future__ import annotations

import json
import subprocess
import sys

from exact_tui.services import run as run_service
from exact_tui.services.run import run_once
from exact_tui.services.transfer import TransferService

from .conftest import entries, hours


def cli(profile, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exact_tui", "--data-dir", str(profile.session.profile_dir.parents[1]),
                           "--profile", "t", *args], capture_output=True, text=True, timeout=120)


def step(report, name):
    return next(s for s in report.steps if s.step == name)


async def test_run_transfers_new_invoices_before_payments_and_reports_each_step(profile, server):
    good = profile.invoice(profile.customer(), hours())
    bad = profile.invoice(profile.customer(), hours(item="HOSTING"))  # not a sales item: blocked by the pre-flight
    report = await run_once(profile.session)
    assert [s.step for s in report.steps] == ["transfers", "payments", "products", "customers"]
    transfers = step(report, "transfers")
    assert transfers.status == "attention" and report.exit_code == 1, transfers
    assert transfers.detail["counts"] == {"transferred": 1, "blocked": 1}
    assert len(entries(server, good.number)) == 1 and entries(server, bad.number) == []
    payments = step(report, "payments")
    assert payments.status == "done" and payments.detail["invoices"] == 1  # the invoice just transferred
    again = await run_once(profile.session)
    assert step(again, "transfers").status == "attention"  # the blocked one is still waiting, at no call
    assert step(again, "transfers").calls <= 2  # the accounts since the last Timestamp and sync/Deleted
    assert len(entries(server, good.number)) == 1  # never twice
    assert step(again, "payments").status == "not_due"
    assert step(report, "customers").status == "attention" and step(report, "customers").detail["proposed"]
    assert step(again, "products").status == "not_due" and step(again, "customers").status == "not_due"


async def test_products_and_customers_follow_their_schedule(profile, server):
    import datetime as dt

    store = profile.store
    store.item_sync.set_interval(0)  # products off
    store.customer_sync.set_interval(1)
    first = await run_once(profile.session, skip=["payments"])
    assert step(first, "products").status == "off" and step(first, "customers").status in ("done", "attention")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1, minutes=1)
    second = await run_once(profile.session, now=later, skip=["payments"])
    assert step(second, "customers").status == "done" and step(second, "customers").calls == 3  # nothing new


async def test_a_run_does_the_transfers_that_fit_in_todays_calls_and_says_so(profile, server, monkeypatch):
    first = TransferService.for_session(profile.session)
    estimated, before = first.preparation_cost(), profile.session.client.calls
    await first.start()  # the session keeps Exact's reference data from now on
    assert profile.session.client.calls - before == estimated  # the estimate is what it costs
    invoices = [profile.invoice(profile.customer(), hours()) for _ in range(3)]
    service = TransferService.for_session(profile.session)
    prepare = service.preparation_cost()
    assert prepare == 2  # reference data kept: the accounts since the last Timestamp and sync/Deleted
    monkeypatch.setattr(run_service, "day_left", lambda session: prepare + 2)
    said = []
    profile.session.events.subscribe(lambda e: said.append(e.message) if e.topic == "run" else None)
    report = await run_once(profile.session)
    assert report.planned_calls > prepare + 2 and said and "Exact allows 4 more today" in said[0]  # said first
    transfers = step(report, "transfers")
    assert transfers.status == "over_budget" and report.exit_code == 1
    assert transfers.detail["invoices"] == 2 and transfers.detail["left_for_tomorrow"] == 1
    assert "1 more invoices need about 1 calls" in transfers.message and "daily reset" in transfers.message
    done = [i for i in invoices if entries(server, i.number)]
    assert done == invoices[:2]  # oldest first; the third waits
    assert {step(report, s).status for s in ("payments", "products", "customers")} == {"over_budget"}  # none left
    assert transfers.calls == prepare + 2


async def test_nothing_fits_nothing_starts(profile, server, monkeypatch):
    invoice = profile.invoice(profile.customer(), hours())
    monkeypatch.setattr(run_service, "day_left", lambda session: 1)
    report = await run_once(profile.session)
    transfers = step(report, "transfers")
    assert transfers.status == "over_budget" and "not started" in transfers.message
    assert entries(server, invoice.number) == []
    payments = step(report, "payments")  # the one call left is the payments re-sync's: it fits
    assert payments.status == "done" and report.calls == payments.calls == 1


async def test_run_before_activation_transfers_nothing_and_skip_leaves_a_step_out(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    profile.store.settings.update(active=False)
    report = await run_once(profile.session, skip=["payments", "products", "customers"])
    assert step(report, "transfers").status == "off" and "step 8" in step(report, "transfers").message
    assert step(report, "payments").status == "off" and report.exit_code == 0
    assert entries(server, invoice.number) == []


async def test_run_dry_run_shows_the_cost_of_each_step_and_sends_nothing(profile, server):
    good = profile.invoice(profile.customer(), hours())
    profile.invoice(profile.customer(), hours(item="HOSTING"))
    profile.session.close_store()
    dry = cli(profile, "run", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    steps = {s["step"]: s for s in json.loads(dry.stdout)["steps"]}
    assert steps["transfers"]["status"] == "planned" and steps["transfers"]["calls"] >= 2
    assert "would transfer" in steps["transfers"]["message"] and "API call" in steps["transfers"]["message"]
    assert steps["payments"]["status"] == "planned" and steps["products"]["status"] == "planned"
    assert steps["customers"]["status"] == "planned" and "API call" in steps["customers"]["message"]
    assert entries(server, good.number) == []
    text = cli(profile, "run", "--skip", "customers")
    assert text.returncode == 1, text.stdout + text.stderr  # one blocked: needs attention
    assert "transfers: attention" in text.stdout and "payments: done" in text.stdout
    assert len(entries(server, good.number)) == 1
