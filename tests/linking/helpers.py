"""Small worlds for the linking tests: a real ProfileStore in a temp folder, accounts and customers."""
from __future__ import annotations

from pathlib import Path

from exact_tui.domain.customer import LocalCustomer
from exact_tui.services.events import EventBus
from exact_tui.services.linking import ExactAccount, LinkingService
from exact_tui.store import ProfileStore

ACCOUNTS = [
    ExactAccount("e1", "Bakkerij de Vries B.V.", "1001", "Dorpsstraat 1", "1234AB", "Amsterdam", "NL",
                 "info@devries.nl", "0201234567", "NL001234567B01", "12345678", status="C"),
    ExactAccount("e2", "Jansen Installatietechniek", "1002", "Industrieweg 12", "5678CD", "Utrecht", "NL",
                 "", "", "", "", status="C"),
    ExactAccount("e3", "Pietersen Advies", "1003", "Kerkplein 3", "2345EF", "Leiden", "NL", status="C"),
    ExactAccount("e4", "Pietersen Adviesgroep", "1004", "Kerkplein 5", "2345EF", "Leiden", "NL", status="C"),
    ExactAccount("e5", "Zonnehuis Solar Ltd", "1005", "Harbour Road 9", "SW1 2AB", "London", "GB", status="C"),
    ExactAccount("e6", "Groenteboer Klaassen", "1006", "Marktplein 7", "9711AA", "Groningen", "NL", status="C"),
]
CUSTOMERS = [
    LocalCustomer("l1", "Bakkerij De Vries BV", "1001", "Dorpsstraat 1", "1234 AB", "Amsterdam", "NL",
                  "", "020-1234567", "NL001234567B01", "12345678"),
    LocalCustomer("l2", "Jansen Installatietechniek B.V.", "C-77", "Industrieweg 12", "5678CD", "Utrecht", "NL",
                  "post@jansen.nl", "0307654321", "", ""),
    LocalCustomer("l3", "Pietersen Advies", "2003", "Kerkplein 4", "2345EF", "Leiden", "NL"),
    LocalCustomer("l6", "Groenteboer Klaassen", "2006", "Marktplein 7", "9711AA", "Groningen", "NL", "groente@klaassen.nl"),
]


def open_store(folder: Path, customers=CUSTOMERS) -> ProfileStore:
    store = ProfileStore.open(folder / "profile")
    store.customers.put_many(list(customers))
    return store


def service(store, accounts=ACCOUNTS, client=None, events=None) -> LinkingService:
    svc = LinkingService(store, events or EventBus(), client)
    svc.use_accounts(accounts)
    svc.rebuild()
    return svc
