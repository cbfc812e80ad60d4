"""The one atomic file write: every file exact-tui replaces goes through `atomic_write`.

A file is never rewritten in place (a kill halfway would leave half a file and lose the rest): the
new content goes to a temp file in the same folder (`.<name>.<random>.tmp`), is fsynced, then
`os.replace`d over the target (atomic on POSIX and Windows), and the folder is fsynced so the rename
itself survives a power cut. A reader, or a crash at any moment, sees the old or the new file.

It lives in `domain/` because every layer writes files this way (the store's tables, the tokens and
app settings, the console's preferences, the sandbox's state and seed exports) and `domain/` is the
one package all of them may import; it needs nothing but the standard library. A left-over temp
file (the process was killed between write and rename) matches `.*.tmp`; the store's writer and
the token store delete them.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600  # profile files hold client data and secrets: only the user reads them


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened or fsynced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, mode: int = FILE_MODE,
                 encoding: str = "utf-8", parents: bool = False) -> Path:
    """Replace `path` with `data` (text is encoded with `encoding`) so that a crash leaves the old or
    the new content, never a mix. `mode` is the file's permission bits; `parents` makes the folder
    (0700) first. Returns the path."""
    target = Path(path)
    if parents:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        try:
            os.fchmod(fd, mode)
        except (AttributeError, OSError):  # pragma: no cover - no fchmod on Windows
            pass
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)
    return target
