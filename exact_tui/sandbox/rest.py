"""`/api/v1/…`: authentication, limits, division scoping, scopes, then the OData request itself.

The order of checks follows what a client sees from Exact: an unknown/expired token is a 401 before
anything else; a blocked key (error cap) or a spent quota answers 429 without touching data; then
user state, division access, the app's granted divisions and scopes (403s with a `Reason`), and only
then the entity. Every answer a known app receives carries the six `X-RateLimit-*` headers, except a
429, which carries one set: the minutely or daily set of the limit that was hit, the daily set for the
error cap. Every time value sent (reset headers, `Retry-After`) is on the one sandbox clock.
"""
from __future__ import annotations

import re
import time
import uuid
from typing import TYPE_CHECKING, Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from . import mandatory, rules, writes
from .bodies import changeable, typed
from .messages import SandboxError, fail, lang_tag
from .oauth import bearer_user
from .reads import Reads, ctx_label
from .odata import QueryError, parse_select
from .values import load_body
from .metadata import edmx
from .render import atom, dumps, error_body, wants_json, ATOM_TYPE, JSON_TYPE
from .schema import ME, ROUTES, EntitySpec
from .world import Row, User

if TYPE_CHECKING:
    from .app import Runtime

# `service/Entity`, `service/Entity(key)`, `service/Entity(key)/Navigation`, and `/$count` on a list
_KEYED = re.compile(r"^(?P<entity>[^()]*?)(?:\((?P<key>[^()]*)\)(?:/(?P<nav>\w+))?)?(?:/(?P<count>\$count))?$")


async def handle(request: Request) -> Response:
    rt: Runtime = request.app.state.runtime
    too_big = _over_size_caps(rt, request)
    if too_big is not None:
        return too_big
    try:
        body = await _read_body(request, rt.behaviour.max_request_bytes)
    except ClientDisconnect:  # the client gave up (e.g. its timeout under the latency profile)
        return Response(status_code=499)
    except _TooLarge:
        return _refused_early(request, fail(413, "request_too_large", limit=rt.behaviour.max_request_bytes))
    started = time.perf_counter()
    call = _Call(rt, request, body)
    with rt.world.lock:
        response = call.run()
    if rt.config.log_requests:
        ms = (time.perf_counter() - started) * 1000
        print(f"{rt.clock.now():%H:%M:%S} {request.method:6} {request.url.path} {response.status_code} {ms:.0f} ms",
              flush=True)
    return response


class _TooLarge(Exception):
    pass


def _over_size_caps(rt: "Runtime", request: Request) -> Response | None:
    """Exact's front door refuses a URL over 6,000 characters or a body over the size cap before the
    API sees the request: no authentication, no quota counted, no rate-limit headers (facts §2,
    "likely": both caps are behaviours)."""
    url_cap, body_cap = rt.behaviour.max_url_length, rt.behaviour.max_request_bytes
    url = str(request.url)
    if url_cap and len(url) > url_cap:
        return _refused_early(request, fail(414, "url_too_long", length=len(url), limit=url_cap))
    declared = request.headers.get("content-length", "")
    if body_cap and declared.isdigit() and int(declared) > body_cap:
        return _refused_early(request, fail(413, "request_too_large", limit=body_cap))
    return None


