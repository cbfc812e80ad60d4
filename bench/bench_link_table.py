"""Open time and key latency of the Link customers screen at 1k / 20k / 100k rows.

    /work/venv/bin/python bench/bench_link_table.py [--sizes 1000,20000,100000] [--repeat 15]

Runs the real screen headless under Textual's Pilot, with the rows already matched (the matcher
has its own bench): "open" is setting a tab's rows into the virtual table until the first frame
is drawn; "built ahead" is the CPU the table then spends while idle, in ~5 ms steps, on the search
text and every column's sort key (once per tab; a key pressed meanwhile waits for one step); each
key's figure is the CPU time the app spends from `pilot.press` until it is idle again (handling +
repaint; Pilot's own idle waiting is not work and would add a constant ~40 ms of sleeping per key),
median and worst of `--repeat` presses; the wall time is printed too, and how many frames the key
drew (the median: a tab switch used to draw two, the second for the tabs' underline alone). Each `s` sorts by the next
of the 8 columns, the first time for each (`S` reverses). Targets: open ≤ 0.5 s at 20k rows, every key ≤ 50 ms. Wall-clock
figures on a shared machine: note the load next to them.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App  # noqa: E402

from exact_tui.domain.customer import LocalCustomer  # noqa: E402
from exact_tui.matching import Candidate  # noqa: E402
from exact_tui.services.events import EventBus  # noqa: E402
from exact_tui.services.linking import ExactAccount, LinkingService, Row, Tab  # noqa: E402
from exact_tui.ui.linking import LinkCustomersScreen  # noqa: E402

WORDS = ("Bakkerij", "Installatie", "Advies", "Transport", "Bouw", "Jansen", "de Vries", "Bakker", "Visser", "Smit",
         "Meijer", "Mulder", "Bos", "Vos", "Peters", "Dekker", "Holding", "Groep", "Techniek", "Media")
CITIES = ("Amsterdam", "Utrecht", "Rotterdam", "Leiden", "Delft", "Zwolle", "Groningen", "Arnhem", "Breda")


class Session:
    def __init__(self, folder: Path) -> None:
        self.events = EventBus()
        self.profile_dir = folder
        self.profile = "bench"
        self.client = None


def build(n: int, seed: int = 1) -> LinkingService:
    rnd = random.Random(seed)
    service = LinkingService(None, EventBus(), None)
    for i in range(n):
        name = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {i}"
        city = rnd.choice(CITIES)
        exact = ExactAccount(f"E{i}", name + " B.V.", str(10_000 + i), f"Straat {i}", f"{1000 + i % 8999}AB", city,
                             "NL", f"info@k{i}.nl", status="C")
        local = LocalCustomer(f"L{i}", name + " BV", str(20_000 + i), f"Straat {i}",
                              f"{1000 + i % 8999} AB", city if i % 7 else rnd.choice(CITIES), "NL")
        service.customers[local.id] = local
        score = round(rnd.uniform(40, 100), 1)
        service.add(Row(exact, Tab.ONE if i % 5 else Tab.MORE, [Candidate(exact.id, local.id, score, {}, ("same name",))]))
    return service


class BenchApp(App[None]):
    frames = 0

    def _display(self, screen, renderable) -> None:  # where Textual hands a frame to the driver
        if renderable is not None:
            self.frames += 1
        super()._display(screen, renderable)


Figure = tuple[float, float, float, float]  # CPU median, CPU worst, wall median (s), frames median


async def measure(n: int, repeat: int) -> dict[str, Figure]:
    service = build(n)
    figures: dict[str, Figure] = {}
    with tempfile.TemporaryDirectory() as folder:
        app = BenchApp()
        async with app.run_test(size=(140, 40)) as pilot:
            screen = LinkCustomersScreen(Session(Path(folder)), service=service)
            await app.push_screen(screen)
            await pilot.pause()
            table = screen.table
            rows = service.tab_rows("one")
            samples, walls, frames = [], [], []
            for _ in range(3):
                table.set_rows([], keep_cursor=False)
                await pilot.pause()
                started, cpu, drawn = time.perf_counter(), time.process_time(), app.frames
                table.set_rows(rows, keep_cursor=False)
                await pilot.pause()
                samples.append(time.process_time() - cpu)
                walls.append(time.perf_counter() - started)
                frames.append(app.frames - drawn)
            figures["open"] = _figure(samples, walls, frames)
            # what the table builds ahead while the user reads the first page (search text, sort keys),
            # in ~5 ms steps a key never waits behind for longer; reported on its own, then the keys
            started, cpu = time.perf_counter(), time.process_time()
            while len(rows) > table.WARM_CHUNK and not table.built_ahead:  # a smaller set builds on demand
                await pilot.pause(0.02)
            spent = time.process_time() - cpu
            figures["built ahead"] = (spent, spent, time.perf_counter() - started, float("nan"))
            keys = ["down", "up", "pagedown", "pageup", "end", "home", "space", "shift+down", "a", "n", "i",
                    "right", "s", "S"]
            for key in keys:
                figures[key] = await _presses(app, pilot, [key] * repeat)
            # tab switch: More matches and back (a fifth of the rows there)
            figures["tab switch"] = await _presses(app, pilot, ["2", "1"] * max(1, repeat // 2))
            # filter as you type: one character more each time, then a score range
            screen.query_one("#link-filter").focus()
            figures["filter char"] = await _presses(app, pilot, list("bakker"))
            samples, walls, frames = [], [], []
            for text in (">=80", "60..90", "city:utrecht", ""):
                started, cpu, drawn = time.perf_counter(), time.process_time(), app.frames
                screen.query_one("#link-filter").value = text
                await pilot.pause()
                samples.append(time.process_time() - cpu)
                walls.append(time.perf_counter() - started)
                frames.append(app.frames - drawn)
            figures["filter expr"] = _figure(samples, walls, frames)
    return figures


def _figure(samples: list[float], walls: list[float], frames: list[int]) -> Figure:
    return statistics.median(samples), max(samples), statistics.median(walls), statistics.median(frames)


async def _presses(app: BenchApp, pilot, keys: list[str]) -> Figure:
    """Each key pressed in turn: the CPU and wall time until the app is idle again, and the frames drawn."""
    samples, walls, frames = [], [], []
    for key in keys:
        started, cpu, drawn = time.perf_counter(), time.process_time(), app.frames
        await pilot.press(key)
        samples.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - started)
        frames.append(app.frames - drawn)
    return _figure(samples, walls, frames)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Link customers table bench · {os.cpu_count()} cores · load {load:.1f} (shared machine: figures noisy)")
    for n in (int(s) for s in args.sizes.split(",")):
        figures = asyncio.run(measure(n, args.repeat))
        print(f"\n{n:,} rows")
        print(f"  {'':<12} {'CPU median':>11} {'CPU worst':>10} {'wall median':>12} {'frames':>7}")
        for name, (median, worst, wall, drawn) in figures.items():
            shown = "" if drawn != drawn else f"{drawn:g}"  # nan: not a key
            print(f"  {name:<12} {median * 1000:8.1f} ms {worst * 1000:7.1f} ms {wall * 1000:9.1f} ms {shown:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
