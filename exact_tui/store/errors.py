"""The store's typed failures; each message names the file or process and says what to do."""
from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every store failure."""


class ProfileLocked(StoreError):
    """Another process writes this profile: one writer per profile, readers are welcome."""

    def __init__(self, profile_dir: Path, pid: int | None, host: str, since: str, command: str = "") -> None:
        self.profile_dir, self.pid, self.host, self.since, self.command = profile_dir, pid, host, since, command
        who = f"process {pid}" if pid else "another process"
        where = f" on {host}" if host else ""
        what = f" ({command})" if command else ""
        when = f" since {since}" if since else ""
        super().__init__(
            f"profile {profile_dir.name!r} is open for writing by {who}{where}{what}{when}. "
            f"Close that console or command first; read-only commands still work."
        )


class SchemaTooNew(StoreError):
    def __init__(self, path: Path, found: int, supported: int, written_by: str = "") -> None:
        self.path, self.found, self.supported = path, found, supported
        by = f" by {written_by}" if written_by else ""
        super().__init__(
            f"{path} was written{by} with store schema {found}; this exact-tui reads schema {supported} "
            f"at most. Upgrade exact-tui to open this profile (the files were not changed)."
        )


class CorruptStore(StoreError):
    """A store file cannot be read. exact-tui never writes such a file; something else changed it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"{path} cannot be read ({reason}). exact-tui did not change it; restore it from a backup "
            f"or move it aside to start that part of the profile empty."
        )


class StoreReadOnly(StoreError):
    def __init__(self, what: str = "") -> None:
        super().__init__(f"the store is open read-only{': cannot ' + what if what else ''}")


class StoreConflict(StoreError):
    """A change would break a rule of the store (a link to an account already linked, …)."""


class DivisionLocked(StoreConflict):
    pass
