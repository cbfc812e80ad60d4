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
