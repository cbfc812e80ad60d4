"""Generate `exact_tui/sandbox/reference.py`: the documented properties of every entity the sandbox serves.

Source: the entity models of Exact's own .NET SDK, `exactonline/exactonline-api-dotnet-client`, as kept
current by its maintained fork `fretje/exactonline-api-dotnet-client` (`src/ExactOnline.Client.Models/**`),
which are generated from Exact's REST API reference (start.exactonline.nl/docs/HlpRestAPIResources.aspx):
one C# property per documented property, its type, and `[SDKFieldType(FieldType.ReadOnly)]` where the
reference marks it read-only; `[DataServiceKey("…")]` names the key.

The SDK does not carry the reference's "Mandatory" column. That column comes from a second public copy
of the reference: `Pi-Systems/exact-online` (`src/Entity/**.php`), whose compiler scrapes each entity page
of the same reference (HlpRestAPIResourcesDetails.aspx) and marks a property `#[Exact\Required]` where the
page's Mandatory cell is true. Its compiler also marks every key required (its own choice: a key is not
mandatory on POST, Exact assigns it), so keys are skipped here. `REQUIRED` adds the mandatory properties
the facts page quotes from the reference (shared/exact-online-facts.md §4); both sources are merged.
Searched without a Mandatory column: picqer/exact-php-client, ossobv/exactonline, tim-online/go-exactonline,
DannyvdSluijs/ExactOnlineRestApiReference (meta-data.json: name, type, key, methods, hidden — no mandatory).
`SUPPLEMENT` adds properties the current reference documents that the SDK snapshot lacks (named in issue 17).

Only facts are taken from either repository (property names, types, flags); no code of theirs is used.

Usage (read-only on git mirrors; nothing is executed from them):
    python tools/gen_exact_reference.py /path/to/fretje+exactonline-api-dotnet-client/repo \
        /path/to/Pi-Systems+exact-online/repo > exact_tui/sandbox/reference.py
"""
from __future__ import annotations

import re
import subprocess
import sys

# our type name -> model file under src/ExactOnline.Client.Models
MODELS = {
    "Account": "CRM/Account", "Contact": "CRM/Contact", "Address": "CRM/Address",
    "Item": "Logistics/Item", "SalesItemPrice": "Logistics/SalesItemPrice",
    "GLAccount": "Financial/GLAccount", "Journal": "Financial/Journal", "FinancialPeriod": "Financial/FinancialPeriod",
    "VATCode": "VAT/VATCode", "VatPercentage": "VAT/VatPercentage", "PaymentCondition": "Cashflow/PaymentCondition",
    "SalesEntry": "SalesEntry/SalesEntry", "SalesEntryLine": "SalesEntry/SalesEntryLine",
    "SalesInvoice": "SalesInvoice/SalesInvoice", "SalesInvoiceLine": "SalesInvoice/SalesInvoiceLine",
    "PrintedSalesInvoice": "SalesInvoice/PrintedSalesInvoice", "Receivable": "Cashflow/Receivable",
    "ReceivablesList": "Financial/ReceivablesList", "AgingReceivablesList": "Financial/AgingReceivablesList",
    "OutstandingInvoicesOverview": "Financial/OutstandingInvoicesOverview",
    "TransactionLine": "FinancialTransaction/TransactionLine", "Division": "SystemBase/Division",
    "HRMDivision": "HRM/Division", "Me": "Current/Me", "Deleted": "Sync/Deleted",
    "WebhookSubscription": "Webhooks/WebhookSubscription", "Currency": "General/Currency",
    "Payment": "Cashflow/Payment", "ExchangeRate": "Financial/ExchangeRate",
    "JournalStatusList": "Financial/JournalStatusList",
}
# our type name -> entity file under Pi-Systems/exact-online src/Entity (the scraped Mandatory column)
MANDATORY_PAGES = {
    "Account": "CRM/Accounts", "Contact": "CRM/Contacts", "Address": "CRM/Addresses", "Item": "Logistics/Items",
    "SalesItemPrice": "Logistics/SalesItemPrices", "GLAccount": "Financial/GLAccounts", "Journal": "Financial/Journals",
    "FinancialPeriod": "Financial/FinancialPeriods", "VATCode": "VAT/VATCodes", "VatPercentage": "VAT/VatPercentages",
    "PaymentCondition": "Cashflow/PaymentConditions", "SalesEntry": "SalesEntry/SalesEntries",
    "SalesEntryLine": "SalesEntry/SalesEntryLines", "SalesInvoice": "SalesInvoice/SalesInvoices",
    "SalesInvoiceLine": "SalesInvoice/SalesInvoiceLines", "PrintedSalesInvoice": "SalesInvoice/PrintedSalesInvoices",
    "Receivable": "Cashflow/Receivables", "ReceivablesList": "Financial/ReceivablesList",
    "AgingReceivablesList": "Financial/AgingReceivablesList",
    "OutstandingInvoicesOverview": "Financial/OutstandingInvoicesOverview",
    "TransactionLine": "FinancialTransaction/TransactionLines", "Division": "System/Divisions",
    "HRMDivision": "HRM/Divisions", "Me": "System/Me", "Deleted": "Sync/Deleted",
    "WebhookSubscription": "Webhooks/WebhookSubscriptions", "Currency": "General/Currencies",
    "Payment": "Cashflow/Payments", "ExchangeRate": "Financial/ExchangeRates",
    "JournalStatusList": "Financial/JournalStatusList",
}
REQUIRED = {
    "Account": {"Name"}, "SalesEntry": {"Journal", "Customer", "SalesEntryLines"}, "SalesEntryLine": {"GLAccount"},
    "SalesInvoice": {"OrderedBy", "SalesInvoiceLines"}, "SalesInvoiceLine": {"Item"},
    "PrintedSalesInvoice": {"InvoiceID"}, "WebhookSubscription": {"CallbackURL", "Topic"},
}
SUPPLEMENT = {"Division": [("BlockingStatus", "Int32", True)],
              # the reference's sync/Deleted lists who and when (facts §3: EntityType, EntityKey, DeletedDate, Timestamp)
              "Deleted": [("DeletedBy", "Guid", True), ("DeletedDate", "DateTime", True)]}
