"""Normalisation: turn what people typed into keys two systems can agree on.

Both sides were typed by different people in different years: "Jansen Bouw B.V." and "JANSEN BOUW
BV", "Kerkstraat 12a" and "Kerkstr. 12 A", "+31 (0)20-1234567" and "020 123 4567". Everything the
matcher compares goes through one of these functions, so a rule is written once and a test table
can pin it. Names, addresses, postcodes and phones have a column form too (`normalise_names`,
`normalise_addresses`, `normalise_postcodes`, `phone_keys`): the same keys, a whole column's text
folded and cut at once, in about half to three quarters of the time of one value after another.
"""
from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple, TypeVar

from .tables import (
    ABBREVIATIONS, CALLING_CODES, COUNTRY_NAMES, FILLER, FLAG_WORDS, FREE_MAIL, KNOWN_CALLING_CODES,
    LEGAL_ANYWHERE, LEGAL_DISPLAY, LEGAL_EDGE, LEGAL_PHRASES, STREET_SUFFIXES,
)
from .words import fold, joined_words, word_list, word_lines, word_text

_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in LEGAL_PHRASES if p[0].isalnum()) + r")\b")
_EMAIL_SEPARATORS = re.compile(r"[;,]")
_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_HOUSE = re.compile(r"\b(\d{1,5})\s*([a-z]{0,2})\b")
_STREET_SUFFIX = re.compile(r"(" + "|".join(s for s, _ in STREET_SUFFIXES) + r")\b")
_STREET_SHORT = dict(STREET_SUFFIXES)
_NL_POSTCODE = re.compile(r"^([1-9]\d{3})([A-Z]{2})$")
_COUNTRY_PREFIX = re.compile(r"^(?:NL|BE|DE|CH|DK|FI|B|D|L|F|A|S|N)(?=\d)")
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
_ASCII_NON_DIGIT = bytes(c for c in range(128) if not chr(c).isdigit())
_ASCII_NON_DIGIT_LINES = bytes(c for c in range(128) if not chr(c).isdigit() and c != 10)
# per line of a column: the international prefix after white space and spreadsheet quotes (as
# `normalise_phone` strips them), or "" (the group is empty where there is none)
_PHONE_PREFIX = re.compile(r"^[^\S\n]*'*(\+|00)?", re.M)
_ASCII_NON_ALNUM_UPPER = bytes(c for c in range(128) if not (chr(c).isdigit() or chr(c).isupper()))
_ASCII_NON_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())
_ASCII_NON_ALNUM_LINES = bytes(c for c in range(128) if not chr(c).isalnum() and c != 10)
_ASCII_UPPER = bytes(ord(chr(c).upper()) if c < 128 else c for c in range(256))
# the first word of every multi-word legal form: a name holding none of them needs no phrase search
_PHRASE_FIRST = frozenset(p.split()[0] for p in LEGAL_PHRASES if p[0].isalnum())
# words the token loop of `normalise_name` treats specially; a name without any skips it
_NAME_SPECIAL = frozenset(FLAG_WORDS) | LEGAL_ANYWHERE | FILLER
# a name of other words only (ASCII, no single letters) is its own key: most names, with one more
# shape, plain words and one legal form at the end ("Meijer Agro V.O.F.")
_PLAIN_STOP = (_PHRASE_FIRST | _NAME_SPECIAL | LEGAL_EDGE | frozenset(ABBREVIATIONS)
               | frozenset(string.ascii_letters + string.digits))  # (NFKD makes "ℌ" an "H")
_SINGLE_PHRASES = frozenset(p for p in LEGAL_PHRASES if p.isalnum())
_LAST_LEGAL = (LEGAL_EDGE | _SINGLE_PHRASES) - frozenset(FLAG_WORDS) - FILLER - frozenset(ABBREVIATIONS)
_ABBREVIATED = frozenset(ABBREVIATIONS)
_CALLING_BY_LENGTH = tuple(sorted({len(c) for c in KNOWN_CALLING_CODES}, reverse=True))
_LONGEST_CODE = _CALLING_BY_LENGTH[0]


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


_NO_FLAGS: frozenset[str] = frozenset()
T = TypeVar("T")
# a named tuple made without its Python-level __new__: a fifth of the time, for 100,000s of keys
_new = tuple.__new__
_LAST_REMOVED = {w: (LEGAL_DISPLAY.get(w, w.upper()),) for w in _LAST_LEGAL}


def normalise_name(name: str) -> NameKey:
    """Reduce a name to its identifying words: no legal form, article, accent or punctuation."""
    return _name_key(word_list(name))


