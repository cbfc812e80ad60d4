"""`--state FILE`: the world survives a restart; the file is written atomically and privately."""
from __future__ import annotations

import json
import os
import stat

import httpx
import pytest

from conftest import DIV, JSON, fixture_seed, login, start


def test_state_file_round_trip(tmp_path):
    path = tmp_path / "world.json"
    first = start(state_file=str(path))
    try:
        tokens = login(first)
        auth = {**JSON, "Authorization": f"Bearer {tokens['access_token']}"}
        made = httpx.post(f"{first.base_url}/api/v1/{DIV}/crm/Accounts", headers=auth,
                          json={"Name": "Blijvend BV", "Status": "C"}).json()["d"]
        top = first.world.timestamp
    finally:
        first.stop()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text())["version"] == 1
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    second = start(state_file=str(path))
    try:
        auth = {**JSON, "Authorization": f"Bearer {tokens['access_token']}"}  # the token survived too
        found = httpx.get(f"{second.base_url}/api/v1/{DIV}/crm/Accounts(guid'{made['ID']}')", headers=auth)
        assert found.status_code == 200 and found.json()["d"]["Name"] == "Blijvend BV"
        assert found.json()["d"]["Created"].startswith("/Date(")
        assert second.world.timestamp == top
        changed = httpx.put(f"{second.base_url}/api/v1/{DIV}/crm/Accounts(guid'{made['ID']}')", headers=auth,
                            json={"City": "Hengelo"})
        assert changed.status_code == 204 and second.world.timestamp == top + 1  # row versions keep rising
    finally:
        second.stop()


def test_state_of_another_app_is_refused(tmp_path):
    path = tmp_path / "world.json"
    start(state_file=str(path)).stop()
    other = fixture_seed()
    other.client_id = "another-app"
    with pytest.raises(ValueError, match="another app registration"):
        start(state_file=str(path), seed_data=other)


def test_memory_only_without_state_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server = start()
    server.stop()
    assert list(tmp_path.iterdir()) == []
