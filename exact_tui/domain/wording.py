"""Numbers as the console writes them: one formatter for counts, plurals and money.

Used by services (their summaries and log lines), the CLI and the UI alike, so "1 product number",
"1,682 linked" and "EUR 1,517.00" read the same everywhere. No Textual, no Rich: plain text.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_IRREGULAR = {"is": "are", "was": "were", "has": "have", "needs": "need", "this": "these", "it": "they"}


def plural(word: str) -> str:
    """'account' → 'accounts', 'entry' → 'entries', 'tax' → 'taxes'; the last word of a phrase changes
    ('product number' → 'product numbers')."""
    head, _, last = word.rpartition(" ")
    if last in _IRREGULAR:
        out = _IRREGULAR[last]
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        out = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        out = last + "es"
    else:
        out = last + "s"
    return f"{head} {out}" if head else out


def number(n: int | float) -> str:
    """Thousands separated: 1682 → '1,682'; 4.5 → '4.5'."""
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,}"
    return f"{int(n):,}"


def count(n: int, one: str, many: str | None = None) -> str:
    """'1 product number', '2 product numbers', '1,682 customers' (`many` for irregular plurals)."""
    return f"{number(n)} {one if n == 1 else (many or plural(one))}"


def money(amount: Decimal | int | float | str, currency: str = "EUR") -> str:
    """'EUR 1,517.00', 'EUR -12.50': two decimals, rounded half up, thousands separated; never a float sum."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return f"{currency} {amount}".strip()
    return f"{currency} {value:,.2f}".strip()
