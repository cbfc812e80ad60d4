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


async def _transfers(pilot, app) -> None:
    """The Transfers screen (F7) with a realistic mix: long customer names, transferred invoices with
    Exact's numbers and payments, a blocked one and a credit note; the cursor on the blocked one."""
    import dataclasses
    import datetime as dt
    from decimal import Decimal

    from exact_tui.domain.invoice import InvoiceKind
    from exact_tui.domain.payment import InvoicePayment, PaymentStatus
    from exact_tui.domain.transfer import InvoiceTransfer, TransferStatus
    from exact_tui.ui.transfers import TransfersScreen

    store = app.session.store
    long_names = {"L1": "Bakkerij de Vries & Zonen Banket en Brood BV", "L2": "Jansen Installatietechniek Noord-Holland BV",
                  "L4": "Stichting Smit Logistiek en Wegtransport"}
    store.customers.put_many([dataclasses.replace(store.customers.get(k), name=v) for k, v in long_names.items()])
    credit = dataclasses.replace(store.invoices.get("I6"), id="I6CN", kind=InvoiceKind.CREDIT_NOTE, date=dt.date(2026, 1, 9),
                                 lines=[dataclasses.replace(line, quantity=-line.quantity)
                                        for line in store.invoices.get("I6").lines])
    store.invoices.put(credit)
    at = dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.timezone.utc)
    for invoice_id, number in (("I1", "70000001"), ("I3", "70000002"), ("I4", "70000003")):
        store.invoice_transfers.put(InvoiceTransfer(invoice_id, status=TransferStatus.TRANSFERRED, model="entries",
                                                    exact_id=f"00000000-0000-0000-0000-0000000{number[-5:]}",
                                                    exact_number=number, message=f"booked as entry {number}",
                                                    transferred_at=at, updated_at=at))
    store.invoice_transfers.put(InvoiceTransfer(
        "I2", status=TransferStatus.BLOCKED, message="line 1: item MISC has no revenue G/L account in Exact",
        todo="In Exact give item MISC a revenue G/L account (Master data → Items), or map another item in step 7",
        updated_at=at))
    store.payments.save(terms={}, invoices=[
        InvoicePayment("I1", "2026-0001", PaymentStatus.PAID, Decimal(0), "EUR", dt.date(2026, 2, 2)),
        InvoicePayment("I3", "2026-0003", PaymentStatus.PARTLY_PAID, Decimal("400.00"), "EUR"),
        InvoicePayment("I4", "2026-0004", PaymentStatus.OPEN, Decimal("919.60"), "EUR")])
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(app.screen, TransfersScreen) and len(app.screen.table.rows) == 7,
                   what="the transfers")
    screen = app.screen
    screen.table.set_cursor(next(n for n, i in enumerate(screen.table.view) if screen.table.rows[i].id == "I2"))
    await wait_for(pilot, lambda: "MISC" in str(screen.query_one("#transfers-detail").render()), what="the detail")
    await settle(pilot, app)


@pytest.mark.parametrize("size", [(80, 24), (120, 30)], ids=["80x24", "120x30"])
def test_transfers(fixed_sandbox, tmp_path, snap_compare, size):
    """At 80 columns the customer's name gets the room (the Exact number moves under the table with
    the full name); at 120 every column is there."""
    app = _app(fixed_sandbox, tmp_path, "exact-dark")
    try:
        assert snap_compare(app, terminal_size=size, run_before=lambda pilot: _transfers(pilot, app))
    finally:
        app.session.close_store()
