"""Cell values as spreadsheets write them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from exact_tui.localdata.values import (DecimalStyle, email_problem, parse_bool, parse_country, parse_date,
                                        parse_decimal, vat_problem)

COMMA, POINT = DecimalStyle.COMMA, DecimalStyle.POINT


@pytest.mark.parametrize("text, style, expected", [
    ("1.234,50", POINT, "1234.50"), ("1,234.50", COMMA, "1234.50"), ("1234,5", COMMA, "1234.5"),
    ("12.5", POINT, "12.5"), ("-2", POINT, "-2"), ("(12.50)", POINT, "-12.50"), ("€ 1.234,50", POINT, "1234.50"),
    ("1,234", POINT, "1234"), ("1,234", COMMA, "1.234"), ("1.234", COMMA, "1234"), ("1.234.567,89", POINT, "1234567.89"),
    ("1,234,567", COMMA, "1234567"), ("95", COMMA, "95"), ("12,50-", COMMA, "-12.50"), (" 7 ", POINT, "7"),
])
def test_amounts_in_both_styles(text, style, expected):
    assert parse_decimal(text, style) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3,4,5", "12,34,5", "1e5", "--1", "1.23.4"])
def test_bad_amounts(text):
    with pytest.raises(ValueError):
        parse_decimal(text, POINT)


def test_file_style_detected_from_unambiguous_cells():
    assert DecimalStyle.detect(["1,234", "12,50"], POINT) is COMMA
    assert DecimalStyle.detect(["1,234", "1,234.5"], COMMA) is POINT
    assert DecimalStyle.detect(["1,234", "7"], POINT) is POINT  # nothing decides: the default


@pytest.mark.parametrize("text, expected", [
    ("2026-01-31", dt.date(2026, 1, 31)), ("31-01-2026", dt.date(2026, 1, 31)), ("31/01/2026", dt.date(2026, 1, 31)),
    ("1-2-2026", dt.date(2026, 2, 1)), ("31.01.2026", dt.date(2026, 1, 31)), ("2026-01-31T00:00:00", dt.date(2026, 1, 31)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, reason", [("01/31/2026", "day first"), ("31-02-2026", "real date"),
                                          ("31-01-26", "not a date"), ("yesterday", "not a date"), ("", "empty")])
def test_bad_dates(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_email_vat_country_bool():
    assert email_problem("a.b@example.co.uk") is None and email_problem("") is None
    assert email_problem("bad@") and email_problem("no at.nl") and email_problem("a@@b.nl")
    assert vat_problem("NL 1234.56.789.B01") is None and vat_problem("BE0123456789") is None
    assert "NL VAT" in vat_problem("NL12345678B01") and "country code" in vat_problem("123456789")
    assert vat_problem("DK12345678") is None
    assert parse_country("nl") == "NL" and parse_country("België") == "BE" and parse_country("") == ""
    with pytest.raises(ValueError, match="ISO country"):
        parse_country("Narnia")
    assert parse_bool("ja") is True and parse_bool("0") is False
    with pytest.raises(ValueError):
        parse_bool("maybe")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_written_in_either_style_read_back(value):
    plain = f"{abs(value):,.2f}"  # 1,234.50
    dutch = plain.replace(",", "_").replace(".", ",").replace("_", ".")  # 1.234,50
    sign = "-" if value < 0 else ""
    assert parse_decimal(sign + plain, POINT) == value
    assert parse_decimal(sign + dutch, COMMA) == value
