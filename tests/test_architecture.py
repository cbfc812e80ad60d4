"""The architecture, enforced (docs/architecture.md): layer contracts, no Textual below the UI, ruff, mypy.

Run as part of the suite so CI needs no extra step: each tool runs as a subprocess and a failure
shows its own output. The contracts live in pyproject.toml ([tool.importlinter]).
"""
from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import exact_tui

ROOT = Path(__file__).resolve().parents[1]
# Every package that must work without a terminal UI: imported alone, none may pull in Textual.
HEADLESS = ("domain", "exact", "store", "matching", "diagnose", "localdata", "services", "sandbox")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)


def _headless_modules() -> list[str]:
    out = []
    for package in HEADLESS:
        out.append(f"exact_tui.{package}")
        module = __import__(f"exact_tui.{package}", fromlist=["__path__"])
        for info in pkgutil.walk_packages(module.__path__, prefix=f"exact_tui.{package}."):
            out.append(info.name)
    return sorted(out)


def test_layer_contracts_hold():
    result = _run(_tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, "import-linter contracts broken:\n" + result.stdout + result.stderr


def test_no_headless_module_imports_textual():
    """Each headless module in a fresh interpreter: `sys.modules` must have no textual.

    (Rich is not checked here: httpx imports it for its own command line when it is installed. That
    our code imports Rich only in ui is the import-linter contract's job.)"""
    modules = _headless_modules()
    assert len(modules) > 40 and "exact_tui.services.linking.service" in modules
    probe = (
        "import importlib, sys\n"
        "bad = []\n"
        "for name in sys.argv[1:]:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    ui = sorted(m for m in set(sys.modules) - before if m.split('.')[0] == 'textual')\n"
        "    if ui: bad.append(f'{name} pulls in {ui[0]}')\n"
        "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    failures = []
    for name in modules:  # one fresh interpreter per module: an earlier import cannot hide a later one's
        result = _run(sys.executable, "-c", probe, name)
        if result.returncode != 0:
            failures.append((result.stdout + result.stderr).strip())
    assert not failures, "Textual imported below the UI:\n" + "\n".join(failures)


def test_ruff_is_clean():
    result = _run(_tool("ruff"), "check", "--output-format", "concise", "exact_tui", "tests", "bench")
    assert result.returncode == 0, "ruff:\n" + result.stdout + result.stderr


def test_mypy_is_clean_on_the_lower_layers():
    result = _run(_tool("mypy"))  # files and settings: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, "mypy:\n" + result.stdout + result.stderr


def test_package_is_the_one_under_test():
    assert Path(exact_tui.__file__).resolve().is_relative_to(ROOT)


def _sources() -> dict[str, str]:
    package = ROOT / "exact_tui"
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in package.rglob("*.py")}


def test_one_atomic_writer():
    """Every file replaced by exact-tui goes through domain/files.py (temp file, fsync, rename, folder fsync)."""
    import re

    hand_written = re.compile(r"\bos\.(replace|rename)\(|mkstemp\(|with_suffix\([\"']\.tmp|\b\w*(tmp|partial)\w*\.(replace|rename)\(")
    found = [f"{name}:{n}: {line.strip()}" for name, text in _sources().items() if name != "exact_tui/domain/files.py"
             for n, line in enumerate(text.splitlines(), 1) if hand_written.search(line)]
    assert not found, "hand-written atomic writes (call exact_tui.domain.files.atomic_write):\n" + "\n".join(found)


def test_the_atomic_writer_fsyncs_the_file_and_the_folder_and_leaves_nothing_on_failure(tmp_path, monkeypatch):
    import stat

    from exact_tui.domain import files

    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    target = files.atomic_write(tmp_path / "a" / "x.json", "één", parents=True)
    assert target.read_text(encoding="utf-8") == "één" and len(synced) == 2  # the file, then its folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    monkeypatch.setattr(files.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        files.atomic_write(target, b"new")
    assert target.read_text(encoding="utf-8") == "één" and [p.name for p in target.parent.iterdir()] == ["x.json"]


def test_one_exact_config_builder_and_one_personal_user_rule():
    constructed = [name for name, text in _sources().items() if "ExactConfig(" in text.replace("class ExactConfig(", "")
                   and name != "exact_tui/exact/config.py"]
    assert not constructed, f"ExactConfig built outside exact/config.make_config: {constructed}"
    word_lists = [name for name, text in _sources().items() if '"koppel' in text or "|koppel|" in text]
    assert word_lists == ["exact_tui/services/connection.py"], word_lists


def test_make_config_names_what_is_missing_and_refuses_a_bad_redirect():
    from exact_tui.exact.config import MissingAppSettings, make_config

    with pytest.raises(MissingAppSettings) as missing:
        make_config("nl", " ", "", "https://x.example/cb")
    assert missing.value.missing == ["client id", "client secret"]
    assert make_config("be", "id", "", "https://x.example/cb", need_secret=False).base_url.endswith(".be")
    with pytest.raises(ValueError, match="must start with http"):
        make_config("nl", "id", "s", "x.example/cb")
    assert make_config("https://sandbox.test/", "id", "s", "http://127.0.0.1:1/cb", "42").division == 42
