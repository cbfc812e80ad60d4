"""Whether a period is closed, as Exact tells it: `financial/FinancialPeriods` documents only the
period-date table (FinYear, FinPeriod, StartDate, EndDate and audit fields; no `Closed`), and
`read/financial/JournalStatusList` gives "Journal status for this year and period 0=open, 1=closed",
keyed by Year, Period and Journal (the REST reference's pages for both)."""
from __future__ import annotations

import datetime as dt

import httpx

from conftest import DIV, IDS, customer_id, gid, message

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


# ---------------------------------------------------------------- closing a period for one journal

def _period_url(server, year: int, period: int) -> str:
    return f"{server.base_url}/sandbox/divisions/{DIV}/rows/financial/FinancialPeriods/{gid(year * 100 + period)}"


def _statuses(api, year: int, period: int) -> dict[str, int]:
    rows = every(api, STATUS, **{"$filter": f"Year eq {year} and Period eq {period}"})
    return {r["Journal"]: r["Status"] for r in rows}


def _entry(journal: str, day: str) -> dict:
    return {"Journal": journal, "Customer": customer_id(40), "EntryDate": day, "YourRef": f"PJ-{journal}-{day}",
            "SalesEntryLines": [{"GLAccount": IDS["gl_revenue"], "AmountFC": 10, "VATCode": "2"}]}


def test_a_period_closed_for_one_journal_is_closed_for_that_journal_only(server, en):
    url, year = _period_url(server, YEAR + 1, 6), YEAR + 1
    assert httpx.post(url, json={"Closed": True, "Journal": "71"}).status_code == 200
    try:
        assert _statuses(en, year, 6) == {"70": 0, "71": 1, "90": 0}
        row = next(r for r in every(en, STATUS, **{"$filter": f"Year eq {year} and Period eq 6 and Journal eq '71'"}))
        assert row["StatusDescription"] == "Closed"
        refused = en.post(f"/{DIV}/salesentry/SalesEntries", json=_entry("71", f"{year}-06-15"))
        assert refused.status_code == 500 and message(refused) == f"Period is closed: {year} – 6"
        booked = en.post(f"/{DIV}/salesentry/SalesEntries", json=_entry("70", f"{year}-06-15"))
        assert booked.status_code == 201, booked.text  # the sales journal of that month still takes invoices
        entry_id = booked.json()["d"]["EntryID"]
        moved = en.put(f"/{DIV}/salesentry/SalesEntries(guid'{entry_id}')", json={"Journal": "71"})
        assert moved.status_code == 500 and message(moved) == f"Period is closed: {year} – 6"
        assert en.delete(f"/{DIV}/salesentry/SalesEntries(guid'{entry_id}')").status_code == 204
    finally:
        httpx.post(url, json={"Closed": False})
    assert _statuses(en, year, 6) == {"70": 0, "71": 0, "90": 0}


def test_reopening_one_journal_of_a_period_closed_for_all_keeps_the_others_closed(server, en):
    url, year = _period_url(server, YEAR + 1, 7), YEAR + 1
    assert httpx.post(url, json={"Closed": True}).status_code == 200  # no journal: every journal, as before
    try:
        assert _statuses(en, year, 7) == {"70": 1, "71": 1, "90": 1}
        assert httpx.post(url, json={"Closed": False, "Journal": "70"}).status_code == 200
        assert _statuses(en, year, 7) == {"70": 0, "71": 1, "90": 1}
        assert en.post(f"/{DIV}/salesentry/SalesEntries", json=_entry("70", f"{year}-07-15")).status_code == 201
        assert en.post(f"/{DIV}/salesentry/SalesEntries", json=_entry("71", f"{year}-07-16")).status_code == 500
        assert httpx.post(url, json={"Closed": True, "Journal": "70"}).status_code == 200
        assert _statuses(en, year, 7) == {"70": 1, "71": 1, "90": 1}
    finally:
        assert httpx.post(url, json={"Closed": False}).status_code == 200
    assert _statuses(en, year, 7) == {"70": 0, "71": 0, "90": 0}


def test_closing_for_an_unknown_journal_or_without_closed_is_refused_and_changes_nothing(server, en):
    url, year = _period_url(server, YEAR + 1, 8), YEAR + 1
    unknown = httpx.post(url, json={"Closed": True, "Journal": "99"})
    assert unknown.status_code == 400 and "no journal '99'" in unknown.json()["error"] and "70, 71, 90" in unknown.json()["error"]
    assert httpx.post(url, json={"Journal": "70"}).status_code == 400
    direct = httpx.post(url, json={"ClosedJournals": ["70"]})
    assert direct.status_code == 400 and '"Journal"' in direct.json()["error"]
    assert _statuses(en, year, 8) == {"70": 0, "71": 0, "90": 0}


def test_the_per_journal_state_is_never_served(server, nl):
    url = _period_url(server, YEAR + 1, 9)
    assert httpx.post(url, json={"Closed": True, "Journal": "70"}).status_code == 200
    try:
        row = nl.get(f"/{DIV}/financial/FinancialPeriods(guid'{gid((YEAR + 1) * 100 + 9)}')").json()["d"]
        assert "ClosedJournals" not in row and "Closed" not in row
        refused = nl.get(f"/{DIV}/financial/FinancialPeriods", params={"$select": "FinYear,ClosedJournals"})
        assert refused.status_code == 400
    finally:
        httpx.post(url, json={"Closed": False})
