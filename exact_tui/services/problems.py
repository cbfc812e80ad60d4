"""Turn any failure into what the user reads: what happened, on which side, and what to do.

The console shows every failure the same way (a notice and a log line), so a support engineer can
tell at a glance whether the local data, Exact Online or the network is at fault. Exact's own
texts go through `exact_tui.diagnose`, which knows the peers' error catalogue.
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

    def lines(self) -> list[str]:
        out = [self.what, f"Side: {self.side_label}", f"What to do: {self.todo}"]
        if self.detail:
            out.append(f"Detail: {self.detail}")
        return out

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


def explain(exc: BaseException) -> Problem:
    """The explanation of one exception, whichever layer raised it."""
    from ..exact import errors as ex

    if isinstance(exc, ex.ReconnectRequired):
        from ..diagnose import diagnose_oauth

        d = diagnose_oauth(exc.reason, exc.reason)
        return Problem(d.summary, Side.EXACT, d.remedy or "Connect again in step 1; nothing else is lost.",
                       detail=exc.reason, reconnect=True)
    if isinstance(exc, ex.OutcomeUnknown):
        return Problem("The answer from Exact never arrived: the record may or may not exist there",
                       Side.NETWORK, "Do not send it again blindly: the console looks it up in Exact first. "
                       "Check the connection and retry.", detail=str(exc))
    if isinstance(exc, ex.EndpointBlocked):
        return Problem("The console stopped calling an endpoint that kept failing", Side.EXACT,
                       "Read the last error in the log and fix its cause; calls resume after the reset.",
                       detail=exc.last_error or str(exc), retry_later=True)
    if isinstance(exc, ex.RateLimited):
        when = f" (resets {exc.reset_at:%H:%M} UTC)" if exc.reset_at else ""
        return Problem(f"Exact's API limit is reached ({exc.scope}){when}", Side.EXACT,
                       "Wait for the reset; other apps on this company share the same limit.",
                       detail=str(exc), retry_later=True)
    if isinstance(exc, ex.ValidationError):
        from ..diagnose import diagnose

        d = diagnose(exc.text, status=exc.status)
        return Problem(d.summary, _side(d.side), d.remedy, detail=f"Exact said: {exc.text}"
                       + (f" (request {exc.request_id})" if exc.request_id else ""))
    if isinstance(exc, ex.ForbiddenError):
        from ..diagnose import diagnose_http

        d = diagnose_http(exc.status or 403, reason=exc.reason, text=exc.message)
        return Problem(d.summary, Side.EXACT, d.remedy, detail=str(exc), reconnect=d.reconnect)
    if isinstance(exc, ex.NotFound):
        return Problem("Exact does not know this record or address", Side.EXACT,
                       "It may have been deleted in Exact, or the division is wrong; check step 2.", detail=str(exc))
    if isinstance(exc, ex.ServerError):
        return Problem("Exact Online had a problem answering", Side.EXACT,
                       "Retry in a few minutes; reads are retried automatically.", detail=str(exc), retry_later=True)
    if isinstance(exc, ex.NetworkError):
        return Problem("Exact Online could not be reached", Side.NETWORK,
                       "Check the network/VPN/proxy of this machine and the Exact host in step 1, then retry.",
                       detail=str(exc), retry_later=True)
    if isinstance(exc, ex.AuthError):
        return Problem(exc.message, Side.EXACT, "Log in again in step 1 (a new login link is made for you).",
                       detail=str(exc) if str(exc) != exc.message else "", reconnect=True)
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
