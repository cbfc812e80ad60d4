"""The sandbox's in-memory state: per-division tables, users, tokens, and the row-version counter.

Rows are plain dicts in Exact's field names (GUID strings, tz-aware datetimes, Decimal money), so
`$filter` and `$select` work on them directly. A table keeps its rows in `Timestamp` order (a write
moves the row to the end), so a `sync/` page is a bisect, not a sort of 50,000 rows.
"""
from __future__ import annotations

import bisect
import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from exact_tui.domain.customer import pad_account_code

from .clock import ScaledClock
from .schema import DELETED_TYPES, DERIVED_DELETIONS, TABLES, derived_key

Row = dict[str, Any]
FIRST_TIMESTAMP = 10_000_000_000  # Exact's row versions are large 64-bit numbers; start well away from 0


class Table:
    """Rows of one entity in one division, keyed by their Exact key."""

    def __init__(self, name: str, key: str) -> None:
        self.name = name
        self.key = key
        self.rows: dict[Any, Row] = {}
        self._by_key: tuple[list[Row], list[str]] | None = None
        self._by_stamp: tuple[list[Row], list[int]] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, key: Any) -> Row | None:
        return self.rows.get(key)

    def put(self, row: Row) -> None:
        """Insert or move `row` to the end (it carries a fresh Timestamp)."""
        key = row[self.key]
        if key in self.rows:
            del self.rows[key]
        else:
            self._by_key = None
        self.rows[key] = row
        self._by_stamp = None

    def remove(self, key: Any) -> Row | None:
        row = self.rows.pop(key, None)
        if row is not None:
            self._by_key = None
            self._by_stamp = None
        return row

    def by_key(self, after: str | None = None) -> list[Row]:
        """Rows ordered by key (Exact's default order), optionally only keys after `after` (a
        `$skiptoken`); the order is cached until a row is added or removed."""
        if self._by_key is None:
            rows = sorted(self.rows.values(), key=lambda r: str(r[self.key]))
            self._by_key = (rows, [str(r[self.key]) for r in rows])
        rows, keys = self._by_key
        return rows if after is None else rows[bisect.bisect_right(keys, after):]

    def since(self, stamp: int) -> list[Row]:
        """Rows with Timestamp > stamp, in Timestamp order."""
        if self._by_stamp is None:
            rows = list(self.rows.values())
            self._by_stamp = (rows, [r.get("Timestamp", 0) for r in rows])
        rows, stamps = self._by_stamp
        return rows[bisect.bisect_right(stamps, stamp):]

    def find(self, **values: Any) -> list[Row]:
        return [r for r in self.rows.values() if all(r.get(k) == v for k, v in values.items())]


@dataclass
class User:
    id: str
    username: str
    password: str
    full_name: str
    email: str
    language: str = "nl"
    active: bool = True
    blocked: bool = False
    divisions: list[int] = field(default_factory=list)
    current_division: int = 0
    # Areas (scope names: "salesentry", "crm", …) this Exact user has no rights in: Exact answers
    # 403 or, per `Behaviour.insufficient_rights`, silently empty lists (facts §5).
    denied: list[str] = field(default_factory=list)


@dataclass
class AuthCode:
    code: str
    client_id: str
    redirect_uri: str
    username: str
    expires_at: float
    used: bool = False


@dataclass
class Chain:
    """One consent's token chain; a second consent can revoke the previous chain."""

    id: str
    username: str
    client_id: str
    last_access_at: float = 0.0
    revoked: bool = False
    revoked_because: str = ""  # "" (a newer consent) | "password" (the user changed their password)


@dataclass
class RefreshToken:
    token: str
    chain: str
    issued_at: float
    expires_at: float
    state: str = "live"  # live | used | revoked
    successor: str | None = None
    predecessor: str | None = None


@dataclass
class AccessToken:
    token: str
    chain: str
    username: str
    client_id: str
    issued_at: float
    expires_at: float


@dataclass
class Auth:
    codes: dict[str, AuthCode] = field(default_factory=dict)
    chains: dict[str, Chain] = field(default_factory=dict)
    refresh: dict[str, RefreshToken] = field(default_factory=dict)
    access: dict[str, AccessToken] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # login cookie -> username


