"""The Link customers screen: `LinkCustomersScreen(session)` and its widgets."""
from .screen import LinkCustomersScreen
from .table import PairsTable

__all__ = ["LinkCustomersScreen", "PairsTable"]
