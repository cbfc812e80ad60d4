"""The few store operations the set-up services use, in one place.

The store's repositories are the seam between the console and where local data lives; keeping
the calls the set-up steps make in these helpers means a change of repository API touches one
file, not eight screens.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


def all_of(repo: Any) -> list[Any]:
    """Every record of a repository."""
    for name in ("all", "list", "values"):
        method = getattr(repo, name, None)
        if callable(method):
            return list(method())
    return list(repo)


def count_of(repo: Any) -> int:
    for name in ("count", "__len__"):
        method = getattr(repo, name, None)
        if callable(method):
            return int(method())
    return len(all_of(repo))


def put_all(repo: Any, records: Iterable[Any]) -> None:
    """Save records in one write where the repository supports it (one fsync, not thousands)."""
    records = list(records)
    for name in ("put_many", "upsert_many", "save_many", "put_all"):
        method = getattr(repo, name, None)
        if callable(method):
            method(records)
            return
    for name in ("put", "upsert", "save", "add"):
        method = getattr(repo, name, None)
        if callable(method):
            for record in records:
                method(record)
            return
    raise TypeError(f"{type(repo).__name__} cannot save records")


def update_settings(store: Any, **changes: Any) -> Any:
    """Change some integration settings and save them at once (each step saves as it goes)."""
    settings = store.settings.get()
    if dataclasses.is_dataclass(settings):
        settings = dataclasses.replace(settings, **changes)
    else:  # pragma: no cover - a plain object
        for key, value in changes.items():
            setattr(settings, key, value)
    store.settings.save(settings)
    return settings


def get_one(repo: Any, key: str) -> Any | None:
    method = getattr(repo, "get", None)
    if callable(method):
        return method(key)
    return next((r for r in all_of(repo) if getattr(r, "id", getattr(r, "local_id", None)) == key), None)


def delete_one(repo: Any, key: str) -> None:
    for name in ("delete", "remove"):
        method = getattr(repo, name, None)
        if callable(method):
            method(key)
            return
    method = getattr(repo, "delete_many", None)
    if callable(method):
        method([key])
        return
    raise TypeError(f"{type(repo).__name__} cannot delete records")
