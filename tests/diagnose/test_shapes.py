"""Exact's answers in every coat and language, and messages no rule has seen: kind, field and side from the shape."""
import json

import pytest

from exact_tui.cli import main
from exact_tui.diagnose import KINDS, diagnose

ENVELOPE = json.dumps({"error": {"code": "", "message": {"lang": "nl-NL", "value": "Verplicht: Betalingsconditie"}}})


@pytest.mark.parametrize("text", [
    "Verplicht: Betalingsconditie",
    ENVELOPE,
    "Error 500: Verplicht: Betalingsconditie",
    "Topic [SalesEntries] Verplicht: Betalingsconditie",
    "[GLTransactions] Verplicht: Betalingsconditie",
    "Onderwerp [GLTransactions] Verplicht: Betalingsconditie",
    "Element: GLTransaction, Topic: GLTransactions, Message: 'Onderwerp [GLTransactions] Verplicht: Betalingsconditie'",
    '<?xml version="1.0"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code/>'
    '<message xml:lang="nl-NL">Verplicht: Betalingsconditie</message></error>',
    "Error 500: " + ENVELOPE.replace('"', '\\"'),
    "Pflichtfeld: Zahlungsbedingung",
    "Obligatoire: Condition de paiement",
    "Mandatory: Payment condition",
])
def test_every_coat_and_language_reaches_the_same_rule(text):
    d = diagnose(text)
    assert (d.kind, d.field, d.side, d.catalogue) == ("required", "Payment condition", "exact", (30,))


def test_the_issues_two_unparsed_examples():
    d = diagnose("Error 500: Ongeldig: Factuur voor (Type)")
    assert (d.kind, d.field, d.side) == ("invalid", "Invoice to", "exact") and 46 in d.catalogue
    d = diagnose("Error 500: Verplicht: Serie")
    assert (d.kind, d.field) == ("required", "Series") and "Exact gave no recognised reason" not in d.cause


@pytest.mark.parametrize("sep", ["\r\n", "\n", "; ", "\r"])
def test_joined_messages_each_get_explained(sep):
    d = diagnose(f"Verplicht: Betalingsconditie{sep}Ongeldig: Dagboek (type)")
    assert [p.catalogue for p in d.parts] == [(30,), (27,)]
    assert d.summary.startswith("2 problems") and "(1)" in d.remedy and "(2)" in d.remedy
    assert d.as_dict()["catalogue"] == [30, 27]


@pytest.mark.parametrize("text, kind, field, side", [
    # never-seen fields: the shape still gives kind, field and side
    ("Verplicht: Zoekcode", "required", "Zoekcode", "exact"),
    ("Ongeldig: Land (XX)", "invalid", "Country", "local"),
    ("Ungültig: Postleitzahl", "invalid", "Postleitzahl", "exact"),
    ("Invalide: Adresse e-mail", "invalid", "Adresse e-mail", "local"),
    ("Geblokkeerd: Kostenplaats 100", "blocked", "Cost center", "exact"),
    ("Gesperrt: Kostenstelle", "blocked", "Cost center", "exact"),
    ("Bloqué: Article UREN", "blocked", "Article UREN", "exact"),
    ("Niet actief: Artikel", "inactive", "Item", "exact"),
    ("Inactive: Project", "inactive", "Project", "exact"),
    ("Bestaat reeds: Zoekcode (ACME)", "already exists", "Zoekcode", "exact"),
    ("Existe déjà: Code", "already exists", "Code", "exact"),
    ("Bereits verwendet: Belegnummer", "in use", "Entry number", "exact"),
    ("Niet toegestaan: Periode (afgesloten)", "closed period", "Period", "exact"),
    ("De boeking is niet in balans", "out of balance", "Amount", "console"),
    ("Ongeldig: Aantal (artikel UUR is niet deelbaar)", "invalid", "Quantity", "exact"),
    ("Invalid: Item (UUR is not active: 2025-01-01)", "inactive", "Item", "exact"),
    # our own requests, whatever the wording
    ("Error 400: Operator 'eq' incompatible with operand types 'System.Guid' and 'System.String' at position 8.",
     "request malformed", "$filter", "console"),
    ("Cannot convert the literal 'abc' to the expected type 'Edm.Guid'.", "request malformed", "Guid", "console"),
    ("Cannot convert the literal '2024-13-01' to the expected type 'Edm.DateTime'.", "request malformed", "DateTime", "console"),
    ("String was not recognized as a valid DateTime.", "request malformed", "DateTime", "console"),
    ("Error 500: Error in converting value for property 'InvoiceTo' to type 'Guid'", "request malformed", "InvoiceTo", "console"),
    ("$filter is not allowed on this endpoint", "request malformed", "$filter", "console"),
    ("Query option '$select' is not allowed.", "request malformed", "$select", "console"),
    ("This endpoint requires a $select parameter. Specify the fields you need.", "request malformed", "$select", "console"),
    ("This endpoint has mandatory filtering applied. A GET request for this endpoint must have a $filter parameter "
     "with one of the following fields in the url: Code, Name", "request malformed", "$filter", "console"),
    ("Could not find a property named 'Foo' on type 'Exact.Web.Api.Models.Account'.", "request malformed", "Foo", "console"),
    ("Kan geen eigenschap met de naam 'Foo' vinden op type 'Account'.", "request malformed", "Foo", "console"),
    # plain texts of statuses, with or without the number
    ("Unauthorized", "auth", "Access token", "exact"),
    ("Error 401: ", "auth", "Access token", "exact"),
    ("Error 403: Forbidden", "forbidden", "Rights", "exact"),
    ("Too Many Requests", "rate limit", "API limit", "exact"),
    ("Error 503: Service Unavailable", "exact internal", "", "exact"),
    ("Internal Server Error", "exact internal", "", "exact"),
    ("Gateway Time-out", "exact internal", "", "exact"),
    ("Connection refused", "network", "", "network"),
])
def test_shapes(text, kind, field, side):
    d = diagnose(text)
    assert (d.kind, d.field, d.side) == (kind, field, side), d
    assert d.kind in KINDS and d.remedy
    if side == "console":
        assert "exact-tui bundle" in d.remedy and "bug" in d.remedy


