"""Exact's error texts in the user's language, and the exception that carries them to the answer.

Business-rule texts follow Exact's `<Kind>: <Field> (<qualifier>)` shape (exact-error-catalogue.md),
so the console's diagnosis parser meets in the sandbox the same shapes it meets in production.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# key -> (Dutch, English). `{…}` placeholders are filled from SandboxError.args.
TEXTS: dict[str, tuple[str, str]] = {
    # --- business rules (HTTP 500 in Exact) ---
    "journal_required": ("Verplicht: Dagboek", "Required: Journal"),
    "journal_unknown": ("Ongeldige referentie: Dagboek", "Invalid reference: Journal"),
    "journal_type": ("Ongeldig: Dagboek (type)", "Invalid: Journal (type)"),
    "currency_not_allowed": ("Niet toegestaan: Valuta (dagboek {journal})", "Not allowed: Currency (journal {journal})"),
    "customer_required": ("Verplicht: Klant", "Required: Customer"),
    "ordered_by_required": ("Verplicht: Besteld door", "Required: Ordered by"),
    "customer_unknown": ("Ongeldige referentie: Klant", "Invalid reference: Customer"),
    "customer_type": ("Ongeldig: Klant (Type)", "Invalid: Customer (Type)"),
    "customer_blocked": ("Geblokkeerd: Klant", "Blocked: Customer"),
    "payment_condition_required": ("Verplicht: Betalingsconditie", "Mandatory: Payment condition"),
    "payment_condition_unknown": ("Ongeldige referentie: Betalingsconditie", "Invalid reference: Payment condition"),
    "fiscal_year_unknown": ("Onbekend: Boekjaar (Periode-datumtabel)", "Unknown: Fiscal year (Period - date table)"),
    "period_closed": ("Periode is afgesloten: {year} – {period}", "Period is closed: {year} – {period}"),
    "entry_number_in_use": ("In gebruik: Boekstuknummer", "In use: Document number"),
    "invoice_number_in_use": (
        "Er is al een verkoopboeking voor dit factuurnummer",
        "There is already a sales booking for this invoice number",
    ),
    "lines_required": ("Verplicht: Regels", "Required: Lines"),
    "lines_on_put": ("Niet toegestaan: Regels (wijzig via {lines})", "Not allowed: Lines (change through {lines})"),
    "gl_required": ("Verplicht: Grootboekrekening", "Required: general ledger account"),
    # catalogue #41: a sales line on a cash, receivable, VAT … account
    "gl_wrong_type": (
        "Ongeldig: Grootboekrekeningtype (grootboekrekening '{code}' is van het type '{type}')",
        "Ledger account '{code}' is of a wrong type: '{type}'",
    ),
    "entry_of_invoice": (
        "Niet toegestaan: Verwijderen (boeking van verwerkte verkoopfactuur {number}; maak een creditfactuur)",
        "Not allowed: Delete (entry of processed sales invoice {number}; create a credit note)",
    ),
    "gl_unknown": ("Ongeldige referentie: Grootboekrekening", "Invalid reference: General ledger account"),
    # catalogue #42: the blocked account is named as "<code> - <description>"
    "gl_blocked": ("Geblokkeerd: Grootboekrekening: {gl}", "Blocked: Ledger account: {gl}"),
    "item_required": ("Verplicht: Artikel", "Required: Item"),
    "item_unknown": ("Ongeldige referentie: Artikel", "Invalid reference: Item"),
    "item_inactive": ("Ongeldig: Artikel ({item} is niet actief: {since})", "Invalid: Item ({item} is not active: {since})"),
    "item_not_sales": ("Ongeldig: Artikel ({item} is geen verkoopartikel)", "Invalid: Item ({item} is not a sales item)"),
    "item_not_divisible": ("Ongeldig: Aantal (artikel {item} is niet deelbaar)", "Invalid: Quantity (item {item} is not divisible)"),
    "vat_unknown": ("Ongeldige referentie: Btw-code", "Invalid reference: VAT code"),
    "vat_inclusive": (
        "Het bedrag van de BTW regel met BTW code {code} komt niet overeen met het totaal aan BTW-bedragen in de grondslagregels",
        "The amount of the VAT line with VAT code {code} does not match the total of the VAT amounts in the base lines",
    ),
    "name_required": ("Verplicht: Naam", "Required: Name"),
    "code_exists": ("Bestaat reeds: Code ({code})", "Already exists: Code ({code})"),
    "code_in_put": ("Gegeven bestaat reeds", "Data already exists"),
    "status_invalid": ("Ongeldig: Status ({value})", "Invalid: Status ({value})"),
    "account_required": ("Verplicht: Relatie", "Required: Account"),
    "account_unknown": ("Ongeldige referentie: Relatie", "Invalid reference: Account"),
    "processed_readonly": ("Niet toegestaan: Status (verwerkt)", "Not allowed: Status (processed)"),
    "delete_paid": ("Niet toegestaan: Verwijderen (afgeletterd of betaald)", "Not allowed: Delete (matched or paid)"),
    "invoice_unknown": ("Ongeldige referentie: Factuur", "Invalid reference: Invoice"),
    "callback_https": ("Ongeldig: CallbackURL (https vereist)", "Invalid: CallbackURL (https required)"),
    "field_required": ("Verplicht: {field}", "Required: {field}"),
    "field_required_named": ("Verplicht: {field_nl}", "Required: {field_en}"),
    "field_readonly": ("Niet toegestaan: {field} (alleen lezen)", "Not allowed: {field} (read-only)"),
    # --- malformed requests (HTTP 400) ---
    "bad_guid": ("Niet herkende GUID-indeling: {value}", "Unrecognized Guid format: {value}"),
    "bad_json": ("Ongeldige JSON in de body: {detail}", "Invalid JSON in request body: {detail}"),
    "bad_value": ("Ongeldige waarde voor {field}: {value}", "Invalid value for {field}: {value}"),
    "bad_query": ("{detail}", "{detail}"),
    "unknown_property": (
        "Kan geen eigenschap met de naam '{field}' vinden op type '{entity}'.",
        "Could not find a property named '{field}' on type '{entity}'.",
    ),
    "mandatory_filter": (
        "This endpoint has mandatory filtering applied. A GET request for this endpoint must have a $filter "
        "parameter with one of the following fields in the url:{fields}.",
    ) * 2,
    "select_required": (
        "$select is verplicht voor dit endpoint. Geef de velden op die u nodig hebt.",
        "This endpoint requires a $select parameter. Specify the fields you need.",
    ),
    "sync_filter": (
        "Sync-endpoints accepteren alleen $filter=Timestamp gt <waarde>.",
        "Sync endpoints accept only $filter=Timestamp gt <value>.",
    ),
    "url_too_long": (
        "De URL is te lang ({length} tekens; maximaal {limit})", "The request URL is too long ({length} characters; at most {limit})",
    ),
    "request_too_large": (
        "Het verzoek is te groot (maximaal {limit} bytes)", "The request is too large (at most {limit} bytes)",
    ),
    "method_not_allowed": ("Methode {method} is niet toegestaan op {path}", "Method {method} is not allowed on {path}"),
    # --- 401/403/404/429 ---
    "unauthorized": ("Niet gemachtigd", "Unauthorized"),
    "forbidden": ("Forbidden", "Forbidden"),
    "division_not_granted": (
        "De Exact Online divisie '{division}' is niet opgenomen in de rechten die aan deze applicatie werden verleend",
        "The Exact Online division '{division}' is not included in the rights granted to this application",
    ),
    "no_division_access": ("Forbidden", "Forbidden"),
    "scope_violated": ("Application Scope Violated. Cannot {action}", "Application Scope Violated. Cannot {action}"),
    "not_found": ("Niet gevonden: {entity}", "Not found: {entity}"),
    "path_not_found": ("Niet gevonden: {path}", "Not found: {path}"),
    "too_many_requests": ("Too Many Requests", "Too Many Requests"),
}


@dataclass
class SandboxError(Exception):
    """An Exact error answer: HTTP status, catalogue key, placeholders, optional `Reason` header."""

    status: int
    key: str
    args_: dict[str, object] = field(default_factory=dict)
    reason: str | None = None

    def text(self, language: str) -> str:
        nl, en = TEXTS[self.key]
        template = nl if language == "nl" else en
        return template.format(**self.args_) if self.args_ else template

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.status} {self.text('en')}"


def fail(status: int, key: str, reason: str | None = None, **args: object) -> SandboxError:
    """Build an error to `raise`: `raise fail(500, "journal_type")`."""
    return SandboxError(status, key, dict(args), reason)


def lang_tag(language: str) -> str:
    return "nl-NL" if language == "nl" else "en-US"
