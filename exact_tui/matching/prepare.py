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
from functools import partial
from operator import attrgetter, eq
from typing import Any, TypeVar

import numpy as np

from . import parallel
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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as one text, the values joined by NUL, which no value holds: a fifth of the time
        of pickling each string, for the columns a forked child sends back."""
        text = "\0".join(self)
        if len(self) > 1 and text.count("\0") == len(self) - 1:
            return (_split, (text,))
        return (Column, (list(self),))

    def take(self, rows: np.ndarray) -> list[str]:
        array = self.ready()
        return array[rows].tolist() if len(rows) else []

    def ready(self) -> np.ndarray:
        """The column as an object array, made on first use (`Side.ready_for_scoring` makes them
        ahead, in each process that scores)."""
        array = getattr(self, "_array", None)
        if array is None or len(array) != len(self):
            array = self._array = np.array(self, dtype=object)
        return array


def _split(text: str) -> Column:
    return Column(text.split("\0"))


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
    tokens: list[tuple[str, ...]] | None = None  # `block_tokens()`, once made
    known: np.ndarray | None = None  # `word_keys()`, once made
    # the name's words in sorted order: `fuzz.ratio` of these is `fuzz.token_sort_ratio` of the
    # names without sorting the words again for every pair
    name_sorted: Column = field(default_factory=Column)
    # ... and its distinct words in sorted order, with their codes (`word_codes[word_start[i]:
    # word_start[i + 1]]` are row i's, sorted): for names that share no word `fuzz.ratio` of these
    # is `fuzz.token_set_ratio`, see `shares_word`
    name_words: Column = field(default_factory=Column)
    # per row: `name_sorted[i]` is `name[i]` (its words are in sorted order already), and
    # `name_words[i]` is too (... and distinct): a ratio of those forms is the name's own ratio
    in_order: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    words_in_order: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    word_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    word_start: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    ids: list[str] = field(default_factory=list)  # `records[i].id`

    def __len__(self) -> int:
        return len(self.records)

    def block_tokens(self) -> list[tuple[str, ...]]:
        """Per record the name's words and the street's (without "Street"/"Rd."), each once: what
        blocking looks up. Made on first use, by blocking, which runs beside the forked child that
        works out the name parts and has the time to spare."""
        if self.tokens is None:
            self.tokens = [tuple(set(nk.tokens).union(street.split())) if street else tuple(set(nk.tokens))
                           for nk, street in zip(self.names, self.raw["street"])]
        return self.tokens

    def word_keys(self) -> np.ndarray:
        """Every (record, word code) of the names as one sorted number (`shares_word` looks pairs
        up in it): made once, not for every scoring call."""
        if self.known is None:
            rows = np.repeat(np.arange(len(self)), np.diff(self.word_start))
            self.known = np.sort(rows * _SHIFT + self.word_codes)
        return self.known

    def ready_for_scoring(self) -> None:
        """Make the object arrays of the columns scoring picks pairs from (`Column.ready`), and the
        word keys."""
        for column in (self.name, self.name_sorted, self.name_words, self.address, self.city,
                       *(self.raw[k] for k in ("street", "house", "pc", "phone"))):
            column.ready()
        self.word_keys()


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
    known = L.word_keys()  # every (local record, word)
    wanted = li[pair] * _SHIFT + words
    at = np.minimum(np.searchsorted(known, wanted), max(len(known) - 1, 0))
    hit = known[at] == wanted if len(known) else np.zeros(len(wanted), bool)
    return np.bincount(pair[hit], minlength=n) > 0


_GENERIC_STREET = frozenset({"str", "st", "ln", "av", "bd", "rd", "wg", "pln", "gr", "kd", "sq", "dr",
                             "pl", "rue", "via", "calle", "postbus", "po", "box", "van", "der", "den"})


_NO_MAIL = ("", "")  # no e-mail: no address, no domain
Part = dict[str, Any]  # what one group of fields made of one side: columns by name


class _NameKeys(list[NameKey]):
    """A side's name keys, pickled as four columns (a tenth of the time of pickling each
    `NameKey`), for a forked child that sends them back."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_name_keys, ([list(col) for col in zip(*self)] if self else [[], [], [], []],))


