"""Customers per maintenance mode: found and linked, created with its number and contact, blocked."""
from __future__ import annotations

import httpx

from exact_tui.domain.customer import LocalContact
from exact_tui.domain.link import MaintenanceMode
from exact_tui.domain.transfer import TransferStatus

from .conftest import DIVISION, entries, exact_customers, hours


def _accounts(server, code: str) -> list[dict]:
    return [a for a in server.world.table(DIVISION, "crm/Accounts").rows.values() if (a.get("Code") or "").strip() == code]


async def _run(profile, *invoices):
    service = profile.service()
    await service.start()
    return service, await service.run(list(invoices))


async def test_an_unlinked_customer_found_by_vat_number_is_linked_not_created(profile, server):
    account = next(a for a in exact_customers(server) if a.get("VATNumber"))
    customer = profile.customer(linked=False, name="Anders Gespeld", vat=account["VATNumber"].lower().replace("nl", "NL "))
    invoice = profile.invoice(customer, hours())
    before = len(server.world.table(DIVISION, "crm/Accounts").rows)
    _, report = await _run(profile, invoice)
    assert report.counts["transferred"] == 1, report.summary()
    assert profile.store.links.get(customer.id).exact_id == account["ID"]
    assert len(server.world.table(DIVISION, "crm/Accounts").rows) == before
    assert entries(server, invoice.number)[0]["Customer"] == account["ID"]


async def test_a_new_customer_is_created_with_its_number_and_first_contact(profile, server):
    customer = profile.customer(linked=False, number="777001", name="Nieuw Bedrijf BV", email="info@nieuw.nl")
    profile.store.contacts.put(LocalContact("p-1", customer.id, "Anna", "de Wit", "anna@nieuw.nl"))
    invoice = profile.invoice(customer, hours())
    _, report = await _run(profile, invoice)
    assert report.counts["transferred"] == 1, report.summary()
    [account] = _accounts(server, "777001")
    assert account["Status"] == "C" and account["Name"] == "Nieuw Bedrijf BV"
    contacts = [c for c in server.world.table(DIVISION, "crm/Contacts").rows.values() if c["Account"] == account["ID"]]
    assert [c["LastName"] for c in contacts] == ["de Wit"]
    assert profile.store.links.get(customer.id).exact_code == "777001"
    assert profile.store.contact_links.get("p-1").exact_id == contacts[0]["ID"]


async def test_a_customer_without_number_gets_the_next_free_one(profile, server):
    customer = profile.customer(linked=False, number="", name="Zonder Nummer BV")
    invoice = profile.invoice(customer, hours())
    _, report = await _run(profile, invoice)
    assert report.counts["transferred"] == 1, report.summary()
    number = profile.store.customers.get(customer.id).number
    assert number.isdigit() and _accounts(server, number)


async def test_several_candidates_block_with_the_candidates_named(profile, server):
    one, two = [a for a in exact_customers(server) if a.get("VATNumber")][:2]
    customer = profile.customer(linked=False, number=one["Code"].strip(), vat=two["VATNumber"])
    invoice = profile.invoice(customer, hours())
    await _run(profile, invoice)
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.BLOCKED
    assert one["Code"].strip() in state.message and two["Code"].strip() in state.message
    assert entries(server, invoice.number) == []


async def test_manual_and_exact_first_modes_block_an_unlinked_customer_with_where_to_link(profile, server):
    for mode in (MaintenanceMode.MANUAL, MaintenanceMode.CREATED_IN_EXACT):
        profile.store.settings.update(maintenance_mode=mode)
        customer = profile.customer(linked=False, number="777555")
        invoice = profile.invoice(customer, hours())
        await _run(profile, invoice)
        state = profile.store.invoice_transfers.get(invoice.id)
        assert state.status is TransferStatus.BLOCKED and "not linked" in state.message
        assert "Link customers" in state.todo
    assert _accounts(server, "777555") == []


async def test_a_number_exact_cannot_take_blocks_creation(profile, server):
    customer = profile.customer(linked=False, number="C-12")
    invoice = profile.invoice(customer, hours())
    await _run(profile, invoice)
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.BLOCKED and "digits only" in state.message


async def test_a_linked_account_deleted_in_exact_blocks(profile, server):
    victim = profile.customer(linked=False, number="777900", name="Verdwijnt BV")
    first = profile.invoice(victim, hours())
    await _run(profile, first)  # creates and links 777900
    [account] = _accounts(server, "777900")
    httpx.delete(f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/crm/Accounts/{account['ID']}").raise_for_status()
    second = profile.invoice(victim, hours())
    await _run(profile, second)
    state = profile.store.invoice_transfers.get(second.id)
    assert state.status is TransferStatus.BLOCKED and "deleted" in state.message, state
