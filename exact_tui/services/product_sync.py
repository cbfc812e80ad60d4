"""Product numbers ←: what changed in Exact's items since the last pull, and the mappings it breaks.

`sync/Logistics/Items` from the stored Timestamp (1,000 rows a call: an unchanged re-sync costs one
call) plus `sync/Deleted` type 9 (Items), which is the only place a deleted item shows. The first
pull (or one after the division changed) reads every item and marks the product numbers Exact no
longer has as gone. A product number keeps the user's step-6 choice whatever Exact did: nothing is
deactivated behind the user's back, the change is flagged where the item is used instead.

`item_flags(store)` is the one rule for "an item used in a mapping is no longer fit for invoicing":
the items active in step 6, mapped to a dimension or chosen as a data type's default in step 7,
that are missing, ended or deleted in Exact, not for sale, or lost their revenue G/L account (or are
not activated in step 6). Step 6/7 and the transfer pre-flight read the same product numbers.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..domain.products import ProductNumber
from .budget import pages
from .events import EventBus, Side

ITEM_ENTITY = 9  # sync/Deleted EntityType of Items
ITEMS_SYNC = "sync/Logistics/Items"


@dataclass(slots=True)
class ItemFlag:
    """One item used by the set-up that Exact will refuse (or that invoices cannot use yet)."""

    code: str
    problem: str
    used_by: list[str]
    todo: str

    def text(self) -> str:
        return f"item {self.code} ({', '.join(self.used_by)}): {self.problem} — {self.todo}"


@dataclass(slots=True)
class ProductSyncReport:
    calls: int = 0
    first: bool = False
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> "revenue_gl: 8000 → —"
    gone: list[str] = field(default_factory=list)
    flags: list[ItemFlag] = field(default_factory=list)
    timestamp: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"calls": self.calls, "first": self.first, "added": self.added, "changed": self.changed,
                "gone": self.gone, "timestamp": self.timestamp,
                "flags": [dataclasses.asdict(f) for f in self.flags]}

    def summary(self) -> str:
        text = (f"items: {len(self.added)} new, {len(self.changed)} changed, {len(self.gone)} gone in Exact"
                f" ({self.calls} call{'s' if self.calls != 1 else ''})")
        if self.flags:
            text += f"; {len(self.flags)} item{'s' if len(self.flags) != 1 else ''} in use need attention"
        return text


_COMPARED = ("description", "is_sales_item", "divisible", "revenue_gl", "vat_code", "exact_id", "ends_at", "gone")


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}"
    return str(value) if value not in (None, "") else "—"


def _product(item: Any, old: ProductNumber | None) -> ProductNumber:
    return ProductNumber(
        code=item.code, description=item.description, exact_id=item.id or "",
        is_sales_item=item.is_sales_item is not False, divisible=item.divisible is not False,
        revenue_gl=item.gl_revenue_code or "", vat_code=item.sales_vat_code or "",
        active=old.active if old is not None else False, ends_at=item.end_date, gone=False)


def estimate(store: Any) -> int:
    """Calls the next `sync_products` costs: every item on a first pull, else 1; plus `sync/Deleted`."""
    first = store.item_sync.timestamp is None
    return (pages(len(store.products)) if first else 1) + 1


async def sync_products(store: Any, exact: Any, *, events: EventBus | None = None,
                        division: int | None = None) -> ProductSyncReport:
    """Pull the items changed since the last Timestamp and update the product numbers (one write)."""
    from ..exact.records import Item

    division = division if division is not None else store.settings.get().division
    cursor = store.item_sync
    first = cursor.timestamp is None or cursor.division not in (None, division)
    report = ProductSyncReport(first=first)
    before = exact.calls
    pulled = await exact.sync(Item, ITEMS_SYNC, None if first else cursor.timestamp)
    deleted = await exact.sync_deleted(None if first else cursor.deleted_timestamp)
    report.calls = exact.calls - before
    report.timestamp = pulled.timestamp
    gone_ids = {str(d.entity_key).lower() for d in deleted.rows if d.entity_type == ITEM_ENTITY and d.entity_key}
    known = {p.code: p for p in store.products.all()}
    fresh: dict[str, ProductNumber] = {}
    for item in pulled.rows:
        if not item.code:
            continue
        old = known.get(item.code)
        product = _product(item, old)
        if (item.id or "").lower() in gone_ids:
            product = dataclasses.replace(product, gone=True)
        fresh[item.code] = product
    seen = set(fresh)
    for code, old in known.items():
        if code in seen:
            continue
        if (first and not old.gone) or (old.exact_id and old.exact_id.lower() in gone_ids and not old.gone):
            fresh[code] = dataclasses.replace(old, gone=True)  # deleted in Exact (or not in its full list)
    for code, product in fresh.items():
        old = known.get(code)
        if old is None:
            report.added.append(code)
            continue
        diffs = [f"{name}: {_shown(getattr(old, name))} → {_shown(getattr(product, name))}"
                 for name in _COMPARED if getattr(old, name) != getattr(product, name)]
        if diffs:
            report.changed[code] = diffs
            if product.gone:
                report.gone.append(code)
    changed = [fresh[c] for c in report.added] + [fresh[c] for c in report.changed]
    with store.batch("catalogue.json"):
        if changed:
            store.products.put_many(changed)
        cursor.advance(division=division, timestamp=pulled.timestamp, deleted_timestamp=deleted.timestamp)
        cursor.ran(dt.datetime.now(dt.timezone.utc))  # `run` starts the next one `interval_hours` later
    report.flags = item_flags(store)
    if events is not None:
        events.info("Product numbers: " + report.summary(), side=Side.EXACT, topic="products")
        for code, diffs in report.changed.items():
            events.info(f"Item {code} changed in Exact: " + "; ".join(diffs), side=Side.EXACT, topic="products",
                        record=f"item {code}")
        for flag in report.flags:
            events.warning(flag.text(), side=Side.EXACT, topic="products", record=f"item {flag.code}")
    return report


def item_uses(store: Any) -> dict[str, list[str]]:
    """Where the set-up uses each item code: active in step 6, a dimension's or a data type's item in step 7."""
    from .defaults import DATA_TYPE_LABELS, DIMENSION_LABELS

    uses: dict[str, list[str]] = {}
    for product in store.products.all():
        if product.active:
            uses.setdefault(product.code, []).append("active in step 6")
    for dim in store.dimensions.all():
        if dim.product_number:
            label = DIMENSION_LABELS.get(dim.kind, str(dim.kind))
            uses.setdefault(dim.product_number, []).append(f"{label} {dim.name!r} in step 7")
    principles = store.settings.get().principles or {}
    for principle in (principles.values() if isinstance(principles, dict) else principles):
        if getattr(principle, "product_number", ""):
            label = DATA_TYPE_LABELS.get(principle.data_type, str(principle.data_type))
            uses.setdefault(principle.product_number, []).append(f"default of {label} in step 7")
    return uses


def item_flags(store: Any, *, now: dt.datetime | None = None) -> list[ItemFlag]:
    """The items the set-up uses that invoices cannot use (the one rule; see the module's docstring)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    products = {p.code: p for p in store.products.all()}
    refix = "fix the item in Exact and sync the items (exact-tui sync products, or ctrl+r in step 6), or map another item"
    flags = []
    for code, used_by in sorted(item_uses(store).items()):
        product = products.get(code)
        if product is None:
            flags.append(ItemFlag(code, "not in Exact's item list", used_by,
                                  "import the items in step 6 and check the code, or map another item in step 7"))
            continue
        if product.gone:
            flags.append(ItemFlag(code, "deleted in Exact", used_by, "map another item in step 7 (and deactivate it "
                                  "in step 6)"))
            continue
        if product.ended(now):
            flags.append(ItemFlag(code, f"ended in Exact on {product.ends_at:%Y-%m-%d} (inactive)", used_by, refix))
        if not product.is_sales_item:
            flags.append(ItemFlag(code, "not for sale in Exact (not a sales item)", used_by, refix))
        if not product.revenue_gl:
            flags.append(ItemFlag(code, "has no revenue G/L account in Exact: invoices fail with 'Required: general "
                                  "ledger account'", used_by, refix))
        if not product.active and any("step 7" in u for u in used_by):
            flags.append(ItemFlag(code, "mapped in step 7 but not activated in step 6", used_by,
                                  "activate it in step 6 (space), or map another item"))
    return flags
