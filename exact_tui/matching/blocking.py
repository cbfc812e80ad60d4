"""Candidate pairs without comparing everything with everything.

All-pairs grows with the square (10k x 10k = 100 M comparisons, 50k x 50k = 2.5 G); the pairs worth
scoring are those that share something specific: a rare word of name or street, postcode + house
number, an e-mail or web domain, a phone number, or a strong key. Records that come out of that
without a plausible partner get a second, brute-force pass on the name alone (`fallback_pairs`), in
chunks so memory stays bounded.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain

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
    """Pairs (i, j) with e[i] == l[j] != 0, skipping keys that more than `cap` records of either side share."""
    e_rows = exact_rows[e[exact_rows] != 0]
    if not len(e_rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    l_rows = np.nonzero(l)[0]
    if not len(l_rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    l_sorted = l_rows[np.argsort(l[l_rows], kind="stable")]
    l_keys = l[l_sorted]
    ek = e[e_rows]
    lo = np.searchsorted(l_keys, ek, side="left")
    hi = np.searchsorted(l_keys, ek, side="right")
    count = hi - lo
    # key popularity on the Exact side too: a shared generic e-mail domain is no block
    ek_sorted = np.sort(ek)
    e_count = np.searchsorted(ek_sorted, ek, side="right") - np.searchsorted(ek_sorted, ek, side="left")
    keep = (count > 0) & (count <= cap) & (e_count <= cap)
    e_rows, lo, count = e_rows[keep], lo[keep], count[keep]
    if not len(e_rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ei = np.repeat(e_rows, count)
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(count)[:-1])), count)
    li = l_sorted[starts + np.arange(len(ei))]
    return ei.astype(np.int64), li.astype(np.int64)


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


def _rare_token_pairs(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Each Exact record meets the local records sharing one of its rarest words.

    Only words that exist on the local side count as "rarest", so a mistyped word (unique, found
    nowhere) does not use up a record's few lookups.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for j in np.flatnonzero(l_active).tolist():
        for t in L.block_tokens[j]:
            index[t].append(j)
    cap, per_record = cfg.rare_max, cfg.rare_per_record
    # a word carried by many Exact records is as generic as one carried by many local records
    e_df = Counter(chain.from_iterable(E.block_tokens))
    rare = {t: post for t, post in index.items() if len(post) <= cap and e_df[t] <= cap}
    size = {t: len(post) for t, post in rare.items()}.__getitem__
    ei: list[int] = []
    li: list[int] = []
    for i in np.flatnonzero(e_active).tolist():
        found = rare.keys() & E.block_tokens[i]
        if not found:
            continue
        # the rarest first, equally rare ones in alphabetical order
        for t in sorted(sorted(found), key=size)[:per_record]:
            post = rare[t]
            ei.extend([i] * len(post))
            li.extend(post)
    return np.array(ei, np.int64) * max(len(L), 1) + np.array(li, np.int64)


def _name_keys(names: list[str]) -> list[set[str]]:
    """Keys two spellings of a name share despite a typo: its words, each word of four letters or
    more with one letter left out ("little" and the swapped "ltitle" both give "lttle"; "moon" and
    "noon" both "oon"), and each pair of neighbouring words ("green palm" in "The Green Palm Deli"
    and "Green Palm (West Side)", where each word alone is common)."""
    out = []
    for name in names:
        words = name.split()
        keys = set(words)
        for w in words:
            if len(w) >= 4:
                keys.update("~" + w[:k] + w[k + 1:] for k in range(len(w)))
        keys.update(a + " " + b for a, b in zip(words, words[1:]))
        out.append(keys)
    return out


def fallback_pairs(E: Side, L: Side, cfg: MatchConfig, e_rows: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Pairs on the name alone for Exact rows that blocking left without a plausible partner.

    Linear, not all-pairs: the rows meet the local customers that share one of their rarest name
    keys (`_name_keys`: words, words with a typo, neighbouring words), and of those only the names
    at least `fallback_cutoff` alike (`fuzz.ratio`) become pairs, the best few per row. All-pairs
    on 20,000 x 20,000 names cost 15 s; this costs well under one. Each row's name is compared with
    its candidates in one `cdist` call, which prepares the row's name once for all of them: less
    than half the time of one `cpdist` over the flattened pairs, and no list of millions of pairs.
    """
    l_rows = np.nonzero(l_active)[0]
    if not len(e_rows) or not len(l_rows):
        return np.empty(0, np.int64)
    index: dict[str, list[int]] = defaultdict(list)
    for j, keys in zip(l_rows.tolist(), _name_keys(L.name.take(l_rows))):
        for key in keys:
            index[key].append(j)
    # rare relative to the file: in 100,000 customers a word 100 of them carry still says something
    cap, per_row = max(cfg.rare_max, int(cfg.fallback_share * len(L))), cfg.fallback_keys
    cutoff, budget = cfg.fallback_cutoff, cfg.fallback_budget
    rare = {key: post for key, post in index.items() if len(post) <= cap}
    size = {key: len(post) for key, post in rare.items()}.__getitem__
    names_l = L.name.__getitem__
    rows: list[int] = []
    counts: list[int] = []
    li_out: list[int] = []
    sims: list[np.ndarray] = []
    for i, name, keys in zip(e_rows.tolist(), E.name.take(e_rows), _name_keys(E.name.take(e_rows))):
        seen: set[int] = set()
        # the rarest first (equally rare ones in alphabetical order), until the row has enough to look at
        for key in sorted(sorted(rare.keys() & keys), key=size)[:per_row]:
            seen.update(rare[key])
            if len(seen) >= budget:
                break
        if not seen:
            continue
        cand = list(seen)
        sims.append(process.cdist([name], list(map(names_l, cand)), scorer=fuzz.ratio, score_cutoff=cutoff,
                                  dtype=np.float32, workers=1)[0])
        rows.append(i)
        counts.append(len(cand))
        li_out.extend(cand)
    if not rows:
        return np.empty(0, np.int64)
    sim = np.concatenate(sims)
    hit = sim >= cutoff
    ei = np.repeat(np.array(rows, np.int64), counts)[hit]
    return sorted_unique(_best_by_name(len(L), cfg, ei, np.array(li_out, np.int64)[hit], sim[hit]))


def _best_by_name(n_l: int, cfg: MatchConfig, ei: np.ndarray, li: np.ndarray, sim: np.ndarray) -> np.ndarray:
    """Of the (row, local) pairs whose names are `fallback_cutoff` alike, the best few per row."""
    # at most the best few per row: a common short name can clear the cutoff hundreds of times
    order = np.lexsort((li, -sim, ei))
    ei, li = ei[order], li[order]
    first = np.searchsorted(ei, ei, side="left")
    keep = (np.arange(len(ei)) - first) < 3 * cfg.max_candidates
    return ei[keep] * max(n_l, 1) + li[keep]
