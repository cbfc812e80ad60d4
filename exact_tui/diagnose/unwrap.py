"""Peel whatever wraps Exact's words off an answer, so the rules only ever see the messages.

Exact's text reaches a support engineer in many coats: the OData JSON envelope
(`{"error": {"message": {"value": …}}}`), the Atom/XML one, an OAuth answer
(`{"error": "invalid_grant", "error_description": …}`), a client library's `Error 500: …` prefix,
a .NET `The remote server returned an error: (401) …`, an XML-API `Element: …, Topic: …, Message: '…'`,
`Onderwerp [GLTransactions]` / `Topic [X]` prefixes, several messages joined by CR/LF or `;`, or an
HTML login page where JSON was expected. `unwrap` returns the HTTP status, the 403 `Reason`, the
OAuth pair and the single messages it found, whatever the coat.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

_STATUS_PATTERNS = (
    re.compile(r"^\s*(?P<s>[45]\d\d)\b"),
    re.compile(r"^\s*(?:error|fout|fehler|erreur|http(?:/\d(?:\.\d)?)?|status(?: code)?)\s*[:#]?\s*(?P<s>[1-5]\d\d)\b\s*[:\-–]?\s*", re.I),
    re.compile(r"\((?P<s>[45]\d\d)\)"),  # .NET WebException: "(401) Niet gemachtigd."
    re.compile(r"\[(?P<s>[45]\d\d)\]\s*$"),  # Simplicate: "… 'Invalid: Email []' [500]"
    re.compile(r"['`\"](?P<s>[45]\d\d) [A-Z][A-Za-z ]+['`\"]"),  # "'403 Forbidden'", "`400 Bad Request`"
    re.compile(r"\b(?:status(?: code)?|http)\s*[:=]?\s*(?P<s>[45]\d\d)\b", re.I),
)
_REASON = re.compile(r"\breason\b\s*[:=]\s*\"?(?P<r>[A-Za-z][A-Za-z]+)", re.I)
_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|body|head|title)\b", re.I)
_LOGIN_PAGE = re.compile(r"login|log in|sign in|inloggen|aanmelden|anmelden|connexion|wachtwoord|password|returnurl", re.I)
_TITLE = re.compile(r"<title[^>]*>(?P<t>.*?)</title>", re.I | re.S)
_XML_MESSAGE = re.compile(r"<(?:\w+:)?message[^>]*>(?P<m>.*?)</(?:\w+:)?message>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
# Wrapper words that are not part of the message: XML-API topics, entry/line numbers of batch imports.
_PREFIXES = (
    re.compile(r"^\s*(?:element|topic|onderwerp|thema|thème|thema|entity)\s*:\s*[^,:]+,\s*", re.I),
    re.compile(r"^\s*message\s*:\s*", re.I),
    re.compile(r"^\s*(?:topic|onderwerp|thema|thème)\s*\[[^\]]*\]\s*", re.I),
    re.compile(r"^\s*\[[A-Za-z][\w.]*\]\s*"),
    re.compile(r"^\s*(?:the remote server returned an error|de externe server heeft een fout geretourneerd|"
               r"der remoteserver hat einen fehler zurückgegeben|le serveur distant a retourné une erreur)\s*:\s*", re.I),
    re.compile(r"^\s*(?:error|fout|fehler|erreur)\s*[:\-]\s*", re.I),
    re.compile(r"^\s*(?:error|fout|fehler|erreur|http(?:/\d(?:\.\d)?)?)\s*[1-5]\d\d\b\s*[:\-–]?\s*", re.I),
    re.compile(r"^\s*\([1-5]\d\d\)\s*"),
)
_SPLIT = re.compile(r"\s\|\s")
_INNER_QUOTED = re.compile(r"message\s*:\s*'(?P<m>[^']+)'", re.I)


@dataclass
class Answer:
    """An answer of Exact's with its coats taken off."""

    raw: str
    status: int | None = None
    reason: str = ""  # a 403's `Reason` (BlockedUser, NoDivisionAccess, TooEarlyToRefreshTokens, …)
    oauth_error: str = ""  # `invalid_grant`, `access_denied`, … when the token endpoint answered
    oauth_description: str = ""
    html: str = ""  # "login" (Exact's sign-in page) or "page" (some other web page, e.g. a proxy)
    html_title: str = ""
    messages: list[str] = field(default_factory=list)


def _status(text: str) -> int | None:
    for pattern in _STATUS_PATTERNS:
        m = pattern.search(text)
        if m:
            return int(m.group("s"))
    return None


