"""Diagnosis rules: which Exact message means what, whose side must act, and what to do.

Each rule names the catalogue row it comes from, so a support engineer can read the peers' sources.
Rules match the normalised English kind and field (`domain.exact_messages`), so the Dutch
`Verplicht: Betalingsconditie` and the English `Mandatory: Payment condition` meet the same rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.exact_messages import ExactMessage, MessageKind, parse_all

# Sides, as the event stream names them (kept as strings: diagnose imports only domain).
LOCAL, EXACT, NETWORK, CONSOLE = "local", "exact", "network", "console"


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What a user reads under a failure: one line, why, who must act, what to do."""

    summary: str
    cause: str
    remedy: str
    side: str = EXACT
    catalogue: tuple[int, ...] = ()
    reconnect: bool = False  # the connection must be made again (nothing else is lost)
    retry_later: bool = False  # waiting helps; nothing is wrong with the data

    def lines(self) -> list[str]:
        refs = f" (catalogue #{', #'.join(map(str, self.catalogue))})" if self.catalogue else ""
        return [self.summary, f"Cause: {self.cause}", f"What to do: {self.remedy}{refs}", f"Side: {self.side}"]


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: MessageKind | None
    field: re.Pattern[str]
    qualifier: re.Pattern[str] | None
    diagnosis: Diagnosis

    def matches(self, msg: ExactMessage) -> bool:
        if self.kind is not None and msg.kind != self.kind:
            return False
        fields = f"{msg.field} | {msg.field_en}"
        if not self.field.search(fields):
            return False
        if self.qualifier is not None and not self.qualifier.search(msg.qualifier or ""):
            return False
        return True


def _rule(kind: MessageKind | None, field: str, summary: str, cause: str, remedy: str, *rows: int, qualifier: str | None = None, side: str = EXACT) -> _Rule:
    return _Rule(
        kind,
        re.compile(field, re.I),
        re.compile(qualifier, re.I) if qualifier else None,
        Diagnosis(summary, cause, remedy, side, rows),
    )


