"""Names compared part by part: which part agrees, and is it the given name or the surname?

One similarity over the whole name cannot tell "Jan Jansen" / "Piet Jansen" (a father and son at
one address: the surname agrees, the given names have nothing in common) from "Jan Jansen" / "Jna
Jansen" (a typo), nor "Sarah Webb" / "Sarah Donaldson" (the same given name, another surname: a
married name or a surname typed anew) from the family case. So the first word (the head) and the
rest of the name (the tail) are compared on their own, straight and crossed ("Hare Tabitha" /
"Holly Hare"), and the part they share is placed by the data itself: a word that stands first in
most multi-word names of this run is a given name, one that stands last a surname. A run whose
files write "Jansen, Jan" learns the other way round; a word seen both ways decides nothing, and
the pair keeps its whole-name level.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .prepare import Side

AGREE = 80.0  # parts this alike are one part typed twice ("hayley" / "haylqey", "ryan" / "ryn")
DIFFER = 55.0  # parts less alike have nothing in common ("jan" / "piet"), as the name level "different"
GIVEN = 0.7  # a word first in at least this share of the names it is first or last in: a given name
SURNAME = 0.3  # ... at most this share: a surname


@dataclass(frozen=True, slots=True)
class _Columns:
    head: np.ndarray  # codes of the words in `vocab`: a pair's parts are picked with one fancy index
    tail: np.ndarray
    last: np.ndarray
    words: np.ndarray  # number of words
    head_first: np.ndarray  # share of the head word's appearances (first or last) that are first
    last_first: np.ndarray
    head_letter: np.ndarray  # the word's first letter as a number, negative for a one-letter word
    last_letter: np.ndarray
    vocab: list[str]  # the words and tails, shared by both sides


_cache: list[tuple[Side, Side, _Columns, _Columns]] = []


def _columns(E: Side, L: Side) -> tuple[_Columns, _Columns]:
    """Both sides' name parts and word positions; kept for the run's last pair of sides (score_pairs
    is called several times per run on the same sides). Worked out once per distinct name."""
    if _cache and _cache[0][0] is E and _cache[0][1] is L:
        return _cache[0][2], _cache[0][3]
    index: dict[tuple[str, ...], int] = {}
    inverse = [np.array([index.setdefault(nk.tokens, len(index)) for nk in side.names], np.int64) for side in (E, L)]
    distinct = list(index)
    times = sum(np.bincount(inv, minlength=len(distinct)) for inv in inverse)
    first: Counter[str] = Counter()
    last: Counter[str] = Counter()
    for toks, n in zip(distinct, np.asarray(times).tolist()):
        if len(toks) >= 2:
            first[toks[0]] += n
            last[toks[-1]] += n
    head = [t[0] if t else "" for t in distinct]
    lst = [t[-1] if t else "" for t in distinct]
    tail = [" ".join(t[1:]) for t in distinct]
    share = {w: (first[w] + 1) / (first[w] + last[w] + 2) for w in set(head) | set(lst)}
    code: dict[str, int] = {}
    cols = _Columns(*(np.array([code.setdefault(w, len(code)) for w in col], np.int64) for col in (head, tail, lst)),
                    np.array([len(t) for t in distinct], np.int64),
                    np.array([share[w] for w in head], np.float32), np.array([share[w] for w in lst], np.float32),
                    _letters(head), _letters(lst), list(code))

    def of(inv: np.ndarray) -> _Columns:
        return _Columns(*(getattr(cols, f)[inv] for f in _Columns.__dataclass_fields__ if f != "vocab"), cols.vocab)

    out = of(inverse[0]), of(inverse[1])
    _cache[:] = [(E, L, *out)]
    return out


def _letters(words: list[str]) -> np.ndarray:
    """Each word's first letter as a number (0 for no word), negative where the word is one letter."""
    codes = np.array([ord(w[0]) + 1 if w else 0 for w in words], np.int64)
    return np.where(np.array([len(w) == 1 for w in words], bool), -codes, codes)


def name_parts(E: Side, L: Side) -> tuple[_Columns, _Columns]:
    """Both sides' name parts, worked out ahead (the engine has a forked child do it beside
    blocking) and handed to `keep`."""
    return _columns(E, L)


