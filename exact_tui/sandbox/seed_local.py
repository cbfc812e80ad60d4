"""The local (time-tracking) side of the seed: customers as the invoicing system spells them, with the
ground truth of which Exact account each belongs to, plus contacts, dimensions and booked invoices.

Customers (shares are targets; `tests/sandbox/test_seed_local.py` measures them at 2,000 customers):

* 85 % of the main division's Exact customers have a local partner (`truth[local id] = Exact ID`);
  the other 15 % exist in Exact only.
* Each partner's name gets exactly one treatment (`NAME_KINDS`): identical 30 %, legal form respelled
  or dropped (B.V./BV/b.v./Besloten Vennootschap, GmbH/Gmbh, Ltd/Limited …) 30 %, 1-2 character typo
  15 %, case/punctuation (UPPER, lower, "&" for "en", double space or hyphen) 10 %, abbreviation (Inst.techniek,
  Gebr., V.d. Meer, Mgmt) 8 %, swapped word order ("Bakker & De Vries" / "De Vries & Bakker") 7 %.
* Independently (`FIELD_KINDS`): moved address 10 %, 2-3 fields missing 15 % (never a field another
  difference already changed), other e-mail 12 %, phone written in another format 45 % (of partners
  with a phone), postcode without space or in lower case 30 % (of NL partners), street abbreviated
  (Kerkstr./Hauptstr./Station Rd) 7 % (where the street name allows), VAT number spelled
  differently (spaces, dots, lower case) 17 %, VAT on one side only 15 %, KvK on one side only 10 %.
* Customer number (`NUMBER_KINDS`): equal to the Exact code ("already linked") 40 %, another
  valid number 30 %, empty 22 %, invalid (letters or more than 9 digits) 8 %.
* 3 % of partners have a duplicate local record, typed in again (respelled name, often no number,
  sometimes the same number); it is in `truth` (same Exact ID) and in `duplicates` (-> the original).
* The local side's order is shuffled and its ids (`cust-000001` …) say nothing about the pairs.
* Only the main division has a local side; the other divisions' accounts have no partners.
* Local-only customers: 10 % of the Exact customer count; of those 12 % carry the code of an Exact
  supplier or prospect as their number ("Ongeldig: Klant (Type)" when created as customer), 8 % an
  invalid number, and 10 % are hard negatives: an Exact customer's exact name in another city with
  nothing else in common.
* Namesakes: 1.2 % of Exact customers take the name of another customer in another city ("Jansen
  Bouw B.V." in Zwolle and in Utrecht); both of each pair (about 2.4 %) are listed in `ambiguous`.

Invoices: about 0.8 per local customer over the last 14 months (0.5 % dated in December two years
back, before the first fiscal year Exact has), numbered per year ("2600042"),
1-5 lines on hourly rates, task types, project types/categories, expense types and explicit product
numbers, quantities in quarter hours; GBP for most UK customers and USD for a few others; about 6 %
are credited by a credit note dated after the invoice that names it in `credits_invoice`.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from exact_tui.domain.customer import LocalContact, LocalCustomer

from . import names as N
from .seed_exact import MAIN_DIVISION, ExactSide
from .seed_invoices import CREDIT_SHARE, DIMENSIONS, INVOICES_PER_CUSTOMER, dimensions, invoices  # noqa: F401
from .seed_people import Company, Weighted, address, pick, randint, company, compose, person, phone, slug, vat_number

PARTNER_SHARE = 0.85
LOCAL_ONLY_SHARE = 0.10
DUPLICATE_SHARE = 0.03
# Draw weights; a treatment that cannot apply to a name (no word to abbreviate, one-word name) falls
# back to a legal-form change, so the measured shares are those in the module docstring.
NAME_KINDS = {"identical": 30, "legal_form": 26, "typo": 15, "case_punct": 10, "abbreviation": 10, "word_order": 9}
FIELD_KINDS = {"moved": 0.10, "missing_fields": 0.15, "other_email": 0.12, "phone_format": 0.45,
               "postcode_format": 0.30, "address_format": 0.10, "vat_format": 0.20, "vat_one_side": 0.15,
               "coc_one_side": 0.12}
NUMBER_KINDS = {"number_same": 40, "number_other": 30, "number_empty": 22, "number_invalid": 8}
LOCAL_ONLY_KINDS = {"number_empty": 45, "number_other": 35, "number_collides": 12, "number_invalid": 8}
HARD_NEGATIVE_SHARE = 0.10
FIRST_LOCAL_NUMBER = 200001
VARIATION_KINDS = (*NAME_KINDS, *FIELD_KINDS, *NUMBER_KINDS, "number_collides", "duplicate", "local_only",
                   "hard_negative")

_STREET_ABBREVIATIONS = [("straße", "str."), ("straat", "str."), ("Straße", "Str."), ("Road", "Rd"),
                         ("Street", "St"), ("laan", "ln."), ("weg", "wg.")]
_TOUCHES = {"moved": ("address", "postcode", "city"), "address_format": ("address",), "postcode_format": ("postcode",),
            "other_email": ("email",), "phone_format": ("phone",), "vat_one_side": ("vat",), "vat_format": ("vat",),
            "coc_one_side": ("coc",)}
_NAME_PICK, _NUMBER_PICK, _LOCAL_ONLY_PICK = Weighted(NAME_KINDS), Weighted(NUMBER_KINDS), Weighted(LOCAL_ONLY_KINDS)
_FREE_DOMAINS = {d for ds in N.FREE_MAIL.values() for d in ds}
_FORM_DEFAULT = {"NL": "BV", "BE": "BV", "DE": "GmbH", "GB": "Ltd"}


# ---------------------------------------------------------------------------------- name variants

def _typo(rng: random.Random, text: str) -> str:
    """One or two keyboard slips inside the name (never the first letter, never a space)."""
    chars = list(text)
    for _ in range(pick(rng, (1, 1, 1, 2))):
        spots = [i for i in range(1, len(chars)) if chars[i].isalpha()]
        if not spots:
            break
        i = pick(rng, spots)
        op = rng.random()
        if op < 0.35:
            near = N.TYPO_NEIGHBOURS.get(chars[i].lower(), "e")
            chars[i] = pick(rng, near)
        elif op < 0.6:
            del chars[i]
        elif op < 0.8 and i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1] != chars[i]:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars.insert(i, chars[i])
    result = "".join(chars)
    return result if result != text else text[:-1] + ("x" if text[-1] != "x" else "y")


def _word_order(core: str) -> str | None:
    for joiner in (" & ", " en ", " and ", " und "):
        if joiner in core:
            left, right = core.split(joiner, 1)
            if left.startswith(("Gebroeders", "Gebrüder")):
                return None
            return f"{right}{joiner}{left}"
    words = core.split(" ")
    if len(words) < 2 or words[0][:1].islower() or words[0] in ("Van", "De", "Gebroeders", "Gebrüder", "Stichting"):
        return None
    return " ".join(words[1:] + words[:1])


def _abbreviation(core: str) -> str | None:
    words = core.split(" ")
    for i, word in enumerate(words):
        if word in N.ABBREVIATIONS:
            return " ".join(words[:i] + [N.ABBREVIATIONS[word]] + words[i + 1:])
    for long, short in (("Van der ", "V.d. "), ("Van den ", "V.d. "), ("Van de ", "V.d. "), ("Gebroeders ", "Gebr. "),
                        ("Gebrüder ", "Gebr. "), ("& Zonen", "& Zn."), ("& Söhne", "& Sö."), ("Brothers", "Bros.")):
        if long in core:
            return core.replace(long, short, 1)
    longest = max(words, key=len)
    if len(longest) >= 8 and longest[0].isupper():  # "Kantoorinrichting" -> "Kantoorinr."
        cut = max(4, len(longest) * 2 // 3)
        return " ".join(w if w is not longest else longest[:cut] + "." for w in words)
    return None


def _case_punct(rng: random.Random, name: str) -> str:
    roll = rng.random()
    if roll < 0.35:
        return name.upper()
    if roll < 0.5:
        return name.lower()
    if roll < 0.75 and any(j in name for j in (" & ", " en ", " and ", " und ")):
        for a, b in ((" & ", " en "), (" en ", " & "), (" and ", " & "), (" und ", " & ")):
            if a in name:
                return name.replace(a, b, 1)
    words = name.split(" ")
    if len(words) > 1:
        i = rng.randrange(1, len(words))
        return " ".join(words[:i]) + ("  " if rng.random() < 0.5 else "-") + " ".join(words[i:])
    return name.upper() if name != name.upper() else name.lower()


def _legal_form(rng: random.Random, c: Company) -> str:
    if c.form:
        return compose(c.core, pick(rng, N.LEGAL_FORM_VARIANTS.get(c.form, [""])))
    return compose(c.core, _FORM_DEFAULT[c.country])


def local_name(rng: random.Random, c: Company, exact_name: str) -> tuple[str, str]:
    """The partner's name and which treatment it got (falls back to a legal-form change when the
    drawn treatment cannot apply, e.g. swapping words in a one-word name)."""
    kind = _NAME_PICK.pick(rng)
    if kind == "identical":
        return exact_name, kind
    if kind == "typo":
        return compose(_typo(rng, c.core), c.form), kind
    if kind == "case_punct":
        return _case_punct(rng, exact_name), kind
    if kind == "word_order":
        swapped = _word_order(c.core)
        if swapped:
            return compose(swapped, c.form), kind
    if kind == "abbreviation":
        short = _abbreviation(c.core)
        if short:
            return compose(short, c.form), kind
    return _legal_form(rng, c), "legal_form"


# ------------------------------------------------------------------------------------- customers

class _Numbers:
    def __init__(self) -> None:
        self.next = FIRST_LOCAL_NUMBER

    def fresh(self) -> str:
        self.next += 1
        return str(self.next - 1)


def _invalid_number(rng: random.Random, code: str) -> str:
    return pick(rng, (f"K{code}", f"{code}-A", f"DEB{code}", str(rng.randrange(10 ** 9, 10 ** 10)), f"{code}.0"))


def _vat_respelled(rng: random.Random, vat: str) -> str:
    cc, rest = vat[:2], vat[2:]
    roll = rng.random()
    if roll < 0.3:
        return vat.lower()
    if roll < 0.6:
        return f"{cc} {rest}"
    if cc == "NL" and len(rest) == 12:
        return f"NL{rest[:4]}.{rest[4:6]}.{rest[6:9]}.{rest[9:]}"
    return f"{cc}{rest[:3]} {rest[3:6]} {rest[6:]}"


def _street_abbreviated(line: str) -> str | None:
    for long, short in _STREET_ABBREVIATIONS:
        if long in line:
            return line.replace(long, short, 1)
    return None


def _other_email(rng: random.Random, c: Company, current: str) -> str:
    boxes = [b for b in N.MAILBOXES[c.country] if not current.startswith(b + "@")]
    roll = rng.random()
    if roll < 0.5 or not current:
        return f"{pick(rng, boxes)}@{c.domain}"
    first, last = c.person
    if roll < 0.75:
        return f"{slug(first)}.{slug(last)}@{c.domain}"
    return f"{slug(first)}{slug(last)}@{pick(rng, N.FREE_MAIL[c.country])}"


def _currency(rng: random.Random, country: str) -> str:
    if country == "GB":
        return "GBP" if rng.random() < 0.6 else "EUR"
    return "USD" if rng.random() < 0.03 else "EUR"


def partner(rng: random.Random, c: Company, row: dict[str, Any], numbers: _Numbers) -> tuple[LocalCustomer, list[str]]:
    """The local record of Exact account `row` (company `c`), with the differences it got."""
    name, name_kind = local_name(rng, c, row["Name"])
    kinds = [name_kind]
    code = row["Code"].strip()
    number_kind = _NUMBER_PICK.pick(rng)
    number = {"number_same": code, "number_other": "", "number_empty": "", "number_invalid": ""}[number_kind]
    if number_kind == "number_other":
        number = numbers.fresh()
    elif number_kind == "number_invalid":
        number = _invalid_number(rng, code)
    kinds.append(number_kind)
    cust = LocalCustomer(
        id="", name=name, number=number, address=row["AddressLine1"] or "", postcode=row["Postcode"] or "",
        city=row["City"] or "", country=row["Country"] or "", email=row["Email"] or "", phone=row["Phone"] or "",
        vat=row["VATNumber"] or "", coc=row["ChamberOfCommerce"] or "", website=row["Website"] or "",
        currency=_currency(rng, c.country), payment_condition=row["PaymentConditionSales"] or "")
    p = FIELD_KINDS
    if rng.random() < p["moved"]:
        same_city = rng.random() < 0.7
        city_row = next((r for r in N.CITIES[c.country] if r[0] == c.address.city), None) if same_city else None
        new = address(rng, c.country, city_row)
        if new.line != cust.address:
            cust.address, cust.postcode, cust.city = new.line, new.postcode, new.city
            kinds.append("moved")
    elif cust.address and rng.random() < p["address_format"] / (1 - p["moved"]):
        short = _street_abbreviated(cust.address)
        if short:
            cust.address = short
            kinds.append("address_format")
    if c.country == "NL" and " " in cust.postcode and rng.random() < p["postcode_format"]:
        cust.postcode = cust.postcode.replace(" ", "") if rng.random() < 0.8 else cust.postcode.lower()
        kinds.append("postcode_format")
    if rng.random() < p["other_email"]:
        cust.email = _other_email(rng, c, cust.email)
        kinds.append("other_email")
    if c.phone and cust.phone and rng.random() < p["phone_format"]:
        styles = [s for s in range(5) if c.phone.format(s) != cust.phone]
        cust.phone = c.phone.format(pick(rng, styles))
        kinds.append("phone_format")
    if rng.random() < p["vat_one_side"]:
        cust.vat = "" if cust.vat else vat_number(rng, c.country)
        kinds.append("vat_one_side")
    elif cust.vat and rng.random() < p["vat_format"] / (1 - p["vat_one_side"]):
        cust.vat = _vat_respelled(rng, cust.vat)
        kinds.append("vat_format")
    if rng.random() < p["coc_one_side"]:
        cust.coc = "" if cust.coc else (f"{rng.randrange(10 ** 7, 10 ** 8)}" if c.country == "NL" else "")
        if cust.coc or row["ChamberOfCommerce"]:
            kinds.append("coc_one_side")
    if rng.random() < p["missing_fields"]:
        touched = {f for kind, fs in _TOUCHES.items() if kind in kinds for f in fs}  # keep those differences visible
        present = [f for f in ("address", "postcode", "city", "phone", "email", "website", "vat", "coc")
                   if getattr(cust, f) and f not in touched]
        for f in rng.sample(present, min(len(present), pick(rng, (2, 2, 3)))):
            setattr(cust, f, "")
        if present:
            kinds.append("missing_fields")
    return cust, kinds


def duplicate(rng: random.Random, original: LocalCustomer, c: Company) -> LocalCustomer:
    """A second local record of the same company, typed in again by someone else."""
    roll = rng.random()
    name = _case_punct(rng, original.name) if roll < 0.4 else (
        _legal_form(rng, c) if roll < 0.7 else compose(_typo(rng, c.core), c.form))
    if name == original.name:  # the respelling happened to be the partner's own
        name = compose(_typo(rng, c.core), c.form)
    return LocalCustomer(
        id="", name=name, number=original.number if rng.random() < 0.3 else "", address=original.address,
        postcode=original.postcode, city=original.city, country=original.country,
        email=_other_email(rng, c, original.email) if rng.random() < 0.5 else original.email,
        phone=original.phone if rng.random() < 0.6 else "", vat="", coc=original.coc if rng.random() < 0.5 else "",
        website=original.website, currency=original.currency, payment_condition="")


def local_only(rng: random.Random, country: str, numbers: _Numbers, taken_codes: list[str],
               namesake: Company | None) -> tuple[LocalCustomer, list[str]]:
    c = company(rng, country)
    kinds = ["local_only"]
    if namesake is not None:
        while c.address.city == namesake.address.city:
            c.address = address(rng, country)
        c.core, c.form = namesake.core, namesake.form
        kinds.append("hard_negative")
    number_kind = _LOCAL_ONLY_PICK.pick(rng)
    if number_kind == "number_collides" and taken_codes:
        number = pick(rng, taken_codes)
    elif number_kind == "number_invalid":
        number = _invalid_number(rng, str(randint(rng, 1000, 99999)))
    elif number_kind == "number_empty":
        number = ""
    else:
        number_kind, number = "number_other", numbers.fresh()
    kinds.append(number_kind)
    return LocalCustomer(
        id="", name=c.name, number=number, address=c.address.line, postcode=c.address.postcode, city=c.address.city,
        country=country, email=c.email, phone=c.phone.format(pick(rng, (0, 1))) if c.phone else "", vat=c.vat,
        coc=c.coc, website=c.website, currency=_currency(rng, country), payment_condition=""), kinds


_EXTRA_CONTACTS = Weighted({0: 45, 1: 35, 2: 15, 3: 5})


def _contacts(rng: random.Random, cust: LocalCustomer, exact_contacts: list[dict[str, Any]], country: str,
              domain: str, next_id: list[int]) -> list[LocalContact]:
    found = []
    for row in exact_contacts:
        if rng.random() < 0.7:
            email = row.get("Email") or ""
            if email and rng.random() < 0.15:
                email = email.replace(".", "", 1) if rng.random() < 0.5 else ""
            found.append((row.get("FirstName") or "", row.get("LastName") or "", email, row.get("Phone") or ""))
    extra = _EXTRA_CONTACTS.pick(rng) if not exact_contacts else int(rng.random() < 0.2)
    for _ in range(extra):
        first, last = person(rng, country)
        email = f"{slug(first)}.{slug(last)}@{domain}" if domain and rng.random() < 0.7 else ""
        tel = phone(rng, country, "", mobile=True).format(pick(rng, (0, 1))) if rng.random() < 0.5 else ""
        found.append((first, last, email, tel))
    contacts = []
    for first, last, email, tel in found:
        next_id[0] += 1
        contacts.append(LocalContact(f"ctc-{next_id[0]:06d}", cust.id, first, last, email, tel))
    return contacts


# ---------------------------------------------------------------------------------------- the set

def local_side(rng: random.Random, today: dt.date, exact: ExactSide) -> Any:
    from .seed import LocalSet  # the dataclass lives with the contract

    rows = [r for r in exact.tables[MAIN_DIVISION]["crm/Accounts"] if r["Status"] == "C"]
    taken = [r["Code"].strip() for r in exact.tables[MAIN_DIVISION]["crm/Accounts"] if r["Status"] != "C"]
    contacts_by_account: dict[str, list[dict[str, Any]]] = {}
    for row in exact.tables[MAIN_DIVISION]["crm/Contacts"]:
        contacts_by_account.setdefault(row["Account"], []).append(row)
    numbers = _Numbers()
    entries: list[tuple[LocalCustomer, list[str], str, Company | None, str]] = []  # cust, kinds, exact id, company, dup-of
    chosen = set(rng.sample(range(len(rows)), round(len(rows) * PARTNER_SHARE)))
    for index, row in enumerate(rows):
        if index not in chosen:
            continue
        c = exact.companies[row["ID"]]
        cust, kinds = partner(rng, c, row, numbers)
        entries.append((cust, kinds, row["ID"], c, ""))
        if rng.random() < DUPLICATE_SHARE:
            entries.append((duplicate(rng, cust, c), ["duplicate"], row["ID"], c, f"#{len(entries) - 1}"))
    for _ in range(round(len(rows) * LOCAL_ONLY_SHARE)):
        namesake = exact.companies[pick(rng, rows)["ID"]] if rows and rng.random() < HARD_NEGATIVE_SHARE else None
        country = namesake.country if namesake else \
            rng.choices(list(N.COUNTRY_WEIGHTS), list(N.COUNTRY_WEIGHTS.values()))[0]
        cust, kinds = local_only(rng, country, numbers, taken, namesake)
        entries.append((cust, kinds, "", None, ""))
    order = list(range(len(entries)))
    rng.shuffle(order)
    for position, index in enumerate(order, 1):
        entries[index][0].id = f"cust-{position:06d}"
    local = LocalSet(dimensions=dimensions(), ambiguous=set(exact.namesakes))
    next_contact = [0]
    for index in order:
        cust, kinds, exact_id, c, dup_of = entries[index]
        local.customers.append(cust)
        local.variations[cust.id] = kinds
        if exact_id:
            local.truth[cust.id] = exact_id
        else:
            local.local_only.append(cust.id)
        if dup_of:
            local.duplicates[cust.id] = entries[int(dup_of[1:])][0].id
        domain = c.domain if c else cust.email.rpartition("@")[2]
        if domain in _FREE_DOMAINS:
            domain = ""
        exact_contacts = contacts_by_account.get(exact_id, []) if exact_id and not dup_of else []
        local.contacts.extend(_contacts(rng, cust, exact_contacts, cust.country or "NL", domain, next_contact))
    local.invoices = invoices(rng, today, local.customers)
    return local
