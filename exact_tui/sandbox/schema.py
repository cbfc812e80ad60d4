"""The entities the sandbox serves (facts §4): their paths, keys, fields and Exact's rules per path.

One `EntitySpec` per URL path. `bulk/…` and `sync/…` paths are separate specs over the same table,
because Exact gives them their own page size, `$select` rule and (for sync) ordering by `Timestamp`.
"""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from .reference import PROPERTIES

NORMAL, BULK, SYNC, READ = "normal", "bulk", "sync", "read"
PAGE_SIZE = {NORMAL: 60, BULK: 1000, SYNC: 1000, READ: 60}

ACCOUNT_FIELDS = (
    "ID", "Code", "Name", "AddressLine1", "AddressLine2", "Postcode", "City", "Country", "Phone", "Email",
    "VATNumber", "ChamberOfCommerce", "Website", "Status", "IsSales", "IsSupplier", "PaymentConditionSales",
    "Blocked", "Created", "Modified", "Division",
)
CONTACT_FIELDS = ("ID", "Account", "FirstName", "LastName", "FullName", "Email", "Phone", "Created", "Modified", "Division")
ITEM_FIELDS = (
    "ID", "Code", "Description", "IsSalesItem", "IsTime", "GLRevenue", "GLRevenueCode", "IsFractionAllowedItem",
    "SalesVatCode", "StartDate", "EndDate", "Unit", "Created", "Modified", "Division",
)
JOURNAL_FIELDS = (
    "ID", "Code", "Description", "Type", "Currency", "AllowVariableCurrency", "AllowVariableExchangeRate",
    "AllowVAT", "GLAccount", "Division",
)
GL_FIELDS = ("ID", "Code", "Description", "Type", "BalanceType", "IsBlocked", "Division")
VAT_FIELDS = ("ID", "Code", "Description", "Percentage", "Type", "Division")
PAYCOND_FIELDS = ("ID", "Code", "Description", "PaymentDays", "Division")
PERIOD_FIELDS = ("ID", "FinYear", "FinPeriod", "StartDate", "EndDate", "Closed", "ClosedJournals", "Division")
INVOICE_FIELDS = (
    "InvoiceID", "InvoiceNumber", "OrderedBy", "OrderedByName", "InvoiceTo", "Journal", "InvoiceDate", "Currency",
    "YourRef", "Description", "Status", "Type", "PaymentCondition", "DueDate", "AmountFC", "AmountDC",
    "VATAmountFC", "EntryID", "SalesInvoiceLines", "Created", "Modified", "Division",
)
INVOICE_LINE_FIELDS = (
    "ID", "InvoiceID", "LineNumber", "Item", "ItemCode", "Quantity", "NetPrice", "AmountFC", "VATCode",
    "VATAmountFC", "VATPercentage", "GLAccount", "Description", "Division",
)
ENTRY_FIELDS = (
    "EntryID", "EntryNumber", "InvoiceNumber", "Journal", "Customer", "CustomerName", "EntryDate", "DueDate",
    "YourRef", "Description", "Currency", "PaymentCondition", "AmountDC", "AmountFC", "VATAmountDC",
    "VATAmountFC", "Status", "Type", "ReportingYear", "ReportingPeriod", "SalesEntryLines", "Created",
    "Modified", "Division",
)
ENTRY_LINE_FIELDS = (
    "ID", "EntryID", "LineNumber", "GLAccount", "AmountFC", "AmountDC", "VATCode", "VATAmountFC",
    "VATPercentage", "Quantity", "Description", "Division",
)
RECEIVABLE_FIELDS = (
    "ID", "Account", "AccountCode", "AccountName", "InvoiceNumber", "EntryNumber", "YourRef", "Description",
    "AmountDC", "AmountFC", "Currency", "InvoiceDate", "DueDate", "IsFullyPaid", "LastPaymentDate", "Status",
    "TransactionEntryID", "Journal", "Division",
    # the payment-term side (sandbox/cashflow.py): receipt or payment, the rate, the invoice's total
    "LineType", "RateFC", "TransactionAmountDC", "TransactionAmountFC", "EntryDate",
)
CURRENCY_FIELDS = ("ID", "Code", "Description", "AmountPrecision", "PricePrecision", "Division")
RATE_FIELDS = ("ID", "SourceCurrency", "TargetCurrency", "Rate", "StartDate", "Division")
RECEIVABLES_LIST_FIELDS = (
    "HID", "Id", "AccountId", "AccountCode", "AccountName", "Amount", "CurrencyCode", "Description", "DueDate",
    "EntryNumber", "InvoiceDate", "InvoiceNumber", "JournalCode", "JournalDescription", "YourRef",
)
DIVISION_FIELDS = (
    "Code", "Description", "Customer", "CustomerName", "CustomerCode", "Country", "Currency", "BlockingStatus",
    "Current", "Hid", "Status",
)
DELETED_FIELDS = ("ID", "EntityKey", "EntityType", "DeletedBy", "DeletedDate", "Division", "Timestamp")
WEBHOOK_FIELDS = ("ID", "CallbackURL", "Topic", "Description", "Created", "Division")
ACCOUNT_MANDATORY_FILTER = (
    "Accountant", "AccountManager", "AddressLine1", "AddressLine2", "AddressLine3", "Blocked", "BRIN", "BSN",
    "ChamberOfCommerce", "City", "Classification1", "Classification2", "Classification3", "Classification4",
    "Classification5", "Classification6", "Classification7", "Classification8", "Classification", "Code",
    "CodeAtSupplier", "Country", "Created", "Email", "EndDate", "Fax", "ID", "InvoiceAccount", "IsAccountant",
    "IsReseller", "IsSales", "IsSupplier", "MainContact", "Modified", "Name", "Parent", "Phone", "Postcode",
    "PriceList", "Reseller", "RSIN", "SearchCode", "StartDate", "Status", "Type", "VATNumber",
)
# The published Items message is quoted only up to FreeBoolField_05 (its list is alphabetical): those
# fields, plus any field sorting after it, are accepted.
ITEM_MANDATORY_FILTER = (
    "Barcode", "Class_01", "Class_02", "Class_03", "Class_04", "Class_05", "Class_06", "Class_07", "Class_08",
    "Class_09", "Class_10", "Code", "CostPriceNew", "Created", "Description", "EndDate", "ExtraDescription",
    "FreeBoolField_01", "FreeBoolField_02", "FreeBoolField_03", "FreeBoolField_04", "FreeBoolField_05",
)
ITEM_FILTER_CUT = "FreeBoolField_05"
ME_FIELDS = (
    "UserID", "UserName", "FullName", "Email", "CurrentDivision", "DivisionCustomer", "Language", "LanguageCode",
)