class World:
    """Everything a request can read or change; one lock serialises writers and the state saver."""

    def __init__(self, clock: ScaledClock) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self.client_id = ""
        self.client_secret = ""
        self.redirect_uri = ""
        self.users: dict[str, User] = {}
        self.granted_divisions: set[int] = set()
        self.divisions: dict[int, Row] = {}
        self.settings: dict[int, Row] = {}  # per division: DefaultPaymentConditionSales, Currency, …
        self.tables: dict[int, dict[str, Table]] = {}
        self.auth = Auth()
        self.timestamp = FIRST_TIMESTAMP
        self.counters: dict[str, int] = {}  # numbering: "<division>/<journal>/entry" -> last number
        self.dirty = False

    # ------------------------------------------------------------ loading
    @classmethod
    def from_seed(cls, seed: Any, clock: ScaledClock) -> "World":
        world = cls(clock)
        world.client_id, world.client_secret, world.redirect_uri = seed.client_id, seed.client_secret, seed.redirect_uri
        for u in seed.users:
            divisions = list(getattr(u, "divisions", []) or [])
            world.users[u.username] = User(
                id=u.id, username=u.username, password=u.password, full_name=u.full_name, email=u.email,
                language=u.language, active=u.active, divisions=divisions,
                current_division=getattr(u, "current_division", 0) or (divisions[0] if divisions else 0),
                denied=list(getattr(u, "denied", []) or []),
            )
        world.granted_divisions = set(seed.granted_divisions)
        for row in seed.divisions:
            world.divisions[int(row["Code"])] = dict(row)
        for division in set(world.divisions) | set(seed.tables):
            world._ensure_division(division)
            for name, rows in seed.tables.get(division, {}).items():
                table = world.table(division, name)
                pad = name == "crm/Accounts"
                for row in rows:
                    row = dict(row)
                    if pad and row.get("Code") is not None:
                        row["Code"] = pad_account_code(str(row["Code"]))
                    row.setdefault("Division", division)
                    world.timestamp += 1
                    row["Timestamp"] = world.timestamp
                    table.put(row)
            world.settings[division] = world._settings_from(world.divisions.get(division, {}))
        return world

    def _settings_from(self, division_row: Row) -> Row:
        """Division-level defaults the rules need; seed rows may carry them under Exact-like names."""
        return {
            "Currency": division_row.get("Currency", "EUR"),
            "DefaultPaymentConditionSales": division_row.get("DefaultPaymentConditionSales")
            or division_row.get("DefaultPaymentCondition"),
        }

    def _ensure_division(self, division: int) -> dict[str, Table]:
        tables = self.tables.get(division)
        if tables is None:
            tables = self.tables[division] = {name: Table(name, spec.key) for name, spec in TABLES.items()}
        return tables

    def table(self, division: int, name: str) -> Table:
        tables = self._ensure_division(division)
        if name not in tables:
            tables[name] = Table(name, TABLES[name].key if name in TABLES else "ID")
        return tables[name]

    # ------------------------------------------------------------ writes (each bumps the row version)
    def now(self) -> dt.datetime:
        return self.clock.now()

    def insert(self, division: int, name: str, row: Row) -> Row:
        table = self.table(division, name)
        now = self.now()
        if row.get("Division") is None:
            row["Division"] = division
        if "Created" in TABLES.get(name, _NoFields).fields:
            if row.get("Created") is None:
                row["Created"] = now
            row["Modified"] = now
        self.timestamp += 1
        row["Timestamp"] = self.timestamp
        table.put(row)
        self.dirty = True
        return row

    def update(self, division: int, name: str, row: Row, changes: Row) -> Row:
        row.update(changes)
        if "Modified" in TABLES.get(name, _NoFields).fields:
            row["Modified"] = self.now()
        self.timestamp += 1
        row["Timestamp"] = self.timestamp
        self.table(division, name).put(row)
        self.dirty = True
        return row

    def delete(self, division: int, name: str, key: Any, deleted_by: str = "") -> Row | None:
        row = self.table(division, name).remove(key)
        if row is None:
            return None
        gone = [(DELETED_TYPES.get(name), key)] + [(kind, derived_key(key, what))
                                                   for kind, what in DERIVED_DELETIONS.get(name, ())]
        for kind, entity_key in gone:
            if kind is None:  # only the entity types Exact documents leave a row in sync/Deleted
                continue
            self.timestamp += 1
            self.table(division, "sync/Deleted").put({
                "ID": str(uuid.uuid4()), "EntityKey": entity_key, "EntityType": kind,
                "DeletedBy": deleted_by or None, "DeletedDate": self.now(), "Division": division,
                "Timestamp": self.timestamp,
            })
        self.dirty = True
        return row

    def next_number(self, counter: str, floor: int = 0) -> int:
        value = max(self.counters.get(counter, 0), floor) + 1
        self.counters[counter] = value
        return value


class _NoFields:
    fields: tuple[str, ...] = ()
