"""OAuth 2.0 as Exact runs it: a login + consent page, single-use codes, 600 s access tokens,
rotating refresh tokens, the 570 s too-early rule, 30-day refresh expiry, inactive users.

The POST of the login form is also the documented browser-less path for tests:
`POST /api/oauth2/auth` with client_id, redirect_uri, response_type=code, state, username, password,
consent=allow → 302 to `redirect_uri?code=…&state=…`.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import secrets
import uuid
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .world import AccessToken, AuthCode, Chain, RefreshToken, User

if TYPE_CHECKING:
    from .app import Runtime

ACCESS_SECONDS = 600
CODE_SECONDS = 180
REFRESH_SECONDS = 30 * 86400
SESSION_COOKIE = "exact_sandbox_session"


def exact_time(epoch: float) -> str:
    """Exact's US-style time in messages: `10/11/2022 9:18:20 PM`."""
    t = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    hour = t.hour % 12 or 12
    return f"{t.month}/{t.day}/{t.year} {hour}:{t.minute:02d}:{t.second:02d} {'AM' if t.hour < 12 else 'PM'}"


def _oauth_error(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


# ------------------------------------------------------------------ authorize (login + consent)

def _error_page(title: str, text: str, status: int = 400) -> HTMLResponse:
    return HTMLResponse(_page(title, f"<p class='error'>{html.escape(text)}</p>"), status_code=status)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} · Exact Online sandbox</title>"
        "<style>body{font-family:sans-serif;max-width:30em;margin:3em auto;color:#222}"
        "h1{color:#e0001b;font-size:1.4em}.error{color:#b00020}label{display:block;margin:.6em 0}"
        "input[type=text],input[type=password]{width:100%;padding:.3em}button{margin:.8em .5em 0 0;padding:.4em 1em}"
        "small{color:#666}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}"
        "<p><small>Exact Online sandbox — a local stand-in, not the real service.</small></p></body></html>"
    )


def same_client(sent: str, registered: str) -> bool:
    """Exact's client ids are GUIDs: `{…}`-braced or upper-case spellings name the same app."""
    if sent == registered:
        return True
    try:
        return uuid.UUID(sent.strip()) == uuid.UUID(registered.strip())  # UUID() takes braces and any case
    except ValueError:
        return False


def _check_client(rt: "Runtime", client_id: str, redirect_uri: str) -> HTMLResponse | None:
    """Refuse unknown apps and unregistered redirect URIs on a page: never redirect to an unknown URI."""
    if not same_client(client_id, rt.world.client_id):
        return _error_page("Unknown application", f"No application is registered with client_id {client_id!r}.")
    if redirect_uri != rt.world.redirect_uri:
        return _error_page(
            "Redirect URI mismatch",
            f"The redirect_uri {redirect_uri!r} does not match the redirect URI registered for this application, "
            "character for character.",
        )
    return None


def _form(params: dict[str, str], user: User | None, error: str = "") -> str:
    hidden = "".join(
        f"<input type='hidden' name='{k}' value='{html.escape(params.get(k, ''), quote=True)}'>"
        for k in ("client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method")
    )
    err = f"<p class='error'>{html.escape(error)}</p>" if error else ""
    if user is not None:  # already logged in (session cookie): consent only
        who = (f"<p>Signed in as <b>{html.escape(user.full_name)}</b> ({html.escape(user.username)}).</p>"
               f"<input type='hidden' name='username' value='{html.escape(user.username, quote=True)}'>")
    else:
        who = ("<label>Username <input type='text' name='username' autofocus></label>"
               "<label>Password <input type='password' name='password'></label>")
    return (
        f"{err}<form method='post' action='/api/oauth2/auth'>{hidden}{who}"
        "<p>The application asks for access to your Exact Online administrations.</p>"
        "<button name='consent' value='allow' type='submit'>Allow</button>"
        "<button name='consent' value='deny' type='submit'>Deny</button></form>"
    )


async def authorize_get(request: Request) -> Response:
    rt: Runtime = request.app.state.runtime
    params = dict(request.query_params)
    refused = _check_client(rt, params.get("client_id", ""), params.get("redirect_uri", ""))
    if refused:
        return refused
    if params.get("response_type") != "code":
        return _redirect(rt, params.get("state", ""), error="unsupported_response_type")
    user = None
    if params.get("force_login") not in ("1", "true"):
        user = rt.world.users.get(rt.world.auth.sessions.get(request.cookies.get(SESSION_COOKIE, ""), ""))
    return HTMLResponse(_page("Exact Online — log in and allow access", _form(params, user)))


