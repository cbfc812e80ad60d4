"""Diagnosis rules: which Exact message means what, whose side must act, and what to do.

Each rule names the catalogue rows it comes from (shared/exact-error-catalogue.md), so a support
engineer can read the peers' sources. Rules look at the *finding* of a message (its kind and field,
in any of Exact's languages, see `shapes`) or, for sentences without that shape, at its words. A
message no rule knows is still explained from its kind and its field's family (`fields`): never
"unknown error".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from . import model as m
from .auth import _REASONS, diagnose_http, diagnose_oauth, diagnose_page, reason_known
from .fields import LOCAL_FIX, place_of
from .model import BUNDLE_ADVICE, CONSOLE, EXACT, LOCAL, NETWORK, Diagnosis, combine
from .shapes import Finding, classify
from .unwrap import unwrap

__all__ = ["Diagnosis", "diagnose", "diagnose_http", "diagnose_oauth", "RULES", "TEXT_RULES", "_REASONS"]


@dataclass(frozen=True, slots=True)
class _Rule:
    kinds: frozenset[str] | None
    field: re.Pattern[str]
    qualifier: re.Pattern[str] | None
    diagnosis: Diagnosis

    def matches(self, f: Finding) -> bool:
        if self.kinds is not None and f.kind not in self.kinds:
            return False
        if not self.field.search(f" {f.field} | {f.field_en} "):
            return False
        return self.qualifier is None or bool(self.qualifier.search(f"{f.qualifier} {f.value or ''}"))


def _rule(kinds: str | tuple[str, ...] | None, field: str, summary: str, cause: str, remedy: str, *rows: int,
          qualifier: str | None = None, side: str = EXACT, kind: str = "") -> _Rule:
    ks = None if kinds is None else frozenset((kinds,) if isinstance(kinds, str) else kinds)
    return _Rule(ks, re.compile(field, re.I), re.compile(qualifier, re.I) if qualifier else None,
                 Diagnosis(summary, cause, remedy, side, rows, kind=kind))


R, INV, REF, USE, DUP, NA, UNK, BLK, OFF = (m.REQUIRED, m.INVALID, m.INVALID_REFERENCE, m.IN_USE, m.ALREADY_EXISTS,
                                            m.NOT_ALLOWED, m.UNKNOWN, m.BLOCKED, m.INACTIVE)
_JOURNAL = r"journal|dagboek|diary|tagebuch"
_PARTY = r"invoice ?to|ordered ?by|deliver ?to|factuur voor|besteld door|leveren aan"
# Order matters: the first rule that matches wins, so specific rules stand before general ones.
RULES: tuple[_Rule, ...] = (
    _rule(INV, _JOURNAL, "The journal is not a sales journal",
          "Invoices can only be written to a journal of type Sales (20); credit notes may use a Return invoice journal (21).",
          "Choose a sales journal in step 3, or create one in Exact (Master data → Financial → Journals).", 27, qualifier=r"type"),
    _rule((REF, UNK), _JOURNAL, "The journal does not exist in this division",
          "The journal code sent does not resolve in the selected Exact division.",
          "Pick the journal again in step 3 (Sales journal).", 29),
    _rule(R, _JOURNAL, "No journal set",
          "No sales journal is configured, in the console or in Exact's financial settings.",
          "Choose a sales journal in step 3; in Exact fill in the journals under Settings → Financial.", 28),
    _rule((UNK, R, REF), r"fiscal|financial year|boekjaar|geschäftsjahr|exercice", "No fiscal year for the invoice date",
          "The fiscal year or period for the invoice date does not exist in Exact.",
          "In Exact: Master data → Financial → Period-date table: create the year and its periods, then transfer again.", 25),
    _rule(NA, r"exchange rate|wisselkoers|wechselkurs|taux de change", "The journal does not allow a variable exchange rate",
          "The sales journal accepts foreign currency but its 'Variable: exchange rate' option is off.",
          "In Exact (Master data → Financial → Journals), tick the exchange-rate option on the sales journal.", 32),
    _rule(None, r"currenc|valuta|währung|devise", "Foreign currency is not accepted",
          "The sales journal does not allow variable currency, or the currency does not exist in Exact.",
          "Create the currency in Exact (Financial → Currencies) and enable variable currency on the sales journal, "
          "or pick a journal that has it in step 3.", 33),
    _rule(R, r"payment condition|betalingsconditie|due date|zahlungsbedingung|condition de paiement", "No payment condition",
          "The invoice has no payment condition and neither the customer nor the division has a default.",
          "Set a default sales payment condition in Exact (Settings → Financial), or one on the Exact account.", 30),
    _rule((REF, UNK), r"payment condition|betalingsconditie|zahlungsbedingung|condition de paiement",
          "The payment condition does not exist in Exact", "The payment-condition code sent is unknown in this division.",
          "Create it in Exact (Master data → Financial → Payment conditions; peers use code 1) or change the code on "
          "the local customer.", 31),
    _rule(INV, r"vat percentage|btw-percentage", "VAT rate does not fit the destination country",
          "The VAT code does not fit the country the invoice is for (e.g. a foreign invoice with domestic VAT).",
          "Correct the VAT code of the item (step 6) or of the invoice for the destination country.", 34, side=LOCAL),
    _rule(INV, r"^\s*type\b", "The G/L account behind the VAT code has the wrong type",
          "The VAT-payable G/L account linked to the VAT code has a type that is not valid for VAT.",
          "In Exact: Master data → Financial → G/L accounts: correct the account's type (or link another to the VAT code).",
          39, qualifier=r"btw|vat|tva|mwst"),
    _rule(INV, r"vat ?number|btw-?nummer|ustid|numéro de tva", "The customer's VAT number is not valid",
          "The VAT number has the wrong format (NL: 14 characters with a B at position 12).",
          f"Correct the VAT number: {LOCAL_FIX}.", 40, side=LOCAL),
    _rule((REF, INV), r"vat|btw|tva|mwst", "The VAT code does not exist in Exact",
          "A VAT code was sent that Exact does not know (or a G/L number where a VAT code belongs).",
          "Give the item an Exact VAT code (Master data → Financial → VAT codes; step 6 shows the items).", 35),
    _rule((R, UNK), r"vat|btw|tva|mwst", "VAT code missing in Exact", "The local VAT codes do not exist in Exact.",
          "Create the codes in Exact (Master data → Financial → VAT codes) or align the items' codes with Exact's.", 36, 40),
    _rule(NA, r"vat|btw|tva|mwst", "This journal does not accept VAT",
          "The target journal is not VAT-enabled.", "Tick 'VAT' in the journal's settings in Exact, or pick another in step 3.", 37),
    _rule(INV, r"gl account type|grootboekrekeningtype|ledger|grootboek|sachkonto", "Wrong kind of G/L account",
          "A line uses a balance-sheet, receivables, VAT or cash account where a revenue account is required.",
          "Give the item a revenue (P&L) G/L account in Exact (Master data → Logistics → Items).", 41),
    _rule((BLK, OFF), r"g/?l account|general ledger|grootboek|ledger|sachkonto", "The G/L account is blocked",
          "The revenue G/L account behind the item is blocked in Exact.",
          "Unblock it in Exact (Master data → Financial → G/L accounts) or give the item another revenue account.", 42),
    _rule(NA, r".", "The console sent a field Exact does not take here",
          "The request changed a read-only field, or lines through the entry instead of its lines endpoint.",
          BUNDLE_ADVICE, qualifier=r"alleen lezen|read-?only|schreibgeschützt|lecture seule|wijzig via|change through",
          side=CONSOLE),
    _rule(NA, r"status|delete|verwijderen", "The entry is already processed or paid in Exact",
          "Exact does not change or delete an entry that is processed, matched or paid.",
          "Leave it in Exact; correct it with a credit note (transfer a credit invoice) instead.",
          qualifier=r"verwerkt|processed|afgeletterd|betaald|matched|paid"),
    _rule((R, REF, UNK), r"^\s*account\s*\|", "Exact needs a valid account",
          "'Account' is the customer (relation) of the entry or the G/L account of a line: the linked customer no "
          "longer exists in Exact, or a line has no G/L account.",
          "Check the customer's link on the customer card (F3; link again if its Exact account is gone) and the "
          "revenue G/L account of the items (step 6).", 43, 48),
    _rule((R, UNK, REF), r"g/?l account|general ledger|grootboek|ledger|sachkonto|compte général|^\s*account\s*\|",
          "No G/L account", "The mapped G/L account does not exist in Exact, or an item on the invoice has no revenue G/L account.",
          "In Exact, set a revenue G/L account on the item (Master data → Logistics → Items); step 6 warns about such items.", 43),
    _rule((INV, REF, UNK), r"cost ?cent|cost unit|kostenplaats|kostendrager|kostenstelle|kostenträger",
          "Cost centre or cost unit problem", "The cost centre has no G/L linked, or the cost unit does not exist.",
          "Use Exact's codes and link a G/L to the cost centre (Master data → Financial → Cost centers).", 45),
    _rule(INV, r"customer|klant|kunde|client|relatie|account|" + _PARTY, "The Exact relation is not a customer",
          "The customer number belongs to an Exact relation that is a supplier, prospect or suspect, or the link points "
          "at the wrong account.", "In Exact (CRM → Accounts) make the relation a customer (status C), or give the local "
          "customer another number and link again (customer card, F3).", 46, 50, qualifier=r"type"),
    _rule((REF, UNK), _PARTY, "The invoice's customer reference was refused",
          "InvoiceTo / OrderedBy / DeliverTo points at an account Exact does not accept here (a contact id, a deleted "
          "account, or another division's).", "Check the link on the customer card (F3): link the customer to its "
          "Exact account again, then transfer again.", 50),
    _rule((UNK, REF), r"customer|klant|kunde|client|relation|relatie|account", "The linked Exact account no longer exists",
          "The account stored at linking time was deleted or merged in Exact.",
          "Unlink the customer on the customer card (F3) and link it again (or let the transfer create it).", 48),
    _rule(OFF, r"customer|klant|kunde|client|account|relatie", "The Exact customer is not active",
          "The Exact customer has an end date in the past, or was deactivated by hand.",
          "In Exact (CRM → Accounts), remove the end date / reactivate the customer, then transfer again.", 47),
    _rule(BLK, r"customer|klant|kunde|client|account|relatie", "The Exact account is blocked",
          "The customer is blocked in Exact.", "Unblock the account in Exact (CRM → Accounts), then transfer again.", 47),
    _rule((USE, DUP), r"entry|document ?number|invoice ?number|boekstuk|factuurnummer|booking|buchung|beleg|numéro de pièce",
          "This invoice number is already booked in Exact",
          "An entry with this number exists in the journal: an earlier transfer reached Exact but its answer was lost, "
          "it was entered by hand, or a booking was deleted and its number handed out again.",
          "Do not post again. Look the entry up in Exact (Financial → Entries) and mark the invoice as transferred "
          "(Transfers screen), or remove the copy in Exact after checking.", 51, 52, 53),
    _rule(DUP, r"data|gegeven|code", "A record with this key already exists in Exact",
          "Exact refuses a duplicate key; a `Code` sent in an update also triggers this.",
          "Do not change the code of an existing account; link to the existing record instead (customer card, F3). "
          "If the console sent the Code in an update: " + BUNDLE_ADVICE, 45),
    _rule(INV, r"e-?mail", "Exact refused an e-mail address",
          "A customer field was not accepted by Exact.", f"Correct the e-mail address: {LOCAL_FIX}.", 49, side=LOCAL),
    _rule(R, r"^\s*(name|naam|nom)\s*\|", "A required name is empty",
          "The record has no name.", f"Fill in the name: {LOCAL_FIX}.", 49, side=LOCAL),
    _rule(INV, r"item|artikel|article", "The item cannot be invoiced",
          "The item is not a sales item in Exact (or its set-up refuses this line).",
          "In Exact (Master data → Logistics → Items) tick 'Sales item', or map the data type to another item in step 7."),
    _rule(OFF, r"item|artikel|article", "The item is not active in Exact",
          "The item's end date has passed (or its start date is ahead) in Exact.",
          "In Exact (Master data → Logistics → Items) change the item's start/end date, or map another item in step 7."),
    _rule(INV, r"quantit|aantal|menge", "The item is not divisible",
          "Time is invoiced in fractions of hours, but the item does not allow fractions.",
          "In Exact (Master data → Logistics → Items) tick 'Divisible' on the item, or map a divisible item in step 7.",
          qualifier=r"deelbaar|divisible|teilbar|divisible"),
)


def _text_rule(pattern: str, kind: str, field: str, summary: str, cause: str, remedy: str, *rows: int,
               side: str = EXACT, reconnect: bool = False, retry_later: bool = False) -> tuple[re.Pattern[str], Diagnosis]:
    return re.compile(pattern, re.I), Diagnosis(summary, cause, remedy, side, rows, reconnect, retry_later, kind, field)


_RIGHTS = ("in Exact: Users → the linked user → Rights and company access; Security Centre → App permissions → "
           "Manage companies")
# Sentences without a usable `Kind: Field` pair, recognised by their words.
TEXT_RULES: tuple[tuple[re.Pattern[str], Diagnosis], ...] = (
    _text_rule(r"niet opgenomen in de rechten|not included in the (rights|permissions)|nicht in den rechten",
               m.FORBIDDEN, "Division", "The app has no access to this division",
               "Exact's division scoping: the app was not granted this administration.",
               "In Exact: App permissions → Manage administrations: grant the division (or all), then connect again; "
               "if the app has it, the user may have lost access to the administration.", 14, 15, reconnect=True),
    _text_rule(r"wrong division|verkeerde divisie|falsche division", m.FORBIDDEN, "Division",
               "The user no longer has access to this division",
               "The Exact user lost access to the selected administration (e.g. it moved to another accounting firm).",
               "Connect again in step 1 with a user who has access, then check step 2.", 15, reconnect=True),
    _text_rule(r"application scope violated", m.FORBIDDEN, "Scope", "The app's scopes do not cover this",
               "The app registration lacks the scope for this endpoint.",
               "Adjust the app's scopes in the Exact App Center and connect again.", 13, reconnect=True),
    _text_rule(r"document ?type not allowed", m.FORBIDDEN, "Document type", "The connected account may not do this",
               "The link was made with an accountant-portal account, which lacks the rights.",
               "Have the link set up once with a proper user of the company (step 1).", 16, reconnect=True),
    _text_rule(r"change in permissions|rechten (zijn )?gewijzigd", m.FORBIDDEN, "Rights", "The user's rights changed",
               "Exact rights of the linked user were changed; it can no longer create sales invoices.",
               f"Restore the rights {_RIGHTS}.", 18),
    _text_rule(r"exact identity.*multiple users|meerdere gebruikers", m.AUTH, "User",
               "This Exact identity cannot be used for an API connection",
               "The One Exact Identity account is configured for multiple users.",
               "Connect in step 1 with a single-user identity (a dedicated integration user).", 19, reconnect=True),
    _text_rule(r"gekoppelde exact-gebruiker|linked exact user.*(no longer|not) valid", m.AUTH, "User",
               "The linked Exact user is no longer valid", "The user the link was made with is no longer valid in Exact.",
               "Connect again in step 1 with a valid user.", 8, reconnect=True),
    _text_rule(r"(pdf|document|attachment).{0,20}upload failed", m.AUTH, "Access token", "Uploading the document failed",
               "Usually an expired Exact login: a password change of the linked user ends all external sessions.",
               "Connect again in step 1, then transfer one invoice to check.", 9, reconnect=True),
    _text_rule(r"authori[sz]ationrequired|authori[sz]ation required", m.AUTH, "Refresh token", "The link must be set up again",
               "The refresh token of this connection is no longer valid.", "Connect again in step 1.", 4, reconnect=True),
    _text_rule(r"(access|refresh) token.*(403|forbidden)|(403|forbidden).*(access|refresh) token", m.AUTH, "Refresh token",
               "Exact refused to renew the connection", "The token is invalid, or the connected user lacks rights.",
               f"Connect again in step 1 with a user who has the rights ({_RIGHTS}).", 2, reconnect=True),
    _text_rule(r"bad request.*(token|refresh)|(token|refresh).*bad request", m.AUTH, "Refresh token",
               "Exact refused to renew the connection", "The link's refresh token is no longer valid.",
               "Unlink and connect again in step 1.", 3, reconnect=True),
    _text_rule(r"sending a direct message", m.NETWORK_KIND, "Connection", "The request to Exact failed on the way",
               "A technical failure between this machine and Exact (or wrong login details, e.g. a leading space).",
               "Re-enter the client id/secret in step 1 without spaces, check the network, and retry.", 17, side=NETWORK,
               retry_later=True),
    _text_rule(r"simplicate|source system|bronsysteem|myorganizationprofile|crm/organization", m.FORBIDDEN, "Source system",
               "The time-tracking system refused, not Exact", "The integration could not read the source system's data "
               "(user blocked, record gone, or no connection).",
               "Fix access to the time-tracking system, export again and `exact-tui import` the files.", 20, side=LOCAL),
    _text_rule(r"api-?limieten overschreden|exceeded (the )?(following )?api limits|api policy", m.RATE_LIMIT, "API limit",
               "Exact blocked the app for exceeding its API policy",
               "Too-frequent token refreshes, or more than 10 failing calls per endpoint in an hour (the block escalates).",
               "Stop retrying what keeps failing (fix its cause first); the console refreshes only after 9.5 minutes.", 23,
               retry_later=True),
    _text_rule(r"hourly (api )?limit|uurlimiet|link stops working", m.RATE_LIMIT, "API limit",
               "Exact's hourly API limit is reached", "Lookups and writes all count against the company's limit.",
               "Wait: it usually clears within the hour; the daily limit is higher.", 24, 21, retry_later=True),
    _text_rule(r"btw regel.*komt niet overeen|vat line.*does not match|mwst-zeile.*stimmt nicht", m.OUT_OF_BALANCE, "VAT code",
               "The VAT line does not match the base lines", "Lines are sent excluding VAT, but the Exact VAT code is "
               "of type Inclusive.", "In Exact (Master data → Financial → VAT codes) set the code's type to Exclusive, "
               "or give the item an exclusive code (step 6).", 38),
    _text_rule(r"no match was found in exact online for the vat", m.UNKNOWN, "VAT code", "A VAT rate has no Exact VAT code",
               "The local VAT rate is not mapped to an Exact VAT code.",
               "Give the items an Exact VAT code (step 6), or create the code in Exact.", 40),
    _text_rule(r"is of a wrong type|is nu type|wrong type: ", m.INVALID, "GL account type", "Wrong kind of G/L account",
               "A line uses a balance-sheet, receivables, VAT or cash account where a revenue account is required.",
               "Give the item a revenue (P&L) G/L account in Exact (Master data → Logistics → Items).", 41),
    _text_rule(r"account number .* could not be found|grootboek .*niet gevonden", m.UNKNOWN, "GL account",
               "The G/L account does not exist in Exact", "The mapped account does not exist in this division.",
               "Create the account in Exact (Master data → Financial → G/L accounts) or map another.", 43),
    _text_rule(r"not found: account.*g/?l account", m.UNKNOWN, "GL account", "The customer's G/L account does not exist",
               "The customer/supplier control account in Exact's set-up does not exist.",
               "In Exact, create the account or correct the control account (Settings → Financial).", 43),
    _text_rule(r"unspecified ledger accounts|zonder grootboekrekening", m.REQUIRED, "GL account", "Lines without a G/L account",
               "Invoice lines have no ledger account: their items have no revenue G/L in Exact.",
               "In Exact give the items a revenue G/L account (step 6 lists them).", 44),
    _text_rule(r"klant werd niet gevonden|relation may no longer exist|relatie bestaat niet meer", m.UNKNOWN, "Customer",
               "The linked Exact account no longer exists", "The account stored at linking time was deleted or merged in Exact.",
               "Unlink the customer on the customer card (F3) and link it again (or let the transfer create it).", 48),
    _text_rule(r"klantenrekening.*niet gelijk|receivables account.*(differs|not equal|does not match)", m.INVALID,
               "Receivables account", "The customer's receivables account differs from the journal's",
               "The Exact customer uses another receivables (central) account than the sales journal.",
               "In Exact, align the customer's receivables account with the sales journal's (or pick that journal in step 3).", 50),
    _text_rule(r"already used as document number|already a sales booking|al een verkoopboeking", m.IN_USE, "Entry number",
               "This invoice number is already booked in Exact",
               "An earlier transfer reached Exact but its answer was lost, or the invoice was entered by hand.",
               "Do not post again. Look the entry up in Exact and mark the invoice as transferred (Transfers screen).", 51, 52),
    _text_rule(r"same booking number|booking number already exists|buchungsnummer existiert", m.ALREADY_EXISTS, "Entry number",
               "Two invoices got the same booking number", "A booking deleted in Exact left its number to be handed out twice.",
               "Do not post again; find both in Exact (Financial → Entries) and resolve the duplicate before transferring.", 53),
    _text_rule(r"bestaat al bij exact met boekstuknr|already in exact (with|under) entry", m.ALREADY_EXISTS, "Entry number",
               "The invoice is in Exact more than once", "Several Exact entries match this invoice.",
               "Resolve the duplicate in Exact by hand (Financial → Entries), then mark the invoice on the Transfers screen.", 54),
    _text_rule(r"betaling matchen.*mislukt|payment match(ing)? failed", m.INVALID, "Payment", "Matching the payment failed",
               "A payment could not be matched, so the open item stays unsettled in Exact.",
               "Match it by hand in Exact: Sales → Outstanding items (afletteren); it will not recur.", 55),
    _text_rule(r"reeds verwerkt|already processed", m.ALREADY_EXISTS, "Record", "Exact already processed this",
               "The record was processed earlier (an earlier attempt succeeded).",
               "Check the record in Exact before sending it again; the Transfers screen shows the earlier attempt.", 56),
)

_GENERIC: dict[str, tuple[str, str, str]] = {  # kind -> summary, cause, remedy (with {f} field, {where} place)
    m.REQUIRED: ("Exact requires {f}", "Exact needs a value for {f} and the request had none.", "Fill in {f}: {where}."),
    m.INVALID: ("Exact does not accept {f}", "The value of {f}{v} is not valid for Exact{q}.", "Correct {f}: {where}."),
    m.INVALID_REFERENCE: ("{F} points to something Exact does not have", "{F}{v} refers to a record that does not exist "
                          "in this Exact division, or does not fit here{q}.", "Make {f} point to an existing record: {where}."),
    m.IN_USE: ("{F} is already in use in Exact", "{F}{v} is already taken by another record in Exact.",
               "Do not send it again blindly: look it up in Exact, then use another value or link to the existing record: {where}."),
    m.ALREADY_EXISTS: ("{F} already exists in Exact", "Exact already has a record with this {f}{v}.",
                       "Do not create it again: link to the existing record or change the key: {where}."),
    m.NOT_ALLOWED: ("Exact does not allow {f} here", "A setting in Exact forbids {f}{v} here{q}.",
                    "Change the setting that forbids it, or leave {f} out: {where}."),
    m.UNKNOWN: ("Exact does not know {f}", "{F}{v} is unknown in this Exact division{q}.",
                "Create it in Exact or choose one that exists: {where}."),
    m.BLOCKED: ("{F} is blocked in Exact", "{F}{v} is blocked in Exact{q}.", "Unblock it in Exact, or choose another: {where}."),
    m.INACTIVE: ("{F} is not active in Exact", "{F}{v} is not active in Exact (an end date passed or it was deactivated){q}.",
                 "Reactivate it (remove the end date) or choose another: {where}."),
    m.CLOSED_PERIOD: ("The period is closed", "The invoice date falls in a period that is closed in Exact{v}.",
                      "Reopen the period in Exact (Master data → Financial → Period-date table), or correct the invoice date "
                      "before transferring (a posting cannot be undone)."),
    m.OUT_OF_BALANCE: ("The entry does not balance", "The amounts of the entry's lines do not add up (VAT or totals).",
                       "Check the VAT codes of the items (exclusive, step 6). If they are right: " + BUNDLE_ADVICE),
    m.FORBIDDEN: ("Exact refused: insufficient rights", "The linked user or the app lacks rights, company access, scope "
                  "or licence for this.", f"Fix it {_RIGHTS}; or connect in step 1 with a dedicated integration user."),
    m.RATE_LIMIT: ("Exact's API limit is reached", "Exact allows 60 calls a minute and 5,000 a day per company.",
                   "Wait for the reset; the console paces itself and resumes."),
    m.AUTH: ("Exact does not accept the connection", "The login or token was refused (expired, revoked, or the user changed).",
             "Connect again in step 1; nothing else is lost."),
    m.MALFORMED: ("Exact could not read our request ({f})", "Exact refused the request itself, not your data: {f} was "
                  "malformed or not allowed on this endpoint.", BUNDLE_ADVICE),
    m.INTERNAL: ("Exact had a problem of its own", "Exact failed without a business reason (its service or an internal error).",
                 "Retry later; reads retry by themselves and writes are looked up before being sent again. If it persists, "
                 "run `exact-tui bundle` and contact Exact support with the request id."),
    m.NETWORK_KIND: ("Exact could not be reached", "The connection between this machine and Exact failed.",
                     "Check this machine's network, VPN and proxy and the Exact host in step 1, then retry."),
}
_KIND_SIDE = {m.MALFORMED: CONSOLE, m.NETWORK_KIND: NETWORK, m.OUT_OF_BALANCE: CONSOLE}
_RETRY = {m.RATE_LIMIT, m.INTERNAL, m.NETWORK_KIND}
_IMPLIED_STATUS = {m.FORBIDDEN: 403, m.RATE_LIMIT: 429, m.AUTH: 401}
_OAUTH_WORDS = re.compile(r"old refresh token|refresh token expired|access_token not expired|invalid_grant|"
                          r"unauthorized_client|invalid_client|tooearlytorefresh|access_denied", re.I)
_FIELD_KINDS = {R, INV, REF, USE, DUP, NA, UNK, BLK, OFF}


def _generic(f: Finding) -> Diagnosis:
    name = f.field_en or f.field
    shown = name if not f.field or name.lower() == f.field.lower() else f"{name} ('{f.field}')"
    place = place_of(f.field)
    fills = {"f": shown or "a field", "F": (shown[:1].upper() + shown[1:]) if shown else "A value",
             "v": f" ({f.value})" if f.value else "", "q": f" ({f.qualifier})" if f.qualifier else "",
             "where": place.where}
    summary, cause, remedy = (t.format(**fills) for t in _GENERIC[f.kind])
    side = _KIND_SIDE.get(f.kind) or (place.side if f.kind in _FIELD_KINDS else EXACT)
    if side == CONSOLE and BUNDLE_ADVICE not in remedy:
        remedy = f"{remedy} {BUNDLE_ADVICE}" if f.kind in _FIELD_KINDS else remedy
    return Diagnosis(summary, cause, remedy, side, (), reconnect=f.kind == m.AUTH, retry_later=f.kind in _RETRY,
                     kind=f.kind, field=name)


def _from_rule(d: Diagnosis, f: Finding | None, message: str) -> Diagnosis:
    kind = d.kind or (f.kind if f else m.INTERNAL)
    field = (f.field_en or f.field) if f and f.field else d.field
    return d.with_(kind=kind, field=field, message=message)


# One pass tells whether any sentence rule can match; most messages then skip the 40 single searches.
_ANY_TEXT_RULE = re.compile("|".join(f"(?:{p.pattern})" for p, _ in TEXT_RULES), re.I)


def _explain(message: str, f: Finding | None, status: int | None) -> Diagnosis:
    for pattern, d in (TEXT_RULES if _ANY_TEXT_RULE.search(message) else ()):
        if pattern.search(message):
            return d.with_(message=message, field=d.field or (f.field_en if f else ""))
    if f is not None:
        for rule in RULES:
            if rule.matches(f):
                return _from_rule(rule.diagnosis, f, message)
        d = _generic(f)
        implied = status if status is not None else _IMPLIED_STATUS.get(f.kind)
        if f.kind in (*_IMPLIED_STATUS, m.INTERNAL) and implied is not None:
            http = diagnose_http(implied, text=message)
            if http.kind == f.kind:
                if f.kind == m.INTERNAL:
                    http = http.with_(summary=f"{http.summary}: {message[:160]}")
                return http.with_(message=message)
        if f.kind == m.MALFORMED:
            d = d.with_(cause=f"{d.cause} Exact said: {message[:200]}", catalogue=(49,) if f.field == "Guid" else ())
        if f.kind == m.CLOSED_PERIOD:
            d = d.with_(catalogue=(26,))
        if f.kind in (m.INTERNAL, m.NETWORK_KIND):
            d = d.with_(summary=f"{d.summary}: {message[:160]}", catalogue=(56,) if f.kind == m.INTERNAL else ())
        return d.with_(message=message)
    if status is not None:
        return diagnose_http(status, text=message)
    return Diagnosis(f"Exact refused the request: {message[:200]}",
                     "Exact's words have no shape the console knows yet (no `Kind: Field`, no status code), so it "
                     "cannot tell which setting or record is meant beyond what the text says.",
                     "Read Exact's words above: they name the record or setting to change, in Exact or in the local data. "
                     "If they point at neither, run `exact-tui bundle` and send it to support so a rule can be added.",
                     EXACT, kind=m.INTERNAL, message=message)


def diagnose(text: str, *, status: int | None = None, reason: str | None = None) -> Diagnosis:
    """The best explanation of an Exact answer (any language, any wrapper, possibly several messages)."""
    answer = unwrap(text, status=status, reason=reason)
    if answer.status == 403 and reason_known(answer.reason):
        return diagnose_http(403, reason=answer.reason, text=" ".join(answer.messages))
    if answer.oauth_error or _OAUTH_WORDS.search(f"{answer.reason} {' '.join(answer.messages)}"):
        return diagnose_oauth(answer.oauth_error, answer.oauth_description or " ".join(answer.messages),
                              reason=answer.reason)
    if answer.html:
        return diagnose_page(answer.html, answer.html_title, answer.status)
    parts: list[Diagnosis] = []
    for message in answer.messages:
        findings: list[Finding | None] = list(classify(message)) or [None]
        parts += [_explain(message, f, answer.status) for f in findings]
    if not parts:
        if answer.status is not None:
            return diagnose_http(answer.status)
        return Diagnosis("Exact gave an empty answer", "Exact (or something in between) answered without any words.",
                         "Retry; if it repeats, run `exact-tui bundle` and send it to support.", NETWORK,
                         retry_later=True, kind=m.NETWORK_KIND)
    return combine(parts)

