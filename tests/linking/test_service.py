"""LinkingService: the merge rule both ways, the four actions, undo, CSV, re-running the matcher."""
from __future__ import annotations

import csv

import pytest

from exact_tui.domain.customer import LocalCustomer
from exact_tui.domain.link import DataSource
from exact_tui.services.events import EventBus
from exact_tui.services.linking import (Action, Cancel, ExactAccount, changes_for_exact, csv_safe, csv_unsafe,
                                        merge_from_exact)

from .helpers import ACCOUNTS, open_store, service


class FakeClient:
    """Records the PUTs the service sends; fails for ids in `fail`."""

    def __init__(self, fail=()):
        self.puts: list[tuple[str, dict]] = []
        self.fail = set(fail)

    async def update_account(self, account_id, changes):
        if account_id in self.fail:
            from exact_tui.exact.errors import ValidationError
            raise ValidationError("Verplicht: Naam", status=500, endpoint="crm/Accounts", request_id="req-1")
        self.puts.append((account_id, dict(changes)))


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


# -- the merge rule --------------------------------------------------------------------------------
def test_empty_exact_fields_never_overwrite_local():
    local = LocalCustomer("l", "Local Name", "12", address="Street 1", email="a@b.nl", phone="0101")
    exact = ExactAccount("e", "Exact Name", "", address="", email="", phone="0202", city="Delft")
    merged, changed = merge_from_exact(local, exact)
    assert merged.name == "Exact Name" and merged.phone == "0202" and merged.city == "Delft"
    assert merged.address == "Street 1" and merged.email == "a@b.nl"  # empty on Exact's side: kept
    assert merged.number == "12"  # empty Exact code: kept
    assert set(changed) == {"name", "phone", "city"}


def test_exact_code_becomes_number_only_when_it_obeys_the_rule():
    local = LocalCustomer("l", "N", "12")
    assert merge_from_exact(local, ExactAccount("e", "N", "1042"))[0].number == "1042"
    assert merge_from_exact(local, ExactAccount("e", "N", "C-1042"))[0].number == "12"
    assert merge_from_exact(local, ExactAccount("e", "N", "1234567890"))[0].number == "12"


def test_empty_local_fields_not_sent_and_code_never():
    local = LocalCustomer("l", "Same", "999", address="", email="new@x.nl", city="Delft", vat="")
    exact = ExactAccount("e", "Same", "1001", address="Old street 1", email="old@x.nl", city="Delft", vat="NL1")
    changes = changes_for_exact(local, exact)
    assert changes == {"Email": ("old@x.nl", "new@x.nl")}
    assert "Code" not in changes and "AddressLine1" not in changes and "VATNumber" not in changes


# -- actions ---------------------------------------------------------------------------------------
async def test_link_with_exact_data_stores_link_and_merges(store):
    svc = service(store)
    row = svc.rows["e1"]
    report = await svc.run(svc.plan(Action.LINK_EXACT, [row]))
    assert [r.ok for r in report.results] == [True]
    link = store.links.get("l1")
    assert link.exact_id == "e1" and link.source is DataSource.EXACT and link.exact_code == "1001"
    customer = store.customers.get("l1")
    assert customer.email == "info@devries.nl"  # filled from Exact
    assert customer.phone == "0201234567" and customer.name == "Bakkerij de Vries B.V."
    assert "e1" not in svc.rows and svc.linked_count == 1


async def test_link_local_refuses_bad_customer_number_with_fix(store):
    client = FakeClient()
    svc = service(store, client=client)
    plan = svc.plan(Action.LINK_LOCAL, [svc.rows["e2"]])  # l2 has number C-77
    assert not plan.rows and len(plan.refused) == 1
    report = await svc.run(plan)
    assert not report.ok and client.puts == []
    problem = svc.rows["e2"].problem
    assert "digits only" in problem and "Change local customer" in problem
    assert store.links.get("l2") is None


async def test_link_local_sends_only_filled_differing_fields(store):
    client = FakeClient()
    svc = service(store, client=client)
    row = svc.rows["e6"]  # l6 has an e-mail Exact lacks; everything else equal
    plan = svc.plan(Action.LINK_LOCAL, [row])
    assert plan.api_calls == 1
    report = await svc.run(plan)
    assert report.calls == 1 and report.ok
    assert client.puts == [("e6", {"Email": "groente@klaassen.nl"})]
    assert store.links.get("l6").source is DataSource.LOCAL
    assert svc.cache.accounts["e6"].email == "groente@klaassen.nl"
    assert svc.last_undo is None  # Exact changed: not undoable


async def test_link_local_failure_stays_on_row(store):
    svc = service(store, client=FakeClient(fail={"e6"}))
    report = await svc.run(svc.plan(Action.LINK_LOCAL, [svc.rows["e6"]]))
    assert len(report.failed) == 1 and "Verplicht" in report.failed[0].text
    assert svc.rows["e6"].problem and store.links.get("l6") is None