def test_oauth_answers_and_reasons():
    d = diagnose('{"error":"access_denied","error_description":"Rate limit exceeded: access_token not expired"}')
    assert d.catalogue == (23,) and d.retry_later and not d.reconnect
    assert diagnose("400 access_denied Reason: TooEarlyToRefreshTokens").catalogue == (23,)
    d = diagnose('{"error":{"message":{"value":"Forbidden"}}}', status=403, reason="NoDivisionAccess")
    assert d.catalogue == (12,) and d.reconnect and d.field == "Division"


def test_html_login_page_where_json_was_expected():
    page = ('Error 401: <html><head><title>Object moved</title></head><body><h2>Object moved to '
            '<a href="/docs/Login.aspx?ReturnUrl=%2fapi%2fv1%2fcurrent%2fMe">here</a>.</h2></body></html>')
    d = diagnose(page)
    assert (d.kind, d.side, d.reconnect) == ("auth", "exact", True)
    proxy = diagnose("<!DOCTYPE html><html><head><title>Access through proxy</title></head><body>blocked</body></html>")
    assert (proxy.kind, proxy.side) == ("network", "network")


def test_a_text_without_any_shape_still_gets_kind_side_and_its_words():
    d = diagnose("Something entirely new went sideways")
    assert d.kind in KINDS and d.side == "exact" and "Something entirely new went sideways" in d.summary
    assert d.remedy and "bundle" in d.remedy
    assert diagnose("Something new", status=400).side == "console"


def test_cli_json_and_stdin(capsys, monkeypatch):
    assert main(["diagnose", "--json", "Error 500: Verplicht: Serie"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"summary", "cause", "remedy", "side", "kind", "field", "catalogue"} <= set(out)
    assert (out["kind"], out["field"], out["side"], out["catalogue"]) == ("required", "Series", "exact", [])
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Verplicht: Betalingsconditie\r\nOngeldig: Dagboek (type)\n"))
    assert main(["diagnose", "--json", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["catalogue"] == [30, 27] and len(out["messages"]) == 2
    assert main(["diagnose", "Periode is afgesloten: 2026 – 3"]) == 0
    assert "#26" in capsys.readouterr().out


class _Blank(dict):
    def __missing__(self, key):
        return {"field": "Description", "entity": "Account", "value": "abc", "journal": "70", "lines": "SalesEntryLines",
                "gl": "8999 - Oude omzet", "item": "UUR", "since": "2025-01-01", "code": "4", "year": "2025",
                "period": "3", "fields": "Code, Name", "path": "/api/v1/1/x", "method": "PATCH", "detail": "x"}.get(key, "7")


def _sandbox_texts():
    from exact_tui.sandbox.messages import TEXTS

    for key, (nl, en) in TEXTS.items():
        if key != "bad_query":
            yield key, nl.format_map(_Blank())
            yield key, en.format_map(_Blank())


@pytest.mark.parametrize("key, text", list(_sandbox_texts()))
def test_every_sandbox_message_has_a_shape(key, text):
    """Everything the sandbox can say is explained by a rule or by its shape, never by the no-shape fallback."""
    d = diagnose(text)
    assert d.kind in KINDS and not d.summary.startswith("Exact refused the request:"), (key, d)
