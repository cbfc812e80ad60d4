"""`match()`: sort Exact accounts into One match / More matches / No match / Ignored.

Order of work: normalise both sides once; block (strong keys, rare words, postcode + house number,
domains, phones); score the blocked pairs; give Exact accounts still without a plausible partner a
brute-force pass on the name; then bucket. A One match must be safe to link with one key press:
high score, a clear margin over the runner-up on BOTH sides, a name that is really alike (or an
agreeing VAT/KvK number) and a second agreeing field or strong key — name-only auto-links are wrong
about 2% of the time, with a second agreeing field about 0.06%.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial

import numpy as np

from .blocking import blocked_pairs, fallback_pairs
from .explain import evidence
from .model import Candidate, Decisions, MatchConfig, MatchRecord, MatchResult
from .prepare import KeyCodes, Side, prepare
from .scoring import Scores, score_pairs


def _sorted_unique(records: Sequence[MatchRecord], side: str) -> list[MatchRecord]:
    """Records sorted by id (so input order cannot change the outcome); duplicate ids are an error."""
    out = sorted(records, key=lambda r: r.id)
    for a, b in zip(out, out[1:]):
        if a.id == b.id:
            raise ValueError(f"{side} side: id {a.id!r} occurs more than once")
    return out


def match(exact: Sequence[MatchRecord], local: Sequence[MatchRecord], *, decisions: Decisions | None = None,
          config: MatchConfig | None = None) -> MatchResult:
    """Bucket every Exact account; deterministic for the same records whatever their order."""
    cfg = config or MatchConfig()
    dec = decisions or Decisions()
    started = time.perf_counter()
    ex = _sorted_unique(exact, "Exact")
    lo = _sorted_unique(local, "local")
    codes = KeyCodes()
    E, L = prepare(ex, codes), prepare(lo, codes)
    t_prep = time.perf_counter()

    result = MatchResult()
    e_pos = {r.id: i for i, r in enumerate(ex)}
    l_pos = {r.id: j for j, r in enumerate(lo)}
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

    S = _score_all(E, L, cfg, e_active, l_active, dec, e_pos, l_pos)
    t_score = time.perf_counter()
    _bucket(E, L, S, cfg, e_active, ignored, result)
    done = time.perf_counter()
    result.stats = {"pairs": float(len(S)), "seconds": done - started, "prepare_s": t_prep - started,
                    "score_s": t_score - t_prep, "bucket_s": done - t_score}
    return result


def _empty_scores(E: Side, L: Side, cfg: MatchConfig) -> Scores:
    return score_pairs(E, L, np.empty(0, np.int64), cfg)


def _score_all(E: Side, L: Side, cfg: MatchConfig, e_active: np.ndarray, l_active: np.ndarray,
               dec: Decisions, e_pos: dict[str, int], l_pos: dict[str, int]) -> Scores:
    n_l = max(len(L), 1)
    if not len(E) or not len(L):
        return _empty_scores(E, L, cfg)
    keys = blocked_pairs(E, L, cfg, e_active, l_active)
    S = score_pairs(E, L, keys, cfg)
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
        extra = fallback_pairs(E, L, cfg, weak, l_active & (claimed < cfg.fallback_claimed))
        extra = extra[~np.isin(extra, keys)]
        if len(extra):
            S = Scores.concat([S, score_pairs(E, L, extra, cfg)])
    if dec.rejected:
        bad = np.array([e_pos[e] * n_l + l_pos[l] for e, l in dec.rejected if e in e_pos and l in l_pos], np.int64)
        if len(bad):
            S = S.take(np.nonzero(~np.isin(S.ei * n_l + S.li, bad))[0])
    return S


def _best_two(group: np.ndarray, score: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group id: index of the best pair (-1 if none), its score, and the runner-up's score (0 if none)."""
    best_idx = np.full(n, -1, np.int64)
    best = np.zeros(n, np.float32)
    second = np.zeros(n, np.float32)
    if not len(group):
        return best_idx, best, second
    order = np.lexsort((-score, group))
    g = group[order]
    first = np.ones(len(g), bool)
    first[1:] = g[1:] != g[:-1]
    idx = order[first]
    best_idx[g[first]] = idx
    best[g[first]] = score[idx]
    is_second = np.zeros(len(g), bool)
    is_second[1:] = (~first[1:]) & first[:-1]
    second[g[is_second]] = score[order[is_second]]
    return best_idx, best, second


