"""Before `l` overwrites Exact (or `e` overwrites local data of what may be another company), the
confirmation shows per field how many accounts change, and each account old → new (#16 item 2)."""
from __future__ import annotations

import dataclasses

from exact_tui.domain.customer import LocalCustomer
from exact_tui.services.linking import FIELDS, Action, ExactAccount, link_diff
from exact_tui.ui.screens.confirm import ConfirmScreen
from exact_tui.ui.screens.pick import PickScreen

from .helpers import open_store, service as make_service


def test_diff_to_exact_names_each_field_old_and_new(tmp_path):
    store = open_store(tmp_path)
    svc = make_service(store)
    plan = svc.plan(Action.LINK_LOCAL, [svc.rows["e1"], svc.rows["e6"]])
    diff = svc.diff(plan)
    assert diff.side == "Exact"
    by_account = {a.exact_id: {c.key: (c.old, c.new) for c in a.changes} for a in diff.accounts}
    # e1: the e-mail is empty locally (never sent); the name differs only in case and a dot
    assert "email" not in by_account.get("e1", {})
    assert by_account["e6"]["email"] == ("", "groente@klaassen.nl")
    assert dict(diff.by_field())["E-mail"] == 1
    # the diff is exactly what the run will PUT
    api = {f.key: f.api for f in FIELDS}
    assert {e: set(ch) for e, ch in plan.changes.items()} == \
        {a.exact_id: {api[c.key] for c in a.changes} for a in diff.accounts}
    store.close()


def test_diff_from_exact_is_the_local_side_and_keeps_filled_local_fields():
    customer = LocalCustomer("l1", "Horizon BV", "1001", email="contact@horizon.nl", phone="0201234567",
                             vat="NL001234567B01")
    account = ExactAccount("e1", "HORIZON B.V.", "1001", email="sembos@outlook.com", phone="", vat="NL009999999B01")
    diff = link_diff(False, [(customer, account)])
    assert diff.side == "local"
    (only,) = diff.accounts
    changes = {c.key: (c.old, c.new) for c in only.changes}
    assert changes["email"] == ("contact@horizon.nl", "sembos@outlook.com")
    assert "phone" not in changes  # an empty Exact field never wipes a filled local one
    assert "VAT number differs" in only.warning and diff.warnings == [only]


def test_equal_data_is_counted_not_listed():
    customer = LocalCustomer("l1", "Acme BV", "1", email="a@acme.nl")
    account = ExactAccount("e1", "ACME bv", "1", email="A@acme.nl")
    diff = link_diff(True, [(customer, account)])
    assert diff.accounts == () and diff.unchanged == 1


async def settle(pilot, n: int = 3) -> None:
    for _ in range(n):
        await pilot.pause()


async def test_confirm_before_l_shows_the_field_diff_at_80x24_and_v_lists_each_account(world):
    app, service, store, client = world
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a", "l")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one("#dialog-body").render())
        assert "What changes in Exact" in body and "E-mail" in body
        assert "'groente@klaassen.nl'" in body and "Groenteboer Klaassen" in body
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        labels = [str(app.screen.query_one("#pick-list").get_option_at_index(i).prompt)
                  for i in range(app.screen.query_one("#pick-list").option_count)]
        assert any("Groenteboer" in label and "groente@klaassen.nl" in label for label in labels)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # back to the question, nothing sent yet
        assert client.puts == []
        await pilot.press("n")
        await settle(pilot)
        assert client.puts == [] and store.links.all() == []


async def test_e_asks_first_when_the_vat_numbers_differ(world):
    app, service, store, client = world
    customer = service.customers["l6"]
    service.customers["l6"] = dataclasses.replace(customer, vat="NL111111111B01")
    row = service.rows["e6"]
    row.exact.vat = "NL222222222B01"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.link.table
        table.set_cursor(next(n for n, i in enumerate(table.view) if table.rows[i] is row))
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "VAT number differs" in str(app.screen.query_one("#dialog-body").render())
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert {link.exact_id for link in store.links.all()} == {"e6"}
