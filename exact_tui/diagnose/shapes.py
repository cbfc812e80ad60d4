"""The shape of one message: its kind and its field, even when the words are new to us.

Exact words its refusals in the Exact user's language, and support engineers meet new texts every
week, so nothing here matches whole strings. In order:

1. requests of ours that Exact could not read (OData literal/operator errors, `$filter`/`$select`
   rules, bad JSON, unknown properties): these are our bugs, whatever else the text says;
2. Exact's `<Kind>: <Field> (<qualifier>)` pair in Dutch, English, German or French
   (`domain.exact_messages`), refined by its qualifier (`Ongeldig: Artikel (… is niet actief)` is
   an inactive item);
3. families with no `Kind:` word: closed period, out of balance, forbidden, rate limit, auth,
   Exact-internal failures, network failures;
4. looser shapes: `Field: Kind`, `Kind Field`, `… Field could not be found …`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.exact_messages import KIND_SPELLINGS, MessageKind, english_field, parse_all
from . import model as m

_FROM_DOMAIN = {
    MessageKind.REQUIRED: m.REQUIRED, MessageKind.MISSING: m.REQUIRED, MessageKind.INVALID: m.INVALID,
    MessageKind.INVALID_REFERENCE: m.INVALID_REFERENCE, MessageKind.ALREADY_EXISTS: m.ALREADY_EXISTS,
    MessageKind.IN_USE: m.IN_USE, MessageKind.NOT_ALLOWED: m.NOT_ALLOWED, MessageKind.UNKNOWN: m.UNKNOWN,
    MessageKind.NOT_FOUND: m.UNKNOWN, MessageKind.BLOCKED: m.BLOCKED, MessageKind.INACTIVE: m.INACTIVE,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One message's kind and field. `field` as Exact wrote it, `field_en` in English."""

    kind: str
    field: str = ""
    qualifier: str = ""
    value: str | None = None
    text: str = ""
    exact_kind: MessageKind | None = None  # the validation kind when the message had one

    @property
    def field_en(self) -> str:
        return english_field(self.field) if self.field else ""

    @property
    def words(self) -> str:
        """Everything a rule may look at: field in both languages, qualifier and value."""
        return " | ".join(p for p in (self.field, self.field_en, self.qualifier, self.value or "") if p)


_INACTIVE_WORDS = re.compile(r"niet (meer )?actief|non-actief|inactie?f|not active|inactive|nicht (mehr )?aktiv|"
                             r"inaktiv|n'est pas actif|pas actif|einddatum|end ?date|enddatum|date de fin", re.I)
_CLOSED_WORDS = re.compile(r"afgesloten|gesloten|closed|geschlossen|abgeschlossen|clôturée?|fermée?", re.I)

# 1. Our request was malformed: (pattern, field group name or fixed field).
_MALFORMED: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), f) for p, f in (
    (r"mandatory filtering|must have a \$filter|verplichte filter", "$filter"),
    (r"\$select (is verplicht|is mandatory|is required)|requires a \$select|\$select parameter", "$select"),
    (r"(?P<f>\$(?:filter|select|orderby|expand|top|skip|inlinecount|format))\b[^.]*\b(not (allowed|supported|permitted)|"
     r"niet toegestaan|nicht erlaubt|non autorisé|invalid|ongeldig)", ""),
    (r"(query option|query parameter|queryoptie)\s*'?(?P<f>\$?\w+)'?\s*(is )?(not|niet)", ""),
    (r"sync[- ]endpoints? accept", "$filter"),
    (r"operator '?\w+'? (is )?incompatible|binary operator with incompatible types|incompatible with operand", "$filter"),
    (r"error (in )?converting value.*?(?:for )?property '(?P<f>[^']+)'", ""),
    (r"error converting value .*? to type '[^']*'\. path '(?P<f>[^']+)'", ""),
    (r"cannot convert (the literal )?'?[^']*'? to (the expected )?type '?(edm\.|system\.)?guid", "Guid"),
    (r"cannot convert (the literal )?'?[^']*'? to (the expected )?type '?(edm\.|system\.)?datetime", "DateTime"),
    (r"cannot convert (the literal )?'?[^']*'? to (the expected )?type '?(?P<f>[\w.`]+)'?", ""),
    (r"unrecognized '?(?P<f>edm\.\w+)'? literal|unrecognized guid|niet herkende guid|guid format|guid-indeling|"
     r"guid should contain|not a valid guid|ongeldige guid", "Guid"),
    (r"not recognized as a valid datetime|edm\.datetime|ongeldige datum(notatie)?|invalid date(time)? format|"
     r"datetime'|kan niet worden geconverteerd naar (een )?datum", "DateTime"),
    (r"(could not find a property|kan geen eigenschap|no property) (named |met de naam )?'(?P<f>[^']+)'", ""),
    (r"property '(?P<f>[^']+)' (does not exist|bestaat niet|is not (allowed|supported))", ""),
    (r"resource not found for the segment '(?P<f>[^']+)'", ""),
    (r"the query specified in the uri is not valid|syntax error at position|expression expected at position|"
     r"'\)' or operator expected", "$filter"),
    (r"(invalid|ongeldige) json|unexpected character encountered|unexpected end when|json (reader|decode)|"
     r"could not acquire tokens, json decode", "body"),
    (r"ongeldige waarde voor (?P<f>[\w$]+)|invalid value for (?P<g>[\w$]+)", ""),
    (r"url (is )?(te lang|too long)|uri too long|request (is )?too large|verzoek is te groot", "URL"),
    (r"method (?P<f>\w+) is not allowed|methode \w+ is niet toegestaan", ""),
))

