"""Undo, ignore, retry after a fix, the edited-after-transfer flag, and the journal repair after a crash."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import httpx

from exact_tui.domain.transfer import TransferOutcome, TransferRecord, TransferStatus
from exact_tui.services.transfer import undo

from .conftest import DIVISION, entries, hours, invoices_in_exact


async def _service(profile):
    service = profile.service()
    await service.start()
    return service


async def test_undo_deletes_the_entry_and_the_invoice_can_go_again(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    await service.run([invoice])
    [result] = await undo(service, [invoice])
    assert result.undone and entries(server, invoice.number) == []
    assert profile.store.invoice_transfers.get(invoice.id).status is TransferStatus.PENDING
    assert invoice.id in {i.id for i in service.select(all=True)}
    await service.run([invoice])
    assert len(entries(server, invoice.number)) == 1


async def test_undo_of_a_paid_entry_is_refused_with_the_credit_note_advice(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    await service.run([invoice])
    [entry] = entries(server, invoice.number)
    receivable = next(r for r in server.world.table(DIVISION, "cashflow/Receivables").rows.values()
                      if r["TransactionEntryID"] == entry["EntryID"])
    httpx.post(f"{server.base_url}/sandbox/divisions/{DIVISION}/receivables/{receivable['ID']}/pay",
               json={"matched": True}).raise_for_status()
    [result] = await undo(service, [invoice])
    assert not result.undone and "credit note" in result.todo
    assert len(entries(server, invoice.number)) == 1
    assert profile.store.invoice_transfers.get(invoice.id).status is TransferStatus.TRANSFERRED


async def test_undo_of_a_processed_sales_invoice_says_a_credit_note_is_the_way(profile, server):
    profile.store.settings.update(transfer_model="invoices", invoice_drafts=False)
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    await service.run([invoice])
    calls = service.client.calls
    [result] = await undo(service, [invoice])
    assert not result.undone and "processed" in result.message and "credit note" in result.todo
    assert service.client.calls == calls  # known without asking Exact
    assert len(invoices_in_exact(server, invoice.number)) == 1


async def test_ignored_invoices_stay_out_of_all_until_unignored(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    assert service.ignore([invoice]) == 1
    assert invoice.id not in {i.id for i in service.select(all=True)}
    await service.run(service.select(all=True))
    assert entries(server, invoice.number) == []
    service.ignore([invoice], on=False)
    await service.run(service.select(all=True))
    assert len(entries(server, invoice.number)) == 1


async def test_a_refused_invoice_is_explained_and_retried_after_the_fix(profile, server):
    customer = profile.customer()
    link = profile.store.links.get(customer.id)
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/crm/Accounts/{link.exact_id}"
    invoice = profile.invoice(customer, hours())
    service = await _service(profile)
    # blocked after the run read the accounts: the pre-flight could not know, so Exact refuses it
    httpx.post(url, json={"Blocked": True}).raise_for_status()
    try:
        await service.run([invoice])
        state = profile.store.invoice_transfers.get(invoice.id)
        assert state.status is TransferStatus.REFUSED and state.message and state.todo, state
        [attempt] = profile.store.transfers.for_invoice(invoice.id)
        assert attempt.outcome is TransferOutcome.REFUSED and attempt.detail and attempt.request.startswith("POST")
        assert invoice.id not in {i.id for i in service.select(all=True)}
        assert invoice.id in {i.id for i in service.select(retry_failed=True)}
    finally:
        httpx.post(url, json={"Blocked": False}).raise_for_status()
    await service.run(service.select(retry_failed=True, customer=customer.id))
    assert profile.store.invoice_transfers.get(invoice.id).status is TransferStatus.TRANSFERRED
    assert len(entries(server, invoice.number)) == 1


async def test_an_invoice_edited_after_its_transfer_is_flagged(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    await service.run([invoice])
    assert not next(r for r in service.rows() if r.invoice.id == invoice.id).edited
    line = dataclasses.replace(invoice.lines[0], unit_price=Decimal("120"))
    profile.store.invoices.put(dataclasses.replace(invoice, lines=[line]))
    row = next(r for r in service.rows() if r.invoice.id == invoice.id)
    assert row.edited and "edited locally" in row.message


async def test_a_booking_recorded_only_in_the_journal_is_repaired_on_start(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    record = profile.store.transfers.record(TransferRecord(invoice.id, invoice.number, action="post", model="entries",
                                                           your_ref=invoice.number))
    profile.store.transfers.finish(record, TransferOutcome.BOOKED, exact_entry_id="e1", exact_entry_number="70001")
    service = profile.service()
    repaired = await service.start()
    assert any(invoice.number in text for text in repaired)
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.TRANSFERRED and state.exact_number == "70001"
