"""Take every secret and every personal value out of what leaves the machine in a support bundle.

Two nets, because either alone leaks: by *key* (any field named like a secret, token, code, e-mail,
phone, address or a person's name is blanked wherever it sits in the JSON), and by *value* (every
secret and personal value the profile holds — tokens, the client secret, customers', contacts' and
the Exact user's names, e-mails, phones, addresses — is replaced wherever it appears in free text,
such as a log line quoting Exact). Patterns catch what neither knows: e-mail addresses, phone
numbers, IBANs, bearer tokens, `code=`/`token=` in URLs and long token-like strings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"

_SECRET_KEYS = re.compile(r"secret|token|password|passwd|authori[sz]ation|cookie|^code$|auth_?code|state$|api_?key|"
                          r"signature|hashcode", re.I)
_PERSONAL_KEYS = re.compile(r"e-?mail|phone|mobile|fax|address|street|postcode|zip|city|^name$|_name$|name_|"
                            r"full_?name|first_?name|last_?name|user_?name|username|owner|contact_?name|"
                            r"ordered_?by_?name|vat$|^vat_?number|coc|chamber|iban|bank|website|ip$", re.I)
# Keys that look personal by the patterns above but name things, not people.
_SAFE_KEYS = re.compile(r"^(division_name|topic|kind|data_type|dimension_kind|theme|journal|side|level|status|"
                        r"outcome|message_kind|field|entity)$", re.I)

_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"(?i)\bbearer\s+[\w.~+/=-]+"),
    re.compile(r"(?i)\b(code|token|access_token|refresh_token|client_secret|state|password)=[^&\s\"']+"),
    re.compile(r"\b[A-Z]{2}\d{2}[A-Z]{4}\d{7,16}\b"),  # IBAN
    # phone numbers: international (+31, 0031) or national (0…) with 8–13 more digits; dates and codes start otherwise
    re.compile(r"(?<![\w/:.-])(?:\+\d{1,3}|00\d{1,3}|0)(?:[\s().-]*\d){8,13}(?![\w/:-])"),
    re.compile(r"[A-Za-z0-9!*_~+/-]{40,}={0,2}"),  # token-like strings
)


class Redactor:
    """Knows the profile's secrets and personal values; `text` and `data` return copies without them."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        # Whole words only, and at least 4 characters: a user called "api" must not blank every "/api/".
        known = sorted({v.strip() for v in values if v and len(v.strip()) >= 4}, key=len, reverse=True)
        self._known = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in known) + r")(?!\w)", re.I) \
            if known else None

    def text(self, text: str) -> str:
        if not text:
            return text
        if self._known is not None:
            text = self._known.sub(REDACTED, text)
        for pattern in _PATTERNS:
            text = pattern.sub(REDACTED, text)
        return text

    def data(self, value: Any, key: str = "") -> Any:
        if key and not _SAFE_KEYS.search(key) and (_SECRET_KEYS.search(key) or _PERSONAL_KEYS.search(key)):
            return REDACTED if value not in (None, "", [], {}) else value
        if isinstance(value, dict):
            return {k: self.data(v, str(k)) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def profile_values(session: Any) -> list[str]:
    """Every secret and personal value this profile holds (the value net of `Redactor`)."""
    out: list[str] = []
    store = session.store
    for c in store.customers.all():
        out += [c.name, c.email, c.phone, c.address, c.postcode, c.vat, c.coc, c.website]
    for c in store.contacts.all():
        out += [c.first_name, c.last_name, f"{c.first_name} {c.last_name}", c.email, c.phone]
    for row in store.exact_accounts.all():
        out += [str(row.get(k) or "") for k in ("name", "email", "phone", "address", "postcode", "vat", "coc",
                                                  "website", "Name", "Email", "Phone", "AddressLine1", "Postcode")]
    try:
        tokens = session.token_store().load()
    except Exception:  # noqa: BLE001 - an unreadable token file has nothing to hide from us
        tokens = None
    if tokens is not None:
        out += [tokens.access_token, tokens.refresh_token, tokens.owner.full_name, tokens.owner.user_name,
                tokens.owner.email]
    if getattr(session, "me", None) is not None:
        out += [session.me.full_name, session.me.user_name, session.me.email]
    from ..exact.appconfig import load_app_config

    try:
        out.append(str(load_app_config(session.profile_dir).get("client_secret") or ""))
    except Exception:  # noqa: BLE001
        pass
    return [v for v in out if v]