K = MessageKind
# Order matters: the first rule that matches wins, so specific rules stand before general ones.
RULES: tuple[_Rule, ...] = (
    _rule(K.INVALID, r"journal|dagboek", "The journal is not a sales journal",
          "Invoices can only be written to a journal of type Sales (20); credit notes may use a Return invoice journal (21).",
          "Choose a sales journal in step 3, or create one in Exact (Master data → Financial → Journals).", 27, qualifier=r"type"),
    _rule(K.INVALID_REFERENCE, r"journal|dagboek", "The journal does not exist in this division",
          "The journal code sent does not resolve in the selected Exact division.", "Pick the journal again in step 3.", 29),
    _rule(K.REQUIRED, r"journal|dagboek|diary", "No journal set",
          "No sales journal is configured, in the console or in Exact's financial settings.", "Choose a sales journal in step 3.", 28),
    _rule(K.UNKNOWN, r"fiscal|financial year|boekjaar", "No fiscal year for the invoice date",
          "The fiscal year or period for the invoice date does not exist in Exact.",
          "In Exact: Master data → Financial → Period-date table: create the year and its periods, then transfer again.", 25),
    _rule(K.NOT_ALLOWED, r"exchange rate|wisselkoers", "The journal does not allow a variable exchange rate",
          "The sales journal accepts foreign currency but its 'Variable: exchange rate' option is off.",
          "In Exact, tick the exchange-rate option on the sales journal.", 32),
    _rule(None, r"currency|valuta", "Foreign currency is not accepted",
          "The sales journal does not allow variable currency, or the currency does not exist in Exact.",
          "Create the currency in Exact and enable variable currency on the sales journal (or pick one that has it in step 3).", 33),
    _rule(K.REQUIRED, r"payment condition|betalingsconditie|due date", "No payment condition",
          "The invoice has no payment condition and neither the customer nor the division has a default.",
          "Set a default sales payment condition in Exact (Settings → Financial), or one on the customer.", 30),
    _rule(K.INVALID_REFERENCE, r"payment condition|betalingsconditie", "The payment condition does not exist in Exact",
          "The payment-condition code sent is unknown in this division.", "Create it in Exact or change the code on the local customer.", 31),
    _rule(K.INVALID, r"vat percentage|btw-percentage", "VAT rate does not fit the destination country",
          "The VAT code does not fit the country the invoice is for.", "Correct the VAT rate on the invoice for the destination country.", 34),
    _rule(K.INVALID_REFERENCE, r"vat|btw", "The VAT code does not exist in Exact",
          "A VAT code was sent that Exact does not know (or a G/L number was entered where a VAT code belongs).",
          "Map the local VAT code to an Exact VAT code.", 35),
    _rule(K.MISSING, r"vat|btw", "VAT code missing in Exact", "The local VAT codes do not exist in Exact.", "Align the codes with Exact's.", 36),
    _rule(K.NOT_ALLOWED, r"vat|btw", "This journal does not accept VAT",
          "The target journal is not VAT-enabled.", "Tick 'VAT' in the journal's settings in Exact.", 37),
    _rule(K.INVALID, r"gl account type|grootboekrekeningtype|ledger", "Wrong kind of G/L account",
          "A line uses a balance-sheet, receivables, VAT or cash account where a revenue account is required.",
          "Give the item a revenue (P&L) G/L account in Exact.", 41),
    _rule(K.BLOCKED, r"gl account|grootboek|ledger", "The G/L account is blocked",
          "The revenue G/L account behind the item is blocked in Exact.", "Unblock it in Exact or give the item another account.", 42),
    _rule(K.REQUIRED, r"gl account|grootboek|ledger|account$", "No G/L account",
          "An item used on the invoice has no revenue G/L account.",
          "In Exact, set a revenue G/L account on the item; the console warns about such items in step 6.", 43),
    _rule(K.INVALID, r"customer|klant", "The Exact relation is not a customer",
          "The customer number already belongs to an Exact relation that is a supplier, prospect or suspect.",
          "In Exact, make the relation a customer (status C), or give the local customer another number.", 46, qualifier=r"type"),
    _rule(K.NOT_FOUND, r"customer|klant|relation|relatie|account", "The linked Exact account no longer exists",
          "The account stored at linking time was deleted or merged in Exact.",
          "Unlink the customer and link it again (or let the transfer create it).", 48),
    _rule(K.BLOCKED, r"customer|klant|account|relatie", "The Exact account is blocked",
          "The customer is blocked in Exact.", "Unblock the account in Exact, then transfer again.", 47),
    _rule(K.IN_USE, r"entry number|boekstuknummer|document number|invoice number", "This invoice number is already booked in Exact",
          "An entry with this number exists in the journal: an earlier transfer reached Exact but its answer was lost, or it was entered by hand.",
          "Do not post again. Look the entry up in Exact and mark the invoice as transferred, or remove the copy in Exact after checking.", 51, 52),
    _rule(K.ALREADY_EXISTS, r"entry|booking|boekstuk", "This invoice already exists in Exact",
          "The invoice was already exported.", "Mark it as exported; do not post it again.", 52, 53),
    _rule(K.ALREADY_EXISTS, r"data|gegeven|code", "A record with this key already exists in Exact",
          "Exact refuses a duplicate key; a `Code` sent in an update also triggers this.",
          "Do not change the code of an existing account; link to the existing record instead.", 45),
    _rule(K.INVALID, r"email", "Exact refused an e-mail address",
          "A customer field was not accepted by Exact.", "Correct the e-mail address of the local customer.", 49, side=LOCAL),
    _rule(K.REQUIRED, r"name|naam", "A required name is empty",
          "The record has no name.", "Fill in the name on the local side.", 49, side=LOCAL),
    _rule(K.INVALID, r"cost center|cost unit|kostenplaats|kostendrager", "Cost centre or cost unit problem",
          "The cost centre has no G/L linked or the cost unit does not exist.", "Use Exact's codes and link a G/L to the cost centre.", 45),
    _rule(K.REQUIRED, r"\$filter", "The request lacks a mandatory filter",
          "Exact requires a $filter on this endpoint (mandatory filtering).", "This is a console bug: report it with the log.", side=CONSOLE),
)

_PERIOD_CLOSED = re.compile(r"periode is afgesloten|period is closed|period closed", re.I)
_PERIOD_CLOSED_DIAGNOSIS = Diagnosis("The period is closed", "The invoice date falls in a period that is closed in Exact.",
                      "Reopen the period in Exact, or correct the invoice date before transferring (a posting cannot be undone).", EXACT, (26,))
_DIVISION = re.compile(r"niet opgenomen in de rechten|not included in the (rights|permissions)|wrong division", re.I)


