"""Answers in Exact's shapes: the JSON `{"d": …}` envelope with `__metadata`/`__next`/`__count`,
the error envelope, and Atom XML for clients that do not ask for JSON (as Exact does)."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from starlette.responses import Response

from .values import json_default, to_json_date

JSON_TYPE = "application/json; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"


def wants_json(accept: str) -> bool:
    return "application/json" in accept.lower()


def dumps(payload: Any) -> bytes:
    # "replace": a lone surrogate that reached a text (an error quoting the request) cannot be UTF-8
    return json.dumps(payload, default=json_default, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


def json_answer(status: int, payload: Any, headers: dict[str, str]) -> Response:
    return Response(dumps(payload), status_code=status, media_type=JSON_TYPE, headers=headers)


def error_body(text: str, lang: str, as_json: bool) -> tuple[bytes, str]:
    if as_json:
        return dumps({"error": {"code": "", "message": {"lang": lang, "value": text}}}), JSON_TYPE
    xml = ('<?xml version="1.0" encoding="utf-8"?>'
           '<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">'
           f'<code></code><message xml:lang="{lang}">{escape(text)}</message></error>')
    return xml.encode("utf-8", "replace"), XML_TYPE


def _xml_value(name: str, value: Any) -> str:
    if value is None:
        return f'<d:{name} m:null="true" />'
    if isinstance(value, bool):
        return f'<d:{name} m:type="Edm.Boolean">{str(value).lower()}</d:{name}>'
    if isinstance(value, (dt.datetime, dt.date)):
        iso = value.isoformat() if isinstance(value, dt.datetime) else f"{value.isoformat()}T00:00:00"
        return f'<d:{name} m:type="Edm.DateTime">{iso[:19]}</d:{name}>'
    if isinstance(value, Decimal) or isinstance(value, float):
        return f'<d:{name} m:type="Edm.Double">{value}</d:{name}>'
    if isinstance(value, int):
        return f'<d:{name} m:type="Edm.Int32">{value}</d:{name}>'
    if isinstance(value, (dict, list)):
        return f'<d:{name} />'
    return f"<d:{name}>{escape(str(value))}</d:{name}>"


def _xml_entry(row: dict, type_name: str) -> str:
    meta = row.get("__metadata") or {}
    props = "".join(_xml_value(k, v) for k, v in row.items() if k != "__metadata")
    return (f'<entry><id>{escape(meta.get("uri", ""))}</id><category term="Exact.Web.Api.Models.{type_name}" '
            'scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme" />'
            f'<content type="application/xml"><m:properties>{props}</m:properties></content></entry>')


_NS = ('xmlns="http://www.w3.org/2005/Atom" '
       'xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" '
       'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"')


def atom(payload: dict, type_name: str, base: str) -> bytes:
    """The same content as the JSON answer, as an Atom feed/entry (enough for a client to see it is XML)."""
    d = payload["d"]
    if "results" in d:
        entries = "".join(_xml_entry(r, type_name) for r in d["results"])
        nxt = f'<link rel="next" href="{escape(d["__next"])}" />' if "__next" in d else ""
        count = f'<m:count>{d["__count"]}</m:count>' if "__count" in d else ""
        body = f'<feed xml:base="{escape(base)}" {_NS}><title type="text">{type_name}</title>{count}{entries}{nxt}</feed>'
    else:
        body = _xml_entry(d, type_name).replace("<entry>", f'<entry xml:base="{escape(base)}" {_NS}>', 1)
    return ('<?xml version="1.0" encoding="utf-8"?>' + body).encode("utf-8", "replace")


__all__ = ["atom", "dumps", "error_body", "json_answer", "to_json_date", "wants_json"]
