"""`exact-tui demo` removes its throw-away profile when the terminal goes away (SIGHUP) or it is killed (SIGTERM)."""
from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time

import pytest


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_demo_cleans_up_its_folder_when_killed(signum, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    controller, terminal = pty.openpty()  # the console needs a terminal, like over SSH
    env = {**os.environ, "TMPDIR": str(temp), "COLUMNS": "80", "LINES": "24", "TERM": "xterm-256color"}
    proc = subprocess.Popen([sys.executable, "-m", "exact_tui", "--data-dir", str(tmp_path / "data"), "demo",
                             "--customers", "20"], stdin=terminal, stdout=terminal, stderr=terminal, env=env,
                            start_new_session=True)
    os.close(terminal)
    try:
        deadline = time.monotonic() + 30
        store = None
        while time.monotonic() < deadline and proc.poll() is None:
            folders = list(temp.glob("exact-tui-demo-*"))
            if folders and any(folders[0].rglob("writer.lock")):
                store = folders[0]
                break
            _drain(controller)
        assert store is not None, "the demo did not start"
        _drain(controller, seconds=1.0)  # let the console paint
        proc.send_signal(signum)
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            _drain(controller)
        assert proc.poll() is not None, "the demo did not end on the signal"
        assert not store.exists(), "the throw-away profile was left behind"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(controller)


def _drain(fd: int, seconds: float = 0.05) -> None:
    """Read what the console writes, so it never blocks on a full terminal buffer."""
    import select

    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return
