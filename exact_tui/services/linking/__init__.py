"""Link customers: pair every Exact customer account with its local customer, in bulk.

The screen shows four tabs (One match, More matches, No match, Ignored) built here from the
store's local customers, a cache of Exact accounts (pulled cheaply through `sync/CRM/Accounts`
with the stored Timestamp) and the matcher, with every decision already taken (links, ignored
accounts) passed in so a re-run never undoes one.

The four actions, and why they look the way they do:

* **Link and use data from Exact** — local fields are overwritten by Exact's, but an empty Exact
  field never wipes a filled local one (Exact is often the thinner record). Local only: undoable.
* **Link and use local data** — the Exact account is updated with the local fields; empty local
  fields are not sent, fields that already agree are not sent (fewer calls against the 60/minute
  budget), and `Code` is never sent in a PUT (Exact may refuse even an unchanged code). A local
  customer whose number breaks the customer-number rule is refused with the fix on the row.
  Touches Exact: not undoable; every change is in the log with old and new values.
* **Import to local as new customer** — the Exact account becomes a new local customer, linked.
* **Ignore** — the account moves to Ignored; from there it can be un-ignored, linked or imported.
* **Not this pair** — the proposed local customer is rejected for this account: stored, never
  proposed again by a re-run (the matcher's `Decisions.rejected`). Local only: undoable.

Links already made are watched too (facts §5: deletions behind the integration's back must be
noticed): a pull also reads `sync/Deleted`, so accounts deleted in Exact leave the cache, and a
link whose account is gone, or whose account's `Code` no longer is the code it was linked with,
becomes a `LinkProblem` — shown on the screen and in the log with what to do, the link kept until
the user acts (`resolve_problems`).

Where each part lives: `actions` (the actions and tabs), `records` (rows, results, plans and
their API cost), `fields` (the one field table and "same value" rule, shared with the customer
card), `merge` (the merge rule both ways), `accounts` (the Exact accounts cache), `problems`
(links that need the user), `undo`, `review` (the review CSV), `counts` (step 4's numbers),
`filters` (the Link screen's filter words) and `service` (`LinkingService`, which runs them).
No Textual here: the UI runs these coroutines in a worker and renders `RowResult`s and the
`EventBus` events; `exact-tui link --accept` does the same headless.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .accounts import AccountCache
    from .actions import ACTION_LABELS, TAB_TITLES, TABS, Action, Cancel, Tab
    from .fields import FIELD_LABELS, FIELDS, MERGE_FIELDS, CustomerField, same_value
    from .merge import (AccountDiff, FieldChange, LinkDiff, changes_for_exact, identity_conflicts, link_diff,
                        merge_from_exact)
    from .problems import LinkProblem, ProblemKind
    from .records import ActionReport, ExactAccount, Plan, PlanCost, Row, RowResult, plan_cost, reasons
    from .review import CSV_COLUMNS, DecisionImport, csv_safe, csv_unsafe
    from .service import LinkingService

# Loaded on first use (PEP 562): the console's step 4 imports `counts` from here at start-up, and
# must not pay for the service, the merge rules and the review CSV before its first frame.
_WHERE = {
    **dict.fromkeys(("AccountCache",), "accounts"),
    **dict.fromkeys(("ACTION_LABELS", "TAB_TITLES", "TABS", "Action", "Cancel", "Tab"), "actions"),
    **dict.fromkeys(("FIELD_LABELS", "FIELDS", "MERGE_FIELDS", "CustomerField", "same_value"), "fields"),
    **dict.fromkeys(("AccountDiff", "FieldChange", "LinkDiff", "changes_for_exact", "identity_conflicts", "link_diff",
                     "merge_from_exact"), "merge"),
    **dict.fromkeys(("LinkProblem", "ProblemKind"), "problems"),
    **dict.fromkeys(("ActionReport", "ExactAccount", "Plan", "PlanCost", "Row", "RowResult", "plan_cost", "reasons"),
                    "records"),
    **dict.fromkeys(("CSV_COLUMNS", "DecisionImport", "csv_safe", "csv_unsafe"), "review"),
    **dict.fromkeys(("LinkingService",), "service"),
}

__all__ = [
    "ACTION_LABELS", "AccountDiff", "CSV_COLUMNS", "FieldChange", "LinkDiff", "identity_conflicts", "link_diff", "FIELDS", "FIELD_LABELS", "MERGE_FIELDS", "TABS", "TAB_TITLES", "AccountCache",
    "Action", "ActionReport", "Cancel", "CustomerField", "DecisionImport", "ExactAccount", "LinkProblem",
    "LinkingService", "Plan", "PlanCost", "ProblemKind", "Row", "RowResult", "Tab", "changes_for_exact", "csv_safe",
    "csv_unsafe", "merge_from_exact", "plan_cost", "reasons", "same_value",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value  # the next look-up is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
