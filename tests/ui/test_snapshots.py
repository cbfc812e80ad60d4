"""Screenshots of every step at 80×24 (dark) and 160×48 (light), plus help, customer card and a problem.

Deterministic: a fresh sandbox per screenshot on any free loopback port with the known test world,
`deterministic=True` (fixed clock text, masked durations and loopback ports in the log, no budget
countdown), no spinners. Step 1 shows the sandbox address: the screenshots show it as the fixed
`SHOWN_BASE_URL` (set in the host field before the picture), so no test depends on a free port.
Update the baselines with `pytest tests/ui/test_snapshots.py --snapshot-update` after a deliberate change.
"""
from __future__ import annotations

import pytest

from exact_tui.domain.products import DataType, DimensionKind, Principle, ProductPrinciple
from exact_tui.sandbox import SandboxConfig, SandboxServer
from exact_tui.sandbox.limits import MINUTE
from exact_tui.services import defaults, division, journal, products
from exact_tui.services.linking import counts as link_counts
from exact_tui.ui.app import ExactApp

from .conftest import connect, open_session, wait_for
from .world import DIV, world

SHOWN_BASE_URL = "http://127.0.0.1:47611"  # what step 1 shows instead of the sandbox's real, free port
REDIRECT_PORT = 47612  # only text in the redirect URI: paste-back never listens on it
STEPS = ["connection", "division", "journal", "link", "maintenance", "products", "defaults", "activate"]


@pytest.fixture
def fixed_sandbox():
    server = SandboxServer(SandboxConfig(port=0), seed=world(redirect_port=REDIRECT_PORT))
    server.start()
    # The header shows the calls left this minute, and Exact's minute (so the sandbox's) starts on a
    # whole minute: begin each picture just after one, or a boundary inside the test resets the count.
    server.clock.advance(MINUTE - server.clock.time() % MINUTE + 0.5)
    try:
        yield server
    finally:
        server.stop()


async def prepare(pilot, app, step: str) -> None:
    """Bring the profile to a realistic half-done state, then show `step` with its data loaded."""
    session = app.session
    await connect(pilot, app)
    division.choose_division(session, DIV, "Client Test BV")
    journal.choose_journal(session, next(j for j in await journal.load_journals(session) if j.code == "70"))
    await products.import_items(session)
    products.set_active(session, {"HOUR", "FIXED", "TRAVEL"})
    defaults.set_principle(session, ProductPrinciple(DataType.TIME_MATERIAL, Principle.BY_DIMENSION,
                                                            DimensionKind.HOURLY_RATE))
    defaults.set_principle(session, ProductPrinciple(DataType.FIXED_PRICE, Principle.SPECIFIC,
                                                            product_number="FIXED"))
    rate = next(d for d in session.store.dimensions.of_kind("hourly_rate") if d.id == "R1")
    defaults.map_dimension(session, rate, "HOUR")
    await link_counts.link_counts(session)
    app.refresh_checklist()
    app.goto(step)
    loaded = {
        "division": lambda: app.query_one("#divisions").option_count == 2,
        "journal": lambda: app.query_one("#journals").option_count == 2,
        "link": lambda: not isinstance(app.query_one("#counts").content, str),  # the counts table is shown
        "products": lambda: app.query_one("#items").option_count == 4,
    }
    await wait_for(pilot, loaded.get(step, lambda: True), what=f"{step} loaded")
    target = app.step(step).first_focus()
    if target is not None:  # focus (and the scroll it brings) lands after a refresh: slower on a loaded machine
        await wait_for(pilot, lambda: app.focused is target, what=f"{step} focused")
    await pilot.pause(0.3)
    view = app.step(step)  # the scroll that focusing brought depends on when the content arrived: make it fixed
    view.scroll_home(animate=False, immediate=True)
    if target is not None:
        view.scroll_to_widget(target, animate=False, immediate=True)
    await pilot.pause()
    await settle(pilot, app)


async def settle(pilot, app) -> None:
    """Last touches before the picture: no notices, and the sandbox address shown as a fixed text."""
    app.clear_notifications()
    host = app.screen_stack[0].query_one("#host")
    if host.value.startswith("http://127.0.0.1:"):
        host.value = SHOWN_BASE_URL  # connected already (or not yet logging in): only the display changes
        host.cursor_position = 0
    await pilot.pause()


def _app(server, tmp_path, theme: str) -> ExactApp:
    session = open_session(server, tmp_path)
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    app.theme = theme
    return app


def _snap_step(step, server, tmp_path, snap_compare, *, size: tuple[int, int], theme: str) -> bool:
    """One step at one size in one theme; every step is pictured at 80x24 and 160x48, dark and light."""
    app = _app(server, tmp_path, theme)
    try:
        return snap_compare(app, terminal_size=size, run_before=lambda pilot: prepare(pilot, app, step))
    finally:
        app.session.close_store()


@pytest.mark.parametrize("step", STEPS)
def test_step_80x24_dark(step, fixed_sandbox, tmp_path, snap_compare):
    assert _snap_step(step, fixed_sandbox, tmp_path, snap_compare, size=(80, 24), theme="exact-dark")


@pytest.mark.parametrize("step", STEPS)
def test_step_160x48_light(step, fixed_sandbox, tmp_path, snap_compare):
    assert _snap_step(step, fixed_sandbox, tmp_path, snap_compare, size=(160, 48), theme="exact-light")


@pytest.mark.parametrize("step", STEPS)
def test_step_80x24_light(step, fixed_sandbox, tmp_path, snap_compare):
    """The light theme at the size a consultant's SSH terminal often has: nothing may vanish."""
    assert _snap_step(step, fixed_sandbox, tmp_path, snap_compare, size=(80, 24), theme="exact-light")


@pytest.mark.parametrize("step", STEPS)
def test_step_160x48_dark(step, fixed_sandbox, tmp_path, snap_compare):
    assert _snap_step(step, fixed_sandbox, tmp_path, snap_compare, size=(160, 48), theme="exact-dark")


def test_first_start_not_connected_high_contrast(fixed_sandbox, tmp_path, snap_compare):
    app = _app(fixed_sandbox, tmp_path, "exact-high-contrast")
    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=lambda pilot: settle(pilot, app))
    finally:
        app.session.close_store()


def test_help_80x24(fixed_sandbox, tmp_path, snap_compare):
    app = _app(fixed_sandbox, tmp_path, "exact-dark")
    try:
        assert snap_compare(app, terminal_size=(80, 24), press=["f1"])
    finally:
        app.session.close_store()


def test_problem_shown_with_side_80x24(fixed_sandbox, tmp_path, snap_compare):
    app = _app(fixed_sandbox, tmp_path, "exact-dark")

    async def run_before(pilot) -> None:
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("ctrl+y")
        await pilot.pause(0.2)
        await settle(pilot, app)

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        app.session.close_store()


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_customer_card(fixed_sandbox, tmp_path, snap_compare, size):
    app = _app(fixed_sandbox, tmp_path, "exact-dark")

    async def run_before(pilot) -> None:
        await connect(pilot, app)
        division.choose_division(app.session, DIV, "Client Test BV")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"visser", "enter")
        await pilot.pause(0.3)
        await settle(pilot, app)

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        app.session.close_store()
