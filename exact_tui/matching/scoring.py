"""Score candidate pairs field by field and combine into 0-100, keeping every field's share.

Fuzzy fields (name, address, city) are scored with `process.cpdist` over aligned pair lists (no
matrix); equality fields are integer comparisons. The score is a weighted mean over the fields BOTH
records have (a missing phone is no evidence either way), plus strong-key bonuses and minus
conflicts, capped to 0-100 in a way that keeps the contributions adding up to the score.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .model import MatchConfig
from .parts import Relations, relations
from .prepare import Column, Side, distinct_pairs, shares_word
from .tables import FLAG_WORDS

FUZZY_FIELDS = ("name", "address", "postcode", "city", "country", "email", "phone")
KEY_FIELDS = ("vat", "coc", "code")
ALL_FIELDS = FUZZY_FIELDS + KEY_FIELDS + ("flags",)
NAME_CLOSE = (3, 4)  # name levels "close" and "the same"
NAME_GIVEN_SAME = 5  # the given name alike, the surname has nothing in common


@dataclass(slots=True)
class Scores:
    """Per-pair arrays, aligned with `ei`/`li`. `sim[f]` is NaN where a side lacks field f."""

    ei: np.ndarray
    li: np.ndarray
    score: np.ndarray
    sim: dict[str, np.ndarray]
    contrib: dict[str, np.ndarray]
    key_state: dict[str, np.ndarray]  # +1 same, -1 differs, 0 missing
    second_field: np.ndarray  # bool: a field other than the name agrees
    conflict: np.ndarray  # bool: address, place, phone or e-mail contradict each other
    flag_mismatch: np.ndarray  # bool: Holding/Stichting... on one side only
    shown: np.ndarray  # float64: the score a user sees, the exact sum of contributions rounded to tenths
    evidence: np.ndarray  # float32: the score before capping at 100; ranks rivals (VAT + name beats name)
    level: dict[str, np.ndarray]  # int8 comparison level per field for the learned model (-1: a side lacks it)

    def __len__(self) -> int:
        return len(self.ei)

    def take(self, idx: np.ndarray) -> "Scores":
        return Scores(self.ei[idx], self.li[idx], self.score[idx], {k: v[idx] for k, v in self.sim.items()},
                      {k: v[idx] for k, v in self.contrib.items()}, {k: v[idx] for k, v in self.key_state.items()},
                      self.second_field[idx], self.conflict[idx], self.flag_mismatch[idx], self.shown[idx],
                      self.evidence[idx], {k: v[idx] for k, v in self.level.items()})

    @staticmethod
    def concat(parts: list["Scores"]) -> "Scores":
        parts = [p for p in parts if p is not None]
        first = parts[0]
        cat = np.concatenate
        return Scores(cat([p.ei for p in parts]), cat([p.li for p in parts]), cat([p.score for p in parts]),
                      {k: cat([p.sim[k] for p in parts]) for k in first.sim},
                      {k: cat([p.contrib[k] for p in parts]) for k in first.contrib},
                      {k: cat([p.key_state[k] for p in parts]) for k in first.key_state},
                      cat([p.second_field for p in parts]), cat([p.conflict for p in parts]),
                      cat([p.flag_mismatch for p in parts]),
                      cat([p.shown for p in parts]), cat([p.evidence for p in parts]),
                      {k: cat([p.level[k] for p in parts]) for k in first.level})


def _pick(values: list[str], rows: np.ndarray) -> list[str]:
    """`values[r]` for every row: a Side's columns take them with one numpy index; a plain list
    through Python ints, as numpy scalars index a list ten times slower."""
    if isinstance(values, Column):
        return values.take(rows)
    return list(map(values.__getitem__, rows.tolist()))


def _fuzzy(a: list[str], b: list[str], scorer, workers: int, cutoff: float | None = None) -> np.ndarray:
    """`scorer` per aligned pair; with `cutoff`, similarities below it come back as 0 (faster:
    rapidfuzz stops early), for callers that only compare with a threshold at least that high."""
    if not a:
        return np.empty(0, np.float32)
    return process.cpdist(a, b, scorer=scorer, score_cutoff=cutoff, dtype=np.float32, workers=workers)


def _token_set(E: Side, L: Side, ei: np.ndarray, li: np.ndarray, workers: int, cutoff: float | None,
               plain: np.ndarray) -> np.ndarray:
    """`fuzz.token_set_ratio` of the pairs' names. For names without a common word it is the
    ratio of their sorted distinct words (prepared once per record), a quarter of the cost; most
    pairs here share no word of the name (they met on a street word or a key). Where both names
    are their sorted distinct words already, that is `plain`, the ratio of the names (with the
    same `cutoff`), which the caller has."""
    out = np.zeros(len(ei), np.float32)
    shared = shares_word(E, L, ei, li)
    # an empty name is 0 alike to anything, an empty one too (fuzz.ratio("", "") is 100)
    named = (np.diff(E.word_start)[ei] > 0) & (np.diff(L.word_start)[li] > 0)
    apart = ~shared & named
    known = apart & E.words_in_order[ei] & L.words_in_order[li]
    out[known] = plain[known]
    a, b = np.flatnonzero(shared), np.flatnonzero(apart & ~known)
    out[a] = _fuzzy(_pick(E.name, ei[a]), _pick(L.name, li[a]), fuzz.token_set_ratio, workers, cutoff)
    out[b] = _fuzzy(_pick(E.name_words, ei[b]), _pick(L.name_words, li[b]), fuzz.ratio, workers, cutoff)
    return out


def _fuzzy_distinct(e_col: list[str], l_col: list[str], e_codes: np.ndarray, l_codes: np.ndarray,
                    ei: np.ndarray, li: np.ndarray, scorer, workers: int) -> np.ndarray:
    """`_fuzzy` of a coded column, each distinct combination of two values compared once."""
    rep, group = distinct_pairs(e_codes[ei], l_codes[li])
    return _fuzzy(_pick(e_col, ei[rep]), _pick(l_col, li[rep]), scorer, workers)[group]


_SHARED_KEYS = ("pc", "city", "phone", "email", "vat", "coc", "code", "street_house")


def worth_scoring(E: Side, L: Side, keys: np.ndarray, cfg: MatchConfig) -> np.ndarray:
    """The blocked pairs worth scoring in full: names at least `prefilter_name` alike (by the cheap
    `fuzz.ratio` or on their words), or one key in common (postcode, phone, e-mail address or
    domain, VAT/KvK, number, street and house number, town). Most pairs from a shared rare word
    share nothing else ("Vastgoed" in two names at two ends of the country); full scoring costs
    ten comparisons a pair."""
    if not len(keys):
        return keys
    n_l = max(len(L), 1)
    ei, li = np.divmod(keys, n_l)
    keep = np.zeros(len(keys), bool)
    for k in _SHARED_KEYS:
        a, b = E.keys[k][ei], L.keys[k][li]
        keep |= (a != 0) & (a == b)
    for a in ("domain", "web"):
        for b in ("domain", "web"):
            x, y = E.keys[a][ei], L.keys[b][li]
            keep |= (x != 0) & (x == y)
    rest = np.nonzero(~keep)[0]
    if len(rest):
        e_names, l_names = _pick(E.name, ei[rest]), _pick(L.name, li[rest])
        plain = _fuzzy(e_names, l_names, fuzz.ratio, cfg.workers, cfg.prefilter_name)
        alike = plain >= cfg.prefilter_name
        rest2 = rest[~alike]
        keep[rest[alike]] = True
        if len(rest2):  # word order and one name inside the other ("Deli Carnegie", "Carnegie Deli NYC")
            words = _token_set(E, L, ei[rest2], li[rest2], cfg.workers, cfg.prefilter_name, plain[~alike])
            keep[rest2[words >= cfg.prefilter_name]] = True
    return keys[keep]


def score_pairs(E: Side, L: Side, keys: np.ndarray, cfg: MatchConfig) -> Scores:
    """Score the pairs given as `i * len(L) + j` keys."""
    n_l = max(len(L), 1)
    ei, li = np.divmod(keys, n_l)
    ei = ei.astype(np.int64)
    li = li.astype(np.int64)
    w = cfg.workers
    e_names = _pick(E.name, ei)
    l_names = _pick(L.name, li)
    # token_sort_ratio is the ratio of the names' words in sorted order, sorted once per record
    # (where both names are in that order already, it is the ratio of the names)
    plain = _fuzzy(e_names, l_names, fuzz.ratio, w)
    name = plain.copy()
    moved = np.flatnonzero(~(E.in_order[ei] & L.in_order[li]))
    name[moved] = np.maximum(plain[moved], _fuzzy(_pick(E.name_sorted, ei[moved]), _pick(L.name_sorted, li[moved]),
                                                  fuzz.ratio, w))
    # one name inside the other ("Carnegie Deli" / "Carnegie Delicatessen Restaurant", "Webb" /
    # "Kyra Webb"): not in the score (a shorter name may be another company), only a level of its own
    # in the learned model, whose weight the data decides
    name_set = _token_set(E, L, ei, li, w, None, plain)

    nan = np.float32(np.nan)
    has_addr = E.has_address[ei] & L.has_address[li]
    addr = np.full(len(ei), nan, np.float32)
    if has_addr.any():
        idx = np.nonzero(has_addr)[0]
        addr[idx] = _fuzzy(_pick(E.address, ei[idx]), _pick(L.address, li[idx]), fuzz.ratio, w)
        he, hl = E.keys["house"][ei], L.keys["house"][li]
        house_conflict = has_addr & (he != 0) & (hl != 0) & (he != hl)
        same_street = house_conflict & (addr >= 85)  # "15 Bywaters Place" / "511 Bywaters Place"
        # ... and the same street but for a mistyped number ("1372 Sunset Rd." / "1382 Sunset
        # Road", "9 Eleanora St" / "91 Eleanora St"): the street parts compared on their own
        conflict_idx = np.nonzero(house_conflict)[0]
        if len(conflict_idx):
            street = _fuzzy(_pick(E.raw["street"], ei[conflict_idx]), _pick(L.raw["street"], li[conflict_idx]),
                            fuzz.ratio, w)
            same_street[conflict_idx] |= street >= 85
        house_typo = same_street & _one_edit(E.raw["house"], L.raw["house"], ei, li, same_street, w)
        addr[house_conflict] = np.minimum(addr[house_conflict], 50)
        # the same number on another street, or the street left out on one side ("8 Eddy
        # Crescent" / "8"): weak on its own, a confirmation beside the same postcode
        same_house = has_addr & (he != 0) & (he == hl)
    else:
        same_street = house_typo = same_house = np.zeros(len(ei), bool)

    has_city = E.has_city[ei] & L.has_city[li]
    city = np.full(len(ei), nan, np.float32)
    if has_city.any():
        idx = np.nonzero(has_city)[0]
        city[idx] = _fuzzy_distinct(E.city, L.city, E.keys["city"], L.keys["city"], ei[idx], li[idx], fuzz.ratio, w)

    def eq(key: str) -> tuple[np.ndarray, np.ndarray]:
        a, b = E.keys[key][ei], L.keys[key][li]
        both = (a != 0) & (b != 0)
        return both, both & (a == b)

    pc_both, pc_eq = eq("pc")
    _, area_eq = eq("pc_area")
    # one mistyped or swapped digit ("2227" / "2272") is a typo, not another place
    pc_edit = _one_edit(E.raw["pc"], L.raw["pc"], ei, li, pc_both & ~pc_eq, w)
    postcode = np.where(pc_both, np.where(pc_eq, 100, np.where(pc_edit, 80, np.where(area_eq, 60, 0))),
                        nan).astype(np.float32)
    c_both, c_eq = eq("country")
    country = np.where(c_both, np.where(c_eq, 100, 0), nan).astype(np.float32)
    ph_both, ph_eq = eq("phone")
    phone = np.where(ph_both, np.where(ph_eq, 100, 0), nan).astype(np.float32)

    # e-mail: the same address, or the same company domain by mail or website, in any combination
    em_both, em_eq = eq("email")
    dom = {}
    for a in ("domain", "web"):
        for b in ("domain", "web"):
            x, y = E.keys[a][ei], L.keys[b][li]
            dom[a, b] = (x != 0) & (x == y)
    dom_eq = dom["domain", "domain"] | dom["domain", "web"] | dom["web", "domain"] | dom["web", "web"]
    e_has_dom = (E.keys["domain"][ei] != 0) | (E.keys["web"][ei] != 0)
    l_has_dom = (L.keys["domain"][li] != 0) | (L.keys["web"][li] != 0)
    em_present = em_both | (e_has_dom & l_has_dom)
    email = np.where(em_eq, 100, np.where(dom_eq, 90, np.where(em_present, 0, nan))).astype(np.float32)

    sims = {"name": name, "address": addr, "postcode": postcode, "city": city, "country": country,
            "email": email, "phone": phone}
    weights = {"name": cfg.w_name, "address": cfg.w_address, "postcode": cfg.w_postcode, "city": cfg.w_city,
               "country": cfg.w_country, "email": cfg.w_email, "phone": cfg.w_phone}
    total_w = np.zeros(len(ei), np.float32)
    for f, s in sims.items():
        total_w += np.where(np.isnan(s), 0, weights[f]).astype(np.float32)
    contrib: dict[str, np.ndarray] = {}
    for f, s in sims.items():
        contrib[f] = np.where(np.isnan(s), 0, s * weights[f] / total_w).astype(np.float32)

    key_state: dict[str, np.ndarray] = {}
    bonus = {"vat": (cfg.bonus_vat, cfg.penalty_vat), "coc": (cfg.bonus_coc, cfg.penalty_coc),
             "code": (cfg.bonus_code, cfg.penalty_code)}
    plus = np.zeros(len(ei), np.float32)
    minus = np.zeros(len(ei), np.float32)
    for k, (b, p) in bonus.items():
        both, same = eq(k)
        state = np.where(same, 1, np.where(both, -1, 0)).astype(np.int8)
        key_state[k] = state
        contrib[k] = np.where(state == 1, b, np.where(state == -1, -p, 0)).astype(np.float32)
    fe, fl = E.keys["flags"][ei], L.keys["flags"][li]
    flag_mismatch = fe != fl
    if flag_mismatch.any():  # "Holdig" / "Holding": the word is on both sides, once mistyped
        rows = np.nonzero(flag_mismatch)[0]
        flag_mismatch[rows] = [not flags_typed_on_both(E, L, i, j) for i, j in zip(ei[rows].tolist(), li[rows].tolist())]
    contrib["flags"] = np.where(flag_mismatch, -cfg.penalty_flag, 0).astype(np.float32)
    for k in KEY_FIELDS + ("flags",):
        plus += np.maximum(contrib[k], 0)
        minus += np.minimum(contrib[k], 0)
    base = sum(contrib[f] for f in sims)
    raw = base + plus + minus
    # cap to [0, 100] by shrinking the adjustments, so the shown parts still add up to the score
    over = np.maximum(raw - 100, 0)
    under = np.maximum(-raw, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink_plus = np.where(plus > 0, 1 - over / np.where(plus > 0, plus, 1), 1).astype(np.float32)
        shrink_minus = np.where(minus < 0, 1 - under / np.where(minus < 0, -minus, 1), 1).astype(np.float32)
    for k in KEY_FIELDS + ("flags",):
        c = contrib[k]
        contrib[k] = np.where(c > 0, c * shrink_plus, c * np.maximum(shrink_minus, 0)).astype(np.float32)
    score = np.clip(sum(contrib.values()), 0, 100).astype(np.float32)

    # An e-mail address or web domain is shared by the branches of one company (and an invoice
    # mailbox by a whole group): it only confirms a pair that nothing contradicts — not another
    # place (other postcode area and other city, or another city), not another street address,
    # not another phone number.
    city_same = has_city & (np.nan_to_num(city) >= 85)
    moved = (pc_both & ~area_eq & ~pc_edit & ~city_same) | (has_city & ~city_same)
    addr_conflict = has_addr & (np.nan_to_num(addr) < 60)
    phone_conflict = ph_both & ~ph_eq
    email_conflict = em_present & (np.nan_to_num(email) < 90)
    contradicted = moved | addr_conflict | phone_conflict
    # the very same mailbox survives a move within the city; a shared domain does not
    mailbox = em_eq & ~(moved | phone_conflict)
    second = (np.nan_to_num(addr) >= 85) | pc_eq | ph_eq | mailbox | ((np.nan_to_num(email) >= 90) & ~contradicted)
    conflict = contradicted | email_conflict
    sims["vat"] = np.where(key_state["vat"] == 0, nan, np.where(key_state["vat"] == 1, 100, 0)).astype(np.float32)
    sims["coc"] = np.where(key_state["coc"] == 0, nan, np.where(key_state["coc"] == 1, 100, 0)).astype(np.float32)
    sims["code"] = np.where(key_state["code"] == 0, nan, np.where(key_state["code"] == 1, 100, 0)).astype(np.float32)
    # the user sees tenths: round every part, then move the rounding residue (at most a few
    # tenths) onto the largest part so the parts still add up to a score inside 0-100
    names = list(contrib)
    parts = np.round(np.stack([contrib[k].astype(np.float64) for k in names]), 1) if len(ei) else \
        np.zeros((len(names), 0))
    total = parts.sum(axis=0)
    target = np.clip(np.round(total, 1), 0, 100)
    residue = target - total
    if len(ei) and np.any(np.abs(residue) > 1e-9):
        rows = np.nonzero(np.abs(residue) > 1e-9)[0]
        biggest = np.argmax(np.abs(parts[:, rows]), axis=0)
        parts[biggest, rows] += residue[rows]
    for n, k in enumerate(names):
        contrib[k] = np.round(parts[n], 1).astype(np.float32)
    shown = np.round(parts.sum(axis=0), 1)
    ph_edit = _one_edit(E.raw["phone"], L.raw["phone"], ei, li, ph_both & ~ph_eq, w)
    level = _levels(sims, name_set, pc_edit, ph_edit, area_eq, key_state, same_street, house_typo, same_house,
                    relations(E, L, ei, li, w, where=~(name >= 88)))  # levels below "close" (NaN: no name)
    return Scores(ei, li, score, sims, contrib, key_state, second, conflict, flag_mismatch, shown,
                  raw.astype(np.float32), level)


# per flag, its spellings long enough to recognise mistyped, each with the edits it may take
_SPELLINGS: dict[str, list[tuple[str, int]]] = {
    flag: [(spelled, 2 if len(spelled) >= 7 else 1) for spelled, of in FLAG_WORDS.items() if of == flag and len(spelled) >= 5]
    for flag in set(FLAG_WORDS.values())}


def _typo_of(words: tuple[str, ...], flag: str) -> bool:
    """One of `words` is `flag`'s word mistyped ("holdig", "h0lding", "hloding" for Holding)."""
    spellings = _SPELLINGS.get(flag, ())
    return any(abs(len(word) - len(spelled)) <= 2 and OSA.distance(word, spelled, score_cutoff=most) <= most
               for word in words for spelled, most in spellings)


