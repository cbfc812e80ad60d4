"""`ExactClient`: the typed calls the services use, on top of `ExactTransport`'s rules.

    async with ExactClient(config, TokenStore.for_profile(path), observer=log_call) as exact:
        me = await exact.me()
        pulled = await exact.sync_accounts(since=stored_timestamp)   # only what changed
        entry = await exact.create_sales_entry(draft)                # OutcomeUnknown → exact.resolve(err)

Pulls go through `bulk/` (1,000 rows a call) or `sync/` (1,000 rows a call, ordered by
`Timestamp`) with `$select`; codes in `$filter` are sent padded, codes in records come back
stripped. Every create says how to find its record again, so a dropped answer becomes an
`OutcomeUnknown` the caller can `resolve()` instead of a duplicate.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from .errors import ExactError, OutcomeUnknown, ValidationError
from .odata import code_literal, guid_literal, string_literal
from .lookups import TransferLookups, filter_refused
from .records import (Account, Contact, DeletedRecord, Division, FinancialPeriod, GLAccount, Item, Journal,
                      JournalStatus, Me, OpenReceivable, PaymentCondition, Receivable, Record, SalesEntry,
                      SalesInvoice, SyncResult, VATCode)
from .tokens import ConnectionOwner
from .transport import ExactTransport

R = TypeVar("R", bound=Record)

ACCOUNTS = "crm/Accounts"
CONTACTS = "crm/Contacts"
SALES_INVOICES = "salesinvoice/SalesInvoices"
SALES_ENTRIES = "salesentry/SalesEntries"


def _and(*clauses: str | None) -> str | None:
    parts = [c for c in clauses if c]
    return " and ".join(parts) if parts else None


MAX_FILTER_CHARS = 2500  # URL-encoded this stays well under Exact's 6,000-character URL limit


def _or_chunks(field: str, literals: Sequence[str], limit: int = MAX_FILTER_CHARS) -> list[str]:
    """`(F eq a or F eq b …)` clauses, each short enough for one URL."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for literal in literals:
        clause = f"{field} eq {literal}"
        if current and size + len(clause) + 4 > limit:
            chunks.append("(" + " or ".join(current) + ")")
            current, size = [], 0
        current.append(clause)
        size += len(clause) + 4
    if current:
        chunks.append("(" + " or ".join(current) + ")")
    return chunks


def _params(select: str, filter: str | None = None, top: int | None = None, orderby: str | None = None) -> dict[str, str]:
    params = {"$select": select}
    if filter:
        params["$filter"] = filter
    if top is not None:
        params["$top"] = str(top)
    if orderby:
        params["$orderby"] = orderby
    return params


