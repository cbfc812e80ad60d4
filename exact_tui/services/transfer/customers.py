"""The invoice's customer in Exact, per the maintenance mode chosen in step 5.

Automatic: an unlinked customer is looked up by code, VAT number and Chamber of Commerce number in
the cached Exact accounts (refreshed with one `sync/` call at the start of a run, so a lookup costs
no call); exactly one → linked; none → created with its number (or the next free one) and its first
contact; several → blocked with the candidates named (done by the pre-flight). Manual and
created-in-Exact: the pre-flight blocks the invoice and says where to link it.

An account create is journalled like a booking: a lost answer is looked up by its code (ours)
before it is sent again, so a customer is never created twice.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ...domain.customer import LocalCustomer, strip_account_code
from ...domain.link import DataSource, Link
from ...domain.transfer import TransferOutcome, TransferRecord
from ...exact.errors import OutcomeUnknown
from ...exact.records import Account, Contact
from ...domain.decisions import ContactLink
from ..events import Side
from ..numbering import propose_next_number
from .preflight import CustomerPlan


@dataclasses.dataclass(slots=True)
class CustomerResult:
    exact_id: str
    code: str
    created: bool = False
    note: str = ""


def _account_for(customer: LocalCustomer, code: str) -> Account:
    return Account(name=customer.name, code=code, address=customer.address, postcode=customer.postcode,
                   city=customer.city, country=customer.country, phone=customer.phone, email=customer.email,
                   vat=customer.vat, coc=customer.coc, website=customer.website, status="C")


async def ensure_customer(svc: Any, customer: LocalCustomer, plan: CustomerPlan) -> CustomerResult:
    """The Exact account id for the invoice's customer; links or creates it as the plan says."""
    if plan.how == "linked":
        return CustomerResult(plan.exact_id, plan.exact_code)
    if plan.how == "found":
        _link(svc, customer, plan.exact_id, plan.exact_code, DataSource.NONE)
        svc.events.success(f"Linked to Exact account {plan.exact_code} (found by code, VAT or Chamber of Commerce "
                           "number)", side=Side.LOCAL, topic="transfer", record=f"customer {customer.number or customer.id}")
        return CustomerResult(plan.exact_id, plan.exact_code, note=f"linked to Exact account {plan.exact_code}")
    if plan.how != "create":
        raise ValueError(f"customer {customer.number or customer.id} cannot be linked: {plan.how}")
    number = plan.number or customer.number.strip()
    if not number:
        number = propose_next_number(svc.store).number
        customer = dataclasses.replace(customer, number=number)
        svc.store.customers.put(customer)  # the local number becomes the Exact code: both sides agree
        svc.events.info(f"Customer {customer.name} had no number: {number} given (next free number)", side=Side.LOCAL,
                        topic="transfer", record=f"customer {customer.id}")
    account = await _create_account(svc, customer, number)
    _link(svc, customer, account.id or "", number, DataSource.LOCAL)
    svc.accounts_index_add({"id": account.id, "code": number, "name": customer.name, "vat": customer.vat,
                            "coc": customer.coc, "status": "C"})
    await _first_contact(svc, customer, account.id or "")
    svc.events.success(f"Customer {number} {customer.name} created in Exact and linked", side=Side.EXACT,
                       topic="transfer", record=f"customer {number}")
    return CustomerResult(account.id or "", number, created=True, note=f"customer {number} created in Exact")


async def _create_account(svc: Any, customer: LocalCustomer, number: str) -> Account:
    record = svc.store.transfers.record(TransferRecord(
        invoice_id=f"customer:{customer.id}", invoice_number=number, kind="customer", division=svc.division,
        action="customer", your_ref=number, request=f"POST crm/Accounts: Code {number}, {customer.name}"))
    try:
        try:
            created = await svc.client.create_account(_account_for(customer, number))
        except OutcomeUnknown as lost:
            found = await svc.client.resolve(lost)  # by our code: ours, Exact keeps it verbatim
            created = found if found is not None else await svc.client.create_account(_account_for(customer, number))
    except Exception as exc:
        svc.store.transfers.finish(record, TransferOutcome.REFUSED if getattr(exc, "status", None) else
                                   TransferOutcome.FAILED, message=str(exc)[:300])
        raise
    svc.store.transfers.finish(record, TransferOutcome.BOOKED, exact_entry_id=created.id or "",
                               exact_entry_number=strip_account_code(created.code) or number,
                               message=f"account {number} created")
    return created


def _link(svc: Any, customer: LocalCustomer, exact_id: str, code: str, source: DataSource) -> None:
    svc.store.links.link(Link(local_id=customer.id, exact_id=exact_id, exact_code=code, linked_by="transfer",
                              linked_at=dt.datetime.now(dt.timezone.utc), source=source))
    svc.links[customer.id] = svc.store.links.get(customer.id)


async def _first_contact(svc: Any, customer: LocalCustomer, account_id: str) -> None:
    """The invoice's contact (the customer's first local contact) goes with the new account."""
    contacts = [c for c in svc.store.contacts.for_customer(customer.id) if c.last_name]
    if not contacts or not account_id:
        return
    contact = contacts[0]
    try:
        try:
            created = await svc.client.create_contact(Contact(account=account_id, first_name=contact.first_name,
                                                              last_name=contact.last_name, email=contact.email,
                                                              phone=contact.phone))
        except OutcomeUnknown as lost:
            created = await svc.client.resolve(lost) or await svc.client.create_contact(
                Contact(account=account_id, first_name=contact.first_name, last_name=contact.last_name,
                        email=contact.email, phone=contact.phone))
    except Exception as exc:  # the invoice still goes: a missing contact is added from the customer card
        svc.events.warning(f"Contact {contact.full_name} not created in Exact: {exc}", side=Side.EXACT,
                           topic="transfer", record=f"customer {customer.number or customer.id}",
                           detail="Add it from the customer card (F3, ctrl+k).")
        return
    if created.id:
        svc.store.contact_links.link(ContactLink(local_id=contact.id, exact_id=created.id, customer_id=customer.id,
                                                 account_id=account_id, how="created", linked_by="transfer"))
