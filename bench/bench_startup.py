"""Console start-up: wall time from launching the process to the first painted frame, and memory at idle.

Runs the real `ExactApp` headless in a child process (so the figure includes the interpreter, the
imports and opening the profile's store), on a throw-away profile with N local customers. The child
signals its first paint through a pipe; the parent measures the wall time from `Popen`.

    python bench/bench_startup.py [--customers 2000] [--runs 5]

Figures are noisy on a shared machine: the script prints the median and the spread.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, os, sys, time
from exact_tui.services.session import ConsoleSession
from exact_tui.ui.app import ExactApp

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

session = ConsoleSession.open("bench", sys.argv[1])

class Timed(ExactApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self._painted)

    def _painted(self):
        os.write(1, b"painted\n")
        self.set_timer(2.0, self._idle)

    def _idle(self):
        os.write(1, (json.dumps({"rss_mb": rss_mb()}) + "\n").encode())
        self.exit(0)

Timed(session, data_dir=sys.argv[1], resume=False).run(headless=True, size=(80, 24))
session.close_store()
"""


def make_profile(folder: str, customers: int) -> None:
    from exact_tui.domain.customer import LocalCustomer
    from exact_tui.services.session import ConsoleSession

    session = ConsoleSession.open("bench", folder)
    session.store.customers.put_many(
        LocalCustomer(id=f"L{i}", name=f"Customer {i} B.V.", number=str(10_000 + i), city="Utrecht")
        for i in range(customers))
    session.close_store()


def one_run(folder: str) -> tuple[float, float]:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, folder], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    first = child.stdout.readline()
    painted = time.perf_counter() - started
    if first.strip() != b"painted":
        raise SystemExit(f"child did not paint: {first!r}")
    idle = json.loads(child.stdout.readline())
    child.wait(timeout=30)
    return painted, idle["rss_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        make_profile(folder, args.customers)
        results = [one_run(folder) for _ in range(args.runs)]
    paints = sorted(r[0] for r in results)
    rss = sorted(r[1] for r in results)
    print(f"console start-up, {args.customers:,} local customers, 80x24 headless, {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  launch -> first paint: median {statistics.median(paints):.2f} s "
          f"(min {paints[0]:.2f}, max {paints[-1]:.2f}); target <= 1 s")
    print(f"  memory at idle (RSS):  median {statistics.median(rss):.0f} MB (min {rss[0]:.0f}, max {rss[-1]:.0f})")


if __name__ == "__main__":
    main()
