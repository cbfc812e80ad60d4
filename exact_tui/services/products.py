"""Step 6 of the set-up: product numbers (Exact items) the invoice lines may use.

Invoices fail in Exact when an item has no revenue G/L account, and hours in fractions are
refused on items that are not divisible, so the import flags both before anything is transferred.
A re-import keeps each item's active choice and says what changed in Exact since the last one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from ..domain.products import ProductNumber
from ..domain.wording import count, number
from .events import Side
from .session import ConsoleSession

_COMPARED = ("description", "is_sales_item", "divisible", "revenue_gl", "vat_code", "exact_id")


@dataclass(slots=True)
class ImportResult:
    """What an import from Exact brought: new items, changed fields, items gone from Exact."""

    items: list[ProductNumber]
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> "divisible: yes → no"
    removed: list[str] = field(default_factory=list)

    @property
    def first(self) -> bool:
        return not self.changed and not self.removed and len(self.added) == len(self.items)

    def summary(self) -> str:
        if self.first:
            return f"{count(len(self.items), 'item')} imported from Exact"
        if not (self.added or self.changed or self.removed):
            return f"{count(len(self.items), 'item')}, nothing changed in Exact since the last import"
        return (f"{count(len(self.items), 'item')}: {number(len(self.added))} new, {number(len(self.changed))} changed, "
                f"{number(len(self.removed))} gone from Exact")


def products(session: ConsoleSession) -> list[ProductNumber]:
    return sorted(session.store.products.all(), key=lambda p: p.code)


def _yes(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "—"


async def import_items(session: ConsoleSession) -> ImportResult:
    """Pull `logistics/Items` and store them as product numbers, keeping each one's active choice."""
    client = session.require_client()
    now = dt.datetime.now(dt.timezone.utc)
    items = await client.items()
    before = {p.code: p for p in session.store.products.all()}
    fresh: list[ProductNumber] = []
    result = ImportResult(fresh)
    for item in items:
        if item.end_date is not None and item.end_date <= now:
            continue  # ended items cannot be invoiced
        product = ProductNumber(
            code=item.code, description=item.description, exact_id=item.id or "",
            is_sales_item=item.is_sales_item is not False, divisible=item.divisible is not False,
            revenue_gl=item.gl_revenue_code or "", vat_code=item.sales_vat_code or "",
            active=before[item.code].active if item.code in before else False)
        old = before.get(item.code)
        if old is None:
            result.added.append(item.code)
        else:
            diffs = [f"{name}: {_yes(getattr(old, name))} → {_yes(getattr(product, name))}"
                     for name in _COMPARED if getattr(old, name) != getattr(product, name)]
            if diffs:
                result.changed[item.code] = diffs
        fresh.append(product)
    seen = {p.code for p in fresh}
    for code, old in before.items():
        if code not in seen:
            result.removed.append(code)
            if old.active:
                fresh.append(dataclasses.replace(old, active=False))
                session.events.warning(f"Item {code} is gone from Exact (deleted or ended): deactivated",
                                       side=Side.EXACT, topic="products", record=f"item {code}")
            else:
                fresh.append(old)
    fresh.sort(key=lambda p: p.code)
    session.store.products.put_many(fresh)
    session.cache.items_imported = result
    session.events.success(result.summary(), side=Side.EXACT, topic="products")
    for code, diffs in result.changed.items():
        session.events.info(f"Item {code} changed in Exact: " + "; ".join(diffs), side=Side.EXACT,
                            topic="products", record=f"item {code}")
    return result


def set_active(session: ConsoleSession, codes: set[str]) -> list[ProductNumber]:
    """Make exactly `codes` the active product numbers; warns about the ones that will fail in Exact."""
    current = session.store.products.all()
    changed = [dataclasses.replace(p, active=p.code in codes) for p in current if p.active != (p.code in codes)]
    if changed:
        session.store.products.put_many(changed)
    active = [p for p in current if p.code in codes]
    session.events.success(f"{count(len(active), 'product number')} active", side=Side.LOCAL, topic="products")
    for product in active:
        for problem in product.problems():
            session.events.warning(f"Item {product.code}: {problem}", side=Side.EXACT, topic="products",
                                   record=f"item {product.code}")
    return active


@dataclass(slots=True)
class ProductStatus:
    imported: int
    active: int
    missing: list[str]


def product_status(session: ConsoleSession) -> ProductStatus:
    items = session.store.products.all()
    active = [p for p in items if p.active]
    missing = []
    if not items:
        missing.append("no items imported from Exact")
    elif not active:
        missing.append("no product numbers activated")
    risky = [p.code for p in active if p.problems()]
    if risky:
        missing.append(f"{len(risky)} active items will fail or go wrong in Exact ({', '.join(risky[:5])}"
                       + ("…" if len(risky) > 5 else "") + ")")
    from .product_sync import item_flags

    mapped = sorted({f.code for f in item_flags(session.store) if f.code not in risky})
    if mapped:
        missing.append(f"{len(mapped)} items mapped in step 7 cannot be invoiced ({', '.join(mapped[:5])}"
                       + ("…" if len(mapped) > 5 else "") + "): exact-tui sync products lists why")
    return ProductStatus(len(items), len(active), missing)
