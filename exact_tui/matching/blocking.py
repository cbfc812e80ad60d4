"""Candidate pairs without comparing everything with everything.

All-pairs grows with the square (10k x 10k = 100 M comparisons, 50k x 50k = 2.5 G); the pairs worth
scoring are those that share something specific: a rare word of name or street, postcode + house
number, an e-mail or web domain, a phone number, or a strong key. Records that come out of that
without a plausible partner get a second, brute-force pass on the name alone (`fallback_pairs`), in
chunks so memory stays bounded.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz, process

from .model import MatchConfig
from .prepare import Side

_EQUALITY_BLOCKS = ("vat", "coc", "code", "email", "phone", "pc_house", "street_house", "street_city", "domain", "web", "pc")


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
    _, inv, e_count = np.unique(ek, return_inverse=True, return_counts=True)
    keep = (count > 0) & (count <= cap) & (e_count[inv] <= cap)
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
        ei, li = _join_on_key(E.keys[key], l_key, cfg.block_max, exact_rows)
        parts.append(ei * n_l + li)
    parts.append(_rare_token_pairs(E, L, cfg, e_active, l_active))
    if not parts:
        return np.empty(0, np.int64)
    return np.unique(np.concatenate(parts))


def _rare_token_pairs(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Each Exact record meets the local records sharing one of its rarest words.

    Only words that exist on the local side count as "rarest", so a mistyped word (unique, found
    nowhere) does not use up a record's few lookups.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for j, toks in enumerate(L.block_tokens):
        if l_active[j]:
            for t in toks:
                index[t].append(j)
    n_l = max(len(L), 1)
    cap, per_record = cfg.rare_max, cfg.rare_per_record
    # a word carried by many Exact records is as generic as one carried by many local records
    e_df: dict[str, int] = defaultdict(int)
    for i, toks in enumerate(E.block_tokens):
        for t in toks:
            e_df[t] += 1
    out: list[int] = []
    get = index.get
    for i, toks in enumerate(E.block_tokens):
        if not e_active[i]:
            continue
        found = []
        for t in toks:
            post = get(t)
            if post is not None and len(post) <= cap and e_df[t] <= cap:
                found.append((len(post), t, post))
        if not found:
            continue
        found.sort()
        base = i * n_l
        for _, _, post in found[:per_record]:
            out.extend(base + j for j in post)
    return np.fromiter(out, dtype=np.int64, count=len(out))


def fallback_pairs(E: Side, L: Side, cfg: MatchConfig, e_rows: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """Brute force on the normalised name for Exact rows blocking left without a plausible partner.

    `process.cdist` with a score cutoff over chunks of rows: memory is `fallback_chunk x len(L)`
    bytes, never the full matrix, and only cells above the cutoff become pairs.
    """
    l_rows = np.nonzero(l_active)[0]
    if not len(e_rows) or not len(l_rows):
        return np.empty(0, np.int64)
    n_l = max(len(L), 1)
    l_names = [L.name[j] for j in l_rows]
    out: list[np.ndarray] = []
    cutoff = int(cfg.fallback_cutoff)
    for start in range(0, len(e_rows), cfg.fallback_chunk):
        rows = e_rows[start:start + cfg.fallback_chunk]
        m = process.cdist([E.name[i] for i in rows], l_names, scorer=fuzz.ratio, score_cutoff=cutoff,
                          dtype=np.uint8, workers=cfg.workers)
        r, c = np.nonzero(m)
        # at most the best few per row: a common short name can clear the cutoff hundreds of times
        if len(r):
            order = np.lexsort((-m[r, c].astype(np.int16), r))
            r, c = r[order], c[order]
            first = np.searchsorted(r, r, side="left")
            keep = (np.arange(len(r)) - first) < 3 * cfg.max_candidates
            r, c = r[keep], c[keep]
        out.append(rows[r].astype(np.int64) * n_l + l_rows[c])
    return np.unique(np.concatenate(out)) if out else np.empty(0, np.int64)