async def test_one_local_customer_twice_in_a_selection_is_refused(store):
    svc = service(store)
    e3, e4 = svc.rows["e3"], svc.rows["e4"]
    assert e3.local_id == e4.local_id == "l3"
    plan = svc.plan(Action.LINK_EXACT, [e3, e4])
    assert [r.id for r in plan.rows] == ["e3"] and "also chosen" in plan.refused[0].text


async def test_linking_takes_the_customer_out_of_other_rows(store):
    svc = service(store)
    await svc.run(svc.plan(Action.LINK_EXACT, [svc.rows["e3"]]))
    assert svc.rows["e4"].tab == "none" and not svc.rows["e4"].candidates
    svc.undo()
    assert svc.rows["e4"].tab == "more" and svc.rows["e4"].local_id == "l3"
    assert svc.rows["e3"].tab == "more" and store.links.get("l3") is None


async def test_ignore_unignore_and_undo(store):
    svc = service(store)
    await svc.run(svc.plan(Action.IGNORE, [svc.rows["e5"], svc.rows["e1"]]))
    assert {i.exact_id for i in store.ignored.all()} == {"e5", "e1"}
    assert svc.counts()["ignored"] == 2 and svc.rows["e1"].tab == "ignored"
    svc.undo()
    assert store.ignored.all() == [] and svc.rows["e1"].tab == "one" and svc.rows["e5"].tab == "none"
    await svc.run(svc.plan(Action.IGNORE, [svc.rows["e5"]]))
    await svc.run(svc.plan(Action.UNIGNORE, [svc.rows["e5"]]))
    assert store.ignored.all() == [] and svc.rows["e5"].tab == "none"
    svc.undo()  # the un-ignore, then the ignore before it: several steps back
    assert svc.rows["e5"].tab == "ignored"
    svc.undo()
    assert svc.rows["e5"].tab == "none" and store.ignored.all() == []
    with pytest.raises(LookupError, match="^nothing to undo$"):  # not a word about Exact: nothing changed it
        svc.undo()


async def test_link_from_ignored_unignores(store):
    svc = service(store)
    await svc.run(svc.plan(Action.IGNORE, [svc.rows["e1"]]))
    await svc.run(svc.plan(Action.LINK_EXACT, [svc.rows["e1"]]))
    assert store.ignored.all() == [] and store.links.get("l1").exact_id == "e1"


async def test_import_creates_customer_and_undo_removes_it(store):
    svc = service(store)
    report = await svc.run(svc.plan(Action.IMPORT, [svc.rows["e5"]]))
    assert report.ok
    link = next(link for link in store.links.all() if link.exact_id == "e5")
    customer = store.customers.get(link.local_id)
    assert customer.name == "Zonnehuis Solar Ltd" and customer.number == "1005" and customer.city == "London"
    assert link.source is DataSource.IMPORTED
    svc.undo()
    assert store.customers.get(link.local_id) is None and store.links.all() == []


async def test_undo_restores_overwritten_local_fields(store):
    svc = service(store)
    await svc.run(svc.plan(Action.LINK_EXACT, [svc.rows["e1"]]))
    svc.undo()
    assert store.customers.get("l1").email == "" and store.customers.get("l1").phone == "020-1234567"
    assert svc.rows["e1"].tab == "one"


async def test_cancel_stops_between_rows(store):
    svc = service(store)
    cancel = Cancel()
    rows = [svc.rows["e1"], svc.rows["e6"]]
    report = await svc.run(svc.plan(Action.IGNORE, rows), on_row=lambda r: cancel.set(), cancel=cancel)
    assert report.cancelled and len(report.results) == 1
    assert {i.exact_id for i in store.ignored.all()} == {rows[0].id}


async def test_rerun_keeps_every_decision(store):
    svc = service(store)
    await svc.run(svc.plan(Action.LINK_EXACT, [svc.rows["e1"]]))
    await svc.run(svc.plan(Action.IGNORE, [svc.rows["e5"]]))
    svc.rows["e3"].choice = 0
    # new data: another local customer and a changed Exact account arrive
    store.customers.put(LocalCustomer("l9", "Nieuwe Klant", "3009", city="Delft"))
    svc.use_accounts([*ACCOUNTS, ExactAccount("e9", "Nieuwe Klant", "1009", city="Delft", status="C")])
    counts = svc.rebuild()
    assert "e1" not in svc.rows and svc.linked_count == 1
    assert svc.rows["e5"].tab == "ignored"
    assert svc.rows["e9"].local_id == "l9"
    assert sum(counts.values()) == 6


