"""What a diagnosis is: one explanation a person can act on, and the words it is made of.

Kept apart from the rules so the CLI, the doctor, the log detail and the problem box can all read a
`Diagnosis` without importing the rule tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field, replace
from typing import Any

# Sides, as the event stream names them (kept as strings: diagnose imports only domain).
LOCAL, EXACT, NETWORK, CONSOLE = "local", "exact", "network", "console"
SIDES = (LOCAL, EXACT, NETWORK, CONSOLE)

# Kinds: what went wrong, in the integration's own words. Exact's validation kinds in any language
# normalise to the first eleven; the rest name the families of answers that have no `Kind:` word.
REQUIRED = "required"
INVALID = "invalid"
INVALID_REFERENCE = "invalid reference"
IN_USE = "in use"
ALREADY_EXISTS = "already exists"
NOT_ALLOWED = "not allowed"
UNKNOWN = "unknown"
BLOCKED = "blocked"
INACTIVE = "inactive"
CLOSED_PERIOD = "closed period"
OUT_OF_BALANCE = "out of balance"
FORBIDDEN = "forbidden"
RATE_LIMIT = "rate limit"
AUTH = "auth"
MALFORMED = "request malformed"
INTERNAL = "exact internal"
NETWORK_KIND = "network"
KINDS = (REQUIRED, INVALID, INVALID_REFERENCE, IN_USE, ALREADY_EXISTS, NOT_ALLOWED, UNKNOWN, BLOCKED, INACTIVE,
         CLOSED_PERIOD, OUT_OF_BALANCE, FORBIDDEN, RATE_LIMIT, AUTH, MALFORMED, INTERNAL, NETWORK_KIND)

# What every "our own request was wrong" remedy ends with: we cannot fix it from the user's chair.
BUNDLE_ADVICE = ("This is a bug in exact-tui, not in your data or in Exact: run `exact-tui bundle` and send the "
                 "file to exact-tui support.")


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What a user reads under a failure: one line, why, who must act, what to do.

    `kind` and `field` say what went wrong where (`required`, "Payment condition"); `side` is who
    must act; `catalogue` the rows of shared/exact-error-catalogue.md behind the explanation;
    `parts` the single messages when Exact joined several into one answer.
    """

    summary: str
    cause: str
    remedy: str
    side: str = EXACT
    catalogue: tuple[int, ...] = ()
    reconnect: bool = False  # the connection must be made again (nothing else is lost)
    retry_later: bool = False  # waiting helps; nothing is wrong with the data
    kind: str = INTERNAL
    field: str = ""
    message: str = ""  # the single message of Exact's this explains, unwrapped
    parts: tuple["Diagnosis", ...] = dc_field(default=())

    def lines(self) -> list[str]:
        refs = f" (catalogue #{', #'.join(map(str, self.catalogue))})" if self.catalogue else ""
        out = [self.summary, f"Cause: {self.cause}", f"What to do: {self.remedy}{refs}", f"Side: {self.side}"]
        if self.kind:
            out.append(f"Kind: {self.kind}" + (f" · field: {self.field}" if self.field else ""))
        return out

    def as_dict(self) -> dict[str, Any]:
        """The `--json` shape: summary, cause, remedy, side, kind, field, catalogue (+ the parts)."""
        out: dict[str, Any] = {
            "summary": self.summary, "cause": self.cause, "remedy": self.remedy, "side": self.side,
            "kind": self.kind, "field": self.field, "catalogue": list(self.catalogue),
            "reconnect": self.reconnect, "retry_later": self.retry_later,
        }
        if self.message:
            out["message"] = self.message
        if self.parts:
            out["messages"] = [p.as_dict() for p in self.parts]
        return out

    def with_(self, **changes: Any) -> "Diagnosis":
        return replace(self, **changes)


def combine(parts: list[Diagnosis]) -> Diagnosis:
    """One answer that carries several messages: each stays readable, the first leads.

    Exact joins messages with CR/LF or `;`; the user must fix all of them, so the summary lists
    every one and the remedy numbers the steps. The side is the first message's: that is the one
    to act on first (a console bug outranks the rest, since fixing data cannot help then).
    """
    unique: list[Diagnosis] = []
    for part in parts:
        if not any((p.summary, p.field, p.kind) == (part.summary, part.field, part.kind) for p in unique):
            unique.append(part)
    if len(unique) == 1:
        return unique[0]
    lead = next((p for p in unique if p.side == CONSOLE), unique[0])
    rows: list[int] = []
    for part in unique:
        rows += [r for r in part.catalogue if r not in rows]
    numbered = lambda attr: " ".join(f"({i}) {getattr(p, attr)}" for i, p in enumerate(unique, 1))  # noqa: E731
    return Diagnosis(
        summary=f"{len(unique)} problems: " + "; ".join(p.summary for p in unique),
        cause=numbered("cause"), remedy=numbered("remedy"), side=lead.side, catalogue=tuple(rows),
        reconnect=any(p.reconnect for p in unique), retry_later=all(p.retry_later for p in unique),
        kind=lead.kind, field=lead.field, message=lead.message, parts=tuple(unique),
    )