async def _read_body(request: Request, cap: int) -> bytes:
    """The body, refused as soon as it passes `cap` (a chunked upload declares no length)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if cap and size > cap:
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _refused_early(request: Request, error: SandboxError) -> Response:
    rt: Runtime = request.app.state.runtime
    rt.stats.record(request.method, "(refused before the API)", error.status)
    body, media = error_body(error.text("en"), lang_tag("en"), wants_json(request.headers.get("accept", "")))
    return Response(body, status_code=error.status, media_type=media, headers={"X-Request-Id": str(uuid.uuid4())})


class _Call(Reads):
    def __init__(self, rt: "Runtime", request: Request, body: bytes) -> None:
        self.rt = rt
        self.request = request
        self.body = body
        self.method = request.method
        self.language = "en"
        self.headers: dict[str, str] = {"X-Request-Id": str(uuid.uuid4())}
        self.endpoint = "?"
        self.cap_key: tuple | None = None
        self.counted = True
        self.as_json = wants_json(request.headers.get("accept", ""))
        self.base = str(request.base_url).rstrip("/")

    # ------------------------------------------------------------------ pipeline
    def run(self) -> Response:
        try:
            response = self.dispatch()
        except SandboxError as error:
            response = self.error(error)
        except QueryError as error:
            response = self.error(fail(400, "bad_query", detail=str(error)))
        except RecursionError:  # a last guard: whatever nests too deep is the request's fault
            response = self.error(fail(400, "bad_query", detail="the request is nested too deeply"))
        self.rt.stats.record(self.method, self.endpoint, response.status_code)
        if self.cap_key is not None and self.counted:
            self.rt.error_cap.record(self.cap_key, response.status_code)
        return response

    def error(self, error: SandboxError) -> Response:
        body, media = error_body(error.text(self.language), lang_tag(self.language), self.as_json)
        headers = dict(self.headers)
        if error.reason:
            headers["Reason"] = error.reason
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return Response(body, status_code=error.status, media_type=media, headers=headers)

    def dispatch(self) -> Response:
        rest = self.request.path_params["rest"]
        head, _, tail = rest.partition("/")
        token, user = bearer_user(self.rt, self.request)
        if user is not None:
            self.language = user.language
        is_me = head.lower() == "current"
        if is_me:
            division = user.current_division if user else 0
        else:
            try:
                division = int(head)
            except ValueError:
                raise fail(404, "path_not_found", path=rest) from None
        m = _KEYED.match(tail)
        entity, raw_key = (m.group("entity"), m.group("key")) if m else (tail, None)
        nav, counting = (m.group("nav"), bool(m.group("count"))) if m else (None, False)
        if entity.lower() == "$metadata" or entity.lower().endswith("/$metadata"):
            return self.metadata(entity[: -len("$metadata")].strip("/"), token, user, division, is_me)
        spec = ME if is_me and entity.lower() == "me" else None if is_me else ROUTES.get(entity.lower())
        self.endpoint = spec.path if spec else (entity.lower() or "?")
        if user is not None:
            client = self.rt.world.client_id
            self.cap_key = (client, user.username, division, self.endpoint)
        if token is None:
            if user is not None:  # an expired token still names the app: show its quota, uncounted
                self.headers.update(self.rt.limiter.peek((self.rt.world.client_id, division)))
            raise fail(401, "unauthorized")
        self.check_limits((token.client_id, division))
        self.check_user(user, division, is_me)
        if spec is None:
            raise fail(404, "path_not_found", path=tail or rest)
        if self.method not in spec.methods and not (spec is ME and self.method == "GET"):
            raise fail(405, "method_not_allowed", method=self.method, path=spec.path)
        write = self.method != "GET"
        if not self.rt.scopes.allows(spec.scope, write):
            raise fail(403, "scope_violated", action="write" if write else "read")
        if spec is ME:
            return self.me(user)
        if spec.scope == "salesinvoice" and (self.rt.world.divisions.get(division) or {}).get("InvoicingModule") is False:
            raise fail(403, "forbidden")  # the licence lacks the invoicing module (catalogue #10)
        if spec.scope in user.denied:
            return self.no_rights(spec, raw_key)
        ctx = rules.Ctx(self.rt, division, user)
        if self.method == "GET":
            if nav is not None:
                return self.navigate(ctx, spec, raw_key, nav, counting)
            if counting and raw_key is None:
                return self.get_list(ctx, spec, count_only=True)
            if counting:
                raise fail(404, "path_not_found", path=tail)
            return self.get_one(ctx, spec, raw_key) if raw_key is not None else self.get_list(ctx, spec)
        if nav is not None or counting:
            raise fail(405, "method_not_allowed", method=self.method, path=tail)
        if self.method == "POST":
            return self.post(ctx, spec)
        if raw_key is None:
            raise fail(400, "bad_query", detail=f"{self.method} needs a key: {spec.path}(guid'…')")
        row = self.lookup(ctx, spec, raw_key)
        if self.method == "PUT":
            update = writes.UPDATE.get(spec.table)
            if update is None:
                raise fail(405, "method_not_allowed", method="PUT", path=spec.path)
            body = changeable(spec, self.typed_body(spec))
            mandatory.check_put(spec, row, body)  # a mandatory property cannot be emptied either
            update(ctx, row, body)
        else:
            remove = writes.DELETE.get(spec.table)
            if remove is not None:
                remove(ctx, row)
            else:
                self.rt.world.delete(division, spec.table, row[spec.key], user.id)
        return Response(status_code=204, headers=self.headers)

    def no_rights(self, spec: EntitySpec, raw_key: str | None) -> Response:
        """The Exact user lacks rights in this area: 403, or (behaviour "empty") reads that find nothing."""
        if self.method == "GET" and self.rt.behaviour.insufficient_rights == "empty":
            if raw_key is not None:
                raise fail(404, "not_found", entity=ctx_label(spec, self.language))
            return self.answer(200, {"d": {"results": []}}, spec)
        raise fail(403, "forbidden")

    def metadata(self, service: str, token: Any, user: Any, division: int, is_me: bool) -> Response:
        """`$metadata`: the EDMX of the served entity types and their documented properties, for the
        whole API or one service (`/api/v1/{division}/crm/$metadata`)."""
        self.endpoint = f"{service or ''}/$metadata".lstrip("/")
        if token is None:
            raise fail(401, "unauthorized")
        self.check_limits((token.client_id, division))
        self.check_user(user, division, is_me)
        xml = edmx(service)
        if xml is None:
            raise fail(404, "path_not_found", path=self.endpoint)
        return Response(xml, status_code=200, media_type="application/xml; charset=utf-8", headers=self.headers)

    def check_limits(self, app_key: tuple) -> None:
        blocked = self.rt.error_cap.blocked(self.cap_key) if self.cap_key else None
        if blocked:
            self.counted = False
            status = self.rt.behaviour.error_cap_status
            # Exact's error-cap answer carries no reason, no Retry-After and no text saying why (none
            # is documented): a client must know from its own count of failures. A 429 carries ONE of
            # the two X-RateLimit sets (facts §2), here the daily one; a 403 is ordinary: both sets.
            self.headers.update(self.rt.limiter.peek_daily(app_key) if status == 429 else self.rt.limiter.peek(app_key))
            self.rt.stats.blocked[self.endpoint] += 1
            raise fail(status, "too_many_requests" if status == 429 else "forbidden")
        verdict = self.rt.limiter.take(app_key)
        self.headers.update(verdict.headers)
        if not verdict.allowed:
            self.counted = False
            raise fail(429, "too_many_requests")

    def check_user(self, user: User, division: int, is_me: bool) -> None:
        if user.blocked:
            raise fail(403, "forbidden", reason="BlockedUser")
        if not user.active:
            raise fail(403, "forbidden", reason="InactiveUser")
        if is_me:
            return
        if division not in user.divisions:
            raise fail(403, "no_division_access", reason="NoDivisionAccess")
        if division not in self.rt.world.granted_divisions:
            raise fail(403, "division_not_granted", division=division)
        row = self.rt.world.divisions.get(division) or {}
        if row.get("Blocked"):
            raise fail(403, "forbidden", reason="DivisionBlocked")
        if row.get("CustomerBlocked"):  # the Exact subscriber (the division's owner) is blocked
            raise fail(403, "forbidden", reason="BlockedCustomer")
        if row.get("LicenseExpired"):
            raise fail(403, "forbidden", reason="LicenseExpired")

    # ------------------------------------------------------------------ answers
    def answer(self, status: int, payload: dict, spec: EntitySpec) -> Response:
        if self.as_json:
            return Response(dumps(payload), status_code=status, media_type=JSON_TYPE, headers=self.headers)
        return Response(atom(payload, spec.type_name, self.base + "/api/v1/"), status_code=status,
                        media_type=ATOM_TYPE, headers=self.headers)

    def me(self, user: User) -> Response:
        query = self.request.query_params
        select = parse_select(query["$select"], set(ME.fields)) if "$select" in query else list(ME.fields)
        division = self.rt.world.divisions.get(user.current_division, {})
        row = {"UserID": user.id, "UserName": user.username, "FullName": user.full_name, "Email": user.email,
               "CurrentDivision": user.current_division, "DivisionCustomer": division.get("Customer"),
               "Language": lang_tag(user.language), "LanguageCode": lang_tag(user.language)}
        out = {"__metadata": {"uri": f"{self.base}/api/v1/current/Me(guid'{user.id}')", "type": "Exact.Web.Api.System.Me"}}
        out.update({f: row.get(f) for f in select})
        return self.answer(200, {"d": {"results": [out]}}, ME)  # Exact answers Me as a one-row list

    def post(self, ctx: rules.Ctx, spec: EntitySpec) -> Response:
        create = writes.CREATE.get(spec.table)
        if create is None:  # pragma: no cover - specs and rules list the same writable tables
            raise fail(405, "method_not_allowed", method="POST", path=spec.path)
        body = self.typed_body(spec)
        mandatory.check(spec, body)  # the reference's Mandatory column, before the record's own rules
        row = create(ctx, body)
        names = self.fields_of(spec) if spec.table != "salesinvoice/PrintedSalesInvoices" else list(spec.fields)
        prefer = "return=representation" in self.request.headers.get("prefer", "").lower()
        out = self.project(ctx, spec, row, names, {spec.lines} if spec.lines else set())
        if not prefer:  # Exact: fields you did not send come back null
            for name in names:
                if name not in body and name != spec.key:
                    out[name] = None
        self.headers["Location"] = out["__metadata"]["uri"]
        return self.answer(201, {"d": out}, spec)

    # ------------------------------------------------------------------ request bodies
    def typed_body(self, spec: EntitySpec) -> Row:
        try:
            raw = load_body(self.body)
        except ValueError as exc:
            raise fail(400, "bad_json", detail=str(exc)) from None
        if not isinstance(raw, dict):
            raise fail(400, "bad_json", detail="the body must be a JSON object")
        return typed(spec, raw, set(self.fields_of(spec)) | {spec.lines} - {None}, self.rt)
