"""Any text in, sane buckets out: no crash, scores in 0-100, parts adding up, one-to-one."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exact_tui.matching import MatchRecord, match, normalise_name

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
field_text = st.one_of(st.just(""), text, st.sampled_from(["1234 AB", "+31 20 1234567", "NL812345678B01",
                                                          "info@jansen.nl", "Kerkstraat 12", "B.V.", "12345678"]))
record = st.builds(lambda n, a, p, ph, v: (n, a, p, ph, v), text, field_text, field_text, field_text, field_text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, max_size=8), st.lists(record, max_size=8))
def test_any_input_gives_consistent_buckets(exact_rows, local_rows):
    exact = [MatchRecord(f"e{k}", n, address=a, postcode=p, phone=ph, vat=v) for k, (n, a, p, ph, v) in enumerate(exact_rows)]
    local = [MatchRecord(f"l{k}", n, address=a, postcode=p, phone=ph, vat=v) for k, (n, a, p, ph, v) in enumerate(local_rows)]
    result = match(exact, local)
    ids = [r.id for r in exact]
    placed = list(result.one) + list(result.more) + list(result.none)
    assert sorted(placed) == sorted(ids)  # every Exact account in exactly one tab
    taken = [c.local_id for c in result.one.values()]
    assert len(taken) == len(set(taken))
    for cands in [[c] for c in result.one.values()] + list(result.more.values()):
        assert len(cands) <= 5
        for c in cands:
            assert 0 <= c.score <= 100
            assert abs(sum(f.contribution for f in c.fields.values()) - c.score) < 0.051


@given(text)
def test_normalise_name_never_fails(name):
    key = normalise_name(name)
    assert key.core == " ".join(key.tokens)


_ugly = st.text(alphabet=st.sampled_from(list("abcXYZ019 ._/-&'+()@;,\t\näßéøЖσ株٢²ﬁ\u00a0\u0301")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_ugly)
def test_fast_ascii_paths_equal_the_regex_rules(text):
    """`joined_words`, `_digits` and `_upper_alnum` cut ASCII text with bytes.translate for speed; on
    any text they must give what the regexes they replace give."""
    import re

    from exact_tui.matching import normalise as N
    from exact_tui.matching import words as W

    folded = W.fold(text)
    assert W.joined_words(text) == re.sub(r"[\W_]+", " ", W._DOT_AFTER_LETTER.sub("", folded)).strip()
    assert N._digits(text) == re.sub(r"\D+", "", text)
    assert N._upper_alnum(text.upper()) == re.sub(r"[^0-9A-Z]+", "", text.upper())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["kerkstraat", "strasse", "street", "12", "a", "12a", "gatan", "gata", "xgatan",
                                 "laan", "de", "weg", "wegstraat", "ave", "avenue", "bd"]), max_size=6))
def test_street_suffixes_are_shortened_as_the_suffix_regex_does(words):
    """Addresses shorten street suffixes with one regex over the text; in every word that must be
    the longest suffix the word ends with."""
    from exact_tui.matching import normalise as N

    def shortened(word: str) -> str:
        start = next((k for k in range(len(word)) if word[k:] in N._STREET_SHORT), len(word))
        return word[:start] + N._STREET_SHORT.get(word[start:], "")

    assert N._short_streets(" ".join(words)) == " ".join(map(shortened, words))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 7), min_size=10, max_size=10), max_size=60))
def test_level_patterns_are_counted_as_numpy_unique_counts_them(rows):
    """EM counts identical level patterns once; the fast count must give numpy's rows, order and counts
    (the EM sums in that order, so the weights stay bit for bit the same)."""
    import numpy as np

    from exact_tui.matching.learned import _unique_rows

    codes = np.array(rows, np.int16).reshape(len(rows), 10)
    expected = np.unique(codes, axis=0, return_counts=True)
    got = _unique_rows(codes)
    assert got[0].dtype == expected[0].dtype
    assert got[0].tolist() == expected[0].tolist()
    assert got[1].tolist() == expected[1].tolist()


_words = st.sampled_from(["jan", "jansen", "bouw", "b", "a", "de", "vries", "ab", "ba", "株式会社", "müller", "x"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_words, max_size=4).map(" ".join), min_size=1, max_size=12),
       st.lists(st.lists(_words, max_size=4).map(" ".join), min_size=1, max_size=12))
def test_token_set_and_sort_ratios_of_the_sides_are_rapidfuzz_ones(exact_names, local_names):
    """Scoring takes the ratio of sorted distinct words for names without a common word, and the
    names' own ratio where they are in that order already; on every pair, with and without a
    cutoff, it must be `fuzz.token_set_ratio` of the names, empty ones too. The same for
    `fuzz.token_sort_ratio` in the name's similarity."""
    import numpy as np
    from rapidfuzz import fuzz

    from exact_tui.matching.prepare import KeyCodes, prepare
    from exact_tui.matching.scoring import _token_set

    codes = KeyCodes()
    E = prepare([MatchRecord(f"e{k}", n) for k, n in enumerate(exact_names)], codes)
    L = prepare([MatchRecord(f"l{k}", n) for k, n in enumerate(local_names)], codes)
    ei, li = np.divmod(np.arange(len(E) * len(L)), len(L))
    for cutoff in (None, 50):
        # the callers pass the plain ratio of the names, with the same cutoff
        plain = np.array([fuzz.ratio(E.name[i], L.name[j], score_cutoff=cutoff) for i, j in zip(ei, li)], np.float32)
        got = _token_set(E, L, ei, li, 1, cutoff, plain)
        expected = [fuzz.token_set_ratio(E.name[i], L.name[j], score_cutoff=cutoff) for i, j in zip(ei, li)]
        assert got.tolist() == np.array(expected, np.float32).tolist()
    # and the name's similarity in the score is the better of the plain and the token-sort ratio
    from exact_tui.matching.model import MatchConfig
    from exact_tui.matching.scoring import score_pairs

    name = score_pairs(E, L, ei * len(L) + li, MatchConfig(workers=1)).sim["name"]
    expected = [max(fuzz.ratio(E.name[i], L.name[j]), fuzz.token_sort_ratio(E.name[i], L.name[j])) for i, j in zip(ei, li)]
    assert name.tolist() == np.array(expected, np.float32).tolist()
