"""Schema version, migrations from older files, a clear refusal for newer ones, corrupt files."""
from __future__ import annotations

import json

import pytest

from exact_tui.domain.link import MaintenanceMode
from exact_tui.store import SCHEMA_VERSION, CorruptStore, ProfileStore, SchemaTooNew, StoreError
from exact_tui.store.schema import MIGRATIONS, meta_path


def test_new_profile_gets_current_schema(profile):
    with ProfileStore.open(profile):
        pass
    meta = json.loads(meta_path(profile).read_text())
    assert meta["schema"] == SCHEMA_VERSION and meta["written_by"].startswith("exact-tui")


def test_every_old_version_has_a_migration():
    assert set(MIGRATIONS) == set(range(SCHEMA_VERSION))


def _v0_file(profile):
    profile.mkdir(parents=True)
    v0 = {
        "customers": {"1": {"id": "L1", "name": "Jansen", "customer_number": "1001"},
                      "2": {"id": "L2", "name": "Peeters", "number": "1002"}},
        "invoices": {"1": {"id": "I1", "number": "2026-1", "customer_id": "L1", "date": "2026-01-02",
                           "lines": [{"description": "x", "quantity": "2", "unit_price": "10.50"}]}},
        "links": {"1": {"local_id": "L1", "exact_id": "g-1", "source": "exact"}},
        "settings": {"1": {"division": 123, "maintenance_mode": "manual"}},
    }
    (profile / "store.json").write_text(json.dumps(v0))


def test_v0_single_file_is_migrated(profile):
    _v0_file(profile)
    with ProfileStore.open(profile) as store:
        assert {c.id: c.number for c in store.customers.all()} == {"L1": "1001", "L2": "1002"}
        assert str(store.invoices.get("I1").total) == "21.00"
        assert store.links.get("L1").exact_id == "g-1"
        assert store.settings.get().division == 123
        assert store.settings.get().maintenance_mode is MaintenanceMode.MANUAL
        assert any("schema 0 -> 1" in n for n in store.notices)
        assert any("schema 0 -> 1" in e.message for e in store.log.tail(5))
    assert (profile / "store.json.v0-backup").exists() and not (profile / "store.json").exists()
    with ProfileStore.open(profile) as again:  # nothing left to migrate
        assert again.notices == []


def test_readonly_open_of_an_old_profile_asks_for_a_writer(profile):
    _v0_file(profile)
    with pytest.raises(StoreError, match="open it once for writing"):
        ProfileStore.open(profile, readonly=True)


def test_newer_schema_is_refused_with_a_clear_message(profile):
    with ProfileStore.open(profile):
        pass
    meta_path(profile).write_text(json.dumps({"schema": SCHEMA_VERSION + 1, "written_by": "exact-tui 9.0"}))
    for readonly in (False, True):
        with pytest.raises(SchemaTooNew) as caught:
            ProfileStore.open(profile, readonly=readonly)
        assert "exact-tui 9.0" in str(caught.value) and "Upgrade exact-tui" in str(caught.value)
    assert json.loads(meta_path(profile).read_text())["schema"] == SCHEMA_VERSION + 1  # untouched
    # The refused writer released its lock.
    meta_path(profile).write_text(json.dumps({"schema": SCHEMA_VERSION}))
    ProfileStore.open(profile).close()


def test_a_damaged_file_is_reported_and_left_alone(store, profile):
    from exact_tui.domain.customer import LocalCustomer

    store.customers.put(LocalCustomer("1", "A"))
    store.close()
    path = profile / "store" / "customers.json"
    path.write_text('{"customers": {"1": {"id": "1", "na')
    with ProfileStore.open(profile) as reopened:
        with pytest.raises(CorruptStore, match="customers.json"):
            reopened.customers.all()
    assert path.read_text().endswith('"na')
