"""Blocking: the numpy passes give exactly the pairs of the plain per-record rules they replaced.

`_reference_*` are those rules written the obvious way (a dict of posting lists, a loop per Exact
record, a set per record), on names from a small vocabulary with typos, so many keys are equally
rare, posting lists repeat and the budget and the per-record key limit cut in the middle of ties.
"""
import random
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np
import pytest
from rapidfuzz import fuzz

from exact_tui.matching import MatchConfig, MatchRecord
from exact_tui.matching.blocking import _join_on_key, _Postings, _rare_token_pairs, fallback_pairs
from exact_tui.matching.prepare import KeyCodes, prepare

WORDS = ["bakker", "jansen", "visser", "smit", "hout", "glas", "bouw", "noord", "zuid", "oost", "west",
         "techniek", "groen", "palm", "deli", "moon", "noon", "little", "ltitle", "de", "van"]
STREETS = ["kerkstraat", "dorpsweg", "markt", "stationsplein", "molenlaan"]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or rng.random() < 0.6:
        return word
    k = rng.randrange(len(word) - 1)
    return word[:k] + word[k + 1] + word[k] + word[k + 2:]


def _records(n: int, prefix: str, rng: random.Random) -> list[MatchRecord]:
    out = []
    for i in range(n):
        name = " ".join(_typo(rng.choice(WORDS), rng) for _ in range(rng.randint(1, 4)))
        street = f"{rng.choice(STREETS)} {rng.randint(1, 30)}" if rng.random() < 0.7 else ""
        out.append(MatchRecord(f"{prefix}{i:04d}", name, address=street))
    return out


def _sides(seed: int, n_e: int = 150, n_l: int = 200):
    rng = random.Random(seed)
    codes = KeyCodes()
    return prepare(_records(n_e, "e", rng), codes), prepare(_records(n_l, "l", rng), codes)


def _reference_name_keys(name):
    words = name.split()
    keys = set(words)
    for w in words:
        if len(w) >= 4:
            keys.update("~" + w[:k] + w[k + 1:] for k in range(len(w)))
    keys.update(a + " " + b for a, b in zip(words, words[1:]))
    return keys


def _reference_fallback(E, L, cfg, e_rows, l_active):
    index = defaultdict(list)
    l_rows = np.flatnonzero(l_active)
    for j in l_rows.tolist():
        for key in _reference_name_keys(L.name[j]):
            index[key].append(j)
    cap = max(cfg.rare_max, int(cfg.fallback_share * len(L)))
    rare = {key: post for key, post in index.items() if len(post) <= cap}
    out = []
    for i in e_rows.tolist():
        keys = _reference_name_keys(E.name[i])
        seen: set[int] = set()
        for key in sorted(sorted(rare.keys() & keys), key=lambda k: len(rare[k]))[:cfg.fallback_keys]:
            seen.update(rare[key])
            if len(seen) >= cfg.fallback_budget:
                break
        scored = [(-np.float32(fuzz.ratio(E.name[i], L.name[j])), j) for j in seen]
        best = sorted(s for s in scored if -s[0] >= cfg.fallback_cutoff)[:3 * cfg.max_candidates]
        out.extend(i * len(L) + j for _, j in best)
    return np.array(sorted(out), np.int64)


def _reference_rare(E, L, cfg, e_active, l_active):
    index = defaultdict(list)
    for j in np.flatnonzero(l_active).tolist():
        for t in L.block_tokens()[j]:
            index[t].append(j)
    e_df = Counter(t for tokens in E.block_tokens() for t in tokens)
    rare = {t: post for t, post in index.items() if len(post) <= cfg.rare_max and e_df[t] <= cfg.rare_max}
    out = []
    for i in np.flatnonzero(e_active).tolist():
        found = sorted(sorted(rare.keys() & set(E.block_tokens()[i])), key=lambda t: len(rare[t]))
        for t in found[:cfg.rare_per_record]:
            out.extend(i * len(L) + j for j in rare[t])
    return np.array(sorted(out), np.int64)


CONFIGS = [MatchConfig(),
           # small budgets: the cut falls inside runs of equally rare keys
           MatchConfig(fallback_budget=7, fallback_keys=5, rare_max=12, fallback_cutoff=40.0, max_candidates=2),
           MatchConfig(fallback_budget=1, fallback_keys=1, rare_max=3, rare_per_record=1, fallback_cutoff=0.0)]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("cfg", CONFIGS, ids=["default", "tight", "one-key"])
