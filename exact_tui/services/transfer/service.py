"""`TransferService`: transfer booked invoices and credit notes to Exact, one, a selection or all.

    service = TransferService.for_session(session)
    await service.start()                          # journal recovery, Exact's reference data, accounts
    report = await service.run(service.select(all=True), cancel=cancel)

A run pre-flights every invoice from data at hand (no calls), then posts the ready ones one at a
time under the journal (see `posting`). Invoices whose answer got lost are looked up in Exact at
the end of the run, after a grace period (an answer can be committed after the client gave up),
and sent again only when Exact has nothing under their YourRef.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...domain.invoice import Invoice, InvoiceKind
from ...domain.link import MaintenanceMode
from ...domain.transfer import TransferStatus
from ..events import EventBus, Side
from . import prepare
from .facts import CACHE_KEY, ExactFacts, read_facts
from .preflight import AccountIndex, Context, Preflight, check
from .runner import Cancel, InvoiceResult, NotActivated, RunMixin, RunReport
from .state import States, recover

FAILED = (TransferStatus.REFUSED, TransferStatus.PARTIAL, TransferStatus.BLOCKED)
OPEN = (TransferStatus.PENDING, TransferStatus.BLOCKED, TransferStatus.UNKNOWN)


@dataclass(slots=True, eq=False)
class TransferRow:
    """One line of the Transfers screen / `exact-tui transfers`."""

    invoice: Invoice
    status: TransferStatus
    customer: str
    exact_number: str = ""
    exact_id: str = ""
    message: str = ""
    edited: bool = False  # changed locally after it was transferred
    todo: str = ""
    payment: str = ""  # open | partly_paid | paid | credited, from the last payments check ("" = not checked)
    payment_text: str = ""  # 'partly paid, 810.00 EUR open' / 'paid on 2026-03-02'
    customer_name: str = ""  # `customer` is "number name"; the Transfers table shows the name alone at 80 columns

    @property
    def id(self) -> str:
        return self.invoice.id

    @property
    def problem(self) -> str:
        """What needs the user (the virtual table marks such rows)."""
        if self.edited or self.status in (TransferStatus.BLOCKED, TransferStatus.REFUSED, TransferStatus.PARTIAL,
                                          TransferStatus.UNKNOWN):
            return self.message or str(self.status)
        return ""

    @property
    def result(self) -> str:
        return self.message if self.status is TransferStatus.TRANSFERRED else ""


__all__ = ["Cancel", "InvoiceResult", "NotActivated", "RunReport", "TransferRow", "TransferService"]


class TransferService(RunMixin):
    UNKNOWN_GRACE = 35.0  # seconds after a lost answer before Exact is searched (client timeout + margin)

    def __init__(self, store: Any, events: EventBus | None = None, client: Any = None, *,
                 cache: Any = None, unknown_grace: float | None = None) -> None:
        self.store = store
        self.events = events or EventBus()
        self.client = client
        self.cache = cache
        self.states = States(store)
        self.unknown_grace = self.UNKNOWN_GRACE if unknown_grace is None else unknown_grace
        self.facts: ExactFacts | None = None
        self.links: dict[str, Any] = {}
        self.link_problems: dict[str, Any] = {}
        self.accounts = AccountIndex()
        self.created_customer: dict[str, str] = {}  # local customer id -> "customer N created in Exact" (this run)
        self.unknown_now: list[tuple[str, float]] = []
        self.to_number: list[str] = []  # processed sales invoices whose Exact number is read at the end
        self._ctx: Context | None = None

    @classmethod
    def for_session(cls, session: Any, **kw: Any) -> "TransferService":
        return cls(session.store, session.events, session.client, cache=session.cache, **kw)

    # -- settings ------------------------------------------------------------------------------
    @property
    def settings(self) -> Any:
        return self.store.settings.get()

    @property
    def model(self) -> str:
        value = str(getattr(self.settings, "transfer_model", "") or prepare.ENTRIES)
        return prepare.INVOICES if value.startswith("invoice") else prepare.ENTRIES

    @property
    def drafts(self) -> bool:
        return bool(getattr(self.settings, "invoice_drafts", False))

    @property
    def journal(self) -> str:
        return str(self.settings.journal or "")

    @property
    def division(self) -> int | None:
        return self.settings.division

    @property
    def mode(self) -> MaintenanceMode:
        return self.settings.maintenance

    def clock(self) -> float:
        return time.monotonic()

    def fingerprint(self, invoice: Invoice) -> str:
        return prepare.fingerprint(invoice)

    def first_transfer(self) -> None:
        """The division locks at the first transfer (step 2 says why and since when)."""
        settings = self.settings
        if settings.first_transfer_at is None:
            self.store.settings.update(first_transfer_at=dt.datetime.now(dt.timezone.utc))
            self.events.info(f"First invoice transferred: division {settings.division} is locked for this profile",
                             side=Side.LOCAL, topic="transfer")

    def lost(self, invoice: Invoice, exc: Any) -> None:
        """Remember a lost answer for the end of the run. A timeout waits the grace period first (Exact
        may still be committing); a connection cut after the request was handled is looked up at once."""
        timed_out = "timeout" in str(getattr(exc, "cause", "")).lower()
        self.unknown_now.append((invoice.id, self.clock() + (self.unknown_grace if timed_out else 0.0)))

    def accounts_index_add(self, row: dict[str, Any]) -> None:
        self.accounts.add(row)

    # -- what there is ---------------------------------------------------------------------------
    def rows(self) -> list[TransferRow]:
        """Every invoice with its transfer status (the Transfers screen's table; `exact-tui transfers`)."""
        from ..payments import describe

        states = self.states.all()
        customers = {c.id: c for c in self.store.customers.all()}
        payments = self.store.payments.all() if getattr(self.store, "payments", None) is not None else {}
        out = []
        for invoice in self.store.invoices.all():
            state = states.get(invoice.id)
            customer = customers.get(invoice.customer_id)
            name = f"{customer.number} {customer.name}".strip() if customer else invoice.customer_id
            who = {"customer_name": customer.name} if customer else {}
            if state is None:
                out.append(TransferRow(invoice, TransferStatus.PENDING, name, **who))
                continue
            edited = bool(state.fingerprint) and state.status in (TransferStatus.TRANSFERRED, TransferStatus.PARTIAL) \
                and state.fingerprint != prepare.fingerprint(invoice)
            message = state.message
            if edited:
                message = "edited locally after the transfer: Exact still has the old content (a credit note and a " \
                          "new invoice correct it)"
            paid = payments.get(invoice.id) if state.status is TransferStatus.TRANSFERRED else None
            out.append(TransferRow(invoice, state.status, name, state.exact_number, state.exact_id, message, edited,
                                   state.todo, paid.status.value if paid else "", describe(paid), **who))
        out.sort(key=lambda r: (r.invoice.date, r.invoice.number))
        return out

    def select(self, numbers: Iterable[str] = (), *, all: bool = False, date_from: dt.date | None = None,
               date_to: dt.date | None = None, customer: str = "", kind: str = "", retry_failed: bool = False,
               statuses: Iterable[TransferStatus] = ()) -> list[Invoice]:
        """The invoices a command or the screen asks for. `all` = every one not yet transferred
        (ignored ones excluded); `retry_failed` adds refused, partial and blocked ones."""
        wanted = set(TransferStatus(s) for s in statuses)
        if all and not wanted:
            wanted = set(OPEN)
        if retry_failed:
            wanted |= set(FAILED)
        numbers = [n.strip() for n in numbers if n.strip()]
        states = self.states.all()
        chosen: list[Invoice] = []
        if numbers:
            missing = []
            for number in numbers:
                invoice = self.store.invoices.by_number(number)
                if invoice is None:
                    missing.append(number)
                else:
                    chosen.append(invoice)
            if missing:
                raise LookupError("no local invoice numbered " + ", ".join(missing))
        elif wanted:
            chosen = [i for i in self.store.invoices.all()
                      if (states[i.id].status if i.id in states else TransferStatus.PENDING) in wanted]
        customer_ids = self._customer_ids(customer) if customer else None
        out = [i for i in chosen
               if (date_from is None or i.date >= date_from) and (date_to is None or i.date <= date_to)
               and (not kind or str(i.kind) == InvoiceKind(kind).value)
               and (customer_ids is None or i.customer_id in customer_ids)]
        # credit notes after the invoice they credit; otherwise in date order
        return sorted(out, key=lambda i: (i.date, i.kind is InvoiceKind.CREDIT_NOTE, i.number))

    def _customer_ids(self, text: str) -> set[str]:
        text = text.strip()
        ids = {c.id for c in self.store.customers.all() if text in (c.id, c.number)}
        if not ids:
            raise LookupError(f"no local customer with id or number {text!r}")
        return ids

    def timeline(self, invoice_id: str) -> list[Any]:
        """Every attempt for the invoice, oldest first (time, request summary, Exact's answer, diagnosis)."""
        return self.store.transfers.for_invoice(invoice_id)

    # -- preparing a run ---------------------------------------------------------------------------
    async def start(self, *, refresh_accounts: bool = True) -> list[str]:
        """Repair states from the journal; read Exact's reference data and the accounts (when connected)."""
        repaired = recover(self.store)
        for text in repaired:
            self.events.warning(f"Journal: {text}", side=Side.LOCAL, topic="transfer")
        if self.client is not None:
            self.client.config.division = self.division or self.client.config.division
            self.facts = await read_facts(self.client, self.journal, cache=self.cache)
            if refresh_accounts:
                await self._pull_accounts()
        self._index_accounts()
        self._ctx = None
        return repaired

    async def _pull_accounts(self) -> None:
        from ..linking import LinkingService
        from ..linking.problems import find_problems

        linking = LinkingService(self.store, self.events, self.client, division=self.division, user="transfer")
        await linking.pull()  # one sync/ call from the stored Timestamp (+ sync/Deleted)
        # the one implementation of "linked account deleted in Exact / its code changed"
        self.link_problems = find_problems({link.local_id: link for link in self.store.links.all()},
                                           {c.id: c for c in self.store.customers.all()}, linking.cache.accounts,
                                           complete=linking.cache.complete)

    def _index_accounts(self) -> None:
        cache = self.store.exact_accounts
        same = cache.division in (None, self.division)
        self.accounts = AccountIndex.of(cache.all() if same else [], complete=same and cache.timestamp is not None,
                                        pulled_at=cache.pulled_at if same else None)

    def context(self) -> Context:
        if self._ctx is None:
            from ..defaults import principles

            now = dt.datetime.fromtimestamp(self.client.clock.time(), dt.timezone.utc) if self.client is not None \
                else dt.datetime.now(dt.timezone.utc)
            self.links = {link.local_id: link for link in self.store.links.all()}
            self._ctx = Context(
                model=self.model, journal=self.journal, mode=self.mode,
                principles=principles(_StoreSession(self.store)),  # type: ignore[arg-type]
                dimensions={(str(d.kind), d.id): d for d in self.store.dimensions.all()},
                products={p.code: p for p in self.store.products.all()},
                customers={c.id: c for c in self.store.customers.all()}, links=self.links,
                link_problems=self.link_problems, accounts=self.accounts, facts=self.facts, now=now)
        return self._ctx

    def preflight(self, invoice: Invoice) -> Preflight:
        return check(invoice, self.context())

    def dry_run(self, invoices: list[Invoice]) -> tuple[list[Preflight], int]:
        """The pre-flight of each invoice and the API calls a run would cost (nothing is sent)."""
        checks = [self.preflight(i) for i in invoices]
        return checks, self.run_cost(self.invoice_costs(checks))

    def invoice_costs(self, checks: list[Preflight]) -> list[int]:
        """Calls each invoice of a run costs, in order: 0 for a blocked one (the pre-flight stops it
        without a call), 1 per sales entry or draft, 2 per processed sales invoice, plus creating its
        customer (and contact) in Exact for the first invoice of a customer that is made at transfer."""
        per_invoice = 1 if self.model == prepare.ENTRIES or self.drafts else 2
        made: set[str] = set()
        costs = []
        for c in checks:
            cost = per_invoice if c.ok else 0
            cid = c.invoice.customer_id
            if c.ok and c.customer and c.customer.how == "create" and cid not in made:
                made.add(cid)
                cost += 1 + (1 if any(x.last_name for x in self.store.contacts.for_customer(cid)) else 0)
            costs.append(cost)
        return costs

    def run_cost(self, costs: list[int]) -> int:
        """A run's calls from its invoices' costs: plus Exact's numbers of processed invoices, 40 a call."""
        calls = sum(costs)
        if self.model == prepare.INVOICES and not self.drafts:
            calls += -(-sum(1 for c in costs if c) // 40)
        return calls

    def preparation_cost(self) -> int:
        """Calls `start()` costs before the first invoice: Exact's reference data (journals, G/L accounts,
        VAT codes, periods and the journal's period status, items at 1,000 a call) unless the session
        keeps it, and the accounts pulled from the last Timestamp (plus `sync/Deleted`)."""
        kept = getattr(self.cache, CACHE_KEY, None) if self.cache is not None else None
        facts = 0 if kept is not None and getattr(kept, "journal_code", None) == self.journal else \
            5 + len(self.store.products) // 1000 + 1
        cached = self.store.exact_accounts
        accounts = 1 if cached.timestamp is not None else len(self.store.customers) // 1000 + 1
        return facts + accounts + 1

    # -- ignore, retry ------------------------------------------------------------------------------
    def ignore(self, invoices: Iterable[Invoice], *, on: bool = True) -> int:
        """Leave invoices out of "all not yet transferred" (and take them back with `on=False`)."""
        done = 0
        for invoice in invoices:
            state = self.states.get(invoice)
            if on and state.status in (TransferStatus.TRANSFERRED, TransferStatus.UNKNOWN, TransferStatus.PARTIAL):
                raise ValueError(f"invoice {invoice.number} is {state.status} in Exact: undo it first, ignoring "
                                 "would hide a booking")
            if on and state.status is not TransferStatus.IGNORED:
                self.states.save(invoice, TransferStatus.IGNORED, message="ignored: not transferred until un-ignored")
                done += 1
            elif not on and state.status is TransferStatus.IGNORED:
                self.states.save(invoice, TransferStatus.PENDING, message="un-ignored")
                done += 1
        if done:
            self.events.info(f"{done:,} invoice{'s' if done != 1 else ''} {'ignored' if on else 'un-ignored'}",
                             side=Side.LOCAL, topic="transfer")
        return done


class _StoreSession:
    """What `defaults.principles` reads (`settings()`), over a bare store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def settings(self) -> Any:
        return self.store.settings.get()
