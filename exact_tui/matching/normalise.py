"""Normalisation: turn what people typed into keys two systems can agree on.

Both sides were typed by different people in different years: "Jansen Bouw B.V." and "JANSEN BOUW
BV", "Kerkstraat 12a" and "Kerkstr. 12 A", "+31 (0)20-1234567" and "020 123 4567". Everything the
matcher compares goes through one of these functions, so a rule is written once and a test table
can pin it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from .tables import (
    ABBREVIATIONS, CALLING_CODES, COUNTRY_NAMES, FILLER, FLAG_WORDS, FREE_MAIL, KNOWN_CALLING_CODES,
    LEGAL_ANYWHERE, LEGAL_EDGE, LEGAL_PHRASES, STREET_SUFFIXES, TRANSLITERATION,
)

_TRANSLATE = str.maketrans(TRANSLITERATION)
_DOT_AFTER_LETTER = re.compile(r"(?<=\b\w)[./](?=\w\b|\s|$)")
_NON_WORD = re.compile(r"[\W_]+")
_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in LEGAL_PHRASES if p[0].isalnum()) + r")\b")
_DIGITS = re.compile(r"\d+")
_EMAIL_SEPARATORS = re.compile(r"[;,]")
_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_HOUSE = re.compile(r"\b(\d{1,5})\s*([a-z]{0,2})\b")
_STREET_SUFFIX = re.compile(r"(" + "|".join(s for s, _ in STREET_SUFFIXES) + r")\b")
_STREET_SHORT = dict(STREET_SUFFIXES)
_NL_POSTCODE = re.compile(r"^([1-9]\d{3})([A-Z]{2})$")
_COUNTRY_PREFIX = re.compile(r"^(?:NL|BE|DE|CH|DK|FI|B|D|L|F|A|S|N)(?=\d)")
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
# ASCII text (most of what people type, once folded) is cut into words with one `bytes.translate`
# (a fifth of the time of `str.translate`, a tenth of a regex pass); the regexes remain for the
# rest (CJK, Arabic ...), with the same result
_ASCII_NON_WORD = bytes(c if chr(c).isalnum() else 32 for c in range(256))
_ASCII_NON_DIGIT = bytes(c for c in range(128) if not chr(c).isdigit())
_ASCII_NON_ALNUM_UPPER = bytes(c for c in range(128) if not (chr(c).isdigit() or chr(c).isupper()))
# the first word of every multi-word legal form: a name holding none of them needs no phrase search
_PHRASE_FIRST = frozenset(p.split()[0] for p in LEGAL_PHRASES if p[0].isalnum())
# words the token loop of `normalise_name` treats specially; a name without any skips it
_NAME_SPECIAL = frozenset(FLAG_WORDS) | LEGAL_ANYWHERE | FILLER
_ABBREVIATED = frozenset(ABBREVIATIONS)
_STREET_ENDINGS = tuple(s for s, _ in STREET_SUFFIXES)
_CALLING_BY_LENGTH = tuple(sorted({len(c) for c in KNOWN_CALLING_CODES}, reverse=True))
_CALLING_SET = frozenset(KNOWN_CALLING_CODES)
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


def _word_list(text: str) -> list[str]:
    """Folded text with abbreviation dots joined ("b.v." -> "bv", "a/s" -> "as"), cut into words at
    punctuation and spaces."""
    text = fold(text)
    if "." in text or "/" in text:
        text = _DOT_AFTER_LETTER.sub("", text)
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split()
    return _NON_WORD.sub(" ", text).split()


def _words(text: str) -> str:
    """`_word_list` as one string, words separated by single spaces."""
    return " ".join(_word_list(text))


class NameKey(NamedTuple):
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
    raw = _word_list(name)
    removed: list[str] = []
    if not _PHRASE_FIRST.isdisjoint(raw):  # a phrase starts with one of these words
        text = " ".join(raw)
        found = _PHRASES.findall(text)
        if found:
            removed.extend(found)
            raw = _PHRASES.sub(" ", text).split()
    if _ABBREVIATED.isdisjoint(raw) and min(map(len, raw), default=2) > 1:
        tokens = raw  # nothing to write out, no initials to join
    else:
        tokens = _written_out(raw)
    flags = set()
    if _NAME_SPECIAL.isdisjoint(tokens):
        kept = list(tokens)
    else:
        kept = []
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
    return NameKey(" ".join(kept), tuple(kept),
                   tuple([_LEGAL_DISPLAY.get(r, r.upper()) for r in removed]) if removed else (),
                   frozenset(flags) if flags else _NO_FLAGS)


def _written_out(raw: list[str]) -> list[str]:
    """Abbreviations written out ("intl" -> "international") and initials typed with spaces joined
    ("A B C Consultancy" -> "abc consultancy")."""
    tokens: list[str] = []
    for tok in raw:
        tok = ABBREVIATIONS.get(tok, tok)
        if len(tok) == 1 and tokens and len(tokens[-1]) < 4 and tokens[-1].isalpha() and tok.isalpha() \
                and all(len(t) == 1 for t in tokens[-1]) and tokens[-1] not in FILLER:
            tokens[-1] += tok
            continue
        tokens.append(tok)
    return tokens


_NO_FLAGS: frozenset[str] = frozenset()


class AddressKey(NamedTuple):
    """A street address as `street` (suffixes shortened, number included) and the `house` number."""

    text: str
    street: str
    house: str


def normalise_address(address: str) -> AddressKey:
    """"Kerkstraat 12-A" and "Kerkstr. 12a" both become street "kerkstr", house "12a"."""
    words = _word_list(address)
    if not words:
        return AddressKey("", "", "")
    if any(w.endswith(_STREET_ENDINGS) for w in words):
        words = [_street_word(w) for w in words]
    text = " ".join(words)
    house = ""
    m = _HOUSE.search(text)
    if m:
        house = m.group(1) + m.group(2)
    street = " ".join([t for t in words if len(t) > 1 and t.isalpha()])
    return AddressKey(f"{street} {house}".strip(), street, house)


@lru_cache(maxsize=16384)
def _street_word(word: str) -> str:
    """A word's street suffix in its short form ("kerkstraat" -> "kerkstr"): the longest suffix
    the word ends with, as the leftmost match of `_STREET_SUFFIX` finds it."""
    for start in range(len(word)):
        short = _STREET_SHORT.get(word[start:])
        if short is not None:
            return word[:start] + short
    return word


@lru_cache(maxsize=4096)
def normalise_country(country: str) -> str:
    """ISO 3166-1 alpha-2 from a code or a name in Dutch, English, German or French; "" if unknown."""
    text = _words(country)
    if not text:
        return ""
    if text in COUNTRY_NAMES:
        return COUNTRY_NAMES[text]
    return text.upper() if len(text) == 2 and text.isalpha() else ""


def normalise_postcode(postcode: str, country: str = "") -> tuple[str, str]:
    """(`full`, `area`): NL "1234 ab" -> ("1234AB", "1234"); UK "sw1a 1aa" -> ("SW1A1AA", "SW1A");
    BE/DE and other digit postcodes -> (digits, first three digits)."""
    text = _upper_alnum(fold(postcode).upper())
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
    return " ".join(_word_list(city))


def _digits(text: str) -> str:
    """The decimal digits of `text` (what `\\D+` leaves)."""
    if text.isascii():
        return text.encode("ascii").translate(None, _ASCII_NON_DIGIT).decode("ascii")
    return _NOT_DIGIT.sub("", text)


def _upper_alnum(text: str) -> str:
    """Only the characters 0-9 and A-Z of `text` (what `[^0-9A-Z]+` leaves)."""
    if text.isascii():
        return text.encode("ascii").translate(None, _ASCII_NON_ALNUM_UPPER).decode("ascii")
    return _NOT_ALNUM.sub("", text)


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
    digits = _digits(text)
    if not digits:
        return ""
    if international:
        digits = digits.lstrip("0") if text.startswith("00") else digits
        for size in _CALLING_BY_LENGTH:  # the longest known calling code the number starts with
            code = digits[:size]
            if code in _CALLING_SET:
                rest = digits[size:]
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
    """(`address`, `domain`) in lower case; `domain` is "" for free-mail hosts that say nothing.

    Of several addresses in one field ("a@x.nl; b@y.nl") the first is used; text before it that is
    no address ("attn;jan@x.nl") is skipped.
    """
    text = (email or "").strip().lower().strip("<>").replace("mailto:", "")
    if "@" not in text:
        return "", ""
    if ";" in text or "," in text:
        text = next(part for part in _EMAIL_SEPARATORS.split(text) if "@" in part)
    text = text.strip()
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
    text = _upper_alnum((vat or "").upper())
    if len(text) > 2 and text[:2].isalpha():
        text = text[2:]
    text = text.lstrip("0")
    return text if len(text) >= 6 and any(c.isdigit() for c in text) else ""


def normalise_coc(coc: str) -> str:
    """A Chamber of Commerce (KvK) number: digits only, the first eight when a branch number follows."""
    digits = _digits(coc or "")
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
