"""One writer per profile; readers welcome; stale locks taken over and logged."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from exact_tui.domain.customer import LocalCustomer
from exact_tui.store import ProfileLocked, ProfileStore, StoreReadOnly
from exact_tui.store.lock import current_holder

HOLDER = """
import sys, time
from exact_tui.store import ProfileStore
store = ProfileStore.open(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
store.close()
"""


def test_second_writer_is_refused_naming_the_holder_process(profile):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(profile)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(ProfileLocked) as caught:
            ProfileStore.open(profile)
        err = caught.value
        assert err.pid == proc.pid and err.host == socket.gethostname() and err.since
        assert f"process {proc.pid}" in str(err) and "read-only commands still work" in str(err)
        holder = current_holder(profile)
        assert holder is not None and holder.pid == proc.pid
        with ProfileStore.open(profile, readonly=True) as reader:  # readers are welcome meanwhile
            assert reader.customers.all() == []
    finally:
        proc.communicate("\n", timeout=10)
    with ProfileStore.open(profile) as store:  # released on close
        assert store.notices == []  # a clean close leaves no stale holder
    assert current_holder(profile) is None


def test_same_process_second_open_is_refused_too(store, profile):
    with pytest.raises(ProfileLocked, match=str(os.getpid())):
        ProfileStore.open(profile)


def test_stale_lock_of_dead_process_is_taken_over_and_logged(profile):
    profile.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    (profile / "writer.lock").write_text(json.dumps({"pid": dead_pid, "host": socket.gethostname(),
                                                     "since": "2026-01-01T00:00:00+00:00", "command": "exact-tui"}))
    with ProfileStore.open(profile) as store:
        assert any(f"process {dead_pid}" in n for n in store.notices)
        logged = store.log.tail(5)
        assert any("took over the writer lock" in e.message and e.level == "warning" for e in logged)


def test_readonly_store_refuses_every_write(store, profile):
    store.customers.put(LocalCustomer("1", "A"))
    with ProfileStore.open(profile, readonly=True) as reader:
        assert [c.name for c in reader.customers.all()] == ["A"]
        with pytest.raises(StoreReadOnly):
            reader.customers.put(LocalCustomer("2", "B"))
        with pytest.raises(StoreReadOnly):
            reader.log.append({"message": "x"})
        store.customers.put(LocalCustomer("2", "B"))
        assert len(reader.customers) == 1  # a snapshot …
        reader.refresh()
        assert len(reader.customers) == 2  # … until refreshed


def test_a_deleted_lock_file_does_not_let_a_second_writer_in(profile):
    """#15 item 8: removing writer.lock while its writer holds it must not give two writers."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(profile)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        (profile / "writer.lock").unlink()
        with pytest.raises(ProfileLocked):
            ProfileStore.open(profile)
        (profile / "writer.lock").write_text("")  # replaced by an empty file: still refused
        with pytest.raises(ProfileLocked):
            ProfileStore.open(profile)
    finally:
        proc.communicate("\n", timeout=10)
    with ProfileStore.open(profile) as store:  # free again once the holder closed
        store.customers.put(LocalCustomer("L1", "A"))
