"""Console start-up: wall time from launching the process to the first painted frame, and memory at idle.

Runs the console as `exact-tui --data-dir D --profile bench` starts it (the CLI, opening the profile's
store, `ExactApp` with its reconnect worker) headless in a child process, on a throw-away profile with
N local customers (0: an empty profile). The child signals its first frame (the moment Textual hands it to
the terminal driver) through a pipe; the parent measures the wall time from `Popen`, and the child
reports the CPU time it used until then (steadier than wall time on a shared machine).

The child runs with a bytecode cache (PYTHONPYCACHEPREFIX in a temporary folder, after one launch
that is not counted): an installed exact-tui has its .pyc files, and a PYTHONDONTWRITEBYTECODE set
in the shell would otherwise add compiling exact-tui's own modules to every launch.

    python bench/bench_startup.py [--customers 2000] [--runs 5] [--phases]

Figures are noisy on a shared machine: the script prints the median and the spread. `--phases` also
prints where each launch spent its time, from marks the child takes (perf_counter is the system's
monotonic clock, so the parent's launch moment and the child's marks share one time line): the
interpreter starting, the command line parsed, the profile's store opened, the console imported,
the app made, step 1 composed, mounted, the first frame. Side by side for the fastest and the slowest
run: a phase whose wall time exceeds its CPU time waited (disk, a lock, the scheduler).
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
from typing import NamedTuple

TARGET_S = 0.6  # issue #16: first paint with a 20k-customer profile

CHILD = r"""
import time
MARKS = {"interpreter": (time.perf_counter(), time.process_time())}

def mark(name):
    MARKS.setdefault(name, (time.perf_counter(), time.process_time()))

import importlib.util, json, os, sys

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

class PatchOnImport:
    # a plain finder (any object with find_spec): importlib.abc would load importlib.resources, 10-30 ms
    # the console itself never imports
    # ExactApp is replaced by Timed when `exact-tui` imports the console, not before: imported here
    # first, the console would load outside the start-up conditions cli/_console.py sets.
    def find_spec(self, name, path, target=None):
        if name == "exact_tui.cli._console":  # imported once the command line is parsed
            mark("command line")
            return None
        if name != "exact_tui.ui.app":
            return None
        mark("profile opened")  # `_console` opens the store, then imports the console
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            mark("console imported")
            patch(module)

        spec.loader.exec_module = exec_module
        return spec

def patch(console):
    class Timed(console.ExactApp):
        painted = False

        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            mark("app made")

        def compose(self):
            yield from super().compose()
            mark("composed")

        def on_mount(self):
            super().on_mount()
            mark("mounted")

        def _display(self, screen, renderable):
            # where Textual hands a frame to the driver (which writes it to the terminal; headless: not)
            super()._display(screen, renderable)
            if not self.painted and renderable is not None and not self._batch_count:
                self.painted = True
                mark("first frame")
                os.write(1, (json.dumps({"cpu_s": time.process_time(), "marks": MARKS}) + "\n").encode())
                self.set_timer(2.0, self._idle)

        def _idle(self):
            os.write(1, (json.dumps({"rss_mb": rss_mb()}) + "\n").encode())
            self.exit(0)

        def run(self, **kw):
            return super().run(headless=True, size=(80, 24))

    console.ExactApp = Timed

sys.meta_path.insert(0, PatchOnImport())
from exact_tui.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "--profile", "bench"]))
"""


def make_profile(folder: str, customers: int) -> None:
    from exact_tui.domain.customer import LocalCustomer
    from exact_tui.services.session import ConsoleSession

    session = ConsoleSession.open("bench", folder)
    session.store.customers.put_many(
        LocalCustomer(id=f"L{i}", name=f"Customer {i} B.V.", number=str(10_000 + i), city="Utrecht")
        for i in range(customers))
    session.close_store()


PHASES = ("interpreter", "command line", "profile opened", "console imported", "app made", "composed", "mounted",
          "first frame")


class Run(NamedTuple):
    painted: float  # wall seconds from Popen to the first frame
    cpu: float  # the child's CPU seconds until then
    rss_mb: float  # at idle, 2 s later
    phases: dict[str, tuple[float, float]]  # phase -> (wall, CPU) seconds since the previous mark


def _phases(started: float, marks: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    out, wall, cpu = {}, started, 0.0
    for name in PHASES:
        if name in marks:
            at, used = marks[name]
            out[name] = (at - wall, used - cpu)
            wall, cpu = at, used
    return out


def one_run(folder: str, env: dict[str, str]) -> Run:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, folder], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env)
    assert child.stdout is not None
    first = child.stdout.readline()
    painted = time.perf_counter() - started
    try:
        report = json.loads(first)
        cpu = report["cpu_s"]
    except (ValueError, KeyError):
        raise SystemExit(f"child did not paint: {first!r}") from None
    idle = json.loads(child.stdout.readline())
    child.wait(timeout=30)
    return Run(painted, cpu, idle["rss_mb"], _phases(started, report["marks"]))


def print_phases(results: list[Run]) -> None:
    fast, slow = min(results, key=lambda r: r.painted), max(results, key=lambda r: r.painted)
    print(f"  {'phase (since the previous one)':<32} {'median wall':>11} {'CPU':>6}   "
          f"{'fastest wall/CPU':>16}   {'slowest wall/CPU':>16}")
    for name in PHASES:
        walls = [r.phases[name][0] for r in results if name in r.phases]
        cpus = [r.phases[name][1] for r in results if name in r.phases]
        if not walls:
            continue

        def pair(run: Run) -> str:
            wall, cpu = run.phases.get(name, (float("nan"), float("nan")))
            return f"{wall * 1000:7.0f}/{cpu * 1000:4.0f} ms"

        print(f"  {name:<32} {statistics.median(walls) * 1000:8.0f} ms {statistics.median(cpus) * 1000:3.0f} ms"
              f"   {pair(fast):>16}   {pair(slow):>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--phases", action="store_true", help="where each launch spent its time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        make_profile(folder, args.customers)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = os.path.join(folder, "pycache")
        one_run(folder, env)  # fills the bytecode cache; not counted
        results = [one_run(folder, env) for _ in range(args.runs)]
    paints = sorted(r.painted for r in results)
    cpus = sorted(r.cpu for r in results)
    rss = sorted(r.rss_mb for r in results)
    print(f"console start-up, {args.customers:,} local customers, 80x24 headless, {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  launch -> first paint: median {statistics.median(paints):.2f} s "
          f"(min {paints[0]:.2f}, max {paints[-1]:.2f}); target <= {TARGET_S} s")
    print(f"  CPU until first paint: median {statistics.median(cpus):.2f} s (min {cpus[0]:.2f}, max {cpus[-1]:.2f})")
    print(f"  memory at idle (RSS):  median {statistics.median(rss):.0f} MB (min {rss[0]:.0f}, max {rss[-1]:.0f})")
    if args.phases:
        print_phases(results)


if __name__ == "__main__":
    main()