def flags_typed_on_both(E: Side, L: Side, i: int, j: int) -> bool:
    """The Holding/Stichting-type words that one name has and the other lacks are all in the other
    name as a typo: the same entity, not "X Holding" next to "X"."""
    fe, fl = E.names[i].flags, L.names[j].flags
    return all(_typo_of(L.names[j].tokens, f) for f in fe - fl) and \
        all(_typo_of(E.names[i].tokens, f) for f in fl - fe)


def _one_edit(e_raw: list[str], l_raw: list[str], ei: np.ndarray, li: np.ndarray, where: np.ndarray,
              workers: int) -> np.ndarray:
    """Pairs (among `where`) whose values are one typo apart: a changed, missing or swapped character."""
    out = np.zeros(len(ei), bool)
    idx = np.nonzero(where)[0]
    if len(idx):
        d = process.cpdist(_pick(e_raw, ei[idx]), _pick(l_raw, li[idx]), scorer=OSA.distance, score_cutoff=1,
                           dtype=np.int32, workers=workers)
        out[idx] = d <= 1
    return out


def _levels(sims: dict[str, np.ndarray], name_set: np.ndarray, pc_edit: np.ndarray, ph_edit: np.ndarray,
            area_eq: np.ndarray, key_state: dict[str, np.ndarray], same_street: np.ndarray,
            house_typo: np.ndarray, same_house: np.ndarray, rel: Relations) -> dict[str, np.ndarray]:
    """Comparison levels (0 = disagrees ... highest = the same; -1 = a side lacks the field).

    The learned model (`learned.py`) gives each level its own weight from agreement statistics, so
    the cut-offs only say which similarities are alike enough to be counted together.
    """
    def cut(sim: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
        out = np.zeros(len(sim), np.int8)
        s = np.nan_to_num(sim, nan=-1)
        for k, edge in enumerate(edges, start=1):
            out[s >= edge] = k
        out[np.isnan(sim)] = -1
        return out

    name = cut(sims["name"], (55, 75, 88, 97))
    contained = ((name_set >= 95) | rel.inside) & (name < 2)
    name[contained] = 2
    # names that are not close, compared part by part (parts.py): the given name alike and the
    # surname not is a level of its own, after "the same"
    loose = (name >= 0) & (name < 3)
    name[loose & rel.given_same] = NAME_GIVEN_SAME
    # address: different / the same number, another street / the same street, another number /
    # the same street, the number one typo apart / alike / close / the same
    address = cut(sims["address"], (-1, -1, -1, 70, 85, 95))
    address[(address >= 0) & (address < 4)] = 0
    address[same_house & (address < 1)] = 1
    address[same_street & (address < 2)] = 2
    address[house_typo & (address < 3)] = 3
    city = cut(sims["city"], (80, 95))
    pc = sims["postcode"]
    postcode = np.where(np.isnan(pc), -1, np.where(pc >= 100, 3, np.where(pc_edit, 2, np.where(area_eq, 1, 0))))
    ph = sims["phone"]
    phone = np.where(np.isnan(ph), -1, np.where(ph >= 100, 2, np.where(ph_edit, 1, 0)))
    em = sims["email"]
    email = np.where(np.isnan(em), -1, np.where(em >= 100, 2, np.where(em >= 90, 1, 0)))
    co = sims["country"]
    country = np.where(np.isnan(co), -1, np.where(co >= 100, 1, 0))
    out = {"name": name, "address": address, "postcode": postcode, "city": city, "country": country,
           "phone": phone, "email": email}
    for k in ("vat", "coc", "code"):
        out[k] = np.where(key_state[k] == 0, -1, np.where(key_state[k] == 1, 1, 0))
    # not a field of the learned model (learned.FIELDS leaves it out): the surname alike and the
    # given names nothing alike, which the One rules weigh against the families the files hold
    out["family"] = (name >= 0) & (name < 3) & rel.family
    return {k: v.astype(np.int8) for k, v in out.items()}
