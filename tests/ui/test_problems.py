"""Exact's errors are explained from the error catalogue: what, cause, side, remedy (problems.py maps them all)."""
from __future__ import annotations

import pytest

from exact_tui.exact import errors as ex
from exact_tui.services.events import Side
from exact_tui.services.problems import explain
from exact_tui.ui.steps.base import ProblemBox


@pytest.mark.parametrize("text", ["Verplicht: Betalingsconditie", "Mandatory: Payment condition"])
def test_validation_text_in_either_language_gets_cause_remedy_and_row(text):
    problem = explain(ex.ValidationError(text, status=400, request_id="req-7"))
    assert problem.what == "No payment condition"
    assert "payment condition" in problem.cause and "default" in problem.cause
    assert "Settings → Financial" in problem.todo
    assert problem.side is Side.EXACT and problem.catalogue == (30,)
    assert text in problem.detail and "req-7" in problem.detail
    assert any(line.startswith("Cause: ") for line in problem.lines())


def test_validation_that_is_the_local_sides_fault_says_local():
    problem = explain(ex.ValidationError("Verplicht: Naam", status=400))
    assert problem.side is Side.LOCAL and "local side" in problem.todo


def test_forbidden_with_a_reason_header():
    problem = explain(ex.ForbiddenError("Exact refused access: Forbidden", reason="BlockedUser"))
    assert problem.what == "The Exact user is blocked" and problem.reconnect
    assert "BlockedUser" in problem.cause and problem.catalogue == (12,)


def test_forbidden_by_division_scoping_in_dutch():
    problem = explain(ex.ForbiddenError("Exact refused access: Administratie 301 is niet opgenomen in de rechten"))
    assert problem.what == "The app has no access to this division"
    assert "Manage administrations" in problem.todo and problem.catalogue == (14, 15)


def test_plain_forbidden_explains_rights():
    problem = explain(ex.ForbiddenError("Exact refused access: Forbidden"))
    assert "insufficient rights" in problem.what and "integration user" in problem.todo


@pytest.mark.parametrize(("reason", "row"), [("The user is not active", 5), ("Old refresh token used.", 7),
                                             ("The refresh token expired at 2026-01-01", 6)])
def test_oauth_refusals_name_their_cause(reason, row):
    problem = explain(ex.ReconnectRequired(reason))
    assert problem.reconnect and problem.catalogue == (row,) and problem.cause
    assert reason in problem.detail


def test_rate_limit_and_not_found_carry_catalogue_causes():
    limited = explain(ex.RateLimited("429", scope="minute", reset_at=None))
    assert limited.retry_later and "60 calls a minute" in limited.cause
    missing = explain(ex.NotFound("not found", status=404))
    assert missing.catalogue == (48,) and "deleted or merged" in missing.cause


async def test_problem_box_shows_the_cause_and_the_catalogue_row():
    from textual.app import App

    class Box(App):
        def compose(self):
            yield ProblemBox()

    app = Box()
    async with app.run_test() as pilot:
        box = app.query_one(ProblemBox)
        box.show_problem(explain(ex.ValidationError("Verplicht: Betalingsconditie", status=400)))
        await pilot.pause()
        text = str(box.content)
        assert "Cause: The invoice has no payment condition" in text
        assert "Side: Exact Online" in text and "#30" in text
