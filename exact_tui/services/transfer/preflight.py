"""Pre-flight: everything that would make Exact refuse an invoice, found before any POST, for free.

Each check compares the invoice with data already at hand — the store (links, product numbers,
dimensions, the cached Exact accounts) and `ExactFacts` read once per run — so checking 100,000
invoices costs no API call. Every refusal says what, why, on which side, and what to do.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ...domain.customer import LocalCustomer, customer_number_problem, strip_account_code
from ...domain.invoice import Invoice
from ...domain.link import Link, MaintenanceMode
from ...domain.products import DataType, ProductNumber, ProductPrinciple
from ..events import Side
from ..problems import Problem
from .facts import ExactFacts
from .prepare import ENTRIES, PreparedLine, line_label, product_for, signed_lines

LINK_PLACE = "link it in Link customers (step 4, ctrl+o) or on the customer card (F3)"


@dataclass(slots=True)
class CustomerPlan:
    """How the invoice's customer reaches Exact: `linked`, `found` (link to it), `create`, or `blocked`."""

    how: str
    exact_id: str = ""
    exact_code: str = ""
    number: str = ""  # the code a created account gets ("" = take the next number at creation)
    candidates: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Preflight:
    invoice: Invoice
    problems: list[Problem] = field(default_factory=list)
    lines: list[PreparedLine] = field(default_factory=list)
    customer: CustomerPlan | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return "ready"
        first = self.problems[0].what
        return first + (f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else "")

    @property
    def calls(self) -> int:
        """API calls the transfer of this invoice costs (the POST, a process, a customer and contact)."""
        return 0 if not self.ok else 1


