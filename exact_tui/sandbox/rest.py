"""`/api/v1/…`: authentication, limits, division scoping, scopes, then the OData request itself.

The order of checks follows what a client sees from Exact: an unknown/expired token is a 401 before
anything else; a blocked key (error cap) or a spent quota answers 429 without touching data; then
user state, division access, the app's granted divisions and scopes (403s with a `Reason`), and only
then the entity. Every answer a known app receives carries the six `X-RateLimit-*` headers, except a
429, which carries one set: the minutely or daily set of the limit that was hit, the daily set for the
error cap. Every time value sent (reset headers, `Retry-After`) is on the one sandbox clock.
"""
from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from . import cashflow, mandatory, rules
from .messages import SandboxError, fail, lang_tag
from .oauth import bearer_user
from .odata import (QueryError, compile_filter, filter_fields, load_body, parse_datetime, parse_filter, parse_guid,
                    parse_orderby, parse_select, sort_rows)
from .metadata import edmx
from .views import VIEWS
from .render import atom, dumps, error_body, wants_json, ATOM_TYPE, JSON_TYPE
from .schema import BULK, ITEM_FILTER_CUT, ITEM_MANDATORY_FILTER, ME, ROUTES, SYNC, EntitySpec
from .world import Row, User

if TYPE_CHECKING:
    from .app import Runtime

# `service/Entity`, `service/Entity(key)`, `service/Entity(key)/Navigation`, and `/$count` on a list
_KEYED = re.compile(r"^(?P<entity>[^()]*?)(?:\((?P<key>[^()]*)\)(?:/(?P<nav>\w+))?)?(?:/(?P<count>\$count))?$")
DATE_FIELDS = {"EntryDate", "InvoiceDate", "DueDate", "StartDate", "EndDate", "Created", "Modified", "DeletedDate",
               "LastPaymentDate"}
DECIMAL_FIELDS = {"AmountFC", "AmountDC", "VATAmountFC", "VATAmountDC", "Quantity", "NetPrice", "Percentage",
                  "VATPercentage", "Amount"}
INT_FIELDS = {"Type", "Status", "PaymentDays", "LineNumber", "EntryNumber", "InvoiceNumber", "FinYear", "FinPeriod"}
BOOL_FIELDS = {"Blocked", "IsSupplier", "IsSales", "IsSalesItem", "IsTime", "IsFractionAllowedItem", "IsBlocked",
               "AllowVariableCurrency", "AllowVariableExchangeRate", "AllowVAT", "IsFullyPaid", "Closed",
               "SendEmailToCustomer", "SendInvoiceToCustomerPostbox", "SendOutputBasedOnAccount"}
MAX_AMOUNT = Decimal(10) ** 14
LINE_SPECS = {"SalesEntryLines": "salesentry/SalesEntryLines", "SalesInvoiceLines": "salesinvoice/SalesInvoiceLines"}
# (parent path, navigation property) -> (child path, the child's field holding the parent's key)
NAVIGATIONS = {
    ("salesentry/SalesEntries", "SalesEntryLines"): ("salesentry/SalesEntryLines", "EntryID"),
    ("salesinvoice/SalesInvoices", "SalesInvoiceLines"): ("salesinvoice/SalesInvoiceLines", "InvoiceID"),
    ("vat/VATCodes", "VATPercentages"): ("vat/VatPercentages", "VATCodeID"),
}


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