# -- CSV -------------------------------------------------------------------------------------------
def test_csv_formula_injection_is_escaped():
    for text in ("=HYPERLINK(\"x\")", "+31 20", "-A1", "@SUM(A1)", "'s-Hertogenbosch"):
        assert csv_safe(text).startswith("'") and csv_unsafe(csv_safe(text)) == text
    assert csv_safe("Bakkerij") == "Bakkerij" and csv_unsafe("'plain") == "'plain"
    assert csv_safe("-12.5") == "-12.5"  # the one guard (domain.text): a plain number is not a formula


async def test_export_then_import_decisions(store, tmp_path):
    svc = service(store)
    svc.rows["e3"].exact.name = "=cmd|' /C calc'!A0"
    path = tmp_path / "more.csv"
    assert svc.export_csv(svc.tab_rows("more"), path) == 2
    lines = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert lines[0]["exact_name"].startswith("'=") or lines[1]["exact_name"].startswith("'=")
    for line in lines:
        line["decision"] = "link-exact" if line["exact_id"] == "e4" else "ignore"
    lines.append({**lines[0], "exact_id": "nope", "decision": "link-exact"})
    lines.append({**lines[0], "decision": "frobnicate"})
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    read = svc.read_decisions(path)
    assert read.decisions[Action.LINK_EXACT] == [("e4", "l3")]
    assert read.decisions[Action.IGNORE] == [("e3", "l3")]
    assert len(read.problems) == 2 and "line 4" in read.problems[0] and "frobnicate" in read.problems[1]
    for action in (Action.IGNORE, Action.LINK_EXACT):
        await svc.run(svc.plan(action, svc.rows_for(read.decisions[action])))
    assert store.links.get("l3").exact_id == "e4" and store.ignored.get("e3") is not None


def test_bad_csv_header_is_named(store, tmp_path):
    svc = service(store)
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    read = svc.read_decisions(path)
    assert read.count == 0 and "decision" in read.problems[0]


async def test_events_carry_progress_and_exact_changes(store):
    events = EventBus()
    seen = []
    events.subscribe(seen.append)
    svc = service(store, client=FakeClient(), events=events)
    await svc.run(svc.plan(Action.LINK_LOCAL, [svc.rows["e6"]]))
    assert any(e.progress == (1, 1) for e in seen)
    change = next(e for e in seen if "updated from local customer" in e.message)
    assert "Email" in change.detail and "groente@klaassen.nl" in change.detail


async def test_a_local_customer_linked_elsewhere_is_refused(store, tmp_path):
    svc = service(store)
    await svc.run(svc.plan(Action.LINK_EXACT, [svc.rows["e1"]]))
    rows = svc.rows_for([("e2", "l1")])  # e.g. a reviewed CSV naming an already linked customer
    plan = svc.plan(Action.LINK_EXACT, rows)
    assert not plan.rows and "already linked" in plan.refused[0].text
    assert store.links.get("l1").exact_id == "e1"


async def test_undo_gives_back_candidates_to_rows_acted_on_in_the_same_action(store):
    from exact_tui.matching import Candidate

    svc = service(store)
    e4 = svc.rows["e4"]
    e4.candidates.append(Candidate("e4", "l6", 50.0, {}, ("test",), rank=2))
    svc.proposed.setdefault("l6", set()).add("e4")
    e3 = svc.rows["e3"]
    e4.choice = 1  # e4 -> l6, e3 -> l3: linking e3 first takes l3 away from e4
    await svc.run(svc.plan(Action.IGNORE, []))  # nothing: no undo entry
    await svc.run(svc.plan(Action.LINK_EXACT, [e3, svc.rows["e4"]]))
    assert store.links.get("l3").exact_id == "e3" and store.links.get("l6").exact_id == "e4"
    svc.undo()
    assert [c.local_id for c in svc.rows["e4"].candidates] == ["l3", "l6"]
    assert svc.rows["e4"].tab == "more" and store.links.all() == []


def test_bulk_linking_and_the_customer_card_share_one_field_table_and_merge_rule():
    """A difference of capitals or spaces is no difference on either path: no PUT, no overwrite."""
    from exact_tui.services import customers as card

    local = LocalCustomer("l", "ACME bv", "12", postcode="1234 AB", email="info@acme.nl")
    exact = ExactAccount("e", "Acme BV", "12", postcode="1234ab", email="old@acme.nl")
    assert changes_for_exact(local, exact) == {"Email": ("old@acme.nl", "info@acme.nl")}
    merged, changed = merge_from_exact(local, exact)
    assert merged.name == "ACME bv" and set(changed) == {"email"}
    pairs = {p.key: p for p in card.side_by_side(local, exact)}
    assert pairs["name"].same and pairs["postcode"].same and not pairs["email"].same
    assert [p.label for p in card.side_by_side(local, exact)][:2] == ["Number / code", "Name"]