def normalise_names(names: list[str]) -> list[NameKey]:
    """`normalise_name` of every name; a column folded and cut into words at once (`word_lines`)."""
    return [_name_key(line.split()) for line in word_lines(names)]


def _name_key(raw: list[str]) -> NameKey:
    """The key of a name's words. The two shapes of most names take a short cut with the result the
    full rules give: only plain words (nothing in `_PLAIN_STOP`), or plain words and a legal form
    at the end, which is all that is taken out."""
    if _PLAIN_STOP.isdisjoint(raw):
        core = " ".join(raw)
        if core.isascii() or min(map(len, raw)) > 1:  # (ASCII initials are in `_PLAIN_STOP`)
            return _new(NameKey, (core, tuple(raw), (), _NO_FLAGS))
    elif raw[-1] in _LAST_LEGAL and len(raw) > 1:
        head = raw[:-1]
        if _PLAIN_STOP.isdisjoint(head):
            core = " ".join(head)
            if core.isascii() or min(map(len, head)) > 1:
                return _new(NameKey, (core, tuple(head), _LAST_REMOVED[raw[-1]], _NO_FLAGS))
    return _name_rules(raw)


def _name_rules(raw: list[str]) -> NameKey:
    """The full rules: legal phrases, abbreviations and initials, flag words, legal forms, filler."""
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
    return _new(NameKey, (" ".join(kept), tuple(kept),
                          tuple([LEGAL_DISPLAY.get(r, r.upper()) for r in removed]) if removed else (),
                          frozenset(flags) if flags else _NO_FLAGS))


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


class AddressKey(NamedTuple):
    """A street address as `street` (suffixes shortened, number included) and the `house` number."""

    text: str
    street: str
    house: str


def normalise_address(address: str) -> AddressKey:
    """"Kerkstraat 12-A" and "Kerkstr. 12a" both become street "kerkstr", house "12a"."""
    return _address_key(_short_streets(word_text(address)))


def normalise_addresses(addresses: list[str]) -> list[AddressKey]:
    """`normalise_address` of every address; a column folded, cut and its street words shortened at
    once (`word_lines`)."""
    return list(map(_address_key, word_lines(addresses, _short_streets)))


def _short_streets(text: str) -> str:
    """Every word's street suffix in its short form ("kerkstraat" -> "kerkstr"): the leftmost match
    in a word that ends it is its longest suffix."""
    return _STREET_SUFFIX.sub(_street_short, text)


def _street_short(m: re.Match[str]) -> str:
    return _STREET_SHORT[m.group(1)]


def _address_key(line: str) -> AddressKey:
    """The key of an address's words (street words shortened), apart by spaces."""
    m = _HOUSE.search(line)
    house = m.group(1) + m.group(2) if m else ""
    street = " ".join([t for t in line.split() if len(t) > 1 and t.isalpha()])
    return _new(AddressKey, (f"{street} {house}".strip(), street, house))


@lru_cache(maxsize=4096)
def normalise_country(country: str) -> str:
    """ISO 3166-1 alpha-2 from a code or a name in Dutch, English, German or French; "" if unknown."""
    text = joined_words(country)
    if not text:
        return ""
    if text in COUNTRY_NAMES:
        return COUNTRY_NAMES[text]
    return text.upper() if len(text) == 2 and text.isalpha() else ""


_NO_POSTCODE = ("", "")


def normalise_postcode(postcode: str, country: str = "") -> tuple[str, str]:
    """(`full`, `area`): NL "1234 ab" -> ("1234AB", "1234"); UK "sw1a 1aa" -> ("SW1A1AA", "SW1A");
    BE/DE and other digit postcodes -> (digits, first three digits)."""
    return _postcode_key(_upper_alnum_of(postcode or ""), country)


def normalise_postcodes(postcodes: list[str], countries: list[str]) -> list[tuple[str, str]]:
    """`normalise_postcode` of every postcode of a column: the ASCII ones upper-cased and cleaned as
    one text by one `bytes.translate`."""
    return _apart(postcodes, countries, _postcode_column, normalise_postcode)


def _postcode_column(postcodes: list[str], countries: list[str]) -> list[tuple[str, str]]:
    text = "\n".join(postcodes).encode("ascii").translate(_ASCII_UPPER, _ASCII_NON_ALNUM_LINES).decode("ascii")
    return list(map(_postcode_key, text.split("\n"), countries))


def _postcode_key(text: str, country: str) -> tuple[str, str]:
    """The key of a postcode's letters and digits, upper case."""
    if not text:
        return _NO_POSTCODE
    if text[0].isdigit():  # the usual shapes, "1234AB" and "80331", without a regex
        if len(text) == 6 and text[0] != "0" and text[1:4].isdigit() and text[4:].isalpha() \
                and country in ("", "NL"):
            return text, text[:4]
        return text, text[:3]
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
    return text, text[:3]