PRIMITIVES = {
    "Guid": "Guid", "string": "String", "int": "Int32", "Int32": "Int32", "short": "Int16", "Int16": "Int16",
    "long": "Int64", "Int64": "Int64", "byte": "Byte", "double": "Double", "decimal": "Decimal", "float": "Double",
    "bool": "Boolean", "DateTime": "DateTime", "byte[]": "Binary", "EntityType": "Int32",
}
_PROP = re.compile(r"public\s+(?P<type>[\w<>\[\]?.]+)\s+(?P<name>\w+)\s*\{\s*get;\s*set;\s*\}")
_KEY = re.compile(r'DataServiceKey\("([\w,]+)"\)')
_PHP_PROP = re.compile(r"public\s+\S+\s+\$(\w+)")


def mandatory(repo: str, path: str) -> set[str]:
    """The non-key properties the reference page marks Mandatory (Pi-Systems' `#[Exact\\Required]`)."""
    text = subprocess.run(["git", "-C", repo, "show", f"HEAD:src/Entity/{path}.php"],
                          check=True, capture_output=True, text=True).stdout
    out = set()
    for block in text.split("/**")[1:]:
        m = _PHP_PROP.search(block)
        if m and "Exact\\Required" in block and "Exact\\Key" not in block:
            out.add(m.group(1))
    return out


def model(repo: str, path: str) -> tuple[set[str], list[tuple[str, str, bool]]]:
    text = subprocess.run(["git", "-C", repo, "show", f"HEAD:src/ExactOnline.Client.Models/{path}.cs"],
                          check=True, capture_output=True, text=True).stdout
    key = set(_KEY.search(text).group(1).split(","))  # a composite key names several
    props, read_only = [], False
    for line in text.splitlines():
        if "FieldType.ReadOnly" in line:
            read_only = True
            continue
        m = _PROP.search(line)
        if m:
            raw = m.group("type").rstrip("?")
            many = re.fullmatch(r"IEnumerable<(\w+)\??>", raw)
            kind = f"Collection({many.group(1)})" if many else PRIMITIVES.get(raw, f"Entity({raw})")
            props.append((m.group("name"), kind, read_only))
            read_only = False
    return key, props


def _head(repo: str) -> list[str]:
    return subprocess.run(["git", "-C", repo, "log", "-1", "--format=%H %cs"], check=True, capture_output=True,
                          text=True).stdout.split()


def main(repo: str, pages: str) -> None:
    head, scraped = _head(repo), _head(pages)
    out = ['"""The documented properties of every entity the sandbox serves — GENERATED by tools/gen_exact_reference.py.',
           "",
           "Source: the entity models of Exact's own .NET SDK (exactonline/exactonline-api-dotnet-client), generated",
           "from Exact's REST API reference, in the maintained fork fretje/exactonline-api-dotnet-client",
           f"(commit {head[0][:12]}, {head[1]}): name, Edm type, read-only. Required: the reference's Mandatory column",
           "(the SDK does not carry it) as Pi-Systems/exact-online scraped it from the reference pages",
           f"(commit {scraped[0][:12]}, {scraped[1]}; keys left out: Exact assigns them), merged with the mandatory",
           "properties the facts page quotes. Each entry is `Name:Type:flags` with flags k = key, r = read-only,",
           "q = required (mandatory on POST); `Collection(X)`/`Entity(X)` are navigation properties.",
           '"""', "", "PROPERTIES: dict[str, tuple[str, ...]] = {"]
    for name, path in MODELS.items():
        key, props = model(repo, path)
        props += [p for p in SUPPLEMENT.get(name, []) if p[0] not in {q[0] for q in props}]
        required = REQUIRED.get(name, set()) | mandatory(pages, MANDATORY_PAGES[name])
        unknown = required - {p[0] for p in props}
        if unknown:  # a mandatory name the SDK lacks: say so rather than invent its type
            print(f"warning: {name}: mandatory {sorted(unknown)} not in the SDK model; left out", file=sys.stderr)
        entries = []
        for prop, kind, read_only in sorted(props, key=lambda p: p[0].lower()):
            flags = ("k" if prop in key else "") + ("r" if read_only else "") + ("q" if prop in required else "")
            entries.append(f"{prop}:{kind}:{flags}")
        out.append(f'    "{name}": (')
        line = "       "
        for entry in entries:
            piece = f' "{entry}",'
            if len(line) + len(piece) > 118:
                out.append(line)
                line = "       "
            line += piece
        out.append(line)
        out.append("    ),")
    out.append("}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
