"""When the learned evidence may make a One match, and why it did not: one rule, two uses.

The learned route (`learned.py`) links a pair the score rule leaves when it is likely enough, leads
every rival, and the record holds evidence besides the name. Each guard is kept as its own array
so the note under a More-matches account names the guard that held it back ("the names have
nothing in common", "the surname agrees but the given names differ: a family member?") instead
of a catch-all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import learned as fs
from .model import MatchConfig
from .scoring import Scores


@dataclass(frozen=True, slots=True)
class Gate:
    """Per pair: each condition of the learned route; `ok` is their conjunction."""

    likely: np.ndarray  # probability >= min_probability
    name_some: np.ndarray  # the name at least partly alike (or a VAT/KvK number agrees)
    other: np.ndarray  # a field besides the name confirms it
    flags_ok: np.ndarray  # no Holding/Stichting-type word on one side only
    key_conflict: np.ndarray  # a VAT/KvK number, phone number or mail domain differs

    @property
    def ok(self) -> np.ndarray:
        return self.likely & self.name_some & self.other & self.flags_ok & ~self.key_conflict


def gate(S: Scores, cfg: MatchConfig, bits: np.ndarray, parts: dict[str, np.ndarray], strong_id: np.ndarray,
         flags_ok: np.ndarray) -> Gate:
    """Pairs the learned evidence may link: likely enough, the name at least partly alike, a field
    besides the name agreeing, no Holding/Stichting word on one side only and no differing VAT/KvK."""
    lv = S.level
    name_some = (lv["name"] >= 1) | strong_id
    keys = (lv["vat"] == 1) | (lv["coc"] == 1) | (lv["code"] == 1) | (lv["phone"] >= 1) | (lv["email"] == 2)
    # another street address is a branch as often as a typo: then only the same postcode, a
    # number or a mailbox confirms; a shared mail domain or a postcode one digit off does not
    moved = lv["address"] == 0
    # ... and at another street address in the same postcode only a close name is the same customer
    # (one shared word, "Coppens Vastgoed" / "Vastgoed Jacobs", is a neighbour)
    same_pc = (lv["postcode"] == 3) & (~moved | (lv["name"] >= 3))
    other = keys | (lv["address"] >= 5) | (lv["address"] == 3) | same_pc | (~moved & ((lv["postcode"] == 2) | (lv["email"] == 1)))
    # ... or the fields besides the name together, by their learned weights, make the pair
    # `min_other_bits` likelier ("the same town, the postcode one typo off": 2^8 times); at
    # another street address only with a close name (neighbours share postcode and town)
    besides = sum(w for f, w in parts.items() if f != "name")
    other |= (besides >= cfg.min_other_bits) & (~moved | (lv["name"] >= 3))
    # a different phone number or mail domain is another customer more often than a typo: the
    # learned route leaves those pairs to a person
    key_conflict = (lv["vat"] == 0) | (lv["coc"] == 0) | (lv["phone"] == 0) | (lv["email"] == 0)
    return Gate(fs.probability(bits) >= cfg.min_probability, name_some, other, flags_ok, key_conflict)


def pct(p: float) -> str:
    """99.9 % and 99.89 % must not both print as "99.9 %" in "99.9 % likely, needs 99.9 %"."""
    if p >= 0.99:
        return f"{min(p, 0.9999):.2%}" if p < 0.9999 else ">99.99%"
    return f"{p:.1%}"


def bits_line(parts: dict[str, np.ndarray], S: Scores, row: int) -> str:
    """"name the same +8.1, address the same +7.6, phone different -0.2 (bits)": the learned weights."""
    items = []
    for f, w in parts.items():
        lv = int(S.level[f][row])
        if lv >= 0:
            items.append((abs(float(w[row])), f"{f} {fs.LEVEL_WORDS[f][lv]} {float(w[row]):+.1f}"))
    items.sort(key=lambda x: -x[0])
    return "bits: " + ", ".join(t for _, t in items)


def why_not_learned(S: Scores, rows: list[int], cfg: MatchConfig, bits: np.ndarray, prob: np.ndarray,
                    parts: dict[str, np.ndarray], g: Gate, b_two: np.ndarray) -> list[str]:
    """Why the learned evidence did not link the account's likeliest candidate either."""
    best = max(rows, key=lambda r: float(bits[r]))
    p = float(prob[best])
    lv = {f: int(v[best]) for f, v in S.level.items()}
    notes = []
    if not g.likely[best]:
        notes.append(f"learned evidence: {pct(p)} likely, a One match needs {pct(cfg.min_probability)}")
    elif not g.ok[best]:
        why = []
        if not g.name_some[best]:
            why.append("the names have nothing in common")
        if not g.flags_ok[best]:
            why.append("a Holding/Stichting-type word is in one name only")
        if g.key_conflict[best]:
            if lv["phone"] == 0:
                why.append("the phone numbers differ")
            if lv["email"] == 0:
                why.append("the e-mail domains differ")
            if lv["vat"] == 0 or lv["coc"] == 0:
                why.append("a VAT/KvK number differs")
        if not g.other[best]:
            why.append("no field besides the name agrees closely")
        notes.append(f"learned evidence: {pct(p)} likely, but " + " and ".join(why))
    else:
        runner = float(b_two[S.ei[best]])
        lead = float(bits[best]) - runner
        if lead < cfg.margin_bits:
            notes.append(f"learned evidence: {pct(p)} likely, but the runner-up is within {max(lead, 0):.0f} bits "
                         f"(needs {cfg.margin_bits:.0f})")
        else:
            notes.append(f"learned evidence: {pct(p)} likely, but another Exact account is as likely for the "
                         "same local customer")
    notes.append(bits_line(parts, S, best))
    return notes
