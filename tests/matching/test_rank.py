"""Ranking candidates for linking by hand: the same engine as `match()`, all fields, strong keys."""
from exact_tui.matching import MatchRecord, rank


def test_all_fields_and_strong_keys_rank_not_the_name_alone():
    customer = MatchRecord("c1", "Aerts & Zonen BV", address="Kerkstraat 12", postcode="2000", city="Antwerpen",
                           vat="BE0462203515")
    accounts = [MatchRecord("a1", "Mertens & Zonen BV", address="Dorpsweg 3", postcode="9000", city="Gent"),
                MatchRecord("a2", "Aerts en Zonen", address="Kerkstr. 12", postcode="2000", city="Antwerpen",
                            vat="BE 0462.203.515"),
                MatchRecord("a3", "Peeters Hout", city="Leuven")]
    ranked = rank(customer, accounts)
    assert [r.id for r in ranked][:2] == ["a2", "a1"]
    assert ranked[0].candidate.rank == 1 and ranked[0].conflicts == ()
    assert "same VAT number" in ranked[0].candidate.reasons


def test_a_differing_vat_or_kvk_number_is_a_conflict_to_ask_about():
    customer = MatchRecord("c1", "Jansen Bouw BV", coc="12345678", vat="NL812345678B01")
    ranked = rank(customer, [MatchRecord("a1", "Jansen Bouw B.V.", coc="87654321", vat="NL999999999B01")])
    assert len(ranked[0].conflicts) == 2
    assert ranked[0].conflicts[0].startswith("VAT number differs")
    assert "Chamber of Commerce" in ranked[0].conflicts[1]


def test_limit_and_nothing_to_rank():
    customer = MatchRecord("c1", "X")
    assert rank(customer, []) == []
    assert len(rank(customer, [MatchRecord(f"a{k}", f"X {k}") for k in range(60)], limit=5)) == 5


def test_the_card_picker_ranks_with_the_engine_and_leaves_out_linked_and_non_customers(tmp_path):
    from types import SimpleNamespace

    from exact_tui.domain.customer import LocalCustomer
    from exact_tui.domain.link import DataSource, Link
    from exact_tui.services.customers import rank_accounts
    from exact_tui.services.linking import ExactAccount
    from exact_tui.store.profile import ProfileStore
    import datetime as dt

    store = ProfileStore.open(tmp_path / "profile")
    customer = LocalCustomer("l1", "Aerts & Zonen BV", "1001", "Kerkstraat 12", "2000", "Antwerpen", "BE",
                             vat="BE0462203515")
    accounts = [ExactAccount("a1", "Mertens & Zonen BV", "2001", "Dorpsweg 3", "9000", "Gent", "BE", status="C"),
                ExactAccount("a2", "Aerts en Zonen", "2002", "Kerkstr. 12", "2000", "Antwerpen", "BE", status="C"),
                ExactAccount("a3", "Aerts & Zonen", "2003", "Kerkstraat 12", "2000", "Antwerpen", "BE",
                             vat="BE0999999999", status="C"),
                ExactAccount("a4", "Aerts & Zonen BV", "2004", status="P"),
                ExactAccount("a5", "Aerts & Zonen BV", "2005", "Kerkstraat 12", "2000", "Antwerpen", status="C")]
    store.links.link(Link(local_id="l9", exact_id="a5", exact_code="2005", linked_by="t",
                          linked_at=dt.datetime.now(dt.timezone.utc), source=DataSource.NONE))
    ranked = rank_accounts(SimpleNamespace(store=store), customer, accounts)
    ids = [c.account.id for c in ranked]
    assert "a4" not in ids and "a5" not in ids  # a prospect; an account linked to another customer
    assert ids.index("a2") < ids.index("a1")  # the same address beats a shared "& Zonen BV"
    conflict = next(c for c in ranked if c.account.id == "a3")
    assert conflict.conflicts and conflict.conflicts[0].startswith("VAT number differs")
    accounts[1].blocked = True  # blocked in Exact: still offered by hand, with a conflict to confirm
    blocked = next(c for c in rank_accounts(SimpleNamespace(store=store), customer, accounts) if c.account.id == "a2")
    assert any("blocked in Exact" in c for c in blocked.conflicts)
    store.close()
