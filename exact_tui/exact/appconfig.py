"""The app registration a profile connects with, kept next to its tokens (0600, never in TinyDB).

`exact-app.json` holds host, client id, redirect URI, division and — only if the user let us —
the client secret. Environment variables (EXACT_CLIENT_ID, EXACT_CLIENT_SECRET,
EXACT_REDIRECT_URI, EXACT_BASE_URL) override the file, so a consultant can keep the secret out
of the profile entirely.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from .config import (COUNTRY_HOSTS, ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REDIRECT_URI, ExactConfig,
                     MissingAppSettings, make_config)
from .tokens import atomic_write

APP_FILE = "exact-app.json"


def app_file(profile_dir: str | os.PathLike[str]) -> Path:
    return Path(profile_dir) / APP_FILE


def load_app_config(profile_dir: str | os.PathLike[str]) -> dict[str, object]:
    """The stored values (possibly empty), overridden by the environment."""
    try:
        stored = json.loads(app_file(profile_dir).read_text())
    except FileNotFoundError:
        stored = {}
    except ValueError as exc:
        raise ValueError(f"{app_file(profile_dir)} is not valid JSON ({exc}); fix or delete it") from exc
    for key, env in (("base_url", ENV_BASE_URL), ("client_id", ENV_CLIENT_ID), ("client_secret", ENV_CLIENT_SECRET),
                     ("redirect_uri", ENV_REDIRECT_URI)):
        if os.environ.get(env):
            stored[key] = os.environ[env]
    return stored


def save_app_config(profile_dir: str | os.PathLike[str], config: ExactConfig, *, keep_secret: bool | None) -> Path:
    """Store the connection settings, mode 0600, atomically.

    `keep_secret`: True stores the secret in use, False removes a stored one (the user said so, e.g.
    unticked "keep"), None was not asked: a secret stored earlier stays as long as it is the one in
    use, so a later `connect --paste` cannot silently throw away what `--url-only --keep-secret` saved.
    """
    data: dict[str, object] = {"base_url": config.base_url, "client_id": config.client_id,
                               "redirect_uri": config.redirect_uri, "division": config.division}
    path = app_file(profile_dir)
    try:
        previous = json.loads(path.read_text()).get("client_secret") or ""
    except (OSError, ValueError, AttributeError):
        previous = ""
    if keep_secret and config.client_secret:
        data["client_secret"] = config.client_secret
    elif keep_secret is not False and previous and config.client_secret in ("", previous):
        data["client_secret"] = previous
    atomic_write(path, json.dumps(data, indent=2, sort_keys=True).encode())
    return path


Ask = Callable[[str, bool], str]  # (what to ask, is it a secret) -> the answer; a terminal's input/getpass


def config_from_profile(profile_dir: str | os.PathLike[str], *, host: str | None = None, client_id: str | None = None,
                        client_secret: str | None = None, redirect_uri: str | None = None,
                        division: int | None = None, need_secret: bool = True, ask: Ask | None = None) -> ExactConfig:
    """An `ExactConfig` from the profile's file + environment, overridden by explicit values (non-empty
    ones win), built by `make_config`.

    What is still missing is asked through `ask` (a terminal), or — no one to ask — named in a
    `MissingAppSettings` that says where each value can come from."""
    stored = load_app_config(profile_dir)
    values = {"base_url": host or stored.get("base_url") or COUNTRY_HOSTS["nl"],
              "client_id": client_id or stored.get("client_id") or "",
              "redirect_uri": redirect_uri or stored.get("redirect_uri") or "",
              "client_secret": client_secret or stored.get("client_secret") or ""}
    questions = [("client_id", "client id (--client-id)", "Exact app client id: ", False),
                 ("redirect_uri", "redirect URI (--redirect-uri)", "Exact app redirect URI (exactly as registered): ", False),
                 ("client_secret", "client secret", "Exact app client secret (not shown): ", True)]
    missing = [q for q in questions if not values[q[0]] and (need_secret or q[0] != "client_secret")]
    if missing and ask is None:
        labels = [label for _, label, _, _ in missing]
        raise MissingAppSettings(labels, f"this profile has no {' and no '.join(labels)} stored and there is no "
                                         f"terminal to ask; pass it, set ${ENV_CLIENT_SECRET} for the secret, or store "
                                         "it once with `connect --keep-secret`")
    for key, _, prompt, secret in missing:
        values[key] = ask(prompt, secret).strip() if ask else ""
    chosen = division if division is not None else stored.get("division")
    return make_config(str(values["base_url"]), str(values["client_id"]), str(values["client_secret"]),
                       str(values["redirect_uri"]), chosen, need_secret=need_secret)
