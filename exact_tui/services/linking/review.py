"""The review CSV: export a tab for someone to fill in a `decision` column, and read it back.

Every cell written goes through the formula guard (a spreadsheet must not run a name like
`=cmd|…`); every bad line read back is named with its number and reason, and nothing is applied
before the screen (or `link --accept`) shows the plan.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...domain.text import csv_guard, csv_unguard
from ..events import Side
from .actions import Action
from .records import Row

if TYPE_CHECKING:  # pragma: no cover
    from .service import LinkingService

CSV_COLUMNS = ("tab", "decision", "exact_id", "exact_code", "exact_name", "local_id", "local_number", "local_name",
               "score", "exact_postcode", "local_postcode", "exact_city", "local_city", "exact_vat", "local_vat",
               "result")
DECISION_WORDS = {a.value: a for a in Action} | {"link": Action.LINK_EXACT, "skip": None, "": None}


# The one formula guard (domain.text): plain numbers such as -12.5 stay as they are, and a value's
# own leading ' survives the round trip.
csv_safe = csv_guard
csv_unsafe = csv_unguard


@dataclass(slots=True)
class DecisionImport:
    """Decisions read back from an exported CSV: per action the (exact_id, local_id) pairs, and problems."""

    decisions: dict[Action, list[tuple[str, str | None]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.decisions.values())



def export_csv(service: "LinkingService", rows: Sequence[Row], path: Path) -> int:
    """Write rows (a tab as shown) for review; the `decision` column is for the reviewer to fill."""
    from ...store.atomic import atomic_write_bytes

    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        c = service.customer(row.local_id)
        writer.writerow([csv_safe(v) for v in (
            row.tab, "", row.id, row.exact.code, row.exact.name, row.local_id or "", c.number if c else "",
            c.name if c else "", f"{row.score:.1f}" if row.candidates else "", row.exact.postcode,
            c.postcode if c else "", row.exact.city, c.city if c else "", row.exact.vat, c.vat if c else "",
            row.problem or row.result)])
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))  # BOM: Excel opens UTF-8 right
    service.events.info(f"Exported {len(rows):,} rows to {path}", side=Side.LOCAL, topic="link")
    return len(rows)


def read_decisions(service: "LinkingService", path: Path) -> DecisionImport:
    """Read a reviewed export back: one decision per line (link-exact, link-local, import, ignore,
    unignore, reject; empty or 'skip' = nothing). Each bad line is named with its number and reason."""
    out = DecisionImport()
    try:
        text = Path(path).read_text("utf-8-sig")
    except OSError as exc:
        out.problems.append(f"{path}: {exc.strerror or exc}")
        return out
    reader = csv.DictReader(io.StringIO(text))
    missing = {"decision", "exact_id"} - set(reader.fieldnames or ())
    if missing:
        out.problems.append(f"{path}: column(s) {', '.join(sorted(missing))} missing; export a tab first and "
                            "fill its 'decision' column")
        return out
    for number, line in enumerate(reader, 2):
        word = csv_unsafe((line.get("decision") or "").strip()).lower()
        if word not in DECISION_WORDS:
            out.problems.append(f"line {number}: decision {word!r} unknown; use one of "
                                + ", ".join(sorted(w for w in DECISION_WORDS if w)))
            continue
        action = DECISION_WORDS[word]
        if action is None:
            continue
        exact_id = csv_unsafe((line.get("exact_id") or "").strip())
        local_id = csv_unsafe((line.get("local_id") or "").strip()) or None
        row = service.rows.get(exact_id)
        if row is None:
            state = "already linked" if exact_id in service.links else "not found in the Exact accounts"
            out.problems.append(f"line {number}: Exact account {exact_id or '(empty)'} {state}")
            continue
        if action in (Action.LINK_EXACT, Action.LINK_LOCAL, Action.REJECT):
            if not local_id:
                out.problems.append(f"line {number}: {word} needs a local_id")
                continue
            if local_id not in service.customers:
                out.problems.append(f"line {number}: local customer {local_id} not found")
                continue
        out.decisions.setdefault(action, []).append((exact_id, local_id))
    return out
