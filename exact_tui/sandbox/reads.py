"""GET as Exact answers it: lists and single rows, `$select` (nested with `$expand`), `$filter`,
`$orderby`, paging by `$skiptoken` in `__next`, `$inlinecount`, `/$count`, sync endpoints by
`Timestamp`, mandatory filtering, navigation through the parent's URL, and the derived views.

`Reads` is the reading half of a REST call (rest.py's `_Call` adds authentication, limits and writes);
it needs the call's runtime, request, base URL, headers, language and `answer`.
"""
from __future__ import annotations

import datetime as dt
import re
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from . import cashflow, rules
from .bodies import LINE_SPECS, parse_key
from .messages import fail
from .odata import QueryError, compile_filter, filter_fields, parse_filter, parse_orderby, parse_select, sort_rows
from .schema import BULK, ITEM_FILTER_CUT, ITEM_MANDATORY_FILTER, ROUTES, SYNC, EntitySpec
from .views import VIEWS
from .world import Row

if TYPE_CHECKING:
    from .app import Runtime

# (parent path, navigation property) -> (child path, the child's field holding the parent's key)
NAVIGATIONS = {
    ("salesentry/SalesEntries", "SalesEntryLines"): ("salesentry/SalesEntryLines", "EntryID"),
    ("salesinvoice/SalesInvoices", "SalesInvoiceLines"): ("salesinvoice/SalesInvoiceLines", "InvoiceID"),
    ("vat/VATCodes", "VATPercentages"): ("vat/VatPercentages", "VATCodeID"),
}
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


def ctx_label(spec: EntitySpec, language: str) -> str:
    return spec.label[0] if language == "nl" else spec.label[1]


class Reads:
    """The GET side of a call; see the module docstring for what the host class provides."""

    rt: "Runtime"
    request: Request
    base: str
    language: str
    headers: dict[str, str]

    def answer(self, status: int, payload: dict, spec: EntitySpec) -> Response:  # pragma: no cover - the host's
        raise NotImplementedError

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
        key = parse_key(spec, raw_key)
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
