"""Every row of shared/exact-error-catalogue.md: its messages get the row, a kind and the side that acts."""
import pytest

from exact_tui.diagnose import diagnose

L, E, N, C = "local", "exact", "network", "console"

# row -> [(message as a peer or Exact showed it, kind, side)]
CATALOGUE = {
    1: [("De externe server heeft een fout geretourneerd: (401) Niet gemachtigd.", "auth", E)],
    2: [("The remote server returned an error: (403) Forbidden Error getting access token using refresh token", "auth", E)],
    3: [("The remote server returned an error: (400) Bad request (token refresh)", "auth", E),
        ("The remote server returned an error: (400) Bad request", "request malformed", C)],
    4: [("AuthorizationRequiredException", "auth", E)],
    5: [('{"error":"invalid_grant","error_description":"The user is not active"}', "inactive", E)],
    6: [('{"error":"invalid_request","error_description":"The refresh token expired at 10/11/2022 9:18:20 PM and it is now 10/28/2022 4:15:50 PM."}', "auth", E)],
    7: [("Old refresh token used", "auth", C)],
    8: [("De gekoppelde Exact-gebruiker in het Exact Dashboard is niet meer geldig.", "auth", E)],
    9: [("PDF document upload failed", "auth", E)],
    10: [("Forbidden", "forbidden", E), ('{"error":{"message":{"value":"Forbidden"}}}', "forbidden", E)],
    11: [("Error 403: Forbidden", "forbidden", E)],
    12: [(f"403 Reason: {r}", k, E) for r, k in (("BlockedUser", "forbidden"), ("InactiveUser", "inactive"),
                                                  ("BlockedCustomer", "forbidden"), ("LicenseExpired", "forbidden"),
                                                  ("DivisionBlocked", "forbidden"), ("NoDivisionAccess", "forbidden"))],
    13: [("Error 403: Forbidden - Application Scope Violated. Cannot read", "forbidden", E)],
    14: [("De Exact Online divisie '123456' is niet opgenomen in de rechten die aan deze applicatie werden verleend", "forbidden", E)],
    15: [("Wrong Division", "forbidden", E)],
    16: [("Document Type not allowed", "forbidden", E)],
    17: [("Error occurred while sending a direct message or getting the response", "network", N)],
    18: [("Change in permissions resulting in inability to create sales invoices", "forbidden", E)],
    19: [("Your One Exact Identity account is configured for multiple users. API Connections do not support this type of account.", "auth", E)],
    20: [("Error: Couldn't call 'crm/myorganizationprofile': '403 Forbidden'", "forbidden", L),
          ("The Simplicate user is blocked", "forbidden", L)],
    21: [("Error 429: Too Many Requests", "rate limit", E)],
    22: [('{"error":{"code":"","message":{"lang":"en-US","value":"Too Many Requests"}}}', "rate limit", E)],
    23: [("Je app heeft onderstaande API-limieten overschreden", "rate limit", E)],
    24: [("The hourly API limit was reached", "rate limit", E)],
    25: [("Onbekend: Boekjaar (Periode-datumtabel)", "unknown", E), ("Unknown: Fiscal year (Period - date table)", "unknown", E),
          ("Topic [GLTransactions] Unknown: Financial year (Period-date table)", "unknown", E)],
    26: [("Periode is afgesloten: 2025 – 3", "closed period", E)],
    27: [("Ongeldig: Dagboek (type)", "invalid", E), ("Invalid: Journal (type)", "invalid", E)],
    28: [("Verplicht: Dagboek", "required", E), ("Required: Journal", "required", E), ("Mandatory: Diary", "required", E)],
    29: [("Ongeldige referentie: Journals", "invalid reference", E)],
    30: [("Verplicht: Betalingsconditie", "required", E), ("Mandatory: Due date / Payment condition", "required", E)],
    31: [("Ongeldige referentie: Betalingsconditie", "invalid reference", E)],
    32: [("Niet toegestaan: Wisselkoers", "not allowed", E), ("Not allowed: Exchange rate", "not allowed", E)],
    33: [("Ontbrekend: Valuta", "required", E), ("Niet toegestaan: Valuta (dagboek 70)", "not allowed", E)],
    34: [("Kon geen Exact Online transactie aanmaken voor factuur '2026-0012': 'Ongeldig: Btw-percentage []' [500]", "invalid", L),
          ("Invalid: VAT percentage []", "invalid", L)],
    35: [("Ongeldige referentie: Btw-code", "invalid reference", E), ("Ongeldige ref. btw code", "invalid reference", E)],
    36: [("Ontbrekend: Btw code", "required", E), ("Missing: VAT code", "required", E)],
    37: [("Niet toegestaan: Btw-code", "not allowed", E), ("Not allowed: VAT code", "not allowed", E)],
    38: [("Invoer 17: Het bedrag van de BTW regel met BTW code 4 komt niet overeen met het totaal aan BTW-bedragen in de grondslagregels", "out of balance", E)],
    39: [("Laag (9.0%): Ongeldig: Type (Rekening af te dragen btw)", "invalid", E)],
    40: [("No match was found in Exact Online for the VAT rate 21", "unknown", E), ("Invalid VAT number", "invalid", L)],
    41: [("Ongeldig: Grootboekrekeningtype", "invalid", E),
          ("Ledger account '1300' is of a wrong type: '20 - Accounts receivable'", "invalid", E),
          ("Grootboekrekening 1000 is nu type 'Cash'", "invalid", E)],
    42: [("Blocked: Ledger account: 85071 - Turnover Cafeteria", "blocked", E), ("Geblokkeerd: Grootboekrekening", "blocked", E)],
    43: [("The account number 8000 could not be found in Exact Online", "unknown", E),
          ("Grootboek 8000 niet gevonden in Exact", "unknown", E),
          ("Not found: Account (client) - G/L Account: Sales", "unknown", E), ("Mandatory: Account", "required", E),
          ("Grootboekrekening is verplicht", "required", E)],
    44: [("There are 3 documents which have unspecified ledger accounts", "required", E)],
    45: [("Invalid: Cost center link", "invalid", E), ("Invalid reference: Cost unit", "invalid reference", E),
          ("Data already exists [GLTransactions] data not created", "already exists", E)],
    46: [("Ongeldig: Klant (Type)", "invalid", E), ("Invalid: Customer (Type)", "invalid", E)],
    47: [("Klant: non-actief", "inactive", E)],
    48: [("Klant werd niet gevonden in Exact. Boek opnieuw door om de klant aan te maken.", "unknown", E),
          ("The relation may no longer exist.", "unknown", E)],
    49: [("Couldn't create Exact Online customer: 'Invalid: Email []' [500]", "invalid", L),
          ("Niet herkende GUID-indeling", "request malformed", C)],
    50: [("De klantenrekening van deze relatie is niet gelijk aan de rekening van het gebruikte verkoopdagboek", "invalid", E),
          ("Ongeldige referentie: Leveren aan", "invalid reference", E), ("Ongeldige referentie: Besteld door", "invalid reference", E),
          ("Ongeldige referentie: Factuur voor", "invalid reference", E)],
    51: [("In gebruik: Boekstuknummer", "in use", E), ("Boekstuknummer in gebruik", "in use", E),
          ("In use: Document number", "in use", E), ("Invoice number is already used as document number in Exact", "in use", E)],
    52: [("Already exists - Entry number: 2026-0012, Journal: 700", "already exists", E)],
    53: [("Buchungsnummer existiert bereits", "already exists", E), ("Booking number already exists", "already exists", E),
          ("Invoices 2026-0012 and 2026-0013 have the same booking number", "already exists", E)],
    54: [("Bestaat al bij Exact met boekstuknr: 26700012, 26700013", "already exists", E)],
    55: [("Betaling matchen in Exact mislukt.", "invalid", E)],
    56: [("Reeds verwerkt", "already exists", E), ("Object reference not set to an instance of an object.", "exact internal", E),
          ("Server Unavailable", "exact internal", E), ("No changes found", "exact internal", E)],
}
CASES = [(row, text, kind, side) for row, items in CATALOGUE.items() for text, kind, side in items]


def test_every_catalogue_row_is_covered():
    assert sorted(CATALOGUE) == list(range(1, 57))


@pytest.mark.parametrize("row, text, kind, side", CASES, ids=[f"{r}:{t[:40]}" for r, t, _, _ in CASES])
def test_catalogue_message(row, text, kind, side):
    d = diagnose(text)
    assert row in d.catalogue, d
    assert (d.kind, d.side) == (kind, side), d
    assert d.summary and d.cause and d.remedy
    assert d.kind in __import__("exact_tui.diagnose", fromlist=["KINDS"]).KINDS
    if side == C:
        assert "exact-tui bundle" in d.remedy and "bug" in d.remedy
