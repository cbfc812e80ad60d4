"""The one terminal-safe text rule and the one CSV formula guard (exact_tui.domain.text)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exact_tui.domain.text import csv_guard, csv_unguard, printable


def test_printable_escapes_terminal_commands():
    assert printable("L1\x1b]52;c;ZXZpbA==\x07") == "L1\\x1b]52;c;ZXZpbA==\\x07"
    assert printable("a\x1b[2Jb\x9bc") == "a\\x1b[2Jb\\x9bc"  # CSI, and C1's one-byte CSI
    assert printable("evil\u202eexe.txt") == "evil\\u202eexe.txt"  # bidi override
    assert printable("two\nlines\r") == "two\\nlines\\r"
    assert printable("two\nlines", multiline=True) == "two\nlines"
    assert printable("Müller – Café 😀 ‍") == "Müller – Café 😀 ‍"
    assert printable(None) == "" and printable(12) == "12"


@settings(max_examples=300)
@given(st.text())
def test_printable_output_holds_no_control_character(value):
    out = printable(value)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in out)


def test_csv_guard_leaves_numbers_and_escapes_formulas():
    assert csv_guard("-12.5") == "-12.5" and csv_guard("+31") == "+31" and csv_guard("-12,50") == "-12,50"
    assert csv_guard("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and csv_guard("@SUM(1)") == "'@SUM(1)"
    assert csv_guard("+31 20 1234567") == "'+31 20 1234567" and csv_guard("\tx") == "'\tx"
    assert csv_guard("'s-Hertogenbosch") == "''s-Hertogenbosch" and csv_guard(None) == ""


@settings(max_examples=300)
@given(st.text())
def test_csv_guard_is_reversible_and_never_leaves_a_formula(value):
    guarded = csv_guard(value)
    assert csv_unguard(guarded) == value
    assert not guarded.startswith(("=", "@", "\t", "\r")) and (not guarded.startswith(("+", "-")) or guarded == value)
