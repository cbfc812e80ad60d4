"""Parsing and checking single cell values the way spreadsheets write them.

Amounts come as `1.234,50` (Dutch/German Excel) or `1,234.50` (English); a bare `1,234` is
ambiguous, so the file's own unambiguous cells decide its style (see `DecimalStyle.detect`).
Dates come as ISO `2026-01-31`, `31-01-2026`, `31/01/2026` or `31.01.2026`: day first, as in every
country Exact Online sells in; a date whose second part is above 12 is refused as month-first.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum

MAX_FIELD_CHARS = 1000  # longer cells are junk or a mis-split file, not a customer's data


class DecimalStyle(StrEnum):
    POINT = "point"  # 1,234.50
    COMMA = "comma"  # 1.234,50

    @classmethod
    def detect(cls, values: Iterable[str], default: "DecimalStyle") -> "DecimalStyle":
        """The style the file's unambiguous amounts show; `default` when none does."""
        for raw in values:
            text = _strip_amount(raw)
            if "," in text and "." in text:
                return cls.COMMA if text.rfind(",") > text.rfind(".") else cls.POINT
            for sep, style in ((",", cls.COMMA), (".", cls.POINT)):
                if text.count(sep) == 1 and len(text.rsplit(sep, 1)[1]) != 3:
                    return style
                if text.count(sep) > 1:  # only a thousands separator repeats
                    return cls.POINT if sep == "," else cls.COMMA
        return default


_CURRENCY = re.compile(r"^(?:€|EUR|USD|GBP|\$|£)\s*|\s*(?:€|EUR|USD|GBP|\$|£)$", re.I)
_AMOUNT = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
# Exact keeps amounts and quantities as doubles: beyond 15 significant digits they are not what
# was typed, and Decimal's own 28 digits would be exceeded by the first multiplication.
MAX_AMOUNT_DIGITS = 15


def _strip_amount(raw: str) -> str:
    text = _CURRENCY.sub("", str(raw).strip()).replace(" ", "").replace("\u00a0", "").replace("'", "")
    return text.strip("()+-")


def parse_decimal(raw: object, style: DecimalStyle = DecimalStyle.POINT) -> Decimal:
    """A Decimal from `1.234,50`, `1,234.50`, `-12,5`, `(12.50)`, `€ 12,50`; ValueError otherwise."""
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not an amount")
    if isinstance(raw, (Decimal, int, float)):  # JSON numbers (floats go through the shortest repr)
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        _check_digits(raw, value)
        return value
    text = str(raw).strip()
    if not text:
        raise ValueError("empty amount")
    if sum(text.count(c) for c in "+-(") > 1:
        raise ValueError(f"{text!r} is not an amount")
    negative = text.startswith("-") or text.endswith("-") or (text.startswith("(") and text.endswith(")"))
    body = _strip_amount(text)
    if "," in body and "." in body:
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
    elif body.count(",") > 1 or body.count(".") > 1:
        decimal_sep = "." if body.count(",") > 1 else ","
    else:
        decimal_sep = "," if style is DecimalStyle.COMMA else "."
    thousands = "." if decimal_sep == "," else ","
    if thousands in body:
        head = body.split(decimal_sep)[0]
        groups = head.split(thousands)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(f"{text!r} is not an amount (misplaced '{thousands}')")
    normal = body.replace(thousands, "").replace(decimal_sep, ".")
    if not _AMOUNT.fullmatch(normal):
        raise ValueError(f"{text!r} is not an amount")
    try:
        value = Decimal(normal)
    except InvalidOperation:  # pragma: no cover - the regex already refused it
        raise ValueError(f"{text!r} is not an amount") from None
    _check_digits(text, value)
    return -value if negative else value


def _check_digits(text: object, value: Decimal) -> None:
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount")
    digits = len(value.normalize().as_tuple().digits) if value else 1
    whole = value.adjusted() + 1 if value else 1
    if digits > MAX_AMOUNT_DIGITS or whole > MAX_AMOUNT_DIGITS:
        raise ValueError(f"{text!r} has more than {MAX_AMOUNT_DIGITS} digits; Exact cannot hold it exactly")


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", re.ASCII)
_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$", re.ASCII)
# An invoice dated in year 1 or 9999 is a typo or a placeholder, and Exact's periods do not reach it.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_date(raw: object) -> dt.date:
    """A date from ISO or day-first `dd-mm-yyyy`, `dd/mm/yyyy`, `dd.mm.yyyy`; ValueError otherwise."""
    if isinstance(raw, dt.datetime):
        return _in_range(raw.date(), raw)
    if isinstance(raw, dt.date):
        return _in_range(raw, raw)
    text = str(raw).strip()
    if not text:
        raise ValueError("empty date")
    m = _ISO.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a date (use 2026-01-31 or 31-01-2026)")
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if month > 12 and day <= 12:
            raise ValueError(f"{text!r} looks like month/day/year; write the day first (31-01-2026) or ISO")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None
    return _in_range(date, text)


