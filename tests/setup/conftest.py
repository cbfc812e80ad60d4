"""A sandbox on loopback and profiles made the way a consultant's script makes them: `exact-tui` in a
subprocess for every step (connect through the paste-back flow, import the local side, set up).

The sandbox is the seeded one (division 786431: sales journals 70 and 71, general journal 90, items
with every awkward property); the local side is the same seed's, exported with
`exact-tui sandbox --export-local`, so customers match Exact accounts as they would in a real company.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exact_tui.sandbox.testing import approve, running_sandbox

DIVISION = 786431
CUSTOMERS, SEED = 12, 3


@pytest.fixture(scope="module")
def server():
    # real time: the access token outlives the module, so a connected profile can be copied per test
    with running_sandbox(customers=CUSTOMERS, seed=SEED, time_scale=1.0,
                         behaviour={"day_limit": 1_000_000, "minute_limit": 100_000}) as server:
        yield server


class Script:
    """`exact-tui --data-dir D --profile P …` as a subprocess, the way a shell script calls it."""

    def __init__(self, server, data_dir: Path, profile: str = "acme") -> None:
        self.server, self.data_dir, self.profile = server, data_dir, profile

    def __call__(self, *args: str, check: int | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "EXACT_CLIENT_SECRET": self.server.client_secret}
        done = subprocess.run([sys.executable, "-m", "exact_tui", "--data-dir", str(self.data_dir),
                               "--profile", self.profile, *args], capture_output=True, text=True, timeout=180,
                              env=env, input=stdin if stdin is not None else "")
        assert "Traceback" not in done.stderr, done.stderr
        if check is not None:
            assert done.returncode == check, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    def json(self, *args: str, check: int | None = 0) -> dict:
        done = self(*args, "--json", check=check)
        return json.loads(done.stdout)

    def connect(self) -> None:
        s = self.server
        url = self("connect", "--base-url", s.base_url, "--client-id", s.client_id, "--redirect-uri", s.redirect_uri,
                   "--keep-secret", "--url-only", check=0).stdout.strip().splitlines()[-1]
        redirect = approve(url, "api", "api")
        self("connect", "--paste", redirect, "--keep-secret", check=0)

    def import_local(self, folder: Path) -> None:
        self("sandbox", "--export-local", str(folder), "--customers", str(CUSTOMERS), "--seed", str(SEED), check=0)
        for kind in ("customers", "contacts", "dimensions", "invoices"):
            self("import", kind, str(folder / f"{kind}.csv"), check=None)


@pytest.fixture
def script(server, tmp_path):
    return Script(server, tmp_path / "data")


@pytest.fixture(scope="module")
def template(server, tmp_path_factory):
    """One connected profile with the local side imported, made once per module by the commands."""
    folder = tmp_path_factory.mktemp("template")
    made = Script(server, folder / "data")
    made.connect()
    made.import_local(folder / "local")
    return made


@pytest.fixture
def connected(template, server, tmp_path):
    """A copy of the template: connected, the local side imported, nothing set up yet."""
    import shutil

    shutil.copytree(template.data_dir, tmp_path / "data")
    return Script(server, tmp_path / "data")


def store_of(script: Script):
    """The profile's store, read-only (the commands have exited)."""
    from exact_tui.paths import profile_dir
    from exact_tui.store import ProfileStore

    return ProfileStore.open(profile_dir(script.profile, str(script.data_dir)), readonly=True)


def settings_of(script: Script):
    store = store_of(script)
    try:
        return store.settings.get()
    finally:
        store.close()
