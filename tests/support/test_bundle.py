"""The support bundle: everything support needs, and not one secret or personal value."""
from __future__ import annotations

import asyncio
import json
import stat
import zipfile

from exact_tui.cli import main
from exact_tui.domain.customer import LocalContact, LocalCustomer
from exact_tui.domain.transfer import TransferOutcome, TransferRecord
from exact_tui.exact.appconfig import load_app_config
from exact_tui.services.bundle import make_bundle
from exact_tui.services.events import Event, Level, Side

from .conftest import login

SEEDED = {
    "customer name": "Pietersen Hoveniers Zwolle",
    "customer email": "h.pietersen@hoveniers-voorbeeld.nl",
    "customer phone": "038-4211234",
    "customer address": "Kastanjelaan 77",
    "customer postcode": "8011 ZZ",
    "contact first": "Wilhelmina",
    "contact last": "Ouwehand-Terpstra",
    "contact email": "w.ouwehand@voorbeeld.nl",
    "contact phone": "+31 6 1234 5678",
    "free e-mail in a log line": "stray.person@elsewhere.example",
    "free phone in a log line": "0612345678",
    "iban": "NL91ABNA0417164300",
    "login code in a url": "code=Zm9vYmFyLWxvZ2luLWNvZGU",
}


def _seed(session) -> None:
    session.store.customers.put(LocalCustomer("LC-SEED", SEEDED["customer name"], number="4711",
                                              address=SEEDED["customer address"], postcode=SEEDED["customer postcode"],
                                              email=SEEDED["customer email"], phone=SEEDED["customer phone"]))
    session.store.contacts.put(LocalContact("CT-SEED", "LC-SEED", SEEDED["contact first"], SEEDED["contact last"],
                                            SEEDED["contact email"], SEEDED["contact phone"]))
    session.store.log.append(Event(f"customer 4711 {SEEDED['customer name']} pushed; Exact said: Invalid: Email "
                                   f"[{SEEDED['customer email']}] (contact {SEEDED['contact first']} "
                                   f"{SEEDED['contact last']}, {SEEDED['contact phone']})",
                                   side=Side.EXACT, level=Level.ERROR, record="customer 4711",
                                   detail=f"mail {SEEDED['free e-mail in a log line']} or call "
                                          f"{SEEDED['free phone in a log line']}; pay to {SEEDED['iban']}; "
                                          f"redirect http://127.0.0.1/cb?{SEEDED['login code in a url']}&state=abc"))
    session.store.transfers.record(TransferRecord("INV-SEED", "2026-0099", outcome=TransferOutcome.FAILED,
                                                  message=f"refused for {SEEDED['customer name']}",
                                                  detail=f"Ongeldig: Email [{SEEDED['customer email']}]"))


def test_no_secret_or_personal_value_survives_in_any_file(sandbox, session, tmp_path):
    async def go():
        await login(session)
        _seed(session)
        tokens = session.token_store().load()
        secret = str(load_app_config(session.profile_dir).get("client_secret"))
        me = session.me
        out = tmp_path / "bundle.zip"
        result = await make_bundle(session, out)
        return result, tokens, secret, me

    result, tokens, secret, me = asyncio.run(go())
    forbidden = {**SEEDED, "access token": tokens.access_token, "refresh token": tokens.refresh_token,
                 "client secret": secret, "user full name": me.full_name, "user e-mail": me.email}
    for customer in session.store.customers.all():
        forbidden[f"name of {customer.id}"] = customer.name
        if customer.email:
            forbidden[f"e-mail of {customer.id}"] = customer.email
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    with zipfile.ZipFile(result.path) as archive:
        names = set(archive.namelist())
        assert {"settings.json", "exact-app.json", "log.jsonl", "transfers.jsonl", "doctor.json", "versions.json"} <= names
        for name in names:
            text = archive.read(name).decode()
            low = text.lower()
            for what, value in forbidden.items():
                assert value and value.lower() not in low, f"{what} ({value!r}) survives in {name}"
            for part in (SEEDED["contact phone"].replace(" ", ""), "Zm9vYmFyLWxvZ2luLWNvZGU"):
                assert part.lower() not in low.replace(" ", ""), (part, name)
        # what support needs is still there
        log = archive.read("log.jsonl").decode()
        assert "customer 4711" in log and "Invalid: Email" in log
        transfers = archive.read("transfers.jsonl").decode()
        assert "2026-0099" in transfers and "INV-SEED" in transfers
        doctor = json.loads(archive.read("doctor.json"))
        assert doctor["checks"] and doctor["status"] in ("ok", "warning", "failing")
        versions = json.loads(archive.read("versions.json"))
        assert versions["textual"] and versions["python"]
        settings = json.loads(archive.read("settings.json"))
        assert settings["division"] and settings["journal"] == "70"


def test_cli_writes_the_bundle_where_asked(session, tmp_path, capsys):
    _seed(session)
    session.close_store()
    out = tmp_path / "x" / "b.zip"
    assert main(["--data-dir", str(tmp_path), "--profile", "t", "bundle", "--out", str(out)]) == 0
    assert out.exists() and str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert SEEDED["customer email"] not in archive.read("log.jsonl").decode()
