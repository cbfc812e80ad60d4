""""Not this pair" rejections, and links that need the user: accounts deleted in Exact, codes drifted."""
from __future__ import annotations

import dataclasses

import pytest

from exact_tui.domain.link import DataSource, Link
from exact_tui.exact.records import Account, DeletedRecord, SyncResult
from exact_tui.services.events import EventBus
from exact_tui.services.linking import Action, LinkingService, ProblemKind

from exact_tui.domain.customer import LocalCustomer

from .helpers import ACCOUNTS, CUSTOMERS, open_store, service


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


class SyncClient:
    """Answers the two sync pulls the service makes; records the Timestamps it was asked from."""

    def __init__(self, accounts, deleted=(), timestamp=100, deleted_timestamp=500):
        self.accounts = list(accounts)
        self.deleted = list(deleted)
        self.timestamp, self.deleted_timestamp = timestamp, deleted_timestamp
        self.asked: list[tuple[str, int | None]] = []

    async def sync_accounts(self, since=None):
        self.asked.append(("accounts", since))
        return SyncResult(list(self.accounts), self.timestamp)

    async def sync_deleted(self, since=None):
        self.asked.append(("deleted", since))
        rows = [DeletedRecord(entity_key=key, entity_type=kind, timestamp=self.deleted_timestamp)
                for key, kind in self.deleted]
        return SyncResult(rows, self.deleted_timestamp if rows else since)


def _account(a, **changes):
    a = dataclasses.replace(a, **changes)
    return Account(id=a.id, code=a.code.rjust(18), name=a.name, city=a.city, postcode=a.postcode, status=a.status)


# -- not this pair ----------------------------------------------------------------------------------
async def test_reject_is_stored_respected_by_reruns_and_undoable(store):
    svc = service(store)
    assert svc.rows["e1"].local_id == "l1" and svc.rows["e1"].tab == "one"
    report = await svc.run(svc.plan(Action.REJECT, [svc.rows["e1"]]))
    assert report.ok and "never proposed again" in report.results[0].text
    assert store.rejected.pairs() == {("e1", "l1")}
    assert svc.rows["e1"].tab == "none" and svc.rows["e1"].local_id is None
    assert store.links.get("l1") is None  # nothing linked
    svc.rebuild()  # a re-run does not propose it again
    assert all(c.local_id != "l1" for c in svc.rows["e1"].candidates)
    fresh = service(store)  # nor does a new session (the decision is in the store)
    assert all(c.local_id != "l1" for c in fresh.rows["e1"].candidates)
    text = svc.undo()
    assert "Not this pair" in text and store.rejected.pairs() == set()
    assert svc.rows["e1"].local_id == "l1"
    assert service(store).rows["e1"].local_id == "l1"  # back for everyone


async def test_reject_in_more_matches_takes_the_chosen_candidate_only(tmp_path):
    store = open_store(tmp_path, customers=[*CUSTOMERS, LocalCustomer("l4", "Pietersen Advies Leiden", "2004",
                                                                      "Kerkplein 9", "2345EF", "Leiden", "NL")])
    svc = service(store)
    row = svc.rows["e3"]
    assert row.tab == "more" and [c.local_id for c in row.candidates] == ["l3", "l4"]
    row.choice = 1
    await svc.run(svc.plan(Action.REJECT, [row]))
    assert store.rejected.pairs() == {("e3", "l4")}
    assert [c.local_id for c in row.candidates] == ["l3"] and row.tab == "more"
    assert "l4" in [c.local_id for c in svc.rows["e4"].candidates]  # only this pair is rejected
    svc.rebuild()
    assert "l4" not in [c.local_id for c in svc.rows["e3"].candidates]
    assert "l4" in [c.local_id for c in svc.rows["e4"].candidates]
    store.close()


async def test_reject_without_a_candidate_is_refused_with_the_reason(store):
    svc = service(store)
    row = svc.tab_rows("none")[0]
    plan = svc.plan(Action.REJECT, [row])
    assert not plan.rows and "nothing to reject" in plan.refused[0].text


def test_reject_decisions_come_back_from_a_reviewed_csv(store, tmp_path):
    svc = service(store)
    path = tmp_path / "review.csv"
    svc.export_csv(svc.tab_rows("one"), path)
    text = path.read_text("utf-8-sig").splitlines()
    header, lines = text[0], text[1:]
    lines = [line.replace(",,", ",reject,", 1) if ",e1," in line else line for line in lines]
    path.write_text("\n".join([header, *lines]), "utf-8")
    read = svc.read_decisions(path)
    assert read.decisions == {Action.REJECT: [("e1", "l1")]}


