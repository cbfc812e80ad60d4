"""The Reconcile screen (F8): where both sides disagree about transferred invoices, and the fix for each."""
from .screen import ReconcileScreen

__all__ = ["ReconcileScreen"]
