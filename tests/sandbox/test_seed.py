"""The Exact side of `seed.generate`: determinism, shapes Exact uses (padded codes, GUIDs, tz-aware
datetimes, Decimal percentages), the divisions/users/app registration, and the master-data records
that exist to make Exact's business rules fire. Pure data: no server needed."""
from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest

from exact_tui.domain.customer import customer_number_problem
from exact_tui.sandbox import seed
from exact_tui.sandbox.seed import BLOCKED_DIVISION, MAIN_DIVISION, NOT_GRANTED_DIVISION, SECOND_DIVISION

TODAY = dt.date(2026, 11, 23)
N = 400
SEED = 11


@pytest.fixture(scope="module")
def data() -> seed.SeedData:
    return seed.generate(N, seed=SEED, today=TODAY)


def main(data, table: str) -> list[dict]:
    return data.tables[MAIN_DIVISION][table]


def by_code(data, table: str) -> dict[str, dict]:
    return {str(r["Code"]).strip(): r for r in main(data, table)}


def test_same_seed_gives_identical_data_and_another_seed_does_not():
    one, two = seed.generate(150, seed=5, today=TODAY), seed.generate(150, seed=5, today=TODAY)
    assert one.tables == two.tables and one.divisions == two.divisions
    assert one.local == two.local and one.client_secret == two.client_secret
    other = seed.generate(150, seed=6, today=TODAY)
    assert other.client_secret != one.client_secret and other.client_id == one.client_id
    names = [a["Name"] for a in one.tables[MAIN_DIVISION]["crm/Accounts"]]
    assert names != [a["Name"] for a in other.tables[MAIN_DIVISION]["crm/Accounts"]]
    assert {a["ID"] for a in one.tables[MAIN_DIVISION]["crm/Accounts"]}.isdisjoint(
        a["ID"] for a in other.tables[MAIN_DIVISION]["crm/Accounts"])


def test_counts_per_division(data):
    customers = [a for a in main(data, "crm/Accounts") if a["Status"] == "C"]
    assert len(customers) == N
    assert {a["Status"] for a in main(data, "crm/Accounts")} == {"C", "A", "P", "S"}
    assert sum(a["IsSupplier"] for a in main(data, "crm/Accounts")) == N // 25
    per_account: dict[str, int] = {}
    for contact in main(data, "crm/Contacts"):
        per_account[contact["Account"]] = per_account.get(contact["Account"], 0) + 1
    assert set(per_account) <= {a["ID"] for a in customers}
    assert max(per_account.values()) == 3 and len(per_account) < N  # 0-3 each, some none
    assert [a for a in data.tables[SECOND_DIVISION]["crm/Accounts"] if a["Status"] == "C"]
    assert seed.generate(0, seed=1, today=TODAY).local.customers == []
    with pytest.raises(ValueError):
        seed.generate(-1)


def test_every_row_has_guid_id_and_timestamps(data):
    ids = []
    for division, tables in data.tables.items():
        for name, rows in tables.items():
            for row in rows:
                ids.append(row["ID"])
                assert str(uuid.UUID(row["ID"])) == row["ID"], (division, name)
                for key in ("Created", "Modified", "StartDate", "EndDate"):
                    if row.get(key) is not None:
                        assert row[key].tzinfo is not None, (name, key)
                if name in ("crm/Accounts", "crm/Contacts", "logistics/Items"):
                    assert isinstance(row["Timestamp"], int) and row["Modified"] >= row["Created"]
    assert len(ids) == len(set(ids))


def test_account_codes_are_padded_numeric_18_characters(data):
    for division, tables in data.tables.items():
        for row in tables["crm/Accounts"]:
            code = row["Code"]
            assert len(code) == 18 and code == code.strip().rjust(18) and code.strip().isdigit(), row
            assert customer_number_problem(code) is None
        codes = [r["Code"] for r in tables["crm/Accounts"]]
        assert len(codes) == len(set(codes)), division


