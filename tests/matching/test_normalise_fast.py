"""The normaliser's short cuts and column forms give exactly what its plain rules give.

Speed work replaced regexes by `str` methods, took short cuts for the common shapes of names and
postcodes and cut whole columns at once; every decision the matcher makes rests on these keys, so
each short cut is checked here against the plain rule it stands for, on generated text that mixes
table words, punctuation and other scripts, and on the bench generator's records.
"""
import re
import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from exact_tui.matching import normalise as N
from exact_tui.matching import words as W
from exact_tui.matching.tables import (
    ABBREVIATIONS, CALLING_CODES, FILLER, FLAG_WORDS, KNOWN_CALLING_CODES, LEGAL_EDGE, LEGAL_PHRASES, STREET_SUFFIXES, TRANSLITERATION,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from gen_records import generate  # noqa: E402

# characters that exercise every branch: ASCII punctuation the cut and the dot rule look at, line
# breaks, accents (composed and combining), Greek final sigma, letters that fold to two, other
# scripts, Unicode spaces, compatibility forms, non-ASCII digits
_ALPHABET = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOVWXYZ 0123456789 ./-&,'()+_@;\n\t\x1c"
             "éüÖßøÆĳİı\u0301\u0308αβΣσςΟΔЖжИй東京\u00a0\u2003ſℌﬁ½٣")
_TABLE_WORDS = sorted(set(LEGAL_EDGE) | set(FILLER) | set(FLAG_WORDS) | set(ABBREVIATIONS) | set(LEGAL_PHRASES)
                      | {s for s, _ in STREET_SUFFIXES} | {"jansen", "bouw", "kerk", "van", "der", "x", "b", "東", "é"})
_SEPARATORS = [" ", "  ", ". ", ".", "/", "-", " & ", ", ", "\n", "\u00a0"]

any_text = st.text(alphabet=_ALPHABET, max_size=30)
table_text = st.lists(st.tuples(st.sampled_from(_TABLE_WORDS), st.sampled_from(_SEPARATORS)), max_size=7).map(
    lambda parts: "".join(w.upper() if k % 3 == 1 else w + s for k, (w, s) in enumerate(parts)))
names_like = st.one_of(any_text, table_text, st.builds(lambda a, b: a + " " + b, table_text, any_text))


def _real_columns() -> dict[str, list[str]]:
    exact, local, _ = generate(1500, seed=5)
    return {f: [getattr(r, f) for r in exact + local] for f in ("name", "address", "postcode", "phone", "country")}


REAL = _real_columns()


@settings(max_examples=400, deadline=None)
@given(st.lists(names_like, max_size=12))
def test_a_column_at_once_is_each_value_alone(values):
    assert N.normalise_names(values) == [N.normalise_name(v) for v in values]
    assert N.normalise_addresses(values) == [N.normalise_address(v) for v in values]


def test_a_column_of_real_records_at_once_is_each_value_alone():
    for field, batch, one in (("name", N.normalise_names, N.normalise_name),
                              ("address", N.normalise_addresses, N.normalise_address)):
        values = REAL[field] + [v + "\n" + v for v in REAL[field][:50]]  # line breaks: the per-value way
        assert batch(values) == [one(v) for v in values]
        assert batch(REAL[field][:300]) == [one(v) for v in REAL[field][:300]]


@settings(max_examples=600, deadline=None)
@given(names_like)
def test_the_short_cuts_for_plain_names_follow_the_rules(name):
    raw = W.word_list(name)
    assert N._name_key(raw) == N._name_rules(raw)


def test_real_names_follow_the_rules():
    for name in REAL["name"]:
        raw = W.word_list(name)
        assert N._name_key(raw) == N._name_rules(raw), name


_OLD_DOT = re.compile(r"(?<=\b\w)[./](?=\w\b|\s|$)")
_OLD_TRANSLATE = str.maketrans(TRANSLITERATION)


def _old_fold(text: str) -> str:
    text = (text or "").strip().lower().translate(_OLD_TRANSLATE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_OLD_TRANSLATE)


def _old_street_word(word: str) -> str:
    for start in range(len(word)):
        short = dict(STREET_SUFFIXES).get(word[start:])
        if short is not None:
            return word[:start] + short
    return word


@settings(max_examples=400, deadline=None)
@given(names_like)
def test_folding_dots_and_street_words_as_the_plain_rules(text):
    assert W.fold(text) == _old_fold(text)
    assert _OLD_DOT.sub("", text) == W._DOT_AFTER_LETTER.sub("", text)
    words = W.word_list(text)
    assert N._short_streets(" ".join(words)).split() == [_old_street_word(w) for w in words]


