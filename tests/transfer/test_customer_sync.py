"""Customers ← and → against the sandbox over HTTP: per link's master, the linking merge rule, new Exact
customers proposed and never merged."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import httpx

from exact_tui.domain.link import DataSource, Link, MaintenanceMode
from exact_tui.exact.records import Account
from exact_tui.services.customer_sync import sync_customers

from .conftest import DIVISION, exact_customers


def account(server, exact_id: str) -> dict:
    return server.world.table(DIVISION, "crm/Accounts").get(exact_id.lower()) or \
        server.world.table(DIVISION, "crm/Accounts").get(exact_id)


def change(server, exact_id: str, **fields) -> None:
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/crm/Accounts/{exact_id}"
    answer = httpx.post(url, json=fields)
    assert answer.status_code == 200, answer.text


async def test_customer_sync_per_master_with_the_merge_rule_and_new_ones_proposed(profile, server):
    store, client = profile.store, profile.session.client
    x, y = exact_customers(server)[0], exact_customers(server)[1]
    exact_side = profile.customer(linked=False, email="boekhouding@lokaal.nl")
    local_side = profile.customer(linked=False, name="Lokaal Meester BV", city="Zwolle", phone="")
    now = dt.datetime.now(dt.timezone.utc)
    store.links.put(Link(exact_side.id, x["ID"], x["Code"].strip(), "test", now, DataSource.EXACT))
    store.links.put(Link(local_side.id, y["ID"], y["Code"].strip(), "test", now, DataSource.LOCAL))
    y_phone = account(server, y["ID"]).get("Phone")
    # a linked contact on each: Exact's fills the local one (x); the local one goes to Exact (y)
    from exact_tui.domain.customer import LocalContact
    from exact_tui.domain.decisions import ContactLink
    from exact_tui.exact.records import Contact

    ex = await client.create_contact(Contact(account=x["ID"], first_name="Ans", last_name="Smit",
                                             email="ans@exact.example", phone="030-1234567"))
    ey = await client.create_contact(Contact(account=y["ID"], first_name="Piet", last_name="Jong",
                                             email="piet@exact.example", phone="010-7654321"))
    store.contacts.put_many([LocalContact("p-x", exact_side.id, "Ans", "Smit", "", ""),
                             LocalContact("p-y", local_side.id, "Piet", "de Jong", "piet@lokaal.nl", "")])
    store.contact_links.link(ContactLink(local_id="p-x", exact_id=ex.id, customer_id=exact_side.id, account_id=x["ID"]))
    store.contact_links.link(ContactLink(local_id="p-y", exact_id=ey.id, customer_id=local_side.id, account_id=y["ID"]))
    first = await sync_customers(store, client)
    assert not first.failed
    # Exact is master for x: the local customer takes Exact's name and city
    local = store.customers.get(exact_side.id)
    assert local.name == x["Name"] and first.local_updated
    assert local.email == (x.get("Email") or "boekhouding@lokaal.nl")  # an empty Exact field never wipes
    # the local side is master for y: Exact gets the local name and city, not the empty phone
    row = account(server, y["ID"])
    assert row["Name"] == "Lokaal Meester BV" and row["City"] == "Zwolle" and row.get("Phone") == y_phone
    assert y["Code"].strip() in first.exact_updated and "Code" not in first.exact_updated[y["Code"].strip()]
    # every unlinked Exact customer is proposed for linking (first pull), none is merged or linked
    assert first.how_proposed == "link" and len(first.proposed) >= len(exact_customers(server)) - 2
    assert not {p["exact_id"].lower() for p in first.proposed} & {x["ID"].lower(), y["ID"].lower()}
    assert len(store.links.all()) == 2
    assert store.contacts.get("p-x").email == "ans@exact.example" and store.contacts.get("p-x").phone == "030-1234567"
    person = server.world.table(DIVISION, "crm/Contacts").get(ey.id.lower()) or \
        server.world.table(DIVISION, "crm/Contacts").get(ey.id)
    assert person["LastName"] == "de Jong" and person["Email"] == "piet@lokaal.nl"
    assert person["Phone"] == "010-7654321"  # the empty local phone never overwrites Exact's
    # nothing changed: the accounts, sync/Deleted and the contacts, one call each; no PUT
    quiet = await sync_customers(store, client)
    assert quiet.calls == 3 and not quiet.local_updated and not quiet.exact_updated and not quiet.proposed
    assert not quiet.contacts_local and not quiet.contacts_exact
    # Exact changes x's city and empties its e-mail; someone renames y in Exact; a new customer appears
    change(server, x["ID"], City="Maastricht", Email=None)
    change(server, y["ID"], Name="Hernoemd In Exact")
    store.settings.update(maintenance_mode=MaintenanceMode.CREATED_IN_EXACT)
    new = await client.create_account(Account(name="Nieuw In Exact BV", code="778899", status="C", country="NL"))
    third = await sync_customers(store, client)
    assert store.customers.get(exact_side.id).city == "Maastricht"
    assert store.customers.get(exact_side.id).email == local.email  # kept: Exact's empty e-mail wipes nothing
    assert account(server, y["ID"])["Name"] == "Lokaal Meester BV"  # the local side is master for y
    assert [p["exact_id"].lower() for p in third.proposed] == [new.id.lower()]
    assert third.how_proposed == "import to local"  # customers are created in Exact (step 5)
    assert not store.links.by_exact(new.id) and third.calls == 4  # accounts, sync/Deleted, contacts, one PUT


async def test_sync_customers_headless(profile, server):
    profile.customer()
    profile.session.close_store()
    run = subprocess.run([sys.executable, "-m", "exact_tui", "--data-dir",
                          str(profile.session.profile_dir.parents[1]), "--profile", "t", "sync", "customers", "--json"],
                         capture_output=True, text=True, timeout=120)
    outcome = json.loads(run.stdout)
    assert outcome["flow"] == "customers" and outcome["proposed"] and run.returncode == 1, run.stderr
