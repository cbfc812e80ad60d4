"""One exception hierarchy for everything that can go wrong talking to Exact Online.

Services catch these by type and turn them into events that say on which side it went wrong and
what to do. Every message is safe to show: no tokens, no client secret, no query strings.

    ExactError
    ├── NetworkError            could not reach Exact / Exact unavailable (side: network)
    │   └── ServerError         Exact answered 5xx (after retries for reads)
    ├── OutcomeUnknown          a write may or may not have happened: look it up before retrying
    ├── AuthError               Exact refused the access token
    │   └── ReconnectRequired   the refresh token is dead: log in again (nothing else is lost)
    ├── ForbiddenError          403 with Exact's reason (rights, scope, blocked, division)
    ├── RateLimited             a limit was hit and waiting is not an option right now
    │   └── EndpointBlocked     our own breaker: this endpoint keeps failing, stop before the hourly cap
    ├── ValidationError         Exact refused the data: its text and the parsed Kind/Field
    └── NotFound                unknown key or path
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..domain.exact_messages import ExactMessage, MessageKind, parse


class ExactError(Exception):
    """Base of every client error. `side` says where it happened ("exact" or "network")."""

    side = "exact"

    def __init__(self, message: str, *, status: int | None = None, endpoint: str = "", request_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.endpoint = endpoint
        self.request_id = request_id

    def __str__(self) -> str:
        parts = [self.message]
        where = " ".join(p for p in (f"HTTP {self.status}" if self.status else "", self.endpoint) if p)
        if where:
            parts.append(f"[{where}]")
        if self.request_id:
            parts.append(f"(request {self.request_id})")
        return " ".join(parts)


class NetworkError(ExactError):
    """Exact could not be reached, or the connection broke while nothing was written."""

    side = "network"


class ServerError(NetworkError):
    """Exact answered with a 5xx that is not a business-rule message (retried for reads)."""

    side = "exact"


class OutcomeUnknown(ExactError):
    """A POST was sent but its answer never arrived: it may have been committed.

    Never post again blindly: `lookup` holds the fields that identify the record (YourRef,
    EntryNumber, Code, …) and `ExactClient.resolve(error)` looks it up, returning the record when
    Exact did create it.
    """

    side = "network"

    def __init__(self, message: str, *, entity: str, lookup: dict[str, Any], endpoint: str = "",
                 status: int | None = None, cause: str = "") -> None:
        super().__init__(message, endpoint=endpoint, status=status)
        self.entity = entity
        self.lookup = dict(lookup)
        self.cause = cause


class AuthError(ExactError):
    """Exact refused our access token and a refresh did not help."""


class ReconnectRequired(AuthError):
    """The refresh token is expired, rotated away or the user was revoked: a new login is needed.

    `reason` is Exact's own description ("The user is not active", "Old refresh token used.", "The
    refresh token expired at …"). The token file is left as it was.
    """

    def __init__(self, reason: str, *, status: int | None = None, endpoint: str = "") -> None:
        super().__init__(f"Reconnect to Exact Online required: {reason}", status=status, endpoint=endpoint)
        self.reason = reason


class ForbiddenError(ExactError):
    """403: the user or app lacks rights, scope or access to the division. `reason` is Exact's."""

    def __init__(self, message: str, *, reason: str = "", status: int | None = 403, endpoint: str = "",
                 request_id: str = "") -> None:
        super().__init__(message, status=status, endpoint=endpoint, request_id=request_id)
        self.reason = reason


class RateLimited(ExactError):
    """A limit was reached and the client will not wait (daily limit, or waiting was disallowed).

    `scope` is "minute", "day" or "errors"; `reset_at` when calls are possible again.
    """

    def __init__(self, message: str, *, scope: str, reset_at: dt.datetime | None, status: int | None = 429,
                 endpoint: str = "") -> None:
        super().__init__(message, status=status, endpoint=endpoint)
        self.scope = scope
        self.reset_at = reset_at


class EndpointBlocked(RateLimited):
    """Our breaker stopped calls to an endpoint that kept failing, before Exact's hourly cap blocks the app."""

    def __init__(self, message: str, *, reset_at: dt.datetime | None, endpoint: str, last_error: str = "") -> None:
        super().__init__(message, scope="errors", reset_at=reset_at, status=None, endpoint=endpoint)
        self.last_error = last_error


class ValidationError(ExactError):
    """Exact refused the request's data. `text` is Exact's own words; kind/field/qualifier parsed.

    `kind` is normalised to English (`Verplicht` → "Required") so rules work in either language.
    """

    def __init__(self, text: str, *, status: int | None, endpoint: str = "", request_id: str = "",
                 parsed: ExactMessage | None = None) -> None:
        super().__init__(text, status=status, endpoint=endpoint, request_id=request_id)
        self.text = text
        self.parsed = parsed if parsed is not None else parse(text)

    @property
    def kind(self) -> MessageKind | None:
        return self.parsed.kind if self.parsed else None

    @property
    def field(self) -> str | None:
        return self.parsed.field if self.parsed else None

    @property
    def qualifier(self) -> str | None:
        return self.parsed.qualifier if self.parsed else None


class NotFound(ExactError):
    """404: the record or path does not exist (deleted in Exact, or a wrong division)."""
