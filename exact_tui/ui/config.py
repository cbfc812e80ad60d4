"""Console-wide preferences (theme, log pane) and the keymap, kept in `paths.config_dir()`.

These are per person, not per client company, so they live beside the profiles, not in them.
`console.json` is written by the settings screen; `keymap.toml` is written by the user:

    [keys]
    "app.toggle_log" = "f2,ctrl+underscore"     # binding id = key(s)
    "products.import" = "ctrl+r"
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

CONSOLE_FILE = "console.json"
KEYMAP_FILE = "keymap.toml"
DEFAULT_THEME = "exact-dark"


@dataclass(slots=True)
class ConsolePrefs:
    theme: str = DEFAULT_THEME
    log_visible: bool = True
    log_height: int = 6
    last_step: dict[str, str] = field(default_factory=dict)  # profile -> the step shown when it was closed


def _config_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    from ..paths import config_dir

    return config_dir(data_dir)


def load_prefs(data_dir: str | os.PathLike[str] | None = None) -> ConsolePrefs:
    path = _config_dir(data_dir) / CONSOLE_FILE
    try:
        raw = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return ConsolePrefs()
    known = {k: v for k, v in raw.items() if k in ConsolePrefs.__dataclass_fields__}
    try:
        return ConsolePrefs(**known)
    except TypeError:
        return ConsolePrefs()


def save_prefs(prefs: ConsolePrefs, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Written atomically: a console killed while saving keeps the previous preferences."""
    path = _config_dir(data_dir) / CONSOLE_FILE
    from ..domain.files import atomic_write

    return atomic_write(path, json.dumps(asdict(prefs), indent=2), mode=0o644)  # not secret: as before


class KeymapError(ValueError):
    pass


def load_keymap(data_dir: str | os.PathLike[str] | None = None) -> tuple[dict[str, str], Path]:
    """Binding id → key(s) from `keymap.toml` (empty when there is none)."""
    path = _config_dir(data_dir) / KEYMAP_FILE
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return {}, path
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{path}: {exc}") from exc
    keys = data.get("keys", data)
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise KeymapError(f"{path}: expected a [keys] table of binding-id = \"key\" lines")
    return {str(k): v for k, v in keys.items()}, path
