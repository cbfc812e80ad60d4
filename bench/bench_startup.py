"""Console start-up: wall time from launching the process to the first painted frame, and memory at idle.

Runs the console as `exact-tui --data-dir D --profile bench` starts it (the CLI, opening the profile's
store, `ExactApp` with its reconnect worker) headless in a child process, on a throw-away profile with
N local customers (0: an empty profile). The child signals its first frame (the moment Textual hands it to
the terminal driver) through a pipe; the parent measures the wall time from `Popen`, and the child
reports the CPU time it used until then (steadier than wall time on a shared machine).

The child runs with a bytecode cache (PYTHONPYCACHEPREFIX in a temporary folder, after one launch
that is not counted): an installed exact-tui has its .pyc files, and a PYTHONDONTWRITEBYTECODE set
in the shell would otherwise add compiling exact-tui's own modules to every launch.

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

TARGET_S = 0.6  # issue #16: first paint with a 20k-customer profile

CHILD = r"""
import importlib.util, json, os, sys, time

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
        if name != "exact_tui.ui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec

def patch(console):
    class Timed(console.ExactApp):
        painted = False

        def _display(self, screen, renderable):
            # where Textual hands a frame to the driver (which writes it to the terminal; headless: not)
            super()._display(screen, renderable)
            if not self.painted and renderable is not None and not self._batch_count:
                self.painted = True
                os.write(1, (json.dumps({"cpu_s": time.process_time()}) + "\n").encode())
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


def one_run(folder: str, env: dict[str, str]) -> tuple[float, float, float]:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, folder], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env)
    assert child.stdout is not None
    first = child.stdout.readline()
    painted = time.perf_counter() - started
    try:
        cpu = json.loads(first)["cpu_s"]
    except (ValueError, KeyError):
        raise SystemExit(f"child did not paint: {first!r}") from None
    idle = json.loads(child.stdout.readline())
    child.wait(timeout=30)
    return painted, cpu, idle["rss_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        make_profile(folder, args.customers)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = os.path.join(folder, "pycache")
        one_run(folder, env)  # fills the bytecode cache; not counted
        results = [one_run(folder, env) for _ in range(args.runs)]
    paints = sorted(r[0] for r in results)
    cpus = sorted(r[1] for r in results)
    rss = sorted(r[2] for r in results)
    print(f"console start-up, {args.customers:,} local customers, 80x24 headless, {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  launch -> first paint: median {statistics.median(paints):.2f} s "
          f"(min {paints[0]:.2f}, max {paints[-1]:.2f}); target <= {TARGET_S} s")
    print(f"  CPU until first paint: median {statistics.median(cpus):.2f} s (min {cpus[0]:.2f}, max {cpus[-1]:.2f})")
    print(f"  memory at idle (RSS):  median {statistics.median(rss):.0f} MB (min {rss[0]:.0f}, max {rss[-1]:.0f})")


if __name__ == "__main__":
    main()
