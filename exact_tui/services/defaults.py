"""Step 7 of the set-up: which product number each invoice line gets.

Per data type a principle (select when invoicing / by dimension / one specific item), and for
"by dimension" every hourly rate, project type, … mapped to an active item; what is unmapped is
listed, because its invoice lines would have no item.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..domain.products import DataType, Dimension, DimensionKind, Principle, ProductPrinciple
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
        active = {p.code for p in session.store.products.all() if p.active}
        if principle.product_number not in active:
            raise ValueError(f"{DATA_TYPE_LABELS[principle.data_type]}: product number "
                             f"{principle.product_number or '(none)'} is not an active item (step 6)")
    current = principles(session)
    current[principle.data_type] = principle
    stored = getattr(session.settings(), "principles", None)
    value: object = list(current.values()) if isinstance(stored, list) else {str(k): v for k, v in current.items()}
    session.store.settings.update(principles=value)
    session.events.success(f"{DATA_TYPE_LABELS[principle.data_type]}: {describe(principle)}", side=Side.LOCAL,
                           topic="products")


def describe(principle: ProductPrinciple) -> str:
    if principle.principle is Principle.BY_DIMENSION and principle.dimension_kind:
        return f"by {DIMENSION_LABELS[principle.dimension_kind].lower()}"
    if principle.principle is Principle.SPECIFIC:
        return f"always item {principle.product_number}"
    return PRINCIPLE_LABELS[principle.principle].lower()


def dimensions(session: ConsoleSession, kind: DimensionKind | None = None) -> list[Dimension]:
    rows = session.store.dimensions.all()
    if kind is not None:
        rows = [d for d in rows if DimensionKind(d.kind) is kind]
    return sorted(rows, key=lambda d: (str(d.kind), d.name.lower(), d.id))


def map_dimension(session: ConsoleSession, dimension: Dimension, product_number: str) -> Dimension:
    """Map one hourly rate / project type / … to an active item ("" removes the mapping)."""
    code = product_number.strip()
    if code:
        active = {p.code for p in session.store.products.all() if p.active}
        if code not in active:
            raise ValueError(f"{DIMENSION_LABELS[DimensionKind(dimension.kind)]} {dimension.name!r}: product number "
                             f"{code!r} is not an active item (activate it in step 6)")
    updated = dataclasses.replace(dimension, product_number=code)
    session.store.dimensions.put_many([updated])
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
    flags: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # item code -> why invoices cannot use it
    unusable: list[str] = dataclasses.field(default_factory=list)  # the `missing` lines about mapped items


def mapping_flags(session: ConsoleSession) -> dict[str, list[str]]:
    """Per item code used in step 7 (a dimension's item or a data type's default), why invoices cannot
    use it: missing from Exact's item list, deleted, ended (inactive), not for sale, no revenue G/L, not
    activated in step 6 — `product_sync.item_flags`, the one rule the pre-flight and `sync products` use."""
    from .product_sync import item_flags

    out: dict[str, list[str]] = {}
    for flag in item_flags(session.store):
        if any("step 7" in use for use in flag.used_by):
            out.setdefault(flag.code, []).append(flag.problem)
    return out


def defaults_status(session: ConsoleSession) -> DefaultsStatus:
    """Which data types have a usable principle and which dimension values are still unmapped."""
    chosen = principles(session)
    used_kinds = {p.dimension_kind for p in chosen.values()
                  if p.principle is Principle.BY_DIMENSION and p.dimension_kind is not None}
    dims = session.store.dimensions.all()
    unmapped: dict[DimensionKind, int] = {}
    for dim in dims:
        kind = DimensionKind(dim.kind)
        if kind in used_kinds and not dim.product_number:
            unmapped[kind] = unmapped.get(kind, 0) + 1
    missing = [f"{n} {DIMENSION_LABELS[k].lower()}s without a product number" for k, n in sorted(unmapped.items())]
    active = {p.code for p in session.store.products.all() if p.active}
    said = set()
    for p in chosen.values():
        if p.principle is Principle.SPECIFIC and p.product_number not in active:
            missing.append(f"{DATA_TYPE_LABELS[p.data_type]}: item {p.product_number} is not active")
            said.add(p.product_number)
    flags = mapping_flags(session)
    unusable = []
    for code, problems in flags.items():
        problems = [w for w in problems if code not in said or "not activated" not in w]
        if problems:
            unusable.append(f"item {code}: {'; '.join(problems)}")
    picked = sum(1 for p in chosen.values() if p.principle is not Principle.SELECT_WHEN_INVOICING)
    summary = f"{picked} of {len(chosen)} data types automatic" + (f", {sum(unmapped.values())} unmapped" if unmapped else "")
    return DefaultsStatus(bool(getattr(session.settings(), "principles", None)), summary, missing + unusable,
                          unmapped, flags, unusable)
