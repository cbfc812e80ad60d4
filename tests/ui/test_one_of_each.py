"""One of each in the console: every key has a binding id, one palette provider, one confirm modal, one
picker, one way to show a service's problem, and styles in .tcss files only."""
from __future__ import annotations

import inspect
import pkgutil
import importlib
from pathlib import Path

from textual.screen import ModalScreen

import exact_tui.ui as ui_package
from exact_tui.paths import config_dir
from exact_tui.ui import actions
from exact_tui.ui.app import ExactApp
from exact_tui.ui.commands import palette_entries

UI = Path(ui_package.__file__).parent


def _ui_modules():
    for info in pkgutil.walk_packages(ui_package.__path__, "exact_tui.ui."):
        yield importlib.import_module(info.name)


def test_every_binding_of_every_screen_has_an_id():
    assert actions.missing_ids() == []
    ids = [e.id for e in actions.entries()]
    assert len(ids) == len(set(ids)), "binding ids are unique, so keymap.toml names one key"
    # and the registry knows every class that declares bindings
    known = {id(b) for e in actions.entries() for b in [e.binding]}
    for module in _ui_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                for binding in cls.__dict__["BINDINGS"]:
                    assert id(binding) in known, f"{cls.__name__}: {binding.action} is not in the action registry"


def test_one_confirm_modal_and_one_picker():
    modals = set()
    for module in _ui_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, ModalScreen) and cls.__module__.startswith("exact_tui.ui"):
                modals.add(cls.__name__)
    assert modals == {"ConfirmScreen", "PickScreen", "AskValue", "HelpScreen", "SettingsScreen", "LogDetail",
                      "TimelineScreen"}


def test_styles_live_in_tcss_files():
    offenders = [str(p.relative_to(UI)) for p in UI.rglob("*.py") if "DEFAULT_CSS" in p.read_text()
                 or "CSS = \"" in p.read_text() or 'CSS = """' in p.read_text()]
    assert offenders == []
    assert len(list(UI.rglob("*.tcss"))) >= 4


async def test_palette_shows_remapped_keys_and_runs_on_the_current_screen(session, tmp_path):
    (config_dir(tmp_path) / "keymap.toml").write_text('[keys]\n"app.toggle_log" = "f9"\n"products.import" = "ctrl+i"\n')
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        hints = {name: hint for name, hint, _ in palette_entries(app)}
        assert hints["Log"] == "key f9 · app.toggle_log"
        assert hints["Product numbers: Import from Exact"] == "key ctrl+i · products.import"
        assert hints["Help"] == "key f1 / ? · app.help"  # a person's names, not question_mark
        await pilot.press("f3")
        await pilot.pause()
        names = [name for name, _, _ in palette_entries(app)]
        assert "Customer card: Push to Exact" in names
        assert not any(n.startswith("Go to step") for n in names)  # on the card: its actions and the console's
