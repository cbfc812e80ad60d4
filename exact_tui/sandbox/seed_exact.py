"""The Exact side of the seed: divisions, master data and customer accounts, in Exact's field names.

Every division gets the same chart of accounts, journals, VAT codes and items, because an
accountant's template usually does; what differs is what the rules need to differ: the main company
has a default payment condition, the second company has none (so an account without its own
condition fails there), one division is not granted to the app, one is blocked.

The master data deliberately contains the records that make Exact refuse an invoice, each named
so a support engineer recognises it: a journal without variable currency, a non-sales journal, an
item that is not divisible, an item without revenue G/L, an inclusive VAT code, a closed period, a
blocked revenue account, a code used by a supplier.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import cashflow
from . import names as N
from .seed_people import Company, Weighted, company, guid, person, phone, pick, slug

UTC = dt.timezone.utc
Row = dict[str, Any]

# Division numbers (Exact's are 6-7 digit integers) and their roles.
MAIN_DIVISION, SECOND_DIVISION, NOT_GRANTED_DIVISION, BLOCKED_DIVISION = 786431, 786432, 786433, 786434
DIVISIONS = [
    # code, description, country, default payment condition, blocked, granted to the app
    (MAIN_DIVISION, "Brightwork Consultancy B.V.", "NL", "30", False, True),
    (SECOND_DIVISION, "Brightwork België BV", "BE", None, False, True),
    (NOT_GRANTED_DIVISION, "Brightwork Holding B.V.", "NL", "30", False, False),
    (BLOCKED_DIVISION, "Brightwork Detachering B.V. (opgeheven)", "NL", "30", True, True),
]
LICENSE_CUSTOMER = "5f0c1a8e-3d2b-4e6f-9a71-0c2d4b6e8f10"  # the Exact customer that owns the licence

# Customer codes: 18-character right-aligned numbers. Suppliers and prospects have their own ranges
# (the local side re-uses some of them as customer numbers: "Ongeldig: Klant (Type)").
FIRST_CUSTOMER_CODE = 10001
FIRST_SUPPLIER_CODE = 900001
FIRST_PROSPECT_CODE = 800001

GL = [
    # code, description, type, balance type, blocked
    ("1100", "Bank", 12, "B", False),
    ("1300", "Debiteuren", 20, "B", False),
    ("1500", "Te betalen btw hoog", 24, "B", False),
    ("1510", "Te betalen btw laag", 24, "B", False),
    ("1520", "Btw verlegd", 24, "B", False),
    ("1600", "Crediteuren", 22, "B", False),
    ("4000", "Lonen en salarissen", 121, "W", False),
    ("7000", "Inkoopwaarde omzet", 111, "W", False),
    ("8000", "Omzet consultancy", 110, "W", False),
    ("8010", "Omzet detachering", 110, "W", False),
    ("8020", "Omzet projecten vaste prijs", 110, "W", False),
    ("8100", "Doorbelaste kosten", 110, "W", False),
    ("8200", "Omzet licenties en abonnementen", 110, "W", False),
    ("8300", "Omzet buitenland", 110, "W", False),
    ("8999", "Omzet oud (niet meer gebruiken)", 110, "W", True),
]
VAT = [
    # code, description, percentage, type (E exclusive / I inclusive), charged (reverse charge)
    ("1", "Btw hoog 21% excl.", "0.21", "E", False),
    ("2", "Btw laag 9% excl.", "0.09", "E", False),
    ("0", "Geen btw 0%", "0", "E", False),
    ("4", "Btw hoog 21% incl.", "0.21", "I", False),
    ("5", "Btw verlegd (intracommunautair)", "0", "E", True),
    ("6", "Export buiten EU 0%", "0", "E", False),
]
PAYMENT_CONDITIONS = [("14", "14 dagen netto", 14), ("30", "30 dagen netto", 30), ("60", "60 dagen netto", 60),
                      ("00", "Contant", 0)]
JOURNALS = [
    # code, description, type, currency, variable currency, variable rate, VAT allowed
    ("70", "Verkoopboek", 20, "EUR", False, False, True),
    ("71", "Verkoopboek valuta", 20, "EUR", True, True, True),
    ("72", "Creditnota's", 21, "EUR", False, False, True),
    ("73", "Verkoop vrijgesteld (geen btw)", 20, "EUR", False, False, False),
    ("10", "Bank ING", 12, "EUR", False, False, False),
    ("90", "Memoriaal", 90, "EUR", False, False, False),
]
# Items: code, description, sales item, time, revenue GL code (None: none), divisible, VAT code, unit,
# active (False: EndDate in the past). The awkward ones are there on purpose (see the module doc).
ITEMS = [
    ("CONS-SR", "Senior consultancy", True, True, "8000", True, "1", "uur", True),
    ("CONS", "Consultancy", True, True, "8000", True, "1", "uur", True),
    ("CONS-JR", "Junior consultancy", True, True, "8000", True, "1", "uur", True),
    ("PM", "Projectmanagement", True, True, "8000", True, "1", "uur", True),
    ("ARCH", "Architectuur en ontwerp", True, True, "8000", True, "1", "uur", True),
    ("DEV", "Softwareontwikkeling", True, True, "8000", True, "1", "uur", True),
    ("DEV-SR", "Senior softwareontwikkeling", True, True, "8000", True, "1", "uur", True),
    ("ANALYSE", "Functionele analyse", True, True, "8000", True, "1", "uur", True),
    ("TEST", "Testwerkzaamheden", True, True, "8000", True, "1", "uur", True),
    ("UX", "UX-design", True, True, "8000", True, "1", "uur", True),
    ("DATA", "Data-analyse", True, True, "8000", True, "1", "uur", True),
    ("TRAIN", "Training (per uur)", True, True, "8000", True, "2", "uur", True),
    ("SUPPORT", "Supporturen", True, True, "8000", True, "1", "uur", True),
    ("DETACH", "Detachering", True, True, "8010", True, "1", "uur", True),
    ("REIS-U", "Reisuren", True, True, "8000", True, "1", "uur", True),
    ("CONS-DAG", "Consultancy per dag", True, True, "8000", False, "1", "dag", True),
    ("WORKSHOP", "Workshop (dagdeel)", True, True, "8000", False, "1", "dagdeel", True),
    ("FIX-PRJ", "Project tegen vaste prijs", True, False, "8020", False, "1", "stuk", True),
    ("LIC-JR", "Jaarlicentie", True, False, "8200", False, "1", "stuk", True),
    ("SUP-MND", "Supportcontract per maand", True, False, "8200", False, "1", "maand", True),
    ("HOSTING", "Hosting en beheer", True, False, None, False, "1", "maand", True),
    ("CONS-EXT", "Externe consultancy (inhuur)", True, True, None, True, "1", "uur", True),
    ("KM", "Kilometervergoeding", True, False, "8100", True, "1", "km", True),
    ("REISK", "Reiskosten", True, False, "8100", True, "1", "stuk", True),
    ("HOTEL", "Hotel- en verblijfkosten", True, False, "8100", True, "2", "stuk", True),
    ("PARK", "Parkeerkosten (incl. btw)", True, False, "8100", True, "4", "stuk", True),
    ("MAALTIJD", "Maaltijdkosten", True, False, "8100", True, "2", "stuk", True),
    ("DIV", "Diverse doorbelaste kosten", True, False, "8100", True, "1", "stuk", True),
    ("EXPORT-U", "Consultancy buitenland", True, True, "8300", True, "6", "uur", True),
    ("VERLEGD-U", "Consultancy EU (btw verlegd)", True, True, "8300", True, "5", "uur", True),
    ("OUD-TARIEF", "Consultancy (tarief 2022)", True, True, "8000", True, "1", "uur", False),
    ("OUD-OMZET", "Advies (oude omzetrekening)", True, True, "8999", True, "1", "uur", True),
    ("HW-INKOOP", "Hardware (inkoop)", False, False, "7000", False, "1", "stuk", True),
    ("LAPTOP", "Laptop (doorverkoop)", True, False, "8100", False, "1", "stuk", True),
]


@dataclass
class Stamper:
    """Row versions and creation dates, so rows look like a live administration's."""

    rng: random.Random
    today: dt.date
    timestamp: int = 1_000_000

    def __post_init__(self) -> None:
        self.morning = dt.datetime.combine(self.today, dt.time(9), UTC)

    def stamp(self, row: Row, *, age_days: tuple[int, int] = (400, 2200)) -> Row:
        self.timestamp += 1
        rnd = self.rng.random
        created = self.morning - dt.timedelta(days=age_days[0] + int(rnd() * (age_days[1] - age_days[0])),
                                              minutes=int(rnd() * 600))
        modified = created + dt.timedelta(days=int(rnd() * age_days[0]), minutes=int(rnd() * 400))
        row["Timestamp"], row["Created"], row["Modified"] = self.timestamp, created, modified
        return row


