"""Weights learned from the data of each run: Fellegi–Sunter with EM, as Splink does.

Every candidate pair gets a comparison level per field (`scoring._levels`: name the same / close /
alike / one part alike / different, postcode the same / one typo / same area / different ...). Two
probabilities per level decide its weight:

- `u`, how often the level occurs between records that are NOT the same customer, is counted on
  random pairs of the two sides (most random pairs are different customers): a shared postcode
  says little where a city has one postcode, a shared street address says a lot;
- `m`, how often it occurs between records that ARE the same customer, is estimated with EM on
  the blocked candidate pairs (the mix of true and false pairs is unknown; EM finds the mix and
  the `m` that explain the levels seen best), with `u` held fixed.

The weight of a level is log2(m / u) in bits: +10 bits makes a pair 1,024 times likelier. Summed
over the fields both records have, plus the prior odds, it gives the probability that the pair is
one customer. Both estimates are blended with a fixed prior (`PRIOR_M`, `PRIOR_U`, worth a few
dozen pairs), so a file of ten customers is weighed sensibly and a large file by its own data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# levels per field, lowest (disagrees) first; see scoring._levels
PRIOR_M = {
    "name": (0.03, 0.07, 0.09, 0.15, 0.64, 0.02),
    "address": (0.10, 0.05, 0.03, 0.04, 0.05, 0.13, 0.60),
    "postcode": (0.05, 0.03, 0.07, 0.85),
    "city": (0.05, 0.10, 0.85),
    "country": (0.02, 0.98),
    "phone": (0.15, 0.05, 0.80),
    "email": (0.20, 0.30, 0.50),
    "vat": (0.05, 0.95),
    "coc": (0.05, 0.95),
    "code": (0.60, 0.40),
}
PRIOR_U = {
    "name": (0.90, 0.0775, 0.015, 0.004, 0.001, 0.0025),
    "address": (0.9555, 0.01, 0.004, 0.0005, 0.02, 0.007, 0.003),
    "postcode": (0.90, 0.07, 0.02, 0.01),
    "city": (0.90, 0.03, 0.07),
    "country": (0.50, 0.50),
    "phone": (0.998, 0.0015, 0.0005),
    "email": (0.99, 0.008, 0.002),
    "vat": (0.9999, 0.0001),
    "coc": (0.9999, 0.0001),
    "code": (0.999, 0.001),
}
FIELDS = tuple(PRIOR_M)
LEVEL_WORDS = {
    "name": ("different", "one part alike", "alike", "close", "the same", "the given name alike, the surname not"),
    "address": ("different", "the same number", "the same street", "one typo in the number", "alike", "close",
                "the same"),
    "postcode": ("different", "same area", "one typo apart", "the same"),
    "city": ("different", "close", "the same"),
    "country": ("different", "the same"),
    "phone": ("different", "one typo apart", "the same"),
    "email": ("different", "same domain", "the same"),
    "vat": ("different", "the same"),
    "coc": ("different", "the same"),
    "code": ("different", "the same"),
}


@dataclass(frozen=True, slots=True)
class Model:
    """Learned `m` and `u` per field and level, the prior probability of a match among the
    candidate pairs (`prior`), and the weights in bits they give."""

    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    prior: float
    iterations: int

    def weights(self, field: str) -> np.ndarray:
        return np.log2(self.m[field] / self.u[field])

    @property
    def prior_bits(self) -> float:
        return float(np.log2(self.prior / (1 - self.prior)))

    def describe(self) -> dict[str, dict[str, float]]:
        """Bits per level, for the bench and for anyone asking why a field counts as much as it does."""
        return {f: {LEVEL_WORDS[f][k]: round(float(w), 1) for k, w in enumerate(self.weights(f))} for f in FIELDS}


def _freq(levels: dict[str, np.ndarray], field: str, weights: np.ndarray | None = None) -> np.ndarray:
    n = len(PRIOR_M[field])
    lv = levels[field]
    present = lv >= 0
    w = np.ones(len(lv)) if weights is None else weights
    return np.bincount(lv[present].astype(np.int64), weights=w[present], minlength=n)[:n]


def estimate_u(sample: dict[str, np.ndarray], strength: float = 50.0) -> dict[str, np.ndarray]:
    """`u` from the levels of random pairs, blended with `PRIOR_U` worth `strength` pairs."""
    out = {}
    for f in FIELDS:
        counts = _freq(sample, f) if sample else np.zeros(len(PRIOR_U[f]))
        prior = np.asarray(PRIOR_U[f])
        out[f] = (counts + strength * prior) / (counts.sum() + strength)
    return out


def estimate(levels: dict[str, np.ndarray], u: dict[str, np.ndarray], expected_matches: float,
             max_matches: float, *, learn_u: bool = False,
             strength: float = 20.0, iterations: int = 30) -> Model:
    """EM for `m` and the prior on the candidate pairs, `u` fixed. Identical level patterns are
    counted once (with their count), so a run of 500,000 pairs costs a few thousand rows."""
    n_pairs = len(next(iter(levels.values()))) if levels else 0
    m = {f: np.asarray(PRIOR_M[f], float) for f in FIELDS}
    if not n_pairs:
        return Model(m, u, 0.5, 0)
    codes = np.stack([levels[f].astype(np.int16) + 1 for f in FIELDS], axis=1)
    patterns, counts = _unique_rows(codes)
    counts = counts.astype(float)
    pat = {f: patterns[:, k].astype(np.int64) - 1 for k, f in enumerate(FIELDS)}
    # every record has at most one partner: the share of true pairs cannot exceed that
    top = float(np.clip(max_matches / n_pairs, 1e-4, 0.9))
    prior = float(np.clip(expected_matches / n_pairs, 1e-4, top))
    u0, u = u, dict(u)
    done = 0
    for done in range(1, iterations + 1):
        log_u = sum(np.where(pat[f] >= 0, np.log(u[f][np.maximum(pat[f], 0)]), 0.0) for f in FIELDS)
        log_m = sum(np.where(pat[f] >= 0, np.log(m[f][np.maximum(pat[f], 0)]), 0.0) for f in FIELDS)
        logit = log_m - log_u + np.log(prior / (1 - prior))
        p = 1 / (1 + np.exp(-np.clip(logit, -60, 60)))
        weight = p * counts
        new_prior = float(np.clip(weight.sum() / counts.sum(), 1e-4, top))
        change = abs(new_prior - prior)
        prior = new_prior
        for f in FIELDS:
            c = _freq(pat, f, weight)
            new_m = (c + strength * np.asarray(PRIOR_M[f])) / (c.sum() + strength)
            change = max(change, float(np.abs(new_m - m[f]).max()))
            m[f] = new_m
            if learn_u:
                c = _freq(pat, f, counts - weight)
                u[f] = (c + 50 * u0[f]) / (c.sum() + 50)
        if change < 1e-5:
            break
    return Model(m, u, prior, done)


def _unique_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(codes, axis=0, return_counts=True)` (same rows, same order) for small
    non-negative level codes: each row read as one number, so one sort of int64 instead of a
    sort of row records (0.3 s for 450,000 pairs)."""
    base = int(codes.max()) + 1 if codes.size else 1
    width = codes.shape[1]
    if not len(codes) or base ** width >= 2 ** 62:
        return np.unique(codes, axis=0, return_counts=True)
    weights = base ** np.arange(width - 1, -1, -1, dtype=np.int64)
    ordered = np.sort(codes.astype(np.int64) @ weights)
    start = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.concatenate((start, [len(ordered)])))
    return ((ordered[start][:, None] // weights) % base).astype(codes.dtype), counts


def weigh(model: Model, levels: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per pair: the total match weight in bits (prior odds included) and each field's share."""
    n = len(next(iter(levels.values()))) if levels else 0
    parts = {}
    total = np.full(n, model.prior_bits, np.float32)
    for f in FIELDS:
        lv = levels[f]
        w = model.weights(f).astype(np.float32)
        parts[f] = np.where(lv >= 0, w[np.maximum(lv, 0).astype(np.int64)], 0).astype(np.float32)
        total += parts[f]
    return total, parts


def probability(bits: np.ndarray | float) -> np.ndarray:
    return 1 / (1 + np.exp2(-np.clip(np.asarray(bits, np.float64), -60, 60)))
