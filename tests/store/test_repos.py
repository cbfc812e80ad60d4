"""Repositories: round trips, upsert reports, link rules, settings lock, cache, journal, log."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from decimal import Decimal

import pytest

from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.ignored import IgnoredAccount
from exact_tui.domain.invoice import Invoice, InvoiceKind, InvoiceLine
from exact_tui.domain.link import DataSource, Link, MaintenanceMode
from exact_tui.domain.products import (DataType, Dimension, DimensionKind, Principle, ProductNumber,
                                       ProductPrinciple)
from exact_tui.domain.settings import IntegrationSettings
from exact_tui.domain.transfer import TransferOutcome, TransferRecord
from exact_tui.services.events import Event, Level, Side
from exact_tui.store import DivisionLocked, ProfileStore, StoreConflict

UTC = dt.timezone.utc


def _invoice(i="I1", number="2026-1", kind=InvoiceKind.INVOICE):
    return Invoice(i, number, "L1", dt.date(2026, 1, 31), kind, lines=[
        InvoiceLine("Consultancy", Decimal("12.5"), Decimal("95.00"), "VH", DataType.TIME_MATERIAL,
                    DimensionKind.HOURLY_RATE, "R1"),
        InvoiceLine("Travel", Decimal("1"), Decimal("45.50"), data_type=DataType.TRAVEL, product_number="TRAVEL")])


def test_everything_round_trips_through_the_files(store, profile):
    store.customers.put_many([LocalCustomer("L1", "Jansen", "1001", country="NL", vat="NL123456789B01")])
    store.contacts.put(LocalContact("P1", "L1", "Anna", "Jansen", "anna@jansen.nl"))
    store.invoices.put_many([_invoice(), _invoice("I2", "2026-2", InvoiceKind.CREDIT_NOTE)])
    store.dimensions.put(Dimension(DimensionKind.HOURLY_RATE, "R1", "Senior", "CONSULT"))
    store.products.put_many([ProductNumber("CONSULT", "Consultancy", "g-item", revenue_gl="8000", active=True),
                             ProductNumber("OLD", "Old", divisible=False)])
    store.close()
    with ProfileStore.open(profile, readonly=True) as again:
        assert again.customers.get("L1") == LocalCustomer("L1", "Jansen", "1001", country="NL", vat="NL123456789B01")
        assert again.contacts.for_customer("L1")[0].full_name == "Anna Jansen"
        inv = again.invoices.get("I1")
        assert inv == _invoice() and inv.total == Decimal("1233.00") and isinstance(inv.date, dt.date)
        assert again.invoices.by_number("2026-2").kind is InvoiceKind.CREDIT_NOTE
        assert again.dimensions.find("hourly_rate", "R1").product_number == "CONSULT"
        assert [p.code for p in again.products.active()] == ["CONSULT"]
        assert again.products.get("OLD").problems()


def test_put_many_reports_added_changed_unchanged_in_one_write(store):
    storage = store.customers._storage
    before = storage.writes
    report = store.customers.put_many([LocalCustomer(str(i), f"C{i}") for i in range(100)])
    assert (len(report.added), len(report.changed), len(report.unchanged)) == (100, 0, 0)
    assert storage.writes == before + 1
    report = store.customers.put_many([LocalCustomer("1", "C1"), LocalCustomer("2", "renamed"),
                                       LocalCustomer("new", "N")])
    assert (report.added, report.changed, report.unchanged) == (["new"], ["2"], ["1"])
    assert store.customers.get("2").name == "renamed" and len(store.customers) == 101
    writes = storage.writes
    store.customers.put_many([LocalCustomer("1", "C1")])  # nothing changed: nothing written
    assert storage.writes == writes
    assert store.customers.delete("new") and not store.customers.delete("new")


def test_failed_write_leaves_file_and_memory_as_they_were(store, monkeypatch):
    store.customers.put(LocalCustomer("1", "before"))

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        store.customers.put_many([LocalCustomer("1", "after"), LocalCustomer("2", "new")])
    monkeypatch.undo()
    assert [c.name for c in store.customers.all()] == ["before"]
    assert not list(store.folder.glob(".*.tmp"))


def test_batch_is_all_or_nothing(store):
    store.links.link(Link("L1", "g-1"))
    with pytest.raises(RuntimeError):
        with store.batch("links.json"):
            store.links.link(Link("L2", "g-2"))
            store.ignored.ignore(IgnoredAccount("g-9", "Supplier"))
            raise RuntimeError("boom")
    assert {link.local_id for link in store.links.all()} == {"L1"} and len(store.ignored) == 0


def test_link_rules(store):
    store.ignored.ignore(IgnoredAccount("g-1", "Jansen", "1001", ignored_by="demo"))
    assert store.ignored.get("g-1").ignored_at is not None
    store.links.link(Link("L1", "g-1", "1001", "demo", source=DataSource.EXACT))
    assert "g-1" not in store.ignored, "linking an ignored account un-ignores it in the same write"
    link = store.links.get("L1")
    assert link.linked_at.tzinfo is not None and store.links.by_exact("g-1") == link
    with pytest.raises(StoreConflict, match="already linked to local customer L1"):
        store.links.link(Link("L2", "g-1"))
    with pytest.raises(StoreConflict, match="is linked"):
        store.ignored.ignore(IgnoredAccount("g-1"))
    store.links.link(Link("L1", "g-1", source=DataSource.LOCAL))  # re-linking the same pair is fine
    assert store.links.unlink("L1").exact_id == "g-1" and len(store.links) == 0


def test_settings_defaults_principles_and_division_lock(store):
    settings = store.settings.get()
    assert settings == IntegrationSettings() and settings.maintenance is MaintenanceMode.AUTO_CREATE
    principle = ProductPrinciple(DataType.TRAVEL, Principle.SPECIFIC, product_number="TRAVEL")
    store.settings.save(dataclasses.replace(settings, division=123, client_id="app", principles=[principle],
                                            maintenance_mode="manual"))
    saved = store.settings.get()
    assert saved.principles == {"travel": principle} and saved.maintenance_mode is MaintenanceMode.MANUAL
    store.settings.update(division=456)  # not locked yet
    first = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    store.settings.update(first_transfer_at=first)
    with pytest.raises(DivisionLocked, match="division is locked"):
        store.settings.update(division=789)
    with pytest.raises(DivisionLocked):
        store.settings.update(first_transfer_at=None)
    store.settings.update(journal="70", active=True, activated_at=first)
    assert store.settings.get().division == 456 and store.settings.get().journal == "70"
    assert "secret" not in (store.folder / "settings.json").read_text()


def test_exact_account_cache_full_and_incremental(store):
    rows = [{"id": "g-1", "code": "              1001", "name": "Jansen"}, {"id": "g-2", "code": "AB", "name": "X"}]
    store.exact_accounts.replace(rows, division=1, timestamp=100)
    assert store.exact_accounts.timestamp == 100 and store.exact_accounts.pulled_at is not None
    assert sorted(store.exact_accounts.codes()) == ["1001", "AB"]

    @dataclasses.dataclass
    class Account:  # the Exact client's record shape
        id: str
        code: str
        name: str
        modified: dt.datetime

    store.exact_accounts.merge([Account("g-3", "1005", "New", dt.datetime(2026, 1, 1, tzinfo=UTC))],
                               division=1, timestamp=150, deleted=["g-2"])
    assert {r["id"] for r in store.exact_accounts.all()} == {"g-1", "g-3"}
    assert store.exact_accounts.get("g-3")["modified"].startswith("2026-01-01")
    assert store.exact_accounts.timestamp == 150
    store.exact_accounts.merge([], division=1, timestamp=None)
    assert store.exact_accounts.timestamp == 150, "an empty answer keeps the last Timestamp"
    store.exact_accounts.merge([{"id": "g-9", "code": "1"}], division=2, timestamp=5)
    assert [r["id"] for r in store.exact_accounts.all()] == ["g-9"] and store.exact_accounts.division == 2


def test_transfer_journal_keeps_latest_version_and_open_attempts(store, profile):
    first = store.transfers.record(TransferRecord("I1", "2026-1", division=1))
    store.transfers.finish(first, TransferOutcome.UNKNOWN, message="no answer")
    second = store.transfers.record(TransferRecord("I1", "2026-1", division=1))
    store.transfers.finish(second, TransferOutcome.BOOKED, exact_entry_id="e-1")
    pending = store.transfers.record(TransferRecord("I2", "2026-2"))
    store.close()
    # A kill in the middle of an append leaves a torn last line: ignored, then cut by the next writer.
    with open(profile / "store" / "transfers.jsonl", "ab") as handle:
        handle.write(b'{"invoice_id":"I3","id":"tor')
    with ProfileStore.open(profile) as again:
        assert len(again.transfers) == 3
        assert [r.outcome for r in again.transfers.for_invoice("I1")] == [TransferOutcome.UNKNOWN,
                                                                          TransferOutcome.BOOKED]
        assert again.transfers.latest("I1").exact_entry_id == "e-1"
        assert {r.id for r in again.transfers.open_attempts()} == {first.id, pending.id}
        assert again.transfers.booked_invoice_ids() == {"I1"}
        again.transfers.record(TransferRecord("I3", "2026-3"))
    with ProfileStore.open(profile, readonly=True) as reader:
        assert reader.transfers.latest("I3").invoice_number == "2026-3"


def test_log_append_tail_and_bounded_retention(profile):
    with ProfileStore.open(profile, log_retention=50) as store:
        for i in range(200):
            store.log.append(Event(f"event {i}", side=Side.EXACT, level=Level.ERROR, topic="api", record=f"r{i}",
                                   progress=(i, 200)))
        tail = store.log.tail(3)
        assert [e.message for e in tail] == ["event 197", "event 198", "event 199"]
        assert tail[0].side == "exact" and tail[0].level == Level.ERROR and tail[0].progress == (197, 200)
        assert tail[0].time.tzinfo is not None
        assert 50 <= len(store.log) <= 61
        size = (store.folder / "log.jsonl").stat().st_size
    assert size < 200 * 200
    with ProfileStore.open(profile, readonly=True) as reader:
        assert reader.log.tail(1)[0].message == "event 199"
        assert reader.log.tail(0) == []


def test_one_change_rewrites_one_shard_and_garbage_is_collected(profile):
    with ProfileStore.open(profile) as store:
        store.invoices.put_many([_invoice(f"I{i}", f"2026-{i}") for i in range(300)])
        shard_dir = store.folder / "invoices"
        before = set(p.name for p in shard_dir.iterdir())
        assert len(before) == 32
        store.invoices.put(dataclasses.replace(_invoice("I7", "2026-7"), description="changed"))
        after = set(p.name for p in shard_dir.iterdir())
        assert len(after) == 32 and len(after - before) == 1, "only the changed shard is rewritten"
        (shard_dir / "03.99999999.json").write_text('{"invoices": {"ghost": {}}}')  # a killed commit's file
    with ProfileStore.open(profile) as store:
        assert not (store.folder / "invoices" / "03.99999999.json").exists()
        assert len(store.invoices) == 300 and store.invoices.get("I7").description == "changed"
        assert store.sizes()["invoices.json"] > 300 * 100


def test_lookups_by_number_and_exact_id_follow_every_change(store):
    store.customers.put_many([LocalCustomer("1", "A", " 1001 "), LocalCustomer("2", "B", "1002")])
    assert store.customers.by_number("1001").id == "1" and store.customers.by_number("") is None
    store.customers.put(LocalCustomer("1", "A", "2001"))
    assert store.customers.by_number("1001") is None and store.customers.by_number("2001").id == "1"
    store.links.link(Link("1", "g-1"))
    assert store.links.by_exact("g-1").local_id == "1" and store.links.exact_ids() == {"g-1"}
    store.links.unlink("1")
    assert store.links.by_exact("g-1") is None
    store.links.link(Link("2", "g-1"))  # free again
    assert store.links.by_exact("g-1").local_id == "2"
    store.invoices.put(_invoice("I1", "2026-1"))
    assert store.invoices.by_number("2026-1").id == "I1" and store.invoices.by_number("x") is None


def test_transfer_model_and_drafts_are_stored_like_the_other_settings(store):
    settings = store.settings.get()
    assert settings.transfer_model == "entries" and settings.invoice_drafts is False
    store.settings.update(transfer_model="invoices", invoice_drafts=True)
    saved = store.settings.get()
    assert saved.transfer_model == "invoices" and saved.invoice_drafts is True


def test_one_saved_record_costs_the_same_in_a_big_table(profile, monkeypatch):
    """#11/#15: saving one record moves only its key (no re-partition or compare of the whole table),
    and shards split as the table grows, so one save rewrites a bounded slice at any size."""
    from exact_tui.store import atomic

    with ProfileStore.open(profile) as store:
        store.customers.put_many([LocalCustomer(f"C{i}", f"Klant {i}", str(i)) for i in range(20_000)])
        shard_dir = store.folder / "customers"
        manifest = json.loads((store.folder / "customers.json").read_text())
        assert manifest["shards"] >= 20_000 // atomic.DOCS_PER_SHARD  # grown from 16
        assert len(list(shard_dir.iterdir())) == manifest["shards"]  # the old spread's files are gone
        whole = []
        monkeypatch.setattr(atomic.AtomicJSONStorage, "_partition_all",
                            lambda self, n: whole.append(n) or (_ for _ in ()).throw(AssertionError("whole table")))
        before = set(p.name for p in shard_dir.iterdir())
        store.customers.put(LocalCustomer("C7", "Renamed", "7"))
        store.customers.delete("C8")
        store.customers.put(LocalCustomer("NEW", "New", "999999"))
        after = set(p.name for p in shard_dir.iterdir())
        assert whole == [] and len(after - before) <= 3
        assert max(len(json.loads((shard_dir / n).read_bytes())["customers"]) for n in after - before) \
            <= 4 * atomic.DOCS_PER_SHARD
        assert store.customers.by_number("999999").id == "NEW" and store.customers.by_number("7").name == "Renamed"
    monkeypatch.undo()
    with ProfileStore.open(profile, readonly=True) as reader:
        assert len(reader.customers) == 20_000 and reader.customers.get("C7").name == "Renamed"
        assert reader.customers.get("C8") is None and reader.customers.get("NEW") is not None


def test_lookups_follow_single_changes(store):
    store.customers.put_many([LocalCustomer("A", "a", "1"), LocalCustomer("B", "b", "2")])
    assert store.customers.by_number("1").id == "A"
    store.customers.put(LocalCustomer("C", "c", "3"))
    assert store.customers.by_number("3").id == "C"
    store.customers.put(LocalCustomer("A", "a", "4"))
    assert store.customers.by_number("1") is None and store.customers.by_number("4").id == "A"
    store.customers.delete("B")
    assert store.customers.by_number("2") is None
    store.customers.put(LocalCustomer("D", "d", "3"))  # a second holder of 3: the first one stays
    assert store.customers.by_number("3").id == "C"
    store.customers.delete("C")
    assert store.customers.by_number("3").id == "D"
