"""Link customers: pair every Exact customer account with its local customer, in bulk.

The screen shows four tabs (One match, More matches, No match, Ignored) built here from the
store's local customers, a cache of Exact accounts (pulled cheaply through `sync/CRM/Accounts`
with the stored Timestamp) and the matcher, with every decision already taken (links, ignored
accounts) passed in so a re-run never undoes one.

The four actions, and why they look the way they do:

* **Link and use data from Exact** — local fields are overwritten by Exact's, but an empty Exact
  field never wipes a filled local one (Exact is often the thinner record). Local only: undoable.
* **Link and use local data** — the Exact account is updated with the local fields; empty local
  fields are not sent, fields that already agree are not sent (fewer calls against the 60/minute
  budget), and `Code` is never sent in a PUT (Exact may refuse even an unchanged code). A local
  customer whose number breaks the customer-number rule is refused with the fix on the row.
  Touches Exact: not undoable; every change is in the log with old and new values.
* **Import to local as new customer** — the Exact account becomes a new local customer, linked.
* **Ignore** — the account moves to Ignored; from there it can be un-ignored, linked or imported.
* **Not this pair** — the proposed local customer is rejected for this account: stored, never
  proposed again by a re-run (the matcher's `Decisions.rejected`). Local only: undoable.

Links already made are watched too (facts §5: deletions behind the integration's back must be
noticed): a pull also reads `sync/Deleted`, so accounts deleted in Exact leave the cache, and a
link whose account is gone, or whose account's `Code` no longer is the code it was linked with,
becomes a `LinkProblem` — shown on the screen and in the log with what to do, the link kept until
the user acts (`resolve_problems`).

No Textual here: the UI runs these coroutines in a worker and renders `RowResult`s and the
`EventBus` events; the headless CLI could do the same.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..domain.customer import LocalCustomer, customer_number_problem, strip_account_code, CustomerNumbers
from ..domain.ignored import IgnoredAccount
from ..domain.link import DataSource, Link
from ..store.decisions import RejectedPair
from .events import EventBus, Level, Side

TABS: tuple[str, ...] = ("one", "more", "none", "ignored")
_ACCOUNT_ENTITY = 2  # sync/Deleted EntityType of crm/Accounts (DeletedRecord.ACCOUNT)
TAB_TITLES = {"one": "One match", "more": "More matches", "none": "No match", "ignored": "Ignored"}

# Local customer field -> Exact account field (crm/Accounts name) for the merge in either direction.
MERGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"), ("address", "AddressLine1"), ("postcode", "Postcode"), ("city", "City"),
    ("country", "Country"), ("email", "Email"), ("phone", "Phone"), ("vat", "VATNumber"),
    ("coc", "ChamberOfCommerce"), ("website", "Website"),
)
FIELD_LABELS = {"name": "Name", "number": "Number / code", "address": "Address", "postcode": "Postcode",
                "city": "City", "country": "Country", "email": "E-mail", "phone": "Phone", "vat": "VAT",
                "coc": "KvK", "website": "Website"}


class Action(StrEnum):
    LINK_EXACT = "link-exact"  # link, local fields <- Exact's
    LINK_LOCAL = "link-local"  # link, Exact account <- local fields
    IMPORT = "import"  # new local customer from the Exact account
    IGNORE = "ignore"
    UNIGNORE = "unignore"
    REJECT = "reject"  # "not this pair": the proposed local customer is never proposed again

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def touches_exact(self) -> bool:
        return self is Action.LINK_LOCAL


ACTION_LABELS = {Action.LINK_EXACT: "Link and use data from Exact", Action.LINK_LOCAL: "Link and use local data",
                 Action.IMPORT: "Import to local as new customer", Action.IGNORE: "Ignore",
                 Action.UNIGNORE: "Un-ignore", Action.REJECT: "Not this pair"}


# -- the records a row shows ---------------------------------------------------------------------------
@dataclass(slots=True)
class ExactAccount:
    """The fields of an Exact account the linking needs (cached between runs; `code` stripped)."""

    id: str
    name: str = ""
    code: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    vat: str = ""
    coc: str = ""
    website: str = ""
    status: str = ""
    timestamp: int | None = None

    @classmethod
    def from_record(cls, record: Any) -> "ExactAccount":
        """From the client's `Account` record (or anything with the same attribute names)."""
        get = (lambda k: record.get(k)) if isinstance(record, dict) else (lambda k: getattr(record, k, None))
        return cls(id=str(get("id")), name=get("name") or "", code=strip_account_code(get("code")),
                   address=get("address") or "", postcode=get("postcode") or "", city=get("city") or "",
                   country=get("country") or "", email=get("email") or "", phone=get("phone") or "",
                   vat=get("vat") or "", coc=get("coc") or "", website=get("website") or "",
                   status=get("status") or "", timestamp=get("timestamp"))

    def value(self, local_field: str) -> str:
        return self.code if local_field == "number" else getattr(self, local_field, "") or ""


