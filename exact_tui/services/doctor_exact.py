"""The doctor's checks that ask Exact: user, division, journal, items, VAT, payment condition,
periods, linked accounts and the API budget.

Each probe reads only what it needs (lists are shared between probes through `context`) and names
the record and the place to fix it. The order is the order a consultant fixes things in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Awaitable, Callable


from ..domain.wording import count, number
from .doctor import FAILING, OK, WARNING, Check, _few, pending_invoices
from .events import Side


async def connect(session: Any) -> Any:
    """Attach a client on the stored tokens (as the console does on start) without logging in."""
    from .connection import resume

    report = await resume(session)
    if report is None or session.client is None:
        raise RuntimeError("the stored login cannot be used here (no client secret kept): connect in step 1")
    return session.client


def calls_made(client: Any) -> int:
    return int(getattr(client, "calls", 0) or 0)


async def _cached(context: dict[str, Any], key: str, load: Callable[[], Awaitable[Any]]) -> Any:
    if key not in context:
        context[key] = await load()
    return context[key]


async def user(session: Any, client: Any, context: dict[str, Any]) -> Check:
    from .connection import DEDICATED_USER_ADVICE, personal_user_warning

    me = session.me or await client.me()
    who = f"{me.full_name} ({me.user_name})" if me.full_name else me.user_name
    warning = personal_user_warning(me.user_name, me.full_name, me.email)
    if warning:
        return Check("user", "Connected user", WARNING, f"{who}: {warning}", DEDICATED_USER_ADVICE, Side.EXACT)
    return Check("user", "Connected user", OK, f"{who} looks like a dedicated integration user")


async def division(session: Any, client: Any, context: dict[str, Any]) -> Check:
    chosen = session.settings().division or client.config.division
    if not chosen:
        return Check("division", "Division access and state", FAILING, "no division chosen",
                     "Choose the Exact division in step 2.", Side.LOCAL)
    client.config.division = chosen
    divisions = await _cached(context, "divisions", client.divisions)
    found = next((d for d in divisions if d.code == chosen), None)
    if found is None:
        return Check("division", "Division access and state", FAILING,
                     f"division {chosen} is not among the user's {len(divisions)} divisions",
                     "Grant the user access in Exact (Users → Rights → company access) or choose another in step 2.",
                     Side.EXACT)
    if found.blocked:
        return Check("division", "Division access and state", FAILING, f"division {chosen} {found.description} is blocked",
                     "Unblock the company in Exact, or choose another division in step 2.", Side.EXACT)
    # A call inside the division shows licence, subscription and app-grant problems (403 + Reason).
    await _cached(context, "journals", client.journals)
    return Check("division", "Division access and state", OK,
                 f"{chosen} {found.description}: accessible, licence valid, not blocked")


async def journal(session: Any, client: Any, context: dict[str, Any]) -> Check:
    code = session.settings().journal
    journals = await _cached(context, "journals", client.journals)
    if not code:
        return Check("journal", "Sales journal type and currency", FAILING, "no sales journal chosen",
                     "Choose a sales journal in step 3.", Side.LOCAL)
    found = next((j for j in journals if j.code == code), None)
    if found is None:
        return Check("journal", "Sales journal type and currency", FAILING, f"journal {code} no longer exists in Exact",
                     "Choose the sales journal again in step 3 (catalogue #29).", Side.EXACT)
    if not found.is_sales:
        return Check("journal", "Sales journal type and currency", FAILING,
                     f"journal {code} {found.description} is of type {found.type}, not Sales (20)",
                     "Choose a sales journal in step 3 (catalogue #27).", Side.EXACT)
    foreign = sorted({inv.currency for inv in pending_invoices(session.store)
                      if inv.currency and inv.currency != (found.currency or "EUR")})
    if foreign and not found.allow_variable_currency:
        return Check("journal", "Sales journal type and currency", FAILING,
                     f"journal {code} takes only {found.currency or 'EUR'}, but invoices waiting to transfer are in "
                     f"{', '.join(foreign)}",
                     "In Exact allow variable currency on the journal (Master data → Financial → Journals), or choose "
                     "one that does in step 3 (catalogue #33).", Side.EXACT)
    return Check("journal", "Sales journal type and currency", OK,
                 f"{code} {found.description}: Sales, {found.currency or 'EUR'}"
                 + (", variable currency allowed" if found.allow_variable_currency else ""))


def _mapped_codes(store: Any) -> dict[str, list[str]]:
    """Item codes the mappings use, each with what uses it (dimension, principle, chosen product number)."""
    used: dict[str, list[str]] = {}
    for dim in store.dimensions.all():
        if dim.product_number:
            used.setdefault(dim.product_number, []).append(f"{dim.kind} {dim.name}")
    for data_type, principle in (store.settings.get().principles or {}).items():
        if getattr(principle, "product_number", ""):
            used.setdefault(principle.product_number, []).append(f"{data_type} (specific item)")
    for product in store.products.active():
        used.setdefault(product.code, [])
    return used


async def items(session: Any, client: Any, context: dict[str, Any]) -> Check:
    used = _mapped_codes(session.store)
    if not used:
        return Check("items", "Items used in mappings", WARNING, "no product numbers are mapped yet",
                     "Import and activate the items in step 6, map the data types in step 7.", Side.LOCAL)
    exact_items = {i.code: i for i in await _cached(context, "items", client.items)}
    gls = {g.code: g for g in await _cached(context, "gl", client.gl_accounts)}
    now = client.clock.now() if hasattr(client.clock, "now") else dt.datetime.now(dt.timezone.utc)
    bad = []
    for code in sorted(used):
        item = exact_items.get(code)
        if item is None:
            bad.append(f"{code}: no longer in Exact")
            continue
        why = []
        if not item.active(now):
            why.append("not active (start/end date)")
        if item.is_sales_item is False:
            why.append("not a sales item")
        if item.divisible is False:
            why.append("not divisible")
        gl = gls.get(item.gl_revenue_code) if item.gl_revenue_code else None
        if not item.gl_revenue_code:
            why.append("no revenue G/L account")
        elif gl is not None and gl.blocked:
            why.append(f"revenue G/L {gl.code} is blocked")
        if why:
            bad.append(f"{code} ({', '.join(why)})")
    if bad:
        return Check("items", "Items used in mappings", FAILING, f"{number(len(bad))} of {count(len(used), 'item')} would be refused: "
                     + _few(bad, 4), "In Exact (Master data → Logistics → Items): make them active, sales items and "
                     "divisible with an unblocked revenue G/L account — or map other items in step 7.", Side.EXACT, bad)
    return Check("items", "Items used in mappings", OK,
                 f"{count(len(used), 'item')}: active, for sale, divisible, revenue G/L not blocked")


async def vat(session: Any, client: Any, context: dict[str, Any]) -> Check:
    codes = {c.code: c for c in await _cached(context, "vat", client.vat_codes)}
    exact_items = {i.code: i for i in await _cached(context, "items", client.items)}
    used: dict[str, str] = {}
    for code in _mapped_codes(session.store):
        item = exact_items.get(code)
        if item is not None and item.sales_vat_code:
            used.setdefault(item.sales_vat_code, f"item {code}")
    for inv in pending_invoices(session.store):
        for line in inv.lines:
            if line.vat_code:
                used.setdefault(line.vat_code, f"invoice {inv.number}")
    bad = []
    for code, where in sorted(used.items()):
        found = codes.get(code)
        if found is None:
            bad.append(f"{code} ({where}): unknown in Exact")
        elif found.type and not found.exclusive:
            bad.append(f"{code} ({where}): type {found.type}, not exclusive")
    if bad:
        return Check("vat", "VAT codes exclusive", FAILING, _few(bad, 4),
                     "Lines are sent excluding VAT: in Exact (Master data → Financial → VAT codes) use exclusive codes "
                     "(catalogue #38), or give the items another code.", Side.EXACT, bad)
    return Check("vat", "VAT codes exclusive", OK, f"{count(len(used), 'VAT code')} in use, all exclusive")


async def payment_condition(session: Any, client: Any, context: dict[str, Any]) -> Check:
    conditions = await _cached(context, "conditions", client.payment_conditions)
    if not conditions:
        return Check("payment_condition", "Default payment condition", FAILING, "Exact has no payment conditions",
                     "Create one in Exact (Master data → Financial → Payment conditions) and make it the default "
                     "under Settings → Financial (catalogue #30).", Side.EXACT)
    failed = [r for r in session.store.transfers.all()
              if r.detail and ("betalingsconditie" in r.detail.lower() or "payment condition" in r.detail.lower())]
    if failed:
        last = failed[-1]
        return Check("payment_condition", "Default payment condition", FAILING,
                     f"Exact refused invoice {last.invoice_number or last.invoice_id} for lack of a payment condition "
                     f"('{last.detail[:80]}')", "Set a default sales payment condition in Exact (Settings → Financial) "
                     "or one on the customer (catalogue #30), then transfer again.", Side.EXACT,
                     [r.invoice_number or r.invoice_id for r in failed][:20])
    return Check("payment_condition", "Default payment condition", OK,
                 f"{count(len(conditions), 'payment condition')} in Exact; no transfer was refused for lack of one")


async def periods(session: Any, client: Any, context: dict[str, Any]) -> Check:
    pending = pending_invoices(session.store)
    if not pending:
        return Check("periods", "Fiscal years and open periods", OK, "no invoices waiting to transfer")
    rows = await client.financial_periods(session.settings().journal or None)  # closed: per journal
    bad: dict[str, list[str]] = {}
    for inv in pending:
        period = next((p for p in rows if p.start_date and p.end_date and p.start_date <= inv.date <= p.end_date), None)
        if period is None:
            bad.setdefault(f"{inv.date:%Y}: no fiscal year/period", []).append(inv.number)
        elif period.closed:
            bad.setdefault(f"{period.year}-{period.period:02d} closed", []).append(inv.number)
    if bad:
        detail = "; ".join(f"{k} ({len(v)} invoices, e.g. {v[0]})" for k, v in sorted(bad.items()))
        return Check("periods", "Fiscal years and open periods", FAILING, detail,
                     "In Exact (Master data → Financial → Period-date table) create the year or reopen the period, "
                     "or correct the invoice dates before transferring (catalogue #25, #26).", Side.EXACT,
                     [n for v in bad.values() for n in v][:20])
    first, last = min(i.date for i in pending), max(i.date for i in pending)
    return Check("periods", "Fiscal years and open periods", OK,
                 f"{count(len(pending), 'invoice')} waiting ({first} … {last}) all fall in open periods")


async def linked_accounts(session: Any, client: Any, context: dict[str, Any]) -> Check:
    from ..domain.customer import strip_account_code

    links = session.store.links.all()
    if not links:
        return Check("links", "Linked accounts present, same code", WARNING, "no customers are linked yet",
                     "Link the customers in step 4 (Link customers).", Side.LOCAL)
    accounts = {a.id: a for a in (await client.sync_accounts()).rows}
    gone, drifted = [], []
    for link in links:
        account = accounts.get(link.exact_id)
        if account is None:
            gone.append(link.exact_code or link.exact_id)
        elif link.exact_code and strip_account_code(link.exact_code) != strip_account_code(account.code):
            drifted.append(f"{strip_account_code(link.exact_code)} → {strip_account_code(account.code)}")
    if gone or drifted:
        parts = ([f"{number(len(gone))} deleted in Exact ({_few(gone, 3)})"] if gone else []) + \
                ([f"{number(len(drifted))} changed code ({_few(drifted, 3)})"] if drifted else [])
        return Check("links", "Linked accounts present, same code", FAILING, "; ".join(parts),
                     "Open Link customers (step 4 → ctrl+o) and press P: unlink the deleted ones, accept or undo the "
                     "changed codes.", Side.EXACT, gone + drifted)
    return Check("links", "Linked accounts present, same code", OK, f"all {len(links)} linked accounts exist with their code")


async def budget(session: Any, client: Any, context: dict[str, Any]) -> Check:
    b = client.budget
    if not b.known:
        return Check("budget", "API budget left", OK, "Exact has not reported the budget yet")
    text = session.budget_text(with_reset=True)
    day = b.day_remaining
    if day is not None and day < 100:
        return Check("budget", "API budget left", FAILING, f"{text}: the daily limit is nearly used up",
                     "Wait for the daily reset; other apps on this company share the limit (catalogue #21).", Side.EXACT)
    if day is not None and b.day_limit and day < b.day_limit * 0.2:
        return Check("budget", "API budget left", WARNING, f"{text}: less than a fifth of today's calls left",
                     "Postpone big pulls or bulk links until after the daily reset.", Side.EXACT)
    return Check("budget", "API budget left", OK, text)


@dataclass(frozen=True, slots=True)
class Probe:
    id: str
    title: str
    run: Callable[[Any, Any, dict[str, Any]], Awaitable[Check]]


PROBES: tuple[Probe, ...] = (
    Probe("user", "Connected user", user),
    Probe("division", "Division access and state", division),
    Probe("journal", "Sales journal type and currency", journal),
    Probe("items", "Items used in mappings", items),
    Probe("vat", "VAT codes exclusive", vat),
    Probe("payment_condition", "Default payment condition", payment_condition),
    Probe("periods", "Fiscal years and open periods", periods),
    Probe("links", "Linked accounts present, same code", linked_accounts),
    Probe("budget", "API budget left", budget),
)
