"""Reasons in words a user understands, from the per-field evidence of a pair.

A consultant about to link 3,000 customers with one key press wants to see WHY a pair is proposed:
"same VAT number", "name 94% alike after removing 'B.V.'", "postcode differs (1234AB / 5678CD)".
"""
from __future__ import annotations

import math

from .model import Candidate, FieldScore
from .prepare import Side
from .scoring import ALL_FIELDS, Scores, flags_typed_on_both

_LABEL = {"address": "address", "city": "city", "country": "country", "phone": "phone number",
          "email": "e-mail", "postcode": "postcode"}
_KEY_LABEL = {"vat": "VAT number", "coc": "Chamber of Commerce (KvK) number", "code": "customer number"}


def explain(candidate: Candidate, *, detail: bool = False) -> list[str]:
    """The reasons for a candidate, strongest evidence first; with `detail` the score's sum as well."""
    lines = list(candidate.reasons)
    if detail and candidate.fields:
        parts = [f"{f.field} {f.contribution:+.1f}" for f in candidate.fields.values() if f.contribution]
        lines.append(f"score {candidate.score:.1f} = " + " ".join(parts).lstrip("+"))
    return lines


def evidence(E: Side, L: Side, S: Scores, row: int) -> tuple[dict[str, FieldScore], tuple[str, ...]]:
    """FieldScores (contributions rounded to tenths, summing to the shown score) and reasons."""
    i, j = int(S.ei[row]), int(S.li[row])
    values = {
        "name": (E.name[i], L.name[j]), "address": (E.address[i], L.address[j]), "city": (E.city[i], L.city[j]),
        "postcode": (E.raw["pc"][i], L.raw["pc"][j]), "country": (E.raw["country"][i], L.raw["country"][j]),
        "phone": (E.raw["phone"][i], L.raw["phone"][j]),
        "email": (E.raw["email"][i] or E.raw["domain"][i] or E.raw["web"][i],
                  L.raw["email"][j] or L.raw["domain"][j] or L.raw["web"][j]),
        "vat": (E.raw["vat"][i], L.raw["vat"][j]), "coc": (E.raw["coc"][i], L.raw["coc"][j]),
        "code": (E.raw["code"][i], L.raw["code"][j]),
        "flags": (E.raw["flags"][i], L.raw["flags"][j]),
    }
    fields: dict[str, FieldScore] = {}
    for f in ALL_FIELDS:
        sim = S.sim.get(f)
        s = None if sim is None or math.isnan(float(sim[row])) else round(float(sim[row]), 1)
        contribution = round(float(S.contrib[f][row]), 1)
        if s is None and not contribution:
            continue
        fields[f] = FieldScore(f, s, contribution, *values[f])
    reasons: list[tuple[float, str]] = []
    for k in ("vat", "coc", "code"):
        fs = fields.get(k)
        if fs is None or fs.similarity is None:
            continue
        if fs.similarity >= 100:
            reasons.append((100 + fs.contribution, f"same {_KEY_LABEL[k]}" + (f" {fs.exact}" if k == "code" else "")))
        else:
            reasons.append((abs(fs.contribution) + 50, f"{_KEY_LABEL[k]} differs ({fs.exact} / {fs.local})"))
    name = fields["name"]
    removed = sorted(set(E.names[i].removed) | set(L.names[j].removed))
    after = f" after removing {', '.join(repr(r) for r in removed)}" if removed else ""
    if name.similarity is not None and name.similarity >= 99.95:
        text = f"same name{after}"
    else:
        text = f"name {int(name.similarity or 0)}% alike{after}"
    reasons.append((name.contribution + 20, text))
    ef, lf = E.names[i].flags, L.names[j].flags
    if ef != lf and flags_typed_on_both(E, L, i, j):
        reasons.append((60, "'" + "', '".join(sorted(ef ^ lf)) + "' on both sides, mistyped on one"))
        ef = lf
    for word in sorted(ef - lf):
        reasons.append((60, f"'{word}' only in the Exact name"))
    for word in sorted(lf - ef):
        reasons.append((60, f"'{word}' only in the local name"))
    for f in ("address", "postcode", "email", "phone", "city", "country"):
        fs = fields.get(f)
        if fs is None or fs.similarity is None:
            continue
        label = _LABEL[f]
        weight = abs(fs.contribution)
        if f == "address" and E.raw["house"][i] and L.raw["house"][j] and E.raw["house"][i] != L.raw["house"][j]:
            reasons.append((weight, f"house number differs ({E.raw['house'][i]} / {L.raw['house'][j]})"))
        elif fs.similarity >= 99.95:
            reasons.append((weight, f"same {label}" + (f" ({fs.exact})" if f in ("postcode", "city") else "")))
        elif f == "email" and fs.similarity >= 90:
            dom = _shared_domain(E, L, i, j)
            reasons.append((weight, f"same e-mail/web domain ({dom})" if dom else "same e-mail/web domain"))
        elif f == "postcode" and fs.similarity >= 60:
            reasons.append((weight, f"same postcode area ({E.raw['pc_area'][i]}), postcode differs"))
        elif fs.similarity >= 80 and f in ("address", "city"):
            reasons.append((weight, f"{label} {int(fs.similarity)}% alike"))
        else:
            shown = f" ({fs.exact} / {fs.local})" if f in ("postcode", "country", "city") else ""
            reasons.append((weight + 1, f"{label} differs{shown}"))
    reasons.sort(key=lambda r: -r[0])
    return fields, tuple(r[1] for r in reasons)


def _shared_domain(E: Side, L: Side, i: int, j: int) -> str:
    mine = {E.raw["domain"][i], E.raw["web"][i]} - {""}
    theirs = {L.raw["domain"][j], L.raw["web"][j]} - {""}
    both = sorted(mine & theirs)
    return both[0] if both else ""
