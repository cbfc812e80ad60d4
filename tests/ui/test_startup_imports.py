"""The console's first frame does not wait for modules the first screen does not use (issue #16).

httpx, authlib and the Exact client are loaded at the first login or reconnect, TextArea with the first
login link, the matcher (rapidfuzz) when the Link screen runs, the sandbox by `demo`/`sandbox` only;
the log pane is drawn without RichLog, which would load rich.pretty and attrs.
Each check runs in a fresh interpreter and reads `sys.modules`, so a module-level import that drags one
of them back in fails here instead of silently adding a tenth of a second to every launch (the figures are
`bench/bench_startup.py`'s).
"""
from __future__ import annotations

import json
import subprocess
import sys

# loaded lazily, by the action that needs them
LAZY = ("httpx", "authlib", "click", "pygments", "rapidfuzz", "textual.widgets._text_area", "rich.pretty", "attr",
        "exact_tui.exact.client", "exact_tui.exact.transport", "exact_tui.exact.oauth", "exact_tui.exact.auth",
        "exact_tui.services.linking.service", "exact_tui.matching", "exact_tui.sandbox")

_LOADED = "import json, sys; print(json.dumps(sorted(m for m in {lazy!r} if m in sys.modules)))"

# The console as `exact-tui --data-dir D` starts it (the CLI, the profile, the app), stopped at its
# first painted frame: which of LAZY are loaded by then.
_FIRST_PAINT = r"""
import gc, json, sys
import exact_tui.ui.app as console

class FirstPaint(console.ExactApp):
    loaded = None

    def _display(self, screen, renderable):
        # where Textual hands a frame to the terminal driver
        super()._display(screen, renderable)
        if self.loaded is None and renderable is not None and not self._batch_count:
            self.loaded = sorted(m for m in LAZY if m in sys.modules)
            self.composed = [key for key in console.STEP_KEYS if self.step(key).composed]
            # the CLI's command modules: the console's command line is parsed without them
            self.commands = sorted(m for m in sys.modules if m.startswith("exact_tui.cli.") and m != "exact_tui.cli._console")
            self.call_after_refresh(self._settled)

    def _settled(self):
        self.collecting = gc.isenabled()
        self.exit(0)

    def run(self, **kw):
        result = super().run(headless=True, size=(80, 24))
        print(json.dumps({"collecting": self.collecting, "composed": self.composed, "commands": self.commands}))
        print(json.dumps(self.loaded))
        return result

console.ExactApp = FirstPaint
from exact_tui.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "--profile", "startup"]))
"""


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


def _loaded(code: str, *args: str) -> list[str]:
    result = _python(code, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_probe_sees_a_loaded_module():
    """The check can fail: importing the Exact client does load httpx and authlib."""
    loaded = _loaded("import exact_tui.exact.client\n" + _LOADED.format(lazy=LAZY))
    assert {"httpx", "authlib", "exact_tui.exact.client"} <= set(loaded)


def test_importing_the_console_loads_none_of_the_lazy_modules():
    assert _loaded("import exact_tui.ui.app\n" + _LOADED.format(lazy=LAZY)) == []


def test_the_exact_package_names_stay_importable():
    """`exact/__init__` loads its names on first use; each one in `__all__` is still there."""
    code = ("import exact_tui.exact as ex\n"
            "missing = [n for n in ex.__all__ if getattr(ex, n, None) is None]\n"
            "from exact_tui.exact import ExactClient, TokenStore, oauth, ReconnectRequired\n"
            "assert ExactClient.__module__ == 'exact_tui.exact.client' and oauth.__name__ == 'exact_tui.exact.oauth'\n"
            "print(missing)")
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_first_painted_frame_comes_before_the_lazy_modules(tmp_path):
    """The whole launch (CLI, profile, console, reconnect worker) up to the first frame, which shows
    step 1 with only step 1 composed and no CLI command module loaded (the console's command line is
    parsed without them); right after it the garbage collector, off during start-up, is collecting again."""
    result = _python(f"LAZY = {LAZY!r}\n" + _FIRST_PAINT, str(tmp_path))
    assert result.returncode == 0, result.stderr
    state, loaded = map(json.loads, result.stdout.strip().splitlines()[-2:])
    assert loaded == []
    assert state == {"collecting": True, "composed": ["connection"], "commands": []}


async def test_hidden_steps_are_composed_after_start_and_one_asked_for_early_is_shown(session, tmp_path):
    """Only the shown step is composed before the first frame; the seven others right after it. A step
    asked for before its widgets exist is shown (and focused) as soon as they are."""
    from exact_tui.ui.app import STEP_KEYS, ExactApp

    from .conftest import wait_for

    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False, start_step="activate")
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto("maintenance")
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "modes", what="step 5 shown, focused")
        assert app.current_step == "maintenance"
        await wait_for(pilot, lambda: all(app.step(key).composed for key in STEP_KEYS), what="all steps composed")
        assert not app.query("#step-connection #login-url")  # step 1's start state: no link, no box for it
        assert len(app.step("maintenance").query("ShapedRadioButton")) == 3
