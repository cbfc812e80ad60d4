"""The action registry: every key of every screen, once, with its binding id.

The footer, the help screen (F1 / ?) and the command palette (ctrl+p) all read the same `BINDINGS`
through this module, so an action added to a screen shows up everywhere without extra code, and a
key remapped in `keymap.toml` (binding id = key) is shown as remapped everywhere too. Every binding
of the console has an id; `missing_ids()` lists any that does not (a test keeps it empty).

An `Area` is one place with its own keys (the console frame, a step, the customer card, the Link
customers screen, the small modals). `run` says how the palette reaches it from wherever the user
is: a step is shown first, the card or Link screen is opened first.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:  # pragma: no cover
    from textual.app import App

Runner = Callable[["App", Binding], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Area:
    """One screen (or part of one) with its own keys."""

    key: str  # "app", "step.connection", "card", "settings", "link", "modal.pick", …
    title: str  # the help screen's section title
    bindings: tuple[Binding, ...]
    run: Runner | None = None  # how the palette runs one of its actions; None: not offered in the palette
    screen: type | None = None  # when this screen is current, its actions run on it directly
    target: Callable[[Any], Any] | None = None  # the widget of `screen` the bindings belong to (default: the screen)


@dataclass(frozen=True, slots=True)
class Entry:
    area: Area
    binding: Binding

    @property
    def id(self) -> str:
        return self.binding.id or ""

    @property
    def description(self) -> str:
        return self.binding.description or self.binding.action


def keys_of(app: Any, binding: Binding) -> list[str]:
    """The key(s) that trigger `binding` now: `keymap.toml` wins over the default."""
    keymap = getattr(app, "keymap", None) or {}
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip() for k in keys.split(",") if k.strip()]


def key_label(app: Any, binding: Binding) -> str:
    """What a person reads: `?` not `question_mark`, `>` not `greater_than_sign`, `ctrl+p` as typed."""
    from textual.keys import format_key

    out = []
    for key in keys_of(app, binding):
        *mods, name = key.split("+")
        name = format_key(name)
        out.append("+".join([*mods, name]))
    return " / ".join(out)


# -- how the palette reaches each area -----------------------------------------------------------
async def _run_app(app: Any, binding: Binding) -> None:
    await app.run_action(binding.action)


def _run_step(key: str) -> Runner:
    async def run(app: Any, binding: Binding) -> None:
        await app.run_step_action(key, binding.action)

    return run


async def _run_card(app: Any, binding: Binding) -> None:
    await app.run_card_action(binding.action)


async def _run_transfers(app: Any, binding: Binding) -> None:
    await app.run_transfers_action(binding.action)


async def _run_reconcile(app: Any, binding: Binding) -> None:
    await app.run_reconcile_action(binding.action)


def _run_link(table: bool) -> Runner:
    async def run(app: Any, binding: Binding) -> None:
        await app.run_linking_action(binding.action, table=table)

    return run


def linking_screen() -> type | None:
    """The Link customers screen class (its own package), or None when it is not installed."""
    try:
        from .linking import LinkCustomersScreen
    except ImportError:
        return None
    return LinkCustomersScreen


def areas(app: Any | None = None) -> list[Area]:
    """Every area of the console, in the order help lists them."""
    from .screens.ask import AskValue
    from .screens.confirm import ConfirmScreen
    from .screens.customers import CustomerCardScreen
    from .screens.help import HelpScreen
    from .screens.pick import PickScreen
    from .screens.settings import SettingsScreen
    from .steps import STEPS

    out: list[Area] = []
    app_bindings = _app_bindings(app)
    if app_bindings:
        out.append(Area("app", "Everywhere", tuple(app_bindings), _run_app))
    for step in STEPS:
        if step.BINDINGS:
            out.append(Area(f"step.{step.KEY}", f"Step {step.NUMBER}: {step.TITLE}", tuple(step.BINDINGS),
                            _run_step(step.KEY)))
    out.append(Area("card", "Customer card (F3)", tuple(CustomerCardScreen.BINDINGS), _run_card,
                    screen=CustomerCardScreen))
    link = linking_screen()
    if link is not None:
        from .linking.table import PairsTable

        out.append(Area("link", "Link customers (step 4, ctrl+o)", tuple(link.BINDINGS), _run_link(False),
                        screen=link))
        out.append(Area("link.table", "Link customers: the list", tuple(PairsTable.BINDINGS), _run_link(True),
                        screen=link, target=lambda screen: screen.table))
    from .transfers import TransfersScreen
    from .transfers.timeline import TimelineScreen

    out.append(Area("transfers", "Transfers (F7)", (*TransfersScreen.BINDINGS, *TimelineScreen.BINDINGS),
                    _run_transfers, screen=TransfersScreen))
    from .reconcile import ReconcileScreen

    out.append(Area("reconcile", "Reconcile (F8)", tuple(ReconcileScreen.BINDINGS), _run_reconcile,
                    screen=ReconcileScreen))
    out.append(Area("settings", "Settings (F4)", tuple(SettingsScreen.BINDINGS)))
    from .screens.health import HealthScreen
    from .screens.log import LogDetail, LogScreen

    out.append(Area("log", "Integration log (F5)", (*LogScreen.BINDINGS, *LogDetail.BINDINGS), screen=LogScreen))
    out.append(Area("health", "Health (F6)", tuple(HealthScreen.BINDINGS), screen=HealthScreen))
    out.append(Area("modal", "Questions and pickers", (*ConfirmScreen.BINDINGS, *PickScreen.BINDINGS,
                                                        *AskValue.BINDINGS, *HelpScreen.BINDINGS)))
    return out


def _app_bindings(app: Any | None) -> list[Binding]:
    if app is None:
        from .app import ExactApp

        return list(ExactApp.BINDINGS)
    from .app import ExactApp

    return list(type(app).BINDINGS) if isinstance(app, ExactApp) else []


def entries(app: Any | None = None) -> list[Entry]:
    return [Entry(area, b) for area in areas(app) for b in area.bindings]


def missing_ids() -> list[str]:
    """'Area: action' of every binding without an id (keymap.toml could not remap it)."""
    return [f"{e.area.title}: {e.binding.action}" for e in entries() if not e.binding.id]


def palette_entries(app: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """(name, help, callback) of every command the console offers right now.

    Actions of the current screen run on it; the others bring their screen or step up first. Cursor
    keys and modal answers are not commands, so they stay out of the palette (they are in help)."""
    from functools import partial

    screen = app.screen
    out: list[tuple[str, str, Callable[[], Any]]] = []
    listed = areas(app)
    here = {a.key for a in listed if a.screen is not None and isinstance(screen, a.screen)}
    steps = getattr(app, "goto", None)
    if steps is not None and not here:
        from .steps import STEPS

        for step in STEPS:
            out.append((f"Go to step {step.NUMBER}: {step.TITLE}", step.INTRO, partial(app.goto, step.KEY)))
    for area in listed:
        if here and area.key not in here and area.key != "app":
            continue  # on the card or the Link screen: its own actions and the console's
        if area.run is None and area.key not in here:
            continue
        for binding in area.bindings:
            if not binding.description or _not_a_command(binding):
                continue
            name = binding.description if area.key == "app" else f"{_short(area)}: {binding.description}"
            label = f"key {key_label(app, binding)}" + (f" · {binding.id}" if binding.id else "")
            if area.key in here:
                target = area.target(screen) if area.target else screen
                callback: Callable[[], Any] = partial(target.run_action, binding.action)
            elif area.run is not None and isinstance(app, _exact_app()):
                callback = partial(area.run, app, binding)
            else:
                continue
            out.append((name, label, callback))
    if steps is not None:
        for name in sorted(app.available_themes):
            out.append((f"Theme: {name}", "switch and remember", partial(app.set_theme, name)))
    return out


def _exact_app() -> type:
    from .app import ExactApp

    return ExactApp


_NOT_COMMANDS = ("cursor", "page", "jump", "extend", "escape", "back", "dismiss", "close")


def _not_a_command(binding: Binding) -> bool:
    return binding.action.startswith(_NOT_COMMANDS)


def _short(area: Area) -> str:
    if area.key.startswith("step."):
        return area.title.split(": ", 1)[1]
    return {"card": "Customer card", "link": "Link customers", "link.table": "Link customers",
            "settings": "Settings", "log": "Integration log", "health": "Health", "reconcile": "Reconcile"}.get(area.key, area.title)
