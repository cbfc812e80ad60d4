"""Exact Online client: OAuth that survives SSH, rate limits, paging, typed errors (async, httpx + authlib).

Public surface (import from here):
    ExactConfig, ExactClient, TokenStore, TokenSet, RateBudget, ApiCall, Clock, SystemClock,
    errors: ExactError, NetworkError, ServerError, OutcomeUnknown, AuthError, ReconnectRequired,
            ForbiddenError, RateLimited, EndpointBlocked, ValidationError, NotFound
OAuth helpers live in `exact_tui.exact.oauth`; records in `exact_tui.exact.records`.

The names are loaded on first use (PEP 562 `__getattr__`): importing one light module of this
package (`exact.config`, `exact.appconfig`) must not import httpx and authlib, which the console's
first screen does not need and which cost a tenth of a second at every launch.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import oauth
    from .budget import RateBudget
    from .client import ExactClient
    from .clock import SYSTEM_CLOCK, Clock, SystemClock
    from .config import COUNTRY_HOSTS, ExactConfig, host_for_country
    from .errors import (AuthError, EndpointBlocked, ExactError, ForbiddenError, NetworkError, NotFound,
                         OutcomeUnknown, RateLimited, ReconnectRequired, ServerError, ValidationError)
    from .tokens import ConnectionOwner, TokenSet, TokenStore
    from .transport import ApiCall

# name -> the module of this package that defines it
_WHERE = {
    "RateBudget": "budget", "ExactClient": "client", "SYSTEM_CLOCK": "clock", "Clock": "clock",
    "SystemClock": "clock", "COUNTRY_HOSTS": "config", "ExactConfig": "config", "host_for_country": "config",
    "ConnectionOwner": "tokens", "TokenSet": "tokens", "TokenStore": "tokens", "ApiCall": "transport",
    **{name: "errors" for name in ("AuthError", "EndpointBlocked", "ExactError", "ForbiddenError", "NetworkError",
                                   "NotFound", "OutcomeUnknown", "RateLimited", "ReconnectRequired", "ServerError",
                                   "ValidationError")},
}

__all__ = [
    "ApiCall", "AuthError", "COUNTRY_HOSTS", "Clock", "ConnectionOwner", "EndpointBlocked", "ExactClient",
    "ExactConfig", "ExactError", "ForbiddenError", "NetworkError", "NotFound", "OutcomeUnknown", "RateBudget",
    "RateLimited", "ReconnectRequired", "SYSTEM_CLOCK", "ServerError", "SystemClock", "TokenSet", "TokenStore",
    "ValidationError", "host_for_country", "oauth",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif name == "oauth":
        value = importlib.import_module(".oauth", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # the next look-up is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
