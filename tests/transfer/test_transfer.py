"""Transfers against the sandbox over HTTP: the happy paths of both models, credit notes, statuses."""
from __future__ import annotations

from decimal import Decimal

from exact_tui.domain.invoice import InvoiceKind
from exact_tui.domain.transfer import TransferStatus

from .conftest import entries, hours, invoices_in_exact


async def test_a_linked_invoice_becomes_one_sales_entry_on_the_items_revenue_gl(profile, server):
    customer = profile.customer()
    invoice = profile.invoice(customer, hours("2.5", "100", "CONS"), hours("1", "80", "KM", vat="1",
                                                                            description="Kilometers"))
    service = profile.service()
    await service.start()
    report = await service.run(service.select(all=True))
    assert report.counts["transferred"] == 1, report.summary()
    booked = entries(server, invoice.number)
    assert len(booked) == 1
    lines = [l for l in server.world.table(786431, "salesentry/SalesEntryLines").rows.values()
             if l["EntryID"] == booked[0]["EntryID"]]
    gl = {g["ID"]: g["Code"] for g in server.world.table(786431, "financial/GLAccounts").rows.values()}
    assert sorted(gl[l["GLAccount"]] for l in lines) == ["8000", "8100"]  # CONS → 8000, KM → 8100
    assert sum(l["AmountFC"] for l in lines) == Decimal("330.00")
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.TRANSFERRED
    assert state.exact_id.lower() == booked[0]["EntryID"].lower()
    assert state.exact_number == str(booked[0]["EntryNumber"])
    assert profile.store.settings.get().first_transfer_at is not None  # the division is locked now
    again = await service.run(service.select(all=True))  # nothing left: nothing sent again
    assert again.total == 0 and len(entries(server, invoice.number)) == 1


async def test_a_credit_note_is_negative_in_exact(profile, server):
    customer = profile.customer()
    note = profile.invoice(customer, hours("2", "100", "CONS"), kind=InvoiceKind.CREDIT_NOTE)
    service = profile.service()
    await service.start()
    await service.run(service.select([note.number]))
    booked = entries(server, note.number)
    assert len(booked) == 1 and booked[0]["AmountFC"] < 0


async def test_sales_invoice_model_processes_and_stores_exacts_number(profile, server):
    profile.store.settings.update(transfer_model="invoices", invoice_drafts=False)
    customer = profile.customer()
    invoice = profile.invoice(customer, hours("3", "95", "CONS"))
    service = profile.service()
    await service.start()
    report = await service.run(service.select([invoice.number]))
    assert report.counts["transferred"] == 1, report.summary()
    [made] = invoices_in_exact(server, invoice.number)
    assert made["Status"] == 50 and made["InvoiceNumber"]
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.exact_number == str(made["InvoiceNumber"]) and not state.draft


async def test_sales_invoice_drafts_are_left_unprocessed_and_can_be_undone(profile, server):
    from exact_tui.services.transfer import undo

    profile.store.settings.update(transfer_model="invoices", invoice_drafts=True)
    customer = profile.customer()
    invoice = profile.invoice(customer, hours("1", "95", "CONS"))
    service = profile.service()
    await service.start()
    await service.run(service.select([invoice.number]))
    [made] = invoices_in_exact(server, invoice.number)
    assert made["Status"] != 50
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.TRANSFERRED and state.draft
    [result] = await undo(service, [invoice])
    assert result.undone, result.message
    assert invoices_in_exact(server, invoice.number) == []
    assert profile.store.invoice_transfers.get(invoice.id).status is TransferStatus.PENDING
