"""Bucket rules, strong keys, one-to-one, determinism, decisions, explanations."""
import random

import pytest

from exact_tui.matching import Decisions, MatchConfig, MatchRecord, explain, match


def R(id, name, **kw):
    return MatchRecord(id, name, **kw)


def only(result, exact_id):
    assert exact_id in result.one, (result.counts(), result.notes.get(exact_id))
    return result.one[exact_id]


# ---- strong keys -------------------------------------------------------------------------------

@pytest.mark.parametrize("field, a, b, reason", [
    ("vat", "NL812345678B01", "812345678b01", "same VAT number"),
    ("coc", "12345678", "1234 5678", "same Chamber of Commerce (KvK) number"),
    ("code", "              1042", "1042", "same customer number 1042"),
])
def test_each_strong_key_makes_a_one_match(field, a, b, reason):
    # the name alone would not be enough (different spelling, no second field)
    e = R("e1", "Jansen Installatie", **{field: a})
    l = R("l1", "Jansen Installaties en Service", **{field: b})
    result = match([e, R("e2", "Bakker Hout")], [l, R("l2", "Visser Glas")])
    pair = only(result, "e1")
    assert pair.local_id == "l1"
    assert reason in explain(pair)
    assert pair.fields[field].similarity == 100


@pytest.mark.parametrize("field, a, b", [("vat", "NL812345678B01", "NL999999999B01"), ("coc", "12345678", "87654321")])
def test_a_conflicting_strong_key_subtracts_and_blocks_the_one_match(field, a, b):
    common = dict(address="Kerkstraat 12", postcode="1234 AB", city="Utrecht")
    e = R("e1", "Jansen Bouw B.V.", **common, **{field: a})
    l_same = R("l1", "Jansen Bouw BV", **common)
    l_conflict = R("l1", "Jansen Bouw BV", **common, **{field: b})
    with_key = match([e], [l_same]).one["e1"].score
    result = match([e], [l_conflict])
    assert "e1" not in result.one or result.one["e1"].score < with_key
    cand = result.candidates("e1")[0]
    assert cand.score < with_key
    assert cand.fields[field].contribution < 0
    assert any("differs" in r for r in explain(cand))


def test_same_code_with_a_different_name_is_not_linked():
    # Independent numbering on both sides: code 7 is a different customer
    result = match([R("e1", "Bakkerij Smit", code="7")], [R("l1", "Garage Pietersen", code="7")])
    assert "e1" not in result.one


# ---- bucket rules ------------------------------------------------------------------------------

def test_one_match_needs_a_second_field():
    name_only = match([R("e1", "Orion Data Solutions")], [R("l1", "Orion Data Solutions")])
    assert "e1" in name_only.more
    assert any("only the name" in n for n in name_only.notes["e1"])
    with_postcode = match([R("e1", "Orion Data Solutions", postcode="1234AB")],
                          [R("l1", "Orion Data Solutions", postcode="1234 ab")])
    assert only(with_postcode, "e1").local_id == "l1"


def test_margin_over_runner_up_on_the_exact_side():
    e = R("e1", "Orion Data Solutions", postcode="1234AB")
    l1 = R("l1", "Orion Data Solutions", postcode="1234AB")
    l2 = R("l2", "Orion Data Solution", postcode="1234AB")  # almost the same: too close to call
    result = match([e], [l1, l2])
    assert "e1" in result.more
    assert [c.local_id for c in result.more["e1"]] == ["l1", "l2"]
    assert [c.rank for c in result.more["e1"]] == [1, 2]
    assert any("runner-up" in n for n in result.notes["e1"])


def test_margin_over_runner_up_on_the_local_side():
    l = R("l1", "Orion Data Solutions", postcode="1234AB")
    e1 = R("e1", "Orion Data Solutions", postcode="1234AB")
    e2 = R("e2", "Orion Data Solutions", postcode="1234AB", city="Zwolle")  # a duplicate account in Exact
    result = match([e1, e2], [l])
    assert not result.one
    assert set(result.more) == {"e1", "e2"}
    assert any("another Exact account" in n for n in result.notes["e1"])


