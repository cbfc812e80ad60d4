"""The per-profile local store: TinyDB tables on crash-safe files, one writer, versioned schema.

    with ProfileStore.open(profile_dir) as store:          # the one writer (ProfileLocked otherwise)
        store.customers.put_many(customers)                # one atomic write
    ProfileStore.open(profile_dir, readonly=True)          # any number of readers, even while locked
"""
from .errors import CorruptStore, DivisionLocked, ProfileLocked, SchemaTooNew, StoreConflict, StoreError, StoreReadOnly
from .lock import LockHolder, current_holder
from .logs import LogEntry, LogRetention
from .profile import ProfileStore
from .repos import UpsertReport
from .schema import SCHEMA_VERSION

__all__ = [
    "CorruptStore", "DivisionLocked", "LockHolder", "LogEntry", "LogRetention", "current_holder", "ProfileLocked", "ProfileStore", "SCHEMA_VERSION",
    "SchemaTooNew", "StoreConflict", "StoreError", "StoreReadOnly", "UpsertReport",
]
