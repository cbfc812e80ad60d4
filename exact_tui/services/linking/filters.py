"""The Link screen's filter words, without Textual (the table widget only calls these).

All words must hold: free text (name, code, city, local customer), `>=80`, `<50`, `80..95`
(score), `city:utrecht`, `code:10`, `name:bakker`, `local:jansen`, `postcode:1234`. Plain words
only narrow while typing, which lets the table filter its current view instead of every row.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter, methodcaller
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


@dataclass(frozen=True, slots=True)
class Word:
    """One filter word, read once: `kind` is "score" (`op` a comparison), "range" (`low`..`high`),
    "field" (`op` the field name, `text` the value) or "text" (free text)."""

    kind: str
    op: str = ""
    low: float = 0.0
    high: float = 0.0
    text: str = ""


def words(text: str) -> list[Word]:
    """The filter's words; a row is shown when all of them hold (`parse_filter` tests rows one by
    one, the Link table applies the same words to whole columns at once)."""
    out: list[Word] = []
    for word in text.casefold().split():
        m = _SCORE.match(word)
        if m:
            out.append(Word("score", m.group(1), low=float(m.group(2))))
            continue
        m = _RANGE.match(word)
        if m:
            low, high = sorted((float(m.group(1)), float(m.group(2))))
            out.append(Word("range", low=low, high=high))
            continue
        m = _FIELD.match(word)
        if m:
            out.append(Word("field", m.group(1), text=m.group(2)))
            continue
        out.append(Word("text", text=word))
    return out


def parse_filter(text: str) -> list[Test]:
    """One test per filter word; a row is shown when all of them hold."""
    tests: list[Test] = []
    for word in words(text):
        if word.kind in ("score", "range"):
            tests.append(_score_test(score_predicates(word)))
        elif word.kind == "field":
            tests.append(_field_test(word.op, word.text))
        else:
            tests.append(_word_test(word.text))
    return tests


def score_predicates(word: Word) -> list[Callable[[float], bool]]:
    """The tests a "score" or "range" word makes of a score (a float); all must hold. Comparisons are
    the float's own bound methods, so a whole column is filtered without a Python call per row."""
    value = word.low
    if word.kind == "range":
        return [value.__le__, word.high.__ge__]  # low <= score <= high
    if word.op == "=":
        return [lambda score: round(score) == round(value)]
    return [{">=": value.__le__, "<=": value.__ge__, ">": value.__lt__, "<": value.__gt__}[word.op]]


def _score_test(holds: list[Callable[[float], bool]]) -> Test:
    return lambda row, t: all(test(row.score) for test in holds)


def _field_test(name: str, value: str) -> Test:
    return lambda row, t: value in t.field_text(row, name)


def _word_test(word: str) -> Test:
    return lambda row, t: word in t.haystack(row)


def free_text(text: str) -> bool:
    """Only plain words (no score tests or field: words), so a longer text can only narrow."""
    return all(not (_SCORE.match(w) or _RANGE.match(w) or _FIELD.match(w)) for w in text.casefold().split())


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


class _Nobody:
    """No local customer, in the many-rows texts: every field empty, as `getattr(None, f, '')` reads."""

    name = number = city = postcode = ""


_NOBODY = _Nobody()


class _NoCandidate:
    """A row without candidates, in the many-rows columns: no local customer, score 0 (as `Row` says)."""

    local_id = None
    score = 0.0


_NO_CANDIDATE = _NoCandidate()


def row_candidates(rows: Sequence[Row]) -> list[Any]:
    """Each row's chosen candidate (`Row.candidate`, without its two property calls per row: half the
    cost at 100,000 rows); a row without any gets a stand-in with no local customer and score 0."""
    return [c[ch] if ch < len(c) else c[-1] if c else _NO_CANDIDATE
            for c, ch in zip(map(attrgetter("candidates"), rows), map(attrgetter("choice"), rows))]


def row_customers(candidates: Sequence[Any], lookup: Callable[[str | None], Any]) -> list[Any]:
    """The local customer of each chosen candidate (`row_candidates`; None when there is none)."""
    return list(map(lookup, map(attrgetter("local_id"), candidates)))


def row_scores(candidates: Sequence[Any]) -> list[float]:
    """Each row's score (`Row.score`) from its chosen candidate (`row_candidates`)."""
    return list(map(float, map(attrgetter("score"), candidates)))


def field_texts(rows: Sequence[Row], customers: Sequence[Any], name: str, *,
                exacts: Sequence[Any] | None = None, people: Sequence[Any] | None = None) -> list[str]:
    """`field_text` of many rows at once, the same strings: at 100,000 rows an f-string per row costs
    ~100 ms, these C-level maps over the attributes a fraction of it. `customers` are `row_customers`;
    a caller that keeps them passes `exacts` (each row's account) and `people` (`as_people(customers)`)."""
    if exacts is None:
        exacts = list(map(attrgetter("exact"), rows))
    if people is None:
        people = as_people(customers)

    def exact(attribute: str) -> Iterator[str]:
        return map(attrgetter(attribute), exacts)

    def local(attribute: str) -> Iterator[str]:
        return map(attrgetter(attribute), people)

    try:
        if name == "name":
            joined: Iterable[str] = exact("name")
        elif name == "code":
            joined = map(" ".join, zip(exact("code"), local("number")))
        elif name == "city":
            joined = map(" ".join, zip(exact("city"), local("city")))
        elif name == "postcode":
            joined = map(methodcaller("replace", " ", ""), map(" ".join, zip(exact("postcode"), local("postcode"))))
        elif name == "local":
            joined = map(" ".join, zip(local("name"), local("number")))
        else:
            joined = map(" ".join, zip(exact("name"), exact("code"), exact("city"), local("name"), local("number"),
                                       local("city")))
        return list(map(str.casefold, joined))
    except (TypeError, AttributeError):  # a field that is not a str (a hand-made record): one row at a time
        return [field_text(r, c, name) for r, c in zip(rows, customers)]


def as_people(customers: Sequence[Any]) -> list[Any]:
    """`row_customers` with a stand-in with empty fields for "no local customer" (what `field_texts` reads)."""
    return [c if c is not None else _NOBODY for c in customers]
