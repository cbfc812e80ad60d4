"""The console: checklist rail on the left, the step in the middle, the integration log below.

`ExactApp(session)` gives every step and screen the same `ConsoleSession` (store, event stream,
Exact client). Service events reach the log pane through `post_message` (thread-safe), so a
worker thread or an async worker can emit them alike.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Footer, OptionList

from ..services import activation
from . import css
from ..services.problems import explain
from ..services.session import ConsoleSession
from .commands import ConsoleCommands
from .startup import ConsoleScreen, ConsoleStylesheet
from .config import ConsolePrefs, KeymapError, load_keymap, load_prefs, save_prefs
from .steps import STEPS, StepView
from .themes import load_themes
from .widgets.header import StatusHeader
from .widgets.log_pane import EventArrived, LogPane
from .widgets.rail import StepRail
from .shown import printable

STEP_KEYS = [step.KEY for step in STEPS]


class ExactApp(App[int]):
    """exact-tui's console. `deterministic=True` freezes clock texts (screenshots, tests)."""

    CSS_PATH = [css.APP, css.WIDGETS, css.STEPS]  # each dialog and screen brings css.SCREENS when first shown
    TITLE = "exact-tui"
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("f2", "toggle_log", "Log", id="app.toggle_log"),
        Binding("f3", "customers", "Customers", id="app.customers"),
        Binding("f4", "settings", "Settings", id="app.settings"),
        Binding("f5", "log_screen", "Full log", show=False, id="app.log_screen"),
        Binding("f6", "health", "Health", show=False, id="app.health"),
        Binding("f7", "transfers", "Transfers", show=False, id="app.transfers"),
        Binding("f8", "reconcile", "Reconcile", show=False, id="app.reconcile"),
        Binding("ctrl+n", "next_step", "Next step", id="app.next_step"),
        Binding("ctrl+b", "previous_step", "Previous step", show=False, id="app.previous_step"),
        Binding("ctrl+up", "log_grow", "Log taller", show=False, id="app.log_grow"),
        Binding("ctrl+down", "log_shrink", "Log shorter", show=False, id="app.log_shrink"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
        *[Binding(str(n), f"goto_number({n})", f"Step {n}", show=False, id=f"app.step_{n}") for n in range(1, 9)],
    ]

    def __init__(self, session: ConsoleSession, *, start_step: str | None = None,
                 data_dir: str | os.PathLike[str] | None = None, deterministic: bool = False,
                 prefs: ConsolePrefs | None = None, resume: bool = True) -> None:
        super().__init__()
        self.stylesheet = ConsoleStylesheet(variables=self.get_css_variables())  # before any source is read
        self.session = session
        self.data_dir = data_dir
        self.deterministic = deterministic
        self.start_step = start_step
        self.resume = resume
        self.prefs = prefs or load_prefs(data_dir)
        from ..paths import config_dir

        self.user_themes_dir = config_dir(data_dir) / "themes"
        themes, self.theme_problems = load_themes(self.user_themes_dir)
        for theme in themes:
            self.register_theme(theme)
        self.keymap_problem = ""
        try:
            self.keymap, self.keymap_path = load_keymap(data_dir)
        except KeymapError as exc:
            self.keymap, self.keymap_path = {}, Path(str(exc).split(":", 1)[0])
            self.keymap_problem = str(exc)
        self.theme = self.prefs.theme if self.prefs.theme in self.available_themes else "exact-dark"
        if start_step is None:  # reopening a profile: back to the step it was closed on
            start_step = self.prefs.last_step.get(session.profile) if isinstance(self.prefs.last_step, dict) else None
        self.current_step = start_step if start_step in STEP_KEYS else STEP_KEYS[0]
        self._unsubscribe = None

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The size classes are set before the widgets mount: set on the first resize instead, they
        # restyled the whole console (eight steps, rail, log) once more before the first frame.
        self._fit_to(self.size.width, self.size.height)
        yield StatusHeader(self.session, deterministic=self.deterministic, id="status")
        with Horizontal(id="main"):
            yield StepRail(id="rail")
            with ContentSwitcher(initial=f"step-{self.current_step}", id="steps"):
                for step in STEPS:
                    view = step(self.session)
                    if step.KEY != self.current_step:
                        view.defer()  # composed right after the first frame (_after_first_frame)
                    yield view
        log = LogPane(id="log", fixed_time="12:00:00" if self.deterministic else None)
        log.styles.height = self.prefs.log_height
        log.display = self.prefs.log_visible
        yield log
        yield Footer(compact=self.size.width < 120)

    def get_default_screen(self) -> ConsoleScreen:
        return ConsoleScreen(id="_default")

    def on_resize(self, event) -> None:
        self._fit_to(event.size.width, event.size.height)

    def _fit_to(self, width: int, height: int) -> None:
        """Below 120 columns the footer drops its padding so more keys fit without cutting words; on a
        short terminal (80×24) step 1 has one-line text boxes, so its title and buttons fit together."""
        footers = self.query(Footer)
        if footers:
            footers.first().compact = width < 120
        self.screen_stack[0].set_class(height < 32, "-short")

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self._show_stored_log()
        # Any theme change is remembered: the settings screen, our palette entries and Textual's own
        # "Change the current theme" command alike (a cancelled preview sets the old theme back, saved too).
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.screen_change_signal.subscribe(self, self._remember_theme)
        self._unsubscribe = self.session.events.subscribe(lambda event: self.post_message(EventArrived(event)))
        for problem in self.theme_problems:
            self.session.events.warning(problem, topic="settings")
        if self.keymap_problem:
            self.session.events.error(self.keymap_problem, topic="settings", detail="keys left at their defaults")
        self.refresh_checklist()
        self.goto(self.current_step)
        self.call_after_refresh(self._after_first_frame)

    async def _after_first_frame(self) -> None:
        """What waits until the console is on screen: the hidden steps' widgets, the garbage collector,
        which `exact-tui` keeps off during start-up (cli/_console.py), and reconnecting, which loads
        the Exact client. Keys pressed meanwhile wait in the queue until this is done."""
        for key in STEP_KEYS:
            await self.step(key).compose_now()
        if not gc.isenabled():
            gc.enable()
            gc.freeze()  # what start-up made stays: later passes need not walk it
        if self.resume:
            self.run_worker(self._resume(), group="resume", exclusive=True, exit_on_error=False)

    def _show_stored_log(self, lines: int = 200) -> None:
        """The log pane starts with the profile's stored log: what happened last time (or before it opened)."""
        stored = getattr(self.session.store, "log", None)
        if stored is None:
            return
        try:
            entries = stored.tail(lines)
        except Exception:  # noqa: BLE001 - an unreadable old log must not keep the console from opening
            return
        self.query_one(LogPane).add_history(entries)

    async def _resume(self) -> None:
        from ..services import connection

        try:
            report = await connection.resume(self.session)
        except Exception as exc:  # noqa: BLE001 - shown, and step 1 offers a new login
            problem = explain(exc)
            self.session.events.error(f"Stored connection not usable: {problem.what}", side=problem.side,
                                      topic="connection", detail=problem.todo)
            self.step("connection").show_problem(problem)  # step 1 says why, beside a fresh login
            return
        if report is not None:
            self.refresh_checklist()
            self.refresh_header()
            self.step(self.current_step).on_step_shown()

    async def on_unmount(self) -> None:
        if isinstance(self.prefs.last_step, dict) and self.session.demo is None:
            self.prefs.last_step[self.session.profile] = self.current_step
            self._save_prefs()
        if self._unsubscribe:
            self._unsubscribe()
        await self.session.disconnect(quiet=True)

    # -- steps -----------------------------------------------------------------------------------
    def step(self, key: str) -> StepView:
        return self.query_one(f"#step-{key}", StepView)

    def goto(self, key: str, *, focus: bool = True) -> None:
        self.current_step = key
        self.query_one("#steps", ContentSwitcher).current = f"step-{key}"
        self.query_one(StepRail).show(current=key)
        step = self.step(key)
        if not step.composed:  # asked for before the first frame: shown once its widgets are there
            self.call_later(self._goto_composed, key, focus)
            return
        step.on_step_shown()
        if focus:
            target = step.first_focus()
            if target is not None:
                self.call_after_refresh(self._focus_in_step, step, target)

    async def _goto_composed(self, key: str, focus: bool) -> None:
        await self.step(key).compose_now()
        if self.current_step == key:
            self.goto(key, focus=focus)

    def _focus_in_step(self, step: StepView, target) -> None:
        """Focus without Textual's centring: at 80×24 centring scrolled the step's title and intro away.
        The step starts at its top and scrolls only as far as the focused widget needs."""
        target.focus(scroll_visible=False)
        step.scroll_home(animate=False, immediate=True)
        step.scroll_to_widget(target, animate=False, immediate=True)

    async def on_key(self, event) -> None:
        """A step's keys also work while the rail (or the log) has focus: they act on the shown step."""
        if len(self.screen_stack) > 1:
            return
        step = self.step(self.current_step)
        focused = self.focused
        if focused is not None and step in focused.ancestors_with_self:
            return
        for binding in step.BINDINGS:
            keys = [k.strip() for k in self.key_for(binding).split(",")]
            if event.key in keys:
                if step.check_action(binding.action.split("(", 1)[0], ()) is False:
                    return  # not offered here (e.g. the demo shortcut on a real profile)
                event.stop()
                await self.run_action(binding.action, step)
                return

    @on(OptionList.OptionSelected, "#rail")
    def _rail_selected(self, event: OptionList.OptionSelected) -> None:
        self.goto(event.option.id)

    def action_goto_number(self, number: int) -> None:
        self.goto(STEP_KEYS[number - 1])

    def action_next_step(self) -> None:
        self.goto(STEP_KEYS[min(len(STEP_KEYS) - 1, STEP_KEYS.index(self.current_step) + 1)])

    def action_previous_step(self) -> None:
        self.goto(STEP_KEYS[max(0, STEP_KEYS.index(self.current_step) - 1)])

    async def run_step_action(self, key: str, action: str) -> None:
        await self.step(key).compose_now()
        self.goto(key)
        await self.run_action(action, self.step(key))

    async def run_card_action(self, action: str) -> None:
        from .screens.customers import CustomerCardScreen

        if not isinstance(self.screen, CustomerCardScreen):
            self.action_customers()
        await self.run_action(action, self.screen)

    async def run_linking_action(self, action: str, *, table: bool = False) -> None:
        """From the palette: open the Link customers screen (via step 4) and run one of its actions there."""
        from .actions import linking_screen

        screen_class = linking_screen()
        if screen_class is None:
            return
        if not isinstance(self.screen, screen_class):
            await self.step("link").compose_now()
            self.goto("link")
            self.step("link").action_open_linking()
        if isinstance(self.screen, screen_class):
            await self.run_action(action, self.screen.table if table else self.screen)

    def refresh_checklist(self) -> None:
        try:
            statuses = activation.checklist(self.session)
        except Exception as exc:  # noqa: BLE001 - the rail shows what it can; the cause goes to the log
            problem = explain(exc)
            self.session.events.error(f"Checklist could not be read: {problem.what}", side=problem.side,
                                      topic="setup", detail=problem.todo)
            return
        self.query_one(StepRail).show(statuses)
        self.refresh_header()

    def refresh_header(self) -> None:
        self.query_one(StatusHeader).refresh_status()

    # -- log pane --------------------------------------------------------------------------------
    @on(EventArrived)
    def _event(self, message: EventArrived) -> None:
        self.query_one(LogPane).add(message.event)
        self.refresh_header()

    def action_toggle_log(self) -> None:
        log = self.query_one(LogPane)
        log.display = not log.display
        self.prefs.log_visible = bool(log.display)
        self._save_prefs()

    def _resize_log(self, delta: int) -> None:
        log = self.query_one(LogPane)
        self.prefs.log_height = max(3, min(40, self.prefs.log_height + delta))
        log.styles.height = self.prefs.log_height
        log.display = True
        self.prefs.log_visible = True
        self._save_prefs()

    def action_log_grow(self) -> None:
        self._resize_log(+2)

    def action_log_shrink(self) -> None:
        self._resize_log(-2)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notice of every screen passes here: its words often hold a record's name or Exact's
        message, so they are shown literally (control characters escaped, never read as markup)."""
        super().notify(printable(message, multiline=True), title=printable(title), severity=severity,
                       timeout=timeout, markup=False)

    # -- screens, themes, keys -------------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_customers(self) -> None:
        from .screens.customers import CustomerCardScreen

        if not isinstance(self.screen, CustomerCardScreen):
            self.push_screen(CustomerCardScreen(self.session))

    def action_log_screen(self) -> None:
        from .screens.log import LogScreen

        if not isinstance(self.screen, LogScreen):
            self.push_screen(LogScreen(self.session, fixed_time="12:00:00" if self.deterministic else None))

    def action_health(self) -> None:
        from .screens.health import HealthScreen

        if not isinstance(self.screen, HealthScreen):
            self.push_screen(HealthScreen(self.session))
    def action_transfers(self) -> None:
        from .transfers import TransfersScreen

        if not isinstance(self.screen, TransfersScreen):
            self.push_screen(TransfersScreen(self.session))

    def action_reconcile(self) -> None:
        from .reconcile import ReconcileScreen

        if not isinstance(self.screen, ReconcileScreen):
            self.push_screen(ReconcileScreen(self.session))

    async def run_reconcile_action(self, action: str) -> None:
        from .reconcile import ReconcileScreen

        if not isinstance(self.screen, ReconcileScreen):
            self.action_reconcile()
        if isinstance(self.screen, ReconcileScreen):
            await self.run_action(action, self.screen)

    async def run_transfers_action(self, action: str) -> None:
        from .transfers import TransfersScreen

        if not isinstance(self.screen, TransfersScreen):
            self.action_transfers()
        if isinstance(self.screen, TransfersScreen):
            await self.run_action(action, self.screen)

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def set_theme(self, name: str) -> None:
        self.theme = name
        self.prefs.theme = name
        self._save_prefs()

    def _theme_changed(self, theme) -> None:
        """A theme is remembered once it is chosen, not while it is previewed: while the settings screen
        or the palette's theme list is open, ↑/↓ previews; the choice is saved when it closes."""
        if len(self.screen_stack) > 1:
            return
        self._remember_theme()

    def _remember_theme(self, screen=None) -> None:
        if len(self.screen_stack) == 1 and self.theme != self.prefs.theme:
            self.prefs.theme = self.theme
            self._save_prefs()

    def _save_prefs(self) -> None:
        if self.deterministic:
            return  # screenshots and tests never write the user's preferences
        try:
            save_prefs(self.prefs, self.data_dir)
        except OSError as exc:
            self.notify(f"Preferences not saved: {exc}", severity="warning")

    def key_for(self, binding: Binding) -> str:
        """The key(s) of a binding as the keymap has them (`actions.keys_of` reads the same map)."""
        return self.keymap.get(binding.id, binding.key) if binding.id else binding.key


