"""Customer card contacts: stored contact links win over e-mail/name suggestions, and are kept."""
from __future__ import annotations

import pytest

from exact_tui.domain.customer import LocalContact
from exact_tui.domain.link import Link
from exact_tui.exact.records import Contact
from exact_tui.services import customers as svc
from exact_tui.domain.decisions import ContactLink

from .app import make_session
from .helpers import CUSTOMERS, open_store


def test_a_stored_link_wins_over_a_same_email_suggestion_and_a_gone_contact_is_flagged():
    anna = LocalContact("P1", "l1", "Anna", "Jansen", "anna@x.nl")
    piet = LocalContact("P2", "l1", "Piet", "Bos", "piet@x.nl")
    kees = LocalContact("P3", "l1", "Kees", "Gone", "kees@x.nl")
    ex_anna = Contact(id="X1", account="E1", first_name="Anna", last_name="Jansen", email="anna@x.nl")
    ex_ann = Contact(id="X2", account="E1", first_name="Ann", last_name="de Wit", email="ann@new.nl")
    links = [ContactLink("P1", "x2", "l1", "E1"), ContactLink("P3", "X9", "l1", "E1")]  # Anna is X2 now (married)
    pairs = svc.contact_pairs([anna, piet, kees], [ex_anna, ex_ann], links)
    by_local = {p.local.id: p for p in pairs if p.local}
    assert by_local["P1"].exact is ex_ann and by_local["P1"].how == "linked" and by_local["P1"].stored
    assert by_local["P2"].exact is None and by_local["P2"].how == ""
    assert by_local["P3"].gone and by_local["P3"].exact is None
    only_exact = [p for p in pairs if p.local is None]
    assert [p.exact for p in only_exact] == [ex_anna]  # not suggested to Anna: her stored link took X2
    plain = svc.contact_pairs([anna, piet], [ex_anna, ex_ann])
    assert plain[0].exact is ex_anna and plain[0].how == "email" and not plain[0].stored


@pytest.fixture
def session(tmp_path):
    store = open_store(tmp_path)
    store.contacts.put_many([LocalContact("P1", "l1", "Anna", "Jansen"), LocalContact("P2", "l1", "Piet", "Bos")])
    s = make_session(store, tmp_path / "profile")
    yield s
    store.close()


def test_link_and_unlink_a_contact_by_hand(session):
    customer = CUSTOMERS[0]
    anna, piet = session.store.contacts.get("P1"), session.store.contacts.get("P2")
    exact = Contact(id="X1", account="E1", first_name="A.", last_name="Jansen")
    with pytest.raises(ValueError, match="is not linked: link it first"):
        svc.link_contact(session, customer, anna, exact)
    session.store.links.link(Link("l1", "E1", "1001"))
    link = svc.link_contact(session, customer, anna, exact)
    assert (link.local_id, link.exact_id, link.how, link.account_id) == ("P1", "X1", "hand", "E1")
    with pytest.raises(ValueError, match="already linked to local contact Anna Jansen"):
        svc.link_contact(session, customer, piet, exact)
    with pytest.raises(ValueError, match="only a suggestion"):
        svc.unlink_contact(session, customer, piet)
    assert svc.unlink_contact(session, customer, anna).exact_id == "X1"
    assert session.store.contact_links.get("P1") is None


class FoundClient:
    def __init__(self, found):
        self.found, self.created = found, []

    async def find_contacts(self, **kw):
        return list(self.found)

    async def create_contact(self, contact):
        contact.id = "NEW"
        self.created.append(contact)
        return contact


async def test_create_contact_stores_the_pair_and_links_a_person_exact_already_has(session):
    customer = CUSTOMERS[0]
    session.store.links.link(Link("l1", "E1", "1001"))
    anna, piet = session.store.contacts.get("P1"), session.store.contacts.get("P2")
    session.client = FoundClient([])
    await svc.create_contact(session, customer, anna)
    assert session.store.contact_links.get("P1").exact_id == "NEW"
    assert session.store.contact_links.get("P1").how == "created"
    session.client = FoundClient([Contact(id="X7", account="E1", first_name="Piet", last_name="Bos")])
    person = await svc.create_contact(session, customer, piet)
    assert person.id == "X7" and session.client.created == []  # nothing created twice
    assert session.store.contact_links.get("P2").how == "found"
