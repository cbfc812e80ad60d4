"""`exact-tui demo`: a throw-away profile whose local side matches the sandbox's seeded Exact data.

The demo's point is that a new user walks the whole set-up in a minute: the sandbox carries the
Exact side, this puts the seed's local customers, contacts, invoices and dimensions into the
profile's store through the same repositories an import uses.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .events import Side
from .session import ConsoleSession, DemoConnection


def fill_local_side(store: Any, local: Any) -> dict[str, int]:
    """Put the seed's LocalSet into the store (one write per table); returns counts per table."""
    counts: dict[str, int] = {}
    for name in ("customers", "contacts", "invoices", "dimensions"):
        rows = list(getattr(local, name, []) or [])
        if rows:
            getattr(store, name).put_many(rows)
        counts[name] = len(rows)
    return counts


Approve = Callable[[str, str, str], str]


def demo_connection(server: Any, approve: Approve | None = None) -> DemoConnection:
    """Step 1's values for `server`; `approve` (the sandbox's login-as-a-browser) enables ctrl+e."""
    return DemoConnection(server.base_url, server.client_id, server.client_secret, server.redirect_uri,
                          approve=approve)


async def approve_as_demo_user(session: ConsoleSession, authorize_url: str) -> str:
    """The demo shortcut: log in as the demo user and return the address to paste back.

    Refused outside `exact-tui demo` (no demo connection, or none that can approve)."""
    demo = session.demo
    if demo is None or demo.approve is None:
        raise ValueError("the demo shortcut only exists in `exact-tui demo`")
    return await asyncio.to_thread(demo.approve, authorize_url, demo.username, demo.password)


def open_demo_session(server: Any, data_dir: str, approve: Approve | None = None) -> ConsoleSession:
    """A fresh `demo` profile in `data_dir`, its local side imported, step 1 pre-filled for `server`."""
    session = ConsoleSession.open("demo", data_dir, demo=demo_connection(server, approve))
    counts = fill_local_side(session.store, server.seed.local)
    session.events.info(
        f"Demo profile: {counts['customers']:,} local customers, {counts['contacts']:,} contacts, "
        f"{counts['invoices']:,} invoices, {counts['dimensions']:,} dimensions imported",
        side=Side.LOCAL, topic="demo")
    session.events.info(f"Sandbox Exact Online at {server.base_url} — log in as demo/demo", side=Side.CONSOLE,
                        topic="demo")
    return session
