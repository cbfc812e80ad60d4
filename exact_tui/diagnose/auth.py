"""Answers that say nothing about the data: status codes, 403 reasons, OAuth refusals, web pages.

These are explained by who Exact says we are (token, user, rights, licence) and by how much we
asked (limits), not by a field; each still gets a kind, a side and the place to fix it.
"""
from __future__ import annotations

from .model import (AUTH, BUNDLE_ADVICE, CONSOLE, EXACT, FORBIDDEN, INACTIVE, INTERNAL, MALFORMED, NETWORK,
                    NETWORK_KIND, RATE_LIMIT, UNKNOWN, Diagnosis)

RIGHTS_PLACE = ("in Exact: Users → the linked user → Rights (and company access); Security Centre → App "
                "permissions → Manage companies for the app")

# 403 `Reason` header values (catalogue #12) -> summary, remedy, reconnect, field.
_REASONS: dict[str, tuple[str, str, bool, str]] = {
    "blockeduser": ("The Exact user is blocked", "In Exact, unblock the user (Users), or connect again in step 1 "
                    "with an active user, preferably a dedicated integration user.", True, "User"),
    "inactiveuser": ("The Exact user is inactive", "In Exact, reactivate the user (Users), or connect again in step 1 "
                     "with an active one.", True, "User"),
    "blockedcustomer": ("The Exact subscription is blocked", "The client company must contact Exact to unblock "
                        "its subscription; nothing can be done from the console.", False, "Subscription"),
    "licenseexpired": ("The Exact licence has expired", "The client company must renew its Exact licence "
                       "(Exact: My Exact Online → Licence).", False, "Licence"),
    "divisionblocked": ("The Exact division is blocked", "Unblock the company in Exact, or pick another division "
                        "in step 2.", False, "Division"),
    "nodivisionaccess": ("The user has no access to this division", f"Grant the user access {RIGHTS_PLACE}, or "
                         "connect again with a user who has it.", True, "Division"),
}


def reason_known(reason: str | None) -> bool:
    return bool(reason) and reason.replace(" ", "").lower() in _REASONS


def diagnose_http(status: int, *, reason: str | None = None, text: str = "") -> Diagnosis:
    """Explain a status code (and a 403 `Reason`) when the text alone says nothing useful."""
    said = f" Exact said: {text.strip()[:160]}" if text.strip() else ""
    if status == 403 and reason_known(reason):
        summary, remedy, reconnect, field = _REASONS[reason.replace(" ", "").lower()]  # type: ignore[union-attr]
        kind = INACTIVE if "inactive" in reason.lower() else FORBIDDEN  # type: ignore[union-attr]
        return Diagnosis(summary, f"Exact answered 403 with reason {reason}.", remedy, EXACT, (12,),
                         reconnect=reconnect, kind=kind, field=field, message=text)
    if status == 401:
        return Diagnosis("Exact no longer accepts the connection",
                         "The access token expired or was revoked, or the user lost rights to this division "
                         "(a password change of the linked user ends every connection)." + said,
                         "Connect again in step 1 (or `exact-tui connect`); nothing else is lost. If it keeps "
                         f"happening, check the user's rights {RIGHTS_PLACE}.", EXACT, (1,), reconnect=True,
                         kind=AUTH, field="Access token", message=text)
    if status == 403:
        return Diagnosis("Exact refused: insufficient rights",
                         "The linked user lacks rights (e.g. sales), has no access to the company, the app is not "
                         "permitted for it, or the licence lacks the feature." + said,
                         f"Give the user the rights and company access {RIGHTS_PLACE}; or connect in step 1 with a "
                         "dedicated integration user who has them.", EXACT, (10, 11), kind=FORBIDDEN, field="Rights",
                         message=text)
    if status == 404:
        return Diagnosis("Exact does not know this record", "The record was deleted or merged in Exact, or the "
                         "division is wrong." + said, "Check the division in step 2; unlink and link the record again "
                         "(customer card, F3), or let the transfer create it.", EXACT, (48,), kind=UNKNOWN,
                         field="Record", message=text)
    if status == 429:
        return Diagnosis("Exact's API limit is reached",
                         "Exact allows 60 calls a minute and 5,000 a day per company; other apps on the company "
                         "count too, and a 429 stands even when the headers said calls were left.",
                         "Wait: the console resumes when the limit resets (the header shows when); run one console "
                         "per profile.", EXACT, (21, 22, 24), retry_later=True, kind=RATE_LIMIT, field="API limit",
                         message=text)
    if status == 400:
        return Diagnosis("Exact could not read our request",
                         "Exact answered 400 Bad Request: the request itself was malformed (on a token refresh this "
                         "means the refresh token is no longer valid)." + said,
                         f"If it came from connecting, connect again in step 1. Otherwise: {BUNDLE_ADVICE}",
                         CONSOLE, (3,), kind=MALFORMED, field="Request", message=text)
    if status >= 500:
        return Diagnosis("Exact had a problem of its own", f"Exact answered {status} without a business reason; "
                         "its service failed or is unavailable." + said,
                         "Retry later; reads are retried automatically, writes are looked up in Exact before being "
                         "sent again. If it persists for hours, run `exact-tui bundle` and contact Exact support "
                         "with the request id.", EXACT, (56,), retry_later=True, kind=INTERNAL, message=text)
    return Diagnosis(f"Exact answered {status}", text[:200] or "No reason given.",
                     f"Check the log line's request. {BUNDLE_ADVICE}", CONSOLE, kind=MALFORMED, message=text)


