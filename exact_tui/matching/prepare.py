"""One side's records normalised once into columns, so scoring works on arrays, not objects.

Keys that are only ever compared for equality (postcode, phone, VAT, ...) are encoded as integers
(0 = missing) from dictionaries both sides share, which turns a million pair comparisons into a
numpy expression instead of a Python loop. Work goes by column, not by record: names, addresses
and towns are normalised once per distinct value (both sides often hold the very same spelling;
towns repeat thousands of times), and keys made of two fields (postcode + house number) are
combined from their codes with numpy, not from strings.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np

from .model import MatchRecord
from .normalise import (
    AddressKey, NameKey, email_parts, normalise_addresses, normalise_city, normalise_code, normalise_coc,
    normalise_country, normalise_names, normalise_postcodes, normalise_vat, phone_keys,
    website_domain,
)

KEY_FIELDS = ("pc", "pc_area", "house", "street", "country", "phone", "email", "domain", "web", "vat", "coc",
              "code", "flags")
# fields compared with each other share one dictionary: a mail domain meets a website's domain
_SPACE = {"web": "domain"}
# codes stay below 2**31 (they count the values encoded), so two of them combine into one int64
# key without collisions
_SHIFT = np.int64(1 << 31)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeyCodes:
    """What the two sides of one run share: the string -> int dictionaries of the equality keys
    ("" is always 0) and the normalised names, addresses and towns by what was typed, so a value
    both sides hold (or a town a thousand records hold) is normalised once."""

    def __init__(self) -> None:
        self._codes: dict[str, dict[str, int]] = {}
        self._next: dict[str, int] = {}
        self.cache: dict[str, dict[Any, Any]] = {}  # per field: what was typed -> normalised

    def encode(self, values: list[str], space: str = "") -> np.ndarray:
        """Codes of `values`: equal strings of one space get equal codes, different ones different
        codes ("" is 0). One pass in C: a value seen before keeps its code, a new one takes the
        running position as its code (unique, not dense), so the same records always get the
        same codes."""
        codes = self._codes.setdefault(space, {"": 0})
        start = self._next.get(space, 1)
        self._next[space] = start + len(values)
        return np.fromiter(map(codes.setdefault, values, itertools.count(start)), dtype=np.int64, count=len(values))

    def mapped(self, kind: str, fn: Callable[[K], V], values: Sequence[K]) -> list[V]:
        """`fn(v)` for every value, computed once per distinct value of this run."""
        cache = self.cache.setdefault(kind, {})
        return [cache[v] if v in cache else cache.setdefault(v, fn(v)) for v in values]

    def mapped_column(self, kind: str, fn: Callable[[list[K]], list[V]], values: Sequence[K]) -> list[V]:
        """`mapped` for a column form `fn` (`normalise_names`): one call on the distinct values
        not seen yet in this run, which it works through as one text."""
        cache = self.cache.setdefault(kind, {})
        new = [v for v in dict.fromkeys(values) if v not in cache]
        if new:
            cache.update(zip(new, fn(new)))
        return list(map(cache.__getitem__, values))


class Column(list[str]):
    """A column of normalised text: a list (`col[i]`), and `take(rows)`, the values of many rows
    at once — one numpy fancy index over an object array instead of a Python lookup per row,
    half the time for the million rows of a large run's pairs."""

    __slots__ = ("_array",)

    def take(self, rows: np.ndarray) -> list[str]:
        array = self.ready()
        return array[rows].tolist() if len(rows) else []

    def ready(self) -> np.ndarray:
        """The column as an object array, made on first use (or ahead, before a fork, so both
        processes share it)."""
        array = getattr(self, "_array", None)
        if array is None or len(array) != len(self):
            array = self._array = np.array(self, dtype=object)
        return array


