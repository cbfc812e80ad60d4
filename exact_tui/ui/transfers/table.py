"""`TransfersTable`: the Link screen's virtual table showing invoices and their transfer status.

Same widget (`PairsTable`: only the visible lines are drawn, so 100,000 invoices open as fast as
100), other columns: status, number, date, customer, amount, payment (from the last payments check);
currency and Exact number from 96 columns, last message from 110.

At 80 columns the customer's name is what a consultant reads an invoice by, so it gets the room:
the number and amount columns are as wide as the longest number and amount in the list (not a
guess at every system's numbering), the Exact number moves to the line under the table, and the
customer column shows the name without the customer number (which the line under the table shows,
with the full name).
The filter is plain words, all of which must match (number, customer, status, Exact number, payment,
message, date, currency).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style

from ..linking.table import Column, PairsTable, fit, set_cell_size

STATUS_STYLE = {"transferred": "ok", "blocked": "problem", "refused": "problem", "partial": "mid",
                "unknown": "mid", "ignored": "dim", "pending": "base"}


# the payment column is short at 80 columns; the detail line under the table says it in full
PAYMENT_SHORT = {"open": "open", "partly_paid": "part paid", "paid": "paid", "credited": "credited"}
PAYMENT_STYLE = {"open": "base", "partly_paid": "mid", "paid": "ok", "credited": "dim"}
PAYMENT_ORDER = {"open": 0, "partly_paid": 1, "paid": 2, "credited": 3}


NUMBER_WIDTH, AMOUNT_WIDTH = (6, 14), (6, 14)  # header width .. the most a column takes from the customer


def columns(number: int = 10, amount: int = 11) -> tuple[Column, ...]:
    """The columns, with the number and amount columns `number` and `amount` cells wide."""
    return (
        Column("status", "Status", 11),
        Column("number", "Number", number),
        Column("date", "Date", 10),
        Column("customer", "Customer", 10, flex=3),
        Column("amount", "Amount", amount),
        Column("currency", "Cur", 3, min_total=96),
        Column("exact", "Exact no.", 9, min_total=96),
        Column("payment", "Payment", 9),
        Column("message", "Last message", 16, flex=1, min_total=110),
    )


def fitted(rows: Sequence[Any]) -> tuple[Column, ...]:
    """Columns whose number and amount widths fit the longest invoice number (with its " CN") and
    amount of `rows`, within NUMBER_WIDTH / AMOUNT_WIDTH (a longer one is cut, ending in …)."""
    if not rows:
        return columns()
    number = max(len(r.invoice.number) + (3 if str(r.invoice.kind) == "credit_note" else 0) for r in rows)
    totals = [r.invoice.total for r in rows]
    amount = max(len(f"{max(totals):,.2f}"), len(f"{min(totals):,.2f}"))
    return columns(min(max(number, NUMBER_WIDTH[0]), NUMBER_WIDTH[1]),
                   min(max(amount, AMOUNT_WIDTH[0]), AMOUNT_WIDTH[1]))


class TransfersTable(PairsTable):
    COLUMNS = columns()

    KEEP_SEARCH_TEXT = False  # status and message change in place

    def set_rows(self, rows: Sequence[Any], *, keep_cursor: bool = True) -> None:
        self.COLUMNS = fitted(rows)
        self._layout = []
        super().set_rows(rows, keep_cursor=keep_cursor)

    def _matching(self, indices: Iterable[int], text: str) -> list[int]:
        hays = self._hay_list()
        out = list(indices)
        for word in text.casefold().split():
            out = [i for i in out if word in hays[i]]
        return out

    def field_text(self, row: Any, name: str) -> str:
        inv = row.invoice
        return (f"{row.status} {inv.number} {inv.date.isoformat()} {row.customer} {inv.currency} {inv.kind} "
                f"{row.exact_number} {row.message} {row.payment_text}" + (" edited" if row.edited else "")).casefold()

    def _sort_function(self, key: str) -> Callable[[Any], Any]:
        if key == "amount":
            return lambda r: r.invoice.total
        if key == "date":
            return lambda r: (r.invoice.date, r.invoice.number)
        if key == "number":
            return lambda r: (len(r.invoice.number), r.invoice.number)
        if key == "exact":
            return lambda r: (len(r.exact_number), r.exact_number)
        if key == "status":
            return lambda r: str(r.status)
        if key == "currency":
            return lambda r: r.invoice.currency
        if key == "payment":
            return lambda r: (PAYMENT_ORDER.get(r.payment, 9), r.payment_text)
        if key == "customer":
            return lambda r: r.customer.casefold()
        return lambda r: r.message.casefold()

    def _mark(self, row: Any, background: Style) -> Segment:
        selected = row.id in self.selected
        if row.problem:
            return Segment("!●" if selected else "! ", background + self._style("problem"))
        if row.result:
            return Segment("✓●" if selected else "✓ ", background + self._style("ok"))
        return Segment("● " if selected else "  ", background)

    def _cell(self, key: str, row: Any, width: int, bg: Style) -> list[Segment]:
        inv = row.invoice
        if key == "status":
            text = str(row.status) + (" ✎" if row.edited else "")
            return [Segment(set_cell_size(text, width), bg + self._style(STATUS_STYLE.get(str(row.status), "base")))]
        if key == "number":
            text = inv.number + (" CN" if str(inv.kind) == "credit_note" else "")
            return [Segment(fit(text, width), bg)]
        if key == "date":
            return [Segment(set_cell_size(inv.date.isoformat(), width), bg)]
        if key == "customer":
            return [Segment(fit(row.customer_name or row.customer, width), bg)]
        if key == "amount":
            return [Segment(fit(f"{inv.total:,.2f}".rjust(width), width), bg)]
        if key == "currency":
            return [Segment(set_cell_size(inv.currency, width), bg)]
        if key == "exact":
            return [Segment(set_cell_size(row.exact_number or "—", width), bg + (Style() if row.exact_number
                                                                               else self._style("dim")))]
        if key == "payment":
            short = PAYMENT_SHORT.get(row.payment, "—")
            return [Segment(set_cell_size(short, width), bg + self._style(PAYMENT_STYLE.get(row.payment, "dim")))]
        style = self._style("problem") if row.problem else self._style("dim")
        return [Segment(fit(row.message, width), bg + style)]
