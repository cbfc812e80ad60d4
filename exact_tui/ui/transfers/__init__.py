"""The Transfers screen: invoices and credit notes on their way to Exact."""
from .screen import TransfersScreen

__all__ = ["TransfersScreen"]