@dataclass(frozen=True)
class Property:
    """One documented property of an Exact entity (from reference.py): Edm type and flags."""

    name: str
    type: str  # Guid, String, Int32, Double, DateTime, Boolean, …, Collection(X) / Entity(X) for navigation
    key: bool = False
    read_only: bool = False
    required: bool = False

    @property
    def navigation(self) -> bool:
        return "(" in self.type


@functools.cache
def documented(type_name: str) -> dict[str, Property]:
    """The documented properties of an entity type, by name (empty for a type the reference lacks)."""
    out: dict[str, Property] = {}
    for entry in PROPERTIES.get(type_name, ()):
        name, kind, flags = entry.split(":")
        out[name] = Property(name, kind, "k" in flags, "r" in flags, "q" in flags)
    return out


@dataclass(frozen=True)
class EntitySpec:
    path: str  # canonical spelling, e.g. "crm/Accounts"
    table: str  # world table the rows live in
    key: str
    type_name: str  # for __metadata and "Not found: …"
    label: tuple[str, str]  # (Dutch, English) record name in messages
    fields: tuple[str, ...]
    mode: str = NORMAL
    methods: frozenset[str] = frozenset({"GET"})
    guid_fields: frozenset[str] = frozenset()
    mandatory_filter: tuple[str, ...] = ()  # the published list of fields a GET must filter on
    # Exact applies mandatory filtering here too (a sync/ alternative exists) but has not published
    # the field list: how strict is `Behaviour.mandatory_filter`.
    unpublished_filter: bool = False
    lines: str | None = None  # navigation property holding lines (SalesEntryLines, …)
    key_is_int: bool = False
    scope: str = ""  # scope area the app registration must grant
    reference: str = ""  # entity type in reference.py when it differs from type_name
    # a composite key (JournalStatusList: Year, Period, Journal): `key` then names a sortable internal
    # field the view fills, and URLs show the parts as Exact does, `(Year=2025,Period=3,Journal='70')`
    composite: tuple[str, ...] = ()

    # the sandbox's own state on rows of this table, stored but not an Exact property (never served)
    internal: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Serve every documented property (reference.py), the modelled ones first; navigation
        properties only where the sandbox serves the linked entities (lines, VAT percentages)."""
        props = self.properties
        if not props:
            return
        served_links = {nav for parent, nav in SERVED_NAVIGATIONS if parent == self.path}
        # a modelled field the reference lacks stays (its owner models it on purpose, e.g. the money side's
        # LineType); tests/sandbox/test_reference.py lists each such difference by name
        listed = [name for name in self.fields if name not in self.internal
                  and (not (name in props and props[name].navigation) or name in served_links)]
        listed += [name for name, prop in props.items()
                   if name not in listed and (not prop.navigation or name in served_links)]
        object.__setattr__(self, "fields", tuple(listed))
        guids = {name for name, prop in props.items() if prop.type == "Guid"}
        object.__setattr__(self, "guid_fields", frozenset(self.guid_fields | guids))

    @property
    def properties(self) -> dict[str, Property]:
        return documented(self.reference or self.type_name)

    @property
    def page_size(self) -> int:
        return PAGE_SIZE[self.mode]

    @property
    def all_fields(self) -> frozenset[str]:
        extra = {"Timestamp"} if self.mode == SYNC else set()
        return frozenset(self.fields) | extra


# navigation properties served through the parent's URL: (parent path, property)
SERVED_NAVIGATIONS = {("salesentry/SalesEntries", "SalesEntryLines"), ("salesinvoice/SalesInvoices", "SalesInvoiceLines"),
                      ("vat/VATCodes", "VATPercentages")}
CRUD = frozenset({"GET", "POST", "PUT", "DELETE"})
_G = frozenset


def _specs() -> list[EntitySpec]:
    acc = dict(table="crm/Accounts", key="ID", type_name="Account", label=("Relatie", "Account"),
               guid_fields=_G({"ID"}), scope="crm")
    con = dict(table="crm/Contacts", key="ID", type_name="Contact", label=("Contactpersoon", "Contact"),
               guid_fields=_G({"ID", "Account"}), scope="crm")
    itm = dict(table="logistics/Items", key="ID", type_name="Item", label=("Artikel", "Item"),
               guid_fields=_G({"ID", "GLRevenue"}), scope="logistics")
    inv = dict(table="salesinvoice/SalesInvoices", key="InvoiceID", type_name="SalesInvoice",
               label=("Verkoopfactuur", "Sales invoice"), guid_fields=_G({"InvoiceID", "OrderedBy", "InvoiceTo", "EntryID"}),
               scope="salesinvoice", lines="SalesInvoiceLines", internal=("EntryID",))
    ent = dict(table="salesentry/SalesEntries", key="EntryID", type_name="SalesEntry", label=("Verkoopboeking", "Sales entry"),
               guid_fields=_G({"EntryID", "Customer"}), scope="salesentry", lines="SalesEntryLines")
    rec = dict(table="cashflow/Receivables", key="ID", type_name="Receivable", label=("Openstaande post", "Receivable"),
               guid_fields=_G({"ID", "Account", "TransactionEntryID"}), scope="cashflow")
    # Exact's own 400 message lists the fields (quoted in picqer/exact-php-client#591, Oct 2022).
    acc_filter = ACCOUNT_MANDATORY_FILTER
    item_filter = ITEM_MANDATORY_FILTER
    return [
        EntitySpec("system/Divisions", "system/Divisions", "Code", "Division", ("Divisie", "Division"), DIVISION_FIELDS,
                   key_is_int=True, scope="system"),
        EntitySpec("crm/Accounts", fields=ACCOUNT_FIELDS, methods=CRUD, mandatory_filter=acc_filter, **acc),
        EntitySpec("bulk/CRM/Accounts", fields=ACCOUNT_FIELDS, mode=BULK, **acc),
        EntitySpec("sync/CRM/Accounts", fields=ACCOUNT_FIELDS, mode=SYNC, **acc),
        EntitySpec("crm/Contacts", fields=CONTACT_FIELDS, methods=CRUD, unpublished_filter=True, **con),
        EntitySpec("bulk/CRM/Contacts", fields=CONTACT_FIELDS, mode=BULK, **con),
        EntitySpec("sync/CRM/Contacts", fields=CONTACT_FIELDS, mode=SYNC, **con),
        EntitySpec("logistics/Items", fields=ITEM_FIELDS, mandatory_filter=item_filter, **itm),
        EntitySpec("bulk/Logistics/Items", fields=ITEM_FIELDS, mode=BULK, **itm),
        EntitySpec("sync/Logistics/Items", fields=ITEM_FIELDS, mode=SYNC, **itm),
        EntitySpec("financial/Journals", "financial/Journals", "ID", "Journal", ("Dagboek", "Journal"), JOURNAL_FIELDS,
                   guid_fields=_G({"ID", "GLAccount"}), scope="financial"),
        EntitySpec("financial/GLAccounts", "financial/GLAccounts", "ID", "GLAccount",
                   ("Grootboekrekening", "General ledger account"), GL_FIELDS, guid_fields=_G({"ID"}), scope="financial"),
        EntitySpec("financial/FinancialPeriods", "financial/FinancialPeriods", "ID", "FinancialPeriod",
                   ("Periode", "Financial period"), PERIOD_FIELDS, guid_fields=_G({"ID"}), scope="financial",
                   internal=("Closed", "ClosedJournals")),  # not Exact properties: JournalStatusList tells (periods.py)
        EntitySpec("vat/VATCodes", "vat/VATCodes", "ID", "VATCode", ("Btw-code", "VAT code"), VAT_FIELDS,
                   guid_fields=_G({"ID"}), scope="financial"),
        EntitySpec("cashflow/PaymentConditions", "cashflow/PaymentConditions", "ID", "PaymentCondition",
                   ("Betalingsconditie", "Payment condition"), PAYCOND_FIELDS, guid_fields=_G({"ID"}), scope="cashflow"),
        EntitySpec("salesinvoice/SalesInvoices", fields=INVOICE_FIELDS, methods=CRUD, unpublished_filter=True, **inv),
        EntitySpec("sync/SalesInvoice/SalesInvoices", fields=INVOICE_FIELDS, mode=SYNC, **inv),
        EntitySpec("salesinvoice/SalesInvoiceLines", "salesinvoice/SalesInvoiceLines", "ID", "SalesInvoiceLine",
                   ("Factuurregel", "Sales invoice line"), INVOICE_LINE_FIELDS, methods=CRUD,
                   guid_fields=_G({"ID", "InvoiceID", "Item", "GLAccount"}), scope="salesinvoice"),
        EntitySpec("salesinvoice/PrintedSalesInvoices", "salesinvoice/PrintedSalesInvoices", "InvoiceID",
                   "PrintedSalesInvoice", ("Verkoopfactuur", "Sales invoice"),
                   ("InvoiceID", "SendEmailToCustomer", "SendInvoiceToCustomerPostbox", "SendOutputBasedOnAccount",
                    "InvoiceDate", "Division"),
                   methods=frozenset({"POST"}), guid_fields=_G({"InvoiceID"}), scope="salesinvoice"),
        EntitySpec("salesentry/SalesEntries", fields=ENTRY_FIELDS, methods=CRUD, **ent),
        EntitySpec("salesentry/SalesEntryLines", "salesentry/SalesEntryLines", "ID", "SalesEntryLine",
                   ("Boekingsregel", "Sales entry line"), ENTRY_LINE_FIELDS, methods=CRUD,
                   guid_fields=_G({"ID", "EntryID", "GLAccount"}), scope="salesentry"),
        EntitySpec("cashflow/Receivables", fields=RECEIVABLE_FIELDS, unpublished_filter=True, **rec),
        EntitySpec("bulk/Cashflow/Receivables", fields=RECEIVABLE_FIELDS, mode=BULK, **rec),
        # customer AND supplier terms in one Timestamp order (sandbox/cashflow.py)
        EntitySpec("sync/Cashflow/PaymentTerms", **{**rec, "table": "sync/Cashflow/PaymentTerms",
                                                     "type_name": "PaymentTerm"}, fields=RECEIVABLE_FIELDS, mode=SYNC),
        EntitySpec("cashflow/Payments", fields=RECEIVABLE_FIELDS, unpublished_filter=True,
                   **{**rec, "table": "cashflow/Payments", "type_name": "Payment"}),
        EntitySpec("bulk/Cashflow/Payments", fields=RECEIVABLE_FIELDS, mode=BULK,
                   **{**rec, "table": "cashflow/Payments", "type_name": "Payment"}),
        EntitySpec("general/Currencies", "general/Currencies", "ID", "Currency", ("Valuta", "Currency"),
                   CURRENCY_FIELDS, guid_fields=_G({"ID"}), scope="financial"),
        EntitySpec("financial/ExchangeRates", "financial/ExchangeRates", "ID", "ExchangeRate",
                   ("Wisselkoers", "Exchange rate"), RATE_FIELDS, guid_fields=_G({"ID"}), scope="financial"),
        EntitySpec("read/financial/ReceivablesList", "read/financial/ReceivablesList", "HID", "ReceivablesList",
                   ("Openstaande post", "Receivable"), RECEIVABLES_LIST_FIELDS, mode=READ,
                   guid_fields=_G({"Id", "AccountId"}), key_is_int=True, scope="cashflow"),
        EntitySpec("sync/Deleted", "sync/Deleted", "ID", "Deleted", ("Verwijderd record", "Deleted record"),
                   DELETED_FIELDS, mode=SYNC, guid_fields=_G({"ID", "EntityKey"}), scope="crm"),
        EntitySpec("webhooks/WebhookSubscriptions", "webhooks/WebhookSubscriptions", "ID", "WebhookSubscription",
                   ("Webhookabonnement", "Webhook subscription"), WEBHOOK_FIELDS,
                   methods=frozenset({"GET", "POST", "DELETE"}), guid_fields=_G({"ID"}), scope="webhooks"),
    ]


def _doc(type_name: str) -> tuple[str, ...]:
    """A derived entity's fields: every documented non-navigation property."""
    return tuple(name for name, prop in documented(type_name).items() if not prop.navigation)