class _Call:
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
            update = rules.UPDATE.get(spec.table)
            if update is None:
                raise fail(405, "method_not_allowed", method="PUT", path=spec.path)
            update(ctx, row, _changeable(spec, self.typed_body(spec)))
        else:
            remove = rules.DELETE.get(spec.table)
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

    def key_literal(self, spec: EntitySpec, key: Any, row: Row | None = None) -> str:
        if spec.composite and row is not None:  # `Year=2025,Period=3,Journal='70'`
            return ",".join(f"{name}={row[name]}" if isinstance(row[name], int) else
                            f"{name}='" + str(row[name]).replace("'", "''") + "'" for name in spec.composite)
        if spec.key_is_int:
            return str(key)
        return f"guid'{key}'" if spec.key in spec.guid_fields else "'" + str(key).replace("'", "''") + "'"

    def project(self, ctx: rules.Ctx, spec: EntitySpec, row: Row, fields: list[str], expand: set[str],
                nested: dict[str, list[str]] | None = None) -> dict:
        uri = f"{self.base}/api/v1/{ctx.division}/{spec.path}({self.key_literal(spec, row.get(spec.key), row)})"
        out: dict[str, Any] = {"__metadata": {"uri": uri, "type": f"Exact.Web.Api.Models.{spec.type_name}"}}
        for name in fields:
            if name == spec.lines:
                if name in expand:
                    line_spec = ROUTES[LINE_SPECS[name].lower()]
                    lines = [r for r in ctx.table(line_spec.table).rows.values() if r.get(spec.key) == row[spec.key]]
                    lines.sort(key=lambda r: r.get("LineNumber") or 0)
                    line_fields = (nested or {}).get(name) or self.rt.field_names(line_spec.table)
                    out[name] = {"results": [self.project(ctx, line_spec, r, line_fields, set()) for r in lines]}
                else:
                    out[name] = {"__deferred": {"uri": f"{uri}/{name}"}}
            else:
                out[name] = row.get(name)
        return out

    def fields_of(self, spec: EntitySpec) -> list[str]:
        names = [*spec.fields, *self.rt.extra_fields.get(spec.table, ())]
        return names if spec.mode != SYNC else [*names, "Timestamp"]

    def source(self, ctx: rules.Ctx, spec: EntitySpec, after: str | None) -> list[Row]:
        if spec.table == "read/financial/ReceivablesList":
            rows = rules.receivables_list(ctx)
        elif spec.table in DIVISION_LISTS:
            # system/Divisions: the user's divisions; hrm/Divisions: the same, in HRM's names;
            # system/AllDivisions: every division of the licence, whether the user may open it or not
            codes = sorted(self.rt.world.divisions) if spec.table == "system/AllDivisions" else ctx.user.divisions
            rows = []
            for code in codes:
                row = self.rt.world.divisions.get(code)
                if row is not None:
                    rows.append(division_row(row, code == ctx.user.current_division, spec.fields))
        elif spec.table in VIEWS:
            rows = VIEWS[spec.table](ctx)
        else:
            return ctx.table(spec.table).by_key(after)
        rows.sort(key=lambda r: r[spec.key])
        if after is not None:
            rows = [r for r in rows if str(r[spec.key]) > after] if not spec.key_is_int else \
                [r for r in rows if r[spec.key] > int(after)]
        return rows

    def navigate(self, ctx: rules.Ctx, spec: EntitySpec, raw_key: str, nav: str, counting: bool) -> Response:
        """`Parent(key)/Navigation`: the linked entities, served through the parent URL as Exact does
        (the `__deferred` links the sandbox hands out lead here)."""
        link = NAVIGATIONS.get((spec.path, nav))
        if link is None:
            raise fail(404, "path_not_found", path=f"{spec.path}({raw_key})/{nav}")
        parent = self.lookup(ctx, spec, raw_key)
        child, child_field = ROUTES[link[0].lower()], link[1]
        wanted = parent[spec.key]
        return self.get_list(ctx, child, within=lambda r: r.get(child_field) == wanted, count_only=counting)

    def get_list(self, ctx: rules.Ctx, spec: EntitySpec, *, within: Any = None, count_only: bool = False) -> Response:
        q = self.request.query_params
        fields = set(self.fields_of(spec))
        select, nested = self.selection(spec, q)
        if spec.mode in (BULK, SYNC) and not select:
            raise fail(400, "select_required")
        node = parse_filter(q["$filter"]) if q.get("$filter") else None
        pred = compile_filter(node, fields, spec.guid_fields) if node and spec.mode != SYNC else None
        if within is None:
            self.check_mandatory_filter(spec, node)  # a parent's URL is filter enough
        else:
            pred = within if pred is None else (lambda r, p=pred: within(r) and p(r))
        if count_only:  # `/$count`: a plain number, whatever the Accept header
            count_rows = self.source(ctx, spec, None) if spec.mode != SYNC else self.sync_rows(ctx, spec)(0)
            total = sum(1 for r in count_rows if pred is None or pred(r))
            return Response(str(total), status_code=200, media_type="text/plain; charset=utf-8", headers=self.headers)
        order = parse_orderby(q["$orderby"], fields) if q.get("$orderby") else []
        top, skip = _int_option(q, "$top"), _int_option(q, "$skip") or 0
        token = q.get("$skiptoken")
        expand = {x.strip() for x in q.get("$expand", "").split(",") if x.strip()}
        limit = spec.page_size if top is None else min(top, spec.page_size)
        count: int | None = None
        if spec.mode == SYNC:
            if order:
                raise fail(400, "sync_filter")
            since = _sync_since(node)
            if token:
                since = max(since, _int_token(token))
            listed = self.sync_rows(ctx, spec)
            window = listed(since)[skip: skip + limit + 1]
            if q.get("$inlinecount") == "allpages":
                count = len(listed(_sync_since(node)))
            next_params = {"$skiptoken": f"{window[limit - 1]['Timestamp']}L"} if len(window) > limit else None
        else:
            if q.get("$inlinecount") == "allpages":
                everything = self.source(ctx, spec, None)
                count = sum(1 for r in everything if pred(r)) if pred else len(everything)
            if order:  # the next page continues after the last row's key ($skiptoken), as Exact pages
                matched = [r for r in self.source(ctx, spec, None) if pred is None or pred(r)]
                matched = sort_rows(matched, order)
                start = skip
                if token:
                    after = _key_token(token)
                    start = next((i + 1 for i, r in enumerate(matched) if str(r[spec.key]).lower() == after.lower()), len(matched))
                window = matched[start: start + limit + 1]
                next_params = {"$skiptoken": self.key_literal(spec, window[limit - 1][spec.key])} \
                    if len(window) > limit else None
            else:
                after = _key_token(token) if token else None
                rows = self.source(ctx, spec, after)
                found = filter(pred, rows) if pred else iter(rows)
                start = 0 if token else skip
                window = list(islice(found, start, start + limit + 1))
                if len(window) > limit:
                    last = window[limit - 1][spec.key]
                    next_params = {"$skiptoken": self.key_literal(spec, last)}
                else:
                    next_params = None
        if top is not None and top <= limit:
            next_params = None
        names = select or self.fields_of(spec)
        results = [self.project(ctx, spec, r, names, expand, nested) for r in window[:limit]]
        if top is not None and next_params is None and count is None and self.rt.behaviour.top_shape == "bare":
            return self.answer(200, {"d": results}, spec)  # WCF Data Services' bare list (facts: likely)
        d: dict[str, Any] = {"results": results}
        if count is not None:
            d["__count"] = str(count)
        if next_params is not None:
            params = {k: v for k, v in q.multi_items() if k not in ("$skiptoken", "$skip")}
            if top is not None:
                params["$top"] = str(top - limit)
            params.update(next_params)
            d["__next"] = f"{self.base}{self.request.url.path}?{urlencode(params, safe=chr(36) + chr(39) + ',()')}"
        return self.answer(200, {"d": d}, spec)

    def check_mandatory_filter(self, spec: EntitySpec, node: tuple | None) -> None:
        """Exact's mandatory filtering: a GET on an entity with a sync/ alternative must filter on one of
        the listed fields. Where Exact has not published the list, `Behaviour.mandatory_filter` says how
        strict to be, so a client's fallback can be tried against both answers."""
        if spec.mandatory_filter:
            listed = set(spec.mandatory_filter)
            used = filter_fields(node) if node is not None else set()
            cut = ITEM_FILTER_CUT if spec.mandatory_filter is ITEM_MANDATORY_FILTER else None
            if used & listed or (cut and any(name > cut for name in used)):
                return
            raise fail(400, "mandatory_filter", fields=",".join(spec.mandatory_filter))
        if not spec.unpublished_filter or self.rt.behaviour.mandatory_filter == "none":
            return
        allowed = {spec.key} if self.rt.behaviour.mandatory_filter == "key-only" else set(self.fields_of(spec))
        if node is None or not filter_fields(node) & allowed:
            raise fail(400, "mandatory_filter", fields=",".join(sorted(allowed)))

    def sync_rows(self, ctx: rules.Ctx, spec: EntitySpec):
        """Rows after a Timestamp; `sync/Deleted` keeps a deletion for the retention period only."""
        if spec.table == cashflow.TERMS:  # customer and supplier terms, one Timestamp order
            return lambda stamp: cashflow.terms_since(ctx, stamp)
        if spec.table in VIEWS:  # derived rows carry their source row's Timestamp
            rows = sorted(VIEWS[spec.table](ctx), key=lambda r: r.get("Timestamp") or 0)
            return lambda stamp: [r for r in rows if (r.get("Timestamp") or 0) > stamp]
        table = ctx.table(spec.table)
        if spec.table != "sync/Deleted":
            return table.since
        horizon = self.rt.clock.now() - dt.timedelta(days=self.rt.behaviour.deleted_retention_days)
        return lambda stamp: [r for r in table.since(stamp) if r.get("DeletedDate") is None or r["DeletedDate"] >= horizon]

    def lookup(self, ctx: rules.Ctx, spec: EntitySpec, raw_key: str) -> Row:
        key = _parse_key(spec, raw_key)
        if spec.table in DIVISION_LISTS or spec.table in VIEWS or spec.table == "read/financial/ReceivablesList":
            row = next((r for r in self.source(ctx, spec, None) if r[spec.key] == key), None)
        else:
            row = ctx.table(spec.table).get(key)
        if row is None:
            raise fail(404, "not_found", entity=ctx_label(spec, self.language))
        return row

    def get_one(self, ctx: rules.Ctx, spec: EntitySpec, raw_key: str) -> Response:
        row = self.lookup(ctx, spec, raw_key)
        q = self.request.query_params
        names, nested = self.selection(spec, q)
        expand = {x.strip() for x in q.get("$expand", "").split(",") if x.strip()}
        out = self.project(ctx, spec, row, names or self.fields_of(spec), expand, nested)
        return self.answer(200, {"d": out}, spec)

    def selection(self, spec: EntitySpec, q: Any) -> tuple[list[str], dict[str, list[str]]]:
        """`$select` with nested paths (`EntryID,SalesEntryLines/AmountFC` with `$expand=SalesEntryLines`,
        the knowledge base's own example): top-level names, and per expanded navigation its fields."""
        if "$select" not in q:
            return [], {}
        top, nested = [], {}
        for part in (p.strip() for p in q["$select"].split(",")):
            nav, slash, sub = part.partition("/")
            if slash and nav == spec.lines:
                line_spec = ROUTES[LINE_SPECS[nav].lower()]
                nested.setdefault(nav, []).extend(parse_select(sub, set(self.fields_of(line_spec))))
                if nav not in top:
                    top.append(nav)
            elif slash:
                raise QueryError(f"$select: could not find a navigation property named '{nav}'")
            elif part and part not in top:
                top.append(part)
        if nested and not set(nested) <= {x.strip() for x in q.get("$expand", "").split(",")}:
            raise QueryError("$select: a nested path needs its navigation property in $expand")
        return parse_select(",".join(top), set(self.fields_of(spec)) | ({spec.lines} - {None})), nested

    def post(self, ctx: rules.Ctx, spec: EntitySpec) -> Response:
        create = rules.CREATE.get(spec.table)
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
        return _typed(spec, raw, set(self.fields_of(spec)) | {spec.lines} - {None}, self.rt)