def test_threshold_and_margin_come_from_the_config():
    e = R("e1", "Orion Data", postcode="1234AB")
    l1 = R("l1", "Orion Data", postcode="1234AB")
    l2 = R("l2", "Orion Date", postcode="1234AB")
    assert "e1" in match([e], [l1, l2]).more
    assert "e1" in match([e], [l1, l2], config=MatchConfig(margin=1)).one
    # the score rule alone would not link it any more; the learned evidence still does, until its
    # own bar is out of reach too
    assert "e1" in match([e], [l1], config=MatchConfig(threshold=101)).one
    assert "learned evidence" in match([e], [l1], config=MatchConfig(threshold=101)).notes["e1"][0]
    assert "e1" not in match([e], [l1], config=MatchConfig(threshold=101, min_probability=1.01)).one


def test_weak_candidates_and_nothing_at_all():
    result = match([R("e1", "Zeta Transport", city="Utrecht"), R("e2", "Qwerty Uiop")],
                   [R("l1", "Zeta Transportbedrijf Jansen", city="Utrecht")])
    assert "e2" in result.none
    assert result.bucket_of("e2") == "none"
    assert result.counts()["none"] >= 1


def test_one_sided_holding_is_flagged_and_not_auto_linked():
    common = dict(address="Kerkstraat 12", postcode="1234AB")
    result = match([R("e1", "Jansen Holding B.V.", **common)], [R("l1", "Jansen B.V.", **common)])
    assert "e1" in result.more
    assert "'Holding' only in the Exact name" in explain(result.more["e1"][0])
    assert any("Holding/Stichting" in n for n in result.notes["e1"])


@pytest.mark.parametrize("typed", ["Jansen Holdig B.V.", "Jansen Hloding BV", "Jansen H0lding B.V."])
def test_a_mistyped_holding_is_the_same_word_not_a_one_sided_one(typed):
    common = dict(address="Kerkstraat 12", postcode="1234AB", city="Utrecht")
    result = match([R("e1", "Jansen Holding B.V.", **common), R("e2", "Visser Glas", address="Dorpsweg 3")],
                   [R("l1", typed, **common), R("l2", "Bakker Hout", address="Molenweg 9")])
    pair = only(result, "e1")
    assert not any("only in the" in r for r in explain(pair))
    assert "'Holding' on both sides, mistyped on one" in explain(pair)
    # another word of its kind is still a one-sided flag
    result = match([R("e1", "Jansen Holding B.V.", **common)], [R("l1", "Jansen Stichting", **common)])
    assert "e1" not in result.one


def test_one_to_one_a_local_customer_is_used_once():
    common = dict(address="Kerkstraat 12", postcode="1234AB")
    exact = [R("e1", "Jansen Bouw B.V.", vat="NL812345678B01", **common), R("e2", "Jansen Bouw", **common)]
    local = [R("l1", "Jansen Bouw BV", vat="NL812345678B01", **common)]
    result = match(exact, local)
    # e1 is certain by VAT; e2 may not get l1 as well
    assert result.one["e1"].local_id == "l1"
    assert "e2" not in result.one
    assert all(c.local_id != "l1" for c in result.more.get("e2", []))
    taken = [c.local_id for c in result.one.values()]
    assert len(taken) == len(set(taken))


def test_a_certain_pair_clears_the_way_for_the_next():
    # l1 is certain for e1 (VAT); without l1, e2's best (l2) has no close runner-up any more
    common = dict(address="Kerkstraat 12", postcode="1234AB")
    exact = [R("e1", "Nova Design", vat="NL812345678B01", **common), R("e2", "Nova Designs", **common)]
    local = [R("l1", "Nova Design", vat="NL812345678B01", **common), R("l2", "Nova Designs", **common)]
    result = match(exact, local)
    assert result.one["e1"].local_id == "l1"
    assert result.one["e2"].local_id == "l2"


