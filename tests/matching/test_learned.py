"""The learned weights (Fellegi–Sunter with EM): what the data says, and why a pair stayed in More."""
import numpy as np

from exact_tui.matching import MatchRecord, match
from exact_tui.matching import learned


def _levels(rows):
    return {f: np.array([r.get(f, -1) for r in rows], np.int8) for f in learned.FIELDS}


def test_em_finds_that_agreeing_fields_mark_true_pairs():
    rng = np.random.default_rng(1)
    rows = []
    others = [{"name": int(rng.choice([0, 1, 2], p=[0.6, 0.3, 0.1])), "address": int(rng.choice([0, 1], p=[0.95, 0.05]))}
              for _ in range(5000)]  # random pairs of the two sides: nearly all different customers
    for _ in range(400):  # true pairs: names and addresses mostly agree
        rows.append({"name": int(rng.choice([4, 3, 1], p=[0.7, 0.2, 0.1])), "address": int(rng.choice([3, 0], p=[0.9, 0.1]))})
    for _ in range(1600):  # other candidates: they mostly do not
        rows.append({"name": int(rng.choice([0, 1, 2], p=[0.6, 0.3, 0.1])), "address": int(rng.choice([0, 1], p=[0.95, 0.05]))})
    u = learned.estimate_u(_levels(others))
    model = learned.estimate(_levels(rows), u, expected_matches=1000, max_matches=1000)
    assert 0.1 < model.prior < 0.4
    w = model.describe()
    assert w["name"]["the same"] > 5 and w["address"]["the same"] > 5
    assert w["name"]["different"] < 0 and w["address"]["different"] < 0
    bits, parts = learned.weigh(model, _levels([{"name": 4, "address": 3}, {"name": 0, "address": 0}]))
    assert bits[0] > 10 > bits[1]
    assert np.isclose(bits[0], model.prior_bits + parts["name"][0] + parts["address"][0] + sum(
        parts[f][0] for f in learned.FIELDS if f not in ("name", "address")))


def test_a_surname_alone_with_the_same_address_is_linked_by_the_learned_evidence():
    # "Kyra Webb" / "Webb" at one address: the name is not alike enough for the score rule
    people = [("Kyra Webb", "9 Boolee Street", "4870", "Freemans Reach"),
              ("Jack Ryan", "21 Bayly Place", "4171", "Cleveland"),
              ("Emma Green", "30 Learmonth Drive", "2747", "Boundary Bend"),
              ("Oliver Rickett", "194 Sturt Avenue", "2526", "Jamestown")]
    exact = [MatchRecord(f"e{k}", n, address=a, postcode=p, city=c) for k, (n, a, p, c) in enumerate(people)]
    local = [MatchRecord("l0", "Webb", address="9 Boolee Street", postcode="4870", city="Freemans Reach")] + \
        [MatchRecord(f"l{k}", n, address=a, postcode=p, city=c) for k, (n, a, p, c) in enumerate(people) if k]
    result = match(exact, local)
    assert result.one["e0"].local_id == "l0"
    assert result.notes["e0"][0].startswith("learned evidence")
    assert "bits: " in result.notes["e0"][1]


def test_why_a_pair_stayed_in_more_names_the_learned_evidence_too():
    e = MatchRecord("e1", "Orion Data Solutions")
    result = match([e], [MatchRecord("l1", "Orion Data Solutions")])
    assert "e1" in result.more
    notes = " | ".join(result.notes["e1"])
    assert "only the name agrees" in notes
    assert "learned evidence" in notes and "bits: name the same" in notes


def _people_with(exact_extra, local_extra, n=60):
    """`n` distinct persons on both sides, each on both (so EM has true pairs to learn from; one in
    four with its street typed anew), plus the pair under test."""
    streets = ["Bayly Place", "Sturt Avenue", "Learmonth Drive", "Boolee Street", "Kavel Street", "Wade Street"]
    given = ["jack", "emma", "oliver", "kyra", "lexie", "adam", "molly", "hugo", "darcy", "tahlia"]
    family = ["ryan", "green", "rickett", "webb", "cochrane", "caire", "alderson", "noble", "snell", "kuras",
              "menzies", "dent"]
    exact, local = [exact_extra], [local_extra]
    for k in range(n):
        rec = dict(name=f"{given[k % 10]} {family[k % 12]}{k}", address=f"{k + 3} {streets[k % 6]}",
                   postcode=str(2000 + 37 * k), city=f"town{k % 40}")
        exact.append(MatchRecord(f"e{k}", **rec))
        if k % 4 == 0:  # typed anew on one side: another street, as in the public person sets
            rec = {**rec, "address": f"{k + 200} {streets[(k + 1) % 6]}"}
        local.append(MatchRecord(f"l{k}", **rec))
    return exact, local


