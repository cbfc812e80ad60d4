"""`SandboxServer`: uvicorn in a background thread, on a socket bound before the thread starts
(so `port=0` yields a known free port at once), with an optional state-file saver."""
from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .app import Runtime, build_app
from .clock import ScaledClock
from .config import SandboxConfig

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
SAVE_EVERY = 1.0  # seconds between state-file saves while something changed


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SandboxServer:
    """A running Exact Online stand-in. `with SandboxServer(SandboxConfig()) as server: …`"""

    def __init__(self, config: SandboxConfig | None = None, *, seed: Any = None) -> None:
        self.config = config or SandboxConfig()
        if seed is None:
            from . import seed as seed_module

            seed = seed_module.generate(customers=self.config.customers, seed=self.config.seed)
        self.runtime = Runtime(self.config, seed)
        self.seed = seed
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._saver: threading.Thread | None = None
        self._stopping = threading.Event()
        self._socket: socket.socket | None = None
        self.base_url = ""

    # the shared interface ------------------------------------------------------------
    @property
    def world(self):
        return self.runtime.world

    @property
    def clock(self) -> ScaledClock:
        return self.runtime.clock

    @property
    def client_id(self) -> str:
        return self.runtime.world.client_id

    @property
    def client_secret(self) -> str:
        return self.runtime.world.client_secret

    @property
    def redirect_uri(self) -> str:
        return self.runtime.world.redirect_uri

    @property
    def port(self) -> int:
        return self._socket.getsockname()[1] if self._socket else 0

    def set_faults(self, profile: str | None) -> None:
        """Switch fault profiles at run time (None clears); see faults.py for the names."""
        self.runtime.set_faults(profile)

    @contextmanager
    def faults(self, profile: str) -> Iterator[None]:
        """`with server.faults("drop-after-commit"): …` — the profile for that block, cleared after."""
        self.set_faults(profile)
        try:
            yield
        finally:
            self.set_faults(None)

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> "SandboxServer":
        import uvicorn

        host = self.config.host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # answers are written in pieces
        sock.bind((host, self.config.port))
        sock.listen(128)
        self._socket = sock
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        self.base_url = f"http://{shown}:{self.port}"
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)  # dropped connections are on purpose
        config = uvicorn.Config(build_app(self.runtime), log_level="warning", access_log=False, lifespan="off",
                                log_config=None, timeout_keep_alive=30,
                                date_header=False)  # the app sends Date on the sandbox clock
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"exact-sandbox:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.005)
        if self.config.state_file:
            self._saver = threading.Thread(target=self._save_loop, name="exact-sandbox-state", daemon=True)
            self._saver.start()
        return self

    def _save_loop(self) -> None:
        while not self._stopping.wait(SAVE_EVERY):
            if self.runtime.world.dirty:
                self.runtime.save_state()

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._saver is not None:
            self._saver.join(timeout=5)
        if self.config.state_file:
            self.runtime.save_state()
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._saver = None

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
