"""Exact Online client: OAuth that survives SSH, rate limits, paging, typed errors (async, httpx + authlib).

Public surface (import from here):
    ExactConfig, ExactClient, TokenStore, TokenSet, RateBudget, ApiCall, Clock, SystemClock,
    errors: ExactError, NetworkError, ServerError, OutcomeUnknown, AuthError, ReconnectRequired,
            ForbiddenError, RateLimited, EndpointBlocked, ValidationError, NotFound
OAuth helpers live in `exact_tui.exact.oauth`; records in `exact_tui.exact.records`.
"""
from .budget import RateBudget
from .client import ExactClient
from .clock import SYSTEM_CLOCK, Clock, SystemClock
from .config import COUNTRY_HOSTS, ExactConfig, host_for_country
from .errors import (AuthError, EndpointBlocked, ExactError, ForbiddenError, NetworkError, NotFound, OutcomeUnknown,
                     RateLimited, ReconnectRequired, ServerError, ValidationError)
from . import oauth
from .tokens import ConnectionOwner, TokenSet, TokenStore
from .transport import ApiCall

__all__ = [
    "ApiCall", "AuthError", "COUNTRY_HOSTS", "Clock", "ConnectionOwner", "EndpointBlocked", "ExactClient",
    "ExactConfig", "ExactError", "ForbiddenError", "NetworkError", "NotFound", "OutcomeUnknown", "RateBudget",
    "RateLimited", "ReconnectRequired", "SYSTEM_CLOCK", "ServerError", "SystemClock", "TokenSet", "TokenStore",
    "ValidationError", "host_for_country", "oauth",
]