# -- accounts deleted in Exact ---------------------------------------------------------------------
async def test_pull_reads_sync_deleted_and_the_deleted_account_leaves_the_cache(store):
    events = EventBus()
    seen = []
    events.subscribe(seen.append)
    store.links.link(Link("l1", "e1", "1001", "anna", source=DataSource.EXACT))
    client = SyncClient([_account(a) for a in ACCOUNTS])
    svc = LinkingService(store, events, client, division=7)
    await svc.pull()
    svc.rebuild()
    assert svc.link_problems == {}
    assert client.asked == [("accounts", None), ("deleted", None)]
    # e1 (linked) and e5 deleted in Exact; a deleted contact with e6's key type must not count
    client.accounts, client.deleted = [], [("e1", DeletedRecord.ACCOUNT), ("e5", DeletedRecord.ACCOUNT),
                                           ("e6", DeletedRecord.CONTACT)]
    await svc.pull()
    assert client.asked[2:] == [("accounts", 100), ("deleted", None)]
    assert {r["id"] for r in store.exact_accounts.all()} == {"e2", "e3", "e4", "e6"}
    assert store.exact_accounts.deleted_timestamp == 500
    svc.rebuild()
    assert "e5" not in svc.rows
    problem = svc.link_problems["l1"]
    assert problem.kind is ProblemKind.DELETED
    assert "linked Exact account deleted in Exact" in problem.text and "1001" in problem.text
    assert "Unlink" in problem.fix
    assert store.links.get("l1") is not None  # kept until the user acts
    logged = [e for e in seen if "linked Exact account deleted" in e.message]
    assert len(logged) == 1 and logged[0].detail == problem.fix
    svc.rebuild()
    assert len([e for e in seen if "linked Exact account deleted" in e.message]) == 1  # said once, not per re-run
    await svc.pull()
    assert client.asked[-1] == ("deleted", 500)  # continues where it was
    # a new session opening the stored cache notices it too (the cache came from a pull)
    again = LinkingService(store, EventBus(), None, division=7)
    again.cache.load(7)
    again.rebuild()
    assert set(again.link_problems) == {"l1"}

    text = svc.resolve_problems(["l1"])
    assert "1 link to deleted Exact accounts removed" in text
    assert store.links.get("l1") is None and svc.link_problems == {}
    assert svc.undo().startswith("Undone") and store.links.get("l1").exact_id == "e1"
    assert "l1" in svc.link_problems


def test_a_partial_account_list_proves_no_deletion(store):
    store.links.link(Link("l1", "e1", "1001"))
    svc = service(store, accounts=[a for a in ACCOUNTS if a.id != "e1"])
    assert svc.link_problems == {}
    svc.use_accounts([a for a in ACCOUNTS if a.id != "e1"], complete=True)
    svc.rebuild()
    assert svc.link_problems["l1"].kind is ProblemKind.DELETED


# -- customer-code drift ---------------------------------------------------------------------------
def test_code_drift_is_flagged_and_accepting_moves_link_and_number(store):
    store.links.link_many([Link("l1", "e1", "1001"), Link("l6", "e6", "1006")])
    accounts = [dataclasses.replace(a, code="4242") if a.id == "e1" else
                dataclasses.replace(a, code="K-9") if a.id == "e6" else a for a in ACCOUNTS]
    svc = service(store, accounts=accounts)
    assert set(svc.link_problems) == {"l1", "l6"}
    p1, p6 = svc.link_problems["l1"], svc.link_problems["l6"]
    assert p1.kind is ProblemKind.CODE and "code 1001; its code is now 4242" in p1.text
    assert "local customer number follow" in p1.fix  # l1's number was 1001
    assert "(the link follows it)" in p6.fix  # l6's number is 2006, and K-9 breaks the number rule anyway
    svc.resolve_problems(["l1", "l6"])
    assert store.links.get("l1").exact_code == "4242" and store.customers.get("l1").number == "4242"
    assert store.links.get("l6").exact_code == "K-9" and store.customers.get("l6").number == "2006"
    assert svc.link_problems == {}
    svc.undo()
    assert store.links.get("l1").exact_code == "1001" and store.customers.get("l1").number == "1001"
    assert set(svc.link_problems) == {"l1", "l6"}


def test_padded_codes_are_not_drift(store):
    store.links.link(Link("l1", "e1", "            1001"))
    assert service(store).link_problems == {}
