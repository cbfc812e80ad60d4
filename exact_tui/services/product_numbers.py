"""Steps 6 and 7: product numbers (Exact items) and which one each invoice line gets.

Invoices fail in Exact when an item has no revenue G/L account, and hours in fractions are
refused on items that are not divisible, so the import flags both before anything is transferred.
Step 7 chooses, per data type, a principle (select when invoicing / by dimension / one specific
item) and maps every hourly rate, project type, … to an item; what is unmapped is listed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from ..domain.products import DataType, Dimension, DimensionKind, Principle, ProductNumber, ProductPrinciple
from . import _repo
from .events import Side
from .session import ConsoleSession

DATA_TYPE_LABELS: dict[DataType, str] = {
    DataType.TIME_MATERIAL: "Time & material", DataType.FIXED_PRICE: "Fixed price",
    DataType.EXPENSES: "Expenses", DataType.TRAVEL: "Travel", DataType.MILEAGE: "Mileage",
    DataType.SUBSCRIPTION: "Subscription",
}
DIMENSION_LABELS: dict[DimensionKind, str] = {
    DimensionKind.HOURLY_RATE: "Hourly rate", DimensionKind.PROJECT_TYPE: "Project type",
    DimensionKind.PROJECT_CATEGORY: "Project category", DimensionKind.EXPENSE_TYPE: "Expense type",
    DimensionKind.TASK_TYPE: "Task type",
}
PRINCIPLE_LABELS: dict[Principle, str] = {
    Principle.SELECT_WHEN_INVOICING: "Select when invoicing",
    Principle.BY_DIMENSION: "By dimension",
    Principle.SPECIFIC: "A specific product number",
}
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
            return f"{len(self.items)} items imported from Exact"
        if not (self.added or self.changed or self.removed):
            return f"{len(self.items)} items, nothing changed in Exact since the last import"
        return (f"{len(self.items)} items: {len(self.added)} new, {len(self.changed)} changed, "
                f"{len(self.removed)} gone from Exact")


def products(session: ConsoleSession) -> list[ProductNumber]:
    return sorted(_repo.all_of(session.store.products), key=lambda p: p.code)


def _yes(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "—"


async def import_items(session: ConsoleSession) -> ImportResult:
    """Pull `logistics/Items` and store them as product numbers, keeping each one's active choice."""
    client = session.require_client()
    now = dt.datetime.now(dt.timezone.utc)
    items = await client.items()
    before = {p.code: p for p in _repo.all_of(session.store.products)}
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
    _repo.put_all(session.store.products, fresh)
    session.cache["items_imported"] = result
    session.events.success(result.summary(), side=Side.EXACT, topic="products")
    for code, diffs in result.changed.items():
        session.events.info(f"Item {code} changed in Exact: " + "; ".join(diffs), side=Side.EXACT,
                            topic="products", record=f"item {code}")
    return result


def set_active(session: ConsoleSession, codes: set[str]) -> list[ProductNumber]:
    """Make exactly `codes` the active product numbers; warns about the ones that will fail in Exact."""
    current = _repo.all_of(session.store.products)
    changed = [dataclasses.replace(p, active=p.code in codes) for p in current if p.active != (p.code in codes)]
    if changed:
        _repo.put_all(session.store.products, changed)
    active = [p for p in current if p.code in codes]
    session.events.success(f"{len(active)} product numbers active", side=Side.LOCAL, topic="products")
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
    items = _repo.all_of(session.store.products)
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
    return ProductStatus(len(items), len(active), missing)


# -- step 7: principles and the dimension mapping ----------------------------------------------
def principles(session: ConsoleSession) -> dict[DataType, ProductPrinciple]:
    """The chosen principle per data type (select when invoicing until chosen)."""
    stored = getattr(session.settings(), "principles", None) or {}
    values = stored.values() if isinstance(stored, dict) else stored
    out = {dtp: ProductPrinciple(dtp) for dtp in DataType}
    for value in values:
        principle = value if isinstance(value, ProductPrinciple) else ProductPrinciple(
            DataType(value["data_type"]), Principle(value["principle"]),
            DimensionKind(value["dimension_kind"]) if value.get("dimension_kind") else None,
            value.get("product_number", ""))
        out[principle.data_type] = principle
    return out


