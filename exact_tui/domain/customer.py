"""Local-side customers and contacts, and the customer-number rule Exact links depend on."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_CUSTOMER_NUMBER_DIGITS = 9
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: Exact refuses full-width and Arabic-Indic digits


@dataclass(slots=True)
class LocalCustomer:
    """A customer as the time-tracking / invoicing system knows it.

    `id` is the local system's own key (stable, never shown as a customer number); `number` is the
    customer number that becomes the Exact account `Code` when the customer is created there.
    """

    id: str
    name: str
    number: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    email: str = ""
    phone: str = ""
    vat: str = ""
    coc: str = ""  # Chamber of Commerce (KvK) number
    website: str = ""
    currency: str = "EUR"
    payment_condition: str = ""


@dataclass(slots=True)
class LocalContact:
    """A person at a local customer; becomes an Exact `crm/Contacts` row on the linked account."""

    id: str
    customer_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def customer_number_problem(number: str) -> str | None:
    """Why `number` cannot be an Exact customer code, or None when it can.

    Exact stores account codes as 18-character strings, but linked invoicing systems (TimeLog and
    peers) only work with numeric codes of at most 9 digits; anything else breaks later transfers.
    """
    value = (number or "").strip()
    if not value:
        return "customer number is empty"
    if not _DIGITS.fullmatch(value):
        return f"customer number {value!r} must contain digits only"
    if len(value) > MAX_CUSTOMER_NUMBER_DIGITS:
        return (
            f"customer number {value!r} has {len(value)} digits; "
            f"Exact links allow at most {MAX_CUSTOMER_NUMBER_DIGITS}"
        )
    return None


EXACT_CODE_WIDTH = 18


def pad_account_code(code: str) -> str:
    """Exact's form of an account code: right-aligned in 18 characters (needed in `$filter`)."""
    return code.strip().rjust(EXACT_CODE_WIDTH)


def is_customer_account(status: str | None) -> bool:
    """Whether an Exact account can be linked to a local customer: `Status` C (customer), or no
    status at all (files and tests that do not say). Prospects (P), suspects (S) and accounts with
    no relation (A, e.g. suppliers only) are not customers: the CLI, step 4 and the Link customers
    screen all leave them out through this one rule, so they count the same."""
    text = (status or "").strip().casefold()
    return text in ("", "c", "customer", "klant")


def strip_account_code(code: str | None) -> str:
    """Exact's padded `Code` as the number a user reads and compares."""
    return (code or "").strip()


@dataclass(slots=True)
class CustomerNumbers:
    """Numbers already in use on both sides, for proposing the next one."""

    local: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)

    def next_number(self) -> str:
        """The next free customer number, continuing the highest numeric code of either side."""
        highest = 0
        for code in (*self.local, *self.exact):
            value = strip_account_code(code)
            if _DIGITS.fullmatch(value) and len(value) <= MAX_CUSTOMER_NUMBER_DIGITS:
                highest = max(highest, int(value))
        proposal = str(highest + 1)
        if len(proposal) > MAX_CUSTOMER_NUMBER_DIGITS:
            raise ValueError("customer number series is exhausted (9 digits)")
        return proposal