@dataclass(slots=True, eq=False)
class Row:
    """One Exact account in a tab, with its candidates and what happened to it.

    `choice` indexes `candidates` (More matches: the user picks with ←/→ or the picker). `result`
    is the outcome of the last action on it; `problem` keeps a refusal or failure reason and how
    to fix it, so the row says it until the next attempt.
    """

    exact: ExactAccount
    tab: str
    candidates: list[Any] = field(default_factory=list)  # matching Candidates, best first
    choice: int = 0
    notes: list[str] = field(default_factory=list)
    result: str = ""
    problem: str = ""

    @property
    def id(self) -> str:
        return self.exact.id

    @property
    def candidate(self) -> Any | None:
        if not self.candidates:
            return None
        return self.candidates[min(self.choice, len(self.candidates) - 1)]

    @property
    def local_id(self) -> str | None:
        cand = self.candidate
        return cand.local_id if cand is not None else None

    @property
    def score(self) -> float:
        cand = self.candidate
        return float(cand.score) if cand is not None else 0.0


@dataclass(slots=True)
class RowResult:
    """What one action did to one row: `ok`, a short text for the row, and for failures the fix."""

    exact_id: str
    ok: bool
    text: str
    fix: str = ""
    exact_changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # Exact field -> (old, new)


@dataclass(slots=True)
class ActionReport:
    action: Action
    results: list[RowResult] = field(default_factory=list)
    cancelled: bool = False
    calls: int = 0
    stopped: str = ""  # why the run stopped early (connection lost, quota spent), rest untouched

    @property
    def ok(self) -> list[RowResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if not r.ok]

    def summary(self) -> str:
        text = f"{self.action.label}: {len(self.ok):,} done"
        if self.failed:
            text += f", {len(self.failed):,} failed"
        if self.action.touches_exact:
            text += f", {self.calls:,} Exact call{'s' if self.calls != 1 else ''}"
        if self.cancelled:
            text += " (cancelled; the rest untouched)"
        if self.stopped:
            text += " (stopped early: the rest untouched)"
        return text


@dataclass(slots=True)
class Plan:
    """What a bulk action would do, before doing it: the confirmation names these numbers."""

    action: Action
    rows: list[Row]
    refused: list[RowResult]
    changes: dict[str, dict[str, tuple[str, str]]]  # exact_id -> Exact field -> (old, new), link-local only

    @property
    def api_calls(self) -> int:
        return len(self.changes) if self.action is Action.LINK_LOCAL else 0

    @property
    def accounts_changing(self) -> int:
        return self.api_calls


class ProblemKind(StrEnum):
    DELETED = "deleted"  # the linked Exact account was deleted in Exact
    CODE = "code"  # the linked Exact account's Code changed since it was linked


@dataclass(slots=True)
class LinkProblem:
    """A link that needs the user: its Exact account is gone, or its code drifted.

    `text` says what happened (record named), `fix` what to do; `fix_label` names what
    `resolve_problems` does for it (unlink / accept the new code).
    """

    kind: ProblemKind
    link: Link
    customer: LocalCustomer | None
    account: ExactAccount | None
    text: str
    fix: str

    @property
    def local_id(self) -> str:
        return self.link.local_id

    @property
    def fix_label(self) -> str:
        return "unlink" if self.kind is ProblemKind.DELETED else "accept the new code"


@dataclass(slots=True)
class _Undo:
    action: Action
    customers_before: dict[str, LocalCustomer | None]  # local_id -> record before (None: created)
    links_added: list[Link]
    ignored_added: list[IgnoredAccount]
    ignored_removed: list[IgnoredAccount]
    rows: list[Row]  # the rows as they were (tab, candidates), to put back
    description: str
    touched: list[tuple[Row, list[Any], int, str]] = field(default_factory=list)  # rows that lost a candidate
    rejected_added: list[RejectedPair] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)  # problem fixes: links unlinked or changed,
    links_before: list[Link] = field(default_factory=list)  # as they were


@dataclass(slots=True)
class _Pending:
    """Store writes collected over a batch of rows."""

    links: list[Link] = field(default_factory=list)
    customers: dict[str, LocalCustomer] = field(default_factory=dict)
    ignore: list[IgnoredAccount] = field(default_factory=list)
    unignore: list[str] = field(default_factory=list)
    reject: list[RejectedPair] = field(default_factory=list)
    accounts: list[ExactAccount] = field(default_factory=list)  # cache rows we changed in Exact
    since: float = field(default_factory=time.monotonic)

    def size(self) -> int:
        return len(self.links) + len(self.customers) + len(self.ignore) + len(self.unignore) + len(self.reject)

    def due(self, every: int, seconds: float) -> bool:
        """Flush by count, or by time when rows are slow (each waits for Exact): a crash loses little."""
        size = self.size()
        return size >= every or (size > 0 and time.monotonic() - self.since >= seconds)

    def clear(self) -> None:
        self.links.clear(); self.customers.clear(); self.ignore.clear(); self.unignore.clear(); self.reject.clear()
        self.accounts.clear()
        self.since = time.monotonic()