DIVISION_LISTS = {"system/Divisions", "hrm/Divisions", "system/AllDivisions"}
BLOCKED_DIVISION_STATUS = 100  # BlockingStatus: 0 not blocked … 100 wait for deletion, 101 deleted (reference)


def division_row(stored: Row, current: bool, fields: tuple[str, ...]) -> Row:
    """A division as `system/Divisions` shows it: `Hid` (the number customers give it) and
    `BlockingStatus` (0 = not blocked), as Exact names them; the stored row keeps the sandbox's own
    state flags (`Blocked`, `LicenseExpired`, …), which are not Exact properties."""
    row: Row = {f: stored.get(f) for f in fields}
    hid = stored.get("Hid", stored.get("HID")) or stored.get("Code")
    row.update(Current=current, Hid=hid, BlockingStatus=BLOCKED_DIVISION_STATUS if stored.get("Blocked") else 0,
               Status=stored.get("Status", 1))  # 0 inactive, 1 active, 2 archived
    if "HID" in fields:  # hrm/Divisions spells it HID
        row["HID"] = hid
    return {name: row.get(name) for name in fields}


def _changeable(spec: EntitySpec, body: Row) -> Row:
    """What a PUT may change: Exact leaves read-only properties (`Created`, `Division`, `IsSales`, …)
    as they are and never changes the key, so they are dropped from the body, not stored."""
    props = spec.properties
    return {name: value for name, value in body.items()
            if name != spec.key and not (name in props and (props[name].read_only or props[name].key))}


