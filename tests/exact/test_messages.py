"""The `<Kind>: <Field> (<qualifier>)` parser, in Dutch and English, bare and wrapped."""
import pytest

from exact_tui.domain.exact_messages import MessageKind, parse, parse_all

CASES = [
    ("Verplicht: Betalingsconditie", MessageKind.REQUIRED, "Betalingsconditie", None, "nl"),
    ("Mandatory: Due date / Payment condition", MessageKind.REQUIRED, "Due date / Payment condition", None, "en"),
    ("Required: general ledger account", MessageKind.REQUIRED, "general ledger account", None, "en"),
    ("Invalid: Journal (type)", MessageKind.INVALID, "Journal", "type", "en"),
    ("Ongeldig: Dagboek (type)", MessageKind.INVALID, "Dagboek", "type", "nl"),
    ("Ongeldig: Klant (Type)", MessageKind.INVALID, "Klant", "Type", "nl"),
    ("Ongeldige referentie: Journals", MessageKind.INVALID_REFERENCE, "Journals", None, "nl"),
    ("Invalid reference: Cost unit", MessageKind.INVALID_REFERENCE, "Cost unit", None, "en"),
    ("In gebruik: Boekstuknummer", MessageKind.IN_USE, "Boekstuknummer", None, "nl"),
    ("In use: Document number", MessageKind.IN_USE, "Document number", None, "en"),
    ("Niet toegestaan: Wisselkoers", MessageKind.NOT_ALLOWED, "Wisselkoers", None, "nl"),
    ("Not allowed: VAT code", MessageKind.NOT_ALLOWED, "VAT code", None, "en"),
    ("Onbekend: Boekjaar (Periode-datumtabel)", MessageKind.UNKNOWN, "Boekjaar", "Periode-datumtabel", "nl"),
    ("Unknown: Fiscal year (Period - date table)", MessageKind.UNKNOWN, "Fiscal year", "Period - date table", "en"),
    ("Ontbrekend: Btw code", MessageKind.MISSING, "Btw code", None, "nl"),
    ("Geblokkeerd: Grootboekrekening", MessageKind.BLOCKED, "Grootboekrekening", None, "nl"),
    ("Niet gevonden: Relatie", MessageKind.NOT_FOUND, "Relatie", None, "nl"),
    ("Bestaat reeds: Code", MessageKind.ALREADY_EXISTS, "Code", None, "nl"),
]


@pytest.mark.parametrize("text,kind,field,qualifier,language", CASES)
def test_bare_messages(text, kind, field, qualifier, language):
    found = parse(text)
    assert found is not None
    assert (found.kind, found.field, found.qualifier, found.language) == (kind, field, qualifier, language)


@pytest.mark.parametrize("text,kind,field", [
    ("Onderwerp [GLTransactions] Verplicht: Betalingsconditie", MessageKind.REQUIRED, "Betalingsconditie"),
    ("Element: GLTransaction, Topic: GLTransactions, Message: 'Onderwerp [GLTransactions] Verplicht: Betalingsconditie'",
     MessageKind.REQUIRED, "Betalingsconditie"),
    ("Topic [GLTransactions] Unknown: Financial year (Period-date table)", MessageKind.UNKNOWN, "Financial year"),
    ("Laag (9.0%): Ongeldig: Type (Rekening af te dragen btw)", MessageKind.INVALID, "Type"),
    ("Couldn't create Exact Online customer: 'Invalid: Email []' [500]", MessageKind.INVALID, "Email"),
])
def test_wrapped_messages_find_the_inner_pair(text, kind, field):
    found = parse(text)
    assert found is not None and (found.kind, found.field) == (kind, field)


def test_value_and_english_field_names():
    found = parse("Ongeldig: Btw-percentage []")
    assert found.value == "" and found.field_en == "VAT percentage"
    assert parse("Blocked: Ledger account: 85071 - Turnover Cafeteria").value == "85071 - Turnover Cafeteria"
    assert parse("Verplicht: Betalingsconditie").summary() == "Required: Payment condition"


def test_reversed_and_sentence_forms():
    assert parse("Boekstuknummer in gebruik").kind is MessageKind.IN_USE
    assert parse("Grootboekrekening is verplicht").kind is MessageKind.REQUIRED
    assert parse("There is already a sales booking for this invoice number").kind is MessageKind.IN_USE


@pytest.mark.parametrize("text", ["", None, "Invoer 17: Het bedrag van de BTW regel", "Klant: non-actief",
                                  "Forbidden", "NotInvalid: x", "Element: GLTransaction, Topic: GLTransactions"])
def test_texts_without_a_kind(text):
    assert parse(text) is None


def test_several_pairs_are_all_found():
    found = parse_all("Verplicht: Dagboek; Ongeldig: Klant (Type)")
    assert [(m.kind, m.field) for m in found] == [(MessageKind.REQUIRED, "Dagboek"), (MessageKind.INVALID, "Klant")]