def test_contributions_add_up_to_the_score():
    e = R("e1", "Jansen Bouw B.V.", address="Kerkstraat 12", postcode="1234AB", city="Utrecht", phone="030 1234567",
          country="NL", vat="NL812345678B01")
    l = R("l1", "Jansen Bouw", address="Kerkstr 12", postcode="1234AB", city="Utrecht", phone="+31 30 123 4567")
    pair = only(match([e], [l]), "e1")
    assert 0 <= pair.score <= 100
    assert round(sum(f.contribution for f in pair.fields.values()), 1) == pytest.approx(pair.score)


def test_explain_speaks_the_users_language():
    e = R("e1", "Jansen Bouw B.V.", address="Kerkstraat 12", postcode="1234AB", vat="NL812345678B01",
          email="info@jansen.nl")
    l = R("l1", "Jansen Bouwbedrijf", address="Kerkstraat 14", postcode="1234AC", vat="NL812345678B01",
          email="piet@jansen.nl")
    pair = match([e], [l]).candidates("e1")[0]
    text = explain(pair)
    assert text[0] == "same VAT number"
    assert any(t.startswith("name ") and "% alike after removing 'B.V.'" in t for t in text)
    assert "house number differs (12 / 14)" in text
    assert any(t.startswith("same postcode area (1234)") for t in text)
    assert "same e-mail/web domain (jansen.nl)" in text
    assert any(t.startswith("score ") for t in explain(pair, detail=True))


# ---- inputs ------------------------------------------------------------------------------------

def test_empty_and_one_sided_inputs():
    assert match([], []).counts() == {"one": 0, "more": 0, "none": 0, "ignored": 0, "linked": 0}
    assert match([], [R("l1", "A")]).counts()["none"] == 0
    result = match([R("e1", "A"), R("e2", "B")], [])
    assert sorted(result.none) == ["e1", "e2"]


def test_unicode_names_only():
    exact = [R("e1", "東京商事株式会社", phone="+81 3 1234 5678"), R("e2", "Газпром нефть", postcode="190000"),
             R("e3", "Ελληνική Εταιρεία Α.Ε.", city="Αθήνα"), R("e4", "大阪物産")]
    local = [R("l1", "東京商事株式会社", phone="03 1234 5678", country="JP"), R("l2", "Gazprom neft", postcode="190000"),
             R("l3", "Ελληνική Εταιρεία ΑΕ", city="Athina"), R("l4", "北海道水産")]
    result = match(exact, local)
    assert result.one["e1"].local_id == "l1"
    assert result.one["e2"].local_id == "l2"
    assert result.candidates("e3")[0].local_id == "l3"
    assert "e4" not in result.one


def test_duplicate_records_within_one_side_go_to_more_matches():
    common = dict(address="Kerkstraat 12", postcode="1234AB", email="info@jansen.nl")
    exact = [R("e1", "Jansen Bouw B.V.", **common)]
    local = [R("l1", "Jansen Bouw BV", **common), R("l2", "Jansen Bouw", **common)]
    result = match(exact, local)
    assert "e1" in result.more and {c.local_id for c in result.more["e1"]} == {"l1", "l2"}


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="'l1' occurs more than once"):
        match([R("e1", "A")], [R("l1", "A"), R("l1", "B")])


# ---- determinism -------------------------------------------------------------------------------

def _world(n=300, seed=3):
    rng = random.Random(seed)
    words = ["Nova", "Orion", "Delta", "Atlas", "Pixel", "Bouw", "Data", "Groen", "Jansen", "Bakker", "Smit"]
    exact, local = [], []
    for k in range(n):
        name = " ".join(rng.sample(words, 3))
        pc = f"{rng.randint(1000, 1100)}AB"
        exact.append(R(f"e{k}", name + " B.V.", postcode=pc, code=str(k)))
        if rng.random() < 0.8:
            local.append(R(f"l{k}", name.upper(), postcode=pc if rng.random() < 0.7 else "", code=str(k + 5000)))
    return exact, local


def _snapshot(result):
    return ({e: (c.local_id, c.score) for e, c in result.one.items()},
            {e: [(c.local_id, c.score, c.rank) for c in cs] for e, cs in result.more.items()},
            sorted(result.none))


