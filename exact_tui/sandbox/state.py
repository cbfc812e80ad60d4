"""`--state FILE`: the whole world as one JSON file, written atomically (temp file + rename, 0600
because it holds tokens and the client secret), and read back on the next start."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from exact_tui.domain.files import atomic_write

from .world import AccessToken, AuthCode, Chain, RefreshToken, User, World

VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(obj: dict) -> Any:
    if len(obj) == 1:
        if "$dec" in obj:
            return Decimal(obj["$dec"])
        if "$dt" in obj:
            return dt.datetime.fromisoformat(obj["$dt"])
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
    return obj


def snapshot(world: World) -> dict[str, Any]:
    """A JSON-ready copy of the world; taken under the world lock."""
    with world.lock:
        auth = world.auth
        return {
            "version": VERSION, "clock": world.clock.time(), "client_id": world.client_id,
            "timestamp": world.timestamp, "counters": dict(world.counters),
            "users": [dataclasses.asdict(u) for u in world.users.values()],
            "granted_divisions": sorted(world.granted_divisions),
            "divisions": {str(k): dict(v) for k, v in world.divisions.items()},
            "settings": {str(k): dict(v) for k, v in world.settings.items()},
            "tables": {str(div): {name: list(map(dict, t.rows.values())) for name, t in tables.items()}
                       for div, tables in world.tables.items()},
            "auth": {
                "codes": [dataclasses.asdict(x) for x in auth.codes.values()],
                "chains": [dataclasses.asdict(x) for x in auth.chains.values()],
                "refresh": [dataclasses.asdict(x) for x in auth.refresh.values()],
                "access": [dataclasses.asdict(x) for x in auth.access.values()],
            },
        }


def save(world: World, path: str | os.PathLike[str]) -> None:
    data = json.dumps(snapshot(world), default=_encode, separators=(",", ":"))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data)  # the one atomic write: temp file, fsync, rename, fsync of the folder
    world.dirty = False


def load(world: World, path: str | os.PathLike[str]) -> float:
    """Replace the world's data with the file's; returns the stored clock time."""
    data = json.loads(Path(path).read_text(encoding="utf-8"), object_hook=_decode)
    if data.get("version") != VERSION:
        raise ValueError(f"{path}: state file version {data.get('version')} is not {VERSION}")
    if data.get("client_id") != world.client_id:
        raise ValueError(f"{path}: state file belongs to another app registration (other --seed?)")
    with world.lock:
        world.timestamp = data["timestamp"]
        world.counters = dict(data["counters"])
        world.users = {u["username"]: User(**u) for u in data["users"]}
        world.granted_divisions = set(data["granted_divisions"])
        world.divisions = {int(k): v for k, v in data["divisions"].items()}
        world.settings = {int(k): v for k, v in data["settings"].items()}
        world.tables = {}
        for div, tables in data["tables"].items():
            for name, rows in tables.items():
                table = world.table(int(div), name)
                for row in sorted(rows, key=lambda r: r.get("Timestamp", 0)):
                    table.put(row)
        auth = world.auth
        auth.codes = {x["code"]: AuthCode(**x) for x in data["auth"]["codes"]}
        auth.chains = {x["id"]: Chain(**x) for x in data["auth"]["chains"]}
        auth.refresh = {x["token"]: RefreshToken(**x) for x in data["auth"]["refresh"]}
        auth.access = {x["token"]: AccessToken(**x) for x in data["auth"]["access"]}
        world.dirty = False
    return float(data["clock"])