def _bucket(E: Side, L: Side, S: Scores, cfg: MatchConfig, e_active: np.ndarray, ignored: np.ndarray,
            result: MatchResult) -> None:
    n_e, n_l = len(E), len(L)
    strong_id = (S.key_state["vat"] == 1) | (S.key_state["coc"] == 1) if len(S) else np.zeros(0, bool)
    # numbering on both sides may be independent: a shared code counts only with a plausible name
    # and when no address, place, phone or e-mail contradicts it
    code_ok = (S.key_state["code"] == 1) & ~S.conflict if len(S) else np.zeros(0, bool)
    name_ok = (S.sim["name"] >= cfg.min_name) | strong_id | (code_ok & (S.sim["name"] >= cfg.min_name_code))
    evidence_ok = S.second_field | strong_id | code_ok
    flags_ok = ~S.flag_mismatch | strong_id
    eligible = (S.score >= cfg.threshold) & name_ok & evidence_ok & flags_ok
    competing = ~ignored[S.ei]
    used_e = np.zeros(n_e, bool)
    used_l = np.zeros(n_l, bool)
    one_rows: list[int] = []
    one_ev_e = np.full(n_e, -np.inf, np.float32)
    one_ev_l = np.full(n_l, -np.inf, np.float32)
    ev = S.evidence
    # Rounds: a certain pair takes both records out, which can make the next pair clear. A record
    # taken out still counts as a rival unless the pair that took it is clearly better than the
    # rival pair: a local customer whose true account went to its duplicate must not fall to the
    # next-best account.
    for _ in range(6):
        discounted = (used_e[S.ei] & (one_ev_e[S.ei] - ev >= cfg.margin)) | \
                     (used_l[S.li] & (one_ev_l[S.li] - ev >= cfg.margin))
        rivals = np.nonzero(competing & ~discounted)[0]
        if not len(rivals):
            break
        # rivals are compared on the uncapped evidence: two pairs at 100, one with the same VAT
        # number, are not a tie
        ei, li, sc = S.ei[rivals], S.li[rivals], ev[rivals]
        be, bsc_e, sec_e = _best_two(ei, sc, n_e)
        bl, bsc_l, sec_l = _best_two(li, sc, n_l)
        rows = np.arange(len(rivals))
        mutual = (be[ei] == rows) & (bl[li] == rows)
        clear = (sc - sec_e[ei] >= cfg.margin) & (sc - sec_l[li] >= cfg.margin)
        free = ~used_e[ei] & ~used_l[li]
        # ... and a record may not settle for less than a partner it resembled more, now taken
        taken_e = np.full(n_e, -np.inf, np.float32)
        taken_l = np.full(n_l, -np.inf, np.float32)
        lost = used_l[S.li] & ~used_e[S.ei]
        np.maximum.at(taken_e, S.ei[lost], ev[lost])
        lost = used_e[S.ei] & ~used_l[S.li]
        np.maximum.at(taken_l, S.li[lost], ev[lost])
        settles = (sc < taken_e[ei]) | (sc < taken_l[li])
        new = rivals[mutual & clear & free & ~settles & eligible[rivals]]
        if not len(new):
            break
        one_rows.extend(new.tolist())
        used_e[S.ei[new]] = True
        used_l[S.li[new]] = True
        one_ev_e[S.ei[new]] = ev[new]
        one_ev_l[S.li[new]] = ev[new]

    shown = S.shown
    def make(row: int, rank: int) -> Candidate:
        return Candidate(E.records[S.ei[row]].id, L.records[S.li[row]].id, float(shown[row]), rank=rank,
                         source=partial(evidence, E, L, S, row))

    for row in one_rows:
        result.one[E.records[S.ei[row]].id] = make(row, 1)

    # More / Ignored: ranked candidates among local customers nobody has taken
    keep = np.nonzero(~used_e[S.ei] & ~used_l[S.li] & (S.score >= cfg.candidate_floor))[0]
    order = keep[np.lexsort((S.li[keep], -S.evidence[keep], -S.score[keep], S.ei[keep]))]
    grouped = S.ei[order]
    position = np.arange(len(order)) - np.searchsorted(grouped, grouped, side="left")
    order = order[position < cfg.max_candidates]
    groups: dict[int, list[int]] = {}
    for row, i in zip(order.tolist(), S.ei[order].tolist()):
        groups.setdefault(i, []).append(row)
    live_all = np.nonzero(competing)[0]
    bl_idx, bl_sc, bl_sec = _best_two(S.li[live_all], S.evidence[live_all], n_l)
    # per pair: the best score any OTHER Exact account reaches for the same local customer
    rival = np.zeros(len(S), np.float32)
    if len(live_all):
        is_best = live_all[bl_idx[S.li[live_all]]] == live_all
        rival[live_all] = np.where(is_best, bl_sec[S.li[live_all]], bl_sc[S.li[live_all]])
    for i in range(n_e):
        if not e_active[i] or used_e[i]:
            continue
        e_id = E.records[i].id
        rows = groups.get(i, [])
        cands = [make(r, k + 1) for k, r in enumerate(rows)]
        if ignored[i]:
            result.ignored[e_id] = cands
        elif cands:
            result.more[e_id] = cands
            result.notes[e_id] = _why_not_one(S, rows, cfg, rival, name_ok, evidence_ok, flags_ok)
        else:
            result.none.append(e_id)
            result.notes[e_id] = [f"no local customer scores {cfg.candidate_floor:.0f} or more"]


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
    if not name_ok[best]:
        notes.append(f"names only {float(S.sim['name'][best]):.0f}% alike and no VAT/KvK number agrees")
    if not evidence_ok[best]:
        notes.append("only the name agrees: no address, postcode, e-mail, phone or number confirms it")
    if not flags_ok[best]:
        notes.append("Holding/Stichting-type word on one side only")
    if not notes:
        notes.append("the best local customer was taken by a clearer match")
    return notes
