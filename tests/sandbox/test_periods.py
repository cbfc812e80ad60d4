"""Whether a period is closed, as Exact tells it: `financial/FinancialPeriods` documents only the
period-date table (FinYear, FinPeriod, StartDate, EndDate and audit fields; no `Closed`), and
`read/financial/JournalStatusList` gives "Journal status for this year and period 0=open, 1=closed",
keyed by Year, Period and Journal (the REST reference's pages for both)."""
from __future__ import annotations

import datetime as dt

import httpx

from conftest import DIV, gid, message

YEAR = dt.datetime.now(dt.timezone.utc).year
STATUS = f"/{DIV}/read/financial/JournalStatusList"


def every(api, path: str, **params) -> list[dict]:
    rows, url = [], path
    while url:
        answer = api.get(url, params=params if url == path else None)
        assert answer.status_code == 200, answer.text
        d = answer.json()["d"]
        rows += d["results"]
        url = d.get("__next")
    return rows


def test_financial_periods_serve_no_closed_property(nl):
    row = nl.get(f"/{DIV}/financial/FinancialPeriods", params={"$top": "1"}).json()["d"]["results"][0]
    assert "Closed" not in row and {"FinYear", "FinPeriod", "StartDate", "EndDate"} <= set(row)
    refused = nl.get(f"/{DIV}/financial/FinancialPeriods", params={"$select": "FinYear,Closed"})
    assert refused.status_code == 400 and "Closed" in message(refused)


def test_the_journal_status_list_says_which_period_is_closed_per_journal(en):
    rows = every(en, STATUS, **{"$filter": "Journal eq '70'"})
    assert {r["Journal"] for r in rows} == {"70"} and len(rows) == 36  # three fiscal years of twelve periods
    closed = [(r["Year"], r["Period"]) for r in rows if r["Status"] == 1]
    assert closed == [(YEAR - 1, 1)]  # the fixture world's one closed period
    first = next(r for r in rows if (r["Year"], r["Period"]) == (YEAR - 1, 1))
    assert first["StatusDescription"] == "Closed" and first["JournalType"] == 20
    assert first["__metadata"]["uri"].endswith(f"JournalStatusList(Year={YEAR - 1},Period=1,Journal='70')")
    again = en.get(first["__metadata"]["uri"])
    assert again.status_code == 200 and again.json()["d"]["Status"] == 1


def test_every_journal_of_every_period_is_listed_across_pages(en):
    journals = {r["Code"].strip() for r in every(en, f"/{DIV}/financial/Journals")}
    periods = every(en, f"/{DIV}/financial/FinancialPeriods")
    rows = every(en, STATUS)
    assert len(rows) == len(journals) * len(periods) > 60  # more than one page of 60
    assert len({(r["Year"], r["Period"], r["Journal"]) for r in rows}) == len(rows)


def test_closing_a_period_shows_in_the_status_list(server, en):
    key = gid((YEAR + 1) * 100 + 5)
    url = f"{server.base_url}/sandbox/divisions/{DIV}/rows/financial/FinancialPeriods/{key}"
    flt = {"$filter": f"Year eq {YEAR + 1} and Period eq 5"}
    assert {r["Status"] for r in every(en, STATUS, **flt)} == {0}
    assert httpx.post(url, json={"Closed": True}).status_code == 200
    try:
        assert {r["Status"] for r in every(en, STATUS, **flt)} == {1}
    finally:
        httpx.post(url, json={"Closed": False})


def test_metadata_names_the_three_key_parts(nl):
    answer = nl.get(f"/{DIV}/read/$metadata")
    assert answer.status_code == 200
    text = answer.text
    start = text.index('<EntityType Name="JournalStatusList">')
    keys = text[start: text.index("</Key>", start)]
    assert all(f'<PropertyRef Name="{name}" />' in keys for name in ("Year", "Period", "Journal"))
    financial = nl.get(f"/{DIV}/financial/$metadata").text
    period = financial[financial.index('<EntityType Name="FinancialPeriod">'):]
    assert 'Name="Closed"' not in period[: period.index("</EntityType>")]
