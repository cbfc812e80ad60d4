"""`LinkingService`: the Link customers use case for one session (store + events + client).

It builds the four tabs from the local customers, the accounts cache and the matcher, with every
decision already taken passed in so a re-run never undoes one; plans an action on a selection
(what runs, what is refused and why, what it costs); runs it row by row through a dispatch table
of one handler per action, batching the store writes; and keeps the last local-only action for
undo. No Textual here: the UI runs these coroutines in a worker and renders `RowResult`s and
events; `exact-tui link --accept` runs the same plan headless.

Why over 400 lines: one class whose state (tabs, accounts, undo, pending writes) plan, run and undo share;
everything that stands alone already has its own module beside it (actions, records, handlers, merge, …).
"""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ...domain.customer import CustomerNumbers, LocalCustomer, customer_number_problem
from ...domain.ignored import IgnoredAccount
from ...domain.link import Link
from ..cache import SessionCache
from ..events import Event, EventBus, Level, Side
from . import problems as link_problems
from . import review
from .accounts import ACCOUNT_ENTITY, AccountCache, is_customer
from .actions import TAB_TITLES, TABS, Action, Cancel, Tab
from .fields import COMPARED
from .merge import LinkDiff, changes_for_exact, link_diff, number_fix
from .problems import LinkProblem, find_problems
from .records import ActionReport, ExactAccount, Pending, Plan, Row, RowResult, link_event
from .handlers import HANDLERS, RowStep
from .undo import Undo, UndoStack, undo_last

RowCallback = Callable[[RowResult], None]

# A blocked Exact account refuses every invoice ("Blocked: Customer"): a bulk link would make links
# whose transfers are all refused, so it is skipped and named; a person can still link it on the card.
BLOCKED_REFUSAL = "refused: Exact account {code} is blocked in Exact, which refuses invoices to it"
BLOCKED_FIX = ("Unblock it in Exact and pull again, or link the customer to another account; to link it anyway, "
               "do it by hand on the customer card (F3), which warns that it is blocked.")