class Cancel:
    """Cooperative cancel: set from the UI, checked between rows (a PUT in flight is never cut off)."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def __bool__(self) -> bool:
        return self._set


# -- for the screen: words and comparisons the UI shows (the UI imports services, not the matcher) ----
def reasons(row: Row) -> list[str]:
    """The matcher's reasons for the row's chosen candidate, with the score's sum."""
    from ..matching import explain

    cand = row.candidate
    return explain(cand, detail=True) if cand is not None else []


def same_value(field_name: str, exact_value: str, local_value: str) -> bool:
    """Whether two values are the same for a person reading them (postcodes as the matcher reads them)."""
    if field_name == "postcode":
        from ..matching import normalise_postcode

        return normalise_postcode(exact_value) == normalise_postcode(local_value)
    return exact_value.replace(" ", "").casefold() == local_value.replace(" ", "").casefold()


# -- the merge rule ------------------------------------------------------------------------------------
def merge_from_exact(customer: LocalCustomer, account: ExactAccount) -> tuple[LocalCustomer, dict[str, tuple[str, str]]]:
    """The local customer with Exact's fields; an empty Exact field never overwrites a filled local one.

    The Exact code becomes the local number only when it obeys the customer-number rule (a code
    like 'C-1042' would break later invoice transfers); otherwise the local number stays.
    Returns the new record and the changed local fields (field -> (old, new)).
    """
    changes: dict[str, tuple[str, str]] = {}
    values: dict[str, str] = {}
    for local_field, _ in MERGE_FIELDS:
        new = (getattr(account, local_field) or "").strip()
        old = getattr(customer, local_field) or ""
        if new and new != old:
            values[local_field] = new
            changes[local_field] = (old, new)
    code = account.code.strip()
    if code and code != customer.number and customer_number_problem(code) is None:
        values["number"] = code
        changes["number"] = (customer.number, code)
    return dataclasses.replace(customer, **values), changes


def changes_for_exact(customer: LocalCustomer, account: ExactAccount) -> dict[str, tuple[str, str]]:
    """Exact fields to PUT (field -> (old, new)): filled local values that differ. Never `Code`."""
    changes: dict[str, tuple[str, str]] = {}
    for local_field, exact_field in MERGE_FIELDS:
        new = (getattr(customer, local_field) or "").strip()
        old = getattr(account, local_field) or ""
        if new and new != old:
            changes[exact_field] = (old, new)
    return changes


def number_fix(customer: LocalCustomer, problem: str) -> str:
    return (f"Change local customer {customer.name!r}'s number to digits only (at most 9), e.g. its Exact code, "
            f"or use 'Link and use data from Exact' ({problem})")


