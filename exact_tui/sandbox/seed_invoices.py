"""The local side's products and invoices (seed_local.py has the customers): the dimensions an
invoice line can carry (hourly rates, task types, project types and categories, expense types) with
the Exact item each maps to, and the booked invoices and credit notes of every local customer — the
shares and shapes seed_local.py's docstring lists under "Invoices".
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from exact_tui.domain.customer import LocalCustomer
from exact_tui.domain.invoice import Invoice, InvoiceKind, InvoiceLine
from exact_tui.domain.products import DataType, Dimension, DimensionKind

from .seed_people import Weighted, pick, randint

INVOICES_PER_CUSTOMER = 0.8
CREDIT_SHARE = 0.06


# ------------------------------------------------------------------------------------- dimensions

# kind, id, name, Exact item code ("" = not mapped), price in EUR
DIMENSIONS = [
    (DimensionKind.HOURLY_RATE, "hr-01", "Senior consultant", "CONS-SR", "145.00"),
    (DimensionKind.HOURLY_RATE, "hr-02", "Consultant", "CONS", "118.00"),
    (DimensionKind.HOURLY_RATE, "hr-03", "Junior consultant", "CONS-JR", "89.00"),
    (DimensionKind.HOURLY_RATE, "hr-04", "Projectmanager", "PM", "125.00"),
    (DimensionKind.HOURLY_RATE, "hr-05", "Architect", "ARCH", "155.00"),
    (DimensionKind.HOURLY_RATE, "hr-06", "Developer", "DEV", "105.00"),
    (DimensionKind.HOURLY_RATE, "hr-07", "Senior developer", "DEV-SR", "130.00"),
    (DimensionKind.HOURLY_RATE, "hr-08", "Tester", "TEST", "85.00"),
    (DimensionKind.HOURLY_RATE, "hr-09", "Trainer", "TRAIN", "110.00"),
    (DimensionKind.HOURLY_RATE, "hr-10", "Supportmedewerker", "SUPPORT", "75.00"),
    (DimensionKind.HOURLY_RATE, "hr-11", "Consultant (dagtarief)", "CONS-DAG", "118.00"),  # item not divisible
    (DimensionKind.HOURLY_RATE, "hr-12", "Externe consultant", "CONS-EXT", "135.00"),  # item without revenue GL
    (DimensionKind.HOURLY_RATE, "hr-13", "Consultant (tarief 2022)", "OUD-TARIEF", "98.00"),  # inactive item
    (DimensionKind.HOURLY_RATE, "hr-14", "Data-analist", "", "112.00"),
    (DimensionKind.HOURLY_RATE, "hr-15", "Stagiair", "", "45.00"),
    (DimensionKind.PROJECT_TYPE, "pt-01", "Vaste prijs", "FIX-PRJ", "0"),
    (DimensionKind.PROJECT_TYPE, "pt-02", "Nacalculatie", "", "0"),
    (DimensionKind.PROJECT_TYPE, "pt-03", "Detachering", "DETACH", "0"),
    (DimensionKind.PROJECT_TYPE, "pt-04", "Strippenkaart", "", "0"),
    (DimensionKind.PROJECT_TYPE, "pt-05", "Abonnement", "SUP-MND", "0"),
    (DimensionKind.PROJECT_CATEGORY, "pc-01", "Implementatie", "CONS", "0"),
    (DimensionKind.PROJECT_CATEGORY, "pc-02", "Onderhoud", "SUPPORT", "0"),
    (DimensionKind.PROJECT_CATEGORY, "pc-03", "Advies", "CONS-SR", "0"),
    (DimensionKind.PROJECT_CATEGORY, "pc-04", "Maatwerk", "DEV", "0"),
    (DimensionKind.PROJECT_CATEGORY, "pc-05", "Opleiding", "TRAIN", "0"),
    (DimensionKind.PROJECT_CATEGORY, "pc-06", "Overig", "", "0"),
    (DimensionKind.EXPENSE_TYPE, "et-01", "Kilometers", "KM", "0.23"),
    (DimensionKind.EXPENSE_TYPE, "et-02", "Reiskosten OV", "REISK", "0"),
    (DimensionKind.EXPENSE_TYPE, "et-03", "Hotel", "HOTEL", "0"),
    (DimensionKind.EXPENSE_TYPE, "et-04", "Parkeren", "PARK", "0"),  # item with an inclusive VAT code
    (DimensionKind.EXPENSE_TYPE, "et-05", "Maaltijden", "MAALTIJD", "0"),
    (DimensionKind.EXPENSE_TYPE, "et-06", "Licenties", "LIC-JR", "0"),
    (DimensionKind.EXPENSE_TYPE, "et-07", "Hosting", "HOSTING", "0"),  # item without revenue GL
    (DimensionKind.EXPENSE_TYPE, "et-08", "Hardware", "HW-INKOOP", "0"),  # not a sales item
    (DimensionKind.EXPENSE_TYPE, "et-09", "Diversen", "", "0"),
    (DimensionKind.TASK_TYPE, "tt-01", "Analyse", "ANALYSE", "115.00"),
    (DimensionKind.TASK_TYPE, "tt-02", "Ontwikkeling", "DEV", "105.00"),
    (DimensionKind.TASK_TYPE, "tt-03", "Testen", "TEST", "85.00"),
    (DimensionKind.TASK_TYPE, "tt-04", "Overleg", "", "118.00"),
    (DimensionKind.TASK_TYPE, "tt-05", "Reistijd", "REIS-U", "59.00"),
    (DimensionKind.TASK_TYPE, "tt-06", "Documentatie", "", "95.00"),
    (DimensionKind.TASK_TYPE, "tt-07", "Workshop", "WORKSHOP", "140.00"),  # item not divisible
    (DimensionKind.TASK_TYPE, "tt-08", "Projectmanagement", "PM", "125.00"),
    (DimensionKind.TASK_TYPE, "tt-09", "Advies buitenland", "EXPORT-U", "150.00"),
]


def dimensions() -> list[Dimension]:
    return [Dimension(kind, did, name, item) for kind, did, name, item, _ in DIMENSIONS]


# -------------------------------------------------------------------------------------- invoices

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"]
_DATA_TYPES = {DataType.TIME_MATERIAL: 55, DataType.FIXED_PRICE: 10, DataType.EXPENSES: 12, DataType.TRAVEL: 8,
               DataType.MILEAGE: 8, DataType.SUBSCRIPTION: 7}
_BY_KIND: dict[DimensionKind, list[tuple]] = {}
for _d in DIMENSIONS:
    _BY_KIND.setdefault(_d[0], []).append(_d)
_EXPENSES = [d for d in _BY_KIND[DimensionKind.EXPENSE_TYPE] if d[1] not in ("et-01", "et-02")]
_EXPENSE_PRICE = {"et-03": (89, 189), "et-04": (4, 38), "et-05": (12, 85), "et-06": (250, 2400), "et-07": (45, 450),
                  "et-08": (350, 1900), "et-09": (5, 150)}
_CENT = Decimal("0.01")
_TIME_KIND = Weighted({DimensionKind.HOURLY_RATE: 70, DimensionKind.TASK_TYPE: 20, DimensionKind.PROJECT_CATEGORY: 10})
_TYPE_PICK = Weighted(_DATA_TYPES)


def _vat_for(cust: LocalCustomer) -> str:
    if cust.country == "NL" or not cust.country:
        return "1"
    if cust.country == "GB":
        return "6"
    return "5" if cust.vat else "1"


def _line(rng: random.Random, data_type: DataType, when: dt.date, vat: str, discount: Decimal) -> InvoiceLine:
    period = f"{MONTHS_NL[when.month - 1]} {when.year}"
    if data_type == DataType.TIME_MATERIAL:
        kind = _TIME_KIND.pick(rng)
        dim = pick(rng, _BY_KIND[kind])
        hours = Decimal(randint(rng, 1, 200)) / 4
        price = Decimal(dim[4]) if dim[4] != "0" else Decimal("118.00")
        line = InvoiceLine(f"{dim[2]} — {period}", hours, (price * discount).quantize(_CENT), vat, data_type, kind, dim[1])
        if rng.random() < 0.12:
            line.product_number = pick(rng, ("CONS", "CONS-SR", "DEV", "PM", "CONS-DAG"))
        return line
    if data_type == DataType.FIXED_PRICE:
        dim = pick(rng, [d for d in _BY_KIND[DimensionKind.PROJECT_TYPE] if d[1] in ("pt-01", "pt-03", "pt-04")])
        term = randint(rng, 1, 4)
        price = Decimal(rng.randrange(1500, 25000, 250)).quantize(_CENT)
        return InvoiceLine(f"{dim[2]}: termijn {term} van 4", Decimal(1), price, vat, data_type,
                           DimensionKind.PROJECT_TYPE, dim[1])
    if data_type == DataType.EXPENSES:
        dim = pick(rng, _EXPENSES)
        low, high = _EXPENSE_PRICE[dim[1]]
        price = Decimal(rng.randrange(low * 100, high * 100)) / 100
        quantity = Decimal(randint(rng, 1, 3)) if dim[1] in ("et-03", "et-05") else Decimal(1)
        code = {"et-03": "2", "et-05": "2", "et-04": "4"}.get(dim[1], vat) if vat == "1" else vat
        return InvoiceLine(f"{dim[2]} {period}", quantity, price, code, data_type, DimensionKind.EXPENSE_TYPE, dim[1])
    if data_type == DataType.TRAVEL:
        if rng.random() < 0.5:
            hours = Decimal(randint(rng, 2, 16)) / 4
            return InvoiceLine(f"Reistijd {period}", hours, Decimal("59.00"), vat, data_type, DimensionKind.TASK_TYPE,
                               "tt-05")
        price = Decimal(rng.randrange(450, 8990)) / 100
        return InvoiceLine(f"Reiskosten OV {period}", Decimal(1), price, vat, data_type, DimensionKind.EXPENSE_TYPE,
                           "et-02")
    if data_type == DataType.MILEAGE:
        km = Decimal(randint(rng, 12, 420))
        if rng.random() < 0.1:
            km += Decimal(randint(rng, 1, 9)) / 10
        return InvoiceLine(f"Kilometers {period}", km, Decimal("0.23"), vat, data_type, DimensionKind.EXPENSE_TYPE,
                           "et-01")
    item = pick(rng, ("SUP-MND", "SUP-MND", "LIC-JR", "HOSTING"))
    months = Decimal(pick(rng, (1, 1, 3, 12))) if item != "LIC-JR" else Decimal(1)
    price = Decimal(rng.randrange(95, 2400)).quantize(_CENT)
    return InvoiceLine({"SUP-MND": "Supportcontract", "LIC-JR": "Jaarlicentie", "HOSTING": "Hosting"}[item] + f" {period}",
                       months, price, vat, data_type, None, "", item)


def invoices(rng: random.Random, today: dt.date, customers: list[LocalCustomer]) -> list[Invoice]:
    """Booked invoices and credit notes, numbered per year in date order."""
    if not customers:
        return []
    active = rng.sample(customers, max(1, int(len(customers) * 0.6)))
    count = max(min(40, 5 * len(customers)), int(len(customers) * INVOICES_PER_CUSTOMER))
    docs: list[Invoice] = []
    credits: list[tuple[Invoice, Invoice]] = []
    old = count // 200 if count >= 40 else 0  # booked before the first fiscal year Exact has
    for n in range(count):
        cust = pick(rng, active)
        when = today - dt.timedelta(days=randint(rng, 1, 425)) if n >= old else \
            dt.date(today.year - 2, 12, randint(rng, 1, 28))
        vat = _vat_for(cust)
        discount = Decimal(1) - Decimal(pick(rng, (0, 0, 0, 5, 10))) / 100
        lines = [_line(rng, t, when, vat, discount) for t in [_TYPE_PICK.pick(rng) for _ in range(pick(rng, (1, 1, 2, 2, 3, 4, 5)))]]
        roll = rng.random()
        ref = f"PO-45{rng.randrange(10 ** 7, 10 ** 8)}" if roll < 0.4 else (
            f"Inkooporder {when.year}-{randint(rng, 1, 999):03d}" if roll < 0.55 else "")
        inv = Invoice("", "", cust.id, when, InvoiceKind.INVOICE, cust.currency, ref,
                      f"Werkzaamheden {MONTHS_NL[when.month - 1]} {when.year}", "", lines)
        docs.append(inv)
        if rng.random() < CREDIT_SHARE:
            credit_day = min(today, when + dt.timedelta(days=randint(rng, 3, 45)))
            if rng.random() < 0.5:
                credit_lines = [InvoiceLine(line.description, -line.quantity, line.unit_price, line.vat_code,
                                            line.data_type, line.dimension_kind, line.dimension_id, line.product_number)
                                for line in lines]
            else:
                first = lines[0]
                part = max(Decimal("0.25"), (first.quantity / 2).quantize(Decimal("0.25")))
                credit_lines = [InvoiceLine(f"Correctie: {first.description}", -part, first.unit_price, first.vat_code,
                                            first.data_type, first.dimension_kind, first.dimension_id,
                                            first.product_number)]
            note = Invoice("", "", cust.id, credit_day, InvoiceKind.CREDIT_NOTE, cust.currency, ref, "", "",
                           credit_lines)
            docs.append(note)
            credits.append((note, inv))
    docs.sort(key=lambda d: (d.date, d.kind == InvoiceKind.CREDIT_NOTE))
    per_year: dict[int, int] = {}
    for n, doc in enumerate(docs, 1):
        per_year[doc.date.year] = per_year.get(doc.date.year, 0) + 1
        doc.id = f"inv-{n:07d}"
        doc.number = f"{doc.date.year % 100:02d}{per_year[doc.date.year]:05d}"
    for note, original in credits:
        note.credits_invoice = original.number
        note.description = f"Creditnota op factuur {original.number}"
    return docs
