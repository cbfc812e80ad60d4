from decimal import Decimal
import datetime as dt

import pytest

from exact_tui.domain.customer import CustomerNumbers, customer_number_problem, pad_account_code, strip_account_code
from exact_tui.domain.invoice import Invoice, InvoiceLine
from exact_tui.domain.products import ProductNumber


@pytest.mark.parametrize("number, ok", [("1042", True), ("123456789", True), ("1234567890", False), ("10A2", False), ("", False), (" 7 ", True)])
def test_customer_number_rule(number, ok):
    assert (customer_number_problem(number) is None) is ok


def test_account_code_padding_roundtrip():
    padded = pad_account_code("1042")
    assert len(padded) == 18 and padded.endswith("1042") and padded.startswith(" ")
    assert strip_account_code(padded) == "1042"


def test_next_number_continues_highest_numeric_code_of_either_side():
    numbers = CustomerNumbers(local=["17", "ABC", "1200"], exact=[pad_account_code("1500"), "9999999999"])
    assert numbers.next_number() == "1501"


def test_invoice_total_uses_decimals():
    inv = Invoice("i1", "2026-1", "c1", dt.date(2026, 1, 5), lines=[InvoiceLine("work", Decimal("1.5"), Decimal("80.10"))])
    assert inv.total == Decimal("120.15")


def test_product_number_problems_name_the_failure():
    item = ProductNumber(code="T1", description="Consultancy", divisible=False, revenue_gl="")
    problems = item.problems()
    assert any("divisible" in p for p in problems) and any("general ledger" in p for p in problems)