@lru_cache(maxsize=16384)
def normalise_city(city: str) -> str:
    return " ".join(word_list(city))


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


def _upper_alnum_of(text: str) -> str:
    """`_upper_alnum(fold(text).upper())`: for ASCII text one `bytes.translate` that upper-cases and
    drops the rest at once (folding ASCII only lower-cases and strips)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_UPPER, _ASCII_NON_ALNUM).decode("ascii")
    return _upper_alnum(fold(text).upper())


def _calling_code(prefix: str) -> str:
    """The longest known calling code `prefix` (a number's first three digits) starts with, or ""."""
    return next((prefix[:n] for n in _CALLING_BY_LENGTH if prefix[:n] in KNOWN_CALLING_CODES), "")


# a number's first digits (as many as the longest code has) -> its calling code: one lookup
_CALLING_OF = {p: _calling_code(p) for n in range(_LONGEST_CODE + 1)
               for p in map("".join, itertools.product("0123456789", repeat=n))}


def normalise_phone(phone: str, country: str = "") -> str:
    """Digits with the country calling code: "+31 (0)20-123 4567" and "020 1234567" (NL) -> "31201234567".

    Without a country and without an international prefix the national number is returned as is
    (comparisons use the last nine digits, which do not depend on the prefix).
    """
    text = (phone or "").strip().lstrip("'")  # "'+31 ..." : a spreadsheet's guard against formulas
    prefix = "+" if text.startswith("+") else "00" if text.startswith("00") else ""
    return _with_calling_code(_digits(text.replace("(0)", "")), prefix, country)


def phone_keys(phones: list[str], countries: list[str]) -> list[str]:
    """`phone_key(normalise_phone(phone, country))` of every phone of a column: the digits of the
    ASCII ones cut out of one text, each one's international prefix found by one regex pass."""
    return _apart(phones, countries, _phone_column, _phone_key)


def _phone_column(phones: list[str], countries: list[str]) -> list[str]:
    text = "\n".join(phones)
    prefixes = _PHONE_PREFIX.findall(text)
    digits = text.replace("(0)", "").encode("ascii").translate(None, _ASCII_NON_DIGIT_LINES).decode("ascii")
    return list(map(phone_key, map(_with_calling_code, digits.split("\n"), prefixes, countries)))


def _phone_key(phone: str, country: str) -> str:
    return phone_key(normalise_phone(phone, country))


def _apart(values: list[str], countries: list[str], column: Callable[[list[str], list[str]], list[T]],
           one: Callable[[str, str], T]) -> list[T]:
    """`column` of the ASCII values without line breaks, all at once (joined by line breaks), and
    `one` of each other value (an accent, a cell of two lines), in the values' order."""
    text = "\n".join(values)
    if text.isascii() and text.count("\n") == len(values) - 1:
        return column(values, countries) if values else []
    fit = [v.isascii() and "\n" not in v for v in values]
    plain = [v for v, f in zip(values, fit) if f]
    done = iter(column(plain, [c for c, f in zip(countries, fit) if f]) if plain else [])
    return [next(done) if f else one(v, c) for v, c, f in zip(values, countries, fit)]


def _with_calling_code(digits: str, prefix: str, country: str) -> str:
    """A number's digits with its calling code, from the international `prefix` ("+", "00" or "")
    it was typed with or else from its `country`."""
    if not digits:
        return ""
    if prefix:
        digits = digits.lstrip("0") if prefix == "00" else digits
        code = _CALLING_OF.get(digits[:_LONGEST_CODE], "")
        if code:
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
    domain = text[text.rindex("@") + 1:].strip(". ")
    if domain in FREE_MAIL or "." not in domain:
        return text, ""
    return text, domain if domain.count(".") == 1 else _registrable(domain)


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
    if domain.count(".") == 1:  # most domains: nothing to cut
        return domain
    parts = domain.split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "ac", "gov", "net") and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def normalise_vat(vat: str) -> str:
    """A VAT number without country prefix, dots or leading zeros: "NL 8123.45.678.B01" -> "812345678B01".

    The prefix is dropped because one side often omits it; the body alone is specific enough.
    """
    vat = vat or ""
    text = _upper_alnum_of(vat) if vat.isascii() else _upper_alnum(vat.upper())  # (not folded: "Ä" is no "A")
    if len(text) > 2 and text[:2].isalpha():
        text = text[2:]
    text = text.lstrip("0")
    return text if len(text) >= 6 and not text.isalpha() else ""  # (only digits and A-Z: a digit)


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