async def authorize_post(request: Request) -> Response:
    rt: Runtime = request.app.state.runtime
    form = await request.form()
    params = {k: str(v) for k, v in form.items()}
    refused = _check_client(rt, params.get("client_id", ""), params.get("redirect_uri", ""))
    if refused:
        return refused
    state = params.get("state", "")
    if params.get("response_type", "code") != "code":
        return _redirect(rt, state, error="unsupported_response_type")
    username = params.get("username", "")
    user = rt.world.users.get(username)
    session_user = rt.world.users.get(rt.world.auth.sessions.get(request.cookies.get(SESSION_COOKIE, ""), ""))
    logged_in = user is not None and (
        secrets.compare_digest(params.get("password", ""), user.password)
        or (session_user is user and "password" not in params)
    )
    if not logged_in:
        return HTMLResponse(_page("Exact Online — log in and allow access",
                                  _form(params, None, "Unknown username or wrong password.")), status_code=401)
    if params.get("consent") != "allow":
        return _redirect(rt, state, error="access_denied")
    with rt.world.lock:
        code = secrets.token_urlsafe(32)
        rt.world.auth.codes[code] = AuthCode(code, rt.world.client_id, rt.world.redirect_uri, user.username,
                                             rt.clock.time() + CODE_SECONDS)
        session = secrets.token_urlsafe(16)
        rt.world.auth.sessions[session] = user.username
    response = _redirect(rt, state, code=code)
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax")
    return response


def _redirect(rt: "Runtime", state: str, **values: str) -> RedirectResponse:
    query = urlencode({**values, "state": state} if state else values)
    sep = "&" if "?" in rt.world.redirect_uri else "?"
    return RedirectResponse(f"{rt.world.redirect_uri}{sep}{query}", status_code=302)


# ------------------------------------------------------------------ token endpoint

async def token(request: Request) -> Response:
    rt: Runtime = request.app.state.runtime
    form = {k: str(v) for k, v in (await request.form()).items()}
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    auth_header = request.headers.get("authorization", "")
    basic = auth_header.lower().startswith("basic ")
    if not form.get("client_secret") and basic and rt.behaviour.accept_basic_auth:
        # client_secret_basic (RFC 6749 §2.3.1): base64 of form-encoded "id:secret" — how widely used
        # OAuth libraries log in to Exact by default
        try:
            pair = base64.b64decode(auth_header[6:].strip(), validate=True).decode()
            basic_id, _, secret = (unquote_plus(part) for part in pair.partition(":"))
        except ValueError:
            basic_id, secret = "", ""
        if client_id and not same_client(basic_id, client_id):
            basic_id = ""  # two different apps named in one request
        client_id = basic_id
    if not same_client(client_id, rt.world.client_id) or \
            not secrets.compare_digest(secret.encode("utf-8", "replace"), rt.world.client_secret.encode()):
        hint = " (send client_id and client_secret in the form body)" if basic and not rt.behaviour.accept_basic_auth \
            else ""
        return _oauth_error(401, "invalid_client", f"Client authentication failed{hint}.")
    grant = form.get("grant_type", "")
    with rt.world.lock:
        if grant == "authorization_code":
            return _exchange_code(rt, form)
        if grant == "refresh_token":
            return _refresh(rt, form)
    return _oauth_error(400, "unsupported_grant_type", f"grant_type {grant!r} is not supported.")


def _user_refusal(rt: "Runtime", user: User | None, client_id: str) -> Response | None:
    if user is None or not user.active or user.blocked or rt.faults.active("user-revoked"):
        return _oauth_error(400, "invalid_grant", "The user is not active")
    if not rt.token_calls.take(client_id, user.username, rt.behaviour.token_calls_per_day):
        return _oauth_error(400, "access_denied",
                            f"Rate limit exceeded: more than {rt.behaviour.token_calls_per_day} token requests today")
    return None


def _exchange_code(rt: "Runtime", form: dict[str, str]) -> Response:
    auth = rt.world.auth
    entry = auth.codes.get(form.get("code", ""))
    now = rt.clock.time()
    if entry is None or entry.used or entry.expires_at <= now:
        why = "unknown" if entry is None else "already used" if entry.used else "expired"
        if entry is not None:
            entry.used = True
        return _oauth_error(400, "invalid_grant", f"The authorization code is {why}.")
    if form.get("redirect_uri", "") != entry.redirect_uri:
        return _oauth_error(400, "invalid_grant", "The redirect_uri does not match the one used to get the code.")
    entry.used = True
    user = rt.world.users.get(entry.username)
    refusal = _user_refusal(rt, user, entry.client_id)
    if refusal:
        return refusal
    if rt.behaviour.consent_revokes_previous:
        for chain in auth.chains.values():
            if chain.username == user.username and chain.client_id == entry.client_id and not chain.revoked:
                _revoke_chain(rt, chain)
    chain = Chain(str(uuid.uuid4()), user.username, entry.client_id)
    auth.chains[chain.id] = chain
    return _issue(rt, chain, predecessor=None)


