"""The sandbox saying no like Exact: ignored number hints, refused lookup filters, slow commits,
closed periods on undo. Each test switches one behaviour on and back off."""
from __future__ import annotations

import contextlib

import httpx

from exact_tui.domain.transfer import TransferStatus
from exact_tui.exact import ExactClient
from exact_tui.services.transfer import undo

from .conftest import DIVISION, TODAY, entries, hours, invoices_in_exact


@contextlib.contextmanager
def behave(server, **values):
    old = httpx.get(f"{server.base_url}/sandbox/behaviour").json()
    old = old.get("behaviour", old)
    httpx.post(f"{server.base_url}/sandbox/behaviour", json=values).raise_for_status()
    try:
        yield
    finally:
        httpx.post(f"{server.base_url}/sandbox/behaviour", json={k: old[k] for k in values}).raise_for_status()


async def _service(profile):
    service = profile.service()
    await service.start()
    return service


async def test_exact_ignoring_the_number_hint_after_a_lost_answer_still_books_once(profile, server):
    invoices = [profile.invoice(profile.customer(), hours()) for _ in range(2)]
    service = await _service(profile)
    with behave(server, entry_number_hint="ignore"), server.faults("drop-after-commit"):
        report = await service.run(invoices)
    assert report.counts["transferred"] == 2, report.summary()
    for invoice in invoices:
        [entry] = entries(server, invoice.number)
        assert str(entry["EntryNumber"]) != invoice.number  # Exact chose its own number
        assert profile.store.invoice_transfers.get(invoice.id).exact_number == str(entry["EntryNumber"])


async def test_sales_invoice_lookup_works_when_only_the_key_may_be_filtered(profile, server):
    profile.store.settings.update(transfer_model="invoices", invoice_drafts=False)
    invoices = [profile.invoice(profile.customer(), hours()) for _ in range(2)]
    service = await _service(profile)
    with behave(server, mandatory_filter="key-only"), server.faults("drop-after-commit:every=2"):
        report = await service.run(invoices)
    assert report.counts["transferred"] == 2, [profile.store.invoice_transfers.get(i.id) for i in invoices]
    assert service.client.last_route is None or service.client.last_route.endpoint.startswith("sync/")
    for invoice in invoices:
        [made] = invoices_in_exact(server, invoice.number)
        assert made["Status"] == 50
        assert profile.store.invoice_transfers.get(invoice.id).exact_number == str(made["InvoiceNumber"])


async def test_the_same_lookups_work_when_any_field_may_be_filtered(profile, server):
    profile.store.settings.update(transfer_model="invoices", invoice_drafts=True)
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    with behave(server, mandatory_filter="any-field"), server.faults("drop-after-commit"):
        report = await service.run([invoice])
    assert report.counts["transferred"] == 1, report.summary()
    assert service.client.last_route.endpoint == "salesinvoice/SalesInvoices" and not service.client.last_route.fallback
    assert len(invoices_in_exact(server, invoice.number)) == 1


async def test_a_commit_answered_after_the_clients_timeout_is_found_not_sent_again(profile, server):
    old = profile.session.client
    client = ExactClient(old.config, old.tokens, clock=old.clock, timeout=1.0)
    await client.open()
    profile.session.client = client
    invoice = profile.invoice(profile.customer(), hours())
    try:
        service = await _service(profile)
        with server.faults("slow-commit:ms=2500"):
            report = await service.run([invoice])
    finally:
        await client.aclose()
    assert report.counts["transferred"] == 1, report.summary()
    assert len(entries(server, invoice.number)) == 1
    attempts = profile.store.transfers.for_invoice(invoice.id)
    assert len(attempts) == 1 and "lost answer" in attempts[0].message


async def test_undo_in_a_period_closed_since_the_transfer_is_refused_with_the_credit_note_way(profile, server):
    invoice = profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    await service.run([invoice])
    period = next(p for p in server.world.table(DIVISION, "financial/FinancialPeriods").rows.values()
                  if p["FinYear"] == TODAY.year and p["FinPeriod"] == TODAY.month)
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/financial/FinancialPeriods/{period['ID']}"
    httpx.post(url, json={"Closed": True}).raise_for_status()
    try:
        [result] = await undo(service, [invoice])  # the facts read before the close: Exact says no
        assert not result.undone and "credit note" in result.todo.lower(), result
        assert len(entries(server, invoice.number)) == 1
        assert profile.store.invoice_transfers.get(invoice.id).status is TransferStatus.TRANSFERRED
    finally:
        httpx.post(url, json={"Closed": False}).raise_for_status()


async def test_undo_reads_the_chosen_journals_period_status(profile, server):
    """Exact closes a period per journal (read/financial/JournalStatusList): closed for another journal,
    the undo goes through; closed for the invoice's journal (as the facts read after it say), the
    entry stays, with no call."""
    from exact_tui.services.transfer.facts import read_facts

    kept, gone = profile.invoice(profile.customer(), hours()), profile.invoice(profile.customer(), hours())
    service = await _service(profile)
    await service.run([kept, gone])
    period = next(p for p in server.world.table(DIVISION, "financial/FinancialPeriods").rows.values()
                  if p["FinYear"] == TODAY.year and p["FinPeriod"] == TODAY.month)
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/financial/FinancialPeriods/{period['ID']}"
    other = "71" if service.journal != "71" else "70"
    httpx.post(url, json={"Closed": True, "Journal": other}).raise_for_status()
    try:
        service.facts = await read_facts(service.client, service.journal, refresh=True)
        [result] = await undo(service, [gone])
        assert result.undone, result
        assert entries(server, gone.number) == []
        httpx.post(url, json={"Closed": True, "Journal": service.journal}).raise_for_status()
        service.facts = await read_facts(service.client, service.journal, refresh=True)
        calls = service.client.calls
        [result] = await undo(service, [kept])
        assert not result.undone and "is closed in Exact" in result.message and service.client.calls == calls, result
        assert len(entries(server, kept.number)) == 1
    finally:
        httpx.post(url, json={"Closed": False}).raise_for_status()
