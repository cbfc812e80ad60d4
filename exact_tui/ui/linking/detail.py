"""The detail panel: both records of the row under the cursor, field by field, and why they were paired."""
from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from ...services.linking import LinkingService, Row, reasons
from ..shown import printable, safe


class DetailPanel(Widget):
    """Exact | local per field (differences stand out), the matcher's reasons, notes, the row's result.

    A plain Widget with a fixed height: showing another row repaints it without a layout pass
    (a `Static.update` re-lays out the screen, ~30 ms per cursor key at 140×40).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content: Any = Text("")
        self.row: Row | None = None  # the row shown

    def render(self) -> Any:
        return self._content

    def show(self, service: LinkingService | None, row: Row | None) -> None:
        self.row = row
        if service is None or row is None:
            self._content = Text("No row under the cursor.", style="dim")
        else:
            self._content = render_detail(service, row)
        self.refresh()


def render_detail(service: LinkingService, row: Row) -> Any:
    table = Table(box=None, pad_edge=False, expand=True, show_header=True, header_style="bold")
    table.add_column("Field", style="dim", no_wrap=True, width=13)
    table.add_column("Exact " + printable(row.exact.code), ratio=1, no_wrap=True, overflow="ellipsis")
    customer = service.customer(row.local_id)
    local_title = f"Local {printable(customer.number)}" if customer else "Local (none proposed)"
    table.add_column(local_title, ratio=1, no_wrap=True, overflow="ellipsis")
    for label, exact_value, local_value in service.compare(row):
        if not exact_value and not local_value:
            continue
        differ = customer is not None and exact_value.replace(" ", "").casefold() != local_value.replace(" ", "").casefold()
        # Text, never a str: Rich reads a str cell as markup, and these are Exact's and the file's words
        table.add_row(label, safe(exact_value) if exact_value else Text("—", style="dim"),
                      safe(local_value or "—", "bold yellow" if differ and local_value else "dim" if not local_value else ""))
    lines: list[Any] = []
    cand = row.candidate
    if cand is not None:
        head = f"Candidate {row.choice + 1} of {len(row.candidates)} · score {cand.score:.1f}"
        if len(row.candidates) > 1:
            head += "  (←/→ or Enter: other candidates)"
        lines.append(Text(head, style="bold"))
        for reason in reasons(row) or ["no reasons recorded"]:
            lines.append(safe(f"• {reason}", "italic"))
    for note in row.notes:
        lines.append(safe(f"• {note}", "dim"))
    if row.result and not row.problem:
        lines.append(safe(f"✓ {row.result}", "green"))
    if not lines:
        lines.append(Text("No local customer proposed: import it (m) or ignore it (x).", style="dim"))
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=3)
    grid.add_column(ratio=2)
    grid.add_row(table, Group(*lines))
    if row.problem:  # first and over the full width: at 80×24 the reason and its fix are what the row needs
        return Group(safe(f"✗ {row.problem}", "bold red"), grid)
    return grid