def test_fallback_pairs_are_the_per_record_rules(seed, cfg):
    E, L = _sides(seed)
    rng = np.random.default_rng(seed)
    e_rows = np.sort(rng.choice(len(E), size=len(E) // 2, replace=False))
    l_active = rng.random(len(L)) < 0.8
    got = fallback_pairs(E, L, cfg, e_rows, l_active)
    assert got.tolist() == _reference_fallback(E, L, cfg, e_rows, l_active).tolist()
    assert len(got)  # the sets do meet
    # each row's pairs depend on that row alone: rows in two halves give the same pairs
    halves = [fallback_pairs(E, L, cfg, part, l_active) for part in np.array_split(e_rows, 2)]
    assert np.concatenate(halves).tolist() == got.tolist()
    assert fallback_pairs(E, L, cfg, e_rows[::-1], l_active).tolist() == got.tolist()
    # rows of the same name (the pass works per distinct name) are among them
    assert len({E.name[i] for i in e_rows}) < len(e_rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("cfg", CONFIGS, ids=["default", "tight", "one-key"])
def test_rare_token_pairs_are_the_per_record_rules(seed, cfg):
    E, L = _sides(seed)
    rng = np.random.default_rng(seed)
    e_active, l_active = rng.random(len(E)) < 0.9, rng.random(len(L)) < 0.9
    got = np.sort(_rare_token_pairs(E, L, cfg, e_active, l_active))
    assert got.tolist() == _reference_rare(E, L, cfg, e_active, l_active).tolist()
    assert len(got)


def test_the_name_pass_finds_a_partner_through_a_typo_alone():
    codes = KeyCodes()
    E = prepare([MatchRecord("e1", "Bakkerij Zonneveld")], codes)
    L = prepare([MatchRecord("l1", "Bakkreij Zonnevedl"), MatchRecord("l2", "Slagerij Visser")], codes)
    got = fallback_pairs(E, L, MatchConfig(), np.array([0]), np.ones(2, bool))
    assert got.tolist() == [0 * 2 + 0]


def test_the_name_pass_keeps_the_best_few_per_row_equals_by_local_row():
    codes = KeyCodes()
    cfg = replace(MatchConfig(), max_candidates=1)  # three per row
    E = prepare([MatchRecord("e1", "Jansen Hout")], codes)
    # five equally alike names and one exactly alike, which comes first
    names = ["Jansen Houx", "Jansen Houy", "Jansen Hout", "Jansen Houz", "Jansen Houq", "Jansen Houw"]
    L = prepare([MatchRecord(f"l{k}", n) for k, n in enumerate(names)], codes)
    got = fallback_pairs(E, L, cfg, np.array([0]), np.ones(len(names), bool))
    assert got.tolist() == [0, 1, 2]  # l2 (equal), then of the equally alike the lowest rows l0, l1


def test_keys_with_the_same_records_are_told_apart_from_keys_of_the_same_size():
    rows = np.array([0, 1, 0, 1, 2, 3, 0, 1, 5])
    codes = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4])
    alike = _Postings(rows, codes, 6).alike()
    # keys 0, 1 and 3 have records {0, 1}; key 2 has two other records; 4 one; 5 none
    assert alike.tolist() == [0, 0, 2, 0, 4, 5]


def test_keys_whose_record_sums_coincide_are_compared_record_by_record(monkeypatch):
    class Zeros:  # every record's random number 0: every key of a size sums alike
        def integers(self, low, high, size):
            return np.zeros(size, np.int64)

    monkeypatch.setattr(np.random, "default_rng", lambda seed: Zeros())
    test_keys_with_the_same_records_are_told_apart_from_keys_of_the_same_size()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equality_blocks_pair_every_record_of_a_key_unless_it_is_too_common(seed):
    rng = np.random.default_rng(seed)
    e, l = rng.integers(0, 30, 200), rng.integers(0, 30, 180)  # 0: no key
    exact_rows = np.sort(rng.choice(200, 150, replace=False))
    cap = 8
    ei, li = _join_on_key(e, l, cap, exact_rows)
    e_count = Counter(e[exact_rows].tolist())
    l_count = Counter(l.tolist())
    want = sorted((i, j) for i in exact_rows.tolist() for j in range(len(l))
                  if e[i] == l[j] != 0 and e_count[e[i]] <= cap and l_count[l[j]] <= cap)
    assert sorted(zip(ei.tolist(), li.tolist())) == want
    assert want


def test_nothing_to_look_up_gives_no_pairs():
    codes = KeyCodes()
    E = prepare([MatchRecord("e1", ""), MatchRecord("e2", "Jansen")], codes)
    L = prepare([MatchRecord("l1", "Visser"), MatchRecord("l2", "")], codes)
    cfg = MatchConfig()
    assert fallback_pairs(E, L, cfg, np.array([0, 1]), np.ones(2, bool)).tolist() == []
    assert fallback_pairs(E, L, cfg, np.array([1]), np.zeros(2, bool)).tolist() == []
    assert fallback_pairs(E, L, cfg, np.array([], np.int64), np.ones(2, bool)).tolist() == []
    assert _rare_token_pairs(E, L, cfg, np.ones(2, bool), np.zeros(2, bool)).tolist() == []