def distinct_pairs(e_codes: np.ndarray, l_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For pairs of coded values: one representative pair per distinct (Exact, local) combination
    and, per pair, the index of its combination. A field that repeats (a town) is then compared
    once per combination of two towns instead of once per pair."""
    key = e_codes * _SHIFT + l_codes
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    start = np.concatenate(([True], ordered[1:] != ordered[:-1])) if len(key) else np.zeros(0, bool)
    group = np.empty(len(key), np.int64)
    group[order] = np.cumsum(start) - 1
    return order[start], group


def _combined(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One key for two codes where both are present (0 otherwise): the pair of strings as a number."""
    return np.where((a != 0) & (b != 0), a * _SHIFT + b, 0)


@dataclass(slots=True)
class Side:
    """Normalised columns of one side; row i is `records[i]` (sorted by id for determinism)."""

    records: list[MatchRecord]
    names: list[NameKey]
    name: Column
    address: Column
    city: Column
    raw: dict[str, Column]  # normalised equality keys as text, for explanations
    keys: dict[str, np.ndarray] = field(default_factory=dict)
    has_address: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    has_city: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    block_tokens: list[tuple[str, ...]] = field(default_factory=list)
    # the name's words in sorted order: `fuzz.ratio` of these is `fuzz.token_sort_ratio` of the
    # names without sorting the words again for every pair
    name_sorted: Column = field(default_factory=Column)
    # ... and its distinct words in sorted order, with their codes (`word_codes[word_start[i]:
    # word_start[i + 1]]` are row i's, sorted): for names that share no word `fuzz.ratio` of these
    # is `fuzz.token_set_ratio`, see `shares_word`
    name_words: Column = field(default_factory=Column)
    word_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    word_start: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))

    def __len__(self) -> int:
        return len(self.records)

    def ready_for_scoring(self) -> None:
        """Make the object arrays of the columns scoring picks pairs from (`Column.ready`)."""
        for column in (self.name, self.name_sorted, self.name_words, self.address, self.city,
                       *(self.raw[k] for k in ("street", "house", "pc", "phone"))):
            column.ready()


def shares_word(E: Side, L: Side, ei: np.ndarray, li: np.ndarray) -> np.ndarray:
    """Per pair: do the two names have a word in common? Vectorised: each Exact word of each pair
    is looked up among the local record's words by binary search over (record, word) keys."""
    n = len(ei)
    if not n:
        return np.zeros(0, bool)
    e_count = np.diff(E.word_start)[ei]
    pair = np.repeat(np.arange(n), e_count)
    # the position of each of the pair's Exact words in E.word_codes
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(e_count) - e_count, e_count)
    words = E.word_codes[np.repeat(E.word_start[ei], e_count) + offset]
    l_rows = np.repeat(np.arange(len(L)), np.diff(L.word_start))
    known = np.sort(l_rows * _SHIFT + L.word_codes)  # every (local record, word)
    wanted = li[pair] * _SHIFT + words
    at = np.minimum(np.searchsorted(known, wanted), max(len(known) - 1, 0))
    hit = known[at] == wanted if len(known) else np.zeros(len(wanted), bool)
    return np.bincount(pair[hit], minlength=n) > 0


_GENERIC_STREET = frozenset({"str", "st", "ln", "av", "bd", "rd", "wg", "pln", "gr", "kd", "sq", "dr",
                             "pl", "rue", "via", "calle", "postbus", "po", "box", "van", "der", "den"})


def _addresses(texts: list[str]) -> list[tuple[AddressKey, str, tuple[str, ...]]]:
    """Per address its key, and the street without "Street"/"Rd."/"Pl." as text and as words: one
    side writes "998 Spring", the other "998 Spring Boulevard"."""
    out = []
    for ak in normalise_addresses(texts):
        core = tuple([t for t in ak.street.split() if t not in _GENERIC_STREET])
        out.append((ak, " ".join(core), core))
    return out


_TEXT_FIELDS = ("name", "address", "postcode", "city", "country", "phone")
_NUMBER_FIELDS = ("email", "website", "vat", "coc", "code")
_NO_MAIL = ("", "")  # no e-mail: no address, no domain