# -- CSV (export for review, import of decisions) --------------------------------------------------------
CSV_COLUMNS = ("tab", "decision", "exact_id", "exact_code", "exact_name", "local_id", "local_number", "local_name",
               "score", "exact_postcode", "local_postcode", "exact_city", "local_city", "exact_vat", "local_vat",
               "result")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DECISION_WORDS = {a.value: a for a in Action} | {"link": Action.LINK_EXACT, "skip": None, "": None}


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run: a leading = + - @ tab or CR gets a quote in front (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_unsafe(text: str) -> str:
    """Undo `csv_safe` on the way back in."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


@dataclass(slots=True)
class DecisionImport:
    """Decisions read back from an exported CSV: per action the (exact_id, local_id) pairs, and problems."""

    decisions: dict[Action, list[tuple[str, str | None]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.decisions.values())


# -- the Exact accounts cache ------------------------------------------------------------------------
class AccountCache:
    """Exact accounts kept between runs in the store (`store.exact_accounts`), refreshed with
    `sync/CRM/Accounts` from the stored Timestamp: a re-open costs one cheap call, not a full pull."""

    def __init__(self, store: Any) -> None:
        self.repo = getattr(store, "exact_accounts", None)
        self.accounts: dict[str, ExactAccount] = {}
        # Whether `accounts` is every account of the division (a pull happened), so an absent
        # linked account means deleted; a partial list (tests, benches) proves nothing.
        self.complete = False

    @property
    def deleted_timestamp(self) -> int | None:
        return getattr(self.repo, "deleted_timestamp", None) if self.repo is not None else None

    @property
    def timestamp(self) -> int | None:
        return self.repo.timestamp if self.repo is not None else None

    def load(self, division: int | None) -> None:
        if self.repo is None or (division is not None and self.repo.division not in (None, division)):
            self.accounts = {}
            self.complete = False
            return
        if self.repo.timestamp is None and not len(self.repo) and self.accounts:
            return  # never pulled: keep the accounts given directly (use_accounts) for a re-match
        self.accounts = {str(row["id"]): ExactAccount.from_record(row) for row in self.repo.all()}
        self.complete = self.repo.timestamp is not None

    def merge(self, rows: Sequence[Any], timestamp: int | None, division: int | None, *,
              deleted: Iterable[str] = (), deleted_timestamp: int | None = None) -> int:
        """Rows from a sync pull into memory and the store (another division's cache is replaced);
        `deleted` (from `sync/Deleted`) leave both."""
        accounts = [ExactAccount.from_record(r) for r in rows]
        gone = set(deleted)
        for account in accounts:
            self.accounts[account.id] = account
        for exact_id in gone:
            self.accounts.pop(exact_id, None)
        if self.repo is not None:
            if self.repo.division in (None, division):
                self.repo.merge([dataclasses.asdict(a) for a in accounts if a.id not in gone], division=division,
                                timestamp=timestamp, deleted=gone, deleted_timestamp=deleted_timestamp)
            else:
                self.repo.replace([dataclasses.asdict(a) for a in self.accounts.values()], division=division,
                                  timestamp=timestamp, deleted_timestamp=deleted_timestamp)
        self.complete = True
        return len(accounts)

    def store_rows(self, accounts: Sequence[ExactAccount]) -> None:
        """Accounts we changed in Exact (link with local data): the cache follows, Timestamp unchanged."""
        if self.repo is not None and accounts:
            self.repo.merge([dataclasses.asdict(a) for a in accounts], division=self.repo.division, timestamp=None)


# -- the service ---------------------------------------------------------------------------------------
RowCallback = Callable[[RowResult], None]


class LinkingService:
    """The Link customers use case for one session (store + events + client).

    `load()` / `refresh()` build the tabs; `plan()` says what an action would do; `run()` does it,
    row by row, reporting each row; `undo()` reverts the last local-only action.
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
        self.last_undo: _Undo | None = None
        self.linked_count = 0
        self._proposed: dict[str, set[str]] = {}  # local_id -> exact ids of rows proposing it
        self.rejected: set[tuple[str, str]] = set()  # (exact_id, local_id) "not this pair"
        self.link_problems: dict[str, LinkProblem] = {}  # local_id -> the problem of its link
        self._announced: set[tuple[str, str, str]] = set()  # problems already in the log

    @classmethod
    def for_session(cls, session: Any) -> "LinkingService":
        client = getattr(session, "client", None)
        division = getattr(getattr(client, "config", None), "division", None) if client is not None else None
        try:  # the division chosen in step 2 wins over the client's current one
            division = session.store.settings.get().division or division
        except Exception:  # noqa: BLE001 - no settings yet: the connection's division
            pass
        me = getattr(session, "me", None)
        return cls(session.store, session.events, client, division=division, user=getattr(me, "user_name", "") or getattr(session, "profile", ""))

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
                   if r.entity_type == _ACCOUNT_ENTITY and r.entity_key}
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
        from ..matching import Decisions, MatchRecord, match

        chosen = {r.id: r.local_id for r in self.rows.values() if r.choice}
        results = {r.id: (r.result, r.problem) for r in self.rows.values() if r.result or r.problem}
        self.customers = {c.id: c for c in self.store.customers.all()}
        self.links = {link.exact_id: link for link in self.store.links.all()}
        self.ignored = {i.exact_id: i for i in self.store.ignored.all()}
        accounts = [a for a in self.cache.accounts.values() if _is_customer(a)]
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
        self._proposed = {}
        self.tabs = {t: {} for t in TABS}
        for exact_id, cand in result.one.items():
            self._add(Row(by_id[exact_id], "one", [cand]))
        for exact_id, cands in result.more.items():
            self._add(Row(by_id[exact_id], "more", list(cands), notes=result.notes.get(exact_id, [])))
        for exact_id in result.none:
            self._add(Row(by_id[exact_id], "none", notes=result.notes.get(exact_id, [])))
        for exact_id, cands in result.ignored.items():
            self._add(Row(by_id[exact_id], "ignored", list(cands)))
        for exact_id in self.ignored:  # ignored accounts the matcher did not see (no longer customers)
            if exact_id in by_id and exact_id not in self.rows:
                self._add(Row(by_id[exact_id], "ignored"))
        for row in self.rows.values():
            want = chosen.get(row.id)
            if want:
                for i, cand in enumerate(row.candidates):
                    if cand.local_id == want:
                        row.choice = i
            if row.id in results:
                row.result, row.problem = results[row.id]
        for tab in TABS:
            ordered = sorted(self.tabs[tab].values(), key=lambda r: (-r.score, r.exact.name.casefold()))
            self.tabs[tab] = {r.id: r for r in ordered}
        counts = self.counts()
        self.events.info("Matched: " + ", ".join(f"{counts[t]:,} {TAB_TITLES[t].lower()}" for t in TABS)
                         + f", {self.linked_count:,} linked", side=Side.LOCAL, topic="link")
        self._check_links()
        return counts

    # -- links that need the user ---------------------------------------------------------------
    def _check_links(self) -> None:
        """Find links whose Exact account was deleted or whose code drifted; each is logged once."""
        problems: dict[str, LinkProblem] = {}
        accounts = self.cache.accounts
        for link in self.links.values():
            customer = self.customers.get(link.local_id)
            who = f"local customer {customer.number or customer.id} {customer.name}" if customer else \
                f"local customer {link.local_id}"
            account = accounts.get(link.exact_id)
            if account is None:
                if not self.cache.complete:
                    continue
                problems[link.local_id] = LinkProblem(
                    ProblemKind.DELETED, link, customer, None,
                    f"linked Exact account deleted in Exact: {who} is linked to Exact account "
                    f"{link.exact_code or link.exact_id}, which no longer exists in Exact",
                    "Its invoices cannot be transferred to that account. Unlink it here (the link record is kept "
                    "until you do), then link the customer to the right Exact account, or let the next invoice "
                    "transfer create a new one if customers are created automatically.")
                continue
            old, new = strip_account_code(link.exact_code), account.code
            if old and old != new:
                follows = customer is not None and customer.number == old and customer_number_problem(new) is None
                problems[link.local_id] = LinkProblem(
                    ProblemKind.CODE, link, customer, account,
                    f"customer code changed in Exact: Exact account {account.name!r} was linked to {who} with code "
                    f"{old}; its code is now {new or '(empty)'}",
                    "Invoices would be transferred under a code the local side does not know. Accept the new code "
                    + ("(the link and the local customer number follow it)" if follows else "(the link follows it)")
                    + f", or change the code back to {old} in Exact.")
        self.link_problems = problems
        for key, problem in problems.items():
            marker = (key, problem.kind, problem.account.code if problem.account else "")
            if marker in self._announced:
                continue
            self._announced.add(marker)
            record = f"customer {problem.customer.number or problem.local_id}" if problem.customer \
                else f"customer {problem.local_id}"
            self.events.emit(_event(problem.text, Level.WARNING, Side.EXACT, record=record, detail=problem.fix))

    def resolve_problems(self, local_ids: Iterable[str]) -> str:
        """Do the fix of each named problem: unlink a link whose account was deleted; accept a drifted
        code (the link's code, and the local number when it was the old code and the new one obeys the
        customer-number rule). Local only, so `undo()` takes it back."""
        chosen = [self.link_problems[i] for i in dict.fromkeys(local_ids) if i in self.link_problems]
        if not chosen:
            raise LookupError("no linked-account problem selected")
        undo = _Undo(Action.LINK_EXACT, {}, [], [], [], [], "Fix linked-account problems")
        unlink = [p.link for p in chosen if p.kind is ProblemKind.DELETED]
        changed: list[Link] = []
        customers: list[LocalCustomer] = []
        for p in chosen:
            if p.kind is not ProblemKind.CODE or p.account is None:
                continue
            changed.append(dataclasses.replace(p.link, exact_code=p.account.code))
            old = strip_account_code(p.link.exact_code)
            c = p.customer
            if c is not None and c.number == old and customer_number_problem(p.account.code) is None:
                undo.customers_before.setdefault(c.id, c)
                customers.append(dataclasses.replace(c, number=p.account.code))
        with self.store.batch("links.json", "customers.json") if hasattr(self.store, "batch") else contextlib.nullcontext():
            if customers:
                self.store.customers.put_many(customers)
            if unlink:
                self.store.links.delete_many([link.local_id for link in unlink])
            if changed:
                self.store.links.put_many(changed)
        undo.links_removed = unlink
        undo.links_before = [p.link for p in chosen if p.kind is ProblemKind.CODE and p.account is not None]
        parts = []
        if unlink:
            parts.append(f"{len(unlink):,} link{'s' if len(unlink) != 1 else ''} to deleted Exact accounts removed")
        if changed:
            parts.append(f"{len(changed):,} new Exact code{'s' if len(changed) != 1 else ''} accepted")
        text = "; ".join(parts)
        for p in chosen:
            self.events.emit(_event(f"{p.fix_label}: {p.text}", Level.INFO, Side.LOCAL,
                                    record=f"customer {p.customer.number if p.customer else p.local_id}"))
        self.rebuild()
        self.last_undo = undo
        return text

    def _add(self, row: Row) -> None:
        self.rows[row.id] = row
        for cand in row.candidates:
            self._proposed.setdefault(cand.local_id, set()).add(row.id)
        self.tabs[row.tab][row.id] = row

    def tab_rows(self, tab: str) -> list[Row]:
        return list(self.tabs[tab].values())

    def counts(self) -> dict[str, int]:
        return {t: len(self.tabs[t]) for t in TABS}

    def customer(self, local_id: str | None) -> LocalCustomer | None:
        return self.customers.get(local_id) if local_id else None

    def compare(self, row: Row) -> list[tuple[str, str, str]]:
        """(label, Exact value, local value) for the detail panel, field by field."""
        customer = self.customer(row.local_id)
        out = []
        for name in ("name", "number", "address", "postcode", "city", "country", "email", "phone", "vat", "coc",
                     "website"):
            out.append((FIELD_LABELS[name], row.exact.value(name), getattr(customer, name, "") if customer else ""))
        return out

    # -- planning -------------------------------------------------------------------------------
    def allowed(self, action: Action, row: Row, local_links: dict[str, Link] | None = None) -> str | None:
        """Why `action` cannot apply to `row` (None when it can)."""
        if row.id not in self.rows or self.rows[row.id] is not row:
            return "no longer in this list (already handled)"
        if action is Action.UNIGNORE and row.tab != "ignored":
            return "not ignored"
        if action is Action.IGNORE and row.tab == "ignored":
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

    # -- running --------------------------------------------------------------------------------
    async def run(self, plan: Plan, *, on_row: RowCallback | None = None, cancel: Cancel | None = None) -> ActionReport:
        """Do the plan row by row. Local work is batched into the store; Exact calls go one at a time
        (the client paces them against the rate limit). Refused rows are reported first."""
        report = ActionReport(plan.action)
        cancel = Cancel() if cancel is None else cancel
        for refused in plan.refused:
            self._record(refused, report, on_row)
        undo = _Undo(plan.action, {}, [], [], [], [], plan.action.label)
        pending = _Pending()
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
            if plan.action.touches_exact:
                self.last_undo = None  # Exact changed: nothing before this can be undone safely
            elif undo.rows:
                self.last_undo = undo
            level = Level.WARNING if report.failed or report.cancelled or report.stopped else Level.SUCCESS
            self.events.emit(_event(report.summary(), level, Side.EXACT if plan.action.touches_exact else Side.LOCAL))
        return report

    async def _one(self, plan: Plan, row: Row, undo: _Undo, pending: "_Pending", report: ActionReport) -> RowResult:
        action = plan.action
        now = dt.datetime.now(dt.timezone.utc)
        if action is Action.IGNORE:
            item = IgnoredAccount(row.id, row.exact.name, row.exact.code, self.user, now)
            pending.ignore.append(item)
            self.ignored[row.id] = item
            undo.ignored_added.append(item)
            undo.rows.append(dataclasses.replace(row))
            self._move(row, "ignored")
            return RowResult(row.id, True, "ignored")
        if action is Action.UNIGNORE:
            item = self.ignored.pop(row.id, None)
            pending.unignore.append(row.id)
            if item:
                undo.ignored_removed.append(item)
            undo.rows.append(dataclasses.replace(row))
            self._move(row, _tab_for(row))
            return RowResult(row.id, True, "un-ignored")
        if action is Action.REJECT:
            local_id = row.local_id or ""
            customer = self.customers.get(local_id)
            item = RejectedPair(row.id, local_id, self.user, now)
            pending.reject.append(item)
            self.rejected.add((row.id, local_id))
            undo.rejected_added.append(item)
            undo.rows.append(dataclasses.replace(row))  # a copy: candidates as they were
            self._proposed.get(local_id, set()).discard(row.id)
            self._without_candidate(row, local_id)
            if row.tab == "one" and row.candidates:  # the matcher's single pick is gone: a person chooses
                self._move(row, "more")
            who = f"{customer.number or customer.id} {customer.name}" if customer else local_id
            return RowResult(row.id, True, f"not {who}: never proposed again"
                             + ("" if row.candidates else "; no other candidate"))
        if action is Action.IMPORT:
            customer = self._new_customer(row.exact)
            pending.customers[customer.id] = customer
            undo.customers_before[customer.id] = None
            link = Link(customer.id, row.id, row.exact.code, self.user, now, DataSource.IMPORTED)
            self._link(row, link, undo, pending)
            return RowResult(row.id, True, f"imported as local customer {customer.number or customer.id}")
        customer = self.customers[row.local_id]  # type: ignore[index]
        if action is Action.LINK_EXACT:
            merged, changed = merge_from_exact(customer, row.exact)
            if changed:
                undo.customers_before.setdefault(customer.id, customer)
                pending.customers[customer.id] = merged
                self.customers[customer.id] = merged
            link = Link(customer.id, row.id, row.exact.code, self.user, now, DataSource.EXACT)
            self._link(row, link, undo, pending)
            text = f"linked to {customer.number or customer.id}; " + (
                f"{len(changed)} local field{'s' if len(changed) != 1 else ''} from Exact" if changed else "data already equal")
            return RowResult(row.id, True, text)
        # LINK_LOCAL
        diff = plan.changes.get(row.id, {})
        if diff:
            report.calls += 1
            await self.client.update_account(row.id, {f: new for f, (_, new) in diff.items()})
            for local_field, exact_field in MERGE_FIELDS:
                if exact_field in diff:
                    setattr(row.exact, local_field, diff[exact_field][1])
            self.cache.accounts[row.id] = row.exact
            pending.accounts.append(row.exact)
            self.events.emit(_event(
                f"Exact account {row.exact.code or row.id} updated from local customer {customer.number}",
                Level.INFO, Side.EXACT, record=f"account {row.exact.code or row.id}",
                detail="; ".join(f"{f}: {old!r} → {new!r}" for f, (old, new) in diff.items())))
        link = Link(customer.id, row.id, row.exact.code, self.user, now, DataSource.LOCAL)
        self._link(row, link, undo, pending)
        text = f"linked to {customer.number}; " + (
            f"{len(diff)} Exact field{'s' if len(diff) != 1 else ''} updated" if diff else "Exact already up to date")
        if row.exact.code and row.exact.code != customer.number:
            text += f" (Exact code {row.exact.code} kept: codes are never changed through the API)"
        return RowResult(row.id, True, text, exact_changed=diff)

    def _link(self, row: Row, link: Link, undo: _Undo, pending: "_Pending") -> None:
        pending.links.append(link)
        if self.ignored.pop(row.id, None) is not None:  # linking from Ignored: the store un-ignores in the same write
            undo.ignored_removed.append(IgnoredAccount(row.id, row.exact.name, row.exact.code))
        self.links[row.id] = link
        undo.links_added.append(link)
        undo.rows.append(dataclasses.replace(row))
        self._drop(row)
        self.linked_count += 1
        # the local customer is taken: other rows may no longer propose it
        for exact_id in self._proposed.get(link.local_id, ()):
            other = self.rows.get(exact_id)
            if other is not None and any(c.local_id == link.local_id for c in other.candidates):
                undo.touched.append((other, other.candidates, other.choice, other.tab))
                self._without_candidate(other, link.local_id)

    def _without_candidate(self, row: Row, local_id: str) -> None:
        current = row.local_id
        row.candidates = [c for c in row.candidates if c.local_id != local_id]
        row.choice = next((i for i, c in enumerate(row.candidates) if c.local_id == current), 0)
        if not row.candidates and row.tab != "ignored":
            self._move(row, "none")

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

    def _flush(self, pending: "_Pending") -> None:
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
            self.events.emit(_event(result.text, Level.WARNING, Side.LOCAL if result.text.startswith("refused") else Side.EXACT,
                                    record=f"account {row.exact.code if row else result.exact_id}", detail=result.fix))
        if on_row:
            on_row(result)

    def _drop(self, row: Row) -> None:
        self.rows.pop(row.id, None)
        self.tabs[row.tab].pop(row.id, None)

    def _move(self, row: Row, tab: str) -> None:
        self._drop(row)
        row.tab = tab
        self._add(row)

    # -- undo -----------------------------------------------------------------------------------
    def undo_text(self) -> str | None:
        u = self.last_undo
        if u is None:
            return None
        if not u.rows:
            return self.undo_text_of(u)
        return f"{u.description} ({len(u.rows):,} account{'s' if len(u.rows) != 1 else ''})"

    def undo(self) -> str:
        """Revert the last local-only action: links removed, overwritten local fields restored,
        imported customers removed, ignores reverted; the rows go back to their tabs."""
        u = self.last_undo
        if u is None:
            raise LookupError("nothing to undo (actions that changed Exact cannot be undone here: see the log)")
        self.last_undo = None
        store = self.store
        if u.links_removed or u.links_before:  # fixes of linked-account problems: links back as they were
            store.links.put_many([*u.links_removed, *u.links_before])
            restore = [c for c in u.customers_before.values() if c is not None]
            if restore:
                store.customers.put_many(restore)
            text = f"Undone: {self.undo_text_of(u)}"
            self.rebuild()
            self.events.info(text, side=Side.LOCAL, topic="link")
            return text
        if u.rejected_added:
            store.rejected.unreject_many([(r.exact_id, r.local_id) for r in u.rejected_added])
            self.rejected.difference_update((r.exact_id, r.local_id) for r in u.rejected_added)
        if u.links_added:
            store.links.delete_many([link.local_id for link in u.links_added])
            for link in u.links_added:
                self.links.pop(link.exact_id, None)
                self.linked_count -= 1
        restore = [c for c in u.customers_before.values() if c is not None]
        created = [cid for cid, c in u.customers_before.items() if c is None]
        if restore:
            store.customers.put_many(restore)
            self.customers.update({c.id: c for c in restore})
        if created:
            store.customers.delete_many(created)
            for cid in created:
                self.customers.pop(cid, None)
        if u.ignored_added:
            store.ignored.delete_many([i.exact_id for i in u.ignored_added])
            for i in u.ignored_added:
                self.ignored.pop(i.exact_id, None)
        if u.ignored_removed:
            store.ignored.ignore_many(u.ignored_removed)
            self.ignored.update({i.exact_id: i for i in u.ignored_removed})
        for before in u.rows:
            current = self.rows.get(before.id)
            if current is not None:
                self._drop(current)
            before.result, before.problem = "undone", ""
            self._add(before)
        # rows that lost a candidate to a link get it back (latest change undone first, so the
        # earliest state is what remains)
        for row, candidates, choice, tab in reversed(u.touched):
            target = self.rows.get(row.id)
            if target is None:
                continue
            target.candidates, target.choice = candidates, choice
            for cand in candidates:
                self._proposed.setdefault(cand.local_id, set()).add(target.id)
            if target.tab != tab:
                self._move(target, tab)
        text = f"Undone: {u.description} on {len(u.rows):,} account{'s' if len(u.rows) != 1 else ''}"
        self.events.info(text, side=Side.LOCAL, topic="link")
        return text

    @staticmethod
    def undo_text_of(u: "_Undo") -> str:
        n = len(u.links_removed) + len(u.links_before)
        return f"{u.description} ({n:,} link{'s' if n != 1 else ''})"

    # -- CSV ------------------------------------------------------------------------------------
    def export_csv(self, rows: Sequence[Row], path: Path) -> int:
        """Write rows (a tab as shown) for review; the `decision` column is for the reviewer to fill."""
        path = Path(path)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            c = self.customer(row.local_id)
            writer.writerow([csv_safe(v) for v in (
                row.tab, "", row.id, row.exact.code, row.exact.name, row.local_id or "", c.number if c else "",
                c.name if c else "", f"{row.score:.1f}" if row.candidates else "", row.exact.postcode,
                c.postcode if c else "", row.exact.city, c.city if c else "", row.exact.vat, c.vat if c else "",
                row.problem or row.result)])
        from ..store.atomic import atomic_write_bytes

        atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))  # BOM: Excel opens UTF-8 right
        self.events.info(f"Exported {len(rows):,} rows to {path}", side=Side.LOCAL, topic="link")
        return len(rows)

    def read_decisions(self, path: Path) -> DecisionImport:
        """Read a reviewed export back: one decision per line (link-exact, link-local, import, ignore,
        unignore, reject; empty or 'skip' = nothing). Each bad line is named with its number and reason."""
        out = DecisionImport()
        try:
            text = Path(path).read_text("utf-8-sig")
        except OSError as exc:
            out.problems.append(f"{path}: {exc.strerror or exc}")
            return out
        reader = csv.DictReader(io.StringIO(text))
        missing = {"decision", "exact_id"} - set(reader.fieldnames or ())
        if missing:
            out.problems.append(f"{path}: column(s) {', '.join(sorted(missing))} missing; export a tab first and "
                                "fill its 'decision' column")
            return out
        for number, line in enumerate(reader, 2):
            word = csv_unsafe((line.get("decision") or "").strip()).lower()
            if word not in DECISION_WORDS:
                out.problems.append(f"line {number}: decision {word!r} unknown; use one of "
                                    + ", ".join(sorted(w for w in DECISION_WORDS if w)))
                continue
            action = DECISION_WORDS[word]
            if action is None:
                continue
            exact_id = csv_unsafe((line.get("exact_id") or "").strip())
            local_id = csv_unsafe((line.get("local_id") or "").strip()) or None
            row = self.rows.get(exact_id)
            if row is None:
                state = "already linked" if exact_id in self.links else "not found in the Exact accounts"
                out.problems.append(f"line {number}: Exact account {exact_id or '(empty)'} {state}")
                continue
            if action in (Action.LINK_EXACT, Action.LINK_LOCAL, Action.REJECT):
                if not local_id:
                    out.problems.append(f"line {number}: {word} needs a local_id")
                    continue
                if local_id not in self.customers:
                    out.problems.append(f"line {number}: local customer {local_id} not found")
                    continue
            out.decisions.setdefault(action, []).append((exact_id, local_id))
        return out

    def rows_for(self, pairs: Sequence[tuple[str, str | None]]) -> list[Row]:
        """The rows of imported decisions, with the chosen local customer set on each (added as a
        candidate when the matcher did not propose it: the reviewer knows better)."""
        from ..matching import Candidate

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
                    self._proposed.setdefault(local_id, set()).add(exact_id)
                row.choice = index
            out.append(row)
        return out


