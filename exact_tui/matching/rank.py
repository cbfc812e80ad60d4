"""One record against many: the candidates for linking by hand, ranked by the same engine.

The customer card's "link to which Exact account?" picker must not rank by name alone ("Aerts &
Zonen BV" is not "Mertens & Zonen BV" because both end in "& Zonen BV"): every field, the strong
keys and their conflicts count exactly as in `match()`. All pairs of one record with N others cost
one `cpdist` per field, so 20,000 accounts rank in a fraction of a second.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from .explain import evidence
from .model import Candidate, MatchConfig, MatchRecord
from .prepare import KeyCodes, prepare
from .parts import release
from .scoring import score_pairs


@dataclass(frozen=True, slots=True)
class Ranked:
    """A candidate with what a person must know before linking it by hand."""

    candidate: Candidate
    conflicts: tuple[str, ...]  # "VAT number differs (NL8123… / NL9999…)": ask before linking

    @property
    def id(self) -> str:
        return self.candidate.local_id


def rank(record: MatchRecord, others: Sequence[MatchRecord], *, limit: int = 40,
         config: MatchConfig | None = None) -> list[Ranked]:
    """`others` ranked for `record`, best first: by the uncapped evidence (a shared VAT number
    ranks above a same-named stranger), then the shown score, then name. `candidate.local_id` is
    the id of the record from `others`."""
    cfg = config or MatchConfig()
    if not others:
        return []
    codes = KeyCodes()
    E, L = prepare([record], codes), prepare(list(others), codes)
    S = score_pairs(E, L, np.arange(len(L), dtype=np.int64), cfg)
    release()
    order = np.lexsort((np.array([r.name.casefold() for r in L.records]), -S.shown, -S.evidence))[:limit]
    out = []
    for k, row in enumerate(order.tolist(), start=1):
        cand = Candidate(record.id, L.records[S.li[row]].id, float(S.shown[row]), rank=k,
                         source=partial(evidence, E, L, S, row))
        conflicts = []
        for key, label in (("vat", "VAT number"), ("coc", "Chamber of Commerce (KvK) number")):
            if S.key_state[key][row] == -1:
                conflicts.append(f"{label} differs ({E.raw[key][0]} / {L.raw[key][S.li[row]]})")
        out.append(Ranked(cand, tuple(conflicts)))
    return out
