"""Step 7: per data type a principle, then each hourly rate / project type / … mapped to an item."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.products import DataType, DimensionKind, Principle, ProductPrinciple
from ...services import defaults as svc
from ...services import products as product_numbers
from ..screens.pick import PickScreen
from ..shown import printable, safe
from .base import StepView

PRINCIPLE_ORDER = [Principle.SELECT_WHEN_INVOICING, Principle.BY_DIMENSION, Principle.SPECIFIC]
KIND_ORDER = list(DimensionKind)


class DefaultsStep(StepView):
    KEY, NUMBER, TITLE = "defaults", 7, "Default product numbers"
    INTRO = ("Per data type: p cycles the principle, d the dimension, Enter picks the item. In the mapping "
             "table Enter maps the row, x clears it, u shows only what is unmapped.")
    BINDINGS = [
        Binding("p", "cycle_principle", "Principle", id="defaults.principle"),
        Binding("d", "cycle_dimension", "Dimension", id="defaults.dimension"),
        Binding("x", "clear_mapping", "Clear mapping", id="defaults.clear"),
        Binding("u", "toggle_unmapped", "Unmapped only", id="defaults.unmapped"),
    ]

    def __init__(self, session, **kw) -> None:
        super().__init__(session, **kw)
        self.unmapped_only = False

    def compose_body(self):
        principles = DataTable(id="principles", cursor_type="row", zebra_stripes=True)
        principles.add_columns("Data type", "Principle", "Dimension / item")
        yield principles
        yield Static("", id="unmapped", classes="warning")
        mapping = DataTable(id="mapping", cursor_type="row", zebra_stripes=True)
        mapping.add_columns("Dimension", "Name", "Product number", "")
        yield mapping

    def first_focus(self):
        return self.query_one("#principles")

    def on_step_shown(self) -> None:
        self._fill()

    def _fill(self) -> None:
        chosen = svc.principles(self.session)
        flags = svc.mapping_flags(self.session)
        table = self.query_one("#principles", DataTable)
        row = table.cursor_row
        table.clear()
        for data_type, principle in chosen.items():
            detail = ""
            if principle.principle is Principle.BY_DIMENSION and principle.dimension_kind:
                detail = svc.DIMENSION_LABELS[principle.dimension_kind]
            elif principle.principle is Principle.SPECIFIC:
                detail = safe(principle.product_number) if principle.product_number else "(pick with Enter)"
                problems = flags.get(principle.product_number, [])
                if problems and isinstance(detail, Text):
                    detail.append(f" ⚠ {printable(short_problem(problems[0]))}", style="bold yellow")
            table.add_row(svc.DATA_TYPE_LABELS[data_type], svc.PRINCIPLE_LABELS[principle.principle], detail,
                          key=data_type.value)
        table.move_cursor(row=min(row, table.row_count - 1))
        self._fill_mapping(chosen)

    def _fill_mapping(self, chosen) -> None:
        kinds = [p.dimension_kind for p in chosen.values()
                 if p.principle is Principle.BY_DIMENSION and p.dimension_kind is not None]
        status = svc.defaults_status(self.session)
        unmapped = [m for m in status.missing if m not in status.unusable]
        text = (Text("⚠ Still unmapped: " + "; ".join(map(printable, unmapped))) if unmapped
                else Text("✓ Everything that needs a product number has one.", style="green") if kinds and not status.unusable
                else Text("Choose 'By dimension' for a data type to map its hourly rates, project types, …")
                if not status.unusable else Text(""))
        for line in status.unusable:  # mapped, but Exact will refuse the item: said where the mapping is
            text.append(("\n" if text.plain else "") + f"⚠ {printable(line)}", style="bold yellow")
        self.query_one("#unmapped", Static).update(text)
        table = self.query_one("#mapping", DataTable)
        row = table.cursor_row
        table.clear()
        for dim in svc.dimensions(self.session):
            kind = DimensionKind(dim.kind)
            if kind not in kinds or (self.unmapped_only and dim.product_number):
                continue
            problems = status.flags.get(dim.product_number, []) if dim.product_number else []
            mark = (Text("⚠ " + printable(short_problem(problems[0])), style="bold yellow") if problems
                    else Text("✓", style="green") if dim.product_number else Text("unmapped", style="bold yellow"))
            table.add_row(svc.DIMENSION_LABELS[kind], safe(dim.name), safe(dim.product_number or "—"), mark,
                          key=f"{kind.value}|{dim.id}")
        table.border_title = f"Mapping ({table.row_count})"
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _current_principle(self) -> ProductPrinciple | None:
        table = self.query_one("#principles", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return svc.principles(self.session)[DataType(key)]

    def _save(self, principle: ProductPrinciple) -> None:
        self.run_service(svc.set_principle, self.session, principle, done=lambda _: self._fill(), group="save")

    def action_cycle_principle(self) -> None:
        if self.focused_table() != "principles":
            return
        current = self._current_principle()
        if current is None:
            return
        nxt = PRINCIPLE_ORDER[(PRINCIPLE_ORDER.index(current.principle) + 1) % len(PRINCIPLE_ORDER)]
        if nxt is Principle.BY_DIMENSION:
            self._save(ProductPrinciple(current.data_type, nxt, current.dimension_kind or _default_kind(current.data_type)))
        elif nxt is Principle.SPECIFIC:
            self._pick_specific(current)
        else:
            self._save(ProductPrinciple(current.data_type, nxt))

    def action_cycle_dimension(self) -> None:
        current = self._current_principle()
        if current is None or self.focused_table() != "principles":
            return
        kind = current.dimension_kind or _default_kind(current.data_type)
        nxt = KIND_ORDER[(KIND_ORDER.index(kind) + 1) % len(KIND_ORDER)] if current.dimension_kind else kind
        self._save(ProductPrinciple(current.data_type, Principle.BY_DIMENSION, nxt))

    def focused_table(self) -> str | None:
        focused = self.app.focused
        return focused.id if isinstance(focused, DataTable) else None

    def _item_choices(self) -> list[tuple[str, str]]:
        return [(p.code, f"{p.code}  {p.description}" + ("  ⚠" if p.problems() else ""))
                for p in product_numbers.products(self.session) if p.active]

    def _pick_specific(self, current: ProductPrinciple) -> None:
        choices = self._item_choices()
        if not choices:
            self.local_problem("No active product numbers yet.", "Import and activate items in step 6 first.")
            return

        def picked(code: str | None) -> None:
            if code:
                self._save(ProductPrinciple(current.data_type, Principle.SPECIFIC, product_number=code))

        self.app.push_screen(PickScreen(f"{svc.DATA_TYPE_LABELS[current.data_type]}: always this item", choices),
                             picked)

    @on(DataTable.RowSelected, "#principles")
    def _principle_enter(self) -> None:
        current = self._current_principle()
        if current is None:
            return
        if current.principle is Principle.SPECIFIC:
            self._pick_specific(current)
        elif current.principle is Principle.BY_DIMENSION:
            self.query_one("#mapping").focus()
        else:
            self.action_cycle_principle()

    def _current_dimension(self):
        table = self.query_one("#mapping", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        kind, ident = key.split("|", 1)
        return next((d for d in svc.dimensions(self.session, DimensionKind(kind)) if d.id == ident), None)

    @on(DataTable.RowSelected, "#mapping")
    def _map_enter(self) -> None:
        dim = self._current_dimension()
        if dim is None:
            return
        choices = self._item_choices()
        if not choices:
            self.local_problem("No active product numbers yet.", "Import and activate items in step 6 first.")
            return

        def picked(code: str | None) -> None:
            if code:
                self.run_service(svc.map_dimension, self.session, dim, code, done=lambda _: self._after_map(),
                                 group="save")

        kind = svc.DIMENSION_LABELS[DimensionKind(dim.kind)]
        self.app.push_screen(PickScreen(f"{kind} {dim.name}: product number", choices,
                                        note=f"now: {dim.product_number or 'unmapped'}"), picked)

    def _after_map(self) -> None:
        table = self.query_one("#mapping", DataTable)
        row = table.cursor_row
        self._fill_mapping(svc.principles(self.session))
        if table.row_count:
            table.move_cursor(row=min(row + (0 if self.unmapped_only else 1), table.row_count - 1))

    def action_clear_mapping(self) -> None:
        if self.focused_table() != "mapping":
            return
        dim = self._current_dimension()
        if dim is not None and dim.product_number:
            self.run_service(svc.map_dimension, self.session, dim, "", done=lambda _: self._after_map(), group="save")

    def action_toggle_unmapped(self) -> None:
        self.unmapped_only = not self.unmapped_only
        self._fill_mapping(svc.principles(self.session))


def _default_kind(data_type: DataType) -> DimensionKind:
    return {DataType.TIME_MATERIAL: DimensionKind.HOURLY_RATE, DataType.FIXED_PRICE: DimensionKind.PROJECT_TYPE,
            DataType.EXPENSES: DimensionKind.EXPENSE_TYPE, DataType.TRAVEL: DimensionKind.EXPENSE_TYPE,
            DataType.MILEAGE: DimensionKind.EXPENSE_TYPE, DataType.SUBSCRIPTION: DimensionKind.PROJECT_CATEGORY
            }[data_type]


def short_problem(problem: str) -> str:
    """'not in Exact's item list', 'deleted in Exact', 'ended in Exact on 2026-01-31': the mapping's mark
    (the whole text is in the status line above the table and in step 8)."""
    return problem.split(" (")[0].split(":")[0]
