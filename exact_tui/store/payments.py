"""The payment side of a profile: Exact's payment terms of our invoices, each invoice's payment
state, and where the next `sync/Cashflow/PaymentTerms` pull continues.

Terms are kept (not only the verdict) because `sync/` returns only what changed: a partial payment
changes one term and adds another, and the invoice's state is the sum over all of them. Only terms
that can belong to us are kept (of a linked customer or a transferred invoice), never suppliers'.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.payment import InvoicePayment
from . import codec
from .atomic import AtomicJSONStorage, KeyedDB
from .cursor import Scheduled

DEFAULT_INTERVAL_HOURS = 4.0


class PaymentStore(Scheduled):
    DEFAULT_INTERVAL_HOURS = DEFAULT_INTERVAL_HOURS
    CAN_BE_OFF = False
    WHAT = "payment check"

    def __init__(self, db: KeyedDB) -> None:
        self._terms = db.table("terms")
        self._invoices = db.table("invoices")
        self._state = db.table("state")
        self._storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        self._codec = codec.codec_for(InvoicePayment)

    # -- terms --------------------------------------------------------------------------------
    def terms(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._terms.rows().values()]

    # -- per invoice --------------------------------------------------------------------------
    def get(self, invoice_id: str) -> InvoicePayment | None:
        row = self._invoices.rows().get(invoice_id)
        return self._codec.load(row) if row is not None else None

    def all(self) -> dict[str, InvoicePayment]:
        return {key: self._codec.load(row) for key, row in self._invoices.rows().items()}

    # `state`, `timestamp`, `last_run`, `interval_hours`, `set_interval`, `due` come from Scheduled

    # -- writing (one atomic write per pull) ----------------------------------------------------
    def save(self, *, terms: Mapping[str, Mapping[str, Any]], drop: Iterable[str] = (),
             invoices: Iterable[InvoicePayment], timestamp: int | None = None, ran_at: dt.datetime | None = None,
             division: int | None = None) -> None:
        """Upsert terms, drop replaced ones, store the invoices' states and the new cursor together."""
        state = self.state
        if division is not None and state.get("division") not in (None, division):
            state = {"interval_hours": state.get("interval_hours")}  # another division: start over
        with self._storage.batch():
            if drop:
                self._terms.delete_many([k for k in drop if k in self._terms.rows()])
            if terms:
                self._terms.put_many({k: dict(v) for k, v in terms.items()})
            docs = {p.invoice_id: self._codec.dump(p) for p in invoices}
            if docs:
                self._invoices.put_many(docs)
            if timestamp is not None:
                state["timestamp"] = max(timestamp, state.get("timestamp") or 0)
            if ran_at is not None:
                state["last_run"] = ran_at.isoformat()
            if division is not None:
                state["division"] = division
            self.write_state(state)

    def remember_deleted(self, keys: list[str], timestamp: int | None) -> None:
        """Keys `sync/Deleted` reported (payment terms, sales invoices) and where its next pull continues."""
        state = self.state
        state["deleted"] = keys
        if timestamp is not None:
            state["deleted_timestamp"] = max(timestamp, state.get("deleted_timestamp") or 0)
        self.write_state(state)
