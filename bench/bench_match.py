"""Matcher speed, memory and accuracy on two independent generators with known true pairs.

    /work/venv/bin/python bench/bench_match.py                 # 10k x 10k, both generators
    /work/venv/bin/python bench/bench_match.py --n 50000 --gen own --no-naive
    /work/venv/bin/python bench/bench_match.py --gen sandbox   # exact_tui.sandbox.seed ground truth

Prints wall time, peak RSS (the process's high-water mark, reset just before the run, and its growth
over the RSS before the run), bucket counts and accuracy: One-match precision and recall, and the
share of true pairs found as One match or among the candidates. A naive baseline (full `cdist` of
names, best per row, one fixed threshold chosen for >= 99.5 % precision) is printed for comparison.
Asserts nothing (tests never assert wall-clock times); the machine is shared, so the load average
is printed with the figures.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exact_tui.matching import MatchRecord, match  # noqa: E402


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM (peak RSS) on Linux
    except OSError:
        pass


def sandbox_data(n: int, seed: int = 1) -> tuple[list[MatchRecord], list[MatchRecord], dict[str, str]]:
    from exact_tui.domain.customer import strip_account_code
    from exact_tui.sandbox.seed import generate

    seed = generate(customers=n, seed=seed)
    truth = dict(seed.local.truth)
    targets = set(truth.values())
    division = max(seed.tables, key=lambda d: sum(1 for a in seed.tables[d].get("crm/Accounts", []) if a["ID"] in targets))
    exact = [MatchRecord.from_exact_row(a) for a in seed.tables[division]["crm/Accounts"]]
    exact = [MatchRecord(**{**{f: getattr(r, f) for f in r.__slots__}, "code": strip_account_code(r.code)})
             for r in exact]
    local = [MatchRecord.of(c) for c in seed.local.customers]
    return exact, local, truth


def own_data(n: int, seed: int) -> tuple[list[MatchRecord], list[MatchRecord], dict[str, str]]:
    from gen_records import generate

    return generate(n, seed=seed)


def accuracy(result, truth: dict[str, str]) -> dict[str, float]:
    """Per Exact account with a true partner (a local duplicate gives an account two true partners;
    either one is right, and the account counts once)."""
    partners: dict[str, set[str]] = {}
    for l_id, e_id in truth.items():
        partners.setdefault(e_id, set()).add(l_id)
    one_ok = sum(1 for e, c in result.one.items() if c.local_id in partners.get(e, ()))
    found = one_ok
    for e, cands in list(result.more.items()) + list(result.ignored.items()):
        if any(c.local_id in partners.get(e, ()) for c in cands):
            found += 1
    n_true = max(len(partners), 1)
    return {"one_precision": one_ok / max(len(result.one), 1), "one_recall": one_ok / n_true,
            "found": found / n_true, "one_wrong": len(result.one) - one_ok, "accounts_with_partner": len(partners)}


def naive(exact: list[MatchRecord], local: list[MatchRecord], truth: dict[str, str]) -> str:
    """Full cdist on names (rapidfuzz's default processing), best per row, one threshold for >= 99.5 %."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    t0 = time.perf_counter()
    m = process.cdist([r.name for r in exact], [r.name for r in local], scorer=fuzz.ratio,
                      processor=utils.default_process, dtype=np.uint8, workers=-1)
    best = m.argmax(axis=1)
    best_score = m[np.arange(len(exact)), best]
    mutual = m.argmax(axis=0)[best] == np.arange(len(exact))  # also the local's best exact row
    seconds = time.perf_counter() - t0
    del m
    correct = np.array([truth.get(local[j].id) == r.id for r, j in zip(exact, best)])
    n_true = max(len(set(truth.values())), 1)
    lines = []
    chosen = None
    top = (0.0, 0, 0.0)
    for thr in range(50, 101):
        sel = best_score >= thr
        prec = correct[sel].mean() if sel.any() else 1.0
        rec = (correct & sel).sum() / n_true
        if sel.any() and prec > top[0]:
            top = (prec, thr, rec)
        if prec >= 0.995 and chosen is None and sel.any():
            chosen = (thr, prec, rec)
        if thr in (70, 80, 90):
            lines.append(f"thr {thr}: precision {prec:.2%} recall {rec:.2%}")
    mutual_at = None
    for thr in range(50, 101):
        sel = (best_score >= thr) & mutual
        if sel.any() and correct[sel].mean() >= 0.995:
            mutual_at = (thr, (correct & sel).sum() / n_true)
            break
    head = f"naive full cdist ({seconds:.1f} s): " + "; ".join(lines)
    if mutual_at:
        head += f"; mutual best + thr {mutual_at[0]} reaches 99.5 % precision at recall {mutual_at[1]:.2%}"
    else:
        head += "; mutual best + any threshold never reaches 99.5 % either"
    if chosen:
        head += f"; at >= 99.5 % precision (thr {chosen[0]}): recall {chosen[2]:.2%}"
    else:
        head += f"; never reaches 99.5 % precision (best {top[0]:.2%} at thr {top[1]}, recall {top[2]:.2%})"
    return head


def run(label: str, exact, local, truth, repeat: int, with_naive: bool) -> None:
    load = os.getloadavg()
    gc.collect()
    rss_before = _rss_kb("VmRSS")
    _reset_peak()
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = match(exact, local)
        times.append(time.perf_counter() - t0)
    peak = _rss_kb("VmHWM")
    import resource
    lifetime = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, whole process life
    acc = accuracy(result, truth)
    print(f"== {label}: {len(exact):,} Exact x {len(local):,} local, {len(truth):,} true pairs, "
          f"{acc['accounts_with_partner']:,} Exact accounts with a true partner "
          f"(load avg {load[0]:.2f} {load[1]:.2f} on {os.cpu_count()} cores)")
    print(f"   wall: {' / '.join(f'{t:.2f}' for t in times)} s (best {min(times):.2f}); stages of last run: "
          f"prepare {result.stats['prepare_s']:.2f} s, block+score {result.stats['score_s']:.2f} s, "
          f"bucket {result.stats['bucket_s']:.2f} s; {int(result.stats['pairs']):,} pairs scored")
    print(f"   peak RSS {peak / 1024:.0f} MB (growth during run {(peak - rss_before) / 1024:.0f} MB; "
          f"getrusage lifetime max {lifetime / 1024:.0f} MB incl. data generation)")
    print(f"   buckets {result.counts()}")
    print(f"   One precision {acc['one_precision']:.2%} ({acc['one_wrong']} wrong), One recall {acc['one_recall']:.2%}, "
          f"found as One or candidate {acc['found']:.2%}")
    if with_naive:
        print("   " + naive(exact, local, truth))
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--gen", choices=("own", "sandbox", "both"), default="both")
    parser.add_argument("--seed", type=int, default=7, help="seed of the own generator")
    parser.add_argument("--sandbox-seed", type=int, default=1, help="seed of the sandbox generator")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()
    if args.gen in ("own", "both"):
        exact, local, truth = own_data(args.n, args.seed)
        run(f"own generator (seed {args.seed})", exact, local, truth, args.repeat, not args.no_naive)
        del exact, local, truth
    if args.gen in ("sandbox", "both"):
        try:
            exact, local, truth = sandbox_data(args.n, args.sandbox_seed)
        except ImportError as exc:
            print(f"== sandbox generator not available: {exc}")
            return
        run(f"sandbox seed (seed {args.sandbox_seed})", exact, local, truth, args.repeat, not args.no_naive)


if __name__ == "__main__":
    main()