@dataclass
class ExactSide:
    divisions: list[Row]
    granted: set[int]
    tables: dict[int, dict[str, list[Row]]]
    companies: dict[str, Company] = field(default_factory=dict)  # main-division customer ID -> company
    namesakes: set[str] = field(default_factory=set)  # main-division IDs sharing their name with another


def division_rows() -> list[Row]:
    rows = []
    for hid, (code, description, country, default, blocked, _) in enumerate(DIVISIONS, 1):
        rows.append({"Code": code, "Description": description, "Customer": LICENSE_CUSTOMER,
                     "CustomerName": "Brightwork Groep B.V.", "CustomerCode": "1042".rjust(18), "Country": country,
                     "Currency": "EUR", "Blocked": blocked, "Current": code == MAIN_DIVISION, "HID": hid,
                     "DefaultPaymentConditionSales": default})
    return rows


def master_data(rng: random.Random, stamper: Stamper) -> dict[str, list[Row]]:
    """The chart of accounts, journals, VAT codes, payment conditions, items and periods of one division."""
    gl_rows = [{"ID": guid(rng), "Code": code, "Description": desc, "Type": kind, "BalanceType": balance,
                "IsBlocked": blocked} for code, desc, kind, balance, blocked in GL]
    gl_by_code = {r["Code"]: r for r in gl_rows}
    vat_rows = [{"ID": guid(rng), "Code": code.ljust(3), "Description": desc, "Percentage": Decimal(pct), "Type": kind,
                 "Charged": charged, "GLToPay": gl_by_code["1520" if charged else ("1510" if pct == "0.09" else "1500")]["ID"]}
                for code, desc, pct, kind, charged in VAT]
    conditions = [{"ID": guid(rng), "Code": code, "Description": desc, "PaymentDays": days}
                  for code, desc, days in PAYMENT_CONDITIONS]
    journals = [{"ID": guid(rng), "Code": code, "Description": desc, "Type": kind, "Currency": cur,
                 "AllowVariableCurrency": var_cur, "AllowVariableExchangeRate": var_rate, "AllowVAT": vat,
                 "GLAccount": gl_by_code["1300" if kind in (20, 21) else ("1100" if kind == 12 else "4000")]["ID"]
                 if kind != 90 else None}
                for code, desc, kind, cur, var_cur, var_rate, vat in JOURNALS]
    items = []
    for code, desc, sales, time, gl, divisible, vat, unit, active in ITEMS:
        start = dt.datetime(stamper.today.year - 4, 1, 1, tzinfo=UTC)
        end = None if active else dt.datetime(stamper.today.year - 2, 12, 31, tzinfo=UTC)
        items.append(stamper.stamp({
            "ID": guid(rng), "Code": code, "Description": desc, "IsSalesItem": sales, "IsTime": time,
            "GLRevenue": gl_by_code[gl]["ID"] if gl else None, "GLRevenueCode": gl, "IsFractionAllowedItem": divisible,
            "SalesVatCode": vat, "StartDate": start, "EndDate": end, "Unit": unit}))
    return {"financial/GLAccounts": gl_rows, "vat/VATCodes": vat_rows, "cashflow/PaymentConditions": conditions,
            "financial/Journals": journals, "logistics/Items": items,
            "financial/FinancialPeriods": periods(rng, stamper.today)}


