"""Themes from TOML files: the ones shipped in `exact_tui/themes/` and the user's in `<config>/themes/`.

Each file's keys are `textual.theme.Theme` fields (`name`, `primary`, `background`, … `dark`) plus an
optional `[variables]` table, so a theme is written without Python and registered with
`App.register_theme` next to Textual's built-in ones.
"""
from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

from textual.theme import Theme

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "themes"
_FIELDS = {f.name for f in fields(Theme)}


def theme_from_file(path: Path) -> Theme:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - _FIELDS
    if unknown:
        raise ValueError(f"{path.name}: unknown theme field(s) {', '.join(sorted(unknown))}")
    if "name" not in data or "primary" not in data:
        raise ValueError(f"{path.name}: a theme needs at least 'name' and 'primary'")
    return Theme(**data)


def load_themes(*folders: Path) -> tuple[list[Theme], list[str]]:
    """All themes in the folders (later folders win on equal names) and the problems found."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in (BUILTIN_DIR, *folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except (ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
                problems.append(f"theme {path}: {exc}")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems
