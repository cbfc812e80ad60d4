"""A whole client company scripted from connect to activate, then `exact-tui transfer --all`: the
sequence the README's "Scripting a client company" shows, run as subprocesses against the sandbox."""
from __future__ import annotations

import json

from .conftest import DIVISION


def entries_for(server, number: str) -> list[dict]:
    return [e for e in server.world.table(DIVISION, "salesentry/SalesEntries").rows.values()
            if e.get("YourRef") == number]


def test_a_client_company_from_connect_to_transferred_invoices(script, server, tmp_path):
    script.connect()
    script.import_local(tmp_path / "local")
    assert script.json("setup", check=1)["done"] is False
    script("setup", "division", str(DIVISION), check=0)
    script("setup", "journal", "71", check=0)
    script("setup", "model", "entries", check=0)
    script("setup", "maintenance", "auto", check=0)
    items = "CONS,CONS-SR,CONS-JR,PM,ARCH,DEV,DEV-SR,TEST,TRAIN,SUPPORT,ANALYSE,REIS-U,KM,REISK,HOTEL,PARK,MAALTIJD,DIV"
    products = script.json("setup", "products", "--import", "--activate", items, check=None)
    assert products["active"] == len(items.split(","))
    script("setup", "default", "expenses", "--item", "DIV", check=None)
    linked = script.json("link", "--accept", "one", "--use", "exact", check=None)
    assert linked["linked_now"] and all("blocked in Exact" in f["reason"] for f in linked["failed"])
    activated = script.json("setup", "activate", "--yes", check=None)
    assert activated["active"] is True
    checklist = script.json("setup", check=None)
    assert {s["key"]: s["done"] for s in checklist["steps"]}["activate"] is True
    done = script("transfer", "--all", "--json", check=None)
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    transferred = [r for r in result["invoices"] if r["status"] == "transferred"]
    assert len(transferred) >= 10, result["summary"]
    refused = [r for r in result["invoices"] if r["status"] == "refused"]
    exact_said_blocked = [r for r in refused if "exact account is blocked" in json.dumps(r).lower()
                          or "geblokkeerd: klant" in json.dumps(r).lower()]
    assert not exact_said_blocked, exact_said_blocked  # a blocked account stops in the pre-flight, no POST
    for row in transferred:
        assert len(entries_for(server, row["number"])) == 1, row["number"]  # one entry each in Exact
    listed = {r["number"]: r for r in script.json("transfers")}
    assert all(listed[r["number"]]["status"] == "transferred" for r in transferred)