def closed_period(today: dt.date) -> tuple[int, int]:
    """The one closed period: last year's period of the same month as today, so invoices of about a
    year ago land in it (and, early in a year, older invoices fall before the first fiscal year)."""
    return today.year - 1, today.month


def periods(rng: random.Random, today: dt.date) -> list[Row]:
    """Twelve monthly periods for last year and this year; nothing before (missing fiscal year)."""
    closed = closed_period(today)
    rows = []
    for year in (today.year - 1, today.year):
        for month in range(1, 13):
            start = dt.datetime(year, month, 1, tzinfo=UTC)
            end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC) - dt.timedelta(days=1)
            rows.append({"ID": guid(rng), "FinYear": year, "FinPeriod": month, "StartDate": start, "EndDate": end,
                         "Closed": (year, month) == closed})
    return rows


def account_row(rng: random.Random, c: Company, code: int, status: str, phone_style: int) -> Row:
    return {
        "ID": guid(rng), "Code": str(code).rjust(18), "Name": c.name, "AddressLine1": c.address.line,
        "AddressLine2": None, "Postcode": c.address.postcode, "City": c.address.city, "Country": c.country,
        "Phone": c.phone.format(phone_style) if c.phone else None, "Email": c.email or None,
        "VATNumber": c.vat or None, "ChamberOfCommerce": c.coc or None, "Website": c.website or None,
        "Status": status, "IsSales": status == "C", "IsSupplier": False, "PaymentConditionSales": None,
        "Blocked": False,
    }