class ExactClient(TransferLookups, ExactTransport):
    """Typed Exact Online calls. See `ExactTransport` for limits, retries and errors."""

    # -- generic typed reads --------------------------------------------------------------------
    async def list_records(self, record: type[R], path: str, *, filter: str | None = None, top: int | None = None,
                   orderby: str | None = None, select: str | None = None) -> list[R]:
        rows = await self.get_all(path, _params(select or record.select(), filter, top, orderby))
        return [record.from_exact(row) for row in rows]

    async def iter_records(self, record: type[R], path: str, *, filter: str | None = None,
                           select: str | None = None) -> AsyncIterator[list[R]]:
        """Page by page, for progress bars on big pulls."""
        async for rows in self.iter_pages(path, _params(select or record.select(), filter)):
            yield [record.from_exact(row) for row in rows]

    async def sync(self, record: type[R], path: str, since: int | None = None, *,
                   select: str | None = None) -> SyncResult[R]:
        """Rows changed after `since` (a Timestamp from an earlier sync) and the new highest Timestamp."""
        fields = select or record.select()
        if "Timestamp" not in fields.split(","):
            fields += ",Timestamp"
        filter = f"Timestamp gt {int(since)}" if since is not None else "Timestamp gt 1"
        rows = await self.get_all(path, _params(fields, filter))
        highest = since
        out: list[R] = []
        for row in rows:
            stamp = row.get("Timestamp")
            if stamp is not None:
                stamp = int(stamp)
                highest = stamp if highest is None else max(highest, stamp)
            item = record.from_exact(row)
            if hasattr(item, "timestamp"):
                item.timestamp = stamp  # type: ignore[attr-defined]
            out.append(item)
        return SyncResult(out, highest)

    # -- who and where --------------------------------------------------------------------------
    async def me(self) -> Me:
        """The Exact user the connection belongs to (also remembered next to the tokens)."""
        me = Me.from_exact(await self.get_one("current/Me"))
        if self.config.division is None and me.current_division is not None:
            self.config.division = me.current_division
        await self.auth.remember_owner(ConnectionOwner(me.user_id, me.user_name, me.full_name, me.email,
                                                       me.language, me.current_division))
        return me

    async def divisions(self) -> list[Division]:
        """Divisions the user may use (`system/Divisions` needs a division in the path: the current one)."""
        if self.config.division is None:
            await self.me()
        return sorted(await self.list_records(Division, "system/Divisions"), key=lambda d: d.code)

    # -- accounts -------------------------------------------------------------------------------
    async def accounts(self, *, filter: str | None = None, customers_only: bool = False) -> list[Account]:
        """All accounts via `bulk/CRM/Accounts` (1,000 per call)."""
        return await self.list_records(Account, "bulk/CRM/Accounts",
                               filter=_and(filter, "Status eq 'C'" if customers_only else None))

    def iter_accounts(self, *, filter: str | None = None) -> AsyncIterator[list[Account]]:
        return self.iter_records(Account, "bulk/CRM/Accounts", filter=filter)

    async def sync_accounts(self, since: int | None = None) -> SyncResult[Account]:
        return await self.sync(Account, "sync/CRM/Accounts", since)

    async def account(self, account_id: str) -> Account:
        return Account.from_exact(await self.get_one(f"{ACCOUNTS}({guid_literal(account_id)})",
                                                     {"$select": Account.select()}))

    async def find_accounts_by_code(self, code: str) -> list[Account]:
        """Accounts with this code (sent padded to 18 characters, or Exact finds nothing)."""
        return await self.list_records(Account, ACCOUNTS, filter=f"Code eq {code_literal(code)}")

    async def create_account(self, account: Account) -> Account:
        payload = account.to_exact()
        lookup = {"Code": account.code} if account.code else {"Name": account.name}
        created = await self.post(ACCOUNTS, payload, entity="account", lookup=lookup)
        return _merge(account, Account.from_exact(created))

    async def update_account(self, account_id: str, changes: Account | Mapping[str, Any]) -> None:
        """PUT the given fields. `Code` is never sent: Exact may refuse even an unchanged code."""
        body = changes.to_exact(exclude=frozenset({"Code"})) if isinstance(changes, Account) else \
            {k: v for k, v in changes.items() if k != "Code"}
        if body:
            await self.put(f"{ACCOUNTS}({guid_literal(account_id)})", body)

    # -- contacts -------------------------------------------------------------------------------
    async def contacts(self, *, account: str | None = None) -> list[Contact]:
        return await self.list_records(Contact, "bulk/CRM/Contacts",
                               filter=f"Account eq {guid_literal(account)}" if account else None)

    async def sync_contacts(self, since: int | None = None) -> SyncResult[Contact]:
        return await self.sync(Contact, "sync/CRM/Contacts", since)

    async def update_contact(self, contact_id: str, changes: Mapping[str, Any]) -> None:
        """PUT the given fields of a contact (Exact field names)."""
        body = {k: v for k, v in changes.items() if k not in ("ID", "Account")}
        if body:
            await self.put(f"{CONTACTS}({guid_literal(contact_id)})", body)

    async def create_contact(self, contact: Contact) -> Contact:
        lookup = {"Account": contact.account, "Email": contact.email, "LastName": contact.last_name}
        created = await self.post(CONTACTS, contact.to_exact(), entity="contact", lookup=lookup)
        return _merge(contact, Contact.from_exact(created))

    async def find_contacts(self, *, account: str, email: str = "", last_name: str = "") -> list[Contact]:
        filter = _and(f"Account eq {guid_literal(account)}",
                      f"Email eq {string_literal(email)}" if email else None,
                      f"LastName eq {string_literal(last_name)}" if last_name else None)
        try:
            return await self.list_records(Contact, CONTACTS, filter=filter)
        except ValidationError as exc:
            if not filter_refused(exc):
                raise
        # Contacts' mandatory-filter fields are not published: the bulk list takes any filter
        found = await self.list_records(Contact, "bulk/CRM/Contacts", filter=f"Account eq {guid_literal(account)}")
        return [c for c in found if (not email or c.email.lower() == email.lower())
                and (not last_name or c.last_name.lower() == last_name.lower())]

    # -- master data ----------------------------------------------------------------------------
    async def items(self, *, filter: str | None = None) -> list[Item]:
        return await self.list_records(Item, "bulk/Logistics/Items", filter=filter)

    async def journals(self, *, sales_only: bool = False) -> list[Journal]:
        return await self.list_records(Journal, "financial/Journals", filter="Type eq 20" if sales_only else None)

    async def gl_accounts(self) -> list[GLAccount]:
        return await self.list_records(GLAccount, "financial/GLAccounts")

    async def vat_codes(self) -> list[VATCode]:
        return await self.list_records(VATCode, "vat/VATCodes")

    async def financial_periods(self, journal: str | None = None) -> list[FinancialPeriod]:
        """The period-date table (fiscal years and their periods). With `journal`, each period's `closed`
        comes from that journal's status in `read/financial/JournalStatusList` (one more call):
        FinancialPeriods itself has no closed property."""
        periods = await self.list_records(FinancialPeriod, "financial/FinancialPeriods")
        if journal:
            statuses = await self.list_records(JournalStatus, "read/financial/JournalStatusList",
                                               filter=f"Journal eq {string_literal(str(journal).strip())}")
            closed = {(s.year, s.period): s.closed for s in statuses}
            for period in periods:
                period.closed = closed.get((period.year, period.period))
        return periods

    async def payment_conditions(self) -> list[PaymentCondition]:
        return await self.list_records(PaymentCondition, "cashflow/PaymentConditions")

    # -- sales invoices (invoicing module) ------------------------------------------------------
    async def create_sales_invoice(self, invoice: SalesInvoice) -> SalesInvoice:
        if not invoice.your_ref:
            raise ExactError("a sales invoice needs a YourRef (the local invoice number) so a lost answer can be looked up")
        lookup = {"YourRef": invoice.your_ref, "OrderedBy": invoice.ordered_by, "Journal": invoice.journal}
        created = await self.post(SALES_INVOICES, invoice.to_exact(), entity="sales invoice", lookup=lookup)
        return _merge(invoice, SalesInvoice.from_exact(created))

    async def sales_invoice(self, invoice_id: str) -> SalesInvoice:
        path = f"{SALES_INVOICES}({guid_literal(invoice_id)})"
        row = await self.get_one(path, {"$select": SalesInvoice.select() + ",SalesInvoiceLines",
                                        "$expand": "SalesInvoiceLines"})
        return SalesInvoice.from_exact(await self._lines(row, "SalesInvoiceLines", path))

    async def find_sales_invoices(self, *, your_ref: str, ordered_by: str | None = None) -> list[SalesInvoice]:
        filter = _and(f"YourRef eq {string_literal(your_ref)}",
                      f"OrderedBy eq {guid_literal(ordered_by)}" if ordered_by else None)
        return await self.list_records(SalesInvoice, SALES_INVOICES, filter=filter)

    async def delete_sales_invoice(self, invoice_id: str) -> None:
        await self.delete(f"{SALES_INVOICES}({guid_literal(invoice_id)})")

    async def process_sales_invoice(self, invoice_id: str, *, send_email: bool = False) -> None:
        """Print/process (status 20 → 50): books the entry and assigns the invoice number."""
        payload = {"InvoiceID": invoice_id, "SendEmailToCustomer": send_email}
        await self.post("salesinvoice/PrintedSalesInvoices", payload, entity="processed sales invoice",
                        lookup={"InvoiceID": invoice_id})

    # -- sales entries (no invoicing module) ----------------------------------------------------
    async def create_sales_entry(self, entry: SalesEntry) -> SalesEntry:
        if not entry.lines:
            raise ExactError("a sales entry needs at least one line (Exact refuses entries without lines)")
        lookup: dict[str, Any] = {"Journal": entry.journal, "Customer": entry.customer}
        if entry.entry_number is not None:
            lookup["EntryNumber"] = entry.entry_number
        if entry.invoice_number is not None:
            lookup["InvoiceNumber"] = entry.invoice_number
        if entry.your_ref:
            lookup["YourRef"] = entry.your_ref
        if len(lookup) == 2:
            raise ExactError("a sales entry needs an EntryNumber, InvoiceNumber or YourRef so a lost answer can be looked up")
        created = await self.post(SALES_ENTRIES, entry.to_exact(), entity="sales entry", lookup=lookup)
        return _merge(entry, SalesEntry.from_exact(created))

    async def sales_entry(self, entry_id: str) -> SalesEntry:
        path = f"{SALES_ENTRIES}({guid_literal(entry_id)})"
        row = await self.get_one(path, {"$select": SalesEntry.select() + ",SalesEntryLines",
                                        "$expand": "SalesEntryLines"})
        return SalesEntry.from_exact(await self._lines(row, "SalesEntryLines", path))

    async def _lines(self, row: dict[str, Any], name: str, path: str) -> dict[str, Any]:
        """Lines Exact did not expand (a `__deferred` link) are read through the parent's navigation
        URL, `Parent(guid'…')/Lines`, as Exact serves linked entities; expanded ones cost nothing more."""
        value = row.get(name)
        if isinstance(value, dict) and "__deferred" in value:
            row = {**row, name: await self.get_all(value["__deferred"].get("uri") or f"{path}/{name}")}
        return row

    async def find_sales_entries(self, *, journal: str | None = None, entry_number: int | None = None,
                                 invoice_number: int | None = None, your_ref: str | None = None) -> list[SalesEntry]:
        """Entries by number and/or YourRef (a `$filter` query: an empty answer costs no error-cap failure)."""
        if entry_number is None and invoice_number is None and not your_ref:
            raise ValueError("find_sales_entries needs entry_number, invoice_number or your_ref")
        filter = _and(f"Journal eq {string_literal(journal)}" if journal else None,
                      f"EntryNumber eq {int(entry_number)}" if entry_number is not None else None,
                      f"InvoiceNumber eq {int(invoice_number)}" if invoice_number is not None else None,
                      f"YourRef eq {string_literal(your_ref)}" if your_ref else None)
        return await self.list_records(SalesEntry, SALES_ENTRIES, filter=filter)

    async def delete_sales_entry(self, entry_id: str) -> None:
        """Undo an export: Exact deletes the entry (its rules for paid entries apply)."""
        await self.delete(f"{SALES_ENTRIES}({guid_literal(entry_id)})")

    # -- receivables ----------------------------------------------------------------------------
    async def receivables(self, *, filter: str | None = None, your_refs: Sequence[str] = ()) -> list[Receivable]:
        """Payment status of exported invoices (`bulk/Cashflow/Receivables`).

        Many `your_refs` are split over several calls: Exact refuses URLs over 6,000 characters.
        """
        if not your_refs:
            return await self.list_records(Receivable, "bulk/Cashflow/Receivables", filter=filter)
        found: list[Receivable] = []
        for chunk in _or_chunks("YourRef", [string_literal(r) for r in your_refs]):
            found += await self.list_records(Receivable, "bulk/Cashflow/Receivables", filter=_and(filter, chunk))
        return found

    async def sync_receivables(self, since: int | None = None) -> SyncResult[Receivable]:
        return await self.sync(Receivable, "sync/Cashflow/PaymentTerms", since)

    async def open_receivables(self) -> list[OpenReceivable]:
        """Open items only (`read/financial/ReceivablesList`): an exported invoice not in it is paid."""
        rows = await self.get_all("read/financial/ReceivablesList")
        return [OpenReceivable.from_exact(row) for row in rows]

    async def sync_deleted(self, since: int | None = None) -> SyncResult[DeletedRecord]:
        """Records deleted in Exact since `since` (`DeletedRecord.ACCOUNT`, `.SALES_INVOICE`, …).

        Exact has no entity type for sales entries: a deleted entry shows as deleted
        TransactionLines keyed by line, so `entry_exists()` asks for the entry itself."""
        return await self.sync(DeletedRecord, "sync/Deleted", since)

    # -- after a lost answer ----------------------------------------------------------------------
    async def resolve(self, error: OutcomeUnknown) -> Record | None:
        """Look up the record an `OutcomeUnknown` write may have created: the record, or None if it was not.

        Only when this returns None is it safe to send the write again.
        """
        look = error.lookup
        found: list[Any]
        if error.entity == "sales entry" and look.get("YourRef"):
            # by YourRef (+ journal, customer), never by every hint: Exact may have ignored the
            # EntryNumber/InvoiceNumber hint and assigned its own
            found = [e for e in await self.entries_by_ref(look["YourRef"], journal=look.get("Journal"))
                     if not look.get("Customer") or (e.customer or "").lower() in ("", str(look["Customer"]).lower())]
        elif error.entity == "sales entry":
            found = await self.find_sales_entries(journal=look.get("Journal"), entry_number=look.get("EntryNumber"),
                                                  invoice_number=look.get("InvoiceNumber"))
        elif error.entity == "sales invoice":
            found = [i for i in await self.invoices_by_ref(look["YourRef"], journal=look.get("Journal"))
                     if not look.get("OrderedBy") or (i.ordered_by or "").lower() in ("", str(look["OrderedBy"]).lower())]
        elif error.entity == "account":
            if "Code" in look:
                found = await self.find_accounts_by_code(look["Code"])
            else:
                found = await self.list_records(Account, ACCOUNTS, filter=f"Name eq {string_literal(look['Name'])}")
        elif error.entity == "contact":
            found = await self.find_contacts(account=look["Account"], email=look.get("Email") or "",
                                             last_name=look.get("LastName") or "")
        elif error.entity == "processed sales invoice":
            invoice = await self.sales_invoice(look["InvoiceID"])
            return invoice if invoice.status == SalesInvoice.PROCESSED else None
        else:
            raise ExactError(f"cannot look up a {error.entity or 'record'} automatically; check Exact by hand")
        return found[0] if found else None


def _merge(sent: R, answered: R) -> R:
    """Exact answers a POST with nulls for fields it did not echo: keep what we sent where it said nothing."""
    values = {}
    for attr, _, _ in type(sent).MAP:
        got = getattr(answered, attr)
        values[attr] = got if got not in (None, "") else getattr(sent, attr)
    merged = replace(sent, **values)  # type: ignore[type-var]  # every Record is a dataclass
    if hasattr(answered, "lines") and getattr(answered, "lines"):
        merged.lines = answered.lines  # type: ignore[attr-defined]
    return merged
