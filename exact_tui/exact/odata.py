"""Exact's OData v3 dialect: `/Date(ms)/`, `guid'…'` literals, padded codes, Decimal amounts."""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal
from typing import Any

from ..domain.customer import pad_account_code, strip_account_code

_DATE = re.compile(r"^/Date\((?P<ms>-?\d+)(?P<offset>[+-]\d{4})?\)/$")


def parse_date(value: Any) -> dt.datetime | None:
    """`"/Date(1672531200000)/"` (ms since epoch, UTC) → tz-aware datetime; ISO strings too; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, str):
        m = _DATE.match(value.strip())
        if m:
            # The optional +hhmm is informational in Microsoft's format: ms are always UTC.
            epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
            return epoch + dt.timedelta(milliseconds=int(m.group("ms")))
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not an Exact date: {value!r}") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
    raise ValueError(f"not an Exact date: {value!r}")


def format_date(value: dt.date | dt.datetime) -> str:
    """ISO-8601 for POST/PUT bodies (Exact accepts ISO there)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("datetimes sent to Exact must be tz-aware")
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return value.isoformat()


def guid_literal(value: str | uuid.UUID) -> str:
    """`guid'…'` for keys and `$filter`; refuses anything that is not a GUID (no filter injection)."""
    return f"guid'{uuid.UUID(str(value))}'"


def string_literal(value: str) -> str:
    """An OData string literal: single quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def code_literal(code: str) -> str:
    """An account Code in a `$filter`: Exact only finds the 18-character right-aligned form."""
    return string_literal(pad_account_code(str(code)))


def strip_code(code: str | None) -> str:
    return strip_account_code(code)


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def to_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def loads(content: bytes | str) -> Any:
    """JSON with numbers that have a fraction as Decimal: money never passes through float."""
    return json.loads(content, parse_float=Decimal)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # float(repr) is exact for the 15 significant digits money needs; JSON has no decimal type.
        if len(value.as_tuple().digits) > 15:
            raise ValueError(f"amount {value} has more precision than Exact accepts")
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} to Exact")


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, default=_default, ensure_ascii=False).encode()


def select(*fields: str) -> str:
    return ",".join(fields)
