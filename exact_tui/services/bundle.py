"""The support bundle: everything support needs to diagnose a profile, and nothing it must not see.

One zip: settings, the app registration (without its secret), the recent integration log, the
transfer journal, the doctor's report and the versions — every file passed through `Redactor`, so
no token, secret, login code or personal value (e-mail, phone, address, people's names) leaves the
machine. Record ids, numbers, dates, amounts and Exact's own words stay: they are what support reads.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import platform
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store.atomic import atomic_write_bytes
from .redact import Redactor, profile_values

RECENT_LOG_LINES = 2000


@dataclass(slots=True)
class BundleResult:
    path: Path
    files: list[str]
    log_lines: int
    transfers: int
    doctor_status: str


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": sys.version.split()[0], "platform": platform.platform(terse=True)}
    for name in ("exact-tui", "textual", "httpx", "authlib", "tinydb", "rapidfuzz", "platformdirs"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def default_path(profile: str) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Path.cwd() / f"exact-tui-bundle-{profile}-{stamp}.zip"


async def make_bundle(session: Any, out: Path | None = None, *, doctor: Any = None) -> BundleResult:
    """Write the bundle (0600) and return what is in it. `doctor` is a report already made, if any."""
    from ..exact.appconfig import load_app_config
    from .doctor import run_doctor

    redactor = Redactor(profile_values(session))
    store = session.store
    if doctor is None:
        try:
            doctor = await run_doctor(session)
        except Exception as exc:  # noqa: BLE001 - a bundle is most needed when things are broken
            doctor = None
            doctor_error = f"the doctor could not run: {type(exc).__name__}: {exc}"
        else:
            doctor_error = ""
    else:
        doctor_error = ""
    log = [entry.as_dict() for entry in store.log.tail(RECENT_LOG_LINES)]
    transfers = [_jsonable(r) for r in store.transfers.all()]
    try:
        app = dict(load_app_config(session.profile_dir))
    except Exception as exc:  # noqa: BLE001
        app = {"error": str(exc)}
    app.pop("client_secret", None)
    files: dict[str, Any] = {
        "settings.json": _jsonable(store.settings.get()),
        "exact-app.json": app,
        "doctor.json": doctor.as_dict() if doctor is not None else {"error": doctor_error},
        "versions.json": {**_versions(), "profile": session.profile, "made_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                          "counts": {"customers": len(store.customers), "contacts": len(store.contacts),
                                     "invoices": len(store.invoices), "links": len(store.links),
                                     "log_lines": len(store.log), "transfers": len(transfers)}},
    }
    path = Path(out) if out is not None else default_path(session.profile)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, json.dumps(redactor.data(content), ensure_ascii=False, indent=2))
        archive.writestr("log.jsonl", "".join(json.dumps(redactor.data(e), ensure_ascii=False) + "\n" for e in log))
        archive.writestr("transfers.jsonl",
                         "".join(json.dumps(redactor.data(t), ensure_ascii=False) + "\n" for t in transfers))
        archive.writestr("README.txt", "exact-tui support bundle\n\nSecrets, tokens, login codes and personal values "
                         "(e-mail, phone, address, names) are replaced by [redacted]. Record ids, numbers, dates,\n"
                         "amounts and Exact's own messages are kept.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, buffer.getvalue())  # 0600, whole or not at all
    names = [*files, "log.jsonl", "transfers.jsonl", "README.txt"]
    return BundleResult(path, names, len(log), len(transfers), doctor.status if doctor is not None else "not run")
