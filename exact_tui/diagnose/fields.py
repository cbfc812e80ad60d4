"""Where a field lives: who must act when Exact refuses it, and the exact place to fix it.

A message we have never seen still names a field (`Verplicht: Serie`, `Ungültig: Kostenstelle`).
The field's family decides the side — the local data (names, addresses, amounts, dates come from
the time-tracking system), Exact's set-up (journals, VAT codes, G/L accounts, items, periods,
rights) or our own request (keys, query options) — and where the user goes to fix it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.exact_messages import english_field
from .model import CONSOLE, EXACT, LOCAL

LOCAL_FIX = ("on the local side: the customer in your time-tracking system, then `exact-tui import customers` "
             "(or correct it on the customer card, F3, and push it with ctrl+s)")
INVOICE_FIX = "the invoice in your time-tracking system, then `exact-tui import invoices` and transfer it again"


@dataclass(frozen=True, slots=True)
class Place:
    """A family of fields: its name, who must act, and where the fix is made."""

    name: str
    pattern: re.Pattern[str]
    side: str
    where: str


def _place(name: str, pattern: str, side: str, where: str) -> Place:
    return Place(name, re.compile(pattern, re.I), side, where)


# Order matters: the first family whose pattern meets the field (in Exact's words or in English) wins.
PLACES: tuple[Place, ...] = (
    _place("request", r"^\$|\bguid\b|^id$|\bid$|odata|\burl\b|\bjson\b|\bbody\b|edm\.|datetime$|property|eigenschap|"
           r"segment|endpoint", CONSOLE, "exact-tui's own request"),
    _place("customer data", r"e-?mail|\bname\b|\bnaam\b|address|adres|street|straat|postcode|zip|city|\bplaats\b|"
           r"country|\bland\b|phone|telefoon|website|chamber|kvk|coc|vat ?number|btw-?nummer|ustid|iban|bank|"
           r"first ?name|last ?name|voornaam|achternaam|rue|ville|pays|strasse|stadt", LOCAL, LOCAL_FIX),
    _place("contact", r"contact|ansprechpartner|contactpersoon", LOCAL,
           "the local contact, then link or create it from the customer card (F3 → contacts)"),
    _place("journal", r"journal|dagboek|diary|tagebuch", EXACT,
           "console step 3 (Sales journal), or in Exact: Master data → Financial → Journals"),
    _place("currency", r"currenc|valuta|währung|devise|exchange rate|wisselkoers|wechselkurs|taux de change", EXACT,
           "in Exact: Master data → Financial → Journals (variable currency / exchange rate on the sales journal) "
           "and Financial → Currencies; or a journal that allows it in step 3"),
    _place("payment condition", r"payment (condition|term)|betalingsconditie|betalingsvoorwaarde|zahlungsbedingung|"
           r"condition de paiement|due date|vervaldatum", EXACT,
           "in Exact: Master data → Financial → Payment conditions, with a default under Settings → "
           "Financial (or on the Exact account)"),
    _place("period", r"fiscal|financial year|boekjaar|period|periode|période|geschäftsjahr|exercice", EXACT,
           "in Exact: Master data → Financial → Period-date table (create the year, open the period)"),
    _place("VAT", r"\bvat\b|\bbtw\b|btw-|tax|mwst|\bust\b|ust-|tva|steuer", EXACT,
           "in Exact: Master data → Financial → VAT codes (type, percentage, sales use), and the VAT code of the "
           "items in step 6"),
    _place("G/L account", r"g/?l\b|general ledger|ledger|grootboek|sachkonto|hauptbuch|compte général|revenue|omzet",
           EXACT, "in Exact: Master data → Financial → G/L accounts, and the item's revenue G/L account "
                  "(Master data → Logistics → Items)"),
    _place("cost centre", r"cost ?cent|cost unit|kostenplaats|kostendrager|kostenstelle|kostenträger|centre de co",
           EXACT, "in Exact: Master data → Financial → Cost centers / Cost units"),
    _place("item", r"\bitem|artikel|article|product|\bunit\b|eenheid", EXACT,
           "in Exact: Master data → Logistics → Items, and the product numbers in steps 6–7"),
    _place("invoice line", r"quantit|aantal|menge|\bprice\b|prijs|preis|prix|amount|bedrag|betrag|montant|"
           r"lines?\b|regels?\b|description|omschrijving|beschreibung|discount|korting", LOCAL, INVOICE_FIX),
    _place("date", r"date|datum", LOCAL, INVOICE_FIX),
    _place("entry number", r"entry|booking|boekstuk|invoice ?number|factuurnummer|document ?number|beleg|buchung|"
           r"numéro|your ?ref", EXACT,
           "in Exact: Financial → Entries (search the number) and the console's Transfers screen"),
    _place("rights", r"user|gebruiker|benutzer|utilisateur|rights|rechten|licen[cs]e|licentie|division|divisie|"
           r"administratie|company|bedrijf|scope|permission", EXACT,
           "in Exact: Users → Rights of the linked user, Security Centre → App permissions → Manage companies, "
           "and the licence; then connect again in step 1"),
    _place("account", r"customer|klant|kunde|client|relatie|relation|account|debiteur|rekening|invoice ?to|ordered ?by|"
           r"deliver ?to|factuur voor|besteld door|leveren aan|supplier|leverancier", EXACT,
           "in Exact: CRM → Accounts (the linked account), and the link in step 4 or on the customer card (F3)"),
    _place("code", r"\bcode\b", EXACT, "in Exact: the record with this code, or the link on the customer card (F3)"),
)

UNKNOWN_PLACE = Place("field", re.compile("$^"), EXACT,
                      "the record Exact names, in Exact or in the local data (the log line shows which record)")


def place_of(field: str) -> Place:
    """The family of `field` (in any of Exact's languages); `UNKNOWN_PLACE` when none fits."""
    if not field:
        return UNKNOWN_PLACE
    words = f"{field} | {english_field(field)}"
    for place in PLACES:
        if place.pattern.search(words):
            return place
    return UNKNOWN_PLACE