class LinkingService:
    """The Link customers use case for one session (store + events + client).

    `load()` / `refresh()` build the tabs; `plan()` says what an action would do; `run()` does it,
    row by row, reporting each row; `undo()` reverts the newest local-only step, again and again.
    """

    FLUSH_EVERY = 200  # links written to the store in batches: one TinyDB write per batch, not per row
    FLUSH_SECONDS = 2.0

    def __init__(self, store: Any, events: EventBus | None = None, client: Any = None, *,
                 division: int | None = None, user: str = "",
                 match_config: Any = None) -> None:
        self.store = store
        self.events = events or EventBus()
        self.client = client
        self.cache = AccountCache(store)
        self.division = division
        self.user = user
        self.match_config = match_config
        self.rows: dict[str, Row] = {}
        self.tabs: dict[str, dict[str, Row]] = {t: {} for t in TABS}
        self.customers: dict[str, LocalCustomer] = {}
        self.links: dict[str, Link] = {}  # exact_id -> Link
        self.ignored: dict[str, IgnoredAccount] = {}
        self.undo_stack = UndoStack()
        self.linked_count = 0
        self.proposed: dict[str, set[str]] = {}  # local_id -> exact ids of rows proposing it
        self.rejected: set[tuple[str, str]] = set()  # (exact_id, local_id) "not this pair"
        self.link_problems: dict[str, LinkProblem] = {}  # local_id -> the problem of its link
        self._announced: set[tuple[str, str, str]] = set()  # problems already in the log
        # where step 4 reads its counts (the session's cache): kept current after every change,
        # so step 4, the screen and `exact-tui match` never show different numbers
        self.counts_cache: SessionCache | None = None

    @classmethod
    def for_session(cls, session: Any) -> "LinkingService":
        client = getattr(session, "client", None)
        division = getattr(getattr(client, "config", None), "division", None) if client is not None else None
        try:  # the division chosen in step 2 wins over the client's current one
            division = session.store.settings.get().division or division
        except Exception:  # noqa: BLE001 - no settings yet: the connection's division
            pass
        me = getattr(session, "me", None)
        service = cls(session.store, session.events, client, division=division,
                      user=getattr(me, "user_name", "") or getattr(session, "profile", ""))
        cache = getattr(session, "cache", None)
        service.counts_cache = cache if isinstance(cache, SessionCache) else None
        return service

    def publish_counts(self) -> None:
        """Give step 4 the counts the screen shows now (it would otherwise keep the old numbers)."""
        if self.counts_cache is not None:
            from .counts import counts_of

            self.counts_cache.link_counts = counts_of(self)

    # -- building the tabs ----------------------------------------------------------------------
    async def pull(self) -> int:
        """Bring the accounts cache up to date (one `sync/` pull from the stored Timestamp)."""
        if self.client is None:
            raise RuntimeError("not connected to Exact Online: connect first to pull the Exact customers")
        self.cache.load(self.division)
        first = self.cache.timestamp is None
        self.events.info("Pulling Exact accounts" + (" (first time: all of them)" if first else " changed since last time"),
                         side=Side.EXACT, topic="link")
        pulled = await self.client.sync_accounts(self.cache.timestamp)
        # sync/ endpoints never show deletions: sync/Deleted lists them (all entity types, ~2 months)
        removed = await self.client.sync_deleted(self.cache.deleted_timestamp)
        deleted = {str(r.entity_key) for r in removed.rows
                   if r.entity_type == ACCOUNT_ENTITY and r.entity_key}
        gone = len(deleted & set(self.cache.accounts))
        changed = self.cache.merge(pulled.rows, pulled.timestamp, self.division, deleted=deleted,
                                   deleted_timestamp=removed.timestamp)
        self.events.info(f"{changed:,} Exact account{'s' if changed != 1 else ''} pulled"
                         + (f", {gone:,} deleted in Exact removed" if gone else "")
                         + f"; {len(self.cache.accounts):,} in the cache", side=Side.EXACT, topic="link")
        return changed

    def use_accounts(self, accounts: Iterable[Any], *, complete: bool = False) -> None:
        """Give the accounts directly (tests, benches, a CSV of accounts) instead of pulling.

        `complete=True` says these are all of the division's accounts: a linked account missing
        from them is then reported as deleted in Exact."""
        self.cache.accounts = {a.id: a for a in (ExactAccount.from_record(x) for x in accounts)}
        self.cache.complete = complete

    def rebuild(self) -> dict[str, int]:
        """Re-read decisions and local customers, re-run the matcher; keeps every decision taken.

        The candidate a user chose in More matches survives too (by local id).
        """
        from ...matching import Decisions, MatchRecord, match

        chosen = {r.id: r.local_id for r in self.rows.values() if r.choice}
        results = {r.id: (r.result, r.problem) for r in self.rows.values() if r.result or r.problem}
        self.customers = {c.id: c for c in self.store.customers.all()}
        self.links = {link.exact_id: link for link in self.store.links.all()}
        self.ignored = {i.exact_id: i for i in self.store.ignored.all()}
        accounts = [a for a in self.cache.accounts.values() if is_customer(a)]
        exact = [MatchRecord(a.id, a.name, a.address, a.postcode, a.city, a.country, a.email, a.phone, a.vat,
                             a.coc, a.code, a.website) for a in accounts]
        local = [MatchRecord(c.id, c.name, c.address, c.postcode, c.city, c.country, c.email, c.phone, c.vat,
                             c.coc, c.number, c.website) for c in self.customers.values()]
        rejected_repo = getattr(self.store, "rejected", None)
        self.rejected = rejected_repo.pairs() if rejected_repo is not None else set()
        decisions = Decisions(links={e: link.local_id for e, link in self.links.items()},
                              ignored=set(self.ignored), rejected=set(self.rejected))
        result = match(exact, local, decisions=decisions, config=self.match_config)
        self.linked_count = len(result.linked)
        by_id = {a.id: a for a in accounts}
        self.rows = {}
        self.proposed = {}
        self.tabs = {t: {} for t in TABS}
        for exact_id, cand in result.one.items():
            self.add(Row(by_id[exact_id], Tab.ONE, [cand]))
        for exact_id, cands in result.more.items():
            self.add(Row(by_id[exact_id], Tab.MORE, list(cands), notes=result.notes.view(exact_id)))
        for exact_id in result.none:
            self.add(Row(by_id[exact_id], Tab.NONE, notes=result.notes.view(exact_id)))
        for exact_id, cands in result.ignored.items():
            self.add(Row(by_id[exact_id], Tab.IGNORED, list(cands)))
        for exact_id in self.ignored:  # ignored accounts the matcher did not see (no longer customers)
            if exact_id in by_id and exact_id not in self.rows:
                self.add(Row(by_id[exact_id], Tab.IGNORED))
        for row in self.rows.values():
            want = chosen.get(row.id)
            if want:
                for i, cand in enumerate(row.candidates):
                    if cand.local_id == want:
                        row.choice = i
            if row.id in results:
                row.result, row.problem = results[row.id]
        for tab in TABS:
            self.sort_tab(tab)
        counts = self.counts()
        self.events.info("Matched: " + ", ".join(f"{counts[t]:,} {TAB_TITLES[t].lower()}" for t in TABS)
                         + f", {self.linked_count:,} linked", side=Side.LOCAL, topic="link")
        self._check_links()
        self.publish_counts()
        return counts

    # -- links that need the user ---------------------------------------------------------------
    def _check_links(self) -> None:
        """Find links whose Exact account was deleted or whose code drifted; each is logged once."""
        self.link_problems = find_problems(self.links, self.customers, self.cache.accounts,
                                           complete=self.cache.complete)
        for key, problem in self.link_problems.items():
            marker = (key, problem.kind, problem.account.code if problem.account else "")
            if marker in self._announced:
                continue
            self._announced.add(marker)
            record = f"customer {problem.customer.number or problem.local_id}" if problem.customer \
                else f"customer {problem.local_id}"
            self.events.emit(link_event(problem.text, Level.WARNING, Side.EXACT, record=record, detail=problem.fix))

    def resolve_problems(self, local_ids: Iterable[str]) -> str:
        """Fix the named linked-account problems (see `problems.resolve`); undoable."""
        return link_problems.resolve(self, local_ids)

    def add(self, row: Row) -> None:
        self.rows[row.id] = row
        for cand in row.candidates:
            self.proposed.setdefault(cand.local_id, set()).add(row.id)
        self.tabs[row.tab][row.id] = row

    def sort_tab(self, tab: Tab | str) -> None:
        """A tab's own order: best score first, then by name (a row put back by undo takes its place)."""
        ordered = sorted(self.tabs[tab].values(), key=lambda r: (-r.score, r.exact.name.casefold()))
        self.tabs[tab] = {r.id: r for r in ordered}

    def tab_rows(self, tab: Tab | str) -> list[Row]:
        return list(self.tabs[tab].values())

    def counts(self) -> dict[str, int]:
        return {t: len(self.tabs[t]) for t in TABS}

    def customer(self, local_id: str | None) -> LocalCustomer | None:
        return self.customers.get(local_id) if local_id else None

    def compare(self, row: Row) -> list[tuple[str, str, str]]:
        """(label, Exact value, local value) for the detail panel, field by field."""
        customer = self.customer(row.local_id)
        return [(f.short, row.exact.value(f.key), getattr(customer, f.key, "") if customer else "")
                for f in COMPARED]

    # -- planning -------------------------------------------------------------------------------
    def allowed(self, action: Action, row: Row, local_links: dict[str, Link] | None = None) -> str | None:
        """Why `action` cannot apply to `row` (None when it can)."""
        if row.id not in self.rows or self.rows[row.id] is not row:
            return "no longer in this list (already handled)"
        if action is Action.UNIGNORE and row.tab != Tab.IGNORED:
            return "not ignored"
        if action is Action.IGNORE and row.tab == Tab.IGNORED:
            return "already ignored"
        if action is Action.REJECT and row.local_id is None:
            return "no local customer proposed: nothing to reject"
        if action in (Action.LINK_EXACT, Action.LINK_LOCAL):
            if row.local_id is None:
                return "no local customer proposed: import it as a new customer or ignore it"
            if row.local_id not in self.customers:
                return f"local customer {row.local_id} no longer exists"
            other = (self._local_links() if local_links is None else local_links).get(row.local_id)
            if other is not None:
                return (f"local customer {row.local_id} is already linked to Exact account "
                        f"{other.exact_code or other.exact_id}; unlink that first")
        return None

    def _local_links(self) -> dict[str, Link]:
        return {link.local_id: link for link in self.links.values()}

    def plan(self, action: Action, rows: Sequence[Row]) -> Plan:
        """Split the selection into what will run and what is refused (with the reason on the row)."""
        ok: list[Row] = []
        refused: list[RowResult] = []
        changes: dict[str, dict[str, tuple[str, str]]] = {}
        taken: dict[str, str] = {}
        local_links = self._local_links()
        for row in rows:
            why = self.allowed(action, row, local_links)
            if why is None and action in (Action.LINK_EXACT, Action.LINK_LOCAL):
                other = taken.get(row.local_id or "")
                if other:
                    why = f"local customer {row.local_id} is also chosen for Exact account {other} in this selection"
            if why is None and action in (Action.LINK_EXACT, Action.LINK_LOCAL) and row.exact.blocked:
                refused.append(RowResult(row.id, False, BLOCKED_REFUSAL.format(code=row.exact.code or row.exact.name),
                                         BLOCKED_FIX, side=Side.EXACT))
                continue
            if why is None and action is Action.LINK_LOCAL:
                customer = self.customers[row.local_id]  # type: ignore[index]
                problem = customer_number_problem(customer.number)
                if problem:
                    refused.append(RowResult(row.id, False, f"refused: {problem}", number_fix(customer, problem)))
                    continue
                diff = changes_for_exact(customer, row.exact)
                if diff:
                    changes[row.id] = diff
            if why is not None:
                refused.append(RowResult(row.id, False, f"refused: {why}"))
                continue
            if row.local_id:
                taken[row.local_id] = row.exact.code or row.id
            ok.append(row)
        return Plan(action, ok, refused, changes)

    def diff(self, plan: Plan) -> LinkDiff:
        """What a link plan changes per account and field, on the side it overwrites (Exact for
        "link and use local data", local for "link and use data from Exact"), by the merge rule."""
        if plan.action not in (Action.LINK_EXACT, Action.LINK_LOCAL):
            raise ValueError(f"{plan.action.label} changes no customer fields")
        pairs = [(self.customers[row.local_id], row.exact) for row in plan.rows if row.local_id in self.customers]
        to_exact = plan.action is Action.LINK_LOCAL
        return link_diff(to_exact, pairs, plan.changes if to_exact else None)

    # -- running --------------------------------------------------------------------------------
    async def run(self, plan: Plan, *, on_row: RowCallback | None = None, cancel: Cancel | None = None) -> ActionReport:
        """Do the plan row by row. Local work is batched into the store; Exact calls go one at a time
        (the client paces them against the rate limit). Refused rows are reported first."""
        report = ActionReport(plan.action)
        cancel = Cancel() if cancel is None else cancel
        for refused in plan.refused:
            self._record(refused, report, on_row)
        undo = Undo(plan.action, plan.action.label)
        pending = Pending()
        total = len(plan.rows)
        step = max(1, total // 100)
        self.events.info(f"{plan.action.label}: {total:,} account{'s' if total != 1 else ''}", side=Side.LOCAL,
                         topic="link", progress=(0, total))
        try:
            for done, row in enumerate(plan.rows, 1):
                if cancel:
                    report.cancelled = True
                    break
                try:
                    result = await self._one(plan, row, undo, pending, report)
                except Exception as exc:  # noqa: BLE001 - every failure belongs on its row
                    result, stop = _failure(row, exc)
                    if stop:
                        self._record(result, report, on_row)
                        report.stopped = result.text
                        break
                self._record(result, report, on_row)
                if pending.due(self.FLUSH_EVERY, self.FLUSH_SECONDS):
                    self._flush(pending)
                if done % step == 0 or done == total:
                    self.events.emit(_progress(plan.action, done, total))
        finally:
            self._flush(pending)
            if plan.action.touches_exact and report.calls:
                self.undo_stack.cut(plan.action.label)  # Exact changed: nothing before this can be undone safely
            elif undo.rows:
                self.undo_stack.push(undo)
            level = Level.WARNING if report.failed or report.cancelled or report.stopped else Level.SUCCESS
            self.events.emit(link_event(report.summary(), level, Side.EXACT if plan.action.touches_exact else Side.LOCAL))
        if report.ok:
            # a linked local customer was some other account's runner-up or rival: match again, so
            # the tabs and their counts are what `r` (or step 4, or `exact-tui match`) would show
            await asyncio.to_thread(self.rebuild)  # CPU work: off the event loop, the console keeps painting
        return report

    async def _one(self, plan: Plan, row: Row, undo: Undo, pending: Pending, report: ActionReport) -> RowResult:
        step = RowStep(plan, row, undo, pending, report, dt.datetime.now(dt.timezone.utc))
        return await HANDLERS[plan.action](self, step)

    def _link(self, row: Row, link: Link, undo: Undo, pending: Pending) -> None:
        pending.links.append(link)
        if self.ignored.pop(row.id, None) is not None:  # linking from Ignored: the store un-ignores in the same write
            undo.ignored_removed.append(IgnoredAccount(row.id, row.exact.name, row.exact.code))
        self.links[row.id] = link
        undo.links_added.append(link)
        undo.rows.append(dataclasses.replace(row))
        self.drop(row)
        self.linked_count += 1
        # the local customer is taken: other rows may no longer propose it
        for exact_id in self.proposed.get(link.local_id, ()):
            other = self.rows.get(exact_id)
            if other is not None and any(c.local_id == link.local_id for c in other.candidates):
                undo.touched.append((other, other.candidates, other.choice, other.tab))
                self._without_candidate(other, link.local_id)

    def _without_candidate(self, row: Row, local_id: str) -> None:
        current = row.local_id
        row.candidates = [c for c in row.candidates if c.local_id != local_id]
        row.choice = next((i for i, c in enumerate(row.candidates) if c.local_id == current), 0)
        if not row.candidates and row.tab != Tab.IGNORED:
            self.move(row, Tab.NONE)

    def _new_customer(self, account: ExactAccount) -> LocalCustomer:
        taken = {c.number for c in self.customers.values()}
        number = account.code if account.code and customer_number_problem(account.code) is None \
            and account.code not in taken else CustomerNumbers(list(taken), [a.code for a in self.cache.accounts.values()]).next_number()
        customer = LocalCustomer(id=f"exact-{uuid.uuid4().hex[:12]}", name=account.name, number=number,
                                 address=account.address, postcode=account.postcode, city=account.city,
                                 country=account.country, email=account.email, phone=account.phone, vat=account.vat,
                                 coc=account.coc, website=account.website)
        self.customers[customer.id] = customer
        return customer

    def _flush(self, pending: Pending) -> None:
        """Write what the last rows did: customers first, then links (a link never points at a customer
        that is not stored), then ignores; each repository in one write."""
        if pending.customers:
            self.store.customers.put_many(list(pending.customers.values()))
        if pending.links:
            self.store.links.link_many(pending.links)
        if pending.ignore:
            self.store.ignored.ignore_many(pending.ignore)
        if pending.unignore:
            self.store.ignored.delete_many(pending.unignore)
        if pending.reject:
            self.store.rejected.reject_many(pending.reject)
        if pending.accounts:
            self.cache.store_rows(pending.accounts)
        pending.clear()

    def _record(self, result: RowResult, report: ActionReport, on_row: RowCallback | None) -> None:
        report.results.append(result)
        row = self.rows.get(result.exact_id)
        if row is not None:
            row.result = result.text if result.ok else ""
            row.problem = "" if result.ok else (result.text + (f" — {result.fix}" if result.fix else ""))
        if not result.ok:
            side = result.side or (Side.LOCAL if result.text.startswith("refused") else Side.EXACT)
            self.events.emit(link_event(result.text, Level.WARNING, side,
                                        record=f"account {row.exact.code if row else result.exact_id}", detail=result.fix))
        if on_row:
            on_row(result)

    def drop(self, row: Row) -> None:
        self.rows.pop(row.id, None)
        self.tabs[row.tab].pop(row.id, None)

    def move(self, row: Row, tab: Tab | str) -> None:
        self.drop(row)
        row.tab = Tab(tab)
        self.add(row)

    # -- undo and the review CSV ------------------------------------------------------------------
    @property
    def last_undo(self) -> Undo | None:
        """The step `undo()` reverts next (None: nothing to undo)."""
        return self.undo_stack.top

    def undo_text(self) -> str | None:
        top = self.undo_stack.top
        if top is None:
            return None
        more = len(self.undo_stack) - 1
        return top.text() + (f" (and {more:,} step{'s' if more != 1 else ''} before it)" if more else "")

    def undo(self) -> str:
        """Revert the newest local-only step; called again, the one before it (see `undo.undo_last`)."""
        return undo_last(self)

    def export_csv(self, rows: Sequence[Row], path: Path) -> int:
        return review.export_csv(self, rows, path)

    def read_decisions(self, path: Path) -> review.DecisionImport:
        return review.read_decisions(self, path)

    def rows_for(self, pairs: Sequence[tuple[str, str | None]]) -> list[Row]:
        """The rows of imported decisions, with the chosen local customer set on each (added as a
        candidate when the matcher did not propose it: the reviewer knows better)."""
        from ...matching import Candidate

        out = []
        for exact_id, local_id in pairs:
            row = self.rows.get(exact_id)
            if row is None:
                continue
            if local_id:
                index = next((i for i, c in enumerate(row.candidates) if c.local_id == local_id), None)
                if index is None:
                    row.candidates.append(Candidate(exact_id, local_id, 0.0, {}, ("chosen in a reviewed CSV",),
                                                    rank=len(row.candidates) + 1))
                    index = len(row.candidates) - 1
                    self.proposed.setdefault(local_id, set()).add(exact_id)
                row.choice = index
            out.append(row)
        return out


def _failure(row: Row, exc: Exception) -> tuple[RowResult, bool]:
    """The row's failure in the user's words (cause, side, remedy), and whether the run must stop:
    a lost connection, a spent quota or a blocked endpoint would fail every following row the same way."""
    from ..problems import explain

    problem = explain(exc)
    detail = f" ({problem.detail})" if problem.detail else ""
    return RowResult(row.id, False, f"failed: {problem.what}{detail}", problem.todo), \
        bool(problem.reconnect or problem.retry_later)


def _progress(action: Action, done: int, total: int) -> Event:
    return Event(f"{action.label}: {done:,}/{total:,}", side=Side.EXACT if action.touches_exact else Side.LOCAL,
                 topic="link", progress=(done, total))