def set_principle(session: ConsoleSession, principle: ProductPrinciple) -> None:
    """Save one data type's principle (checked: a dimension or item must come with it)."""
    if principle.principle is Principle.BY_DIMENSION and principle.dimension_kind is None:
        raise ValueError(f"{DATA_TYPE_LABELS[principle.data_type]}: choose which dimension decides the product number")
    if principle.principle is Principle.SPECIFIC:
        active = {p.code for p in _repo.all_of(session.store.products) if p.active}
        if principle.product_number not in active:
            raise ValueError(f"{DATA_TYPE_LABELS[principle.data_type]}: product number "
                             f"{principle.product_number or '(none)'} is not an active item (step 6)")
    current = principles(session)
    current[principle.data_type] = principle
    stored = getattr(session.settings(), "principles", None)
    value: object = list(current.values()) if isinstance(stored, list) else {str(k): v for k, v in current.items()}
    _repo.update_settings(session.store, principles=value)
    session.events.success(f"{DATA_TYPE_LABELS[principle.data_type]}: {describe(principle)}", side=Side.LOCAL,
                           topic="products")


def describe(principle: ProductPrinciple) -> str:
    if principle.principle is Principle.BY_DIMENSION and principle.dimension_kind:
        return f"by {DIMENSION_LABELS[principle.dimension_kind].lower()}"
    if principle.principle is Principle.SPECIFIC:
        return f"always item {principle.product_number}"
    return PRINCIPLE_LABELS[principle.principle].lower()


def dimensions(session: ConsoleSession, kind: DimensionKind | None = None) -> list[Dimension]:
    rows = _repo.all_of(session.store.dimensions)
    if kind is not None:
        rows = [d for d in rows if DimensionKind(d.kind) is kind]
    return sorted(rows, key=lambda d: (str(d.kind), d.name.lower(), d.id))


def map_dimension(session: ConsoleSession, dimension: Dimension, product_number: str) -> Dimension:
    """Map one hourly rate / project type / … to an active item ("" removes the mapping)."""
    code = product_number.strip()
    if code:
        active = {p.code for p in _repo.all_of(session.store.products) if p.active}
        if code not in active:
            raise ValueError(f"{DIMENSION_LABELS[DimensionKind(dimension.kind)]} {dimension.name!r}: product number "
                             f"{code!r} is not an active item (activate it in step 6)")
    updated = dataclasses.replace(dimension, product_number=code)
    _repo.put_all(session.store.dimensions, [updated])
    session.events.info(f"{DIMENSION_LABELS[DimensionKind(dimension.kind)]} {dimension.name} → "
                        f"{code or '(unmapped)'}", side=Side.LOCAL, topic="products",
                        record=f"{dimension.kind} {dimension.id}")
    return updated


@dataclass(slots=True)
class DefaultsStatus:
    chosen: bool
    summary: str
    missing: list[str]
    unmapped: dict[DimensionKind, int]


def defaults_status(session: ConsoleSession) -> DefaultsStatus:
    """Which data types have a usable principle and which dimension values are still unmapped."""
    chosen = principles(session)
    used_kinds = {p.dimension_kind for p in chosen.values()
                  if p.principle is Principle.BY_DIMENSION and p.dimension_kind is not None}
    dims = _repo.all_of(session.store.dimensions)
    unmapped: dict[DimensionKind, int] = {}
    for dim in dims:
        kind = DimensionKind(dim.kind)
        if kind in used_kinds and not dim.product_number:
            unmapped[kind] = unmapped.get(kind, 0) + 1
    missing = [f"{n} {DIMENSION_LABELS[k].lower()}s without a product number" for k, n in sorted(unmapped.items())]
    active = {p.code for p in _repo.all_of(session.store.products) if p.active}
    for p in chosen.values():
        if p.principle is Principle.SPECIFIC and p.product_number not in active:
            missing.append(f"{DATA_TYPE_LABELS[p.data_type]}: item {p.product_number} is not active")
    picked = sum(1 for p in chosen.values() if p.principle is not Principle.SELECT_WHEN_INVOICING)
    summary = f"{picked} of {len(chosen)} data types automatic" + (f", {sum(unmapped.values())} unmapped" if unmapped else "")
    return DefaultsStatus(bool(getattr(session.settings(), "principles", None)), summary, missing, unmapped)
