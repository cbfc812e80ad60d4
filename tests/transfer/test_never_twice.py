"""Never twice, never lost: lost answers, ignored number hints, duplicates, crashes, lookup fallbacks."""
from __future__ import annotations

import json
from decimal import Decimal

import httpx

from exact_tui.domain.transfer import TransferOutcome, TransferRecord, TransferStatus
from exact_tui.exact import ExactClient
from exact_tui.exact.records import SalesEntry, SalesEntryLine

from .conftest import DIVISION, entries, hours, invoices_in_exact


async def _service(profile, **kw):
    service = profile.service(**kw)
    await service.start()
    return service


async def test_a_lost_answer_is_looked_up_and_never_booked_twice(profile, server):
    invoices = [profile.invoice(profile.customer(), hours()) for _ in range(3)]
    service = await _service(profile)
    with server.faults("drop-after-commit"):
        report = await service.run(invoices)
    assert report.counts["transferred"] == 3, report.summary()
    for invoice in invoices:
        assert len(entries(server, invoice.number)) == 1
        attempts = profile.store.transfers.for_invoice(invoice.id)
        assert [a.outcome for a in attempts] == [TransferOutcome.BOOKED]
        assert "found in Exact after a lost answer" in attempts[0].message


async def _booked_behind_our_back(profile, server, invoice, customer_id: str, entry_number: int) -> SalesEntry:
    """An entry Exact booked under its own EntryNumber (the hint ignored), as after a lost answer."""
    service = await _service(profile)
    pre = service.preflight(invoice)
    gl = pre.lines[0].gl_id
    return await service.client.create_sales_entry(SalesEntry(
        journal="70", customer=customer_id, your_ref=invoice.number, entry_number=entry_number,
        lines=[SalesEntryLine(gl_account=gl, amount_fc=Decimal("250.00"), vat_code="1")]))


async def _crash_record(profile, invoice, customer_id: str) -> TransferRecord:
    """What a kill -9 after the journal record and before the answer leaves behind."""
    return profile.store.transfers.record(TransferRecord(
        invoice_id=invoice.id, invoice_number=invoice.number, action="post", model="entries",
        your_ref=invoice.number, customer_exact_id=customer_id))


async def test_the_lookup_does_not_need_the_number_hint_exact_may_ignore(profile, server):
    customer = profile.customer()
    link = profile.store.links.get(customer.id)
    invoice = profile.invoice(customer, hours())
    await _crash_record(profile, invoice, link.exact_id)
    made = await _booked_behind_our_back(profile, server, invoice, link.exact_id, 7_654_321)  # not our number
    service = await _service(profile)
    report = await service.run([invoice])
    assert report.counts["transferred"] == 1, report.summary()
    assert len(entries(server, invoice.number)) == 1
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.exact_number == "7654321" and state.exact_id.lower() == made.entry_id.lower()


async def test_a_crash_before_exact_had_it_sends_it_once(profile, server):
    customer = profile.customer()
    invoice = profile.invoice(customer, hours())
    await _crash_record(profile, invoice, profile.store.links.get(customer.id).exact_id)
    service = await _service(profile)
    report = await service.run([invoice])
    assert report.counts["transferred"] == 1
    assert len(entries(server, invoice.number)) == 1
    outcomes = [a.outcome for a in profile.store.transfers.for_invoice(invoice.id)]
    assert outcomes == [TransferOutcome.FAILED, TransferOutcome.BOOKED]  # looked up: absent; then sent


async def test_two_bookings_under_one_yourref_are_reported_as_a_duplicate(profile, server):
    customer = profile.customer()
    exact_id = profile.store.links.get(customer.id).exact_id
    invoice = profile.invoice(customer, hours())
    await _crash_record(profile, invoice, exact_id)
    await _booked_behind_our_back(profile, server, invoice, exact_id, 7_654_400)
    await _booked_behind_our_back(profile, server, invoice, exact_id, 7_654_401)
    service = await _service(profile)
    await service.run([invoice])
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.UNKNOWN and "duplicate" in state.message
    assert "7654400" in state.message and "7654401" in state.message
    assert len(entries(server, invoice.number)) == 2  # nothing more sent


