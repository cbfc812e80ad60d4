"""Finding what a transfer booked, without leaning on what Exact may not do.

A lost answer is resolved by looking Exact up by the key we control and Exact keeps verbatim:
`YourRef` (= the local invoice number) within the journal, compared with the customer afterwards.
Never by the number hints we sent: Exact may ignore an `EntryNumber`/`InvoiceNumber` hint and
assign its own, and a lookup that needs every hint to match finds nothing and books twice.

The mandatory-filter field lists of Contacts, SalesInvoices and Receivables are not published,
so every lookup has a fallback that does not depend on them:

| what | first | fallback (when Exact refuses the filter with 400) |
|---|---|---|
| sales entries by YourRef | `salesentry/SalesEntries?$filter=YourRef eq … and Journal eq …` | `bulk/Cashflow/Receivables` by YourRef → `TransactionEntryID` → the entry by key |
| sales invoices by YourRef | `salesinvoice/SalesInvoices?$filter=YourRef eq …` | `sync/SalesInvoice/SalesInvoices` from a remembered Timestamp, compared here |
| is the entry still there | `salesentry/SalesEntries(guid'…')` (404 = deleted) | — (a deleted entry is only deleted TransactionLines in `sync/Deleted`) |
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import NotFound, ValidationError
from .odata import guid_literal, string_literal
from .records import Receivable, SalesEntry, SalesInvoice

SALES_INVOICES = "salesinvoice/SalesInvoices"
SALES_ENTRIES = "salesentry/SalesEntries"
SYNC_SALES_INVOICES = "sync/SalesInvoice/SalesInvoices"
RECEIVABLES = "bulk/Cashflow/Receivables"
ID_CHUNK = 40  # InvoiceID eq guid'…' clauses per call: ~2,400 characters, well under the URL cap


def filter_refused(exc: ValidationError) -> bool:
    """Exact refused the `$filter` itself (mandatory filtering, an unknown or unfilterable field)."""
    if exc.status != 400:
        return False
    text = (exc.text or "").lower()
    return any(word in text for word in ("filter", "mandatory", "property", "field", "verplicht"))


@dataclass(slots=True)
class LookupRoute:
    """Which way a lookup went, for the timeline ("by YourRef on SalesEntries" / "via Receivables")."""

    endpoint: str
    fallback: bool = False
    calls: int = 0


class TransferLookups:
    """Mixin of `ExactClient`: the transfer's lookups and their fallbacks."""

    _sync_invoice_stamp: int | None = None
    _sync_invoices: dict[str, SalesInvoice] | None = None  # InvoiceID -> row, from the sync fallback
    last_route: LookupRoute | None = None

    async def entries_by_ref(self, your_ref: str, *, journal: str | None = None) -> list[SalesEntry]:
        """Sales entries whose YourRef is `your_ref` (in `journal`), whatever EntryNumber Exact gave them."""
        before = self.calls  # type: ignore[attr-defined]
        clause = f"YourRef eq {string_literal(your_ref)}"
        if journal:
            clause += f" and Journal eq {string_literal(journal)}"
        try:
            found = await self.list_records(SalesEntry, SALES_ENTRIES, filter=clause)  # type: ignore[attr-defined]
            self.last_route = LookupRoute(SALES_ENTRIES, False, self.calls - before)  # type: ignore[attr-defined]
        except ValidationError as exc:
            if not filter_refused(exc):
                raise
            found = await self._entries_via_receivables(your_ref, journal)
            self.last_route = LookupRoute(RECEIVABLES, True, self.calls - before)  # type: ignore[attr-defined]
        return [e for e in found if (e.your_ref or "") == your_ref and (not journal or (e.journal or journal) == journal)]

    async def _entries_via_receivables(self, your_ref: str, journal: str | None) -> list[SalesEntry]:
        """Every booked sales entry has a receivable carrying its YourRef and its EntryID."""
        rows = await self.list_records(Receivable, RECEIVABLES,  # type: ignore[attr-defined]
                                       filter=f"YourRef eq {string_literal(your_ref)}")
        out: list[SalesEntry] = []
        for entry_id in dict.fromkeys(r.entry_id for r in rows if r.entry_id):
            try:
                out.append(await self.sales_entry(entry_id))  # type: ignore[attr-defined]
            except NotFound:
                continue
        return out

    async def invoices_by_ref(self, your_ref: str, *, journal: str | None = None) -> list[SalesInvoice]:
        """Sales invoices whose YourRef is `your_ref` (drafts and processed ones)."""
        before = self.calls  # type: ignore[attr-defined]
        try:
            found = await self.list_records(SalesInvoice, SALES_INVOICES,  # type: ignore[attr-defined]
                                            filter=f"YourRef eq {string_literal(your_ref)}")
            self.last_route = LookupRoute(SALES_INVOICES, False, self.calls - before)  # type: ignore[attr-defined]
        except ValidationError as exc:
            if not filter_refused(exc):
                raise
            found = await self._invoices_via_sync(your_ref)
            self.last_route = LookupRoute(SYNC_SALES_INVOICES, True, self.calls - before)  # type: ignore[attr-defined]
        return [i for i in found if (i.your_ref or "") == your_ref and (not journal or (i.journal or journal) == journal)]

    async def _invoices_via_sync(self, your_ref: str) -> list[SalesInvoice]:
        """`sync/` filters on Timestamp only: read from the last stamp seen and compare here.

        The first fallback in a process reads the whole list (1,000 a call); later ones only what
        changed since, so resolving many lost answers in one run stays cheap.
        """
        if self._sync_invoices is None:
            self._sync_invoices, self._sync_invoice_stamp = {}, None
        result = await self.sync(SalesInvoice, SYNC_SALES_INVOICES, self._sync_invoice_stamp)  # type: ignore[attr-defined]
        for row in result.rows:
            if row.invoice_id:
                self._sync_invoices[row.invoice_id.lower()] = row
        if result.timestamp is not None:
            self._sync_invoice_stamp = result.timestamp
        return [i for i in self._sync_invoices.values() if (i.your_ref or "") == your_ref]

    async def invoice_numbers(self, invoice_ids: Sequence[str]) -> dict[str, SalesInvoice]:
        """InvoiceNumber and Status of many invoices, ~40 per call; per key when the filter is refused."""
        out: dict[str, SalesInvoice] = {}
        ids = list(dict.fromkeys(i for i in invoice_ids if i))
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start:start + ID_CHUNK]
            clause = "(" + " or ".join(f"InvoiceID eq {guid_literal(i)}" for i in chunk) + ")"
            try:
                rows = await self.list_records(SalesInvoice, SALES_INVOICES, filter=clause,  # type: ignore[attr-defined]
                                               select="InvoiceID,InvoiceNumber,Status,Journal,YourRef")
            except ValidationError as exc:
                if not filter_refused(exc):
                    raise
                rows = []
                for invoice_id in chunk:
                    try:
                        rows.append(await self.sales_invoice(invoice_id))  # type: ignore[attr-defined]
                    except NotFound:
                        continue
            for row in rows:
                if row.invoice_id:
                    out[row.invoice_id.lower()] = row
        return out

    async def entry_exists(self, entry_id: str) -> bool:
        """Whether a sales entry is still in Exact (`sync/Deleted` has no entity type for entries)."""
        try:
            await self.get_one(f"{SALES_ENTRIES}({guid_literal(entry_id)})", {"$select": "EntryID"})  # type: ignore[attr-defined]
        except NotFound:
            return False
        return True

    async def invoice_exists(self, invoice_id: str) -> SalesInvoice | None:
        try:
            return await self.sales_invoice(invoice_id)  # type: ignore[attr-defined]
        except NotFound:
            return None
