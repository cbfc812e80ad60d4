"""The money side of the sandbox: payment terms of customers and suppliers, partial payments,
credit matching, currencies and exchange rates.

What Exact shows (facts §3/§4, "likely" where marked):

* every booked sales entry gets a customer payment term (a receipt, `LineType` 2); purchase
  entries give supplier terms (payments, `LineType` 1). `sync/Cashflow/PaymentTerms` lists BOTH,
  ordered by one Timestamp — a client must keep only the customer lines (Exact's docs: "filter on
  LineType", after receiving, the API does not filter on it). The numbers 1/2 are "likely";
  supplier terms here deliberately reuse entry and invoice numbers and YourRefs of sales terms, so
  a client that matches on those alone counts a supplier's invoice as a customer's payment;
* a partial payment splits the term: the paid part becomes its own term (status 50 matched, fully
  paid, with the payment date), the rest stays open (status 20) with the amount left; both keep
  the entry (`TransactionEntryID`) and the invoice's total (`TransactionAmountDC/FC`);
* a credit note's term matched against the invoice's: both become matched (50) for the amount
  they offset, without a payment date;
* foreign currency: amounts in the entry's currency (FC) and in the division's (DC) at the rate of
  `financial/ExchangeRates` valid on the entry date (`AmountFC * RateFC = AmountDC`);
  `general/Currencies` lists the currencies.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from .rules import Ctx
    from .world import Row

PAYMENT, RECEIPT = 1, 2  # LineType of a payment term: money out (supplier) / money in (customer) — "likely"
OPEN, SELECTED, PROCESSED, MATCHED = 20, 30, 40, 50
RECEIVABLES = "cashflow/Receivables"  # customer terms (receipts)
PAYABLES = "cashflow/Payments"  # supplier terms (payments)
TERMS = "sync/Cashflow/PaymentTerms"  # both, in Timestamp order (no table of its own)
CURRENCIES = "general/Currencies"
RATES = "financial/ExchangeRates"
CENT = Decimal("0.01")
PURCHASE_JOURNAL = ("60", "Inkoopboek", 22)

# code, description, rate to EUR (1 unit = rate EUR) on the seed's first day, and a year later
SEED_CURRENCIES = [("EUR", "Euro", None, None), ("GBP", "Brits pond", "1.1650", "1.1830"),
                   ("USD", "Amerikaanse dollar", "0.9210", "0.9050"), ("CHF", "Zwitserse frank", "1.0420", "1.0610"),
                   ("DKK", "Deense kroon", "0.1341", "0.1340")]


def _new_id() -> str:
    return str(uuid.uuid4())


def _day(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    raise ValueError(f"not a date: {value!r}")


# ------------------------------------------------------------------ currencies and rates

def home_currency(ctx: "Ctx") -> str:
    return str(ctx.world.settings.get(ctx.division, {}).get("Currency") or "EUR")


def rate_to_home(ctx: "Ctx", currency: str | None, when: Any) -> Decimal:
    """The rate that turns an amount in `currency` into the division's currency on `when`.

    The latest `financial/ExchangeRates` row from `currency` to the home currency starting on or
    before the date; an unknown foreign currency books at 1 (Exact asks for a rate when none is
    set up; the journal rules already refused currencies the journal does not allow).
    """
    home = home_currency(ctx)
    if not currency or currency == home:
        return Decimal(1)
    day = _day(when) or ctx.world.now()
    best: tuple[dt.datetime, Decimal] | None = None
    for row in ctx.table(RATES).rows.values():
        if row.get("SourceCurrency") != currency or row.get("TargetCurrency") != home:
            continue
        start = _day(row.get("StartDate"))
        if start is not None and start <= day and (best is None or start > best[0]):
            best = (start, Decimal(str(row["Rate"])))
    return best[1] if best else Decimal(1)


def to_home(amount: Decimal, rate: Decimal) -> Decimal:
    return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def book_in_home_currency(ctx: "Ctx", entry: "Row", lines: list["Row"], when: Any) -> None:
    """Set the DC amounts of an entry and its lines from their FC amounts at the day's rate."""
    rate = rate_to_home(ctx, entry.get("Currency"), when)
    entry["_RateFC"] = str(rate)
    rebook(entry, entry, lines)


