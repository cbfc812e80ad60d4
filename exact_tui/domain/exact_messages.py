"""Exact Online's validation messages: `<Kind>: <Field> (<qualifier>)`, in Dutch, English, German or French.

Exact answers a refused write with a text in the *Exact user's* language, e.g.
`Verplicht: Betalingsconditie`, `Invalid: Journal (type)` or, wrapped by older XML-based
integrations, `Onderwerp [GLTransactions] Verplicht: Betalingsconditie`. Matching whole strings
breaks on every new message, so this module finds the `Kind: Field` pair wherever it sits in the
text and normalises the kind to one English name. The client attaches the result to its
`ValidationError`; the diagnosis module maps (kind, field) to a cause and a remedy.

Pure: no I/O, no imports of ours.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class MessageKind(StrEnum):
    """The kinds of Exact validation messages, by their English name."""

    REQUIRED = "Required"
    INVALID = "Invalid"
    INVALID_REFERENCE = "Invalid reference"
    ALREADY_EXISTS = "Already exists"
    IN_USE = "In use"
    NOT_ALLOWED = "Not allowed"
    UNKNOWN = "Unknown"
    MISSING = "Missing"
    BLOCKED = "Blocked"
    NOT_FOUND = "Not found"
    INACTIVE = "Inactive"


# Every spelling Exact uses for a kind, with its language. Longer spellings first so that
# "Ongeldige referentie" wins over "Ongeldig" and "Invalid reference" over "Invalid".
KIND_SPELLINGS: dict[str, tuple[MessageKind, str]] = {
    "ongeldige referentie": (MessageKind.INVALID_REFERENCE, "nl"),
    "ongeldige ref.": (MessageKind.INVALID_REFERENCE, "nl"),
    "invalid reference": (MessageKind.INVALID_REFERENCE, "en"),
    "niet toegestaan": (MessageKind.NOT_ALLOWED, "nl"),
    "not allowed": (MessageKind.NOT_ALLOWED, "en"),
    "niet gevonden": (MessageKind.NOT_FOUND, "nl"),
    "not found": (MessageKind.NOT_FOUND, "en"),
    "bestaat reeds": (MessageKind.ALREADY_EXISTS, "nl"),
    "bestaat al": (MessageKind.ALREADY_EXISTS, "nl"),
    "already exists": (MessageKind.ALREADY_EXISTS, "en"),
    "in gebruik": (MessageKind.IN_USE, "nl"),
    "in use": (MessageKind.IN_USE, "en"),
    "verplicht": (MessageKind.REQUIRED, "nl"),
    "mandatory": (MessageKind.REQUIRED, "en"),
    "required": (MessageKind.REQUIRED, "en"),
    "ongeldig": (MessageKind.INVALID, "nl"),
    "invalid": (MessageKind.INVALID, "en"),
    "onbekend": (MessageKind.UNKNOWN, "nl"),
    "unknown": (MessageKind.UNKNOWN, "en"),
    "ontbrekend": (MessageKind.MISSING, "nl"),
    "missing": (MessageKind.MISSING, "en"),
    "geblokkeerd": (MessageKind.BLOCKED, "nl"),
    "blocked": (MessageKind.BLOCKED, "en"),
    "niet actief": (MessageKind.INACTIVE, "nl"),
    "non-actief": (MessageKind.INACTIVE, "nl"),
    "inactief": (MessageKind.INACTIVE, "nl"),
    "not active": (MessageKind.INACTIVE, "en"),
    "inactive": (MessageKind.INACTIVE, "en"),
    # German (Exact's DE user interface)
    "ungültige referenz": (MessageKind.INVALID_REFERENCE, "de"),
    "ungültiger verweis": (MessageKind.INVALID_REFERENCE, "de"),
    "pflichtfeld": (MessageKind.REQUIRED, "de"),
    "erforderlich": (MessageKind.REQUIRED, "de"),
    "obligatorisch": (MessageKind.REQUIRED, "de"),
    "verpflichtend": (MessageKind.REQUIRED, "de"),
    "ungültig": (MessageKind.INVALID, "de"),
    "existiert bereits": (MessageKind.ALREADY_EXISTS, "de"),
    "bereits vorhanden": (MessageKind.ALREADY_EXISTS, "de"),
    "in verwendung": (MessageKind.IN_USE, "de"),
    "bereits verwendet": (MessageKind.IN_USE, "de"),
    "in gebrauch": (MessageKind.IN_USE, "de"),
    "nicht erlaubt": (MessageKind.NOT_ALLOWED, "de"),
    "nicht zulässig": (MessageKind.NOT_ALLOWED, "de"),
    "unbekannt": (MessageKind.UNKNOWN, "de"),
    "fehlend": (MessageKind.MISSING, "de"),
    "fehlt": (MessageKind.MISSING, "de"),
    "gesperrt": (MessageKind.BLOCKED, "de"),
    "blockiert": (MessageKind.BLOCKED, "de"),
    "nicht gefunden": (MessageKind.NOT_FOUND, "de"),
    "nicht aktiv": (MessageKind.INACTIVE, "de"),
    "inaktiv": (MessageKind.INACTIVE, "de"),
    # French (Exact's FR / BE-fr user interface)
    "référence invalide": (MessageKind.INVALID_REFERENCE, "fr"),
    "référence non valide": (MessageKind.INVALID_REFERENCE, "fr"),
    "obligatoire": (MessageKind.REQUIRED, "fr"),
    "requis": (MessageKind.REQUIRED, "fr"),
    "non valide": (MessageKind.INVALID, "fr"),
    "invalide": (MessageKind.INVALID, "fr"),
    "existe déjà": (MessageKind.ALREADY_EXISTS, "fr"),
    "déjà utilisé": (MessageKind.IN_USE, "fr"),
    "en cours d'utilisation": (MessageKind.IN_USE, "fr"),
    "utilisé": (MessageKind.IN_USE, "fr"),
    "non autorisé": (MessageKind.NOT_ALLOWED, "fr"),
    "pas autorisé": (MessageKind.NOT_ALLOWED, "fr"),
    "non permis": (MessageKind.NOT_ALLOWED, "fr"),
    "inconnue": (MessageKind.UNKNOWN, "fr"),
    "inconnu": (MessageKind.UNKNOWN, "fr"),
    "manquante": (MessageKind.MISSING, "fr"),
    "manquant": (MessageKind.MISSING, "fr"),
    "bloquée": (MessageKind.BLOCKED, "fr"),
    "bloqué": (MessageKind.BLOCKED, "fr"),
    "introuvable": (MessageKind.NOT_FOUND, "fr"),
    "non trouvé": (MessageKind.NOT_FOUND, "fr"),
    "inactif": (MessageKind.INACTIVE, "fr"),
}

# Dutch field names seen in Exact's messages, with the English name the console shows next to
# the original. Unknown fields pass through unchanged.
FIELD_GLOSSARY: dict[str, str] = {
    "betalingsconditie": "Payment condition",
    "dagboek": "Journal",
    "boekjaar": "Fiscal year",
    "periode": "Period",
    "klant": "Customer",
    "relatie": "Account",
    "grootboekrekening": "GL account",
    "grootboekrekeningtype": "GL account type",
    "grootboek": "GL account",
    "btw-code": "VAT code",
    "btw code": "VAT code",
    "btw-percentage": "VAT percentage",
    "boekstuknummer": "Entry number",
    "factuurnummer": "Invoice number",
    "wisselkoers": "Exchange rate",
    "valuta": "Currency",
    "artikel": "Item",
    "kostenplaats": "Cost center",
    "kostendrager": "Cost unit",
    "leveren aan": "Deliver to",
    "besteld door": "Ordered by",
    "factuur voor": "Invoice to",
    "omschrijving": "Description",
    "naam": "Name",
    "code": "Code",
    "type": "Type",
    "gegeven": "Data",
    "datum": "Date",
    "bedrag": "Amount",
    "serie": "Series",
    "regels": "Lines",
    "aantal": "Quantity",
    "prijs": "Price",
    "eenheid": "Unit",
    "adres": "Address",
    "plaats": "City",
    "land": "Country",
    "telefoon": "Phone",
    "btw-nummer": "VAT number",
    "factuurdatum": "Invoice date",
    "boekdatum": "Entry date",
    "vervaldatum": "Due date",
    "contactpersoon": "Contact",
    "gebruiker": "User",
    "rekening": "Account",
    "debiteur": "Customer",
    "verkoopdagboek": "Sales journal",
    "leverancier": "Supplier",
    "administratie": "Division",
    "divisie": "Division",
    # German
    "zahlungsbedingung": "Payment condition",
    "tagebuch": "Journal",
    "journal": "Journal",
    "geschäftsjahr": "Fiscal year",
    "buchungsperiode": "Period",
    "kunde": "Customer",
    "sachkonto": "GL account",
    "hauptbuchkonto": "GL account",
    "mwst-code": "VAT code",
    "ust-code": "VAT code",
    "steuercode": "VAT code",
    "belegnummer": "Entry number",
    "buchungsnummer": "Entry number",
    "rechnungsnummer": "Invoice number",
    "währung": "Currency",
    "wechselkurs": "Exchange rate",
    "kostenstelle": "Cost center",
    "kostenträger": "Cost unit",
    "menge": "Quantity",
    "beschreibung": "Description",
    "benutzer": "User",
    # French
    "condition de paiement": "Payment condition",
    "conditions de paiement": "Payment condition",
    "exercice": "Fiscal year",
    "exercice comptable": "Fiscal year",
    "période": "Period",
    "client": "Customer",
    "compte général": "GL account",
    "compte": "Account",
    "code tva": "VAT code",
    "numéro de pièce": "Entry number",
    "numéro de facture": "Invoice number",
    "devise": "Currency",
    "taux de change": "Exchange rate",
    "article": "Item",
    "centre de coûts": "Cost center",
    "quantité": "Quantity",
    "utilisateur": "User",
}

_KIND_ALTERNATION = "|".join(re.escape(s) for s in sorted(KIND_SPELLINGS, key=len, reverse=True))

# `<Kind>: <Field> (<qualifier>) [<value>]` or `<Kind> - <Field>: <value>`. The kind must start a
# word (so "Invalid" inside "NotInvalid" or a field name does not match); the field runs until a
# bracket, a colon, a quote, a comma or the end of the clause.
_PAIR = re.compile(
    rf"(?<![\w-])(?P<kind>{_KIND_ALTERNATION})(?:\s*:\s*|\s+-\s+|(?<=\.)\s+)"
    r"(?P<field>[^()\[\]:'\"\n,;]*[^()\[\]:'\"\n,;\s])?"
    r"(?:\s*\((?P<qualifier>[^)]*)\))?"
    r"(?:\s*\[(?P<bracket>[^\]]*)\])?"
    r"(?:\s*:\s*(?P<value>[^'\"\n\[\]]*[^'\"\n\[\]\s]))?",
    re.IGNORECASE,
)

# The reversed Dutch/English shape: `Boekstuknummer in gebruik`, `Grootboekrekening is verplicht`,
# `Gegeven bestaat reeds`. Only accepted as a whole clause, as it is too loose otherwise.
_REVERSED = re.compile(
    r"^\s*(?P<field>[A-Za-zÀ-ÿ][\w\s/-]{0,60}?)\s+(?:is\s+|was\s+)?"
    rf"(?P<kind>{_KIND_ALTERNATION})\s*[.!]?\s*(?:\[[^\]]*\].*)?$",
    re.IGNORECASE,
)
# Whole sentences Exact uses for the same meanings without the `Kind: Field` shape.
_PHRASES: tuple[tuple[re.Pattern[str], MessageKind, str, str], ...] = (
    (re.compile(r"already a sales booking for this invoice number", re.I), MessageKind.IN_USE, "Entry number", "en"),
    (re.compile(r"(invoice|entry) number is already used", re.I), MessageKind.IN_USE, "Entry number", "en"),
    (re.compile(r"er is al een verkoopboeking (?:met|voor) dit factuurnummer", re.I), MessageKind.IN_USE, "Boekstuknummer", "nl"),
    (re.compile(r"booking number already exists", re.I), MessageKind.ALREADY_EXISTS, "Entry number", "en"),
    (re.compile(r"mandatory filtering", re.I), MessageKind.REQUIRED, "$filter", "en"),
)
_CLAUSE_SPLIT = re.compile(r"[\n;]|(?<=\.)\s+|'\s*|\"\s*")


@dataclass(frozen=True, slots=True)
class ExactMessage:
    """One `Kind: Field (qualifier)` pair found in an Exact text.

    `kind` is normalised to English; `kind_text`, `field` and `qualifier` are as Exact wrote them;
    `field_en` translates known Dutch field names so a rule can match either language; `value` is
    the offending value when Exact quoted it (`Invalid: Email []` has value "").
    """

    kind: MessageKind
    field: str
    qualifier: str | None = None
    value: str | None = None
    kind_text: str = ""
    language: str = "en"
    text: str = ""

    @property
    def field_en(self) -> str:
        return english_field(self.field)

    def summary(self) -> str:
        """`Required: Payment condition` — the pair in English, for one-line listings."""
        out = f"{self.kind}: {self.field_en}" if self.field else str(self.kind)
        if self.qualifier:
            out += f" ({english_field(self.qualifier)})"
        return out


def english_field(field: str) -> str:
    """The English name of a Dutch field name when known; otherwise the field unchanged."""
    return FIELD_GLOSSARY.get(field.strip().lower(), field.strip())


def _build(match: re.Match[str], text: str) -> ExactMessage:
    kind_text = match.group("kind")
    kind, language = KIND_SPELLINGS[kind_text.lower()]
    field = (match.group("field") or "").strip()
    qualifier = match.groupdict().get("qualifier")
    bracket = match.groupdict().get("bracket")
    value = match.groupdict().get("value")
    if value is None and bracket is not None:
        value = bracket
    return ExactMessage(
        kind=kind,
        field=field,
        qualifier=qualifier.strip() if qualifier is not None else None,
        value=value.strip() if value is not None else None,
        kind_text=kind_text,
        language=language,
        text=text,
    )


def parse_all(text: str | None) -> list[ExactMessage]:
    """Every `Kind: Field` pair in `text`, in order; [] when none is recognised."""
    if not text:
        return []
    found = [_build(m, text) for m in _PAIR.finditer(text)]
    if found:
        return found
    for clause in _CLAUSE_SPLIT.split(text):
        m = _REVERSED.match(clause)
        if m:
            found.append(_build(m, text))
    if found:
        return found
    for pattern, kind, field, language in _PHRASES:
        if pattern.search(text):
            return [ExactMessage(kind=kind, field=field, kind_text="", language=language, text=text)]
    return found


def parse(text: str | None) -> ExactMessage | None:
    """The first (innermost-meaningful) `Kind: Field` pair in `text`, or None.

    Wrapped messages carry their meaning in the inner pair, so the first *recognised* kind wins;
    words like `Element:`, `Topic:` or `Onderwerp [..]` are not kinds and are skipped.
    """
    found = parse_all(text)
    return found[0] if found else None
