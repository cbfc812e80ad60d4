"""Turn any failure into what the user reads: what happened, on which side, and what to do.

The console shows every failure the same way (a notice and a log line), so a support engineer can
tell at a glance whether the local data, Exact Online or the network is at fault. Exact's own
texts (validation, 401/403/404/429/5xx, OAuth refusals) go through `exact_tui.diagnose`, which knows
the peers' error catalogue: its summary, cause, side, remedy and catalogue rows land in `Problem`
unchanged, so this module stays the single place where failures become words.
"""
from __future__ import annotations

from dataclasses import dataclass

from .events import Side


@dataclass(frozen=True, slots=True)
class Problem:
    """One failure, explained. `side` is where it happened; `todo` is the next step for the user."""

    what: str
    side: Side
    todo: str
    detail: str = ""  # Exact's raw text, the request id, ...
    reconnect: bool = False
    retry_later: bool = False
    cause: str = ""  # why it happened (from the error catalogue when Exact said it)
    catalogue: tuple[int, ...] = ()  # rows of shared/exact-error-catalogue.md behind the explanation
    kind: str = ""  # what went wrong (diagnose's kinds: required, blocked, rate limit, request malformed, …)
    field: str = ""  # the field Exact named, in English

    def lines(self) -> list[str]:
        out = [self.what]
        if self.cause:
            out.append(f"Cause: {self.cause}")
        out += [f"Side: {self.side_label}", f"What to do: {self.todo}"]
        if self.catalogue:
            out.append(f"Catalogue: {self.catalogue_ref}")
        if self.detail:
            out.append(f"Detail: {self.detail}")
        return out

    @property
    def catalogue_ref(self) -> str:
        return ", ".join(f"#{row}" for row in self.catalogue)

    @property
    def side_label(self) -> str:
        return {Side.LOCAL: "local (this machine / the local data)", Side.EXACT: "Exact Online",
                Side.NETWORK: "network (between this machine and Exact)",
                Side.CONSOLE: "console"}[self.side]


def _side(value: str) -> Side:
    try:
        return Side(value)
    except ValueError:
        return Side.EXACT


def from_diagnosis(d, *, detail: str = "", reconnect: bool | None = None, retry_later: bool | None = None,
                   side: Side | None = None) -> Problem:
    """A `Problem` carrying everything a `Diagnosis` knows (summary, cause, side, remedy, catalogue rows)."""
    return Problem(d.summary, side or _side(d.side), d.remedy, detail=detail,
                   reconnect=d.reconnect if reconnect is None else reconnect,
                   retry_later=d.retry_later if retry_later is None else retry_later,
                   cause=d.cause, catalogue=tuple(d.catalogue), kind=d.kind, field=d.field)


def _request(exc) -> str:
    request_id = getattr(exc, "request_id", "")
    return f" (request {request_id})" if request_id else ""