class RefusingFilters(httpx.AsyncBaseTransport):
    """Exact refusing a `$filter` on a field outside its (unpublished) mandatory-filter list."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.paths = paths
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        query = request.url.params.get("$filter", "")
        if request.method == "GET" and request.url.path.endswith(self.paths) and "YourRef" in query:
            self.refused += 1
            body = {"error": {"code": "", "message": {"lang": "", "value": (
                "This endpoint has mandatory filtering applied. A GET request for this endpoint must have a "
                "$filter parameter with one of the following fields in the url: ID, Modified")}}}
            return httpx.Response(400, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        return await self.inner.handle_async_request(request)


async def _with_transport(profile, transport) -> ExactClient:
    old = profile.session.client
    client = ExactClient(old.config, old.tokens, clock=old.clock, transport=transport)
    await client.open()
    profile.session.client = client
    return client


async def test_entry_lookup_falls_back_to_receivables_when_the_filter_is_refused(profile, server):
    customer = profile.customer()
    exact_id = profile.store.links.get(customer.id).exact_id
    invoice = profile.invoice(customer, hours())
    await _crash_record(profile, invoice, exact_id)
    await _booked_behind_our_back(profile, server, invoice, exact_id, 7_654_500)
    transport = RefusingFilters(("salesentry/SalesEntries",))
    client = await _with_transport(profile, transport)
    try:
        service = await _service(profile)
        report = await service.run([invoice])
    finally:
        await client.aclose()
    assert transport.refused == 1
    assert client.last_route.fallback and "Receivables" in client.last_route.endpoint
    assert report.counts["transferred"] == 1 and len(entries(server, invoice.number)) == 1
    assert profile.store.invoice_transfers.get(invoice.id).exact_number == "7654500"


async def test_invoice_lookup_falls_back_to_sync_when_the_filter_is_refused(profile, server):
    profile.store.settings.update(transfer_model="invoices", invoice_drafts=True)
    invoices = [profile.invoice(profile.customer(), hours()) for _ in range(2)]
    transport = RefusingFilters(("salesinvoice/SalesInvoices",))
    client = await _with_transport(profile, transport)
    try:
        service = await _service(profile)
        with server.faults("drop-after-commit"):
            report = await service.run(invoices)
    finally:
        await client.aclose()
    assert transport.refused >= 2 and client.last_route.fallback and client.last_route.endpoint.startswith("sync/")
    assert report.counts["transferred"] == 2, report.summary()
    for invoice in invoices:
        assert len(invoices_in_exact(server, invoice.number)) == 1


async def test_the_journal_record_is_on_disk_before_the_post(profile, server):
    """The PENDING record is fsynced before Exact hears of the invoice: seen from the server side."""
    customer = profile.customer()
    invoice = profile.invoice(customer, hours())
    seen: list[list[str]] = []

    class Spy(httpx.AsyncBaseTransport):
        inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request):
            if request.method == "POST" and request.url.path.endswith("SalesEntries"):
                lines = (profile.store.folder / "transfers.jsonl").read_text().splitlines()
                seen.append([json.loads(line).get("outcome", "pending") for line in lines
                             if json.loads(line).get("invoice_id") == invoice.id])
            return await self.inner.handle_async_request(request)

    client = await _with_transport(profile, Spy())
    try:
        service = await _service(profile)
        await service.run([invoice])
    finally:
        await client.aclose()
    assert seen == [["pending"]]


async def test_a_deleted_sales_entry_is_detected_by_asking_for_it(profile, server):
    customer = profile.customer()
    invoice = profile.invoice(customer, hours())
    service = await _service(profile)
    await service.run([invoice])
    state = profile.store.invoice_transfers.get(invoice.id)
    assert await service.client.entry_exists(state.exact_id)
    httpx.delete(f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/salesentry/SalesEntries/{state.exact_id}"
                 ).raise_for_status()
    assert not await service.client.entry_exists(state.exact_id)
    deleted = await service.client.sync_deleted(None)
    from exact_tui.exact.records import DeletedRecord

    assert not any(r.entity_key and r.entity_key.lower() == state.exact_id.lower() and
                   r.entity_type == DeletedRecord.SALES_INVOICE for r in deleted.rows)