def diagnose(text: str, *, status: int | None = None) -> Diagnosis:
    """The best explanation of an Exact error text (any language, possibly wrapped)."""
    if _PERIOD_CLOSED.search(text):
        return _PERIOD_CLOSED_DIAGNOSIS
    if _DIVISION.search(text):
        return Diagnosis("The app has no access to this division",
                         "Exact's division scoping: the app was not granted this administration, or the user lost access.",
                         "In Exact: App permissions → Manage administrations: grant the division, then reconnect.", EXACT, (14, 15))
    if re.search(r"application scope violated", text, re.I):
        return Diagnosis("The app's scopes do not cover this", "The app registration lacks the scope for this endpoint.",
                         "Adjust the app's scopes in the Exact App Center and connect again.", EXACT, (13,), reconnect=True)
    for msg in parse_all(text):
        for rule in RULES:
            if rule.matches(msg):
                return rule.diagnosis
    if status is not None:
        return diagnose_http(status, text=text)
    return Diagnosis(f"Exact refused the request: {text.strip()[:200]}", "Exact gave no recognised reason.",
                     "Read Exact's text above; if it persists, reproduce it on the sandbox and send the log to support.", EXACT)


_REASONS = {
    "blockeduser": ("The Exact user is blocked", "Use an active user, preferably a dedicated integration user.", True),
    "inactiveuser": ("The Exact user is inactive", "Reconnect with an active user.", True),
    "blockedcustomer": ("The Exact subscription is blocked", "The client company must contact Exact.", False),
    "licenseexpired": ("The Exact licence has expired", "The client company must renew its Exact licence.", False),
    "divisionblocked": ("The Exact division is blocked", "Unblock the company in Exact or pick another division.", False),
    "nodivisionaccess": ("The user has no access to this division", "Grant the user access, or reconnect with a user who has it.", True),
}


def diagnose_http(status: int, *, reason: str | None = None, text: str = "") -> Diagnosis:
    """Explain a status code (and a 403 `Reason`) when the text alone says nothing useful."""
    if status == 403 and reason and reason.replace(" ", "").lower() in _REASONS:
        summary, remedy, reconnect = _REASONS[reason.replace(" ", "").lower()]
        return Diagnosis(summary, f"Exact answered 403 with reason {reason}.", remedy, EXACT, (12,), reconnect=reconnect)
    if status == 401:
        return Diagnosis("Exact no longer accepts the connection",
                         "The access token expired or was revoked, or the user lost rights to this division.",
                         "Connect again in step 1; nothing else is lost.", EXACT, (1,), reconnect=True)
    if status == 403:
        return Diagnosis("Exact refused: insufficient rights",
                         "The linked user lacks rights (e.g. sales), has no access to the company, or the app is not permitted for it.",
                         "Give the user full rights and company access, or connect with a dedicated integration user.", EXACT, (10, 11))
    if status == 404:
        return Diagnosis("Exact does not know this record", "The record was deleted or merged in Exact.",
                         "Reconcile: unlink and link again, or let the transfer create it.", EXACT, (48,))
    if status == 429:
        return Diagnosis("Exact's API limit is reached",
                         "Exact allows 60 calls a minute and 5,000 a day per company; other apps on the company share it.",
                         "Wait: the console resumes when the limit resets.", EXACT, (21, 22, 24), retry_later=True)
    if status >= 500:
        return Diagnosis("Exact had a problem", f"Exact answered {status}{': ' + text[:120] if text else ''}.",
                         "Retry later; reads are retried automatically. Writes are checked in Exact before being sent again.", EXACT, (56,), retry_later=True)
    return Diagnosis(f"Exact answered {status}", text[:200] or "No reason given.", "Check the log for the request.", EXACT)


def diagnose_oauth(error: str, description: str = "") -> Diagnosis:
    """Explain an OAuth token-endpoint refusal: all of them end in 'connect again' except too-early."""
    text = f"{error} {description}".lower()
    if "not active" in text:
        return Diagnosis("The Exact user is not active",
                         "The linked user was deleted or blocked, its password expired, or the app's permission was withdrawn.",
                         "Connect again with an active user (a dedicated integration user is best).", EXACT, (5,), reconnect=True)
    if "old refresh token" in text:
        return Diagnosis("The refresh token was already used",
                         "Exact rotates refresh tokens; another process refreshed with this one first.",
                         "Connect again. Run one console per profile so only one process refreshes.", CONSOLE, (7,), reconnect=True)
    if "expired" in text and "refresh" in text:
        return Diagnosis("The connection expired",
                         "The refresh token was not used for 30 days.",
                         "Connect again (full authorisation); the console warns before this happens.", EXACT, (6,), reconnect=True)
    if "not expired" in text or "toearly" in text.replace(" ", ""):
        return Diagnosis("Token refreshed too early",
                         "Exact refuses a new access token within 570 s of the previous one.",
                         "Nothing to do: the console re-reads the stored token.", CONSOLE, (23,), retry_later=True)
    return Diagnosis(f"Exact refused the login: {error}", description or "No reason given.",
                     "Unlink and connect again.", EXACT, (3, 4), reconnect=True)