def test_addresses_and_numbers_look_like_their_country(data):
    accounts = [a for a in main(data, "crm/Accounts") if a["Status"] == "C"]
    patterns = {
        "NL": (r"\d{4} [A-Z]{2}", r"NL\d{9}B0[1-3]"), "BE": (r"\d{4}", r"BE0\d{9}"),
        "DE": (r"\d{5}", r"DE\d{9}"), "GB": (r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", r"GB\d{9}"),
    }
    seen = set()
    for a in accounts:
        postcode, vat = patterns[a["Country"]]
        seen.add(a["Country"])
        assert re.fullmatch(postcode, a["Postcode"]), a
        assert a["VATNumber"] is None or re.fullmatch(vat, a["VATNumber"]), a
        assert re.search(r"\d", a["AddressLine1"]) and a["City"]
        if a["Country"] == "NL" and a["ChamberOfCommerce"]:
            assert re.fullmatch(r"\d{8}", a["ChamberOfCommerce"])
        assert a["Email"] is None or re.fullmatch(r"[a-z0-9.]+@[a-z0-9.-]+\.[a-z.]+", a["Email"]), a
        assert a["Phone"] is None or re.fullmatch(r"[+\d][\d -]+", a["Phone"]), a
    assert seen == {"NL", "BE", "DE", "GB"}
    domains = [a["Email"].split("@")[1] for a in accounts if a["Email"]]
    assert any(d in ("gmail.com", "hotmail.com", "outlook.com", "telenet.be", "web.de", "gmx.de") for d in domains)
    assert sum(bool(a["Website"]) for a in accounts) > N / 2
    assert any(" B.V." in a["Name"] for a in accounts) and any("GmbH" in a["Name"] for a in accounts)


def test_divisions_scoping_and_payment_defaults(data):
    rows = {d["Code"]: d for d in data.divisions}
    assert set(rows) == {MAIN_DIVISION, SECOND_DIVISION, NOT_GRANTED_DIVISION, BLOCKED_DIVISION}
    assert NOT_GRANTED_DIVISION not in data.granted_divisions and MAIN_DIVISION in data.granted_divisions
    assert rows[BLOCKED_DIVISION]["Blocked"] and not rows[MAIN_DIVISION]["Blocked"]
    assert rows[MAIN_DIVISION]["DefaultPaymentConditionSales"] == "30"
    assert rows[SECOND_DIVISION]["DefaultPaymentConditionSales"] is None
    # In the division without a default, some customers have no condition of their own.
    second = [a for a in data.tables[SECOND_DIVISION]["crm/Accounts"] if a["Status"] == "C"]
    assert any(a["PaymentConditionSales"] is None for a in second)
    assert any(a["PaymentConditionSales"] for a in main(data, "crm/Accounts"))
    assert set(data.tables) == set(rows)


def test_users_and_app_registration(data):
    users = {u.username: u for u in data.users}
    assert (users["demo"].password, users["demo"].language, users["demo"].active) == ("demo", "nl", True)
    assert (users["api"].password, users["api"].language) == ("api", "en")
    assert users["inactive"].password == "inactive" and not users["inactive"].active
    assert set(users["demo"].divisions) == set(data.tables)  # may use every division, one is not granted
    for user in data.users:
        assert user.current_division in user.divisions
        uuid.UUID(user.id)
    assert users["j.jansen"].current_division == SECOND_DIVISION
    uuid.UUID(data.client_id)
    assert data.redirect_uri == "http://127.0.0.1:8765/callback"
    assert re.fullmatch(r"[A-Za-z0-9]{12}", data.client_secret)
    assert seed.generate(10, seed=SEED, today=TODAY).client_secret == data.client_secret


def test_journals_for_every_journal_rule(data):
    journals = by_code(data, "financial/Journals")
    plain = journals["70"]
    assert (plain["Type"], plain["Currency"], plain["AllowVariableCurrency"]) == (20, "EUR", False)
    assert any(j["Type"] == 20 and j["AllowVariableCurrency"] and j["AllowVariableExchangeRate"] for j in journals.values())
    assert {j["Type"] for j in journals.values()} >= {20, 21, 12, 90}
    assert any(j["Type"] == 20 and not j["AllowVAT"] for j in journals.values())


def test_items_for_every_item_rule(data):
    items = list(main(data, "logistics/Items"))
    gl = {g["ID"]: g for g in main(data, "financial/GLAccounts")}
    vat = {v["Code"].strip() for v in main(data, "vat/VATCodes")}
    assert 20 <= len(items) <= 40
    assert any(i["IsTime"] and i["IsFractionAllowedItem"] and i["GLRevenue"] for i in items)
    assert any(i["IsTime"] and not i["IsFractionAllowedItem"] for i in items)  # not divisible
    assert any(i["IsSalesItem"] and not i["GLRevenue"] for i in items)  # no revenue G/L
    assert any(not i["IsSalesItem"] for i in items)
    today = dt.datetime.combine(TODAY, dt.time(), dt.timezone.utc)
    assert any(i["EndDate"] is not None and i["EndDate"] < today for i in items)  # inactive
    assert any(i["GLRevenue"] and gl[i["GLRevenue"]]["IsBlocked"] for i in items)
    for item in items:
        assert item["GLRevenue"] is None or gl[item["GLRevenue"]]["Code"] == item["GLRevenueCode"]
        assert item["SalesVatCode"] in vat
    assert by_code(data, "logistics/Items")["CONS-SR"]["Description"] == "Senior consultancy"


def test_gl_vat_and_payment_conditions(data):
    gl = by_code(data, "financial/GLAccounts")
    assert gl["1300"]["Type"] == 20 and gl["1500"]["BalanceType"] == "B" and gl["8000"]["BalanceType"] == "W"
    assert any(g["IsBlocked"] and g["Type"] == 110 for g in gl.values())
    vat = by_code(data, "vat/VATCodes")
    assert {(v["Percentage"], v["Type"]) for v in vat.values()} >= {
        (Decimal("0.21"), "E"), (Decimal("0.09"), "E"), (Decimal("0"), "E"), (Decimal("0.21"), "I")}
    assert all(isinstance(v["Percentage"], Decimal) for v in vat.values())
    assert any(v["Charged"] for v in vat.values())  # reverse charge
    days = {c["Code"]: c["PaymentDays"] for c in main(data, "cashflow/PaymentConditions")}
    assert days["14"] == 14 and days["30"] == 30


def test_two_fiscal_years_and_one_closed_period(data):
    periods = main(data, "financial/FinancialPeriods")
    assert sorted({p["FinYear"] for p in periods}) == [TODAY.year - 1, TODAY.year]
    assert len(periods) == 24
    closed = [p for p in periods if p["Closed"]]
    assert len(closed) == 1 and closed[0]["FinYear"] == TODAY.year - 1
    for p in periods:
        assert p["StartDate"].day == 1 and (p["EndDate"] + dt.timedelta(days=1)).day == 1


def test_accounts_for_account_rules(data):
    accounts = main(data, "crm/Accounts")
    assert sum(a["Blocked"] for a in accounts if a["Status"] == "C") >= 2
    others = {a["Code"].strip() for a in accounts if a["Status"] != "C"}
    local_numbers = {c.number for c in data.local.customers}
    assert others & local_numbers  # a local customer number already used by a supplier/prospect
    suppliers = [a for a in accounts if a["IsSupplier"]]
    assert suppliers and all(a["Status"] != "C" and not a["IsSales"] for a in suppliers)
    assert data.local.ambiguous and all(isinstance(x, str) for x in data.local.ambiguous)
