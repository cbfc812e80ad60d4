"""Normalisation: turn what people typed into keys two systems can agree on.

Both sides were typed by different people in different years: "Jansen Bouw B.V." and "JANSEN BOUW
BV", "Kerkstraat 12a" and "Kerkstr. 12 A", "+31 (0)20-1234567" and "020 123 4567". Everything the
matcher compares goes through one of these functions, so a rule is written once and a test table
can pin it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .tables import (
    ABBREVIATIONS, CALLING_CODES, COUNTRY_NAMES, FILLER, FLAG_WORDS, FREE_MAIL, KNOWN_CALLING_CODES,
    LEGAL_ANYWHERE, LEGAL_EDGE, LEGAL_PHRASES, STREET_SUFFIXES, TRANSLITERATION,
)

_TRANSLATE = str.maketrans(TRANSLITERATION)
_DOT_AFTER_LETTER = re.compile(r"(?<=\b\w)[./](?=\w\b|\s|$)")
_NON_WORD = re.compile(r"[\W_]+")
_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in LEGAL_PHRASES if p[0].isalnum()) + r")\b")
_DIGITS = re.compile(r"\d+")
_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_HOUSE = re.compile(r"\b(\d{1,5})\s*([a-z]{0,2})\b")
_STREET_SUFFIX = re.compile(r"(" + "|".join(s for s, _ in STREET_SUFFIXES) + r")\b")
_STREET_SHORT = dict(STREET_SUFFIXES)
_NL_POSTCODE = re.compile(r"^([1-9]\d{3})([A-Z]{2})$")
_COUNTRY_PREFIX = re.compile(r"^(?:NL|BE|DE|CH|DK|FI|B|D|L|F|A|S|N)(?=\d)")
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
_LEGAL_DISPLAY = {
    "bv": "B.V.", "nv": "N.V.", "vof": "V.O.F.", "cv": "C.V.", "bvba": "BVBA", "gmbh": "GmbH",
    "ag": "AG", "kg": "KG", "ltd": "Ltd", "limited": "Limited", "llc": "LLC", "inc": "Inc",
    "plc": "plc", "sa": "S.A.", "sarl": "SARL", "sprl": "SPRL", "aps": "ApS", "as": "A/S", "ab": "AB",
    "oy": "Oy", "co": "& Co", "besloten vennootschap": "Besloten Vennootschap",
}


def fold(text: str) -> str:
    """Lower case, Cyrillic/Greek in Latin letters, accents gone; other scripts (CJK) kept as they are."""
    text = (text or "").strip().lower()
    if text.isascii():
        return text
    text = text.translate(_TRANSLATE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TRANSLATE)


def _words(text: str) -> str:
    """Folded text with abbreviation dots joined ("b.v." -> "bv", "a/s" -> "as") and punctuation as spaces."""
    text = _DOT_AFTER_LETTER.sub("", fold(text))
    return _NON_WORD.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class NameKey:
    """A company or person name reduced to what identifies it.

    `core` is compared; `removed` are the legal forms and filler taken out (shown in explanations:
    "after removing 'B.V.'"); `flags` are entity words such as Holding that were taken out too but
    must be present on both sides for a safe link.
    """

    core: str
    tokens: tuple[str, ...]
    removed: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()


def normalise_name(name: str) -> NameKey:
    """Reduce a name to its identifying words: no legal form, article, accent or punctuation."""
    text = _words(name)
    removed: list[str] = []
    if _PHRASES.search(text):
        for found in _PHRASES.findall(text):
            removed.append(found)
        text = _PHRASES.sub(" ", text)
    raw = text.split()
    tokens: list[str] = []
    for tok in raw:
        tok = ABBREVIATIONS.get(tok, tok)
        # "A B C Consultancy" -> "abc consultancy": initials typed with spaces are one word.
        if len(tok) == 1 and tokens and len(tokens[-1]) < 4 and tokens[-1].isalpha() and tok.isalpha() \
                and all(len(t) == 1 for t in tokens[-1]) and tokens[-1] not in FILLER:
            tokens[-1] += tok
            continue
        tokens.append(tok)
    flags = set()
    kept: list[str] = []
    for tok in tokens:
        if tok in FLAG_WORDS:
            flags.add(FLAG_WORDS[tok])
        elif tok in LEGAL_ANYWHERE:
            removed.append(tok)
        elif tok in FILLER:
            continue
        else:
            kept.append(tok)
    while kept and kept[-1] in LEGAL_EDGE and len(kept) > 1:
        removed.append(kept.pop())
    while kept and kept[0] in LEGAL_EDGE and len(kept) > 1:
        removed.append(kept.pop(0))
    if not kept:  # a name that is only a legal form or only flag words: compare what there is
        kept = [t for t in tokens if t not in FILLER] or tokens
        flags, removed = set(), []
    return NameKey(" ".join(kept), tuple(kept), tuple(_LEGAL_DISPLAY.get(r, r.upper()) for r in removed),
                   frozenset(flags))


@dataclass(frozen=True, slots=True)
class AddressKey:
    """A street address as `street` (suffixes shortened, number included) and the `house` number."""

    text: str
    street: str
    house: str


def normalise_address(address: str) -> AddressKey:
    """"Kerkstraat 12-A" and "Kerkstr. 12a" both become street "kerkstr", house "12a"."""
    text = _words(address)
    if not text:
        return AddressKey("", "", "")
    text = _STREET_SUFFIX.sub(lambda m: _STREET_SHORT[m.group(1)], text)
    house = ""
    m = _HOUSE.search(text)
    if m:
        house = m.group(1) + m.group(2)
    street = " ".join([t for t in text.split() if len(t) > 1 and t.isalpha()])
    return AddressKey(f"{street} {house}".strip(), street, house)


@lru_cache(maxsize=4096)
def normalise_country(country: str) -> str:
    """ISO 3166-1 alpha-2 from a code or a name in Dutch, English, German or French; "" if unknown."""
    text = _words(country)
    if not text:
        return ""
    if text in COUNTRY_NAMES:
        return COUNTRY_NAMES[text]
    return text.upper() if len(text) == 2 and text.isalpha() else ""


@lru_cache(maxsize=65536)
def normalise_postcode(postcode: str, country: str = "") -> tuple[str, str]:
    """(`full`, `area`): NL "1234 ab" -> ("1234AB", "1234"); UK "sw1a 1aa" -> ("SW1A1AA", "SW1A");
    BE/DE and other digit postcodes -> (digits, first three digits)."""
    text = _NOT_ALNUM.sub("", fold(postcode).upper())
    if not text:
        return "", ""
    m = _COUNTRY_PREFIX.match(text)
    if m and (text[m.end():].isdigit() or _NL_POSTCODE.match(text[m.end():])):
        # "NL-1234AB", "D-80331", "B-1000": a country letter in front of the digits
        text = text[m.end():]
    m = _NL_POSTCODE.match(text)
    if m and country in ("", "NL"):
        return text, m.group(1)
    m = _UK_POSTCODE.match(text)
    if m:
        return text, m.group(1)
    if text.isdigit():
        return text, text[:3]
    return text, text[:3]


@lru_cache(maxsize=16384)
def normalise_city(city: str) -> str:
    return " ".join(_words(city).split())


def normalise_phone(phone: str, country: str = "") -> str:
    """Digits with the country calling code: "+31 (0)20-123 4567" and "020 1234567" (NL) -> "31201234567".

    Without a country and without an international prefix the national number is returned as is
    (comparisons use the last nine digits, which do not depend on the prefix).
    """
    text = (phone or "").strip().lstrip("'")  # "'+31 ..." : a spreadsheet's guard against formulas
    if not text:
        return ""
    international = text.startswith("+") or text.startswith("00")
    text = text.replace("(0)", "")
    digits = _NOT_DIGIT.sub("", text)
    if not digits:
        return ""
    if international:
        digits = digits.lstrip("0") if text.startswith("00") else digits
        for code in KNOWN_CALLING_CODES:
            if digits.startswith(code):
                rest = digits[len(code):]
                return code + (rest[1:] if rest.startswith("0") else rest)
        return digits
    code = CALLING_CODES.get(country, "")
    if digits.startswith("0"):
        return code + digits[1:] if code else digits[1:]
    return code + digits if code and len(digits) >= 8 else digits


def phone_key(normalised: str) -> str:
    """The part two spellings of one number share: its last nine digits ("" when too short to trust)."""
    return normalised[-9:] if len(normalised) >= 7 else ""


def email_parts(email: str) -> tuple[str, str]:
    """(`address`, `domain`) in lower case; `domain` is "" for free-mail hosts that say nothing."""
    text = (email or "").strip().lower().strip("<>").replace("mailto:", "")
    if "@" not in text:
        return "", ""
    text = text.split(";")[0].split(",")[0].strip()
    domain = text.rsplit("@", 1)[1].strip(". ")
    if domain in FREE_MAIL or "." not in domain:
        return text, ""
    return text, _registrable(domain)


def website_domain(url: str) -> str:
    """"https://www.jansen-bouw.nl/contact" -> "jansen-bouw.nl"."""
    text = (url or "").strip().lower()
    if not text:
        return ""
    text = text.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("@")[-1].split(":")[0]
    if "." not in text:
        return ""
    return _registrable(text)


def _registrable(domain: str) -> str:
    """"mail.jansen.nl" -> "jansen.nl"; keeps "jansen.co.uk" whole."""
    parts = domain.split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "ac", "gov", "net") and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def normalise_vat(vat: str) -> str:
    """A VAT number without country prefix, dots or leading zeros: "NL 8123.45.678.B01" -> "812345678B01".

    The prefix is dropped because one side often omits it; the body alone is specific enough.
    """
    text = _NOT_ALNUM.sub("", (vat or "").upper())
    if len(text) > 2 and text[:2].isalpha():
        text = text[2:]
    text = text.lstrip("0")
    return text if len(text) >= 6 and any(c.isdigit() for c in text) else ""


def normalise_coc(coc: str) -> str:
    """A Chamber of Commerce (KvK) number: digits only, the first eight when a branch number follows."""
    digits = _NOT_DIGIT.sub("", coc or "")
    if len(digits) == 12:  # KvK number + 4-digit branch suffix
        digits = digits[:8]
    digits = digits.lstrip("0")
    return digits if len(digits) >= 5 else ""


def normalise_code(code: str) -> str:
    """A customer number / account code: Exact's padding gone, leading zeros gone for numeric codes."""
    text = (code or "").strip().upper()
    if text.isdigit():
        text = text.lstrip("0") or "0"
    return text
