"""`/sandbox/…`: controls for support engineers and tests (not Exact paths, no authentication —
the sandbox binds to loopback for that reason).

| method + path | body | effect |
|---|---|---|
| `GET /sandbox` | | summary: base URL, app, users, faults, behaviour, clock, endpoint list |
| `GET/POST /sandbox/faults` | `{"profile": "latency:500,flaky-5xx"}` (null clears) | switch fault profiles |
| `POST /sandbox/users/{username}/{deactivate,activate,block,unblock}` | | user state (invalid_grant / 403 reasons) |
| `POST /sandbox/users/{username}/password` | `{"password": "new"}` | the user changed their password: every token chain of theirs ends (refresh → invalid_grant), REST → 401 |
| `POST /sandbox/users/{username}/rights` | `{"denied": ["salesentry"]}` | areas the Exact user has no rights in (403 or empty lists, see `insufficient_rights`) |
| `POST /sandbox/tokens/expire-refresh` | | every refresh token expires now (30-day message) |
| `POST /sandbox/tokens/expire-access` | | every access token expires now (REST answers 401) |
| `POST /sandbox/tokens/revoke` | | every token chain is revoked (as a second consent would) |
| `GET /sandbox/clock`, `POST /sandbox/clock/advance` | `{"seconds": 600}` | read / jump the sandbox clock |
| `POST /sandbox/limits/reset` | | clear minute/day counters, error-cap blocks and token-call counts |
| `GET /sandbox/stats`, `POST /sandbox/stats/reset` | | calls per endpoint and status, faults fired |
| `GET/POST /sandbox/behaviour` | `{"refresh_rotation": "grace"}` | read / change the "likely" behaviours |
| `POST /sandbox/app/scopes` | `{"scopes": ["crm.read"]}` (null = all) | narrow the app's scopes |
| `POST /sandbox/app/divisions` | `{"granted": [123]}` | the divisions granted to the app |
| `POST /sandbox/divisions/{division}` | `{"LicenseExpired": true}` | division state: `Blocked`, `CustomerBlocked`, `LicenseExpired` (403 + `Reason`), `InvoicingModule` false (sales invoices 403) |
| `POST /sandbox/divisions/{division}/receivables/{id}/pay` | `{"matched": true}` | mark an open item paid |
| `POST /sandbox/divisions/{division}/rows/{service}/{Entity}/{key}` | `{"Blocked": true}` | change any stored row (block an account, make an item non-divisible …); bumps its Timestamp |
| `POST /sandbox/divisions/{division}/rows/financial/FinancialPeriods/{id}` | `{"Closed": true, "Journal": "70"}` | close (`false`: reopen) a period for one journal, or without `Journal` for every journal; `read/financial/JournalStatusList` and the booking rules follow |
| `DELETE /sandbox/divisions/{division}/rows/{service}/{Entity}/{key}` | | delete a row behind the integration's back (a sales entry with its lines and receivable); listed in `sync/Deleted` |
| `POST /sandbox/state/save` | | write the state file now (with `--state`) |
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from exact_tui.domain.customer import pad_account_code

from . import periods, rules, writes
from .messages import SandboxError
from .values import load_body
from .schema import ALL_SCOPES, ROUTES

if TYPE_CHECKING:
    from .app import Runtime


def _rt(request: Request) -> "Runtime":
    return request.app.state.runtime


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        value = load_body(raw)
    except ValueError as exc:
        raise _Bad(f"the body must be JSON ({exc})") from None
    if not isinstance(value, dict):
        raise _Bad("the body must be a JSON object")
    return value


class _Bad(Exception):
    pass


def _ok(**values: Any) -> JSONResponse:
    return JSONResponse({"ok": True, **values})


def _bad(text: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"ok": False, "error": text}, status_code=status)


def _guard(handler):
    async def wrapped(request: Request) -> JSONResponse:
        try:
            with _rt(request).world.lock:
                return await handler(request)
        except (_Bad, ValueError) as exc:
            return _bad(str(exc))
        except SandboxError as exc:
            return _bad(exc.text("en"))
    wrapped.__name__ = handler.__name__
    return wrapped


async def summary(request: Request) -> JSONResponse:
    rt = _rt(request)
    return JSONResponse({
        "base_url": str(request.base_url).rstrip("/"), "client_id": rt.world.client_id,
        "redirect_uri": rt.world.redirect_uri,
        "users": [{"username": u.username, "full_name": u.full_name, "language": u.language, "active": u.active,
                   "blocked": u.blocked, "divisions": u.divisions, "current_division": u.current_division}
                  for u in rt.world.users.values()],
        "granted_divisions": sorted(rt.world.granted_divisions),
        "faults": rt.faults.profile, "behaviour": rt.behaviour.as_dict(), "clock": rt.clock.time(),
        "time_scale": rt.clock.scale, "scopes": sorted(rt.scopes.granted) if rt.scopes.granted is not None else None,
        "entities": sorted(spec.path for spec in ROUTES.values()),
        "admin": [r.path for r in ROUTES_ADMIN],
    })


async def faults(request: Request) -> JSONResponse:
    rt = _rt(request)
    if request.method == "POST":
        body = await _json(request)
        rt.set_faults(body.get("profile"))
    return _ok(profile=rt.faults.profile, active=rt.faults.active_)


async def user_state(request: Request) -> JSONResponse:
    rt = _rt(request)
    user = rt.world.users.get(request.path_params["username"])
    if user is None:
        return _bad(f"no user {request.path_params['username']!r}", 404)
    action = request.path_params["action"]
    if action == "rights":
        denied = (await _json(request)).get("denied")
        areas = sorted({spec.scope for spec in ROUTES.values()})
        if not isinstance(denied, list) or not set(denied) <= set(areas):
            return _bad(f'send {{"denied": [area, …]}} with areas from {areas}')
        user.denied = sorted(set(denied))
        rt.world.dirty = True
        return _ok(username=user.username, denied=user.denied)
    if action == "password":
        # the link belongs to one Exact user: a password change ends every token chain of that user
        from .oauth import _revoke_chain
        password = (await _json(request)).get("password")
        if not isinstance(password, str) or not password:
            return _bad('send {"password": "<new password>"}')
        user.password = password
        chains = [c for c in rt.world.auth.chains.values() if c.username == user.username and not c.revoked]
        for chain in chains:
            _revoke_chain(rt, chain)
            chain.revoked_because = "password"
        rt.world.dirty = True
        return _ok(username=user.username, chains_ended=len(chains))
    changes = {"deactivate": ("active", False), "activate": ("active", True),
               "block": ("blocked", True), "unblock": ("blocked", False)}
    if action not in changes:
        return _bad(f"unknown action {action!r}; use one of {', '.join(changes)}", 404)
    name, value = changes[action]
    setattr(user, name, value)
    rt.world.dirty = True
    return _ok(username=user.username, active=user.active, blocked=user.blocked)


async def tokens(request: Request) -> JSONResponse:
    rt = _rt(request)
    auth, now = rt.world.auth, rt.clock.time()
    action = request.path_params["action"]
    if action == "expire-refresh":
        for token in auth.refresh.values():
            token.expires_at = min(token.expires_at, now - 1)
        count = len(auth.refresh)
    elif action == "expire-access":
        for token in auth.access.values():
            token.expires_at = min(token.expires_at, now - 1)
        count = len(auth.access)
    elif action == "revoke":
        from .oauth import _revoke_chain
        chains = [c for c in auth.chains.values() if not c.revoked]
        for chain in chains:
            _revoke_chain(rt, chain)
        count = len(chains)
    else:
        return _bad(f"unknown action {action!r}; use expire-refresh, expire-access or revoke", 404)
    rt.world.dirty = True
    return _ok(action=action, tokens=count)


async def clock(request: Request) -> JSONResponse:
    rt = _rt(request)
    if request.method == "POST":
        rt.clock.advance(_clock_step((await _json(request)).get("seconds", 0)))
    return _ok(time=rt.clock.time(), now=rt.clock.now().isoformat(), scale=rt.clock.scale)


MAX_CLOCK_STEP = 10 * 366 * 86400.0  # ten years: past every token, code, window and retention period


def _clock_step(raw: Any) -> float:
    """Seconds to jump forward: a finite number from 0 to ten years. A NaN, an infinity, a step back
    (tokens and windows would run backwards) or an absurd jump would leave the clock broken until a
    restart, so each is refused."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise _Bad(f'send {{"seconds": N}} with a number from 0 to {MAX_CLOCK_STEP:.0f}, not {raw!r}')
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        raise _Bad(f"seconds must be a number, not {raw!r}") from None
    if not math.isfinite(seconds) or seconds < 0 or seconds > MAX_CLOCK_STEP:
        raise _Bad(f"seconds must be a finite number from 0 to {MAX_CLOCK_STEP:.0f} (ten years), not {raw}")
    return seconds


