"""`match()`: sort Exact accounts into One match / More matches / No match / Ignored.

Order of work: normalise both sides once; block (strong keys, rare words, postcode + house number,
domains, phones); score the blocked pairs; give Exact accounts still without a plausible partner a
brute-force pass on the name; then bucket. A One match must be safe to link with one key press:
high score, a clear margin over the runner-up on BOTH sides, a name that is really alike (or an
agreeing VAT/KvK number) and a second agreeing field or strong key — name-only auto-links are wrong
about 2% of the time, with a second agreeing field about 0.06%.

What each stage computes lives in `normalise`, `blocking`, `scoring`, `learned`, `decide` and `rank`.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
from operator import attrgetter, eq
from typing import Any

import numpy as np

from . import learned as fs
from . import parallel
from .blocking import blocked_pairs, contains, fallback_pairs
from .decide import (
    FileEvidence, Gate, family_unconfirmed, file_evidence, gate, learned_one_notes, why_not_learned,
)
from .parts import keep, name_parts, release
from .explain import evidence
from .model import Candidate, Decisions, MatchConfig, MatchRecord, MatchResult
from .prepare import KeyCodes, Side, prepare_sides
from .scoring import Scores, score_pairs, worth_scoring


def _sorted_unique(records: Sequence[MatchRecord], side: str) -> list[MatchRecord]:
    """Records sorted by id (so input order cannot change the outcome); duplicate ids are an error."""
    out = sorted(records, key=attrgetter("id"))
    ids = list(map(attrgetter("id"), out))
    if any(map(eq, ids, islice(ids, 1, None))):  # sorted: a repeated id stands next to itself
        twice = next(a for a, b in zip(ids, ids[1:]) if a == b)
        raise ValueError(f"{side} side: id {twice!r} occurs more than once")
    return out


def match(exact: Sequence[MatchRecord], local: Sequence[MatchRecord], *, decisions: Decisions | None = None,
          config: MatchConfig | None = None) -> MatchResult:
    """Bucket every Exact account; deterministic for the same records whatever their order.

    The cyclic garbage collector is paused for the run: it creates hundreds of thousands of small
    objects (keys, candidates) and no cycles, and each collection walks every one of them again —
    a third of the time of a 50,000-record run went to collections that freed nothing.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _match(exact, local, decisions, config)
    finally:
        release()
        parallel.reap()
        if paused:
            gc.enable()


def _match(exact: Sequence[MatchRecord], local: Sequence[MatchRecord], decisions: Decisions | None,
           config: MatchConfig | None) -> MatchResult:
    cfg = config or MatchConfig()
    dec = decisions or Decisions()
    started = time.perf_counter()
    ex = _sorted_unique(exact, "Exact")
    lo = _sorted_unique(local, "local")
    # both sides normalised and encoded, the field groups shared by two cores where that is safe
    E, L = prepare_sides(ex, lo, KeyCodes())
    t_prep = time.perf_counter()

    result = MatchResult()
    e_pos = dict(zip(E.ids, range(len(E))))
    l_pos = dict(zip(L.ids, range(len(L))))
    e_active = np.ones(len(E), bool)
    l_active = np.ones(len(L), bool)
    for e_id, l_id in sorted(dec.links.items()):
        if e_id in e_pos:
            e_active[e_pos[e_id]] = False
            result.linked[e_id] = l_id
        if l_id in l_pos:
            l_active[l_pos[l_id]] = False
    ignored = np.zeros(len(E), bool)
    for e_id in dec.ignored:
        if e_id in e_pos and e_active[e_pos[e_id]]:
            ignored[e_pos[e_id]] = True

    S, sample = _score_all(E, L, cfg, e_active, l_active, dec, e_pos, l_pos)
    t_score = time.perf_counter()
    model = _learn(S, sample, cfg, e_active, l_active)
    bits, parts = fs.weigh(model, S.level) if len(S) else (np.zeros(0, np.float32), {})
    result.model = model
    # a surname shared at one address is a relative as often as a given name typed anew, names
    # with nothing in common there another customer: the files themselves say how often
    files = file_evidence(E, L, S, fs.probability(bits) * _mutual_best(S, bits, len(E), len(L)), cfg)
    t_learn = time.perf_counter()
    _bucket(E, L, S, cfg, e_active, ignored, result, bits, parts, files)
    done = time.perf_counter()
    result.stats = {"pairs": float(len(S)), "seconds": done - started, "prepare_s": t_prep - started,
                    "score_s": t_score - t_prep, "learn_s": t_learn - t_score, "bucket_s": done - t_learn,
                    "prior": model.prior, "em_iterations": float(model.iterations),
                    **files.stats()}
    return result