# 3. Families without a `Kind:` word: (pattern, kind, field).
_FAMILIES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple((re.compile(p, re.I), k, f) for p, k, f in (
    (r"periode (is )?(afgesloten|gesloten)|period (is )?closed|closed period|periode (ist )?(geschlossen|abgeschlossen)|"
     r"période (est )?(clôturée|fermée)|boekperiode.*afgesloten", m.CLOSED_PERIOD, "Period"),
    (r"niet in balans|not in balance|out of balance|unbalanced|nicht ausgeglichen|(pas|non) équilibré|"
     r"komt niet overeen met het totaal|does not match the total|stimmt nicht mit der summe", m.OUT_OF_BALANCE, "Amount"),
    (r"too many requests|rate ?limit|api[- ]limiet|api[- ]limit|te veel (mislukte )?(aanroepen|verzoeken)|"
     r"zu viele anfragen|trop de requêtes|too many failing calls|limit (reached|exceeded)|errorcap", m.RATE_LIMIT, ""),
    (r"application scope violated|forbidden|verboden|niet opgenomen in de rechten|not included in the (rights|permissions)|"
     r"wrong division|no (division )?access|geen toegang|zugriff verweigert|accès refusé|insufficient (rights|permissions)|"
     r"onvoldoende rechten|keine berechtigung|droits insuffisants|permission denied|access denied|"
     r"change in permissions|rechten gewijzigd", m.FORBIDDEN, ""),
    (r"unauthori[sz]ed|niet gemachtigd|nicht autorisiert|non autorisé$|authorizationrequired|authori[sz]ation required|"
     r"invalid_grant|invalid_client|unauthorized_client|invalid_token|refresh token|access token|access_token|"
     r"token (is )?(expired|verlopen|invalid)|(log|sign) ?in (again|opnieuw)|opnieuw inloggen|exact identity|"
     r"gekoppelde exact-gebruiker|linked exact user|no longer valid|niet meer geldig|upload failed", m.AUTH, ""),
    (r"object reference not set|objectverwijzing|unexpected error|onverwachte fout|internal server error|"
     r"interner serverfehler|erreur interne|server (is )?(temporarily )?unavailable|service (is )?(temporarily )?unavailable|"
     r"bad gateway|gateway time-?out|timeout expired|deadlock|an error has occurred|er is een fout opgetreden|"
     r"ein fehler ist aufgetreten|une erreur s'est produite|no changes found|try again later|probeer het later", m.INTERNAL, ""),
    (r"connection (refused|reset|aborted|closed)|timed out|time-out|name or service not known|getaddrinfo|"
     r"could not resolve|network is unreachable|ssl|certificate|proxy|sending a direct message|"
     r"could not connect|kan geen verbinding|verbinding (verbroken|mislukt)", m.NETWORK_KIND, ""),
))

