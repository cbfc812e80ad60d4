"""The Link screen's filter words, without Textual (the table widget only calls these).

All words must hold: free text (name, code, city, local customer), `>=80`, `<50`, `80..95`
(score), `city:utrecht`, `code:10`, `name:bakker`, `local:jansen`, `postcode:1234`. Plain words
only narrow while typing, which lets the table filter its current view instead of every row.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from .records import Row

_SCORE = re.compile(r"^(?:score)?(>=|<=|>|<|=)(\d+(?:\.\d+)?)$")
_RANGE = re.compile(r"^(?:score)?(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)$")
_FIELD = re.compile(r"^(name|code|city|local|postcode):(.+)$")


class FilterHost(Protocol):
    """What a filter test reads a row's texts through (the table, which caches them)."""

    def field_text(self, row: Row, name: str) -> str: ...

    def haystack(self, row: Row) -> str: ...


Test = Callable[[Row, FilterHost], bool]


def parse_filter(text: str) -> list[Test]:
    """One test per filter word; a row is shown when all of them hold."""
    tests: list[Test] = []
    for word in text.casefold().split():
        m = _SCORE.match(word)
        if m:
            tests.append(_score_test(m.group(1), float(m.group(2))))
            continue
        m = _RANGE.match(word)
        if m:
            low, high = sorted((float(m.group(1)), float(m.group(2))))
            tests.append(_range_test(low, high))
            continue
        m = _FIELD.match(word)
        if m:
            tests.append(_field_test(*m.groups()))
            continue
        tests.append(_word_test(word))
    return tests


def _range_test(low: float, high: float) -> Test:
    return lambda row, t: low <= row.score <= high


def _field_test(name: str, value: str) -> Test:
    return lambda row, t: value in t.field_text(row, name)


def _word_test(word: str) -> Test:
    return lambda row, t: word in t.haystack(row)


def free_text(text: str) -> bool:
    """Only plain words (no score tests or field: words), so a longer text can only narrow."""
    return all(not (_SCORE.match(w) or _RANGE.match(w) or _FIELD.match(w)) for w in text.casefold().split())


def _score_test(op: str, value: float) -> Test:
    return {">=": lambda r, t: r.score >= value, "<=": lambda r, t: r.score <= value,
            ">": lambda r, t: r.score > value, "<": lambda r, t: r.score < value,
            "=": lambda r, t: round(r.score) == round(value)}[op]


def field_text(row: Row, customer: Any, name: str) -> str:
    """The casefolded text a `name:` word searches in (both sides where it makes sense); "all" is
    the free-text haystack."""
    e = row.exact
    if name == "name":
        return e.name.casefold()
    if name == "code":
        return f"{e.code} {getattr(customer, 'number', '')}".casefold()
    if name == "city":
        return f"{e.city} {getattr(customer, 'city', '')}".casefold()
    if name == "postcode":
        return f"{e.postcode} {getattr(customer, 'postcode', '')}".replace(" ", "").casefold()
    if name == "local":
        return f"{getattr(customer, 'name', '')} {getattr(customer, 'number', '')}".casefold()
    return f"{e.name} {e.code} {e.city} {getattr(customer, 'name', '')} {getattr(customer, 'number', '')} " \
           f"{getattr(customer, 'city', '')}".casefold()
