"""The screen opened on a live connection: pulls the accounts over sync/, matches, links against the sandbox."""
from __future__ import annotations

from exact_tui.sandbox.testing import running_sandbox
from exact_tui.services.session import ConsoleSession
from exact_tui.store import ProfileStore

from .app import LinkApp
from .test_sandbox_bulk import connect
from .world import DIV, gid, local_customers, seed


async def test_open_pull_match_and_link_local(tmp_path):
    with running_sandbox(seed_data=seed(40), time_scale=600.0) as server:
        store = ProfileStore.open(tmp_path / "profile")
        store.customers.put_many(local_customers(40))
        session = ConsoleSession("t", tmp_path / "profile", store)
        async with await connect(server, tmp_path) as client:
            session.client = client
            app = LinkApp(session)
            async with app.run_test(size=(120, 34)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                screen = app.link
                service = screen.service
                assert len(service.cache.accounts) == 40 and store.exact_accounts.timestamp
                assert service.counts()["one"] >= 35
                row = service.rows[gid(100_001)]  # local e-mail differs: one PUT
                screen.table.set_cursor(screen.table.view.index(screen.table.rows.index(row)))
                await pilot.press("l")
                await pilot.pause()
                body = str(app.screen.query_one("#dialog-body").render())
                assert "1 Exact account change" in body and "1 API call" in body and "today" in body
                await pilot.press("y")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert store.links.get("L00001").exact_id == gid(100_001)
                account = server.world.table(DIV, "crm/Accounts").get(gid(100_001))
                assert account["Email"] == "facturen@klant1.nl"
                await pilot.press("r")  # re-match after new data: the link stays
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert gid(100_001) not in service.rows and service.linked_count == 1
                assert service.link_problems == {}
                # someone deletes the linked account in Exact, and another account's code changes
                server.world.delete(DIV, "crm/Accounts", gid(100_001), deleted_by="someone")
                await pilot.press("r")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert gid(100_001) not in service.cache.accounts
                assert gid(100_001) not in {row["id"] for row in store.exact_accounts.all()}
                assert store.exact_accounts.deleted_timestamp
                problem = service.link_problems["L00001"]
                assert "linked Exact account deleted in Exact" in problem.text
                assert store.links.get("L00001") is not None  # kept until the user acts
                assert "1 linked account needs you (P)" in str(screen.query_one("#link-title").render())
                assert any("linked Exact account deleted" in e.message for e in store.log.tail(50))
        store.close()
