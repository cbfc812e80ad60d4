"""Product numbers ← against the sandbox over HTTP: only changes since the last Timestamp, deletions from
sync/Deleted, and the items in use that Exact will refuse flagged (service rule, step status, pre-flight)."""
from __future__ import annotations

import json
import subprocess
import sys

import httpx

from exact_tui.domain.products import DataType, Principle, ProductPrinciple
from exact_tui.services import products as product_numbers
from exact_tui.services.product_sync import estimate, item_flags, sync_products
from exact_tui.services.transfer import TransferService

from .conftest import DIVISION, hours


def item_row(server, code: str) -> dict:
    return next(r for r in server.world.table(DIVISION, "logistics/Items").rows.values() if r["Code"] == code)


def change(server, code: str, **fields) -> None:
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/logistics/Items/{item_row(server, code)['ID']}"
    answer = httpx.post(url, json=fields) if fields else httpx.delete(url)
    assert answer.status_code == 200, answer.text


def flags_of(store, code: str) -> list[str]:
    return [f.problem for f in item_flags(store) if f.code == code]


async def test_items_sync_brings_only_changes_and_flags_the_items_in_use(profile, server):
    store, client = profile.store, profile.session.client
    store.settings.update(principles={"expenses": ProductPrinciple(DataType.EXPENSES, Principle.SPECIFIC,
                                                                   product_number="TRAIN")})
    assert estimate(store) == 2  # first pull: every item (under 1,000: one page) and sync/Deleted
    first = await sync_products(store, client)
    assert first.first and first.calls == 2
    # step 6 imported the items Exact accepts; the sync also keeps the ended ones, marked so
    assert first.added and all(store.products.get(code).ended() for code in first.added)
    before = {f.code for f in first.flags}
    quiet = await sync_products(store, client)
    assert quiet.calls == 2 and not quiet.changed and not quiet.added and not quiet.gone  # one call each
    # in Exact: CONS-SR (an hourly rate's item in step 7) loses its revenue G/L, CONS stops being for
    # sale, TRAIN (the expenses default) ends, DEV is deleted; PM changes but nothing uses it
    change(server, "CONS-SR", GLRevenue=None, GLRevenueCode=None)
    change(server, "CONS", IsSalesItem=False)
    change(server, "TRAIN", EndDate="2020-12-31T00:00:00Z")
    change(server, "DEV")
    change(server, "PM", Description="Projectleiding")
    report = await sync_products(store, client)
    assert report.calls == 2 and not report.first
    assert set(report.changed) == {"CONS-SR", "CONS", "TRAIN", "DEV", "PM"}
    assert report.gone == ["DEV"] and "description: Projectmanagement → Projectleiding" in report.changed["PM"]
    assert store.products.get("CONS").active  # the user's choice is kept: flagged, not switched off
    assert any("revenue G/L" in p for p in flags_of(store, "CONS-SR"))
    senior = next(f for f in report.flags if f.code == "CONS-SR")
    assert any("'Senior' in step 7" in u for u in senior.used_by) and "sync products" in senior.todo
    assert any("not for sale" in p for p in flags_of(store, "CONS"))
    train = next(f for f in report.flags if f.code == "TRAIN")
    assert "ended in Exact on 2020-12-31" in train.problem and any("default of" in u for u in train.used_by)
    assert flags_of(store, "DEV") == ["deleted in Exact"]
    assert not flags_of(store, "PM") and {f.code for f in report.flags} - before == {"CONS-SR", "CONS", "TRAIN", "DEV"}
    status = product_numbers.product_status(profile.session)
    assert any("CONS" in m for m in status.missing)
    # the pre-flight from the synced product numbers alone (no call): each line names its item's problem
    cases = {"CONS-SR": "revenue G/L", "CONS": "not a sales item", "TRAIN": "not active in Exact",
             "DEV": "deleted in Exact", "PM": ""}
    invoices = {code: profile.invoice(profile.customer(), hours(quantity="2", item=code)) for code in cases}
    offline = TransferService(store, profile.session.events)
    await offline.start()
    for code, words in cases.items():
        check = offline.preflight(invoices[code])
        if words:
            assert not check.ok and any(words in p.what for p in check.problems), (code, check.problems)
        else:
            assert check.ok, check.problems


async def test_sync_products_headless_json_and_exit_code(profile, server):
    profile.session.close_store()
    run = subprocess.run([sys.executable, "-m", "exact_tui", "--data-dir",
                          str(profile.session.profile_dir.parents[1]), "--profile", "t", "sync", "products", "--json"],
                         capture_output=True, text=True, timeout=120)
    outcome = json.loads(run.stdout)
    assert outcome["flow"] == "products" and outcome["calls"] == 2 and outcome["first"] is True
    # the seed has active items Exact refuses (HOSTING is not for sale): needs attention
    assert run.returncode == (1 if outcome["flags"] else 0), run.stderr
    assert all({"code", "problem", "used_by", "todo"} <= set(f) for f in outcome["flags"])