def rebook(entry: "Row", changes: "Row", lines: list["Row"] | None = None) -> None:
    """DC totals (and line amounts) at the rate the entry was booked at, after its lines changed."""
    rate = Decimal(str(entry.get("_RateFC") or 1))
    for line in lines or []:
        line["AmountDC"] = to_home(line["AmountFC"], rate)
    changes["AmountDC"] = to_home(changes["AmountFC"], rate)
    if changes.get("VATAmountFC") is not None:
        changes["VATAmountDC"] = to_home(changes["VATAmountFC"], rate)


def receipt_fields(entry: "Row") -> "Row":
    """The customer-term fields Exact adds beside the receivable's basics."""
    return {"LineType": RECEIPT, "RateFC": Decimal(str(entry.get("_RateFC") or 1)),
            "TransactionAmountDC": entry["AmountDC"], "TransactionAmountFC": entry["AmountFC"],
            "EntryDate": entry.get("EntryDate")}


def term_totals_changed(entry: "Row") -> "Row":
    """A term's amounts after its entry's lines changed (before any payment)."""
    return {"AmountFC": entry["AmountFC"], "AmountDC": entry["AmountDC"],
            "TransactionAmountFC": entry["AmountFC"], "TransactionAmountDC": entry["AmountDC"]}


# ------------------------------------------------------------------ the sync view

def terms_since(ctx: "Ctx", stamp: int) -> list["Row"]:
    """`sync/Cashflow/PaymentTerms`: customer and supplier terms after `stamp`, by Timestamp."""
    rows = ctx.table(RECEIVABLES).since(stamp) + ctx.table(PAYABLES).since(stamp)
    rows.sort(key=lambda r: r["Timestamp"])
    return rows


# ------------------------------------------------------------------ payments and matching

def pay(ctx: "Ctx", term: "Row", amount: Decimal | None = None, *, matched: bool = True,
        when: dt.datetime | None = None) -> list["Row"]:
    """The customer paid `amount` (in the term's currency; None: all that is open) on `term`.

    Less than the open amount splits the term (the paid part matched, the rest open); the whole
    amount closes it. Returns the rows changed or created. Paying more than is open is refused.
    """
    if term.get("IsFullyPaid") or term.get("Status") in (PROCESSED, MATCHED):
        raise ValueError("this payment term is already paid")
    open_fc = Decimal(str(term["AmountFC"]))
    paid = open_fc if amount is None else Decimal(str(amount)).quantize(CENT)
    if paid == 0 or abs(paid) > abs(open_fc) or (paid < 0) != (open_fc < 0):
        raise ValueError(f"amount must be between 0 and the open {open_fc} {term.get('Currency') or ''}".strip())
    when = when or ctx.world.now()
    status = MATCHED if matched else PROCESSED
    table = RECEIVABLES if term.get("LineType", RECEIPT) == RECEIPT else PAYABLES
    rate = Decimal(str(term.get("RateFC") or 1))
    if paid == open_fc:
        ctx.world.update(ctx.division, table, term, {"IsFullyPaid": True, "LastPaymentDate": when, "Status": status})
        return [term]
    part = {**term, "ID": _new_id(), "AmountFC": paid, "AmountDC": to_home(paid, rate), "IsFullyPaid": True,
            "LastPaymentDate": when, "Status": status}
    left = open_fc - paid
    ctx.world.update(ctx.division, table, term, {"AmountFC": left, "AmountDC": to_home(left, rate),
                                                 "LastPaymentDate": when})
    return [term, ctx.world.insert(ctx.division, table, part)]


