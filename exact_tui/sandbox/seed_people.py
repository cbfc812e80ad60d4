"""Companies and people for the seed: one `Company` is the truth about a customer, from which the
Exact account row is written and the local side derives its (differently spelled) record.

Phone numbers are kept as (country, national number) so either side can format them its own way;
the legal form is kept apart from the name's core so the local side can respell just the form.
"""
from __future__ import annotations

import bisect
import itertools
import random
import uuid
from typing import Any
from dataclasses import dataclass

from . import names as N

_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_UK_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_TRANSLIT = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss", "é": "e", "è": "e", "ë": "e", "ï": "i",
                           "ç": "c", "'": "", "&": "", ".": "", "-": "", "(": "", ")": "", " ": ""})


def guid(rng: random.Random) -> str:
    """A GUID string that depends only on the generator's state (so on the seed)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def slug(text: str) -> str:
    return text.lower().translate(_TRANSLIT)


class Weighted:
    """A weighted pick with the cumulative table built once (`random.choices` rebuilds it per call,
    which dominated the generator's profile at 50,000 customers)."""

    def __init__(self, table: dict[Any, float] | list[tuple[Any, float]]) -> None:
        items = list(table.items()) if isinstance(table, dict) else list(table)
        self.keys = [k for k, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.keys[bisect.bisect(self.cum, rng.random() * self.total)]


_WEIGHTED: dict[int, Weighted] = {}


def pick_weighted(rng: random.Random, table: dict[str, int] | list[tuple[str, int]]) -> str:
    weighted = _WEIGHTED.get(id(table))
    if weighted is None:
        weighted = _WEIGHTED[id(table)] = Weighted(table)
    return weighted.pick(rng)


def pick(rng: random.Random, seq: Any) -> Any:
    """`rng.choice` without its checks, for the same reason as `randint`."""
    return seq[int(rng.random() * len(seq))]


def randint(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint` without its argument checks (called a million times at 50,000 customers)."""
    return low + int(rng.random() * (high - low + 1))


def title_surname(surname: str) -> str:
    """'van den Berg' opens a company name as 'Van den Berg'."""
    return surname[:1].upper() + surname[1:]


@dataclass(slots=True)
class Phone:
    country: str
    area: str  # area code without trunk 0 ("20", "6" for NL mobiles)
    subscriber: str

    def format(self, style: int) -> str:
        """Style 0: +31 20 123 4567; 1: 020-1234567; 2: +31201234567; 3: 0031 20 1234567; 4: 020 123 45 67."""
        cc, area, sub = N.COUNTRY_CODE[self.country], self.area, self.subscriber
        if style == 0:
            return f"+{cc} {area} {sub[:3]} {sub[3:]}"
        if style == 1:
            return f"0{area}-{sub}"
        if style == 2:
            return f"+{cc}{area}{sub}"
        if style == 3:
            return f"00{cc} {area} {sub}"
        if len(sub) == 7:
            return f"0{area} {sub[:3]} {sub[3:5]} {sub[5:]}"
        return f"0{area} {sub[:len(sub) // 2]} {sub[len(sub) // 2:]}"


@dataclass(slots=True)
class Address:
    street: str
    number: str
    postcode: str
    city: str
    country: str

    @property
    def line(self) -> str:
        return f"{self.number} {self.street}" if self.country == "GB" else f"{self.street} {self.number}"


@dataclass(slots=True)
class Company:
    core: str  # the name without legal form
    form: str  # legal form as the Exact side writes it ("" for none)
    country: str
    address: Address
    phone: Phone | None
    domain: str
    email: str
    website: str
    vat: str
    coc: str
    person: tuple[str, str]  # owner / main contact: first, last

    @property
    def name(self) -> str:
        return compose(self.core, self.form)


def compose(core: str, form: str) -> str:
    """Name as written: 'Stichting X' (prefix forms) or 'X B.V.'."""
    if not form:
        return core
    return f"{form} {core}" if form in N.PREFIX_FORMS else f"{core} {form}"


def person(rng: random.Random, country: str) -> tuple[str, str]:
    return pick(rng, N.FIRST_NAMES[country]), pick(rng, N.SURNAMES[country])


def company_core(rng: random.Random, country: str, city: str) -> str:
    trades, surnames = N.TRADES[country], N.SURNAMES[country]
    s = title_surname(pick(rng, surnames))
    t = pick(rng, trades)
    roll = rng.random()
    if roll < 0.30:
        return f"{s} {t}"
    if roll < 0.52:
        return f"{pick(rng, N.BRANDS)} {t}"
    if roll < 0.64:
        other = title_surname(pick(rng, surnames))
        return pick(rng, N.FAMILY_PATTERNS[country]).format(s=s, t=other if other != s else "Vos")
    if roll < 0.70:
        return f"{pick(rng, N.ADJECTIVES[country])} {t}"
    if roll < 0.80:
        return f"{pick(rng, N.BRANDS)} {t} {city}"
    if roll < 0.88:
        t2 = pick(rng, trades)
        return f"{s} {t} & {t2}" if t2 != t else f"{s} {t}"
    if roll < 0.94:
        return pick(rng, N.BRANDS)
    return f"{s} {t} {pick(rng, ('International', 'Europe', 'Services', 'Solutions', 'Group'))}"


def address(rng: random.Random, country: str, city_row: tuple[str, int, str] | None = None) -> Address:
    city, base, _ = city_row or pick(rng, N.CITIES[country])
    street = pick(rng, N.STREETS[country])
    number = str(randint(rng, 1, 40) if rng.random() < 0.6 else randint(rng, 41, 260))
    extra = rng.random()
    if extra < 0.08:
        number += pick(rng, "abc")
    elif extra < 0.12 and country == "NL":
        number += f"-{randint(rng, 1, 12)}"
    if country == "NL":
        postcode = f"{base * 100 + rng.randrange(100):04d} {pick(rng, _POSTCODE_LETTERS)}{pick(rng, _POSTCODE_LETTERS)}"
    elif country == "BE":
        postcode = str(base + rng.randrange(0, 100, 10) if base >= 2000 else base + rng.randrange(0, 200, 10))
    elif country == "DE":
        postcode = f"{base + rng.randrange(0, 90):05d}"
    else:
        postcode = f"{pick(rng, N.UK_OUTCODES[city])} {randint(rng, 1, 9)}{pick(rng, _UK_LETTERS)}{pick(rng, _UK_LETTERS)}"
    return Address(street, number, postcode, city, country)


def phone(rng: random.Random, country: str, area: str, mobile: bool = False) -> Phone:
    if mobile:
        area = {"NL": "6", "BE": "47", "DE": "151", "GB": "7700"}[country]
    width = {"NL": 9, "BE": 9, "DE": 10, "GB": 10}[country] - len(area)
    width = max(width, 6)
    return Phone(country, area, str(rng.randrange(10 ** (width - 1) * 2, 10 ** width)))


def vat_number(rng: random.Random, country: str) -> str:
    digits = f"{rng.randrange(10 ** 8, 10 ** 9)}"
    if country == "NL":
        return f"NL{digits}B0{pick(rng, '1112')}"
    if country == "BE":
        return f"BE0{digits}"
    return f"{country}{digits}"


def coc_number(rng: random.Random, country: str, vat: str) -> str:
    if country == "NL":
        return f"{rng.randrange(10 ** 7, 10 ** 8)}"
    if country == "BE":
        digits = vat[2:] if vat.startswith("BE") else f"0{rng.randrange(10 ** 8, 10 ** 9)}"
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if country == "DE":
        return f"HRB {randint(rng, 1000, 99999)}"
    return f"{rng.randrange(10 ** 6, 10 ** 7):08d}"


def company(rng: random.Random, country: str) -> Company:
    """A company with every field filled the way that country writes it; gaps are added after."""
    city_row = pick(rng, N.CITIES[country])
    core = company_core(rng, country, city_row[0])
    form = pick_weighted(rng, N.LEGAL_FORMS[country])
    owner = person(rng, country)
    domain = f"{slug(core)}.{N.TLD[country]}"
    roll = rng.random()
    if roll < 0.84:
        email = f"{pick(rng, N.MAILBOXES[country])}@{domain}"
    elif roll < 0.95:
        free = pick(rng, N.FREE_MAIL[country])
        email = f"{slug(owner[0])}.{slug(owner[1])}@{free}" if rng.random() < 0.6 else f"{slug(core)}@{free}"
    else:
        email = ""
    website = f"www.{domain}" if roll < 0.84 and rng.random() < 0.8 else ""
    vat = vat_number(rng, country) if rng.random() < 0.82 else ""
    has_coc = rng.random() < {"NL": 0.9, "BE": 0.6, "DE": 0.5, "GB": 0.6}[country]
    coc = coc_number(rng, country, vat) if has_coc else ""
    tel = phone(rng, country, city_row[2], mobile=rng.random() < 0.2) if rng.random() < 0.9 else None
    return Company(core, form, country, address(rng, country, city_row), tel, domain, email, website, vat, coc, owner)