_CONTACT_COUNT = Weighted({0: 25, 1: 40, 2: 25, 3: 10})


def contact_rows(rng: random.Random, stamper: Stamper, account: Row, c: Company) -> list[Row]:
    rows = []
    for _ in range(_CONTACT_COUNT.pick(rng)):
        first, last = person(rng, c.country)
        if c.email and "@" + c.domain in c.email and rng.random() < 0.85:
            email = f"{slug(first)}.{slug(last)}@{c.domain}" if rng.random() < 0.7 else f"{slug(first)[0]}.{slug(last)}@{c.domain}"
        else:
            email = None
        tel = phone(rng, c.country, "", mobile=True).format(pick(rng, (0, 1))) if rng.random() < 0.6 else None
        rows.append(stamper.stamp({"ID": guid(rng), "Account": account["ID"], "FirstName": first, "LastName": last,
                                   "FullName": f"{first} {last}", "Email": email, "Phone": tel}))
    return rows


def countries(rng: random.Random, n: int, weights: dict[str, int]) -> list[str]:
    return rng.choices(list(weights), list(weights.values()), k=n)


def customers(rng: random.Random, stamper: Stamper, n: int, *, country_weights: dict[str, int],
              own_condition: float, first_code: int = FIRST_CUSTOMER_CODE,
              namesake_share: float = 0.0) -> tuple[list[Row], list[Row], dict[str, Company], set[str]]:
    """`n` customer accounts with contacts. `own_condition`: share with their own payment condition
    (the rest rely on the division default, or fail where there is none). About 1 % are blocked.
    `namesake_share` of the accounts take an earlier account's name in another city."""
    accounts: list[Row] = []
    contacts: list[Row] = []
    companies: dict[str, Company] = {}
    for i, country in enumerate(countries(rng, n, country_weights)):
        c = company(rng, country)
        row = account_row(rng, c, first_code + i, "C", pick(rng, (0, 0, 1, 4)))
        if rng.random() < own_condition:
            row["PaymentConditionSales"] = pick(rng, ("14", "30", "30", "60"))
        stamper.stamp(row)
        accounts.append(row)
        companies[row["ID"]] = c
    for row in rng.sample(accounts, min(len(accounts), max(2, n // 100))):
        row["Blocked"] = True
    namesakes = _namesakes(rng, accounts, companies, round(n * namesake_share)) if namesake_share else set()
    for row in accounts:
        contacts.extend(contact_rows(rng, stamper, row, companies[row["ID"]]))
    return accounts, contacts, companies, namesakes


def _namesakes(rng: random.Random, accounts: list[Row], companies: dict[str, Company], k: int) -> set[str]:
    """Give `k` accounts the name of another account of the same country in another city: the
    truly ambiguous cases ("Jansen Bouw B.V." in Zwolle and in Utrecht) a matcher must not guess."""
    found: set[str] = set()
    if len(accounts) < 4:
        return found
    for _ in range(max(2, k) * 3):
        if len(found) >= max(2, k) * 2:
            break
        a, b = rng.sample(accounts, 2)
        ca, cb = companies[a["ID"]], companies[b["ID"]]
        if a["ID"] in found or b["ID"] in found or ca.country != cb.country or ca.address.city == cb.address.city:
            continue
        cb.core, cb.form = ca.core, ca.form
        old_domain, cb.domain = cb.domain, f"{slug(ca.core)}-{slug(cb.address.city)}.{N.TLD[cb.country]}"
        if cb.email.endswith("@" + old_domain):
            cb.email = cb.email.split("@")[0] + "@" + cb.domain
        cb.website = f"www.{cb.domain}" if cb.website else ""
        b.update(Name=cb.name, Email=cb.email or None, Website=cb.website or None)
        found.update((a["ID"], b["ID"]))
    return found


def others(rng: random.Random, stamper: Stamper, n_suppliers: int, n_prospects: int) -> list[Row]:
    """Suppliers (Status A, IsSupplier) and prospects/suspects: accounts that are NOT customers."""
    rows = []
    for i, country in enumerate(countries(rng, n_suppliers, {"NL": 70, "BE": 10, "DE": 15, "GB": 5})):
        row = account_row(rng, company(rng, country), FIRST_SUPPLIER_CODE + i, "A", 0)
        row.update(IsSupplier=True, IsSales=False)
        rows.append(stamper.stamp(row))
    for i, country in enumerate(countries(rng, n_prospects, N.COUNTRY_WEIGHTS)):
        status = "P" if i % 3 else "S"
        rows.append(stamper.stamp(account_row(rng, company(rng, country), FIRST_PROSPECT_CODE + i, status, 0)))
    return rows


def exact_side(rng: random.Random, today: dt.date, n_customers: int) -> ExactSide:
    stamper = Stamper(rng, today)
    tables: dict[int, dict[str, list[Row]]] = {}
    side = ExactSide(division_rows(), {code for code, *_, granted in DIVISIONS if granted}, tables)
    for code, _, country, default, blocked, granted in DIVISIONS:
        data = master_data(rng, stamper)
        if code == MAIN_DIVISION:
            n, weights, share = n_customers, N.COUNTRY_WEIGHTS, 0.35
        elif code == SECOND_DIVISION:
            n, weights, share = max(20, n_customers // 20), {"BE": 70, "NL": 20, "DE": 5, "GB": 5}, 0.7
        else:
            n, weights, share = max(8, n_customers // 100), N.COUNTRY_WEIGHTS, 0.35
        accounts, contacts, companies, namesakes = customers(
            rng, stamper, n, country_weights=weights, own_condition=share,
            namesake_share=0.012 if code == MAIN_DIVISION else 0.0)
        if code == MAIN_DIVISION:
            side.companies, side.namesakes = companies, namesakes
            accounts += others(rng, stamper, max(6, n_customers // 25), max(4, n_customers // 50))
        else:
            accounts += others(rng, stamper, 3, 2)
        data["crm/Accounts"] = accounts
        data["crm/Contacts"] = contacts
        data["financial/Journals"].append(cashflow.purchase_journal(code))
        data.update(cashflow.seed_tables(code, today, accounts))  # currencies, rates, supplier terms
        tables[code] = data
    return side
