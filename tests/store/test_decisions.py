"""Rejected pairs, contact links, the deleted-accounts sync state, and schema 2."""
from __future__ import annotations

import json

import pytest

from exact_tui.store import SCHEMA_VERSION, ProfileStore, StoreConflict
from exact_tui.domain.decisions import ContactLink, RejectedPair
from exact_tui.store.schema import meta_path


def test_rejected_pairs_persist_and_can_be_taken_back(store, profile):
    store.rejected.reject_many([RejectedPair("E1", "L1", "anna"), RejectedPair("E1", "L2"), RejectedPair("E2", "L1")])
    store.rejected.reject_many([RejectedPair("E1", "L1", "anna")])  # again: an upsert, not a duplicate
    assert store.rejected.pairs() == {("E1", "L1"), ("E1", "L2"), ("E2", "L1")}
    assert all(r.rejected_at is not None and r.rejected_at.tzinfo for r in store.rejected.all())
    assert store.rejected.unreject_many([("E1", "L2"), ("E9", "L9")]) == 1
    store.close()
    with ProfileStore.open(profile, readonly=True) as again:
        assert again.rejected.pairs() == {("E1", "L1"), ("E2", "L1")}
        assert {r.local_id for r in again.rejected.for_exact("E1")} == {"L1"}
        assert again.rejected.get("E1|L1").rejected_by == "anna"


def test_contact_links_persist_one_per_exact_contact(store, profile):
    store.contact_links.link(ContactLink("P1", "X1", "L1", "E1", how="hand", linked_by="anna"))
    store.contact_links.link(ContactLink("P2", "X2", "L1", "E1", how="created"))
    with pytest.raises(StoreConflict, match="X1 is already linked to local contact P1"):
        store.contact_links.link(ContactLink("P3", "X1", "L1", "E1"))
    store.contact_links.link(ContactLink("P1", "X1", "L1", "E1", how="hand"))  # the same pair again is fine
    assert store.contact_links.by_exact("X2").local_id == "P2"
    assert store.contact_links.unlink("P2").exact_id == "X2"
    assert store.contact_links.unlink("P2") is None
    store.close()
    with ProfileStore.open(profile, readonly=True) as again:
        [only] = again.contact_links.for_customer("L1")
        assert (only.local_id, only.exact_id, only.how, only.linked_by) == ("P1", "X1", "hand", "anna")
        assert only.linked_at is not None
        assert again.contact_links.by_exact("X2") is None


def test_deleted_accounts_leave_the_cache_and_each_sync_keeps_its_own_timestamp(store, profile):
    cache = store.exact_accounts
    cache.replace([{"id": "A", "code": "   1", "name": "A"}, {"id": "B", "code": "2", "name": "B"}], division=7,
                  timestamp=10)
    assert cache.deleted_timestamp is None
    cache.merge([{"id": "C", "code": "3", "name": "C"}, {"id": "B", "code": "2", "name": "B2"}], division=7,
                timestamp=12, deleted=["A", "B", "nope"], deleted_timestamp=30)
    assert {row["id"] for row in cache.all()} == {"C"}  # B changed and was deleted: the deletion wins
    assert (cache.timestamp, cache.deleted_timestamp) == (12, 30)
    cache.merge([], division=7, timestamp=None, deleted_timestamp=None)  # nothing new: both kept
    assert (cache.timestamp, cache.deleted_timestamp) == (12, 30)
    store.close()
    with ProfileStore.open(profile, readonly=True) as again:
        assert again.exact_accounts.deleted_timestamp == 30


def test_a_schema_1_profile_is_upgraded_keeping_its_links(profile):
    with ProfileStore.open(profile) as store:
        from exact_tui.domain.link import Link

        store.links.link(Link("L1", "E1", "1001"))
    meta = json.loads(meta_path(profile).read_text())
    meta["schema"] = 1
    meta_path(profile).write_text(json.dumps(meta))
    with pytest.raises(Exception, match="schema 1"):
        ProfileStore.open(profile, readonly=True)  # readers ask for one writing open first
    with ProfileStore.open(profile) as store:
        assert any("schema 1 -> 2" in n for n in store.notices)
        assert store.links.get("L1").exact_id == "E1"
        assert store.rejected.pairs() == set() and len(store.contact_links) == 0
    assert json.loads(meta_path(profile).read_text())["schema"] == SCHEMA_VERSION == 2
