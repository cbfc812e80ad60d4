"""Exact Online's OAuth 2.0 authorization-code flow, made to work over SSH.

The consultant's browser is usually not on the machine running the console, so the normal path is:
print `authorize_url(...)`, the user logs in on their own machine, and pastes back the URL the
browser ended on (or just its `code`); `exchange_redirect` checks `state` and stores the tokens.
When a browser can reach this machine, `listen_for_redirect` catches the redirect on 127.0.0.1.

Built on authlib's RFC 6749 primitives (grant URI, code-response parsing with the state check,
token-request bodies with `client_secret_post`); the HTTP goes through our own httpx client so
the rest of the client's rules (timeouts, one clock, typed errors) apply to it as well.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import urllib.parse
from dataclasses import dataclass

import httpx
from authlib.oauth2.rfc6749.errors import MismatchingStateException, MissingCodeException
from authlib.oauth2.rfc6749.parameters import parse_authorization_code_response, prepare_grant_uri, prepare_token_request

from .clock import SYSTEM_CLOCK, Clock
from .config import ExactConfig
from .errors import AuthError, NetworkError, RateLimited, ReconnectRequired
from .tokens import ACCESS_TOKEN_LIFETIME, TokenSet, TokenStore

TOKEN_ENDPOINT_LABEL = "POST /api/oauth2/token"


class TooEarlyToRefresh(AuthError):
    """Exact refused a new access token because the current one is younger than 570 s.

    Internal: the token manager answers it by re-reading the store (another process probably
    refreshed); it only escapes when that does not help.
    """


class StateMismatch(AuthError):
    """The pasted redirect belongs to another login attempt (or was tampered with)."""


def new_state() -> str:
    """An unguessable `state` for one login attempt."""
    return secrets.token_urlsafe(24)


def authorize_url(config: ExactConfig, state: str, *, force_login: bool = False) -> str:
    """The URL the user opens in a browser (on any machine) to log in and consent."""
    url = prepare_grant_uri(config.auth_url, config.client_id, "code", redirect_uri=config.redirect_uri, state=state)
    if force_login:
        url += "&force_login=1"
    return url


def code_from_pasted(pasted: str, expected_state: str | None) -> str:
    """The authorization code from what the user pasted: the full redirect URL, its query, or the bare code.

    A URL must carry the `state` of this login attempt; a bare code cannot be checked and is taken
    as is (the user typed it from their own browser's address bar).
    """
    text = pasted.strip().strip('"').strip("'")
    if not text:
        raise AuthError("nothing was pasted: paste the full address the browser shows after logging in, or its code")
    looks_like_url = "://" in text or text.startswith("?") or "code=" in text or "error=" in text
    if not looks_like_url:
        if any(ch.isspace() for ch in text):
            raise AuthError("that does not look like an authorization code or a redirect URL")
        return urllib.parse.unquote(text)
    if "://" not in text:
        text = "http://pasted/" + (text if text.startswith("?") else "?" + text)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(text).query))
    if "error" in query:
        reason = query.get("error_description") or query["error"]
        raise AuthError(f"Exact Online did not grant access: {reason}")
    try:
        params = parse_authorization_code_response(text, state=expected_state)
    except MismatchingStateException:
        raise StateMismatch("the pasted address belongs to another login attempt (state does not match); "
                            "open the newest login link and paste its result") from None
    except MissingCodeException:
        raise AuthError("the pasted address has no code: paste the address the browser shows after logging in") from None
    return params["code"]


def _error_fields(response: httpx.Response) -> tuple[str, str]:
    try:
        data = response.json()
    except (ValueError, json.JSONDecodeError):
        return "", response.text[:300]
    if isinstance(data, dict):
        if isinstance(data.get("error"), dict):  # REST-style envelope
            message = data["error"].get("message")
            value = message.get("value") if isinstance(message, dict) else message
            return str(data["error"].get("code") or ""), str(value or "")
        return str(data.get("error") or ""), str(data.get("error_description") or "")
    return "", str(data)[:300]


def classify_token_error(response: httpx.Response) -> Exception:
    """Turn a refused token request into the error the caller can act on."""
    error, description = _error_fields(response)
    reason_header = response.headers.get("Reason", "")
    text = description or error or f"HTTP {response.status_code}"
    lower = f"{error} {description} {reason_header}".lower()
    if "tooearlytorefreshtokens" in lower or "not expired" in lower:
        return TooEarlyToRefresh(text, status=response.status_code, endpoint=TOKEN_ENDPOINT_LABEL)
    if response.status_code == 429 or "token requests today" in lower:
        return RateLimited(f"Exact's token endpoint refuses more calls today: {text}", scope="token",
                           reset_at=None, endpoint=TOKEN_ENDPOINT_LABEL)
    if response.status_code >= 500:
        return NetworkError(f"Exact's token endpoint failed: {text}", status=response.status_code,
                            endpoint=TOKEN_ENDPOINT_LABEL)
    if error in {"invalid_grant", "unauthorized_client", "invalid_request"} or "refresh token" in lower \
            or "not active" in lower:
        return ReconnectRequired(text, status=response.status_code, endpoint=TOKEN_ENDPOINT_LABEL)
    return AuthError(f"Exact refused the token request: {text}", status=response.status_code, endpoint=TOKEN_ENDPOINT_LABEL)


def _token_set(data: dict, *, config: ExactConfig, now: float, previous: TokenSet | None) -> TokenSet:
    try:
        access, refresh = data["access_token"], data["refresh_token"]
    except KeyError as exc:
        raise AuthError(f"Exact's token answer lacks {exc.args[0]}") from None
    try:
        lifetime = float(data.get("expires_in", ACCESS_TOKEN_LIFETIME))  # Exact sends the string "600"
    except (TypeError, ValueError):
        lifetime = ACCESS_TOKEN_LIFETIME
    return TokenSet(
        access_token=access,
        refresh_token=refresh,
        expires_at=now + lifetime,
        obtained_at=now,
        connected_at=previous.connected_at if previous else now,
        refresh_count=(previous.refresh_count + 1) if previous else 0,
        token_type=str(data.get("token_type", "bearer")),
        base_url=config.base_url,
        client_id=config.client_id,
        owner=previous.owner if previous else TokenSet.__dataclass_fields__["owner"].default_factory(),  # type: ignore[misc,operator]
    )


async def _post_token(http: httpx.AsyncClient, config: ExactConfig, body: str) -> httpx.Response:
    try:
        return await http.post(
            config.token_url,
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
    except httpx.HTTPError as exc:
        raise NetworkError(f"could not reach Exact's token endpoint: {type(exc).__name__}",
                           endpoint=TOKEN_ENDPOINT_LABEL) from None


async def request_tokens(http: httpx.AsyncClient, config: ExactConfig, *, clock: Clock = SYSTEM_CLOCK,
                         code: str | None = None, refresh_token: str | None = None,
                         previous: TokenSet | None = None) -> TokenSet:
    """One call to the token endpoint (authorization code or refresh grant) with client_secret_post."""
    if code is not None:
        body = prepare_token_request("authorization_code", code=code, redirect_uri=config.redirect_uri,
                                     client_id=config.client_id, client_secret=config.client_secret)
    else:
        body = prepare_token_request("refresh_token", refresh_token=refresh_token,
                                     client_id=config.client_id, client_secret=config.client_secret)
    response = await _post_token(http, config, body)
    now = clock.time()
    if response.status_code != 200:
        error = classify_token_error(response)
        if code is not None and isinstance(error, ReconnectRequired):
            # A refused *code* is not a dead connection: the code expired (3 min) or was used.
            error = AuthError(f"Exact refused the authorization code ({error.reason}); log in again and paste "
                              "the new address within 3 minutes", status=response.status_code,
                              endpoint=TOKEN_ENDPOINT_LABEL)
        raise error
    try:
        data = response.json()
    except ValueError:
        raise NetworkError("Exact's token endpoint answered with something that is not JSON",
                           endpoint=TOKEN_ENDPOINT_LABEL) from None
    return _token_set(data, config=config, now=now, previous=previous if code is None else None)


async def exchange_redirect(config: ExactConfig, tokens: TokenStore, pasted_url_or_code: str, expected_state: str | None,
                            *, http: httpx.AsyncClient | None = None, clock: Clock | None = None) -> TokenSet:
    """Finish a login: check `state`, trade the code for tokens, store them. Returns the new tokens.

    A new login replaces the previous token chain (Exact revokes it anyway on a second consent).
    """
    code = code_from_pasted(pasted_url_or_code, expected_state)
    clock = clock or tokens.clock
    own = http is None
    client = http or httpx.AsyncClient(timeout=30.0)
    try:
        new = await request_tokens(client, config, clock=clock, code=code)
    finally:
        if own:
            await client.aclose()
    async with tokens.alocked():
        tokens.save(new)
    return new


# -- the one-shot local listener ---------------------------------------------------------------
@dataclass(slots=True)
class ListenTarget:
    host: str
    port: int
    path: str


def listen_target(redirect_uri: str) -> ListenTarget:
    """Where a local listener must listen to catch `redirect_uri`; only loopback http URIs qualify."""
    parts = urllib.parse.urlsplit(redirect_uri)
    host = parts.hostname or ""
    if parts.scheme != "http" or host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"the redirect URI {redirect_uri!r} is not a loopback http address; "
                         "use the paste-back flow instead of --listen")
    return ListenTarget(host="127.0.0.1" if host == "localhost" else host, port=parts.port or 80, path=parts.path or "/")


_DONE_PAGE = (b"<!doctype html><meta charset=utf-8><title>exact-tui</title>"
              b"<body style='font-family:sans-serif'><h2>Exact Online answered.</h2>"
              b"<p>You can close this tab and return to the terminal.</p></body>")


async def listen_for_redirect(redirect_uri: str, *, timeout: float = 300.0,
                              ready: asyncio.Future[ListenTarget] | None = None) -> str:
    """Serve exactly one request on the redirect URI's loopback port; return the full URL it carried.

    `ready` (optional) is resolved once the port is open, so a caller can then open the browser.
    """
    target = listen_target(redirect_uri)
    loop = asyncio.get_running_loop()
    result: asyncio.Future[str] = loop.create_future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await asyncio.wait_for(reader.readline(), 10)).decode("latin-1")
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.split()
            path = parts[1] if len(parts) >= 2 else "/"
            if urllib.parse.urlsplit(path).path != target.path or result.done():
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
                         + f"Content-Length: {len(_DONE_PAGE)}\r\n\r\n".encode() + _DONE_PAGE)
            scheme_host = redirect_uri.split(target.path, 1)[0] if target.path != "/" else redirect_uri.rstrip("/")
            result.set_result(scheme_host + path)
        except (asyncio.TimeoutError, ConnectionError):
            pass
        finally:
            with contextlib.suppress(Exception):
                await writer.drain()
            writer.close()

    server = await asyncio.start_server(handle, target.host, target.port)
    try:
        if ready is not None and not ready.done():
            ready.set_result(target)
        return await asyncio.wait_for(result, timeout)
    except asyncio.TimeoutError:
        raise AuthError(f"no browser came back to {redirect_uri} within {timeout:.0f} s") from None
    finally:
        server.close()
        await server.wait_closed()

