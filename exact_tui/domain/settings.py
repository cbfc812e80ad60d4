"""The integration's settings for one profile (one client company), as the set-up steps save them.

No secrets here: the client secret and the tokens live in the token file (mode 0600), never in
the store. Once the first invoice has been transferred the division is locked, because invoices,
links and product numbers all belong to that one Exact administration.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .link import MaintenanceMode
from .products import ProductPrinciple


# How an invoice is booked in Exact: "entries" = a sales entry (salesentry/SalesEntries, booked at
# once), "invoices" = a sales invoice (salesinvoice/SalesInvoices, which Exact can print and send).
TRANSFER_MODELS: tuple[str, ...] = ("entries", "invoices")


@dataclass(slots=True)
class IntegrationSettings:
    country: str = "nl"  # Exact Online country of the customer's licence: nl, be, uk, de, fr, es, us
    host: str = ""  # base URL serving OAuth and REST, e.g. https://start.exactonline.nl or a sandbox
    client_id: str = ""  # the app's id (public); the secret is in the token file, never here
    redirect_uri: str = ""
    division: int | None = None
    division_name: str = ""
    journal: str = ""  # sales journal code
    # None = the user has not confirmed a mode yet; the effective mode is then AUTO_CREATE.
    maintenance_mode: MaintenanceMode | None = None
    principles: dict[str, ProductPrinciple] = field(default_factory=dict)  # data type -> principle
    transfer_model: str = "entries"  # one of TRANSFER_MODELS
    invoice_drafts: bool = False  # with "invoices": leave the sales invoices as drafts in Exact
    theme: str = ""
    active: bool = False
    activated_at: dt.datetime | None = None
    first_transfer_at: dt.datetime | None = None

    @property
    def maintenance(self) -> MaintenanceMode:
        """The mode in force: the confirmed one, else the default (create customers automatically)."""
        return self.maintenance_mode or MaintenanceMode.AUTO_CREATE

    @property
    def division_locked(self) -> bool:
        return self.first_transfer_at is not None

    def change_problem(self, new: "IntegrationSettings") -> str | None:
        """Why `new` may not replace these settings, or None.

        After the first transfer the division cannot change (the booked invoices, the links and the
        product numbers belong to it) and the first-transfer moment cannot be forgotten.
        """
        if self.first_transfer_at is None:
            return None
        when = self.first_transfer_at.isoformat(timespec="minutes")
        if new.division != self.division:
            return (f"the division is locked: the first invoice was transferred to division {self.division} "
                    f"on {when}; start a new profile for another division")
        if new.first_transfer_at is None:
            return f"the first transfer on {when} cannot be undone in the settings"
        return None