def _name_keys(parts: list[list[Any]]) -> _NameKeys:
    return _NameKeys([tuple.__new__(NameKey, p) for p in zip(*parts)])


def _column(records: list[MatchRecord], name: str) -> list[str]:
    return list(map(attrgetter(name), records))


def _columns(records: list[MatchRecord], *names: str) -> list[list[str]]:
    """Several fields as columns, in one pass over the records: they lie scattered in memory once
    sorted by id, and each pass costs a cache miss per record."""
    if not records:
        return [[] for _ in names]
    return [list(col) for col in zip(*map(attrgetter(*names), records))]


def _names(records: list[MatchRecord], codes: KeyCodes) -> Part:
    """The name key, its legal-form flags, and its words sorted, with their codes."""
    names = _NameKeys(codes.mapped_column("name", normalise_names, _column(records, "name")))
    flags = Column(["|".join(sorted(nk.flags)) if nk.flags else "" for nk in names])
    # the core is its tokens joined by spaces: sorted once, they give both sorted forms
    words = list(map(sorted, map(attrgetter("tokens"), names)))
    distinct = [w if len(w) < 2 or len(set(w)) == len(w) else sorted(set(w)) for w in words]
    name_sorted, name_words = Column(map(" ".join, words)), Column(map(" ".join, distinct))
    cores = [nk.core for nk in names]
    return {"names": names, "flags": flags, "name_sorted": name_sorted, "name_words": name_words,
            "in_order": np.fromiter(map(eq, name_sorted, cores), bool, len(names)),
            "words_in_order": np.fromiter(map(eq, name_words, cores), bool, len(names)),
            "word_codes": codes.encode(list(itertools.chain.from_iterable(distinct)), "word"),
            "word_start": np.concatenate(([0], np.cumsum(np.fromiter(map(len, distinct), np.int64, len(names))))),
            "keys": {"flags": codes.encode(flags, "flags")}}


def _addresses(records: list[MatchRecord], codes: KeyCodes) -> Part:
    """The street address key, the house number, and the street without "Street"/"Rd."/"Pl.": one
    side writes "998 Spring", the other "998 Spring Boulevard"."""
    addr = codes.mapped_column("address", _address_forms, _column(records, "address"))
    house, street = Column([a[0].house for a in addr]), Column([a[1] for a in addr])
    return {"address": Column([a[0].text for a in addr]), "house": house, "street": street,
            "keys": {"house": codes.encode(house, "house"), "street": codes.encode(street, "street")}}


def _address_forms(texts: list[str]) -> list[tuple[AddressKey, str]]:
    return [(ak, " ".join([t for t in ak.street.split() if t not in _GENERIC_STREET]))
            for ak in normalise_addresses(texts)]


def _places(records: list[MatchRecord], codes: KeyCodes) -> Part:
    """Country, postcode and its area, town and phone number: the postcode and the phone are read
    by the record's country."""
    countries, postcodes, cities, phones = _columns(records, "country", "postcode", "city", "phone")
    country = codes.mapped("country", normalise_country, countries)
    pcs = normalise_postcodes(postcodes, country)
    pc, area = Column([p[0] for p in pcs]), Column([p[1] for p in pcs])
    city = Column(codes.mapped("city", normalise_city, cities))
    phone = Column(phone_keys(phones, country))
    return {"country": Column(country), "pc": pc, "pc_area": area, "phone": phone, "city": city,
            "keys": {"pc": codes.encode(pc, "pc"), "pc_area": codes.encode(area, "pc_area"),
                     "country": codes.encode(country, "country"), "phone": codes.encode(phone, "phone"),
                     "city": codes.encode(city, "city")}}


