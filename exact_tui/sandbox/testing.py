"""Helpers for other areas' tests: approve an authorization without a browser, run a sandbox."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .config import Behaviour, SandboxConfig
from .server import SandboxServer


def approve(authorize_url: str, username: str = "demo", password: str = "demo") -> str:
    """Log in and consent the way the login form does; returns the redirect URL with code and state
    (what a user would paste back). Raises RuntimeError with the page text when Exact refuses."""
    import httpx

    parts = urlsplit(authorize_url)
    params = dict(parse_qsl(parts.query))
    form = {k: params.get(k, "") for k in ("client_id", "redirect_uri", "response_type", "state")}
    form.update(username=username, password=password, consent="allow")
    answer = httpx.post(f"{parts.scheme}://{parts.netloc}{parts.path}", data=form, follow_redirects=False, timeout=10)
    if answer.status_code != 302:
        raise RuntimeError(f"authorization refused ({answer.status_code}): {answer.text[:300]}")
    return answer.headers["location"]


@contextmanager
def running_sandbox(**config: Any) -> Iterator[SandboxServer]:
    """`with running_sandbox(customers=50, time_scale=60) as server: …` — started, stopped after."""
    behaviour = config.pop("behaviour", None)
    if isinstance(behaviour, dict):
        values, behaviour = behaviour, Behaviour()
        behaviour.update(values)
    seed = config.pop("seed_data", None)
    cfg = SandboxConfig(**config, **({"behaviour": behaviour} if behaviour else {}))
    server = SandboxServer(cfg, seed=seed)
    server.start()
    try:
        yield server
    finally:
        server.stop()