def _norm(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


@dataclass(slots=True)
class AccountIndex:
    """The cached Exact accounts by code, VAT number and Chamber of Commerce number (no calls)."""

    by_code: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    by_vat: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    by_coc: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    blocked: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower-case id -> row Exact marks Blocked
    complete: bool = False  # the cache is a pulled copy of every account (absent = deleted)
    pulled_at: dt.datetime | None = None  # when the cache last heard from Exact (a blocked flag is as of then)

    @classmethod
    def of(cls, rows: list[dict[str, Any]], *, complete: bool, pulled_at: dt.datetime | None = None) -> "AccountIndex":
        index = cls(complete=complete, pulled_at=pulled_at)
        for row in rows:
            index.add(row)
        return index

    def add(self, row: dict[str, Any]) -> None:
        key = str(row.get("id") or "").lower()
        self.ids.add(key)
        if row.get("blocked"):
            self.blocked[key] = row
        for key, table in ((strip_account_code(row.get("code")), self.by_code), (_norm(row.get("vat") or ""), self.by_vat),
                           (_norm(row.get("coc") or ""), self.by_coc)):
            if key:
                table.setdefault(key, []).append(row)

    def candidates(self, customer: LocalCustomer) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for key, table in ((customer.number.strip(), self.by_code), (_norm(customer.vat), self.by_vat),
                           (_norm(customer.coc), self.by_coc)):
            for row in table.get(key, []) if key else []:
                found.setdefault(str(row.get("id")), row)
        return list(found.values())


def describe_account(row: dict[str, Any]) -> str:
    status = {"C": "customer", "P": "prospect", "S": "suspect", "A": "no relation type"}.get(row.get("status") or "", "")
    return f"{strip_account_code(row.get('code')) or '(no code)'} {row.get('name') or ''}".strip() + \
        (f" ({status})" if status and status != "customer" else "")


@dataclass(slots=True)
class Context:
    """Everything the pre-flight compares with, gathered once per run."""

    model: str
    journal: str
    mode: MaintenanceMode
    principles: dict[DataType, ProductPrinciple]
    dimensions: dict[tuple[str, str], Any]
    products: dict[str, ProductNumber]
    customers: dict[str, LocalCustomer]
    links: dict[str, Link]
    link_problems: dict[str, Any]  # local id -> LinkProblem (deleted account / code changed)
    accounts: AccountIndex
    facts: ExactFacts | None
    now: dt.datetime


def check(invoice: Invoice, ctx: Context) -> Preflight:
    result = Preflight(invoice)
    add = result.problems.append
    if not ctx.journal:
        add(Problem("No sales journal chosen", Side.LOCAL, "Choose the sales journal in step 3.",
                    cause="Every entry is booked in one sales journal of the division."))
    if not invoice.lines:
        add(Problem(f"Invoice {invoice.number} has no lines", Side.LOCAL,
                    "Fix the invoice in the invoicing system and import it again.",
                    cause="Exact refuses an entry or invoice without lines."))
    _journal_checks(invoice, ctx, add)
    _period_checks(invoice, ctx, add)
    result.lines = _lines(invoice, ctx, add)
    result.customer = _customer(invoice, ctx, add)
    return result


def _journal_checks(invoice: Invoice, ctx: Context, add) -> None:
    facts = ctx.facts
    if facts is None or not ctx.journal:
        return
    journal = facts.journal
    if journal is None:
        add(Problem(f"Sales journal {ctx.journal} does not exist in Exact (any more)", Side.EXACT,
                    "Choose an existing sales journal in step 3.", cause="The journal was deleted or renumbered in Exact."))
        return
    if not journal.is_sales:
        add(Problem(f"Journal {journal.code} {journal.description} is not a sales journal", Side.EXACT,
                    "Choose a sales journal (type 20) in step 3.", cause="Invoices can be booked in sales journals only."))
    if invoice.currency and journal.currency and invoice.currency != journal.currency \
            and not journal.allow_variable_currency:
        add(Problem(f"Currency {invoice.currency} is not allowed in journal {journal.code} "
                    f"({journal.currency} only)", Side.EXACT,
                    "Choose a sales journal that allows variable currency in step 3, or allow it on this journal in Exact.",
                    cause="A fixed-currency journal refuses entries in any other currency."))


def _period_checks(invoice: Invoice, ctx: Context, add) -> None:
    if ctx.facts is None or not ctx.facts.periods:
        return
    period = ctx.facts.period_for(invoice.date)
    if period is None:
        add(Problem(f"No fiscal year in Exact for {invoice.date.isoformat()}", Side.EXACT,
                    f"Create the fiscal year {invoice.date.year} in Exact (Financial → Fiscal years), then retry.",
                    cause="Exact books an entry only in a period of an existing fiscal year."))
    elif period.closed:
        add(Problem(f"Period {period.period}/{period.year} is closed in Exact ({invoice.date.isoformat()})", Side.EXACT,
                    "Reopen the period in Exact, or date the invoice in an open period (a credit note and a new invoice).",
                    cause="A closed period accepts no new entries."))


def _lines(invoice: Invoice, ctx: Context, add) -> list[PreparedLine]:
    out: list[PreparedLine] = []
    signed = signed_lines(invoice)
    for index, line in enumerate(invoice.lines):
        label = line_label(invoice, index, line)
        found = product_for(line, ctx.principles, ctx.dimensions)
        if not found.code:
            add(Problem(f"{label}: no product number", Side.LOCAL,
                        "Choose the item on the line, map its dimension in step 7, or give the data type a default item.",
                        cause=found.how))
            continue
        code = found.code
        product = ctx.products.get(code)
        item = ctx.facts.items.get(code) if ctx.facts is not None else None
        quantity, price = signed[index]
        where = f"{label}: item {code} ({found.how})"
        if product is None and item is None:
            add(Problem(f"{where} is not a known product number", Side.LOCAL,
                        "Import the items in step 6 (ctrl+r) and check the code.", cause="The item is not in Exact's item list."))
            continue
        if product is not None and not product.active:
            add(Problem(f"{where} is not activated", Side.LOCAL, "Activate it in step 6 (space), or choose another item.",
                        cause="Only items activated in step 6 are used for invoicing."))
        problem = _item_problem(item, product, quantity, ctx)
        if problem:
            add(Problem(f"{where}: {problem[0]}", Side.EXACT, problem[1], cause=problem[2]))
            continue
        vat = (line.vat_code or (item.sales_vat_code if item else "") or (product.vat_code if product else "")).strip()
        vat_problem = _vat_problem(vat, ctx)
        if vat_problem:
            add(Problem(f"{label}: {vat_problem[0]}", Side.EXACT if ctx.facts else Side.LOCAL, vat_problem[1],
                        cause=vat_problem[2]))
            continue
        gl = ctx.facts.item_gl(item) if ctx.facts is not None and item is not None else None
        out.append(PreparedLine(code, (item.id if item else (product.exact_id if product else "")) or "",
                                (gl.id if gl else "") or "", vat, quantity, price, line.description))
    return out


def _item_problem(item, product: ProductNumber | None, quantity: Decimal, ctx: Context) -> tuple[str, str, str] | None:
    fix = "Fix the item in Exact and re-import the items (step 6, ctrl+r), or choose another item."
    if item is None and ctx.facts is not None:
        return ("no longer exists in Exact", "Re-import the items in step 6 and choose another item.",
                "The item was deleted or ended in Exact.")
    is_sales = item.is_sales_item if item is not None else product.is_sales_item  # type: ignore[union-attr]
    if is_sales is False:
        return ("is not a sales item", fix, "Exact accepts only sales items on sales lines.")
    if item is not None and not item.active(ctx.now):
        return ("is not active in Exact (start or end date)", fix, "Exact refuses inactive items on new lines.")
    if item is None and product is not None:  # offline: what the last item sync saw (exact-tui sync products)
        if product.gone:
            return ("was deleted in Exact", "Map another item in step 7, or choose another item on the line.",
                    "The last item sync found it in Exact's list of deleted records.")
        if product.ended(ctx.now):
            return (f"is not active in Exact (ended on {product.ends_at:%Y-%m-%d})", fix,
                    "Exact refuses inactive items on new lines.")
        if not product.revenue_gl:
            return ("has no revenue G/L account", fix, "Exact refuses a line whose item has no revenue G/L account "
                    "('Required: general ledger account').")
    divisible = item.divisible if item is not None else product.divisible  # type: ignore[union-attr]
    if divisible is False and quantity != quantity.to_integral_value():
        return (f"is not divisible and the quantity is {quantity}", "Make the item divisible in Exact, or use a "
                "divisible item for hours.", "Exact refuses fractional quantities on items that are not divisible.")
    if ctx.facts is not None and item is not None:
        gl = ctx.facts.item_gl(item)
        if gl is None:
            return ("has no revenue G/L account", fix, "Exact refuses a line whose item has no revenue G/L account "
                    "('Required: general ledger account').")
        if gl.blocked:
            return (f"books on G/L {gl.code} {gl.description}, which is blocked", fix,
                    "A blocked G/L account accepts no new entries.")
        if ctx.model == ENTRIES and gl.balance_type == "B":
            return (f"books on G/L {gl.code} {gl.description}, a balance-sheet account, not revenue", fix,
                    "A sales-entry line must be on a revenue (profit and loss) account.")
    elif product is not None and not product.revenue_gl:
        return ("has no revenue G/L account", fix, "Exact refuses it ('Required: general ledger account').")
    return None


def _vat_problem(code: str, ctx: Context) -> tuple[str, str, str] | None:
    if not code:
        return ("no VAT code (on the line or the item)", "Give the line or the item a VAT code.",
                "Exact needs a VAT code per sales line.")
    if ctx.facts is None or not ctx.facts.vat:
        return None
    vat = ctx.facts.vat.get(code)
    if vat is None:
        return (f"VAT code {code} does not exist in Exact", "Use a VAT code of the division (or create it in Exact).",
                "Exact refuses an unknown VAT code.")
    if vat.type and not vat.exclusive:
        return (f"VAT code {code} {vat.description} is not exclusive", "Use an exclusive VAT code: the console "
                "sends amounts excluding VAT.", "Amounts sent excluding VAT need an exclusive code, else VAT is wrong.")
    return None


def _customer(invoice: Invoice, ctx: Context, add) -> CustomerPlan:
    customer = ctx.customers.get(invoice.customer_id)
    if customer is None:
        add(Problem(f"Customer {invoice.customer_id} of invoice {invoice.number} is not in the local data", Side.LOCAL,
                    "Import the customers again (exact-tui import customers).", cause="The invoice names an unknown customer."))
        return CustomerPlan("blocked")
    who = f"customer {customer.number or customer.id} {customer.name}".strip()
    link = ctx.links.get(customer.id)
    if link is not None:
        problem = ctx.link_problems.get(customer.id)
        if problem is not None:
            add(Problem(problem.text, Side.EXACT, problem.fix, cause="The linked Exact account changed in Exact."))
            return CustomerPlan("blocked")
        if ctx.accounts.complete and link.exact_id.lower() not in ctx.accounts.ids:
            add(Problem(f"The Exact account linked to {who} was deleted in Exact", Side.EXACT,
                        "Unlink it in Link customers (P lists such links), then link or let a transfer create it.",
                        cause="An invoice cannot be booked on a deleted account."))
            return CustomerPlan("blocked")
        blocked = ctx.accounts.blocked.get(link.exact_id.lower())
        if blocked is not None:
            add(_blocked_problem(invoice, who, blocked, ctx.accounts.pulled_at))
            return CustomerPlan("blocked")
        return CustomerPlan("linked", link.exact_id, link.exact_code)
    if ctx.mode is not MaintenanceMode.AUTO_CREATE:
        mode = "manual" if ctx.mode is MaintenanceMode.MANUAL else "created in Exact"
        add(Problem(f"{who} is not linked to an Exact account", Side.LOCAL, LINK_PLACE[0].upper() + LINK_PLACE[1:] + ".",
                    cause=f"Customer maintenance is '{mode}' (step 5): the console does not create customers."))
        return CustomerPlan("blocked")
    candidates = ctx.accounts.candidates(customer)
    customers = [c for c in candidates if (c.get("status") or "C") == "C"]
    if len(candidates) > 1:
        add(Problem(f"{who} matches {len(candidates)} Exact accounts by code, VAT or Chamber of Commerce number: "
                    + "; ".join(describe_account(c) for c in candidates[:5]), Side.EXACT,
                    "Link the right one by hand: " + LINK_PLACE + ".",
                    cause="Creating another account would make a duplicate; picking one could book on the wrong customer."))
        return CustomerPlan("blocked", candidates=candidates)
    if len(candidates) == 1:
        row = candidates[0]
        if not customers:
            add(Problem(f"{who} matches Exact account {describe_account(row)}, which is not a customer", Side.EXACT,
                        "Make it a customer in Exact (relation type customer), or link another account by hand.",
                        cause="Exact refuses invoices on a relation that is not a customer ('Invalid: Customer (Type)')."))
            return CustomerPlan("blocked", candidates=candidates)
        if str(row.get("id") or "").lower() in ctx.accounts.blocked:
            add(_blocked_problem(invoice, who, row, ctx.accounts.pulled_at, found=True))
            return CustomerPlan("blocked", candidates=candidates)
        return CustomerPlan("found", str(row.get("id")), strip_account_code(row.get("code")), candidates=candidates)
    number = customer.number.strip()
    if number:
        problem = customer_number_problem(number)
        if problem:
            add(Problem(f"{who} cannot be created in Exact: {problem}", Side.LOCAL,
                        "Give the customer a number of 1–9 digits in the invoicing system (exact-tui next-number "
                        "proposes one), or link it by hand.", cause="Exact codes of linked customers are numeric."))
            return CustomerPlan("blocked")
    return CustomerPlan("create", number=number)


def _blocked_problem(invoice: Invoice, who: str, row: dict[str, Any], pulled_at: dt.datetime | None, *,
                     found: bool = False) -> Problem:
    """Exact refuses every invoice to a blocked account ("Blocked: Customer"): stop it here, for free.

    The flag is what the accounts cache last read from Exact (a run re-reads it first when connected),
    so the remedy says as of when, in case the account was unblocked since."""
    account = describe_account(row)
    how = "matches" if found else "is linked to"
    when = f" (as Exact said at {pulled_at:%Y-%m-%d %H:%M} UTC)" if pulled_at is not None else ""
    return Problem(f"Invoice {invoice.number}: {who} {how} Exact account {account}, which is blocked in Exact{when}",
                   Side.EXACT,
                   f"Unblock account {strip_account_code(row.get('code')) or account} in Exact, or link {who} to "
                   f"another Exact account on the customer card (F3); then transfer again (a run with a connection "
                   "re-reads the accounts first, so an account unblocked since is seen then).",
                   cause="Exact refuses invoices to a blocked account ('Blocked: Customer').", kind="blocked")
