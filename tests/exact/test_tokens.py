"""The token file: atomic under kill -9, 0600, and one writer at a time across processes."""
import json
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time

from exact_tui.exact.tokens import ConnectionOwner, TokenSet, TokenStore

WRITER = textwrap.dedent("""
    import sys
    from exact_tui.exact.tokens import TokenStore, TokenSet, ConnectionOwner
    store = TokenStore(sys.argv[1])
    n = 0
    big = "x" * 200_000  # a big file makes a kill in the middle of a write likely
    while True:
        n += 1
        with store.locked():
            store.save(TokenSet(f"a{n}", f"r{n}", 1.0 + n, 1.0, refresh_count=n,
                                owner=ConnectionOwner(full_name=big)))
        print(n, flush=True)  # the test kills after a chosen number of whole writes, then mid-write
""")

COUNTER = textwrap.dedent("""
    import sys
    from dataclasses import replace
    from exact_tui.exact.tokens import TokenStore
    store = TokenStore(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        with store.locked():
            current = store.load()
            store.save(replace(current, refresh_count=current.refresh_count + 1,
                               refresh_token=f"r{current.refresh_count + 1}"))
""")


def _tokens(n=0):
    return TokenSet("access", "refresh", 1000.0, 400.0, refresh_count=n, owner=ConnectionOwner(full_name="Demo"))


def test_round_trip_mode_and_no_secrets_in_repr(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    assert store.load() is None
    store.save(_tokens())
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    loaded = store.load()
    assert loaded.refresh_token == "refresh" and loaded.owner.full_name == "Demo"
    assert "refresh'" not in repr(loaded) and "access'" not in repr(loaded)
    assert TokenStore(tmp_path).path == tmp_path / "tokens.json"  # a profile folder works too


def test_refresh_expiry_warning():
    tokens = _tokens()
    assert tokens.refresh_warning(400.0) is None
    assert "expires in" in tokens.refresh_warning(400.0 + 25 * 86400)
    assert "expired" in tokens.refresh_warning(400.0 + 31 * 86400)


def test_file_is_never_half_written_when_the_writer_is_killed(tmp_path):
    path = tmp_path / "tokens.json"
    rng = random.Random(7)
    seen = set()
    for _ in range(25):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE)
        for _ in range(rng.randint(1, 30)):  # counted in writes, not seconds: a loaded machine writes slower
            assert child.stdout.readline().strip()
        time.sleep(rng.uniform(0.0, 0.005))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        data = json.loads(path.read_bytes())  # always a whole file, old or new
        assert data["access_token"] == f"a{data['refresh_count']}"
        seen.add(data["refresh_count"])
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(seen) > 5  # the kills really landed at different points
    # leftovers of killed writes are swept by the next writer holding the lock
    store = TokenStore(path)
    with store.locked():
        store.save(_tokens())
    assert not list(tmp_path.glob(".tokens.json.*.tmp"))


def test_the_lock_serialises_read_modify_write_across_processes(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(_tokens(0))
    procs = [subprocess.Popen([sys.executable, "-c", COUNTER, str(store.path), "150"]) for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    final = store.load()
    assert final.refresh_count == 300 and final.refresh_token == "r300"  # no lost update
