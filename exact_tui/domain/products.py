"""Product numbers: Exact items, the local data types that carry them, and how lines find one."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class DataType(StrEnum):
    """What an invoice line is for; each has a default product-number principle."""

    TIME_MATERIAL = "time_material"
    FIXED_PRICE = "fixed_price"
    EXPENSES = "expenses"
    TRAVEL = "travel"
    MILEAGE = "mileage"
    SUBSCRIPTION = "subscription"


class DimensionKind(StrEnum):
    """Local master data that can carry a product number."""

    HOURLY_RATE = "hourly_rate"
    PROJECT_TYPE = "project_type"
    PROJECT_CATEGORY = "project_category"
    EXPENSE_TYPE = "expense_type"
    TASK_TYPE = "task_type"


class Principle(StrEnum):
    """How a data type's lines get their product number."""

    SELECT_WHEN_INVOICING = "select_when_invoicing"
    BY_DIMENSION = "by_dimension"
    SPECIFIC = "specific"


@dataclass(slots=True)
class Dimension:
    """One hourly rate / project type / … of the local side, possibly mapped to an Exact item."""

    kind: DimensionKind
    id: str
    name: str
    product_number: str = ""  # Exact item code, empty while unmapped


@dataclass(slots=True)
class ProductNumber:
    """An Exact item as imported into the console (logistics/Items), with its fitness for invoicing."""

    code: str
    description: str
    exact_id: str = ""
    is_sales_item: bool = True
    divisible: bool = True  # IsFractionAllowedItem: hours are invoiced in fractions
    revenue_gl: str = ""  # GLRevenueCode; empty makes invoices fail in Exact
    vat_code: str = ""
    active: bool = False  # chosen by the user for use in invoicing
    ends_at: dt.datetime | None = None  # Exact's EndDate: from then on Exact refuses the item on new lines
    gone: bool = False  # deleted in Exact (sync/Deleted) or no longer in its item list

    def ended(self, now: dt.datetime | None = None) -> bool:
        """Exact no longer accepts the item: deleted, or its end date has passed."""
        return self.gone or (self.ends_at is not None and self.ends_at <= (now or dt.datetime.now(dt.timezone.utc)))

    def problems(self, now: dt.datetime | None = None) -> list[str]:
        """What will make invoices using this item fail or go wrong in Exact."""
        found = []
        if self.gone:
            found.append("deleted in Exact: invoices using it are refused")
        elif self.ended(now):
            found.append(f"ended in Exact on {self.ends_at:%Y-%m-%d}: invoices using it are refused")
        if not self.divisible:
            found.append("not divisible: hours in fractions will be refused")
        if not self.revenue_gl:
            found.append("no revenue G/L account: invoices fail with 'Required: general ledger account'")
        if not self.is_sales_item:
            found.append("not a sales item")
        return found


@dataclass(slots=True)
class ProductPrinciple:
    """The chosen principle for one data type."""

    data_type: DataType
    principle: Principle = Principle.SELECT_WHEN_INVOICING
    dimension_kind: DimensionKind | None = None  # with BY_DIMENSION
    product_number: str = ""  # with SPECIFIC