_KIND_WORDS = "|".join(re.escape(s) for s in sorted(KIND_SPELLINGS, key=len, reverse=True))
_FIELD_THEN_KIND = re.compile(rf"^\s*(?P<field>[^:]{{1,60}}?)\s*:\s*(?P<kind>{_KIND_WORDS})\s*[.!]?\s*$", re.I)
_KIND_THEN_FIELD = re.compile(rf"^\s*(?P<kind>{_KIND_WORDS})\s+(?P<field>[\w][\w\s/.-]{{0,40}}?)\s*[.!]?\s*$", re.I)
_NOT_FOUND_PHRASES = (r"could not be found|can ?not be found|was not found|were not found|does not exist|do not exist|"
                      r"no longer exists?|kon niet (worden )?gevonden|niet gevonden|bestaat niet|bestaat niet meer|"
                      r"existiert nicht|nicht gefunden|n'existe pas|introuvable|no match was found")
_SOMEWHERE = re.compile(rf"(?P<field>(?:[\w{{}}'./-]+\s+){{0,4}}?)(?P<kind>{_NOT_FOUND_PHRASES}|{_KIND_WORDS})\b", re.I)
_NOISE = re.compile(r"^(the|a|an|de|het|een|der|die|das|den|le|la|les|l'|un|une|this|deze|dit|your|uw)\s+|"
                    r"\s+(is|was|werd|wordt|ist|wurde|est|has been|could|can|kan|kon|may|mag|are|zijn|sind|sont|"
                    r"in exact( online)?|bij exact)$", re.I)


def _clean_field(field: str) -> tuple[str, str | None]:
    """A field without articles, auxiliaries and the value Exact quoted next to it."""
    field = field.strip(" .,:'\"`")
    value = None
    for _ in range(3):
        field = _NOISE.sub("", field).strip(" .,:'\"`")
    words = field.split()
    kept = [w for w in words if not re.fullmatch(r"[\d{}()'.,#-]+|\{\w+\}|'[^']*'|[A-Z]?\d[\w-]*", w)]
    if len(kept) < len(words):
        value = " ".join(w for w in words if w not in kept) or None
    return " ".join(kept), value


def _kind_of(word: str) -> str:
    spelling = KIND_SPELLINGS.get(word.lower())
    if spelling:
        return _FROM_DOMAIN[spelling[0]]
    return m.UNKNOWN  # the "could not be found" phrases


def _refine(kind: str, field: str, qualifier: str, value: str | None) -> str:
    around = f"{qualifier} {value or ''}"
    if kind in (m.INVALID, m.NOT_ALLOWED, m.BLOCKED) and _INACTIVE_WORDS.search(around):
        return m.INACTIVE
    if re.search(r"period|periode|période", f"{field} {english_field(field)}", re.I) and _CLOSED_WORDS.search(around):
        return m.CLOSED_PERIOD
    return kind


_ANY_MALFORMED = re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[a-z]>', '(', p.pattern)})" for p, _ in _MALFORMED), re.I)


def _malformed(text: str) -> Finding | None:
    if not _ANY_MALFORMED.search(text):
        return None
    for pattern, fixed in _MALFORMED:
        hit = pattern.search(text)
        if hit:
            named = next((g for g in (hit.groupdict().get("f"), hit.groupdict().get("g")) if g), None)
            return Finding(m.MALFORMED, named or fixed, text=text)
    return None


def classify(text: str) -> list[Finding]:
    """The findings in one unwrapped message; [] only when the text has no recognisable shape."""
    found = _malformed(text)
    if found:
        return [found]
    pairs = [p for p in parse_all(text) if p.field or p.kind_text]
    if pairs:
        out = []
        for p in pairs:
            field, stray = _clean_field(p.field)
            value = p.value if p.value is not None else stray
            kind = _refine(_FROM_DOMAIN[p.kind], field, p.qualifier or "", value)
            out.append(Finding(kind, field, p.qualifier or "", value, text, p.kind))
        return out
    for pattern, kind, field in _FAMILIES:
        if pattern.search(text):
            return [Finding(kind, field, text=text)]
    for pattern in (_FIELD_THEN_KIND, _KIND_THEN_FIELD):
        hit = pattern.match(text)
        if hit:
            field, value = _clean_field(hit.group("field"))
            if field.lower() not in {"error", "fout", "fehler", "erreur"}:
                return [Finding(_kind_of(hit.group("kind")), field, value=value, text=text)]
    hit = _SOMEWHERE.search(text)
    if hit:
        field, value = _clean_field(hit.group("field"))
        return [Finding(_kind_of(hit.group("kind")), field, value=value, text=text)]
    return []
