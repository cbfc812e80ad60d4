"""Values as Exact's REST API writes and reads them: `/Date(ms)/` out, ISO-8601 or `/Date(ms)/` in,
GUIDs, and request bodies parsed with the guards a hostile client needs (depth, NaN/Infinity,
lone surrogates), so a malformed body is a 400, never a traceback.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal
from typing import Any

def to_json_date(value: dt.datetime | dt.date) -> str:
    """Exact's `/Date(ms)/` (milliseconds since the epoch, UTC)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return f"/Date({int(value.timestamp() * 1000)})/"


_JSON_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


def parse_datetime(text: str) -> dt.datetime:
    """ISO-8601 (what Exact accepts on POST/PUT) or `/Date(ms)/`; naive values are taken as UTC."""
    text = text.strip()
    m = _JSON_DATE.fullmatch(text)
    if m:
        return dt.datetime.fromtimestamp(int(m.group(1)) / 1000, dt.timezone.utc)
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO-8601 date: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def parse_guid(text: str) -> str:
    """A GUID in Exact's lower-case canonical form, or ValueError."""
    return str(uuid.UUID(str(text).strip().strip("{}")))


MAX_BODY_DEPTH = 32  # an Exact body is an entity, its lines and their values: a handful of levels


def load_body(raw: bytes) -> Any:
    """A request body as JSON (money as Decimal), or ValueError saying why not: not UTF-8, not JSON,
    nested deeper than MAX_BODY_DEPTH (json.loads itself recurses and would overflow), or a string
    with a lone surrogate (`"\\ud800"`), which no answer could echo and no store could keep."""
    try:
        value = json.loads(raw or b"{}", parse_float=Decimal, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_BODY_DEPTH} levels deep") from None
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    stack = [(value, 1)]
    while stack:  # iterative: the check itself must not recurse
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_BODY_DEPTH:
                raise ValueError(f"nested more than {MAX_BODY_DEPTH} levels deep")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise ValueError(f"a string holds a lone surrogate (U+{ord(_SURROGATE.search(item).group()):04X})")
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")  # Python's json reads NaN/Infinity; JSON has none


def json_default(value: Any) -> Any:
    """`json.dumps(default=…)`: Decimal as a JSON number, dates as `/Date(ms)/`."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return to_json_date(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")
