"""Candidate pairs without comparing everything with everything.

All-pairs grows with the square (10k x 10k = 100 M comparisons, 50k x 50k = 2.5 G); the pairs worth
scoring are those that share something specific: a rare word of name or street, postcode + house
number, an e-mail or web domain, a phone number, or a strong key. Records that come out of that
without a plausible partner get a second, brute-force pass on the name alone (`fallback_pairs`), in
chunks so memory stays bounded.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import chain, count, repeat

import numpy as np
from rapidfuzz import fuzz, process

from .model import MatchConfig
from .prepare import Side

# blocks on the town, for records without a postcode (a town holds many streets and numbers)
_WHERE_NO_POSTCODE = frozenset({"street_city", "house_city"})
_EQUALITY_BLOCKS = ("vat", "coc", "code", "email", "phone", "pc_house", "street_house", "street_city", "house_city", "domain", "web", "pc")


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """`np.unique` of int64 keys by one sort: numpy 2's hash-based `unique` took 1 s for 1.5 M pair
    keys where a sort and a comparison take 0.04 s."""
    if not len(keys):
        return keys.astype(np.int64)
    s = np.sort(keys)
    return s[np.concatenate(([True], s[1:] != s[:-1]))]


def contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`np.isin(keys, sorted_keys)` for a sorted key array, by binary search (a seventh of the time)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def _join_on_key(e: np.ndarray, l: np.ndarray, cap: int, exact_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) with e[i] == l[j] != 0, skipping keys that more than `cap` records of either side
    share. Both sides sorted by key once, and each distinct Exact key looked up once, in order: a
    lookup per record in random order cost three times as much."""
    e_rows = exact_rows[e[exact_rows] != 0]
    l_rows = np.nonzero(l)[0]
    if not len(e_rows) or not len(l_rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    e_rows = e_rows[np.argsort(e[e_rows])]
    l_rows = l_rows[np.argsort(l[l_rows])]
    e_keys, l_keys = e[e_rows], l[l_rows]
    start, n_e = _runs(e_keys)
    lo = np.searchsorted(l_keys, e_keys[start], side="left")
    n_l = np.searchsorted(l_keys, e_keys[start], side="right") - lo
    # key popularity on the Exact side too: a shared generic e-mail domain is no block
    keep = (n_l > 0) & (n_l <= cap) & (n_e <= cap)
    start, n_e, lo, n_l = start[keep], n_e[keep], lo[keep], n_l[keep]
    # every Exact record of a key meets every local record of it
    lo, n_l = np.repeat(lo, n_e), np.repeat(n_l, n_e)
    ei = np.repeat(e_rows[_ranges(start, n_e)], n_l)
    return ei.astype(np.int64), l_rows[_ranges(lo, n_l)].astype(np.int64)


def blocked_pairs(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Unique candidate pairs as int64 keys `i * len(L) + j` (rows of active records only)."""
    n_l = max(len(L), 1)
    exact_rows = np.nonzero(e_active)[0]
    parts: list[np.ndarray] = []
    for key in _EQUALITY_BLOCKS:
        l_key = np.where(l_active, L.keys[key], 0)
        # a street in a town is a wide block: kept only where it is a short one
        cap = cfg.block_max // 3 if key == "street_city" else cfg.block_max
        ei, li = _join_on_key(E.keys[key], l_key, cap, exact_rows)
        if key in _WHERE_NO_POSTCODE:  # where both have one, postcode + house number does this better
            lacks = (E.keys["pc"][ei] == 0) | (L.keys["pc"][li] == 0)
            ei, li = ei[lacks], li[lacks]
        parts.append(ei * n_l + li)
    parts.append(_rare_token_pairs(E, L, cfg, e_active, l_active))
    if not parts:
        return np.empty(0, np.int64)
    return sorted_unique(np.concatenate(parts))


def _ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The positions of many slices at once: `arange(start[k], start[k] + length[k])` for every k,
    one after the other."""
    before = np.cumsum(length) - length
    return np.repeat(start - before, length) + np.arange(int(before[-1] + length[-1]) if len(length) else 0)


def _runs(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of `rows` (sorted) starts, and how long it is."""
    if not len(rows):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    start = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    return start, np.diff(np.append(start, len(rows)))


def _before_in_row(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per entry of `rows` (sorted), the sum of `values` over the entries of its row before it."""
    total = np.cumsum(values) - values
    start, n = _runs(rows)
    return total - np.repeat(total[start], n)


class _Codes:
    """Keys as integer codes, shared by the two sides of one pass, so the per-record work is numpy.

    A key's code is the position where it was first added (unique, not dense, below `size`): one
    pass in C per list of keys. `find` only looks keys up, so the Exact side's keys that no local
    record carries take no code and no memory."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self.size = 0

    def add(self, keys: Sequence[Collection[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(index into `keys`, code) of every key of every collection, new keys taking new codes."""
        counts = np.fromiter(map(len, keys), np.int64, len(keys))
        n = int(counts.sum())
        codes = np.fromiter(map(self._codes.setdefault, chain.from_iterable(keys), count(self.size)), np.int64, n)
        self.size += n
        return np.repeat(np.arange(len(keys)), counts), codes

    def find(self, keys: Sequence[Collection[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The same for the keys added before; the others are left out."""
        counts = np.fromiter(map(len, keys), np.int64, len(keys))
        codes = np.fromiter(map(self._codes.get, chain.from_iterable(keys), repeat(-1)), np.int64, int(counts.sum()))
        at = np.repeat(np.arange(len(keys)), counts)
        known = codes >= 0
        return at[known], codes[known]

    def alphabetical(self, codes: np.ndarray) -> np.ndarray:
        """Per code of `codes` (distinct, sorted), its key's place in alphabetical order."""
        known = np.fromiter(self._codes.values(), np.int64, len(self._codes))  # increasing: in order of adding
        text = np.array(list(self._codes), dtype=object)[np.searchsorted(known, codes)].tolist()
        place = np.empty(len(codes), np.int64)
        place[sorted(range(len(codes)), key=text.__getitem__)] = np.arange(len(codes))
        return place


class _Postings:
    """The local records of every key: `rows[start[c]:start[c] + size[c]]` carry key c."""

    def __init__(self, rows: np.ndarray, codes: np.ndarray, n_codes: int) -> None:
        self.rows = rows[np.argsort(codes, kind="stable")]
        self.size = np.bincount(codes, minlength=n_codes)
        self.start = np.cumsum(self.size) - self.size

    def expand(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the keys `codes`: (index into `codes`, local record) for every record of every key."""
        n = self.size[codes]
        return np.repeat(np.arange(len(codes)), n), self.rows[_ranges(self.start[codes], n)]

    def alike(self) -> np.ndarray:
        """Per key, the lowest key with exactly the same local records (itself if none). A word and
        its typo keys are mostly carried by the very same records: the second of them adds nothing.

        Keys are grouped by size and a sum of random numbers of their records, then each is checked
        against the first of its group record by record, so a coincidence of sums merges nothing."""
        same = np.arange(len(self.size))
        used = np.flatnonzero(self.size)
        if not len(used):
            return same
        noise = np.random.default_rng(0).integers(-(2**62), 2**62, int(self.rows.max()) + 1)
        total = np.add.reduceat(noise[self.rows], self.start[used])
        size = self.size[used]
        order = np.lexsort((used, total, size))
        used, size, total = used[order], size[order], total[order]
        head = np.concatenate(([True], (size[1:] != size[:-1]) | (total[1:] != total[:-1])))
        first = used[head][np.cumsum(head) - 1]
        rest = np.flatnonzero(~head)
        key, like, n = used[rest], first[rest], size[rest]
        differ = self.rows[_ranges(self.start[key], n)] != self.rows[_ranges(self.start[like], n)]
        checked = np.bincount(np.repeat(np.arange(len(rest)), n)[differ], minlength=len(rest)) == 0
        same[key[checked]] = like[checked]
        return same


def _rarest_first(rows: np.ndarray, codes: np.ndarray, size: np.ndarray, vocab: _Codes,
                  per_row: int) -> tuple[np.ndarray, np.ndarray]:
    """Of (row, key) entries, each row's `per_row` rarest keys (fewest local records), equally rare
    ones in alphabetical order so the choice does not depend on the order of the records: sorted by
    row, and within a row in that order. One sort for all rows instead of two per row."""
    if not len(rows):
        return rows, codes
    distinct, inverse = np.unique(codes, return_inverse=True)
    by_order = np.lexsort((vocab.alphabetical(distinct), size[distinct]))
    rank = np.empty(len(distinct), np.int64)
    rank[by_order] = np.arange(len(distinct))
    order = np.argsort(rows * len(distinct) + rank[inverse])
    rows, codes = rows[order], codes[order]
    first = _before_in_row(rows, np.ones(len(rows), np.int64)) < per_row
    return rows[first], codes[first]


def _rare_token_pairs(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Each Exact record meets the local records sharing one of its rarest words.

    Only words that exist on the local side count as "rarest", so a mistyped word (unique, found
    nowhere) does not use up a record's few lookups.
    """
    l_rows = np.flatnonzero(l_active)
    vocab = _Codes()
    tokens = L.block_tokens()
    at, l_codes = vocab.add([tokens[j] for j in l_rows.tolist()])
    post = _Postings(l_rows[at], l_codes, vocab.size)
    ei, e_codes = vocab.find(E.block_tokens())
    cap = cfg.rare_max
    # a word carried by many Exact records is as generic as one carried by many local records
    rare = (post.size <= cap) & (np.bincount(e_codes, minlength=vocab.size) <= cap)
    keep = rare[e_codes] & e_active[ei]
    ei, e_codes = _rarest_first(ei[keep], e_codes[keep], post.size, vocab, cfg.rare_per_record)
    entry, li = post.expand(e_codes)
    return ei[entry] * max(len(L), 1) + li


def fallback_pairs(E: Side, L: Side, cfg: MatchConfig, e_rows: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Pairs on the name alone for Exact rows that blocking left without a plausible partner.

    Linear, not all-pairs: the rows meet the local customers that share one of their rarest name
    keys (`_name_key_codes`: words, words with a typo, neighbouring words), and of those only the
    names at least `fallback_cutoff` alike (`fuzz.ratio`) become pairs, the best few per row.
    All-pairs on 20,000 x 20,000 names cost 15 s; this costs well under one. The keys are integer
    codes, and choosing each name's keys, gathering their customers and stopping at the budget is
    numpy over all rows at once: a Python loop per row cost 2 s of a 100,000-record run. Rows of
    the same name meet the same customers, so the work is done once per distinct name.
    """
    l_rows = np.nonzero(l_active)[0]
    e_rows = np.sort(e_rows)
    if not len(e_rows) or not len(l_rows):
        return np.empty(0, np.int64)
    vocab = _Codes()
    names, (e_name, l_name) = _distinct(E.name.take(e_rows), L.name.take(l_rows))
    keys = _Keys(*_name_key_codes(vocab, names), len(names))
    at, l_codes = keys.of(l_name)
    post = _Postings(l_rows[at], l_codes, vocab.size)
    wanted = sorted_unique(e_name)
    at, e_codes = keys.of(wanted)
    # rare relative to the file: in 100,000 customers a word 100 of them carry still says something
    cap = max(cfg.rare_max, int(cfg.fallback_share * len(L)))
    size = post.size[e_codes]
    rare = (size > 0) & (size <= cap)
    ni, e_codes = _rarest_first(wanted[at[rare]], e_codes[rare], post.size, vocab, cfg.fallback_keys)
    ni, li = _within_budget(ni, e_codes, post, cfg.fallback_budget)
    sim = _name_similarity(names, L, ni, li, cfg.fallback_cutoff)
    hit = sim >= cfg.fallback_cutoff
    ni, li = _best_by_name(cfg, ni[hit], li[hit], sim[hit])
    # back from names to rows: each row takes its name's pairs (sorted by row, then local row)
    found = _Keys(ni, li, len(names))
    at, li = found.of(e_name)
    return e_rows[at] * max(len(L), 1) + li


def _distinct(*columns: list[str]) -> tuple[list[str], list[np.ndarray]]:
    """The distinct values of the columns, and per column the index of each value among them."""
    ids: dict[str, int] = {}
    flat = np.fromiter(map(ids.setdefault, chain(*columns), count()), np.int64, sum(map(len, columns)))
    index = np.searchsorted(np.fromiter(ids.values(), np.int64, len(ids)), flat)  # ids grow in order of adding
    return list(ids), np.split(index, np.cumsum([len(c) for c in columns[:-1]]).tolist())


class _Keys:
    """(item, code) entries sorted by item, items below `n_items`: an item's codes are one slice."""

    def __init__(self, item: np.ndarray, code: np.ndarray, n_items: int) -> None:
        self.code = code
        self.start = np.searchsorted(item, np.arange(n_items + 1))

    def of(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into `items`, code) of every entry of every item of `items`, in that order."""
        n = self.start[items + 1] - self.start[items]
        return np.repeat(np.arange(len(items)), n), self.code[_ranges(self.start[items], n)]


def _name_key_codes(vocab: _Codes, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(index into `names`, code) of every key of every name, sorted, without repeats. The keys two
    spellings of a name share despite a typo: its words, each word of four letters or more with one
    letter left out ("little" and the swapped "ltitle" both give "~lttle"; "moon" and "noon" both
    "~oon"), and each pair of neighbouring words ("green palm" in "The Green Palm Deli" and "Green
    Palm (West Side)", where each word alone is common). A word's keys are made once: words repeat
    from name to name."""
    words = [name.split() for name in names]
    distinct, (word,) = _distinct(list(chain.from_iterable(words)))
    own = _Keys(*vocab.add([[w, *(["~" + w[:k] + w[k + 1:] for k in range(len(w))] if len(w) >= 4 else [])]
                            for w in distinct]), len(distinct))
    at, codes = own.of(word)
    in_name = np.repeat(np.arange(len(names)), np.fromiter(map(len, words), np.int64, len(words)))
    pair_at, pair_codes = vocab.add([list(map(" ".join, zip(w, w[1:]))) for w in words])
    key = sorted_unique(np.concatenate((in_name[at], pair_at)) * vocab.size + np.concatenate((codes, pair_codes)))
    return key // vocab.size, key % vocab.size


def _within_budget(ei: np.ndarray, codes: np.ndarray, post: _Postings, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (row, local) pairs of each row's keys (`ei` sorted, each row's keys in the order
    to take them), the keys taken one by one until the row has `budget` local customers: sorted.

    What a row does not need is not gathered: the keys after the first that alone has `budget`
    customers, and keys with the same customers as one the row took before. The rest goes in
    chunks of rows, so memory stays bounded."""
    big = post.size[codes] >= budget
    reached = _before_in_row(ei, big.astype(np.int64)) == 0
    ei, codes = ei[reached], codes[reached]
    _, first = np.unique(ei * max(len(post.size), 1) + post.alike()[codes], return_index=True)
    ei, codes = ei[np.sort(first)], codes[np.sort(first)]
    load = np.cumsum(post.size[codes])
    cuts = np.searchsorted(ei, ei[np.searchsorted(load, np.arange(_CHUNK, int(load[-1]) if len(load) else 0, _CHUNK))])
    bounds = np.unique(np.concatenate(([0], cuts, [len(ei)]))).tolist()
    parts = [_budget_chunk(ei[a:b], codes[a:b], post, budget) for a, b in zip(bounds, bounds[1:])]
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


_CHUNK = 2_000_000  # (row, local) pairs gathered at once


def _budget_chunk(ei: np.ndarray, codes: np.ndarray, post: _Postings, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """`_within_budget` for a few rows. Each (row, local, key's place in the row) is one number,
    the fields side by side in its bits; one sort puts a pair's copies together, the first from the
    key taken first, and then counts what each key added."""
    start, n = _runs(ei)
    row = np.repeat(np.arange(len(start)), n)
    place = np.arange(len(ei)) - np.repeat(start, n)
    p_bits, l_bits = int(place.max()).bit_length(), max(int(post.rows.max()), 1).bit_length()
    entry, li = post.expand(codes)
    key = np.sort(((row << (l_bits + p_bits)) | place)[entry] | (li << p_bits))
    pair = key >> p_bits
    key = key[np.concatenate(([True], pair[1:] != pair[:-1]))]
    slot = ((key >> (l_bits + p_bits)) << p_bits) | (key & ((1 << p_bits) - 1))  # (row, key's place)
    added = np.bincount(slot, minlength=len(start) << p_bits).reshape(len(start), 1 << p_bits)
    key = key[(np.cumsum(added, axis=1) - added < budget).ravel()[slot]]
    return ei[start][key >> (l_bits + p_bits)], (key >> p_bits) & ((1 << l_bits) - 1)


def _name_similarity(names: list[str], L: Side, ni: np.ndarray, li: np.ndarray, cutoff: float) -> np.ndarray:
    """`fuzz.ratio` of (`names[ni]`, local `li`'s name) for pairs sorted by `ni` (0 below `cutoff`).
    One `cdist` per name: it prepares the name once for all its candidates, a third of the time of
    one `cpdist` over the pairs, which prepares it again for every pair."""
    if not len(ni):
        return np.zeros(0, np.float32)
    start, n = _runs(ni)
    end = (start + n).tolist()
    names_l = L.name.take(li)
    return np.concatenate([
        process.cdist([names[i]], names_l[a:b], scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float32, workers=1)[0]
        for i, a, b in zip(ni[start].tolist(), start.tolist(), end)])


def _best_by_name(cfg: MatchConfig, ni: np.ndarray, li: np.ndarray, sim: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of the (name, local) pairs (sorted) whose names are `fallback_cutoff` alike, the best few per
    name (of equally alike ones the lowest local rows), sorted. Only the names with more than a few
    are sorted by similarity."""
    # at most the best few per row: a common short name can clear the cutoff hundreds of times
    k = 3 * cfg.max_candidates
    start, n = _runs(ni)
    keep = np.repeat(n <= k, n)
    crowded = np.flatnonzero(~keep)
    if len(crowded):
        # by name, then the most alike first: similarities (0-100, float32) order as their bits do;
        # a stable sort keeps equally alike ones by local row
        unlike = (_FULL - sim[crowded].view(np.int32)).astype(np.int64)
        order = crowded[np.argsort((ni[crowded] << 32) | unlike, kind="stable")]
        keep[order] = _before_in_row(ni[order], np.ones(len(order), np.int64)) < k
    return ni[keep], li[keep]


_FULL = np.array(100.0, np.float32).view(np.int32)
