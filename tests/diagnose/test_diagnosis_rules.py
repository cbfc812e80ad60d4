"""Every catalogue family gets its own explanation, in Dutch and English alike."""
import pytest

from exact_tui.diagnose import diagnose, diagnose_http, diagnose_oauth
from exact_tui.diagnose.rules import CONSOLE, EXACT, LOCAL


@pytest.mark.parametrize(
    "text, row",
    [
        ("Verplicht: Betalingsconditie", 30),
        ("Mandatory: Payment condition", 30),
        ("Element: GLTransaction, Topic: GLTransactions, Message: 'Onderwerp [GLTransactions] Verplicht: Betalingsconditie'", 30),
        ("Ongeldig: Dagboek (type)", 27),
        ("Invalid: Journal (type)", 27),
        ("Ongeldige referentie: Journals", 29),
        ("Onbekend: Boekjaar (Periode-datumtabel)", 25),
        ("Unknown: Fiscal year (Period - date table)", 25),
        ("Periode is afgesloten: 2025 – 3", 26),
        ("Niet toegestaan: Wisselkoers", 32),
        ("Ongeldig: Klant (Type)", 46),
        ("Invalid: Customer (Type)", 46),
        ("In gebruik: Boekstuknummer", 51),
        ("There is already a sales booking for this invoice number", 51),
        ("Niet toegestaan: Btw-code", 37),
        ("Geblokkeerd: Grootboekrekening", 42),
        ("De Exact Online divisie '123456' is niet opgenomen in de rechten die aan deze applicatie werden verleend", 14),
    ],
)
def test_known_messages_point_at_their_catalogue_row(text, row):
    assert row in diagnose(text).catalogue


def test_customer_field_errors_are_on_the_local_side():
    assert diagnose("Invalid: Email []").side == LOCAL


def test_unknown_text_is_shown_verbatim_not_swallowed():
    d = diagnose("Object reference not set")
    assert "Object reference not set" in d.summary and d.side == EXACT


def test_unknown_text_with_a_status_falls_back_to_the_status():
    assert diagnose("???", status=429).retry_later


@pytest.mark.parametrize(
    "reason, reconnect", [("BlockedUser", True), ("NoDivisionAccess", True), ("LicenseExpired", False), ("DivisionBlocked", False)]
)
def test_forbidden_reasons(reason, reconnect):
    d = diagnose_http(403, reason=reason)
    assert 12 in d.catalogue and d.reconnect is reconnect


@pytest.mark.parametrize(
    "error, description, reconnect, side",
    [
        ("invalid_grant", "The user is not active", True, EXACT),
        ("unauthorized_client", "Old refresh token used.", True, CONSOLE),
        ("invalid_request", "The refresh token expired at 10/11/2022 9:18:20 PM and it is now 10/28/2022 4:15:50 PM.", True, EXACT),
        ("access_denied", "Rate limit exceeded: access_token not expired", False, CONSOLE),
    ],
)
def test_oauth_refusals(error, description, reconnect, side):
    d = diagnose_oauth(error, description)
    assert d.reconnect is reconnect and d.side == side


def test_lines_name_cause_remedy_side_and_row():
    text = "\n".join(diagnose("Verplicht: Betalingsconditie").lines())
    assert "Cause:" in text and "What to do:" in text and "#30" in text and "Side: exact" in text
