"""`exact-tui run` from cron: two at once on one profile — one runs, the other refuses (or waits) —
and together they stay inside Exact's limits; `sync payments --json` headless."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time

import pytest

from exact_tui.exact import TokenStore, oauth
from exact_tui.exact.appconfig import save_app_config
from exact_tui.paths import profile_dir
from exact_tui.sandbox.testing import approve, running_sandbox
from exact_tui.store.profile import ProfileStore

from exact.conftest import config_for
from exact.seedworld import DIV, world


@pytest.fixture(scope="module")
def server():
    with running_sandbox(seed_data=world(10), time_scale=1.0) as server:
        yield server


@pytest.fixture
async def profile(server, tmp_path):
    """A profile connected the way `exact-tui connect` leaves it: tokens, app settings, a division."""
    folder = profile_dir("acme", tmp_path)
    config = config_for(server, DIV)
    tokens = TokenStore(folder / "tokens.json")
    state = oauth.new_state()
    await oauth.exchange_redirect(config, tokens, approve(oauth.authorize_url(config, state), "api", "api"), state)
    save_app_config(folder, config, keep_secret=True)
    with ProfileStore.open(folder) as store:
        store.settings.save(dataclasses.replace(store.settings.get(), division=DIV, journal="70"))
    return tmp_path


def cli(data_dir, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "exact_tui", "--data-dir", str(data_dir), "--profile", "acme",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


ONLY_PAYMENTS = ("--skip", "products", "--skip", "customers")  # (the transfers are off: not activated)


def payments_step(out: str) -> dict:
    return next(s for s in json.loads(out)["steps"] if s["step"] == "payments")


def test_two_runs_at_once_one_runs_the_other_refuses_and_they_stay_within_limits(server, profile):
    with server.faults("latency:ms=1500"):  # a run holds the profile for seconds: the two surely overlap
        server.runtime.stats.reset()
        procs = [cli(profile, "run", "--json", *ONLY_PAYMENTS), cli(profile, "run", "--json", *ONLY_PAYMENTS)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    ran = next(out for code, out, _ in results if code == 0)
    refused = next(err for code, _, err in results if code == 2)
    steps = {s["step"]: s for s in json.loads(ran)["steps"]}
    assert steps["payments"]["status"] == "done" and steps["transfers"]["status"] == "off"  # not activated
    assert "open for writing by process" in refused and "nothing done" in refused
    stats = server.runtime.stats.as_dict()
    assert not any(key.endswith(" 429") for key in stats["statuses"]) and stats["max_in_flight"] <= 1


def test_a_second_run_with_wait_waits_and_finds_nothing_due(server, profile):
    with server.faults("latency:ms=800"):
        first = cli(profile, "run", "--json", *ONLY_PAYMENTS)
        lock = profile_dir("acme", profile) / "writer.lock"
        deadline = time.monotonic() + 60
        while str(first.pid) not in (lock.read_text() if lock.exists() else "") and time.monotonic() < deadline:
            time.sleep(0.05)  # the first run holds the profile before the second starts
        second = cli(profile, "run", "--json", "--wait", "60", *ONLY_PAYMENTS)
        (out1, _), (out2, err2) = first.communicate(timeout=120), second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err2
    assert payments_step(out1)["status"] == "done"
    assert payments_step(out2)["status"] == "not_due"  # checked a moment ago: due in 4 h


def test_sync_payments_json_and_the_dry_run_cost(server, profile):
    dry = cli(profile, "run", "--dry-run", "--json")
    out, err = dry.communicate(timeout=60)
    assert dry.returncode == 0, err
    step = payments_step(out)
    assert step["status"] == "planned" and step["calls"] == 1  # no invoices yet: one call
    sync = cli(profile, "sync", "payments", "--json", "--every", "6")
    out, err = sync.communicate(timeout=60)
    assert sync.returncode == 0, err
    outcome = json.loads(out)
    assert outcome["flow"] == "payments" and outcome["calls"] == 1 and outcome["every_hours"] == 6
    missing = cli(profile, "sync", "payments", "--invoice", "NOPE")
    _, err = missing.communicate(timeout=60)
    assert missing.returncode == 1 and "NOPE is not transferred" in err


def test_reconcile_headless_agrees_on_an_empty_profile(server, profile):
    proc = cli(profile, "reconcile", "--json")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    outcome = json.loads(out)
    assert outcome["agree"] is True and outcome["checked"] == 0 and outcome["calls"] == 2


async def test_a_step_that_does_not_fit_todays_calls_is_not_started(tmp_path):
    import datetime as dt
    from types import SimpleNamespace

    from exact_tui.exact.budget import RateBudget
    from exact_tui.services.events import EventBus
    from exact_tui.services.run import run_once

    class Clock:
        def time(self):
            return 1_700_000_000.0

    with ProfileStore.open(tmp_path / "p") as store:
        spent = RateBudget(day_limit=5000, day_remaining=0, day_reset=1_700_050_000.0, updated_at=1.0)
        session = SimpleNamespace(profile="acme", store=store, events=EventBus(),
                                  client=SimpleNamespace(budget=spent, clock=Clock(), calls=0))
        report = await run_once(session, now=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    step = next(s for s in report.steps if s.step == "payments")
    assert step.status == "over_budget" and "allows 0 more today" in step.message and report.exit_code == 1
