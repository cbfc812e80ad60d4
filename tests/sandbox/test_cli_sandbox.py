"""`exact-tui sandbox` as a user runs it: prints URL, credentials and users, serves, stops on Ctrl+C;
`--export-local` writes the local set. Runs on the real seed (`seed.generate`)."""
from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time

import httpx

from exact_tui.sandbox.server import is_loopback


def _start(*args: str) -> tuple[subprocess.Popen, list[str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "exact_tui", "sandbox", "--customers", "20", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "admin" in line and "/sandbox" in line:
            return proc, lines
    proc.kill()
    raise AssertionError(f"sandbox did not start: {lines} {proc.stderr.read()}")


def test_cli_prints_credentials_and_serves(tmp_path):
    state = tmp_path / "state.json"
    proc, lines = _start("--port", "0", "--state", str(state), "--faults", "latency:1")
    try:
        text = "\n".join(lines)
        base = re.search(r"base URL\s+(http://127\.0\.0\.1:\d+)", text).group(1)
        client_id = re.search(r"client id\s+(\S+)", text).group(1)
        assert re.search(r"client secret\s+\S+", text) and re.search(r"redirect URI\s+\S+", text)
        assert re.search(r"demo\s+/ demo", text) and re.search(r"inactive\s+/ inactive\s.*INACTIVE", text)
        info = httpx.get(f"{base}/sandbox", timeout=5).json()
        assert info["client_id"] == client_id and info["faults"] == "latency:1"
        page = httpx.get(f"{base}/api/oauth2/auth", params={"client_id": client_id, "redirect_uri": info["redirect_uri"],
                                                           "response_type": "code", "state": "s"}, timeout=5)
        assert page.status_code == 200 and "<form" in page.text
        assert httpx.get(f"{base}/api/v1/current/Me", timeout=5).status_code == 401
        logged = proc.stdout.readline()
        assert "GET" in logged and "/api/v1/current/Me 401" in logged  # one log line per request
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "sandbox stopped" in out and state.exists()


def test_cli_refuses_bad_options():
    for args in (["--faults", "nonsense"], ["--behave", "refresh_rotation"], ["--time-scale", "0"]):
        done = subprocess.run([sys.executable, "-m", "exact_tui", "sandbox", *args], capture_output=True, text=True,
                              timeout=30)
        assert done.returncode == 2 and done.stderr.strip(), args


def test_export_local_writes_csv_files(tmp_path):
    done = subprocess.run([sys.executable, "-m", "exact_tui", "sandbox", "--customers", "20", "--export-local",
                           str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {"customers.csv", "contacts.csv", "invoices.csv", "dimensions.csv", "exact_accounts.csv", "truth.csv"} <= names
    with open(tmp_path / "exact_accounts.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and "code" in rows[0] and rows[0]["code"] == rows[0]["code"].strip()


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