def _derived_specs() -> list[EntitySpec]:
    """Entities Exact derives from the written ones (views.py), with their sync/bulk variants."""
    adr = dict(table="crm/Addresses", key="ID", type_name="Address", label=("Adres", "Address"),
               fields=_doc("Address"), guid_fields=_G({"ID", "Account", "Contact", "Warehouse"}), scope="crm")
    prc = dict(table="logistics/SalesItemPrices", key="ID", type_name="SalesItemPrice",
               label=("Verkoopprijs", "Sales item price"), fields=_doc("SalesItemPrice"),
               guid_fields=_G({"ID", "Item", "Account"}), scope="logistics")
    trl = dict(table="financialtransaction/TransactionLines", key="ID", type_name="TransactionLine",
               label=("Transactieregel", "Transaction line"), fields=_doc("TransactionLine"),
               guid_fields=_G({"ID", "EntryID", "Account", "GLAccount", "Item", "Document", "OffsetID"}),
               scope="financial")
    gls = dict(table="financial/GLAccounts", key="ID", type_name="GLAccount",
               label=("Grootboekrekening", "General ledger account"), fields=GL_FIELDS, guid_fields=_G({"ID"}),
               scope="financial")
    div = dict(key="Code", label=("Divisie", "Division"), key_is_int=True, scope="system")
    return [
        EntitySpec("crm/Addresses", unpublished_filter=True, **adr),
        EntitySpec("sync/CRM/Addresses", mode=SYNC, **adr),
        EntitySpec("logistics/SalesItemPrices", **prc),
        EntitySpec("sync/Logistics/SalesItemPrices", mode=SYNC, **prc),
        EntitySpec("financialtransaction/TransactionLines", unpublished_filter=True, **trl),
        EntitySpec("sync/Financial/TransactionLines", mode=SYNC, **trl),
        EntitySpec("bulk/Financial/TransactionLines", mode=BULK, **trl),
        EntitySpec("sync/Financial/GLAccounts", mode=SYNC, **gls),
        EntitySpec("bulk/Financial/GLAccounts", mode=BULK, **gls),
        EntitySpec("vat/VatPercentages", "vat/VatPercentages", "ID", "VatPercentage", ("Btw-percentage", "VAT percentage"),
                   _doc("VatPercentage"), guid_fields=_G({"ID", "VATCodeID"}), scope="financial"),
        EntitySpec("read/financial/AgingReceivablesList", "read/financial/AgingReceivablesList", "AccountId",
                   "AgingReceivablesList", ("Ouderdomsanalyse", "Aging receivables"), _doc("AgingReceivablesList"),
                   mode=READ, guid_fields=_G({"AccountId"}), scope="financial"),
        EntitySpec("read/financial/OutstandingInvoicesOverview", "read/financial/OutstandingInvoicesOverview",
                   "CurrencyCode", "OutstandingInvoicesOverview", ("Openstaande facturen", "Outstanding invoices"),
                   _doc("OutstandingInvoicesOverview"), mode=READ, scope="financial"),
        # whether a period is closed, per journal (Status 0 open, 1 closed): FinancialPeriods does not say
        EntitySpec("read/financial/JournalStatusList", "read/financial/JournalStatusList", "_key", "JournalStatusList",
                   ("Dagboekstatus", "Journal status"), _doc("JournalStatusList"), mode=READ, scope="financial",
                   composite=("Year", "Period", "Journal")),
        EntitySpec("hrm/Divisions", "hrm/Divisions", type_name="Division", reference="HRMDivision",
                   fields=_doc("HRMDivision"), guid_fields=_G({"Customer"}), **div),
        EntitySpec("system/AllDivisions", "system/AllDivisions", type_name="Division", fields=DIVISION_FIELDS,
                   guid_fields=_G({"Customer"}), **div),
    ]