def explain(exc: BaseException) -> Problem:
    """The explanation of one exception, whichever layer raised it."""
    from ..exact import errors as ex

    if isinstance(exc, ex.ReconnectRequired):
        from ..diagnose import diagnose_oauth

        d = diagnose_oauth(exc.reason, exc.reason)
        return from_diagnosis(d, detail=f"Exact said: {exc.reason}", reconnect=True)
    if isinstance(exc, ex.OutcomeUnknown):
        return Problem("The answer from Exact never arrived: the record may or may not exist there",
                       Side.NETWORK, "Do not send it again blindly: the console looks it up in Exact first. "
                       "Check the connection and retry.", detail=str(exc),
                       cause="The connection broke after the request was sent.", kind="network")
    if isinstance(exc, ex.EndpointBlocked):
        return Problem("The console stopped calling an endpoint that kept failing", Side.EXACT,
                       "Read the last error in the log and fix its cause; calls resume after the reset.",
                       detail=exc.last_error or str(exc), retry_later=True,
                       cause="Exact blocks an app for the hour after too many errors on one endpoint.",
                       kind="rate limit", field=exc.endpoint)
    if isinstance(exc, ex.RateLimited):
        from ..diagnose import diagnose_http

        d = diagnose_http(429)
        when = f" (resets {exc.reset_at:%H:%M} UTC)" if exc.reset_at else ""
        return Problem(f"Exact's API limit is reached ({exc.scope}){when}", Side.EXACT,
                       "Wait for the reset; other apps on this company share the same limit.",
                       detail=str(exc), retry_later=True, cause=d.cause, catalogue=tuple(d.catalogue),
                       kind=d.kind, field=d.field)
    if isinstance(exc, ex.ValidationError):
        from ..diagnose import diagnose

        d = diagnose(exc.text, status=exc.status)
        return from_diagnosis(d, detail=f"Exact said: {exc.text}" + _request(exc))
    if isinstance(exc, ex.ForbiddenError):
        from ..diagnose import diagnose, diagnose_http
        from ..diagnose.auth import reason_known

        if reason_known(exc.reason):
            d = diagnose_http(exc.status or 403, reason=exc.reason, text=exc.message)
        else:
            d = diagnose(exc.message, status=exc.status or 403)  # division scoping, app scope, or plain 403
        return from_diagnosis(d, detail=str(exc) + _request(exc))
    if isinstance(exc, ex.NotFound):
        from ..diagnose import diagnose_http

        d = diagnose_http(404)
        return Problem("Exact does not know this record or address", Side.EXACT,
                       "It may have been deleted in Exact, or the division is wrong; check step 2.",
                       detail=str(exc) + _request(exc), cause=d.cause, catalogue=tuple(d.catalogue),
                       kind=d.kind, field=d.field)
    if isinstance(exc, ex.ServerError):
        from ..diagnose import diagnose_http

        d = diagnose_http(exc.status or 500, text=exc.message)
        return from_diagnosis(d, detail=str(exc) + _request(exc), retry_later=True)
    if isinstance(exc, ex.NetworkError):
        return Problem("Exact Online could not be reached", Side.NETWORK,
                       "Check the network/VPN/proxy of this machine and the Exact host in step 1, then retry.",
                       detail=str(exc), retry_later=True, kind="network")
    if isinstance(exc, ex.AuthError):
        cause = ""
        if exc.status == 401:
            from ..diagnose import diagnose_http

            cause = diagnose_http(401).cause
        elif "authorization code" in exc.message:
            cause = "A login code is valid 3 minutes and can be used once."
        return Problem(exc.message, Side.EXACT, "Log in again in step 1 (a new login link is made for you).",
                       detail=str(exc) if str(exc) != exc.message else "", reconnect=True, cause=cause, kind="auth")
    if isinstance(exc, ex.ExactError):
        return Problem(exc.message, _side(exc.side), "Read the log for the request and retry.", detail=str(exc))
    if isinstance(exc, PermissionError):
        return Problem(f"No permission to use a local file: {exc.filename or exc}", Side.LOCAL,
                       "Check the owner and mode of the profile folder.", detail=str(exc))
    if isinstance(exc, OSError):
        return Problem(f"A local file could not be used: {exc.strerror or exc}", Side.LOCAL,
                       "Check disk space and the profile folder.", detail=str(exc))
    if isinstance(exc, ValueError):
        return Problem(str(exc), Side.LOCAL, "Correct the value and try again.")
    name = type(exc).__name__
    if name == "NotConnected":
        return Problem("Not connected to Exact Online", Side.CONSOLE, "Connect in step 1 first.")
    if name in {"ProfileLocked", "SchemaTooNew"}:
        return Problem(str(exc), Side.LOCAL, "Close the other console on this profile, or use another profile.")
    return Problem(f"Unexpected {name}: {exc}", Side.CONSOLE,
                   "This is a bug in the console: send the log (and the steps that led here) to support.")
