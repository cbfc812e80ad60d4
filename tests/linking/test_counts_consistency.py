"""The Link screen, step 4 and `exact-tui match` count the same, and stay current after a bulk link."""
from __future__ import annotations

from exact_tui.domain.customer import LocalCustomer
from exact_tui.services.cache import SessionCache
from exact_tui.services.linking import Action, ExactAccount
from exact_tui.services.linking.counts import counts_of

from .helpers import open_store, service

ACCOUNTS = [
    ExactAccount("a1", "Jansen Bouw", "1", "Kerkstraat 1", "1234AB", "Utrecht", "NL", status="C"),
    ExactAccount("a2", "Jansen Bouw", "2", "Kerkstraat 1", "1234AB", "Utrecht", "NL", status="C"),
    ExactAccount("p1", "Prospect Pietersen", "3", "Dorpsweg 2", "5678CD", "Zwolle", "NL", status="P"),
    ExactAccount("s1", "Leverancier Smit", "4", "Marktplein 7", "9711AA", "Groningen", "NL", status="A"),
]
CUSTOMERS = [
    LocalCustomer("l1", "Jansen Bouw", "11", "Kerkstraat 1", "1234AB", "Utrecht", "NL"),
    LocalCustomer("l2", "Jansen Bouw", "12", "Kerkstraat 1", "1234AB", "Utrecht", "NL"),
    LocalCustomer("l3", "Prospect Pietersen", "13", "Dorpsweg 2", "5678CD", "Zwolle", "NL"),
]


async def test_counts_are_current_after_a_bulk_link_and_reach_step_4(tmp_path):
    store = open_store(tmp_path, customers=CUSTOMERS)
    svc = service(store, accounts=ACCOUNTS)
    cache = SessionCache()
    svc.counts_cache = cache
    # prospects and suppliers are not customers: not in any tab
    assert set(svc.rows) == {"a1", "a2"}
    assert svc.counts()["more"] == 2  # two identical pairs: a person decides
    row = svc.rows["a1"]
    row.choice = next(i for i, c in enumerate(row.candidates) if c.local_id == "l1")
    await svc.run(svc.plan(Action.LINK_EXACT, [row]))
    # a2 has only l2 left, with nothing against it: exactly what a re-match ('r') says
    assert svc.counts()["one"] == 1 and svc.rows["a2"].tab == "one"
    fresh = service(store, accounts=ACCOUNTS)
    assert fresh.counts() == svc.counts() and fresh.linked_count == svc.linked_count == 1
    assert cache.link_counts == counts_of(svc)
    assert cache.link_counts.linked == 1 and cache.link_counts.exact_total == 2
    store.close()
