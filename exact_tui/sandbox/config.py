"""How a sandbox is started, and the knobs for behaviour the facts page marks as "likely".

Everything "sure" in exact-online-facts.md is fixed behaviour. Everything only "likely" (or left
unpublished by Exact) is a field of `Behaviour`, so a test or a support engineer can switch to the
other reading without code changes (CLI: `--behave key=value`; run time: `POST /sandbox/behaviour`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Behaviour:
    """Configurable readings of Exact's unpublished or uncertain rules (defaults: the strict reading)."""

    # Refresh-token rotation: "strict" = the old refresh token dies the moment its successor is issued;
    # "grace" = the old one stays valid until the successor is first used (some reports).
    refresh_rotation: str = "strict"
    # Too-early refresh (< 570 s after the previous access token): 400 (current docs) or 401 (older docs).
    too_early_status: int = 400
    too_early_seconds: float = 570.0
    # A second login + consent of the same user for the same app revokes the previous token chain ("likely").
    consent_revokes_previous: bool = True
    # The token endpoint takes client credentials in the form body (client_secret_post, Exact's
    # documented way) and, by default, by HTTP Basic (client_secret_basic), which widely used OAuth
    # libraries send and the real Exact accepts; `false` is the strict reading (form body only).
    accept_basic_auth: bool = True
    # An `EntryNumber` (or `InvoiceNumber`) sent with a new sales entry: "honour" = used as the entry's
    # number when free; "ignore" = Exact assigns its own next number anyway (peers report both).
    entry_number_hint: str = "honour"
    # Mandatory filtering on entities whose field list Exact has not published (crm/Contacts,
    # salesinvoice/SalesInvoices, cashflow/Receivables): "any-field" = a $filter on any property will
    # do; "key-only" = only the entity's key counts (so a `YourRef` lookup gets the mandatory-filter
    # 400, as it may in production); "none" = no mandatory filter. Accounts and Items always use the
    # list Exact's own message publishes.
    mandatory_filter: str = "any-field"
    # G/L accounts a sales-entry line may book on: "revenue" = only type 110 (Revenue); "profit-loss"
    # = any profit-and-loss account (BalanceType W); cash, bank, receivable, payable and VAT accounts
    # are refused either way (catalogue #41: "Ledger account … is of a wrong type").
    sales_line_gl: str = "revenue"
    # Deleting a sales entry / invoice whose receivable is paid or matched: Exact publishes no rule.
    allow_delete_paid: bool = False
    # Hourly error cap: answer a blocked caller with 429 (default) or 403.
    error_cap_status: int = 429
    # The block doubles for each further block on the same key within a day ("escalating").
    error_cap_escalates: bool = True
    # `Status` given to a new account when the POST leaves it out ("A" = none; Exact needs "C" for a customer).
    account_default_status: str = "A"
    # Token-endpoint calls allowed per user per app per day.
    token_calls_per_day: int = 200
    minute_limit: int = 60
    day_limit: int = 5000
    error_cap: int = 10
    # Latency added by the `latency` fault profile when no value is given (`latency:250`).
    latency_ms: int = 300
    # A user without rights in an area (`POST /sandbox/users/{u}/rights`): "forbidden" = 403 Forbidden;
    # "empty" = reads answer as if there were nothing (lists empty, a key 404), writes still 403.
    # Peers report both (facts §5).
    insufficient_rights: str = "forbidden"
    # URLs longer than this are refused with 414 before anything else (facts §2, "likely"); 0 = no cap.
    max_url_length: int = 6000
    # Request bodies larger than this are refused with 413 (about 38 MB in NL/BE, 9.5 MB elsewhere,
    # facts §2, "likely"); 0 = no cap.
    max_request_bytes: int = 38 * 1024 * 1024
    # How long `sync/Deleted` lists a deletion ("about two months").
    deleted_retention_days: int = 60

    # A `$top` answer that needs no next page: "results" = `{"d": {"results": [...]}}`; "bare" =
    # `{"d": [...]}`, as WCF Data Services (Exact's stack) sends it ("likely", facts §3).
    top_shape: str = "results"

    def update(self, values: dict[str, Any]) -> None:
        """Apply `values` (e.g. from JSON or `key=value` strings), coercing to each field's type."""
        known = {f.name: f for f in dataclasses.fields(self)}
        for key, raw in values.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ValueError(f"unknown behaviour {key!r}; known: {', '.join(sorted(known))}")
            current = getattr(self, name)
            value = _coerce(raw, type(current), name)
            if name in CHOICES and value not in CHOICES[name]:
                raise ValueError(f"behaviour {name} is one of {', '.join(sorted(CHOICES[name]))}, not {raw!r}")
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


CHOICES: dict[str, set[Any]] = {
    "refresh_rotation": {"strict", "grace"}, "too_early_status": {400, 401}, "error_cap_status": {429, 403},
    "insufficient_rights": {"forbidden", "empty"}, "entry_number_hint": {"honour", "ignore"},
    "mandatory_filter": {"any-field", "key-only", "none"}, "sales_line_gl": {"revenue", "profit-loss"},
    "top_shape": {"results", "bare"},
}


def _coerce(raw: Any, kind: type, name: str) -> Any:
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"behaviour {name} needs true/false, not {raw!r}")
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise ValueError(f"behaviour {name} needs a {kind.__name__}, not {raw!r}") from None


@dataclass
class SandboxConfig:
    """What `SandboxServer` serves. `port=0` picks a free port; `state_file=None` keeps it in memory."""

    host: str = "127.0.0.1"
    port: int = 0
    customers: int = 200
    seed: int = 1
    faults: str | None = None
    time_scale: float = 1.0
    state_file: str | None = None
    behaviour: Behaviour = field(default_factory=Behaviour)
    # App registration: scopes granted to the app (None = every scope). Narrow it to reproduce
    # "Application Scope Violated".
    scopes: list[str] | None = None
    # Print one line per request (the CLI turns this on).
    log_requests: bool = False
