"""The one formatter for counts, plurals and money (domain/wording.py)."""
from decimal import Decimal

from exact_tui.domain.wording import count, money, number, plural


def test_counts_and_plurals():
    assert count(1, "product number") == "1 product number"
    assert count(2, "product number") == "2 product numbers"
    assert count(1, "project type") == "1 project type"
    assert count(1682, "customer") == "1,682 customers"
    assert count(0, "entry") == "0 entries"
    assert count(3, "tax") == "3 taxes"
    assert count(2, "day") == "2 days"
    assert count(2, "person", "people") == "2 people"
    assert plural("needs") == "need" and plural("entry") == "entries"
    assert number(1682) == "1,682" and number(4.5) == "4.5"


def test_money():
    assert money(Decimal("1517")) == "EUR 1,517.00"
    assert money("1234567.125", "GBP") == "GBP 1,234,567.13"
    assert money(Decimal("-12.5")) == "EUR -12.50"
    assert money("n/a") == "EUR n/a"


def test_services_word_their_counts_with_the_one_formatter():
    """Step 3 read '1517 EUR' (a count of invoices, not an amount) and step 6 '1 items imported'."""
    from collections import Counter

    from exact_tui.services.journal import currency_summary
    from exact_tui.services.products import ImportResult

    assert currency_summary(Counter({"EUR": 1517, "USD": 1})) == \
        "Local invoices by currency: 1,517 invoices in EUR, 1 invoice in USD"
    one = ImportResult(items=[object()], added=["A"])  # type: ignore[list-item]
    assert one.summary() == "1 item imported from Exact"
