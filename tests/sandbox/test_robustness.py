"""Hostile requests get a 400 in Exact's error envelope, never a 500 with a traceback (issue 15,
item 11): a `$filter` nested 200 deep, 1,400 `not`s, thousands of `and`s, deeply nested JSON
bodies, lone surrogates, NaN and absurd numbers; and a clock that cannot be broken."""
from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import DIV, message

ACC = f"/{DIV}/crm/Accounts"
JSON_BODY = {"Content-Type": "application/json"}


def exact_400(answer: httpx.Response) -> str:
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["code"] == "" and body["error"]["message"]["lang"] == "en-US"
    return message(answer)


@pytest.mark.parametrize("expression", [
    "(" * 200 + "Name eq 'a'" + ")" * 200,
    "not " * 1400 + "Name eq 'a'",
    "tolower(" * 300 + "Name" + ")" * 300 + " eq 'a'",
], ids=["200-parentheses", "1400-nots", "300-calls"])
def test_a_filter_nested_too_deep_is_a_400(en, expression):
    assert "nested more than 64 levels deep" in exact_400(en.get(ACC, params={"$filter": expression}))


def test_long_flat_filters_still_work(server, en):
    server.runtime.apply_behaviour({"max_url_length": 0})  # no URL cap: 800 and 1,500 terms in one filter
    many_ors = " or ".join(f"Code eq '{n % 50 + 1:>18}'" for n in range(800))
    rows = en.get(ACC, params={"$filter": many_ors, "$select": "Code"}).json()["d"]["results"]
    assert len(rows) == 50
    many_ands = " and ".join(["Name ne 'x'"] * 1500) + " and Code eq '" + "7".rjust(18) + "'"
    assert len(en.get(ACC, params={"$filter": many_ands, "$select": "ID"}).json()["d"]["results"]) == 1


@pytest.mark.parametrize("body, fragment", [
    (b'{"Name": ' + b"[" * 900 + b"]" * 900 + b"}", "nested more than 32 levels deep"),
    (b'{"Name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 32 levels deep"),
    (b'{"Name": ' + b'{"a":' * 50 + b"1" + b"}" * 50 + b"}", "nested more than 32 levels deep"),
    (b'{"Name": "A\\ud800B", "Status": "C"}', "lone surrogate (U+D800)"),
    (b'{"Name": "A", "\\udfff": 1}', "lone surrogate (U+DFFF)"),
    (b'{"Name": "A", "Status": NaN}', "NaN is not a JSON value"),
    (b'{"Name": "\xff"}', "not UTF-8"),
], ids=["900-deep", "100000-deep", "50-deep-objects", "surrogate-value", "surrogate-key", "nan", "latin-1"])
def test_a_hostile_body_is_a_400_and_nothing_is_stored(server, en, body, fragment):
    before = len(server.world.table(DIV, "crm/Accounts"))
    assert fragment in exact_400(en.post(ACC, content=body, headers=JSON_BODY))
    assert len(server.world.table(DIV, "crm/Accounts")) == before


def test_absurd_amounts_are_refused_before_any_rule(en):
    body = b'{"Journal": "70", "SalesEntryLines": [{"AmountFC": 1e999999}]}'
    assert exact_400(en.post(f"/{DIV}/salesentry/SalesEntries", content=body, headers=JSON_BODY)).startswith(
        "Invalid value for AmountFC")


def test_a_surrogate_in_the_url_is_answered_not_crashed(en):
    answer = en.get(f"{ACC}?$select=%ED%A0%80&$filter=Code%20eq%20%271%27")
    assert "could not find a property named" in exact_400(answer)
    assert en.get(f"/{DIV}/crm/Acc%ED%A0%80").status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expression=st.text(alphabet=st.sampled_from(list("()'not and or eq Name 1 guid'\\\ud800 ,")), max_size=120))
def test_any_filter_text_is_an_answer_never_a_500(server, en, expression):
    server.runtime.reset_limits()  # dozens of refused filters would trip the hourly error cap
    raw = quote(expression.encode("utf-8", "surrogatepass"), safe="")  # a lone surrogate, as raw bytes
    answer = en.get(f"{ACC}?$select=ID&$filter={raw}")
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        exact_400(answer)


# ---------------------------------------------------------------- the sandbox clock

@pytest.mark.parametrize("raw", [b"NaN", b"Infinity", b"-Infinity", b"-1e308", b"1e308", b"-1", b'"nan"', b'"inf"',
                                 b"true", b"null", b'"soon"', b"[1]", b"316224001"])
def test_the_clock_refuses_bad_jumps_and_keeps_running(server, raw):
    before = server.clock.time()
    answer = httpx.post(f"{server.base_url}/sandbox/clock/advance", content=b'{"seconds": ' + raw + b"}")
    assert answer.status_code == 400 and answer.json()["ok"] is False
    now = server.clock.time()
    assert before <= now < before + 60  # unchanged: still a finite time, running forward
    assert httpx.get(f"{server.base_url}/sandbox/clock").json()["time"] >= now


def test_the_clock_takes_a_sane_jump(server):
    before = server.clock.time()
    answer = httpx.post(f"{server.base_url}/sandbox/clock/advance", json={"seconds": 1.5})
    assert answer.status_code == 200 and answer.json()["time"] >= before + 1.5
