"""The Link customers actions, the four tabs they move rows between, and a cooperative cancel.

Why each action looks the way it does is told in the package's docstring (`services/linking`).
"""
from __future__ import annotations

from enum import StrEnum

class Tab(StrEnum):
    """The four tabs of Link customers (a `StrEnum`: the screen's ids and the CSV's `tab` column)."""

    ONE = "one"  # the matcher found exactly one good local customer
    MORE = "more"  # several candidates: a person chooses
    NONE = "none"  # no candidate
    IGNORED = "ignored"  # left out of linking by the user


TABS: tuple[Tab, ...] = tuple(Tab)
TAB_TITLES = {Tab.ONE: "One match", Tab.MORE: "More matches", Tab.NONE: "No match", Tab.IGNORED: "Ignored"}


class Action(StrEnum):
    LINK_EXACT = "link-exact"  # link, local fields <- Exact's
    LINK_LOCAL = "link-local"  # link, Exact account <- local fields
    IMPORT = "import"  # new local customer from the Exact account
    IGNORE = "ignore"
    UNIGNORE = "unignore"
    REJECT = "reject"  # "not this pair": the proposed local customer is never proposed again

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def touches_exact(self) -> bool:
        return self is Action.LINK_LOCAL


ACTION_LABELS = {Action.LINK_EXACT: "Link and use data from Exact", Action.LINK_LOCAL: "Link and use local data",
                 Action.IMPORT: "Import to local as new customer", Action.IGNORE: "Ignore",
                 Action.UNIGNORE: "Un-ignore", Action.REJECT: "Not this pair"}



class Cancel:
    """Cooperative cancel: set from the UI, checked between rows (a PUT in flight is never cut off)."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def __bool__(self) -> bool:
        return self._set