SPECS: list[EntitySpec] = _specs() + _derived_specs()
ROUTES: dict[str, EntitySpec] = {spec.path.lower(): spec for spec in SPECS}
# Tables that exist per division (the world creates empty ones the seed does not fill).
TABLES: dict[str, EntitySpec] = {}
for _spec in SPECS:
    if _spec.mode in (NORMAL, READ) or _spec.table not in TABLES:
        TABLES.setdefault(_spec.table, _spec)
ME = EntitySpec("current/Me", "", "UserID", "Me", ("Gebruiker", "User"), ME_FIELDS, guid_fields=_G({"UserID"}),
                scope="system")

# sync/Deleted EntityType numbers, as Exact documents them (the `sync/Deleted` page of the REST
# reference; facts §3): 1 TransactionLines, 2 Accounts, 3 Addresses, 5 Contacts, 7 GLAccounts,
# 8 ItemPrices, 9 Items, 10 PaymentTerms, 13 SalesInvoices. There is no type for a sales entry (and no
# type 0 for anything): deleting one deletes its transaction lines, listed as type 1 keyed by line (a
# sales entry line's ID is its transaction line's). PaymentTerms are both sides of sync/Cashflow/
# PaymentTerms: customer terms (receivables) and supplier terms (payments). Tables without a type
# (invoice lines, webhooks, …) leave no row in sync/Deleted.
DELETED_TYPES = {
    "salesentry/SalesEntryLines": 1, "financialtransaction/TransactionLines": 1, "crm/Accounts": 2,
    "crm/Addresses": 3, "crm/Contacts": 5, "financial/GLAccounts": 7, "logistics/SalesItemPrices": 8,
    "logistics/Items": 9, "cashflow/Receivables": 10, "cashflow/Payments": 10, "salesinvoice/SalesInvoices": 13,
}
# Rows Exact keeps beside a stored one (views.py derives them): deleting the source deletes them too,
# each listed with its own type. (source table) -> [(EntityType, derived-key kind)]
DERIVED_DELETIONS = {"crm/Accounts": [(3, "visit")], "logistics/Items": [(8, "price")]}
_DERIVED_NS = uuid.UUID("6f1d2c3b-4a59-4e87-9b10-2c3d4e5f6a7b")  # the sandbox's namespace for derived keys


def derived_key(source: Any, kind: str) -> str:
    """The stable key of a row derived from `source` (an account's visiting address, an item's price)."""
    return str(uuid.uuid5(_DERIVED_NS, f"{kind}:{source}"))


@dataclass
class Scopes:
    """App registration scopes: `<area>.read` / `<area>.manage`; None means everything granted."""

    granted: set[str] | None = None

    def allows(self, area: str, write: bool) -> bool:
        if self.granted is None:
            return True
        need = f"{area}.manage" if write else f"{area}.read"
        return need in self.granted or (not write and f"{area}.manage" in self.granted)


ALL_SCOPES = sorted({f"{s.scope}.{kind}" for s in SPECS for kind in ("read", "manage")})