def ctx_label(spec: EntitySpec, language: str) -> str:
    return spec.label[0] if language == "nl" else spec.label[1]


def _typed(spec: EntitySpec, raw: dict, known: set[str], rt: "Runtime") -> Row:
    out: Row = {}
    for name, value in raw.items():
        if name == "__metadata":
            continue
        if name not in known:
            raise fail(400, "unknown_property", field=name, entity=f"Exact.Web.Api.Models.{spec.type_name}")
        if name in LINE_SPECS and name == spec.lines:
            line_spec = ROUTES[LINE_SPECS[name].lower()]
            items = value.get("results", value) if isinstance(value, dict) else value
            if not isinstance(items, list):
                raise fail(400, "bad_value", field=name, value="(not a list)")
            line_fields = set(rt.field_names(line_spec.table))
            out[name] = [_typed(line_spec, item if isinstance(item, dict) else {}, line_fields, rt) for item in items]
            continue
        out[name] = _coerce(spec, name, value)
    return out


def _kind(spec: EntitySpec, name: str) -> str:
    """How a value is typed: from the documented Edm type, else the sandbox's own field sets."""
    prop = spec.properties.get(name)
    if prop is not None:
        return {"Guid": "guid", "DateTime": "date", "Double": "dec", "Decimal": "dec", "Boolean": "bool",
                "Int16": "int", "Int32": "int", "Int64": "int", "Byte": "int"}.get(prop.type, "str")
    if name in spec.guid_fields:
        return "guid"
    if name in DATE_FIELDS:
        return "date"
    if name in DECIMAL_FIELDS:
        return "dec"
    if name in INT_FIELDS and not (spec.table == "crm/Accounts" and name == "Status"):
        return "int"
    return "bool" if name in BOOL_FIELDS else "str"


