"""Step 6: import items from Exact and choose which are active (multi-select with a filter)."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...services import products as svc
from ..widgets.toggles import ShapedSelectionList
from .base import StepView
from ..shown import printable, safe


class ProductsStep(StepView):
    KEY, NUMBER, TITLE = "products", 6, "Product numbers"
    INTRO = ("Import the items from Exact and activate the ones invoices may use: space toggles (saved at once), "
             "type to filter. ⚠ marks items that will fail or go wrong in Exact.")
    BINDINGS = [
        Binding("ctrl+r", "import_items", "Import from Exact", id="products.import"),
        # priority: they act on the filtered list also while the filter box (an Input: home / delete-left) has focus
        Binding("ctrl+a", "select_visible", "Activate shown", id="products.select_visible", priority=True),
        Binding("ctrl+u", "clear_visible", "Deactivate shown", id="products.clear_visible", priority=True),
        Binding("ctrl+f", "focus_filter", "Filter", id="products.filter"),
    ]

    def compose_body(self):
        yield Static("", id="changes", classes="status")
        yield Input("", id="filter", placeholder="filter: code or description (ctrl+f)")
        yield ShapedSelectionList(id="items")
        yield Static("", id="current", classes="status")  # the highlighted item in full (the row is cut at 80 columns)
        yield Static("", id="counts", classes="status")
        yield Static("", id="risky", classes="warning")

    def first_focus(self):
        return self.query_one("#items")

    def on_step_shown(self) -> None:
        self._fill()

    def action_import_items(self) -> None:
        self.run_service(svc.import_items, self.session, done=self._imported, busy="importing items from Exact",
                         group="import")

    def _imported(self, result: svc.ImportResult) -> None:
        text = safe(result.summary(), "bold")
        for code in result.added[:8] if not result.first else []:
            text.append(f"\n  + {printable(code)} new")
        for code, diffs in list(result.changed.items())[:8]:
            text.append(f"\n  ~ {printable(code)}: " + "; ".join(map(printable, diffs)))
        for code in result.removed[:8]:
            text.append(f"\n  − {printable(code)} gone from Exact")
        self.query_one("#changes", Static).update(text)
        self._fill()

    def _label(self, product) -> Text:
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append(f"{printable(product.code):<10} ", style="bold")
        label.append(printable(product.description))
        problems = product.problems()
        if problems:
            short = ", ".join(p.split(":")[0] for p in problems)
            label.append(f"  ⚠ {printable(short)}", style="bold yellow")
        return label

    def _fill(self) -> None:
        wanted = self.query_one("#filter", Input).value.strip().lower()
        items = svc.products(self.session)
        shown = [p for p in items if not wanted or wanted in p.code.lower() or wanted in p.description.lower()]
        selection = self.query_one("#items", SelectionList)
        was = selection.highlighted or 0
        with selection.prevent(SelectionList.SelectedChanged):
            selection.clear_options()
            selection.add_options([Selection(self._label(p), p.code, p.active) for p in shown])
        if shown:
            selection.highlighted = min(was, len(shown) - 1)
        self._show_counts(items, len(shown))

    def _show_counts(self, items, shown: int) -> None:
        active = [p for p in items if p.active]
        self.query_one("#counts", Static).update(
            f"{len(active)} active of {len(items)} imported" + (f" · {shown} shown" if shown != len(items) else "")
            if items else "No items yet: press ctrl+r to import them from Exact.")
        risky = [f"{p.code}: {'; '.join(p.problems())}" for p in active if p.problems()]
        self.query_one("#risky", Static).update(Text("⚠ " + "\n⚠ ".join(map(printable, risky[:6]))) if risky else "")

    @on(SelectionList.SelectionHighlighted, "#items")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        code = event.selection.value
        product = next((p for p in svc.products(self.session) if p.code == code), None)
        if product is None:
            self.query_one("#current", Static).update("")
            return
        text = Text()
        text.append(printable(product.code), style="bold")
        text.append(f"  {printable(product.description)}  ")
        text.append("active" if product.active else "not active", style="green" if product.active else "dim")
        for problem in product.problems():
            text.append(f"\n⚠ {printable(problem)}", style="yellow")
        self.query_one("#current", Static).update(text)

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self._fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#items").focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()

    @on(SelectionList.SelectedChanged, "#items")
    def _toggled(self) -> None:
        self._save()

    def _save(self) -> None:
        selection = self.query_one("#items", SelectionList)
        shown = {selection.get_option_at_index(i).value for i in range(selection.option_count)}
        chosen = set(selection.selected)
        keep = {p.code for p in svc.products(self.session) if p.active and p.code not in shown}
        self.run_service(svc.set_active, self.session, keep | chosen,
                         done=lambda _: self._show_counts(svc.products(self.session), len(shown)), group="save")

    def action_select_visible(self) -> None:
        self.query_one("#items", SelectionList).select_all()

    def action_clear_visible(self) -> None:
        self.query_one("#items", SelectionList).deselect_all()