def test_address_levels_tell_a_mistyped_number_and_a_missing_street_from_another_address():
    from exact_tui.matching.prepare import KeyCodes, prepare
    from exact_tui.matching.model import MatchConfig
    from exact_tui.matching.scoring import score_pairs

    pairs = [("1372 Sunset Rd.", "1382 Sunset Road"), ("8 Eddy Crescent", "8"), ("15 Bywaters Place", "511 Bywaters Pl"),
             ("26 Griffin Place", "26 Griffin Place"), ("4 Esperance Street", "90 Pearcey Place")]
    codes = KeyCodes()
    E = prepare([MatchRecord(f"e{k}", "x", address=a) for k, (a, _) in enumerate(pairs)], codes)
    L = prepare([MatchRecord(f"l{k}", "x", address=b) for k, (_, b) in enumerate(pairs)], codes)
    S = score_pairs(E, L, np.arange(len(pairs)) * len(pairs) + np.arange(len(pairs)), MatchConfig())
    words = [learned.LEVEL_WORDS["address"][lv] for lv in S.level["address"]]
    assert words == ["one typo in the number", "the same number", "the same street", "the same", "different"]


def test_the_same_person_with_a_mistyped_postcode_at_another_street_is_linked_by_the_rest_of_the_record():
    # the name the same, the same town, the postcode one typo off, the street replaced: the fields
    # besides the name make the pair far likelier than not, and nobody else is close
    exact, local = _people_with(
        MatchRecord("x", "stephanie rumbal", address="26 griffin place", postcode="6258", city="galston"),
        MatchRecord("y", "stephanie rumbal", address="31 sollya place", postcode="6285", city="galston"))
    result = match(exact, local)
    assert result.one["x"].local_id == "y"
    assert result.notes["x"][0].startswith("learned evidence")


def test_a_neighbour_sharing_one_name_word_and_the_postcode_is_not_linked():
    # "Coppens Vastgoed" / "Vastgoed Jacobs": the same postcode and town, another street address
    exact, local = _people_with(
        MatchRecord("x", "Coppens Vastgoed BV", address="Stationsstraat 23b", postcode="8040", city="Brugge", country="BE"),
        MatchRecord("y", "Vastgoed Jacobs BVBA", address="Kortrijksesteenweg 15b", postcode="8040", city="Brugge",
                    country="BE"))
    result = match(exact, local)
    assert "x" not in result.one


def _with_households(exact, local, homes=3):
    """Relatives in the Exact file: a second person of the same surname at the address of the first
    `homes` persons (each side lists a person once, so those are families, never duplicates)."""
    extra = []
    for k, rec in enumerate(exact[1:homes + 1]):
        surname = rec.name.split()[-1]
        extra.append(MatchRecord(f"h{k}", f"zoe {surname}", address=rec.address, postcode=rec.postcode, city=rec.city))
    return exact + extra, local


def test_a_father_and_son_at_one_address_are_not_linked_where_the_files_hold_families():
    home = dict(address="14 Kerkstraat", postcode="3512", city="Utrecht")
    exact, local = _with_households(*_people_with(MatchRecord("x", "Jan Jansen", **home),
                                                  MatchRecord("y", "Piet Jansen", **home)))
    result = match(exact, local)
    assert result.stats["households"] >= 3
    assert "x" in result.more and result.more["x"][0].local_id == "y"
    notes = " | ".join(result.notes["x"])
    assert "only the surname agrees" in notes and "family member" in notes
    # ... while the persons of the file are still linked
    assert result.one["e1"].local_id == "l1"


