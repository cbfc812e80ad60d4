"""Accuracy on the bench's own generator (small size): a regression net for rule changes.

Figures at full size come from bench/bench_match.py; this only guards the direction.
"""
import sys
from pathlib import Path

from exact_tui.matching import match

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from gen_records import generate  # noqa: E402


def test_one_matches_are_right_and_true_pairs_are_found():
    exact, local, truth = generate(2000, seed=11)
    result = match(exact, local)
    by_exact = {e: l for l, e in truth.items()}
    right = sum(1 for e, c in result.one.items() if by_exact.get(e) == c.local_id)
    found = right + sum(1 for e, cs in result.more.items() if any(by_exact.get(e) == c.local_id for c in cs))
    assert right / len(result.one) >= 0.995
    assert right / len(truth) >= 0.93
    assert found / len(truth) >= 0.99