# -- helpers -------------------------------------------------------------------------------------------
def _is_customer(account: ExactAccount) -> bool:
    """Customers and accounts without a status are linkable; prospects/suspects/suppliers-only are not."""
    return account.status in ("C", "")


def _tab_for(row: Row) -> str:
    """Where an un-ignored account goes: More matches when it has candidates (a person confirms the
    pair; only the matcher's own re-run may call it a One match), else No match."""
    return "more" if row.candidates else "none"


def _failure(row: Row, exc: Exception) -> tuple[RowResult, bool]:
    """The row's failure in the user's words (cause, side, remedy), and whether the run must stop:
    a lost connection, a spent quota or a blocked endpoint would fail every following row the same way."""
    from .problems import explain

    problem = explain(exc)
    detail = f" ({problem.detail})" if problem.detail else ""
    return RowResult(row.id, False, f"failed: {problem.what}{detail}", problem.todo), \
        bool(problem.reconnect or problem.retry_later)


def _event(message: str, level: Level, side: Side, **kw: Any):
    from .events import Event

    return Event(message, side=side, level=level, topic="link", **kw)


def _progress(action: Action, done: int, total: int):
    from .events import Event

    return Event(f"{action.label}: {done:,}/{total:,}", side=Side.EXACT if action.touches_exact else Side.LOCAL,
                 topic="link", progress=(done, total))