def keep(E: Side, L: Side, parts: tuple[_Columns, _Columns]) -> None:
    """Keep name parts worked out elsewhere for the sides `E` and `L`."""
    _cache[:] = [(E, L, *parts)]


def release() -> None:
    """Drop the kept columns: a run's sides are not held in memory after it."""
    _cache.clear()


def _ratio(vocab: list[str], a: np.ndarray, b: np.ndarray, workers: int) -> np.ndarray:
    """fuzz.ratio of the words coded `a` and `b`, each distinct pair compared once (given names
    repeat: a few thousand distinct pairs among hundreds of thousands)."""
    if not len(a):
        return np.empty(0, np.float32)
    n = len(vocab)
    uniq, inv = np.unique(a * n + b, return_inverse=True)
    sims = process.cpdist([vocab[x] for x in (uniq // n).tolist()], [vocab[y] for y in (uniq % n).tolist()],
                          scorer=fuzz.ratio, dtype=np.float32, workers=workers)
    return sims[inv.ravel()]


def _neutral_initial(a: np.ndarray, b: np.ndarray, sim: np.ndarray) -> np.ndarray:
    """An initial and a word it may stand for ("j" / "jan") neither agree nor differ. `a`, `b`:
    the words' first letters, negative where the word is an initial itself."""
    sim[((a < 0) | (b < 0)) & (np.abs(a) == np.abs(b))] = (AGREE + DIFFER) / 2
    return sim


@dataclass(frozen=True, slots=True)
class Relations:
    """Per pair: the given name agrees and the surname has nothing in common; the surname agrees and
    the given names have nothing in common; the one-word name is a word of the other, typed anew."""

    given_same: np.ndarray
    family: np.ndarray
    inside: np.ndarray


def relations(E: Side, L: Side, ei: np.ndarray, li: np.ndarray, workers: int,
              where: np.ndarray | None = None) -> Relations:
    """The part-by-part relations of the pairs `ei`/`li`, worked out only `where` it is True (the
    names not already close: the rest stay False)."""
    ce, cl = _columns(E, L)
    if where is None:
        return _relate(ce, cl, ei, li, workers)
    rows = np.nonzero(where)[0]
    some = _relate(ce, cl, ei[rows], li[rows], workers)
    out = Relations(np.zeros(len(ei), bool), np.zeros(len(ei), bool), np.zeros(len(ei), bool))
    for full, part in zip((out.given_same, out.family, out.inside), (some.given_same, some.family, some.inside)):
        full[rows] = part
    return out


def _relate(ce: _Columns, cl: _Columns, ei: np.ndarray, li: np.ndarray, workers: int) -> Relations:
    n = len(ei)
    given_same = np.zeros(n, bool)
    family = np.zeros(n, bool)
    inside = np.zeros(n, bool)
    if not n:
        return Relations(given_same, family, inside)
    we, wl = ce.words[ei], cl.words[li]
    two = np.nonzero((we >= 2) & (wl >= 2))[0]
    if len(two):
        a, b = ei[two], li[two]
        v = ce.vocab
        ff = _neutral_initial(ce.head_letter[a], cl.head_letter[b], _ratio(v, ce.head[a], cl.head[b], workers))
        tt = _ratio(v, ce.tail[a], cl.tail[b], workers)
        fl = _neutral_initial(ce.head_letter[a], cl.last_letter[b], _ratio(v, ce.head[a], cl.last[b], workers))
        lf = _neutral_initial(ce.last_letter[a], cl.head_letter[b], _ratio(v, ce.last[a], cl.head[b], workers))
        # the shared part and the share of its word's appearances that stand first
        straight_head = (ff >= AGREE) & (tt < DIFFER)
        straight_tail = (tt >= AGREE) & (ff < DIFFER)
        crossed_head = (fl >= AGREE) & (lf < DIFFER) & (ff < DIFFER)  # Exact's head is the local's last word
        crossed_last = (lf >= AGREE) & (fl < DIFFER) & (tt < DIFFER)  # Exact's last word is the local's head
        shared_first = np.full(len(two), 0.5, np.float32)
        head_shared = straight_head | crossed_head
        last_shared = (straight_tail | crossed_last) & ~head_shared
        shared_first[head_shared] = ce.head_first[a[head_shared]]
        shared_first[last_shared] = ce.last_first[a[last_shared]]
        one_shared = head_shared | last_shared
        # a person's name is two or three words; "Joe's Swan Noodle House" / "Joe's Barn" are two
        # businesses of one owner's name, not one person with another surname
        short = (we[two] <= 3) & (wl[two] <= 3)
        given_same[two] = one_shared & (shared_first >= GIVEN) & short
        family[two] = one_shared & (shared_first <= SURNAME)
    one = np.nonzero(((we == 1) & (wl >= 2)) | ((we >= 2) & (wl == 1)))[0]
    if len(one):
        a, b = ei[one], li[one]
        short_e = we[one] == 1
        # the single word against the other name's head and last word
        word = np.where(short_e, ce.head[a], cl.head[b])
        other_head = np.where(short_e, cl.head[b], ce.head[a])
        other_last = np.where(short_e, cl.last[b], ce.last[a])
        best = np.maximum(_ratio(ce.vocab, word, other_head, workers), _ratio(ce.vocab, word, other_last, workers))
        inside[one] = best >= AGREE
    return Relations(given_same, family, inside)


def _address_groups(side: Side) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The side's records with a street address, sorted so that those at one full address (street
    and number, and postcode and town where given) are adjacent: rows, group starts, group sizes."""
    sh, pc, city = side.keys["street_house"], side.keys["pc"], side.keys["city"]
    rows = np.nonzero(sh != 0)[0]
    rows = rows[np.lexsort((city[rows], pc[rows], sh[rows]))]
    same = (sh[rows][1:] == sh[rows][:-1]) & (pc[rows][1:] == pc[rows][:-1]) & (city[rows][1:] == city[rows][:-1])
    starts = np.flatnonzero(np.r_[True, ~same]) if len(rows) else np.zeros(0, np.int64)
    return rows, starts, np.diff(np.r_[starts, len(rows)])


def households(E: Side, L: Side, workers: int, largest: int = 12) -> tuple[int, int]:
    """Pairs of records within one side at one full address whose surnames agree and whose given
    names have nothing in common: the families each file holds. Each side lists every customer
    once, so these are relatives, never one person twice; how many there are says how likely a
    relative is behind such a pair ACROSS the sides. Addresses shared by more than `largest`
    records (a block of flats, a business centre) are left out.

    Returns the relatives and the pairs whose FIRST word agrees and whose rest has nothing in
    common ("Vector Bouw" / "Vector Logistics": sister companies at one address, rarely two
    persons of one given name)."""
    ce, cl = _columns(E, L)
    found = siblings = 0
    for side, cols in ((E, ce), (L, cl)):
        rows, starts, sizes = _address_groups(side)
        a_list, b_list = [], []
        for size in range(2, largest + 1):  # every pair within the groups of each size at once
            at = starts[sizes == size]
            if len(at):
                ia, ib = np.triu_indices(size, 1)
                a_list.append(rows[(at[:, None] + ia).ravel()])
                b_list.append(rows[(at[:, None] + ib).ravel()])
        if a_list:
            a, b = np.concatenate(a_list), np.concatenate(b_list)
            rel = _relate(cols, cols, a, b, workers)
            found += int(rel.family.sum())
            siblings += int(rel.given_same.sum())
    return found, siblings


def strangers(E: Side, L: Side, workers: int) -> int:
    """Records that share their full address with another record of their own side whose name has
    nothing in common with theirs: a couple, lodgers, two firms in one building. Each side lists a
    customer once, so how many there are says how often a stranger is behind a pair of other names
    at one address ACROSS the sides."""
    found = 0
    for side in (E, L):
        rows, starts, sizes = _address_groups(side)
        found += int(sizes[sizes >= 3].sum())  # three or more customers at one address
        pairs = starts[sizes == 2]
        if len(pairs):
            alike = process.cpdist([side.name[i] for i in rows[pairs].tolist()],
                                   [side.name[i] for i in rows[pairs + 1].tolist()], scorer=fuzz.ratio,
                                   dtype=np.float32, workers=workers)
            found += 2 * int((alike < DIFFER).sum())
    return found
