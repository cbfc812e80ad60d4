"""Helpers for the client's integration tests: a sandbox on loopback and a logged-in token store."""
from __future__ import annotations

from pathlib import Path

from exact_tui.exact import AuthError, ExactClient, ExactConfig, TokenStore, oauth


def config_for(server, division: int | None = None) -> ExactConfig:
    return ExactConfig(server.base_url, server.client_id, server.client_secret, server.redirect_uri, division)


def user(server, username: str):
    return next(u for u in server.seed.users if u.username == username)


async def login(server, folder: Path, username: str = "demo") -> tuple[ExactConfig, TokenStore]:
    """The full paste-back login, the way a user does it (browser step done by `approve`)."""
    from exact_tui.sandbox.testing import approve

    config = config_for(server, user(server, username).current_division)
    store = TokenStore(folder / "tokens.json", clock=server.clock)
    for attempt in range(5):
        state = oauth.new_state()
        redirect = approve(oauth.authorize_url(config, state), username, username)
        try:
            await oauth.exchange_redirect(config, store, redirect, state)
            return config, store
        except AuthError as exc:
            # at a large time scale a 3-minute code lives a few dozen ms of wall time: on a busy
            # machine it can expire between approving and exchanging; a user would log in again too
            if "authorization code" not in str(exc) or attempt == 4:
                raise
    raise AssertionError("unreachable")


def client(server, config: ExactConfig, store: TokenStore, **kw) -> ExactClient:
    return ExactClient(config, store, clock=server.clock, **kw)