def test_a_father_and_son_pattern_with_the_same_phone_number_is_one_person():
    home = dict(address="14 Kerkstraat", postcode="3512", city="Utrecht")
    exact, local = _with_households(*_people_with(MatchRecord("x", "Jan Jansen", phone="0612345678", **home),
                                                  MatchRecord("y", "Piet Jansen", phone="06 1234 5678", **home)))
    result = match(exact, local)
    assert result.one["x"].local_id == "y"


def test_a_surname_typed_anew_or_a_given_name_mistyped_is_judged_part_by_part():
    from exact_tui.matching.parts import relations
    from exact_tui.matching.prepare import KeyCodes, prepare

    pairs = [("jan jansen", "piet jansen"), ("sarah webb", "sarah donaldson"), ("holly hare", "hare tabitha"),
             ("jan jansen", "jna jansen"), ("hayley sherriff", "haylqey"), ("jack campbell", "ryder jack"),
             ("j jansen", "jan jansen"), ("p jansen", "jan jansen")]
    # word positions come from the run: these words stand first (given names) or last (surnames)
    filler = [("jan smit", "piet smit"), ("sarah bos", "holly vos"), ("tabitha dekker", "jack brouwer"),
              ("hayley meijer", "kees visser"), ("anna donaldson", "emma webb"), ("lars hare", "ole hare"),
              ("mia stockall", "ida campbell"), ("eva sherriff", "noor jansen"), ("ben hare", "ivo smit"), ("jack bos", "jack vos")]
    codes = KeyCodes()
    E = prepare([MatchRecord(f"e{k}", a) for k, (a, _) in enumerate(pairs + filler)], codes)
    L = prepare([MatchRecord(f"l{k}", b) for k, (_, b) in enumerate(pairs + filler)], codes)
    idx = np.arange(len(pairs))
    rel = relations(E, L, idx, idx, 1)
    # an initial is no other given name unless its letter differs
    assert rel.family.tolist() == [True, False, True, False, False, False, False, True]
    assert rel.given_same.tolist() == [False, True, False, False, False, True, False, False]
    assert rel.inside.tolist() == [False, False, False, False, True, False, False, False]


def test_other_names_at_one_address_stay_in_more_where_the_files_have_customers_sharing_an_address():
    home = dict(address="14 Kerkstraat", postcode="3512", city="Utrecht")
    exact, local = _people_with(MatchRecord("x", "Maria Bakker", **home), MatchRecord("y", "Tom Visser", **home))
    # a couple in the Exact file at the address of person 1: customers of other names share addresses
    exact.append(MatchRecord("c1", "noor stam", address=exact[1].address, postcode=exact[1].postcode, city=exact[1].city))
    result = match(exact, local)
    assert result.stats["strangers"] >= 2
    assert "x" not in result.one
    assert "another customer there?" in " | ".join(result.notes["x"])


def test_the_odds_of_a_name_typed_anew_against_a_stranger_at_one_address_come_from_both_files():
    from exact_tui.matching.decide import stranger_odds

    prob = np.array([1.0] * 100)
    pattern = np.zeros(100, bool)
    pattern[:2] = True  # 2 % of the true pairs have other names at one address
    # no customer shares an address within its own file: 10,000 records make a stranger rare
    assert stranger_odds(prob, pattern, 0, 10_000) > 2 ** 6
    # 300 customers of 10,000 do: a stranger is as likely as a name typed anew
    assert stranger_odds(prob, pattern, 300, 10_000) < 1
    # a small file is never taken for one without strangers
    assert stranger_odds(prob, pattern, 0, 200) < 2 ** 6


def test_sister_companies_at_one_address_are_not_linked():
    # "Vector Bouw" / "Vector Logistics": the first word alike and the rest nothing alike is a
    # sister company at the same address, not a firm with its name typed anew
    home = dict(address="Industrieweg 14", postcode="3512AB", city="Utrecht")
    exact, local = _people_with(MatchRecord("x", "Vector Bouw B.V.", **home), MatchRecord("y", "Vector Logistics", **home))
    result = match(exact, local)
    assert "x" in result.more
    assert "sister company" in " | ".join(result.notes["x"])
    # ... while the same phone number of one firm settles it
    exact, local = _people_with(MatchRecord("x", "Vector Bouw B.V.", phone="030 123 4567", **home),
                                MatchRecord("y", "Vector Logistics", phone="+31 30 123 4567", **home))
    assert match(exact, local).one["x"].local_id == "y"
