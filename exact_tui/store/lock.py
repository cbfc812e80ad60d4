"""One writer per profile: an flock on the profile folder itself, and `writer.lock` naming the holder.

The lock is taken on an open descriptor of the profile *folder*, not only on `writer.lock`: a lock
file can be deleted while its writer holds it (a clean-up script, a user tidying up), and a second
writer would then create a fresh file, lock that, and both would write. The folder cannot be
removed while it holds the store, and a lock on it is the same object for every process.
`writer.lock` is still locked too, so an older exact-tui (which locks only the file) is kept out.

The kernel drops an fcntl lock when its process dies (also on kill -9), so a lock we can take is
never really held; what a crashed writer leaves is only the file's *content* naming a dead pid.
That content is taken over, and the caller logs it. When the lock is held, the content tells the
second console who holds it (pid, host, command, since), which is what the user needs to act.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import ProfileLocked

LOCK_NAME = "writer.lock"


@dataclass(frozen=True, slots=True)
class LockHolder:
    pid: int | None
    host: str
    since: str
    command: str = ""

    @classmethod
    def read(cls, path: Path) -> "LockHolder | None":
        try:
            data = json.loads(path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        pid = data.get("pid")
        return cls(pid if isinstance(pid, int) else None, str(data.get("host", "")), str(data.get("since", "")),
                   str(data.get("command", "")))

    def alive_here(self) -> bool:
        """True when the holder is a running process on this host (or we cannot tell)."""
        if self.host != socket.gethostname() or self.pid is None:
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class ProfileLock:
    def __init__(self, profile_dir: Path) -> None:
        self.profile_dir = profile_dir
        self.path = profile_dir / LOCK_NAME
        self._fd: int | None = None
        self._folder_fd: int | None = None
        self.stale: LockHolder | None = None  # the dead holder whose lock we took over

    def acquire(self) -> "ProfileLock":
        folder_fd = os.open(self.profile_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        fd: int | None = None
        try:
            fcntl.flock(folder_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            for held in (fd, folder_fd):
                if held is not None:
                    os.close(held)
            holder = LockHolder.read(self.path) or LockHolder(None, "", "")
            raise ProfileLocked(self.profile_dir, holder.pid, holder.host, holder.since, holder.command) from None
        except BaseException:
            for held in (fd, folder_fd):
                if held is not None:
                    os.close(held)
            raise
        self._folder_fd = folder_fd
        previous = LockHolder.read(self.path)
        if previous is not None and previous.pid is not None:
            # The lock was free, so whoever wrote this content ended without releasing it cleanly.
            self.stale = previous
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv[:4])),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)  # a clean exit leaves no holder to report as stale
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None
            if self._folder_fd is not None:
                os.close(self._folder_fd)  # closing the last descriptor drops the folder's lock
                self._folder_fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def current_holder(profile_dir: Path) -> LockHolder | None:
    """Who writes this profile now, as far as the lock file tells (None when nobody does).

    Only reads the file: probing the lock itself could make a writer starting at that moment fail.
    """
    holder = LockHolder.read(profile_dir / LOCK_NAME)
    if holder is None or holder.pid is None or not holder.alive_here():
        return None
    return holder
