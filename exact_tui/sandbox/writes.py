"""Which rule answers a write, per path: POST, PUT and DELETE of the entities an integration writes.

One table per method, so the REST layer (rest.py) and the admin endpoints (admin.py) call the same
rule for the same path; a path absent from a table is not writable that way.
"""
from __future__ import annotations

from .entries import create_entry, create_entry_line, delete_entry, delete_entry_line, update_entry, update_entry_line
from .invoices import (create_invoice, create_invoice_line, delete_invoice, delete_invoice_line, print_invoice,
                       update_invoice, update_invoice_line)
from .rules import (ACCOUNTS, CONTACTS, ENTRIES, ENTRY_LINES, INVOICE_LINES, INVOICES, create_account, create_contact,
                    create_webhook, update_account, update_contact)

CREATE = {ACCOUNTS: create_account, CONTACTS: create_contact, ENTRIES: create_entry, ENTRY_LINES: create_entry_line,
          INVOICES: create_invoice, INVOICE_LINES: create_invoice_line,
          "salesinvoice/PrintedSalesInvoices": print_invoice, "webhooks/WebhookSubscriptions": create_webhook}
UPDATE = {ACCOUNTS: update_account, CONTACTS: update_contact, ENTRIES: update_entry, ENTRY_LINES: update_entry_line,
          INVOICES: update_invoice, INVOICE_LINES: update_invoice_line}
DELETE = {ENTRIES: delete_entry, ENTRY_LINES: delete_entry_line, INVOICES: delete_invoice,
          INVOICE_LINES: delete_invoice_line}
