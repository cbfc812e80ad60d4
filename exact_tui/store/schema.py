"""The store's schema version and the migrations that bring older profiles up to date.

`meta.json` holds the version. A migration is registered for each step `n -> n+1` and runs with
the writer lock held; `meta.json` is written last, so a migration killed half-way simply runs again
on the next open (each migration must therefore be idempotent: it rewrites, never appends).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .atomic import atomic_write_bytes, dumps, read_json
from .errors import CorruptStore, SchemaTooNew

SCHEMA_VERSION = 2
META_NAME = "meta.json"
STORE_DIR = "store"
V0_FILE = "store.json"  # before schema 1: one TinyDB file with every table, numbered documents


@dataclass(frozen=True, slots=True)
class Migration:
    from_version: int
    description: str
    run: Callable[[Path], None]  # gets the profile folder


MIGRATIONS: dict[int, Migration] = {}


def migration(from_version: int, description: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(func: Callable[[Path], None]) -> Callable[[Path], None]:
        MIGRATIONS[from_version] = Migration(from_version, description, func)
        return func

    return register


def meta_path(profile_dir: Path) -> Path:
    return profile_dir / STORE_DIR / META_NAME


def stored_version(profile_dir: Path) -> int | None:
    """The schema of the profile's files; None for a profile that has no store yet."""
    meta = read_json(meta_path(profile_dir))
    if meta is None:
        return 0 if (profile_dir / V0_FILE).exists() else None
    version = meta.get("schema") if isinstance(meta, dict) else None
    if not isinstance(version, int):
        raise CorruptStore(meta_path(profile_dir), "no integer 'schema'")
    return version


def check_readable(profile_dir: Path) -> int | None:
    version = stored_version(profile_dir)
    if version is not None and version > SCHEMA_VERSION:
        meta = read_json(meta_path(profile_dir)) or {}
        raise SchemaTooNew(meta_path(profile_dir), version, SCHEMA_VERSION, str(meta.get("written_by", "")))
    return version


def write_meta(profile_dir: Path, version: int = SCHEMA_VERSION) -> None:
    folder = profile_dir / STORE_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    old = read_json(meta_path(profile_dir)) or {}
    meta = {
        "schema": version,
        "written_by": f"exact-tui {__version__}",
        "created": old.get("created") or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "migrated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds") if old else None,
    }
    atomic_write_bytes(meta_path(profile_dir), dumps(meta))


def upgrade(profile_dir: Path) -> list[str]:
    """Bring the profile to SCHEMA_VERSION (writer lock held); returns what was done, for the log."""
    version = check_readable(profile_dir)
    done: list[str] = []
    if version is None:
        write_meta(profile_dir)
        return done
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:  # pragma: no cover - a gap in the registry is a programming error
            raise RuntimeError(f"no migration from store schema {version}")
        step.run(profile_dir)
        version += 1
        write_meta(profile_dir, version)
        done.append(f"store schema {step.from_version} -> {version}: {step.description}")
    return done


# -- the migrations --------------------------------------------------------------------------------
# Schema 0 kept every table in one `store.json` in TinyDB's default layout (numbered documents),
# so saving one link rewrote 100,000 invoices. Schema 1 splits the tables into files keyed by the
# records' own ids.
V1_FILES: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "customers": ("customers.json", lambda r: str(r["id"])),
    "contacts": ("contacts.json", lambda r: str(r["id"])),
    "invoices": ("invoices.json", lambda r: str(r["id"])),
    "dimensions": ("catalogue.json", lambda r: f"{r['kind']}:{r['id']}"),
    "products": ("catalogue.json", lambda r: str(r["code"])),
    "links": ("links.json", lambda r: str(r["local_id"])),
    "ignored": ("links.json", lambda r: str(r["exact_id"])),
    "settings": ("settings.json", lambda r: "current"),
}


@migration(0, "split the single store.json into one file per table, keyed by record id")
def _split_v0(profile_dir: Path) -> None:
    source = profile_dir / V0_FILE
    old = read_json(source) or {}
    folder = profile_dir / STORE_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    files: dict[str, dict[str, dict[str, Any]]] = {}
    for table, (name, key) in V1_FILES.items():
        rows = old.get(table) or {}
        out = files.setdefault(name, {}).setdefault(table, {})
        for row in rows.values():
            row = dict(row)
            if table == "customers" and "customer_number" in row:  # v0 spelled it so
                row.setdefault("number", row.pop("customer_number"))
            out[key(row)] = row
    for name, tables in files.items():
        atomic_write_bytes(folder / name, dumps(tables))
    # Keep the old file as a backup rather than delete it; the rename is the last step.
    source.replace(profile_dir / (V0_FILE + ".v0-backup"))


# Schema 2 adds two tables: `rejected` in links.json ("not this pair" decisions) and
# `contact_links` in contacts.json (contacts paired by hand or created in Exact). A missing table
# reads as empty, so nothing needs rewriting; the version goes up so that an older exact-tui
# refuses the profile (SchemaTooNew) instead of opening it and proposing rejected pairs again, or
# pairing contacts by e-mail against the user's hand-made links.
@migration(1, "add the tables for rejected pairs and contact links (empty)")
def _add_decision_tables(profile_dir: Path) -> None:
    return None