def _json_part(text: str) -> object | None:
    """The JSON document inside `text` (also when escaped inside a log line), or None."""
    start = text.find("{")
    if start < 0:
        stripped = text.strip()
        if stripped.startswith('"') and stripped.endswith('"'):
            try:
                return json.loads(stripped)
            except ValueError:
                return None
        return None
    candidate = text[start:text.rfind("}") + 1]
    for attempt in (candidate, candidate.replace('\\"', '"')):
        try:
            return json.loads(attempt)
        except ValueError:
            continue
    return None


def _texts_of(doc: object, answer: Answer) -> list[str]:
    """Exact's words inside a decoded JSON document (OData, OAuth or ASP.NET shapes)."""
    if isinstance(doc, str):
        return [doc]
    if isinstance(doc, list):
        return [t for item in doc for t in _texts_of(item, answer)]
    if not isinstance(doc, dict):
        return []
    lowered = {str(k).lower(): v for k, v in doc.items()}
    if isinstance(lowered.get("reason"), str):
        answer.reason = lowered["reason"]
    error = lowered.get("error")
    if isinstance(error, str):  # OAuth: {"error": "invalid_grant", "error_description": "…"}
        answer.oauth_error = error
        answer.oauth_description = str(lowered.get("error_description") or "")
        return [answer.oauth_description] if answer.oauth_description else []
    if isinstance(error, dict):
        out = _texts_of(error, answer)
        inner = error.get("innererror") or error.get("InnerError")
        if isinstance(inner, dict) and inner.get("message"):
            out += _texts_of(inner.get("message"), answer)
        return out
    message = lowered.get("message")
    if isinstance(message, dict):  # {"lang": "nl-NL", "value": "…"}
        value = message.get("value")
        return [str(value)] if value else []
    out = []
    for key in ("exceptionmessage", "message", "error_description", "detail", "title", "value"):
        if isinstance(lowered.get(key), str) and lowered[key]:
            if key == "message" and lowered.get("exceptionmessage"):
                continue  # ASP.NET's "An error has occurred." says nothing next to ExceptionMessage
            out.append(lowered[key])
    if "d" in lowered and not out:
        return _texts_of(lowered["d"], answer)
    return out


def _strip(message: str) -> str:
    message = message.strip().strip("'\"`").strip()
    inner = _INNER_QUOTED.search(message)
    if inner:
        message = inner.group("m")
    for _ in range(4):
        before = message
        for pattern in _PREFIXES:
            message = pattern.sub("", message, count=1).strip()
        if message == before:
            break
    return message.strip().strip("'\"`").strip()


def _outside_brackets(text: str) -> list[str]:
    """`text` split at the separators that are not inside (…), […] or quotes ("(7 tekens; maximaal 6)" stays one)."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch == "'" and (i == 0 or not text[i - 1].isalnum()):
            quote = "'"
        elif ch == "\n" or (ch == ";" and depth == 0):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def split_messages(text: str) -> list[str]:
    """Single messages of a joined text: CR/LF, `;` and ` | ` separate them; wrappers removed."""
    out = []
    text = re.sub(r"\r\n|\r|\\r\\n|\\n", "\n", text)
    for part in (p for chunk in _outside_brackets(text) for p in _SPLIT.split(chunk)):
        part = _strip(part)
        if part and part not in out:
            out.append(part)
    return out


def unwrap(raw: str, *, status: int | None = None, reason: str | None = None) -> Answer:
    """Take the coats off `raw` (see the module doc). Never raises, whatever it is given."""
    text = (raw or "").strip()
    answer = Answer(raw=text, status=status, reason=reason or "")
    if answer.status is None:
        answer.status = _status(text)
    m = _REASON.search(text)
    if m and not answer.reason:
        answer.reason = m.group("r")
    if _HTML.search(text):
        title = _TITLE.search(text)
        answer.html_title = html.unescape(title.group("t")).strip() if title else ""
        answer.html = "login" if _LOGIN_PAGE.search(text) else "page"
        body = html.unescape(_TAGS.sub(" ", text))
        answer.messages = [" ".join(body.split())[:300]] if body.strip() else []
        return answer
    xml = _XML_MESSAGE.search(text)
    if xml:
        text = html.unescape(xml.group("m"))
    else:
        doc = _json_part(text)
        if doc is not None:
            texts = _texts_of(doc, answer)
            prefix = text[:text.find("{")] if "{" in text else ""
            text = "\n".join(texts) if texts else prefix
            if answer.oauth_error and not texts:
                text = ""
    answer.messages = split_messages(text)
    return answer
