"""Transfers to Exact: booked invoices and credit notes, never twice, never lost.

- `prepare`   — product number per line, the document sent, the content fingerprint
- `facts`     — Exact's reference data, read once per run (the pre-flight costs no calls)
- `preflight` — what would make Exact refuse an invoice, with what/why/side/what to do
- `customers` — the invoice's customer per maintenance mode (link, find, create)
- `posting`   — the journal-protected POST and the lookup of lost answers
- `undo`      — delete the booking where Exact allows it
- `state`     — per-invoice status, rebuilt from the journal after a crash
- `service`   — `TransferService`: select, run, ignore, retry, list
"""
from ...domain.transfer import TransferStatus
from .service import Cancel, InvoiceResult, RunReport, TransferRow, TransferService
from .undo import UndoResult, undo

__all__ = ["Cancel", "InvoiceResult", "RunReport", "TransferRow", "TransferService", "TransferStatus", "UndoResult",
           "undo"]
