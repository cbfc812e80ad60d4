"""When the learned evidence may make a One match, and why it did not: one rule, two uses.

The learned route (`learned.py`) links a pair the score rule leaves when it is likely enough, leads
every rival, and the record holds evidence besides the name. Each guard is kept as its own array
so the note under a More-matches account names the guard that held it back ("the names have
nothing in common", "only the surname agrees … (a family member?)") instead of a catch-all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import learned as fs
from .model import MatchConfig
from .parts import households, strangers
from .prepare import Side
from .scoring import NAME_CLOSE, NAME_GIVEN_SAME, Scores


@dataclass(frozen=True, slots=True)
class Gate:
    """Per pair: each condition of the learned route; `ok` is their conjunction."""

    likely: np.ndarray  # probability >= min_probability
    name_some: np.ndarray  # the name at least partly alike (or a VAT/KvK number agrees)
    family: np.ndarray  # the surname alike, the given names not, and nothing personal agrees
    sibling: np.ndarray  # the first word alike, the rest not, and nothing of one customer agrees
    stranger: np.ndarray  # names with nothing in common at one address
    other: np.ndarray  # a field besides the name confirms it
    flags_ok: np.ndarray  # no Holding/Stichting-type word on one side only
    key_conflict: np.ndarray  # a VAT/KvK number, phone number or mail domain differs

    @property
    def ok(self) -> np.ndarray:
        return self.likely & self.name_some & self.other & self.flags_ok & ~self.key_conflict

    def ok_at(self, row: int) -> bool:
        """`ok[row]` without computing `ok` for every pair (the notes ask it once per account)."""
        return bool(self.likely[row] and self.name_some[row] and self.other[row] and self.flags_ok[row]
                    and not self.key_conflict[row])


def family_odds(prob: np.ndarray, pattern: np.ndarray, pairs: int, records: int) -> float:
    """How much likelier "one customer, part of its name typed anew" is than "two customers at one
    address" for pairs with a name `pattern` (the surname alike and the given names nothing alike;
    the first word alike and the rest nothing alike).

    The first is the share of true pairs with the pattern, each candidate pair weighed by its
    learned probability (as EM estimates `m`); the second the share of records that have such a
    partner in their OWN file (`pairs` of them, from `parts.households`: a file lists a customer
    once, so those are relatives or sister companies), half a pair assumed where none is seen — a
    file of a few hundred records is never taken for one without them."""
    relative = (2 * pairs + 0.5) / max(records, 1)
    true_share = float((prob * pattern).sum() / max(prob.sum(), 1e-9))
    return true_share / relative


def stranger_pairs(S: Scores) -> np.ndarray:
    """Names with nothing in common at one street address, postcode and town (where known; a typo
    aside): another person or firm at that address, or the one customer with its name typed anew."""
    lv = S.level
    return (lv["name"] == 0) & (lv["address"] >= 5) & np.isin(lv["postcode"], (-1, 2, 3)) & \
        np.isin(lv["city"], (-1, 1, 2))


def stranger_odds(prob: np.ndarray, pattern: np.ndarray, strangers: int, records: int) -> float:
    """As `family_odds`, for names with nothing in common at one address: the learned share of true
    pairs with that pattern against the share of records that have another customer of another
    name at their address in their OWN file (`parts.strangers`), half a record assumed where none is."""
    relative = (strangers + 0.5) / max(records, 1)
    return float((prob * pattern).sum() / max(prob.sum(), 1e-9)) / relative


@dataclass(frozen=True, slots=True)
class FileEvidence:
    """What the two files say about themselves: how often a pair of records at one address is NOT
    one customer (relatives, sister companies, strangers), against how often the learned evidence
    finds such name patterns among true pairs. A pattern is left to a person unless the second is
    `2 ** margin_bits` times the first (64: the lead a One match needs over its runner-up)."""

    households: int
    siblings: int
    strangers: int
    family_odds: float
    sibling_odds: float
    stranger_odds: float
    needed: float

    @property
    def families_rare(self) -> bool:
        return self.family_odds >= self.needed

    @property
    def siblings_rare(self) -> bool:
        return self.sibling_odds >= self.needed

    @property
    def strangers_rare(self) -> bool:
        return self.stranger_odds >= self.needed

    def stats(self) -> dict[str, float]:
        return {"households": float(self.households), "family_odds": self.family_odds,
                "siblings": float(self.siblings), "sibling_odds": self.sibling_odds,
                "strangers": float(self.strangers), "stranger_odds": self.stranger_odds}


def file_evidence(E: Side, L: Side, S: Scores, prob: np.ndarray, cfg: MatchConfig) -> FileEvidence:
    """`prob`: each pair's learned probability, 0 where it is not the likeliest of both its records
    (the shares of true pairs are taken over those: over all candidate pairs the learned prior,
    that of each record's few best candidates, would count thousands of strangers)."""
    homes, twins = households(E, L, cfg.workers)
    others = strangers(E, L, cfg.workers)
    n = len(E) + len(L)
    if not len(S):
        return FileEvidence(homes, twins, others, 0.0, 0.0, 0.0, 2 ** cfg.margin_bits)
    return FileEvidence(homes, twins, others, family_odds(prob, S.level["family"], homes, n),
                        family_odds(prob, S.level["name"] == NAME_GIVEN_SAME, twins, n),
                        stranger_odds(prob, stranger_pairs(S), others, n), 2 ** cfg.margin_bits)


def family_unconfirmed(S: Scores, strong_id: np.ndarray, families_rare: bool) -> np.ndarray:
    """The surname agrees and the given names have nothing in common ("Jan Jansen" / "Piet
    Jansen"): a father and son at one address as often as a given name typed anew, unless the
    files show no families (`families_rare`, from `family_odds`). Otherwise only what is one
    person's alone settles it: the same phone number, the same mailbox, a VAT/KvK or customer
    number. The address does not, as the family shares it."""
    return S.level["family"].astype(bool) & ~_personal(S, strong_id) & (not families_rare)


def _personal(S: Scores, strong_id: np.ndarray) -> np.ndarray:
    """What belongs to one person or firm alone: its phone number, mailbox, VAT/KvK or customer number."""
    lv = S.level
    return (lv["phone"] == 2) | (lv["email"] == 2) | (lv["code"] == 1) | strong_id


def gate(S: Scores, cfg: MatchConfig, bits: np.ndarray, parts: dict[str, np.ndarray], strong_id: np.ndarray,
         flags_ok: np.ndarray, files: FileEvidence) -> Gate:
    """Pairs the learned evidence may link: likely enough, the name at least partly alike, a field
    besides the name agreeing, no Holding/Stichting word on one side only and no differing VAT/KvK."""
    lv = S.level
    family = family_unconfirmed(S, strong_id, files.families_rare)
    # "Vector Bouw" / "Vector Logistics": the first word alike, the rest nothing alike, is a
    # sister company at the same address unless the files hold no such pairs
    sibling = (lv["name"] == NAME_GIVEN_SAME) & ~_personal(S, strong_id) & (not files.siblings_rare)
    name_some = ((lv["name"] >= 1) & ~family & ~sibling) | strong_id
    stranger = stranger_pairs(S)
    if files.strangers_rare:  # neither file has customers of other names sharing an address
        name_some |= stranger
    close = np.isin(lv["name"], NAME_CLOSE)
    keys = (lv["vat"] == 1) | (lv["coc"] == 1) | (lv["code"] == 1) | (lv["phone"] >= 1) | (lv["email"] == 2)
    # another street address is a branch as often as a typo: then only the same postcode, a
    # number or a mailbox confirms; a shared mail domain or a postcode one digit off does not
    moved = lv["address"] == 0
    # ... and at another street address in the same postcode only a close name is the same customer
    # (one shared word, "Coppens Vastgoed" / "Vastgoed Jacobs", is a neighbour)
    same_pc = (lv["postcode"] == 3) & (~moved | close)
    other = keys | (lv["address"] >= 5) | (lv["address"] == 3) | same_pc | (~moved & ((lv["postcode"] == 2) | (lv["email"] == 1)))
    # ... or the fields besides the name together, by their learned weights, make the pair
    # `min_other_bits` likelier ("the same town, the postcode one typo off": 2^8 times); at
    # another street address only with a close name (neighbours share postcode and town)
    besides = sum(w for f, w in parts.items() if f != "name")
    other |= (besides >= cfg.min_other_bits) & (~moved | close)
    # a different phone number or mail domain is another customer more often than a typo: the
    # learned route leaves those pairs to a person
    key_conflict = (lv["vat"] == 0) | (lv["coc"] == 0) | (lv["phone"] == 0) | (lv["email"] == 0)
    return Gate(fs.probability(bits) >= cfg.min_probability, name_some, family, sibling, stranger, other,
                flags_ok, key_conflict)


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


def learned_one_notes(S: Scores, row: int, bits: np.ndarray, prob: np.ndarray, parts: dict[str, np.ndarray],
                      g: Gate, runner: float) -> list[str]:
    """Why the learned evidence made a pair a One match: how likely, the lead, what overrode a guard."""
    lead = f"{float(bits[row]) - runner:.0f} bits (x{2 ** min(float(bits[row]) - runner, 60):,.0f}) ahead of the " \
        "runner-up" if np.isfinite(runner) and runner else "no other candidate"
    notes = [f"learned evidence: {pct(float(prob[row]))} likely the same customer, {lead}"]
    if g.stranger[row]:
        notes.append("the names have nothing in common, but no customer of either file shares an address with "
                     "another name: one customer, its name typed anew")
    elif S.level["family"][row]:
        notes.append("only the surname agrees, but the files hold (almost) no relatives at one address: one "
                     "person, the given name typed anew")
    return notes + [bits_line(parts, S, row)]


def why_not_learned(S: Scores, rows: list[int], cfg: MatchConfig, bits: np.ndarray, prob: np.ndarray,
                    parts: dict[str, np.ndarray], g: Gate, b_two: np.ndarray) -> list[str]:
    """Why the learned evidence did not link the account's likeliest candidate either."""
    best = max(rows, key=lambda r: float(bits[r]))
    p = float(prob[best])
    lv = {f: int(v[best]) for f, v in S.level.items()}
    notes = []
    if not g.likely[best]:
        notes.append(f"learned evidence: {pct(p)} likely, a One match needs {pct(cfg.min_probability)}")
    elif not g.ok_at(best):
        why = []
        if g.family[best]:
            why.append("only the surname agrees and nothing of one person (phone number, mailbox, VAT/KvK "
                       "number) confirms it")
        elif g.sibling[best]:
            why.append("only the first word of the names agrees (a sister company or another person at that "
                       "address?) and nothing of one customer (phone number, mailbox, VAT/KvK number) confirms it")
        elif not g.name_some[best] and g.stranger[best]:
            why.append("the names have nothing in common at one address (another customer there?), and the files "
                       "hold customers of other names sharing an address")
        elif not g.name_some[best]:
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