def diagnose_oauth(error: str, description: str = "", *, reason: str = "") -> Diagnosis:
    """Explain an OAuth token-endpoint refusal: all of them end in 'connect again' except too-early."""
    text = f"{error} {description} {reason}".lower()
    said = f"{error}: {description}".strip(": ")
    if "not active" in text or "inactive" in text:
        return Diagnosis("The Exact user is not active",
                         "The linked user was deleted or blocked, its password expired, or the app's permission "
                         "was withdrawn.", "Connect again in step 1 with an active user (a dedicated integration "
                         "user is best).", EXACT, (5,), reconnect=True, kind=INACTIVE, field="User", message=said)
    if "old refresh token" in text:
        return Diagnosis("The refresh token was already used",
                         "Exact rotates refresh tokens; another process refreshed with this one first.",
                         "Connect again in step 1. Run one console per profile so only one process refreshes; "
                         f"if only one was running: {BUNDLE_ADVICE}", CONSOLE, (7,), reconnect=True, kind=AUTH,
                         field="Refresh token", message=said)
    if "not expired" in text or "tooearly" in text.replace(" ", ""):
        return Diagnosis("Token refreshed too early",
                         "Exact refuses a new access token within 570 s of the previous one.",
                         "Nothing to do: the console re-reads the stored token. If you see this often: "
                         + BUNDLE_ADVICE, CONSOLE, (23,), retry_later=True, kind=RATE_LIMIT, field="Access token",
                         message=said)
    if "expired" in text and "refresh" in text:
        return Diagnosis("The connection expired", "The refresh token was not used for 30 days (Exact is "
                         "shortening this lifetime).", "Connect again in step 1 (full authorisation); the console "
                         "warns in the last 7 days.", EXACT, (6,), reconnect=True, kind=AUTH, field="Refresh token",
                         message=said)
    if "redirect" in text or "invalid_client" in text or "client" in text and "secret" in text:
        return Diagnosis("Exact does not accept the app's credentials", "The client id, secret or redirect URI "
                         "do not match the app registration." + (f" Exact said: {said}" if said else ""),
                         "In step 1, re-enter the client id/secret and the redirect URI exactly as registered in "
                         "the Exact App Center.", EXACT, (17,), reconnect=True, kind=AUTH, field="Client",
                         message=said)
    if "code" in text and ("invalid" in text or "expired" in text or "used" in text):
        return Diagnosis("The login code is no longer valid", "A login code is valid about 3 minutes and "
                         "can be used once.", "Make a new login link in step 1 (ctrl+g) and paste the new address.",
                         EXACT, (3,), reconnect=True, kind=AUTH, field="Authorization code", message=said)
    return Diagnosis(f"Exact refused the login: {error or 'no reason'}", description or "No reason given.",
                     "Unlink and connect again in step 1.", EXACT, (3, 4), reconnect=True, kind=AUTH,
                     field="Refresh token", message=said)


def diagnose_page(kind: str, title: str, status: int | None) -> Diagnosis:
    """A web page where Exact's JSON was expected: a login page (token refused) or someone else's page."""
    shown = f" ('{title}')" if title else ""
    if kind == "login":
        return Diagnosis("Exact answered with its login page instead of data",
                         f"Exact sent the browser sign-in page{shown}: the request carried no valid access token "
                         "(expired, revoked, or the user's password changed).",
                         "Connect again in step 1 (or `exact-tui connect`); nothing else is lost.", EXACT, (1, 9),
                         reconnect=True, kind=AUTH, field="Access token")
    return Diagnosis("A web page came back instead of Exact's answer",
                     f"Something between this machine and Exact answered{shown}{f' with {status}' if status else ''}: "
                     "a proxy, a captive portal or a wrong Exact host.",
                     "Check the Exact host in step 1 (start.exactonline.nl, .be, .de, …) and this machine's "
                     "proxy/VPN, then retry.", NETWORK, (), retry_later=True, kind=NETWORK_KIND, field="Host")