@dataclass(slots=True)
class Normalised:
    """A side's records normalised, before the equality keys are encoded: plain lists, so a forked
    child can compute them and send them back (`parallel.both`)."""

    names: list[NameKey]
    address: list[str]
    city: list[str]
    raw: dict[str, list[str]]
    block_tokens: list[tuple[str, ...]]
    name_sorted: list[str]
    distinct: list[list[str]]  # per record, the name's distinct words in sorted order

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with the names as four columns: a tenth of the time of pickling each `NameKey`,
        most of the cost of sending a side from the child that normalised it."""
        parts = [list(col) for col in zip(*self.names)] if self.names else [[], [], [], []]
        return (_unpickled, (parts, self.address, self.city, self.raw, self.block_tokens, self.name_sorted,
                             self.distinct))


def _unpickled(parts: list[list[Any]], *rest: Any) -> Normalised:
    return Normalised([tuple.__new__(NameKey, p) for p in zip(*parts)], *rest)


def prepare(records: Sequence[MatchRecord], codes: KeyCodes) -> Side:
    """Normalise every record of a side once (`normalised`), then encode its keys (`encoded`)."""
    return encoded(records, normalised(records, codes), codes)


def normalised(records: Sequence[MatchRecord], codes: KeyCodes, *, numbers: bool = True) -> Normalised:
    """Normalise every record of a side once, column by column; without `numbers`, the e-mail,
    website, VAT, KvK and customer-number columns are left to `numbers_of`.

    Names, addresses and towns are normalised once per distinct value (both sides often hold the
    same spelling; towns repeat thousands of times); the cheap fields, mostly different on every
    record, are normalised straight away, as looking them up costs about as much."""
    recs = records if isinstance(records, list) else list(records)
    m = codes.mapped
    # every field as a column, in one pass over the records
    cols = dict(zip(_TEXT_FIELDS, zip(*map(attrgetter(*_TEXT_FIELDS), recs)))) if recs else \
        {f: () for f in _TEXT_FIELDS}
    names = codes.mapped_column("name", normalise_names, cols["name"])
    country = m("country", normalise_country, cols["country"])
    addr = codes.mapped_column("address", _addresses, cols["address"])
    address = [a[0].text for a in addr]
    raw: dict[str, list[str]] = {}
    raw["house"] = [a[0].house for a in addr]
    raw["street"] = [a[1] for a in addr]
    block_tokens = [tuple(set(nk.tokens).union(a[2])) if a[2] else tuple(set(nk.tokens))
                    for nk, a in zip(names, addr)]
    pcs = normalise_postcodes(list(cols["postcode"]), country)
    raw["pc"] = [p[0] for p in pcs]
    raw["pc_area"] = [p[1] for p in pcs]
    city = m("city", normalise_city, cols["city"])
    raw["country"] = country
    raw["phone"] = phone_keys(list(cols["phone"]), country)
    if numbers:
        raw.update(numbers_of(recs))
    raw["flags"] = ["|".join(sorted(nk.flags)) if nk.flags else "" for nk in names]
    # the core is its tokens joined by spaces: sorted once, they give both sorted forms
    words = list(map(sorted, map(attrgetter("tokens"), names)))
    name_sorted = list(map(" ".join, words))
    distinct = [w if len(w) < 2 or len(set(w)) == len(w) else sorted(set(w)) for w in words]
    return Normalised(names, address, city, raw, block_tokens, name_sorted, distinct)


def numbers_of(records: list[MatchRecord]) -> dict[str, list[str]]:
    """The e-mail address and domain, website domain, VAT, KvK and customer number of every record:
    cheap fields that the engine normalises itself while a forked child works on the rest of the
    same side (and that need not be sent back)."""
    cols = dict(zip(_NUMBER_FIELDS, zip(*map(attrgetter(*_NUMBER_FIELDS), records)))) if records else \
        {f: () for f in _NUMBER_FIELDS}
    mails = [email_parts(e) if e else _NO_MAIL for e in cols["email"]]
    return {"email": [e[0] for e in mails], "domain": [e[1] for e in mails],
            "web": [website_domain(w) if w else "" for w in cols["website"]],
            "vat": [normalise_vat(v) if v else "" for v in cols["vat"]],
            "coc": [normalise_coc(v) if v else "" for v in cols["coc"]],
            "code": [normalise_code(v) if v else "" for v in cols["code"]]}


def encoded(records: Sequence[MatchRecord], norm: Normalised, codes: KeyCodes) -> Side:
    """The side's columns with its equality keys as integer codes from the run's shared dictionaries."""
    recs = records if isinstance(records, list) else list(records)
    n = len(recs)
    names, address, city, raw, distinct = norm.names, norm.address, norm.city, norm.raw, norm.distinct
    side = Side(recs, names, Column(nk.core for nk in names), Column(address), Column(city),
                {k: Column(raw[k]) for k in KEY_FIELDS}, block_tokens=norm.block_tokens,
                name_sorted=Column(norm.name_sorted))
    side.name_words = Column(map(" ".join, distinct))
    side.word_codes = codes.encode(list(itertools.chain.from_iterable(distinct)), "word")
    side.word_start = np.concatenate(([0], np.cumsum(np.fromiter(map(len, distinct), np.int64, n))))
    for k in KEY_FIELDS:
        side.keys[k] = codes.encode(raw[k], _SPACE.get(k, k))
    side.has_address = np.fromiter(map(bool, address), dtype=bool, count=n)
    side.has_city = np.fromiter(map(bool, city), dtype=bool, count=n)
    keys = side.keys
    keys["city"] = codes.encode(city, "city")
    # postcode + house number: the address block that survives a mistyped street name
    keys["pc_house"] = _combined(keys["pc"], keys["house"])
    # street + house number: the address block where postcodes are missing or mistyped
    keys["street_house"] = _combined(keys["street"], keys["house"])
    # house number + place: survives a mistyped street name where the postcode is missing
    keys["house_city"] = _combined(keys["house"], keys["city"])
    # street + place: the block for a mistyped house number where the postcode is missing too
    keys["street_city"] = _combined(keys["street"], keys["city"])
    return side
