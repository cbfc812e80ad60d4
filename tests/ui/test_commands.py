"""`exact-tui demo` and `exact-tui serve`: what they set up, without opening a terminal or a browser."""
from __future__ import annotations

import argparse

from exact_tui.cli import build_parser, serve
from exact_tui.sandbox.testing import approve
from exact_tui.services.demo import open_demo_session
from exact_tui.ui.app import ExactApp
from exact_tui.ui.steps.connection import ConnectionStep

from .conftest import wait_for


async def test_demo_profile_has_the_local_side_and_step_1_prefilled(sandbox, tmp_path):
    session = open_demo_session(sandbox, str(tmp_path), approve)
    try:
        assert len(session.store.customers.all()) == len(sandbox.seed.local.customers)
        assert len(session.store.invoices.all()) == len(sandbox.seed.local.invoices)
        app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
        async with app.run_test(size=(100, 40)) as pilot:
            assert app.query_one("#host").value == sandbox.base_url
            assert app.query_one("#client-id").value == sandbox.client_id
            assert app.query_one("#redirect-uri").value == sandbox.redirect_uri
            assert app.query_one("#demo-note") is not None  # the shortcut is labelled as demo-only
            await pilot.press("ctrl+e")  # demo shortcut: the normal flow, approved without a browser
            await wait_for(pilot, lambda: session.me is not None, what="demo login")
            assert session.me.user_name == "demo"
            assert app.step("connection").report is not None
    finally:
        session.close_store()


async def test_demo_shortcut_is_not_offered_outside_the_demo(session, tmp_path):
    session.demo = None
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        assert "demo_approve" not in {b.binding.action for b in app.screen.active_bindings.values()}
        await pilot.press("ctrl+e")
        await pilot.pause()
        step = app.query_one(ConnectionStep)
        assert session.me is None and step.attempt is None  # nothing happened: no login link, no login


def test_demo_and_serve_are_sub_commands_with_safe_defaults():
    parser = build_parser()
    demo = parser.parse_args(["demo"])
    assert demo.customers == 2000 and demo.seed == 1
    served = parser.parse_args(["--profile", "acme", "serve"])
    assert served.host == "127.0.0.1" and served.port == 8000
    line = serve.command_line(argparse.Namespace(profile="acme", data_dir="/tmp/x y", demo=False))
    assert "-m exact_tui --profile acme --data-dir '/tmp/x y'" in line


def test_serve_warns_when_bound_beyond_loopback(monkeypatch, capsys):
    started = {}

    class FakeServer:  # textual-serve's Server, recorded instead of serving forever
        def __init__(self, command, host, port, title, public_url):
            started.update(command=command, host=host, port=port)

        def serve(self):
            started["served"] = True

    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert serve.run(args) == 0
    assert started["host"] == "0.0.0.0" and started["served"]
    warning = capsys.readouterr().err
    assert "WARNING" in warning and "plain HTTP" in warning and "printed address" in warning
    assert serve.run(build_parser().parse_args(["serve", "--port", "0"])) == 2