async def limits_reset(request: Request) -> JSONResponse:
    _rt(request).reset_limits()
    return _ok()


async def stats(request: Request) -> JSONResponse:
    rt = _rt(request)
    if request.method == "POST":
        rt.stats.reset()
    return JSONResponse(rt.stats.as_dict())


async def behaviour(request: Request) -> JSONResponse:
    rt = _rt(request)
    if request.method == "POST":
        rt.apply_behaviour(await _json(request))
    return _ok(behaviour=rt.behaviour.as_dict())


async def app_scopes(request: Request) -> JSONResponse:
    rt = _rt(request)
    scopes = (await _json(request)).get("scopes")
    if scopes is not None:
        unknown = sorted(set(scopes) - set(ALL_SCOPES))
        if unknown:
            return _bad(f"unknown scopes {unknown}; known: {ALL_SCOPES}")
    rt.scopes.granted = None if scopes is None else set(scopes)
    return _ok(scopes=scopes)


async def app_divisions(request: Request) -> JSONResponse:
    rt = _rt(request)
    granted = (await _json(request)).get("granted")
    if not isinstance(granted, list):
        return _bad('send {"granted": [division, …]}')
    rt.world.granted_divisions = {int(d) for d in granted}
    rt.world.dirty = True
    return _ok(granted=sorted(rt.world.granted_divisions))


