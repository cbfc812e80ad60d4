"""The Link customers screen: four tabs of pairs, linked in bulk from the keyboard.

The screen never talks HTTP and never writes the store itself: `LinkingService` does the work in
a Textual worker; the screen shows its per-row results, its progress and its counts.

Why over 400 lines: bindings, modals and worker glue for every Link action; the logic is in services/linking/.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from rich.text import Text

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Tab, Tabs
from textual.widgets._tabs import Underline

from ...domain.wording import count, number
from ...services.linking import (TAB_TITLES, TABS, Action, ActionReport, Cancel, LinkingService, Plan, ProblemKind, plan_cost,
                                 RowResult)
from ...services.problems import Problem, explain
from .. import css
from ..calls import report_problem
from ..commands import ConsoleCommands
from ..screens.ask import AskValue
from ..screens.confirm import ConfirmScreen
from ..screens.help import HelpScreen
from ..screens.pick import PickScreen
from ..shown import printable, safe
from ..widgets.problem import ProblemBox
from .detail import DetailPanel
from .dialogs import candidate_choices, confirm_text, diff_choices, diff_text, problem_choices
from .status import StatusText
from .table import PairsTable

ACTION_KEYS = {Action.LINK_EXACT: "e", Action.LINK_LOCAL: "l", Action.IMPORT: "m", Action.IGNORE: "x",
               Action.REJECT: "N"}


class LinkTabs(Tabs):
    """The four tabs; the underline jumps to the active tab instead of sliding there for 0.3 s (a
    dozen extra frames, ~100 ms of CPU while a tab of 100,000 rows is shown), and in the same frame
    as the switch: Textual places it after the next refresh (`call_after_refresh`), so every switch
    drew the screen twice."""

    def _highlight_active(self, animate: bool = True) -> None:
        tab = self.active_tab
        if tab is None or not self._laid_out(tab):  # first layout, or a label's width changed: Textual's way
            super()._highlight_active(animate=False)
            return
        underline = self.query_one(Underline)
        underline.show_highlight = True
        underline.highlight_start, underline.highlight_end = tab.virtual_region.shrink(tab.styles.gutter).column_span

    def _laid_out(self, active: Tab) -> bool:
        """Whether the places from the last layout still hold up to `active`: every tab before it
        (and it) as wide as its label is now."""
        for tab in self.query("#tabs-list > Tab").results(Tab):
            if tab.display and tab.virtual_region.width != tab.label.cell_length + tab.styles.gutter.width:
                return False
            if tab is active:
                return True
        return False


class LinkCustomersScreen(Screen[None]):
    """`LinkCustomersScreen(session)`: push it; it pulls the Exact accounts, matches and shows the tabs."""

    CSS_PATH = [css.WIDGETS, css.SCREENS, css.LINKING]
    COMMANDS = {ConsoleCommands}  # the console's one provider: this screen's actions, then the console's
    AUTO_FOCUS = "PairsTable"
    BINDINGS = [
        Binding("1", "tab('one')", "One match", show=False, id="link.tab_one"),
        Binding("2", "tab('more')", "More matches", show=False, id="link.tab_more"),
        Binding("3", "tab('none')", "No match", show=False, id="link.tab_none"),
        Binding("4", "tab('ignored')", "Ignored", show=False, id="link.tab_ignored"),
        Binding("e", "act('link-exact')", "Link (Exact data)", id="link.link_exact"),
        Binding("l", "act('link-local')", "Link (local data)", id="link.link_local"),
        Binding("m", "act('import')", "Import", id="link.import"),
        Binding("x", "act('ignore')", "Ignore/un-ignore", id="link.ignore"),
        Binding("N", "act('reject')", "Not this pair", show=False, id="link.reject"),
        Binding("P", "problems", "Linked-account problems", show=False, id="link.problems"),
        Binding("u,ctrl+z", "undo", "Undo", id="link.undo"),
        Binding("slash", "filter", "Filter", id="link.filter"),
        Binding("greater_than_sign", "select_score", "Select score ≥", show=False, id="link.select_score"),
        Binding("left", "candidate(-1)", "Previous candidate", show=False, id="link.candidate_prev"),
        Binding("right", "candidate(1)", "Next candidate", show=False, id="link.candidate_next"),
        Binding("enter,p", "pick", "Pick candidate", show=False, id="link.pick"),
        Binding("d", "toggle_detail", "Detail", show=False, id="link.detail"),
        Binding("E", "export", "Export CSV", show=False, id="link.export"),
        Binding("I", "import_decisions", "Import decisions", show=False, id="link.import_decisions"),
        Binding("r", "rerun", "Re-match", show=False, id="link.rerun"),
        Binding("question_mark,f1", "keys", "Keys", id="link.keys"),
        Binding("escape", "escape", "Cancel/back", id="link.back"),
    ]

    def __init__(self, session: Any, *, service: LinkingService | None = None, pull: bool = True) -> None:
        super().__init__()
        self.session = session
        self.service = service or LinkingService.for_session(session)
        self.pull = pull and getattr(session, "client", None) is not None and service is None
        self.tab = "one"
        self.cancel: Cancel | None = None
        self.running: Action | None = None
        self.last_export: Path | None = None
        self._selections: dict[str, set[str]] = {}  # each tab keeps its own selection
        self._ready = service is not None and bool(service.rows or service.linked_count)
        self._detail_wanted = True
        self._detail_stamp: tuple[Any, ...] | None = None  # what the detail panel showed of its row
        self._labels: dict[str, str] = {}
        self._title = ""

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusText("Link customers", id="link-title")
        yield LinkTabs(*[Tab(self._tab_label(t, None), id=t) for t in TABS], id="link-tabs")
        yield Input(placeholder="/ filter: name, code, city, >=80, 60..80, city:utrecht, local:jansen",
                    id="link-filter")
        with Vertical(id="link-body"):
            yield PairsTable(local=self.service.customer, on_cursor=self._show_detail, on_view=self._update_selection,
                             id="pairs")
            yield DetailPanel(id="link-detail")
            yield ProblemBox(id="link-problem")
        with Horizontal(id="link-status"):
            yield StatusText("", id="link-selection")
            yield ProgressBar(total=100, show_eta=True, id="link-progress")
            yield StatusText("", id="link-message")
        yield Footer()

    @property
    def table(self) -> PairsTable:
        return self.query_one(PairsTable)

    def on_mount(self) -> None:
        self.query_one("#link-progress").display = False
        if self._ready:
            self._show_tab(self.tab)
        else:
            self.load()

    def on_resize(self, event: Any) -> None:
        """A short terminal (80×24 over SSH) keeps more rows for the table; the detail panel shrinks."""
        self.query_one(DetailPanel).styles.height = 10 if event.size.height >= 32 else 7
        self.query_one(Footer).compact = event.size.width < 120
        if self._ready:
            self._update_counts()

    def _tab_label(self, tab: str, count: int | None) -> str:
        return f"{TAB_TITLES[tab]} ({count:,})" if count is not None else TAB_TITLES[tab]

    def _update_counts(self) -> None:
        counts = self.service.counts()
        tabs = self.query_one(Tabs)
        for tab in TABS:
            label = self._tab_label(tab, counts[tab])
            if self._labels.get(tab) != label:  # a new label lays the tabs out again: only when it changed
                self._labels[tab] = label
                tabs.query_one(f"#{tab}", Tab).label = label
        linked = self.service.linked_count
        problems = len(self.service.link_problems)
        self._set_title(
            f"[b]Link customers[/] · {number(sum(counts.values()))} to decide · {number(linked)} linked"
            if self.size.width < 100 else  # 80 columns: short words, nothing cut mid-word
            f"[b]Link customers[/] · {count(sum(counts.values()), 'Exact customer')} to decide · {number(linked)} linked"
            + (f" · [b red]{count(problems, 'linked account')} {'needs' if problems == 1 else 'need'} you (P)[/]"
               if problems else "")
            + (f" · {self._budget()}" if self._budget() else ""))

    def _set_title(self, text: str) -> None:
        if text != self._title:
            self._title = text
            self.query_one("#link-title", StatusText).update(text)

    def _budget(self) -> str:
        text = getattr(self.session, "budget_text", None)
        try:
            value = text(with_reset=False) if callable(text) else ""
        except Exception:  # noqa: BLE001 - the header must never break the screen
            value = ""
        return "" if value in ("", "API —") else value

    # -- loading ---------------------------------------------------------------------------------
    @work(exclusive=True, group="link-load", exit_on_error=False)
    async def load(self, *, pull: bool | None = None) -> None:
        self._message("Pulling Exact accounts and matching…")
        service = self.service
        try:
            if self.pull if pull is None else pull:
                await service.pull()
            else:
                service.cache.load(service.division)
            await asyncio.to_thread(service.rebuild)
        except Exception as exc:  # noqa: BLE001 - shown with cause, side and remedy instead of crashing
            problem = explain(exc)
            self._message(Text.assemble(("Could not build the lists: ", "bold red"), printable(problem.what)))
            self.show_problem(problem)
            return
        self.show_problem(None)
        self._ready = True
        self._show_tab(self.tab, reuse=False)  # new rows: the kept sets are of the old ones
        self._message("")
        problems = self.service.link_problems
        if problems:
            self.notify(f"{count(len(problems), 'linked account')} deleted in Exact or "
                        "with a changed code: P lists them with what to do", title="Link customers",
                        severity="warning", timeout=8)

    def _show_tab(self, tab: str, *, reuse: bool = True) -> None:
        if self.tab != tab:  # the set itself is handed over, not copied (80,000 ids after `a`)
            self._selections[self.tab] = self.table.selected
            self.table.selected = self._selections.setdefault(tab, set())
        self.tab = tab
        tabs = self.query_one(Tabs)
        if tabs.active != tab:
            tabs.active = tab
        # reuse: a tab's rows change in place only through `refresh_rows` (which forgets), so what
        # filter and sort computed for the same rows is still right
        self.table.set_rows(self.service.tab_rows(tab), keep_cursor=False, reuse=reuse)
        self._update_counts()
        self._update_selection()

    @on(Tabs.TabActivated)
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if self._ready and event.tab.id and event.tab.id != self.tab:
            self._show_tab(event.tab.id)
            self.table.focus()

    def action_tab(self, tab: str) -> None:
        if self._ready:
            self._show_tab(tab)

    # -- status ----------------------------------------------------------------------------------
    def show_problem(self, problem: Problem | None, *, log: bool = True) -> None:
        """A failure in the place of the detail panel (what, cause, side, what to do); None clears it."""
        box = self.query_one(ProblemBox)
        detail = self.query_one(DetailPanel)
        if problem is None:
            if box.has_class("-shown"):
                box.show_problem(None)
                detail.display = self._detail_wanted
            return
        if log:
            report_problem(self, problem, topic="link", show=self._show_box)
        else:
            self._show_box(problem)

    def _show_box(self, problem: Problem | None) -> None:
        box = self.query_one(ProblemBox)
        detail = self.query_one(DetailPanel)
        if not box.has_class("-shown"):
            self._detail_wanted = bool(detail.display)
        detail.display = False
        box.show_problem(problem)
        self.notify(f"{problem.what} ({problem.side.value})", title="Problem", severity="error", timeout=6)

    def _message(self, text: str | Text) -> None:
        """The last result: it names accounts, files and Exact's words, so a string is shown literally."""
        self.query_one("#link-message", StatusText).update(text if isinstance(text, Text) else safe(text))

    def _update_selection(self) -> None:
        """The selection line (the table calls it when its selection or view changed, before drawing)."""
        try:
            line = self.query_one("#link-selection", StatusText)
        except NoMatches:  # not composed yet
            return
        table = self.table
        sort = f" · sort: {table.sort_key}{' ↓' if table.sort_reverse else ' ↑'}" if table.sort_key else ""
        shown = f"{len(table.view):,}" + (f" of {len(table.rows):,}" if len(table.view) != len(table.rows) else "")
        line.update(f"[b]{len(table.selected):,} selected[/] · {shown} shown{sort}")

    def _show_detail(self, row: Any | None) -> None:
        """The table's cursor is on `row` (called by the table before it is drawn: one frame for both).
        The same row as shown, unchanged (a sort or filter keeps the cursor on it), is not drawn again."""
        try:
            detail = self.query_one(DetailPanel)
        except NoMatches:  # not composed yet
            return
        if detail.display:
            stamp = None if row is None else (row.choice, row.result, row.problem, len(row.notes),
                                              id(self.service.customer(row.local_id)))
            if row is not None and detail.row is row and stamp == self._detail_stamp:
                return
            self._detail_stamp = stamp
            detail.show(self.service, row)

    # -- filter ----------------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one("#link-filter", Input).focus()

    @on(Input.Changed, "#link-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)

    @on(Input.Submitted, "#link-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.table.focus()

    def action_escape(self) -> None:
        if self.cancel is not None and self.running is not None:
            self.cancel.set()
            self._message("Cancelling after the current account…")
            return
        filter_input = self.query_one("#link-filter", Input)
        if filter_input.has_focus:
            self.table.focus()
            return
        if self.query_one(ProblemBox).has_class("-shown"):
            self.show_problem(None)
            return
        self.dismiss(None)

    # -- candidates ------------------------------------------------------------------------------
    def action_candidate(self, delta: int) -> None:
        row = self.table.current_row
        if row is None or len(row.candidates) < 2:
            return
        row.choice = (row.choice + delta) % len(row.candidates)
        row.problem = ""
        self.table.refresh_rows()
        self.query_one(DetailPanel).show(self.service, row)

    def action_pick(self) -> None:
        row = self.table.current_row
        if row is None or not row.candidates:
            return
        def chosen(index: str | None) -> None:
            if index is not None:
                row.choice = int(index)
                row.problem = ""
                self.table.refresh_rows()
                self.query_one(DetailPanel).show(self.service, row)

        self.app.push_screen(PickScreen(f"Local customer for {row.exact.code} {row.exact.name}",
                                        candidate_choices(self.service, row), current=row.choice, filter=False,
                                        hint="↑/↓ choose · Enter take · Esc cancel"), chosen)

    # -- selection helpers -----------------------------------------------------------------------
    def action_select_score(self) -> None:
        def check(value: str) -> str | None:
            try:
                number = float(value.strip().lstrip(">=").strip())
            except ValueError:
                return "type a number between 0 and 100, e.g. 90"
            return None if 0 <= number <= 100 else "the score runs from 0 to 100"

        def chosen(value: str | None) -> None:
            if value is None:
                return
            threshold = float(value.strip().lstrip(">=").strip())
            added = self.table.select_where(lambda r: bool(r.candidates) and r.score >= threshold)
            self._message(f"{count(added, 'row')} with score ≥ {threshold:g} added to the selection")

        self.app.push_screen(AskValue("Select all shown rows with score ≥", "A number from 0 to 100; Enter "
                                      "selects, Esc cancels.", "90", check=check), chosen)

    def action_keys(self) -> None:
        self.app.push_screen(HelpScreen(first="link", title="Link customers: keys"))

    def action_toggle_detail(self) -> None:
        self.show_problem(None)
        detail = self.query_one(DetailPanel)
        detail.display = not detail.display
        if detail.display:
            detail.show(self.service, self.table.current_row)

    # -- the four actions ------------------------------------------------------------------------
    def _target_rows(self) -> list[Any]:
        table = self.table
        if table.selected:
            return table.selected_rows
        row = table.current_row
        return [row] if row is not None else []

    def action_act(self, name: str) -> None:
        if not self._ready:
            return
        if self.running is not None:
            self.notify("An action is still running (Esc cancels it)", severity="warning")
            return
        action = Action(name)
        if action is Action.IGNORE and self.tab == "ignored":
            action = Action.UNIGNORE
        rows = self._target_rows()
        if not rows:
            self.notify("Nothing selected: space selects a row, a selects all shown", severity="warning")
            return
        plan = self.service.plan(action, rows)
        if action.touches_exact and plan.api_calls:
            if getattr(self.session, "client", None) is None and self.service.client is None:
                self.notify("Not connected to Exact Online: connect in step 1 to update Exact accounts",
                            severity="error")
                return
            diff = self.service.diff(plan)
            self._confirm_link(plan, diff, confirm_text(plan, self.service.client) + "\n\n" + diff_text(diff))
            return
        if action is Action.LINK_EXACT and plan.rows:
            diff = self.service.diff(plan)
            if diff.warnings:  # local data would be overwritten by what may be another company's
                self._confirm_link(plan, diff, f"{count(len(plan.rows), 'account')} will be linked and local "
                                   "fields overwritten with Exact's (u undoes).\n\n" + diff_text(diff))
                return
        self._start(plan)

    def _confirm_link(self, plan: Plan, diff: Any, body: str) -> None:
        """The link's question with its field diff; v lists every changing account (type to filter)."""
        def each() -> None:
            side = "in Exact" if diff.side == "Exact" else "locally"
            self.app.push_screen(PickScreen(f"{count(len(diff.accounts), 'account')} change {side}",
                                            diff_choices(diff), hint="type to filter · ↑/↓ read · Enter/Esc back"))

        self.app.push_screen(ConfirmScreen(f"{plan.action.label}?", body, yes="Yes, go",
                                           details=("Each account", each) if diff.accounts else None),
                             lambda yes: self._start(plan) if yes else None)

    def _start(self, plan: Plan | list[Plan]) -> None:
        plans = plan if isinstance(plan, list) else [plan]
        self.cancel = Cancel()
        self.running = plans[0].action
        self.run_actions(plans)

    @work(exclusive=True, group="link-action", exit_on_error=False)
    async def run_actions(self, plans: list[Plan]) -> None:
        progress = self.query_one("#link-progress", ProgressBar)
        total = sum(len(p.rows) + len(p.refused) for p in plans)
        progress.update(total=max(total, 1), progress=0)
        progress.display = True
        state = {"done": 0, "shown": 0}
        table = self.table

        def on_row(result: RowResult) -> None:
            state["done"] += 1
            if state["done"] - state["shown"] >= max(1, total // 200) or state["done"] == total:
                state["shown"] = state["done"]
                progress.update(progress=state["done"])
                table.refresh_rows()

        reports: list[ActionReport] = []
        try:
            for plan in plans:
                self.running = plan.action
                self._message(f"{plan.action.label}… (Esc cancels)")
                reports.append(await self.service.run(plan, on_row=on_row, cancel=self.cancel))
                if self.cancel:
                    break
        except Exception as exc:  # noqa: BLE001 - the service reports per row; this is the unexpected rest
            self.show_problem(explain(exc))
        finally:
            self.running = None
            self.cancel = None
            progress.display = False
        failed = {r.exact_id for report in reports for r in report.failed}
        self._after_action(reports, failed)

    def _after_action(self, reports: list[ActionReport], failed: set[str]) -> None:
        table = self.table
        table.selected = set(failed)
        table.set_rows(self.service.tab_rows(self.tab))
        self._update_counts()
        self._update_selection()
        text = " · ".join(r.summary() for r in reports)
        undo = self.service.undo_text()
        if undo:
            text += " · u undoes"
        self._message(text)
        severity = "warning" if failed or any(r.cancelled for r in reports) else "information"
        self.notify(text + (f"\n{count(len(failed), 'failed row')} stay selected with the reason (j jumps to the next)"
                            if failed else ""), title="Link customers", severity=severity, timeout=6)

    def action_undo(self) -> None:
        if self.running is not None:
            return
        self._undo()

    @work(exclusive=True, group="link-undo", exit_on_error=False)
    async def _undo(self) -> None:
        """Undo matches again (see `undo_last`): off the event loop, as after a step."""
        try:
            text = await asyncio.to_thread(self.service.undo)
        except LookupError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.table.set_rows(self.service.tab_rows(self.tab))
        self._update_counts()
        following = self.service.undo_text()
        self._message(text + (f" · u undoes {following}" if following else ""))
        self.notify(text, title="Link customers")

    # -- CSV and re-matching ---------------------------------------------------------------------
    def _folder(self) -> Path:
        """Where exports go: the profile folder — or, in the demo (whose throw-away profile is deleted on
        quit), the current directory, so a demo export is still there afterwards."""
        if getattr(self.session, "demo", None) is not None:
            return Path.cwd()
        return Path(getattr(self.session, "profile_dir", None) or Path.cwd())

    def action_export(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        default = self._folder() / "exports" / f"link-{self.tab}-{stamp}.csv"

        def chosen(value: str | None) -> None:
            if not value:
                return
            path = Path(value).expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                written = self.service.export_csv(self.table.visible_rows, path)
            except OSError as exc:
                self.show_problem(explain(exc))
                return
            self.last_export = path
            self._message(f"{count(written, 'row')} written to {path}; fill the 'decision' column and import with I")
            self.notify(f"{count(written, 'row')} exported to {path}", title="Export")

        self.app.push_screen(AskValue(f"Export {TAB_TITLES[self.tab]} ({count(len(self.table.view), 'row')} shown) to CSV",
                                      "Decisions you can fill in the 'decision' column: link-exact, link-local, "
                                      "import, ignore, unignore, reject (not this pair; or leave empty).", str(default)), chosen)

    def action_import_decisions(self) -> None:
        def chosen(value: str | None) -> None:
            if not value:
                return
            try:
                read = self.service.read_decisions(Path(value).expanduser())
            except Exception as exc:  # noqa: BLE001 - an unreadable file is shown with what to do
                self.show_problem(explain(exc))
                return
            for problem in read.problems[:5]:
                self.notify(problem, title="Import decisions", severity="warning", timeout=8)
            if len(read.problems) > 5:
                self.notify(f"… and {len(read.problems) - 5} more problems (see the log)", severity="warning")
            for problem in read.problems:
                self.service.events.warning(problem, topic="link")
            if not read.count:
                self._message("No decisions to apply in that file")
                return
            order = (Action.REJECT, Action.IGNORE, Action.UNIGNORE, Action.LINK_EXACT, Action.IMPORT, Action.LINK_LOCAL)
            plans = [self.service.plan(a, self.service.rows_for(read.decisions[a])) for a in order if a in read.decisions]
            body = "\n".join(f"{p.action.label}: {len(p.rows):,}" + (f" ({len(p.refused):,} refused)" if p.refused else "")
                             for p in plans)
            calls = plan_cost(plans).calls
            body += f"\n\n[b]{count(calls, 'Exact account')} change ({count(calls, 'API call')}).[/]"
            self.app.push_screen(ConfirmScreen(f"Apply {count(read.count, 'decision')} from {Path(value).name}?", body,
                                               yes="Yes, go"),
                                 lambda yes: self._start(plans) if yes else None)

        self.app.push_screen(AskValue("Import decisions from a reviewed CSV", "The file must be an export of this "
                                      "screen with the 'decision' column filled.",
                                      str(self.last_export or self._folder() / "exports")), chosen)

    def action_problems(self) -> None:
        """List links whose Exact account was deleted or whose code changed; fix one or all."""
        if not self._ready or self.running is not None:
            return
        problems = list(self.service.link_problems.values())
        if not problems:
            self.notify("Every linked Exact account still exists with the code it was linked with",
                        title="Linked accounts")
            return

        def chosen(picked: str | None) -> None:
            if not picked:
                return
            local_ids = [p.local_id for p in problems] if picked == PickScreen.ALL else [picked]
            try:
                text = self.service.resolve_problems(local_ids)
            except Exception as exc:  # noqa: BLE001 - a store refusal is shown, not a crash
                self.show_problem(explain(exc))
                return
            self.table.set_rows(self.service.tab_rows(self.tab))
            self._update_counts()
            self._message(f"{text} · u undoes")
            self.notify(text, title="Linked accounts")

        deleted = sum(1 for p in problems if p.kind is ProblemKind.DELETED)
        self.app.push_screen(PickScreen(
            f"Linked accounts that need you: {deleted:,} deleted in Exact, {len(problems) - deleted:,} code changed",
            problem_choices(problems), filter=False, all_label="Fix all",
            hint="↑/↓ choose · Enter fix the highlighted one · a fix all · Esc close (links stay as they are) · "
                 "u on the Link screen undoes a fix"), chosen)

    def action_rerun(self) -> None:
        """Pull what changed in Exact, re-read local customers, match again; decisions are kept."""
        if self.running is None:
            self.load(pull=getattr(self.session, "client", None) is not None)
