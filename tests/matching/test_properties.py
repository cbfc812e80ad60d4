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