async def pay(request: Request) -> JSONResponse:
    rt = _rt(request)
    division = int(request.path_params["division"])
    row = rt.world.table(division, "cashflow/Receivables").get(request.path_params["id"].lower())
    if row is None:
        return _bad("no such receivable in that division", 404)
    body = await _json(request)
    user = next(iter(rt.world.users.values()))
    rules.pay_receivable(rules.Ctx(rt, division, user), row, bool(body.get("matched", True)))
    return _ok(id=row["ID"], status=row["Status"])  # partial payments: …/receivables/{id}/payments (cashflow.py)


async def patch_row(request: Request) -> JSONResponse:
    """Reproduce a customer's set-up: change one stored row as Exact's own screens would (POST), or
    delete it behind the integration's back (DELETE: listed in `sync/Deleted`, an entry takes its
    lines and receivable with it, Exact's rules for paid entries apply)."""
    rt = _rt(request)
    division = int(request.path_params["division"])
    name = request.path_params["table"]
    spec = ROUTES.get(name.lower())
    if spec is None:
        return _bad(f"unknown entity {name!r}", 404)
    if spec.table not in rt.world.tables.get(division, {}):
        return _bad(f"division {division} has no {spec.table}", 404)
    raw_key = request.path_params["key"]
    key = int(raw_key) if spec.key_is_int else raw_key.lower()
    row = rt.world.table(division, spec.table).get(key)
    if row is None:
        return _bad(f"no {spec.table} row with key {raw_key}", 404)
    if request.method == "DELETE":
        user = next(iter(rt.world.users.values()))
        remove = writes.DELETE.get(spec.table)
        if remove is not None:
            remove(rules.Ctx(rt, division, user), row)
        else:
            rt.world.delete(division, spec.table, key, user.id)
        return _ok(deleted=str(row[spec.key]), table=spec.table)
    changes = await _json(request)
    journal = changes.pop("Journal", None) if spec.table == rules.PERIODS else None
    unknown = sorted(set(changes) - set(rt.field_names(spec.table)) | ({periods.CLOSED_JOURNALS} & set(changes)))
    if unknown:
        return _bad(f"unknown fields {unknown} for {spec.table}" + (
            '; close a period for one journal with {"Closed": true, "Journal": "<code>"}'
            if spec.table == rules.PERIODS else ""))
    from .bodies import coerce as _coerce

    typed = {k: _coerce(spec, k, v) for k, v in changes.items()}
    if spec.table == rules.PERIODS and (journal is not None or "Closed" in typed):
        problem = _close_period(rt, division, row, typed, journal)
        if problem:
            return _bad(problem)
    if spec.table == "crm/Accounts" and "Code" in typed and typed["Code"] is not None:
        typed["Code"] = pad_account_code(str(typed["Code"]))
    if spec.table == "crm/Accounts" and "Status" in typed:
        typed["IsSales"] = typed["Status"] == "C"
    rt.world.update(division, spec.table, row, typed)
    return _ok(row={k: str(v) if v is not None else None for k, v in row.items()})