def _old_postcode(postcode: str, country: str) -> tuple[str, str]:
    text = re.sub(r"[^0-9A-Z]+", "", _old_fold(postcode).upper())
    if not text:
        return "", ""
    m = re.match(r"^(?:NL|BE|DE|CH|DK|FI|B|D|L|F|A|S|N)(?=\d)", text)
    if m and (text[m.end():].isdigit() or re.match(r"^([1-9]\d{3})([A-Z]{2})$", text[m.end():])):
        text = text[m.end():]
    m = re.match(r"^([1-9]\d{3})([A-Z]{2})$", text)
    if m and country in ("", "NL"):
        return text, m.group(1)
    m = re.match(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$", text)
    return (text, m.group(1)) if m else (text, text[:3])


postcode_like = st.one_of(any_text, st.from_regex(r"\A(?:NL-?|[BD]-)?[0-9]{4,5} ?[A-Za-z]{0,2}\Z"),
                          st.from_regex(r"\A[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}\Z"))


@settings(max_examples=500, deadline=None)
@given(postcode_like, st.sampled_from(["", "NL", "BE", "GB", "DE"]))
def test_postcode_short_cuts_as_the_regex_rules(postcode, country):
    assert N.normalise_postcode(postcode, country) == _old_postcode(postcode, country)


def test_real_postcodes_as_the_regex_rules():
    for postcode, country in zip(REAL["postcode"], REAL["country"]):
        for c in (country, "", "NL"):
            assert N.normalise_postcode(postcode, c) == _old_postcode(postcode, c), (postcode, c)


def test_calling_codes_by_lookup_as_by_longest_prefix():
    sizes = sorted({len(c) for c in KNOWN_CALLING_CODES}, reverse=True)
    for prefix, code in N._CALLING_OF.items():
        assert code == next((prefix[:n] for n in sizes if prefix[:n] in KNOWN_CALLING_CODES), "")
    assert N.normalise_phone("+3531 234 5678") == "35312345678"  # Ireland (353), not 35 or 3


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, st.from_regex(r"\A[A-Za-z]{0,2} ?[0-9. ]{4,14}[Bb]?[0-9]{0,2}\Z")))
def test_vat_numbers_as_the_plain_rule(vat):
    text = re.sub(r"[^0-9A-Z]+", "", vat.upper())
    text = (text[2:] if len(text) > 2 and text[:2].isalpha() else text).lstrip("0")
    assert N.normalise_vat(vat) == (text if len(text) >= 6 and any(c.isdigit() for c in text) else "")


def _old_phone(phone: str, country: str) -> str:
    text = (phone or "").strip().lstrip("'")
    international = text.startswith("+") or text.startswith("00")
    digits = re.sub(r"\D+", "", text.replace("(0)", ""))
    if not digits:
        return ""
    if international:
        digits = digits.lstrip("0") if text.replace("(0)", "").startswith("00") else digits
        for size in (3, 2, 1):
            if digits[:size] in KNOWN_CALLING_CODES:
                rest = digits[size:]
                return digits[:size] + (rest[1:] if rest.startswith("0") else rest)
        return digits
    code = CALLING_CODES.get(country, "")
    if digits.startswith("0"):
        return code + digits[1:]
    return code + digits if code and len(digits) >= 8 else digits


phone_like = st.one_of(any_text, st.from_regex(r"\A[ '\t]*(?:\+|00)?[0-9 ()\-]{0,16}\Z"))
_COUNTRIES = st.sampled_from(["", "NL", "BE", "GB", "DE"])


@settings(max_examples=400, deadline=None)
@given(phone_like, _COUNTRIES)
def test_phones_as_the_plain_rule(phone, country):
    assert N.normalise_phone(phone, country) == _old_phone(phone, country)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(phone_like, postcode_like), _COUNTRIES), max_size=12))
def test_phone_and_postcode_columns_at_once_are_each_value_alone(rows):
    values, countries = [v for v, _ in rows], [c for _, c in rows]
    assert N.phone_keys(values, countries) == [N.phone_key(N.normalise_phone(v, c)) for v, c in rows]
    assert N.normalise_postcodes(values, countries) == [N.normalise_postcode(v, c) for v, c in rows]


def test_real_phone_and_postcode_columns_at_once_are_each_value_alone():
    countries = [N.normalise_country(c) for c in REAL["country"]]
    phones, postcodes = REAL["phone"] + ["+31\n20"], REAL["postcode"] + ["1234\nAB"]
    for values in (REAL["phone"], phones):
        assert N.phone_keys(values, countries + [""]) == [N.phone_key(N.normalise_phone(v, c))
                                                          for v, c in zip(values, countries + [""])]
        assert N.phone_keys(values, countries + [""]) == [N.phone_key(_old_phone(v, c)) for v, c in zip(values, countries + [""])]
    for values in (REAL["postcode"], postcodes):
        assert N.normalise_postcodes(values, countries + [""]) == [_old_postcode(v, c) for v, c in zip(values, countries + [""])]