def _coerce(spec: EntitySpec, name: str, value: Any) -> Any:
    if value is None:
        return None
    kind = _kind(spec, name)
    try:
        if kind == "guid":
            try:
                return parse_guid(str(value))
            except ValueError:
                raise fail(400, "bad_guid", value=value) from None
        if kind == "date":
            return parse_datetime(str(value))
        if kind == "dec":
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) >= MAX_AMOUNT:
                raise ValueError(value)  # Exact stores money and quantities as decimal(18, …)
            return number
        if kind == "int":
            if isinstance(value, bool) or Decimal(str(value)) != int(Decimal(str(value))):
                raise ValueError(value)
            return int(Decimal(str(value)))
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(value)
            return value
        if not isinstance(value, str) and spec.properties.get(name) is not None:
            raise ValueError(value)  # a documented string property takes a string
    except (ValueError, InvalidOperation, TypeError):
        raise fail(400, "bad_value", field=name, value=value) from None
    return value


def _parse_key(spec: EntitySpec, raw: str) -> Any:
    raw = raw.strip()
    if spec.composite:  # `Year=2025,Period=3,Journal='70'`: the view's sortable key
        parts = dict(p.partition("=")[::2] for p in re.split(r",(?=\w+=)", raw))
        try:
            year, period = int(parts["Year"]), int(parts["Period"])
            journal = re.fullmatch(r"'(.*)'", parts["Journal"].strip()).group(1)  # type: ignore[union-attr]
        except (KeyError, ValueError, AttributeError):
            raise fail(400, "bad_value", field=",".join(spec.composite), value=raw) from None
        return f"{year:04d}/{period:03d}/{journal}"
    if spec.key_is_int:
        try:
            return int(raw.rstrip("L"))
        except ValueError:
            raise fail(400, "bad_value", field=spec.key, value=raw) from None
    if spec.key not in spec.guid_fields:  # a string key: `('EUR')`
        m = re.fullmatch(r"'(.*)'", raw)
        if m is None:
            raise fail(400, "bad_value", field=spec.key, value=raw)
        return m.group(1).replace("''", "'")
    m = re.fullmatch(r"guid'(.*)'", raw)
    try:
        return parse_guid(m.group(1) if m else "not a guid: " + raw)
    except ValueError:
        raise fail(400, "bad_guid", value=raw) from None


def _int_option(q: Any, name: str) -> int | None:
    if name not in q:
        return None
    try:
        value = int(q[name])
    except ValueError:
        value = -1
    if value < 0:
        raise fail(400, "bad_query", detail=f"{name} must be a whole number of 0 or more, not {q[name]!r}")
    return value


def _key_token(token: str) -> str:
    m = re.fullmatch(r"guid'(.*)'", token.strip())
    if m:
        return m.group(1).lower()
    quoted = re.fullmatch(r"'(.*)'", token.strip())  # a string key: `'EUR'`, compared as stored
    return quoted.group(1).replace("''", "'") if quoted else token.strip()


def _int_token(token: str) -> int:
    try:
        return int(token.strip().rstrip("Ll"))
    except ValueError:
        raise fail(400, "bad_query", detail=f"$skiptoken {token!r} is not a Timestamp") from None


def _sync_since(node: tuple | None) -> int:
    """Sync endpoints take `Timestamp gt N` only (Exact refuses anything else)."""
    if node is None:
        return 0
    if node[0] == "cmp" and node[1] == "gt" and node[2] == ("field", "Timestamp") and node[3][0] == "lit" \
            and isinstance(node[3][1], int) and not isinstance(node[3][1], bool):
        return node[3][1]
    raise fail(400, "sync_filter")