def _close_period(rt: "Runtime", division: int, row: dict[str, Any], typed: dict[str, Any], journal: Any) -> str:
    """`{"Closed": true}` closes the period for every journal, `{"Closed": true, "Journal": "70"}` for
    that journal only (`false` reopens): turns `Closed` in `typed` into the period's per-journal state
    (periods.py). Returns what is wrong with the request, or ""."""
    if "Closed" not in typed or typed["Closed"] is None:
        return 'send {"Closed": true|false} with the "Journal"'
    codes = sorted(str(j.get("Code") or "").strip() for j in rt.world.table(division, rules.JOURNALS).rows.values())
    if journal is not None and str(journal).strip() not in codes:
        return f"division {division} has no journal {str(journal).strip()!r} (journals: {', '.join(codes)})"
    closed = typed.pop("Closed")
    typed.update(periods.closing(row, closed, None if journal is None else str(journal).strip(), codes))
    return ""


DIVISION_FLAGS = ("Blocked", "CustomerBlocked", "LicenseExpired", "InvoicingModule")


async def division_state(request: Request) -> JSONResponse:
    """A division's licence and state: blocked, its subscriber blocked, licence expired (403 with the
    matching `Reason`), or without the invoicing module (sales invoices answer 403)."""
    rt = _rt(request)
    division = int(request.path_params["division"])
    row = rt.world.divisions.get(division)
    if row is None:
        return _bad(f"no division {division}", 404)
    changes = await _json(request)
    wrong = sorted(k for k, v in changes.items() if k not in DIVISION_FLAGS or not isinstance(v, bool))
    if wrong:
        return _bad(f"send true/false for {', '.join(DIVISION_FLAGS)}; not {wrong}")
    row.update(changes)
    rt.world.dirty = True
    return _ok(division=division, **{k: row.get(k, k == "InvoicingModule") for k in DIVISION_FLAGS})


async def save_state(request: Request) -> JSONResponse:
    rt = _rt(request)
    if not rt.config.state_file:
        return _bad("the sandbox runs without --state FILE")
    rt.save_state()
    return _ok(state_file=rt.config.state_file)


ROUTES_ADMIN = [
    Route("/sandbox", summary, methods=["GET"]),
    Route("/sandbox/faults", _guard(faults), methods=["GET", "POST"]),
    Route("/sandbox/users/{username}/{action}", _guard(user_state), methods=["POST"]),
    Route("/sandbox/tokens/{action}", _guard(tokens), methods=["POST"]),
    Route("/sandbox/clock", _guard(clock), methods=["GET"]),
    Route("/sandbox/clock/advance", _guard(clock), methods=["POST"]),
    Route("/sandbox/limits/reset", _guard(limits_reset), methods=["POST"]),
    Route("/sandbox/stats", _guard(stats), methods=["GET"]),
    Route("/sandbox/stats/reset", _guard(stats), methods=["POST"]),
    Route("/sandbox/behaviour", _guard(behaviour), methods=["GET", "POST"]),
    Route("/sandbox/app/scopes", _guard(app_scopes), methods=["POST"]),
    Route("/sandbox/app/divisions", _guard(app_divisions), methods=["POST"]),
    Route("/sandbox/divisions/{division:int}", _guard(division_state), methods=["POST"]),
    Route("/sandbox/divisions/{division:int}/receivables/{id}/pay", _guard(pay), methods=["POST"]),
    Route("/sandbox/divisions/{division:int}/rows/{table:path}/{key}", _guard(patch_row), methods=["POST", "DELETE"]),
    Route("/sandbox/state/save", _guard(save_state), methods=["POST"]),
]