def _random_pairs(n_l: int, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """The pairs (`i * n_l + j`, sorted) whose comparison levels give `u`: `cfg.u_sample` pairs of
    the two sides' active records drawn at random, or all of them when there are fewer."""
    n_e, n_a = int(e_active.sum()), int(l_active.sum())
    if not n_e or not n_a:
        return np.empty(0, np.int64)
    e_rows, l_rows = np.nonzero(e_active)[0], np.nonzero(l_active)[0]
    total = n_e * n_a
    rng = np.random.default_rng(20260101)  # fixed: the same records always give the same weights
    picks = np.arange(total) if total <= cfg.u_sample else rng.choice(total, cfg.u_sample, replace=False)
    return np.sort(e_rows[picks // n_a] * max(n_l, 1) + l_rows[picks % n_a])


def _learn(S: Scores, sample: dict[str, np.ndarray], cfg: MatchConfig, e_active: np.ndarray,
           l_active: np.ndarray) -> fs.Model:
    """`u` from the levels of random pairs (`_random_pairs`), `m` by EM on the candidate pairs (see
    learned.py)."""
    n_e, n_l = int(e_active.sum()), int(l_active.sum())
    u = fs.estimate_u(sample if n_e and n_l else {})
    if not len(S):
        return fs.estimate(S.level, u, 0, 0)
    # EM on each record's few best candidates: the choice to be made is between those, and the
    # hundreds of pairs that only share a postcode would otherwise be taken for a class of their own
    top = _top_rows(S, cfg.em_top)
    levels = {f: v[top] for f, v in S.level.items()}
    return fs.estimate(levels, u, expected_matches=0.5 * min(n_e, n_l), max_matches=min(n_e, n_l),
                       learn_u=cfg.em_learn_u)


def _mutual_best(S: Scores, bits: np.ndarray, n_e: int, n_l: int) -> np.ndarray:
    """Pairs that are the likeliest of both their Exact account and their local customer."""
    rows = np.arange(len(S))
    return (_best_two(S.ei, bits, n_e)[0][S.ei] == rows) & (_best_two(S.li, bits, n_l)[0][S.li] == rows)


def _top_rows(S: Scores, k: int) -> np.ndarray:
    """Rows that are among the `k` best (by evidence; of equals, the earlier row) of their Exact
    record or of their local record. `k` rounds of `_best_rows`, no sort: a fifth of the time of
    sorting the pairs by record and evidence (0.25 s at 50k)."""
    keep = np.zeros(len(S), bool)
    if not len(S):
        return np.nonzero(keep)[0]
    value = S.evidence.astype(np.float64)  # `maximum.at` with float32 into float64 is 50x slower
    for group in (S.ei, S.li):
        n = int(group.max()) + 1
        rest = value.copy()
        for _ in range(k):  # a record whose rows are all taken gives one of them again: no change
            first = _best_rows(group, rest, n)
            first = first[first < len(S)]
            keep[first] = True
            rest[first] = -np.inf
    return np.nonzero(keep)[0]


def _best_rows(group: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Per group id the row of its highest float64 `value` (the first of equals), or `len(value)`
    for a group without rows. `maximum.at` and `minimum.at`, no sort."""
    top = np.full(n, -np.inf, np.float64)
    np.maximum.at(top, group, value)
    rows = np.flatnonzero(value == top[group])
    first = np.full(n, len(value), np.int64)
    np.minimum.at(first, group[rows], rows)
    return first


def _empty_scores(E: Side, L: Side, cfg: MatchConfig) -> Scores:
    return score_pairs(E, L, np.empty(0, np.int64), cfg)


def _score_all(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray,
               dec: Decisions, e_pos: dict[str, int], l_pos: dict[str, int]) -> tuple[Scores, dict[str, np.ndarray]]:
    """The scored pairs, and the comparison levels of the random pairs `u` is learnt from."""
    if not len(E) or not len(L):
        return _empty_scores(E, L, cfg), {}
    # one forked child for the three stages (`parallel.Helper`)
    with parallel.Helper(E, L, cfg) as helper:
        return _scored(helper, E, L, cfg, e_active, l_active, dec, e_pos, l_pos)


def _scored(helper: parallel.Helper, E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray,
            l_active: np.ndarray, dec: Decisions, e_pos: dict[str, int],
            l_pos: dict[str, int]) -> tuple[Scores, dict[str, np.ndarray]]:
    n_l = max(len(L), 1)
    # the name parts every scoring needs are worked out beside blocking, so the halves share them
    blocked, parts = helper.both(partial(_blocked_and_ready, E, L, cfg, e_active, l_active),
                                 partial(_parts_and_ready, E, L), len(E) + len(L), parallel.MIN_RECORDS)
    keep(E, L, parts)
    # ... and the random pairs `u` is learnt from are scored in the same halves
    S, sample = _in_halves(helper, partial(_worth_and_scored, E, L, cfg), parallel.MIN_PAIRS, blocked,
                           _random_pairs(len(L), cfg, e_active, l_active))
    scored = S.ei * n_l + S.li  # sorted, as the blocked pairs were
    # Exact accounts without a plausible partner yet: brute force on the name alone
    best = np.zeros(len(E), np.float32)
    if len(S):
        np.maximum.at(best, S.ei, S.score)
    weak = np.nonzero(e_active & (best < cfg.threshold))[0]
    if len(weak):
        # local customers already claimed by a near-certain pair are not searched again: keeps the
        # brute-force pass near-linear when many records have no partner at all
        claimed = np.zeros(len(L), np.float32)
        if len(S):
            np.maximum.at(claimed, S.li, S.score)
        open_l = l_active & (claimed < cfg.fallback_claimed)
        (extra,) = _in_halves(helper, partial(_fallback_scored, E, L, cfg, open_l, scored), parallel.MIN_ROWS, weak)
        if len(extra):
            S = Scores.concat([S, extra])
    if dec.rejected:
        bad = np.array([e_pos[e] * n_l + l_pos[l] for e, l in dec.rejected if e in e_pos and l in l_pos], np.int64)
        if len(bad):
            S = S.take(np.nonzero(~np.isin(S.ei * n_l + S.li, bad))[0])
    return S, sample.level


def _in_halves(helper: parallel.Helper, task: Callable[..., tuple[Scores, ...]], least: int,
               *items: np.ndarray) -> tuple[Scores, ...]:
    """`task(*items)` as `task` of the first half of each of `items` and, in the helper's child
    (`parallel.Helper.both`), of the second halves, joined in order: the pairs and every score
    are the ones one call gives, as each pair is scored alone."""
    if not parallel.can_fork(len(items[0]), least):
        return task(*items)
    cut = [len(x) // 2 for x in items]
    first, second = helper.both(partial(task, *(x[:c] for x, c in zip(items, cut))),
                                partial(task, *(x[c:] for x, c in zip(items, cut))), len(items[0]), least)
    return tuple(Scores.concat([a, b]) for a, b in zip(first, second))


def _blocked_and_ready(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray) -> np.ndarray:
    """The blocked pairs, and the columns scoring picks from made ready (`Side.ready_for_scoring`)."""
    keys = blocked_pairs(E, L, cfg, e_active, l_active)
    E.ready_for_scoring()
    L.ready_for_scoring()
    return keys


def _parts_and_ready(E: Side, L: Side) -> Any:
    """The name parts (`name_parts`), and the columns scoring picks from made ready in the child
    too, beside blocking (which takes longer), so that its halves of scoring cost what the
    parent's do."""
    E.ready_for_scoring()
    L.ready_for_scoring()
    return name_parts(E, L)


def _worth_and_scored(E: Side, L: Side, cfg: MatchConfig, keys: np.ndarray, random: np.ndarray) -> tuple[Scores, Scores]:
    """The blocked pairs `keys` worth scoring, scored; and the random pairs, scored."""
    return score_pairs(E, L, worth_scoring(E, L, keys, cfg), cfg), score_pairs(E, L, random, cfg)


def _fallback_scored(E: Side, L: Side, cfg: MatchConfig, open_l: np.ndarray, blocked: np.ndarray,
                     rows: np.ndarray) -> tuple[Scores]:
    """The name-only pairs of the Exact `rows` that blocking did not propose already, scored."""
    extra = fallback_pairs(E, L, cfg, rows, open_l)
    return (score_pairs(E, L, extra[~contains(blocked, extra)], cfg),)


def _best_two(group: np.ndarray, score: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group id: index of the best pair (-1 if none; the first of equals), its score, and the
    runner-up's score (0 if none). Two passes of `maximum.at`, no sort: this runs a dozen times on
    over a million pairs."""
    best_idx = np.full(n, -1, np.int64)
    best = np.zeros(n, np.float32)
    second = np.zeros(n, np.float32)
    if not len(group):
        return best_idx, best, second
    rest = score.astype(np.float64)  # a copy; `maximum.at` with float32 values into float64 is 50x slower
    first = _best_rows(group, rest, n)
    has = first < len(score)
    best_idx[has] = first[has]
    best[has] = score[first[has]]
    rest[first[has]] = -np.inf  # the best row of each group left out
    runner = np.full(n, -np.inf, np.float64)
    np.maximum.at(runner, group, rest)
    ok = np.isfinite(runner)
    second[ok] = runner[ok]
    return best_idx, best, second


def _bucket(E: Side, L: Side, S: Scores, cfg: MatchConfig, e_active: np.ndarray, ignored: np.ndarray,
            result: MatchResult, bits: np.ndarray, parts: dict[str, np.ndarray], files: FileEvidence) -> None:
    n_e, n_l = len(E), len(L)
    strong_id = (S.key_state["vat"] == 1) | (S.key_state["coc"] == 1) if len(S) else np.zeros(0, bool)
    # numbering on both sides may be independent: a shared code counts only with a plausible name
    # and when no address, place, phone or e-mail contradicts it
    code_ok = (S.key_state["code"] == 1) & ~S.conflict if len(S) else np.zeros(0, bool)
    name_ok = (S.sim["name"] >= cfg.min_name) | strong_id | (code_ok & (S.sim["name"] >= cfg.min_name_code))
    name_ok &= ~family_unconfirmed(S, strong_id, files.families_rare)  # "Jan Jansen" / "Piet Jansen" at one address
    evidence_ok = S.second_field | strong_id | code_ok
    flags_ok = ~S.flag_mismatch | strong_id
    eligible = (S.score >= cfg.threshold) & name_ok & evidence_ok & flags_ok
    g = gate(S, cfg, bits, parts, strong_id, flags_ok, files)
    learned_ok = g.ok
    competing = ~ignored[S.ei]
    used_e = np.zeros(n_e, bool)
    used_l = np.zeros(n_l, bool)
    best_e = np.full(n_e, -np.inf, np.float32)
    best_l = np.full(n_l, -np.inf, np.float32)
    # first the score rule, then the learned evidence for what it left: a pair the score rule
    # finds clear stays exactly as it was
    by_score = _rounds(S, S.evidence, cfg.margin, eligible, competing, used_e, used_l, best_e, best_l)
    best_e[:] = -np.inf
    best_l[:] = -np.inf
    linked = np.array(by_score, np.int64)  # the pairs already linked, on the bits scale
    best_e[S.ei[linked]] = bits[linked]
    best_l[S.li[linked]] = bits[linked]
    by_bits = _rounds(S, bits, cfg.margin_bits, learned_ok, competing, used_e, used_l, best_e, best_l)
    prob = fs.probability(bits)

    e_ids, l_ids = E.ids, L.ids
    source = partial(evidence, E, L, S)  # a candidate's fields and reasons, built when first read

    def candidates(rows: np.ndarray, ranks: Sequence[int]) -> list[Candidate]:
        """The candidates of `rows`, their ids and scores gathered with numpy first."""
        return [Candidate(e_ids[e], l_ids[j], score, rank=rank, source=partial(source, row))
                for row, e, j, score, rank in zip(rows.tolist(), S.ei[rows].tolist(), S.li[rows].tolist(),
                                                  S.shown[rows].tolist(), ranks)]

    e_two = _best_two(S.ei[competing], S.evidence[competing], n_e)[2]
    b_two = _best_two(S.ei[competing], bits[competing], n_e)[2]
    # the notes are built when first read (`Notes.lazy`): a user reads those of a few accounts
    notes, one = result.notes, result.one
    one_rows = by_score + by_bits
    chosen = np.array(one_rows, np.int64)
    account_rows = S.ei[chosen].tolist()
    accounts = [e_ids[i] for i in account_rows]
    one.update(zip(accounts, candidates(chosen, [1] * len(one_rows))))
    runner_up = b_two.tolist()
    for k, (e_id, row, i) in enumerate(zip(accounts, one_rows, account_rows)):
        if k < len(by_score):
            notes.lazy(e_id, partial(_score_rule_notes, S, row, cfg, e_two))
        else:
            notes.lazy(e_id, partial(learned_one_notes, S, row, bits, prob, parts, g, runner_up[i]))

    # More / Ignored: ranked candidates among local customers nobody has taken
    plausible = (S.score >= cfg.candidate_floor) | (prob >= cfg.candidate_probability)
    keep = np.nonzero(~used_e[S.ei] & ~used_l[S.li] & plausible)[0]
    order = _shortlist(S, keep, bits, cfg.max_candidates, cfg.likeliest)  # grouped by account, best first
    account = S.ei[order]
    starts = np.flatnonzero(np.r_[True, account[1:] != account[:-1]]) if len(order) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(order)].astype(np.int64)
    rank = np.arange(len(order)) - np.repeat(starts, ends - starts) + 1
    shortlisted = candidates(order, rank.tolist())
    order_rows = order.tolist()
    groups = dict(zip(account[starts].tolist(), zip(starts.tolist(), ends.tolist())))
    live_all = np.nonzero(competing)[0]
    bl_idx, bl_sc, bl_sec = _best_two(S.li[live_all], S.evidence[live_all], n_l)
    # per pair: the best score any OTHER Exact account reaches for the same local customer
    rival = np.zeros(len(S), np.float32)
    if len(live_all):
        is_best = live_all[bl_idx[S.li[live_all]]] == live_all
        rival[live_all] = np.where(is_best, bl_sec[S.li[live_all]], bl_sc[S.li[live_all]])
    none_note = f"no local customer scores {cfg.candidate_floor:.0f} or more"
    is_ignored = ignored.tolist()
    for i in np.flatnonzero(e_active & ~used_e).tolist():
        e_id = e_ids[i]
        a, b = groups.get(i, (0, 0))
        cands = shortlisted[a:b]
        if is_ignored[i]:
            result.ignored[e_id] = cands
        elif cands:
            result.more[e_id] = cands
            notes.lazy(e_id, partial(_more_notes, S, order_rows[a:b], cfg, rival, name_ok, evidence_ok, flags_ok,
                                     bits, prob, parts, g, b_two))
        else:
            result.none.append(e_id)
            notes[e_id] = [none_note]


def _shortlist(S: Scores, keep: np.ndarray, bits: np.ndarray, limit: int, likeliest: int) -> np.ndarray:
    """Rows of each Exact account's `limit` candidates, best score first, that always hold its
    `likeliest` candidates by the learned evidence. The score weighs the name most, so five
    namesakes elsewhere ("Little Bridge Tavern", "The Little Bridge") would otherwise push out the
    "Ltitle Bridge" in the same street and city that the learned evidence finds likeliest."""
    def ranked(primary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order = keep[np.lexsort((S.li[keep], -S.evidence[keep], -primary[keep], S.ei[keep]))]
        g = S.ei[order]
        return order, np.arange(len(order)) - np.searchsorted(g, g, side="left")

    by_score, pos_score = ranked(S.score)
    if not len(by_score):
        return by_score
    by_bits, pos_bits = ranked(bits)
    must = np.zeros(len(S), bool)
    must[by_bits[pos_bits < likeliest]] = True
    extra = np.zeros(len(S), bool)  # must-haves the score order leaves out of its top `limit`
    extra[by_score[(pos_score >= limit) & must[by_score]]] = True
    n_extra = np.bincount(S.ei[extra], minlength=int(S.ei.max()) + 1)
    # per account: the best `limit - n_extra` by score, plus its must-haves
    room = limit - n_extra[S.ei[by_score]]
    return by_score[(pos_score < room) | must[by_score]]


def _rounds(S: Scores, value: np.ndarray, margin: float, eligible: np.ndarray, competing: np.ndarray,
            used_e: np.ndarray, used_l: np.ndarray, one_e: np.ndarray, one_l: np.ndarray) -> list[int]:
    """Take every pair that is the best of both its records by `margin`; repeat while that frees more.

    A certain pair takes both records out, which can make the next pair clear. A record taken out
    still counts as a rival unless the pair that took it is clearly better than the rival pair: a
    local customer whose true account went to its duplicate must not fall to the next-best account.
    Rivals are compared on the uncapped `value`: two pairs at 100, one with the same VAT number,
    are not a tie. Updates `used_*` and `one_*` (the value of the pair that took a record) in place.
    """
    n_e, n_l = len(used_e), len(used_l)
    taken: list[int] = []
    for _ in range(6):
        discounted = (used_e[S.ei] & (one_e[S.ei] - value >= margin)) | \
                     (used_l[S.li] & (one_l[S.li] - value >= margin))
        rivals = np.nonzero(competing & ~discounted)[0]
        if not len(rivals):
            break
        ei, li, sc = S.ei[rivals], S.li[rivals], value[rivals]
        be, bsc_e, sec_e = _best_two(ei, sc, n_e)
        bl, bsc_l, sec_l = _best_two(li, sc, n_l)
        rows = np.arange(len(rivals))
        mutual = (be[ei] == rows) & (bl[li] == rows)
        clear = (sc - sec_e[ei] >= margin) & (sc - sec_l[li] >= margin)
        free = ~used_e[ei] & ~used_l[li]
        # ... and a record may not settle for less than a partner it resembled more, now taken
        taken_e = np.full(n_e, -np.inf, np.float32)
        taken_l = np.full(n_l, -np.inf, np.float32)
        lost = used_l[S.li] & ~used_e[S.ei]
        np.maximum.at(taken_e, S.ei[lost], value[lost])
        lost = used_e[S.ei] & ~used_l[S.li]
        np.maximum.at(taken_l, S.li[lost], value[lost])
        settles = (sc < taken_e[ei]) | (sc < taken_l[li])
        new = rivals[mutual & clear & free & ~settles & eligible[rivals]]
        if not len(new):
            break
        taken.extend(new.tolist())
        used_e[S.ei[new]] = True
        used_l[S.li[new]] = True
        one_e[S.ei[new]] = value[new]
        one_l[S.li[new]] = value[new]
    return taken


def _score_rule_notes(S: Scores, row: int, cfg: MatchConfig, e_two: np.ndarray) -> list[str]:
    """Why the score rule made a pair a One match: its score and its lead over the runner-up."""
    runner = float(e_two[S.ei[row]])
    return [f"score rule: score {float(S.score[row]):.0f} reaches {cfg.threshold:.0f}, "
            + (f"{float(S.evidence[row]) - runner:.0f} points ahead of the runner-up"
               if runner else "no other candidate") + ", and a second field agrees"]


def _more_notes(S: Scores, rows: list[int], cfg: MatchConfig, rival: np.ndarray, name_ok: np.ndarray,
                evidence_ok: np.ndarray, flags_ok: np.ndarray, bits: np.ndarray, prob: np.ndarray,
                parts: dict[str, np.ndarray], g: Gate, b_two: np.ndarray) -> list[str]:
    """Why a More-matches account was linked by neither the score rule nor the learned evidence."""
    return _why_not_one(S, rows, cfg, rival, name_ok, evidence_ok, flags_ok) + \
        why_not_learned(S, rows, cfg, bits, prob, parts, g, b_two)


def _why_not_one(S: Scores, rows: list[int], cfg: MatchConfig, rival: np.ndarray,
                 name_ok: np.ndarray, evidence_ok: np.ndarray, flags_ok: np.ndarray) -> list[str]:
    """Why the best candidate of a More-matches account was not linked automatically."""
    best = rows[0]
    sc = float(S.score[best])
    ev = float(S.evidence[best])
    notes = []
    if sc < cfg.threshold:
        notes.append(f"best score {sc:.0f} is below {cfg.threshold:.0f}")
    if len(rows) > 1 and ev - float(S.evidence[rows[1]]) < cfg.margin:
        notes.append(f"runner-up scores {float(S.score[rows[1]]):.0f}, less than {cfg.margin:.0f} below the best")
    other = float(rival[best])
    if other and ev - other < cfg.margin:
        notes.append(f"another Exact account scores {min(other, 100):.0f} for the same local customer")
    if not name_ok[best] and S.level["family"][best]:
        notes.append("only the surname agrees: the given names have nothing in common (a family member?)")
    elif not name_ok[best]:
        notes.append(f"names only {float(S.sim['name'][best]):.0f}% alike and no VAT/KvK number agrees")
    if not evidence_ok[best]:
        notes.append("only the name agrees: no address, postcode, e-mail, phone or number confirms it")
    if not flags_ok[best]:
        notes.append("Holding/Stichting-type word on one side only")
    if not notes:
        notes.append("the best local customer was taken by a clearer match")
    return notes