def _in_range(date: dt.date, raw: object) -> dt.date:
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"{str(raw)!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}; is the year a typo?")
    return date


_TRUE = {"1", "true", "yes", "y", "ja", "j", "waar", "x", "active", "actief"}
_FALSE = {"0", "false", "no", "n", "nee", "onwaar", "", "inactive", "inactief"}


def parse_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw if raw is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not yes/no")


_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")


def email_problem(value: str) -> str | None:
    if not value:
        return None
    if _EMAIL.fullmatch(value) and ".." not in value and not value.startswith("."):
        return None
    return f"{value!r} is not an e-mail address"


# VAT numbers: the formats of the countries Exact Online sells in are checked exactly, other EU
# prefixes by length; a number without a country prefix is refused because Exact's VIES check needs it.
_VAT_EXACT = {
    "NL": re.compile(r"NL\d{9}B\d{2}", re.ASCII),
    "BE": re.compile(r"BE[01]\d{9}", re.ASCII),
    "DE": re.compile(r"DE\d{9}", re.ASCII),
    "FR": re.compile(r"FR[0-9A-HJ-NP-Z]{2}\d{9}", re.ASCII),
    "GB": re.compile(r"GB(?:\d{9}|\d{12}|GD\d{3}|HA\d{3})", re.ASCII),
    "ES": re.compile(r"ES[0-9A-Z]\d{7}[0-9A-Z]", re.ASCII),
    "LU": re.compile(r"LU\d{8}", re.ASCII),
    "AT": re.compile(r"ATU\d{8}", re.ASCII),
}
_VAT_PREFIXES = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
                 "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CH", "NO"}
_VAT_GENERIC = re.compile(r"[A-Z]{2}[0-9A-Z+*]{2,13}", re.ASCII)


def normalise_vat(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value).upper()


def vat_problem(value: str) -> str | None:
    if not value:
        return None
    vat = normalise_vat(value)
    prefix = vat[:2]
    if prefix not in _VAT_PREFIXES:
        return f"{value!r} is not a VAT number (it must start with a country code such as NL or BE)"
    pattern = _VAT_EXACT.get(prefix, _VAT_GENERIC)
    if not pattern.fullmatch(vat):
        example = {"NL": "NL123456789B01", "BE": "BE0123456789", "DE": "DE123456789"}.get(prefix, "")
        return f"{value!r} is not a valid {prefix} VAT number" + (f" (like {example})" if example else "")
    return None


COUNTRIES = frozenset(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
    "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR "
    "IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW".split()
)
_COUNTRY_NAMES = {
    "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
    "belgie": "BE", "belgië": "BE", "belgium": "BE", "belgique": "BE",
    "duitsland": "DE", "germany": "DE", "deutschland": "DE",
    "frankrijk": "FR", "france": "FR", "luxemburg": "LU", "luxembourg": "LU",
    "verenigd koninkrijk": "GB", "united kingdom": "GB", "uk": "GB", "engeland": "GB",
    "spanje": "ES", "spain": "ES", "oostenrijk": "AT", "austria": "AT", "zwitserland": "CH", "switzerland": "CH",
    "verenigde staten": "US", "united states": "US", "usa": "US", "denemarken": "DK", "denmark": "DK",
    "italie": "IT", "italië": "IT", "italy": "IT", "zweden": "SE", "sweden": "SE", "polen": "PL", "poland": "PL",
}


def parse_country(value: str) -> str:
    """ISO 3166-1 alpha-2 ('nl', 'NL', 'Nederland' -> 'NL'); '' stays ''; ValueError otherwise."""
    text = value.strip()
    if not text:
        return ""
    if text.upper() in COUNTRIES:
        return text.upper()
    named = _COUNTRY_NAMES.get(text.lower())
    if named:
        return named
    raise ValueError(f"{text!r} is not an ISO country code (like NL, BE, DE)")


_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def parse_currency(value: str) -> str:
    text = value.strip().upper() or "EUR"
    if text == "€":
        return "EUR"
    if not _CURRENCY_CODE.fullmatch(text):
        raise ValueError(f"{value!r} is not an ISO currency code (like EUR)")
    return text