def test_same_input_same_output_whatever_the_order():
    exact, local = _world()
    first = _snapshot(match(exact, local))
    assert first == _snapshot(match(exact, local))
    rng = random.Random(9)
    for _ in range(3):
        e2, l2 = exact[:], local[:]
        rng.shuffle(e2)
        rng.shuffle(l2)
        assert _snapshot(match(e2, l2)) == first


# ---- decisions ---------------------------------------------------------------------------------

def test_decisions_are_respected_on_a_rerun():
    common = dict(address="Kerkstraat 12", postcode="1234AB")
    exact = [R("e1", "Jansen Bouw", **common), R("e2", "Nova Design", **common), R("e3", "Atlas Data", postcode="9999ZZ")]
    local = [R("l1", "Jansen Bouw", **common), R("l2", "Nova Design", **common), R("l3", "Atlas Data", postcode="9999ZZ"),
             R("l9", "Smit Glas")]
    first = match(exact, local)
    assert set(first.one) == {"e1", "e2", "e3"}
    # e1 was linked by hand to l9, e2 ignored, (e3, l3) rejected
    dec = Decisions(links={"e1": "l9"}, ignored={"e2"}, rejected={("e3", "l3")})
    again = match(exact, local, decisions=dec)
    assert again.linked == {"e1": "l9"}
    assert "e1" not in again.one and "e1" not in again.more and "e1" not in again.none
    assert "e2" in again.ignored and again.ignored["e2"][0].local_id == "l2"  # candidates kept for un-ignore
    assert "e2" not in again.one
    assert all(c.local_id != "l3" for c in again.candidates("e3"))
    assert all(c.local_id != "l9" for cs in again.more.values() for c in cs)  # l9 is taken
    assert again.bucket_of("e2") == "ignored"
    assert Decisions.from_pairs([("e1", "l9")], ["e2"]).links == {"e1": "l9"}


def test_records_from_domain_objects_and_exact_rows():
    from exact_tui.domain.customer import LocalCustomer

    rec = MatchRecord.of(LocalCustomer(id="7", name="Jansen", number="1042", vat="NL1"))
    assert (rec.id, rec.code, rec.vat) == ("7", "1042", "NL1")
    row = {"ID": "g-1", "Name": "Jansen BV", "Code": "              1042", "AddressLine1": "Kerkstraat 1",
           "VATNumber": None}
    rec = MatchRecord.from_exact_row(row)
    assert (rec.id, rec.code, rec.address, rec.vat) == ("g-1", "1042", "Kerkstraat 1", "")


def test_a_shared_domain_does_not_confirm_a_pair_in_another_place():
    # branches of one company share the domain; the local customer is the Gent branch
    e = R("e1", "Claes Accountancy BV", address="Kerkstraat 29", postcode="3070", city="Leuven",
          email="facturatie@claesaccountancy.be")
    l = R("l1", "CLAES ACCOUNTANCY", address="Stationsstraat 46", postcode="9040", city="Gent",
          email="info@claesaccountancy.be")
    result = match([e], [l])
    assert "e1" not in result.one
    assert "e1" in result.more
    same_city = R("l1", "CLAES ACCOUNTANCY", postcode="3000", city="Leuven",
                  email="info@claesaccountancy.be")  # nothing contradicts: the domain confirms
    assert "e1" in match([e], [same_city]).one
    other_street = R("l1", "CLAES ACCOUNTANCY", address="Stationsstraat 46", postcode="3000", city="Leuven",
                     email="info@claesaccountancy.be")  # another street in the same city: a branch?
    assert "e1" not in match([e], [other_street]).one


def test_a_shared_code_does_not_confirm_when_everything_else_differs():
    e = R("e1", "Hendriks Drukkerij B.V.", address="Beatrixlaan 207", postcode="2871 EW", city="Gouda", code="900142",
          phone="+31 182 365 094")
    l = R("l1", "Cedar Drukkerij B.V.", address="Schoolstraat 64", postcode="7526 KA", city="Hengelo", code="900142",
          phone="074-7110035")
    result = match([e], [l])
    assert "e1" not in result.one
    assert "same customer number 900142" in explain(result.candidates("e1")[0])