def _revoke_chain(rt: "Runtime", chain: Chain) -> None:
    chain.revoked = True
    for rtok in rt.world.auth.refresh.values():
        if rtok.chain == chain.id and rtok.state == "live":
            rtok.state = "revoked"
    for token_ in [t for t, a in rt.world.auth.access.items() if a.chain == chain.id]:
        del rt.world.auth.access[token_]


def _refresh(rt: "Runtime", form: dict[str, str]) -> Response:
    auth = rt.world.auth
    now = rt.clock.time()
    presented = auth.refresh.get(form.get("refresh_token", ""))
    if rt.faults.active("refresh-rotated"):
        return _oauth_error(401, "unauthorized_client", "Old refresh token used.")
    if rt.faults.active("refresh-expired") and presented is not None:
        presented.expires_at = min(presented.expires_at, now - 1)
    if presented is None:
        return _oauth_error(400, "invalid_grant", "The refresh token is unknown.")
    chain = auth.chains[presented.chain]
    user = rt.world.users.get(chain.username)
    if chain.revoked and chain.revoked_because == "password":
        return _oauth_error(400, "invalid_grant",
                            "The refresh token is no longer valid: the user's password was changed.")
    if presented.state == "revoked" or chain.revoked:
        return _oauth_error(400, "invalid_grant",
                            "The refresh token was revoked by a newer authorization of this user for this app.")
    if presented.state == "used":
        return _oauth_error(401, "unauthorized_client", "Old refresh token used.")
    if presented.expires_at <= now:
        return _oauth_error(400, "invalid_request",
                            f"The refresh token expired at {exact_time(presented.expires_at)} and it is now {exact_time(now)}.")
    refusal = _user_refusal(rt, user, chain.client_id)
    if refusal:
        return refusal
    wait = rt.behaviour.too_early_seconds - (now - chain.last_access_at)
    if wait > 0:
        return _oauth_error(
            rt.behaviour.too_early_status, "access_denied", "Rate limit exceeded: access_token not expired",
            headers={"Reason": f"TooEarlyToRefreshTokens: the access token can be refreshed in {int(wait) + 1} seconds"},
        )
    if presented.predecessor and presented.predecessor in auth.refresh:
        pred = auth.refresh[presented.predecessor]
        if pred.state == "live":  # grace mode: the predecessor dies when its successor is first used
            pred.state = "used"
    if presented.successor and presented.successor in auth.refresh:
        auth.refresh[presented.successor].state = "used"  # a second branch replaces the first
    presented.state = "live" if rt.behaviour.refresh_rotation == "grace" else "used"
    return _issue(rt, chain, predecessor=presented)


def _issue(rt: "Runtime", chain: Chain, predecessor: RefreshToken | None) -> Response:
    now = rt.clock.time()
    auth = rt.world.auth
    access = "stampNL001." + secrets.token_urlsafe(48)
    refresh = "stampNL001." + secrets.token_urlsafe(32)
    auth.access[access] = AccessToken(access, chain.id, chain.username, chain.client_id, now, now + ACCESS_SECONDS)
    auth.refresh[refresh] = RefreshToken(refresh, chain.id, now, now + REFRESH_SECONDS,
                                         predecessor=predecessor.token if predecessor else None)
    if predecessor is not None:
        predecessor.successor = refresh
    chain.last_access_at = now
    rt.world.dirty = True
    return JSONResponse(
        {"access_token": access, "token_type": "bearer", "expires_in": str(ACCESS_SECONDS), "refresh_token": refresh},
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def bearer_user(rt: "Runtime", request: Request) -> tuple[AccessToken | None, User | None]:
    """The access token and user behind `Authorization: Bearer …`, or (None, None) when unknown/expired.
    An expired token still names its user (for the error cap), with token None."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None, None
    entry = rt.world.auth.access.get(header[7:].strip())
    if entry is None:
        return None, None
    user = rt.world.users.get(entry.username)
    if entry.expires_at <= rt.clock.time() or rt.faults.active("user-revoked"):
        return None, user
    return entry, user