def _numbers(records: list[MatchRecord], codes: KeyCodes) -> Part:
    """The e-mail address and domain, website domain, VAT, KvK and customer number: mostly
    different on every record, so normalised straight away (looking them up costs as much); and
    the ids."""
    ids, emails, sites, vats, cocs, numbers = _columns(records, "id", "email", "website", "vat", "coc", "code")
    mails = [email_parts(e) if e else _NO_MAIL for e in emails]
    part: Part = {"ids": ids, "email": Column([e[0] for e in mails]), "domain": Column([e[1] for e in mails]),
                  "web": Column([website_domain(w) if w else "" for w in sites]),
                  "vat": Column([normalise_vat(v) if v else "" for v in vats]),
                  "coc": Column([normalise_coc(v) if v else "" for v in cocs]),
                  "code": Column([normalise_code(v) if v else "" for v in numbers])}
    part["keys"] = {k: codes.encode(part[k], _SPACE.get(k, k)) for k in ("email", "domain", "web", "vat", "coc", "code")}
    return part


Group = Callable[[list[MatchRecord], KeyCodes], Part]  # its text columns are `Column`s
# each group encodes its own fields' dictionaries, so the groups may run in any order or process:
# per dictionary the Exact side is encoded first, and the codes are the ones one process gives
_HERE: tuple[Group, ...] = (_names, _numbers)
_THERE: tuple[Group, ...] = (_addresses, _places)


def prepare(records: Sequence[MatchRecord], codes: KeyCodes) -> Side:
    """Normalise every record of a side once, field group by field group, and encode its keys.

    Names and addresses are normalised once per distinct value of the run (both sides often hold
    the same spelling); towns and countries too (they repeat thousands of times)."""
    recs = records if isinstance(records, list) else list(records)
    return _side(recs, _merged([group(recs, codes) for group in _HERE + _THERE]))


def prepare_sides(exact: Sequence[MatchRecord], local: Sequence[MatchRecord], codes: KeyCodes) -> tuple[Side, Side]:
    """`prepare` of both sides, the field groups shared by two cores (`parallel.both`): names and
    numbers here, addresses and places in the child, each group for both sides, the Exact side
    first — the sides `prepare(exact)` then `prepare(local)` give."""
    ex = exact if isinstance(exact, list) else list(exact)
    lo = local if isinstance(local, list) else list(local)

    def run(groups: tuple[Group, ...]) -> list[tuple[Part, Part]]:
        return [(group(ex, codes), group(lo, codes)) for group in groups]

    here, there = parallel.both(partial(run, _HERE), partial(run, _THERE), len(ex) + len(lo), parallel.MIN_RECORDS)
    done = here + there
    return _side(ex, _merged([e for e, _ in done])), _side(lo, _merged([loc for _, loc in done]))


def _merged(parts: list[Part]) -> Part:
    out: Part = {"keys": {}}
    for part in parts:
        out["keys"].update(part["keys"])
        out.update((k, v) for k, v in part.items() if k != "keys")
    return out


def _side(records: list[MatchRecord], part: Part) -> Side:
    """The side's columns from its field groups, and the keys made of two fields."""
    names, address, city, keys = part["names"], part["address"], part["city"], part["keys"]
    n = len(records)
    side = Side(records, names, Column(nk.core for nk in names), address, city,
                {k: part[k] for k in KEY_FIELDS}, keys=keys,
                name_sorted=part["name_sorted"], name_words=part["name_words"],
                in_order=part["in_order"], words_in_order=part["words_in_order"],
                word_codes=part["word_codes"], word_start=part["word_start"], ids=part["ids"])
    side.has_address = np.fromiter(map(bool, address), dtype=bool, count=n)
    side.has_city = np.fromiter(map(bool, city), dtype=bool, count=n)
    # postcode + house number: the address block that survives a mistyped street name
    keys["pc_house"] = _combined(keys["pc"], keys["house"])
    # street + house number: the address block where postcodes are missing or mistyped
    keys["street_house"] = _combined(keys["street"], keys["house"])
    # house number + place: survives a mistyped street name where the postcode is missing
    keys["house_city"] = _combined(keys["house"], keys["city"])
    # street + place: the block for a mistyped house number where the postcode is missing too
    keys["street_city"] = _combined(keys["street"], keys["city"])
    return side