def test_a_local_customer_does_not_fall_to_the_next_best_account():
    # e1 is certain for l1 (VAT); l2 (a duplicate of l1 typed again) must not go to e2 at a weaker score
    common = dict(address="Stationsstraat 46", postcode="9040", city="Gent")
    exact = [R("e1", "Claes Accountancy", vat="BE0143784300", **common),
             R("e2", "Claes Accountancy", address="Kerkstraat 29", postcode="9040", city="Gent", phone="09 123 45 67")]
    local = [R("l1", "Claes Accountancy", vat="BE0143784300", **common),
             R("l2", "Claes Accountancy", phone="+32 9 123 45 67", **common)]
    result = match(exact, local)
    assert result.one["e1"].local_id == "l1"
    assert "e2" not in result.one


def test_the_likeliest_candidate_is_listed_even_when_namesakes_score_higher():
    # five "... Bridge" namesakes elsewhere score higher on the name than the mistyped "Little
    # Bridge Brasserie" in the same street and town; the learned evidence keeps it in the list
    e = R("e1", "Ltitle Bridge", address="1372 Sunset Rd.", city="Seattle")
    local = [R("true", "Little Bridge Brasserie", address="1382 Sunset Road", city="Seattle")] + [
        R(f"n{k}", name, address=f"{100 + k} {street}", city="Seattle")
        for k, (name, street) in enumerate([("Teh Little Bridge", "Melrose Place"), ("The Littl eBridge", "Franklin"),
                                            ("Olive Bridge", "Peachtree Dr."), ("Little Bridge Tavern", "Main Blvd."),
                                            ("The Star Bridge", "Washington Road"), ("Little Bridge Bakery", "Pine St")])]
    result = match([e], local)
    assert "true" in [c.local_id for c in result.candidates("e1")]
    assert len(result.candidates("e1")) <= MatchConfig().max_candidates


def test_a_name_with_swapped_letters_is_found_without_any_shared_key():
    # no address, postcode or phone to block on and the only rare word mistyped: the name-only
    # pass finds it through its one-letter-left-out keys
    local = [R("l1", "Ltitle Brigde Brasserie")] + [R(f"x{k}", f"Other Company {k}") for k in range(30)]
    result = match([R("e1", "Little Bridge Brasserie")], local)
    assert "l1" in [c.local_id for c in result.candidates("e1")]


# ---- notes built when read ---------------------------------------------------------------------

def test_notes_are_built_when_first_read_and_kept(monkeypatch):
    from exact_tui.matching import decide, engine

    calls = []
    real = decide.bits_line

    def counting(*args):
        calls.append(args[-1])
        return real(*args)

    monkeypatch.setattr(decide, "bits_line", counting)
    e = [R("e1", "Jansen Installatie", city="Utrecht"), R("e2", "Bakker Hout", city="Delft"),
         R("e3", "Visser Glas", city="Breda")]
    l = [R("l1", "Jansen Installatie BV", city="Utrecht"), R("l2", "Bakker Hout", city="Gouda"),
         R("l3", "Zwart Metaal", city="Zeist")]
    result = engine.match(e, l, config=MatchConfig(threshold=101))  # no One match by the score rule
    assert not calls, "match() built notes nobody read"
    assert set(result.notes) == {"e1", "e2", "e3"}
    first = result.notes["e1"]
    assert any(n.startswith("bits: ") for n in first) and len(calls) == 1
    assert result.notes.get("e1") is first and len(calls) == 1  # built once, then kept
    assert result.notes.get("nobody", []) == [] and "nobody" not in result.notes


def test_a_note_view_reads_the_notes_when_used():
    e = [R("e1", "Jansen Installatie", city="Utrecht"), R("e2", "Bakker Hout", city="Delft")]
    l = [R("l1", "Jansen Installatie BV", city="Utrecht"), R("l2", "Zwart Metaal", city="Zeist")]
    result = match(e, l, config=MatchConfig(threshold=101))
    view, missing = result.notes.view("e1"), result.notes.view("nobody")
    assert list(view) == result.notes["e1"] and len(view) == len(result.notes["e1"]) and view[0]
    assert view == result.notes["e1"] and list(missing) == [] and len(missing) == 0
