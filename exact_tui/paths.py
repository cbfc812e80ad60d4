"""Where a profile's data and config live: platformdirs' user dirs, one folder per profile."""
from __future__ import annotations

import os
import re
from pathlib import Path

APP_NAME = "exact-tui"
DEFAULT_PROFILE = "default"
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_profile_name(name: str) -> str:
    """A profile name becomes a folder name: refuse anything that could escape the data dir."""
    if not _PROFILE_NAME.fullmatch(name) or name in {".", ".."}:
        raise ValueError(
            f"profile name {name!r} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


def data_root(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding all profiles; `--data-dir` (or EXACT_TUI_DATA_DIR) overrides platformdirs."""
    override = data_dir or os.environ.get("EXACT_TUI_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def profile_dir(profile: str = DEFAULT_PROFILE, data_dir: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """The folder of one profile (one client company), created with mode 0700."""
    path = data_root(data_dir) / "profiles" / check_profile_name(profile)
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class UnknownProfile(LookupError):
    """A command that only works on an existing profile was given a name that has none (a typo)."""


def known_profiles(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """The profiles that exist under the data dir, sorted."""
    folder = data_root(data_dir) / "profiles"
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and _PROFILE_NAME.fullmatch(p.name))
    except (FileNotFoundError, NotADirectoryError):
        return []


def existing_profile_dir(profile: str = DEFAULT_PROFILE, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder of a profile that must exist already: read-only commands never create one.

    Raises `UnknownProfile` naming the profiles that do exist, so `--profile acme-bv` for `acme_bv`
    is a clear message instead of a new, empty profile that then looks "not connected"."""
    path = profile_dir(profile, data_dir, create=False)
    if path.is_dir():
        return path
    known = known_profiles(data_dir)
    listed = f"known: {', '.join(known)}" if known else f"no profiles yet in {data_root(data_dir)}"
    raise UnknownProfile(f"profile {profile!r} does not exist ({listed})")


def config_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Console-wide settings (theme, keymap) that are not per client company."""
    if data_dir or os.environ.get("EXACT_TUI_DATA_DIR"):
        path = data_root(data_dir) / "config"
    else:
        from platformdirs import user_config_path

        path = user_config_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