def match(ctx: "Ctx", invoice_term: "Row", credit_term: "Row") -> list["Row"]:
    """Match a credit note's term against an invoice's: both settled for the amount they offset."""
    a, b = Decimal(str(invoice_term["AmountFC"])), Decimal(str(credit_term["AmountFC"]))
    if (a > 0) == (b > 0) or a == 0 or b == 0:
        raise ValueError("match an invoice's open term with a credit note's (amounts of opposite sign)")
    if invoice_term.get("Account") != credit_term.get("Account"):
        raise ValueError("the two terms belong to different accounts")
    offset = min(abs(a), abs(b))
    changed = []
    for term, sign in ((invoice_term, 1 if a > 0 else -1), (credit_term, 1 if b > 0 else -1)):
        amount = offset * sign
        rows = pay(ctx, term, amount, matched=True)
        for row in rows:
            if row.get("Status") == MATCHED:
                row["LastPaymentDate"] = None  # settled by a credit note, not by a payment
        changed += rows
    return changed


def add_payable(ctx: "Ctx", body: "Row") -> "Row":
    """A supplier's purchase invoice booked in Exact: a payment term with `LineType` 1."""
    supplier = ctx.table("crm/Accounts").get(str(body.get("Account") or "").lower())
    if supplier is None:
        raise ValueError("send the supplier's account ID as Account")
    amount = Decimal(str(body.get("AmountFC") or "100.00")).quantize(CENT)
    currency = str(body.get("Currency") or home_currency(ctx))
    when = _day(dt.date.fromisoformat(body["EntryDate"])) if body.get("EntryDate") else ctx.world.now()
    rate = rate_to_home(ctx, currency, when)
    row = {f: None for f in ctx.rt.field_names(PAYABLES)}
    row.update(ID=_new_id(), Account=supplier["ID"], AccountCode=supplier.get("Code"),
               AccountName=supplier.get("Name"), LineType=PAYMENT, Journal=PURCHASE_JOURNAL[0],
               EntryNumber=body.get("EntryNumber"), InvoiceNumber=body.get("InvoiceNumber"),
               YourRef=body.get("YourRef"), Description=body.get("Description") or "Inkoopfactuur",
               AmountFC=-amount, AmountDC=-to_home(amount, rate), TransactionAmountFC=-amount,
               TransactionAmountDC=-to_home(amount, rate), RateFC=rate, Currency=currency, InvoiceDate=when,
               EntryDate=when, DueDate=when + dt.timedelta(days=30), IsFullyPaid=False, Status=OPEN,
               TransactionEntryID=_new_id())
    return ctx.world.insert(ctx.division, PAYABLES, row)


# ------------------------------------------------------------------ seed

def seed_tables(division: int, today: dt.date, accounts: list["Row"]) -> dict[str, list["Row"]]:
    """Currencies, exchange rates, the purchase journal and supplier terms for one division.

    Own random stream (per division), so adding it shifts nothing else the seed makes.
    """
    rng = random.Random(f"cashflow-{division}")
    start = dt.datetime(today.year - 2, 1, 1, tzinfo=dt.timezone.utc)
    year_later = dt.datetime(today.year - 1, 1, 1, tzinfo=dt.timezone.utc)
    currencies = [{"ID": str(uuid.UUID(int=rng.getrandbits(128))), "Code": code, "Description": desc,
                   "AmountPrecision": Decimal("0.01"), "PricePrecision": Decimal("0.0001"), "Division": division}
                  for code, desc, _, _ in SEED_CURRENCIES]
    rates = []
    for code, _, first, second in SEED_CURRENCIES:
        for when, rate in ((start, first), (year_later, second)):
            if rate is not None:
                rates.append({"ID": str(uuid.UUID(int=rng.getrandbits(128))), "SourceCurrency": code,
                              "TargetCurrency": "EUR", "Rate": Decimal(rate), "StartDate": when, "Division": division})
    suppliers = [a for a in accounts if a.get("IsSupplier")]
    payables = []
    for n, supplier in enumerate(suppliers):
        for k in range(3):
            amount = Decimal(rng.randrange(5_000, 500_000)) / 100
            when = start + dt.timedelta(days=rng.randrange(0, 700))
            number = 1 + (n * 3 + k) % 40  # on purpose the low numbers sales entries and local invoices use too
            payables.append({
                "ID": str(uuid.UUID(int=rng.getrandbits(128))), "Account": supplier["ID"],
                "AccountCode": supplier.get("Code"), "AccountName": supplier.get("Name"), "LineType": PAYMENT,
                "Journal": PURCHASE_JOURNAL[0], "EntryNumber": number, "InvoiceNumber": number,
                "YourRef": str(number), "Description": "Inkoopfactuur", "AmountFC": -amount, "AmountDC": -amount,
                "TransactionAmountFC": -amount, "TransactionAmountDC": -amount, "RateFC": Decimal(1),
                "Currency": "EUR", "InvoiceDate": when, "EntryDate": when, "DueDate": when + dt.timedelta(days=30),
                "IsFullyPaid": k == 0, "LastPaymentDate": when + dt.timedelta(days=20) if k == 0 else None,
                "Status": MATCHED if k == 0 else OPEN, "TransactionEntryID": str(uuid.UUID(int=rng.getrandbits(128))),
                "Division": division})
    return {CURRENCIES: currencies, RATES: rates, PAYABLES: payables}


def purchase_journal(division: int) -> "Row":
    code, description, kind = PURCHASE_JOURNAL
    rng = random.Random(f"cashflow-journal-{division}")
    return {"ID": str(uuid.UUID(int=rng.getrandbits(128))), "Code": code, "Description": description, "Type": kind,
            "Currency": "EUR", "AllowVariableCurrency": False, "AllowVariableExchangeRate": False, "AllowVAT": True,
            "GLAccount": None, "Division": division}


# ------------------------------------------------------------------ admin endpoints (not Exact paths)

def _ctx(request: Request) -> tuple["Ctx", int]:
    from . import rules

    rt = request.app.state.runtime
    division = int(request.path_params["division"])
    user = next(iter(rt.world.users.values()))
    return rules.Ctx(rt, division, user), division


async def _body(request: Request) -> dict[str, Any]:
    import json

    raw = await request.body()
    value = json.loads(raw) if raw else {}
    if not isinstance(value, dict):
        raise ValueError("send a JSON object")
    return value


def _term(ctx: "Ctx", key: str) -> "Row":
    row = ctx.table(RECEIVABLES).get(key.lower()) or ctx.table(PAYABLES).get(key.lower())
    if row is None:
        raise LookupError("no such payment term in that division")
    return row


def _answer(handler):
    async def wrapped(request: Request) -> JSONResponse:
        rt = request.app.state.runtime
        try:
            body = await _body(request)
            with rt.world.lock:
                return JSONResponse({"ok": True, **handler(request, body)})
        except LookupError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=404)
        except (ValueError, ArithmeticError) as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
    return wrapped


def _rows(rows: list["Row"]) -> list[dict[str, Any]]:
    return [{"id": r["ID"], "status": r["Status"], "amount_fc": str(r["AmountFC"]), "amount_dc": str(r["AmountDC"]),
             "fully_paid": bool(r["IsFullyPaid"])} for r in rows]


def _pay(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    ctx, _ = _ctx(request)
    amount = body.get("amount")
    when = _day(dt.date.fromisoformat(body["date"])) if body.get("date") else None
    rows = pay(ctx, _term(ctx, request.path_params["id"]), Decimal(str(amount)) if amount is not None else None,
               matched=bool(body.get("matched", True)), when=when)
    return {"terms": _rows(rows)}


def _match(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    ctx, _ = _ctx(request)
    if not body.get("with"):
        raise ValueError('send {"with": "<the credit note\'s payment term ID>"}')
    return {"terms": _rows(match(ctx, _term(ctx, request.path_params["id"]), _term(ctx, str(body["with"]))))}


def _payable(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    ctx, _ = _ctx(request)
    row = add_payable(ctx, body)
    return {"id": row["ID"]}


ROUTES = [
    Route("/sandbox/divisions/{division:int}/receivables/{id}/payments", _answer(_pay), methods=["POST"]),
    Route("/sandbox/divisions/{division:int}/receivables/{id}/match", _answer(_match), methods=["POST"]),
    Route("/sandbox/divisions/{division:int}/payables", _answer(_payable), methods=["POST"]),
]
