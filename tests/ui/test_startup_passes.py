"""What `ui/startup.py` leaves out of the console's start-up is work done twice, never a result: the
first screen is styled once (not again when it resumes), the style sheets parse once, and what the
console then shows and how a theme change restyles it are as Textual makes them."""
from __future__ import annotations

import pytest
from textual import events
from textual.color import Color
from textual.css import parse as css_parse
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from exact_tui.ui.app import ExactApp
from exact_tui.ui.startup import ConsoleScreen, ConsoleStylesheet

from .conftest import wait_for


def _rules(sheet: Stylesheet) -> list[tuple]:
    """Each rule: where it applies, what it sets, how it ranks."""
    return [(repr(rule.selector_set), repr(sorted(rule.styles.get_rules().items())), rule.is_default_rules,
             rule.tie_breaker) for rule in sheet.rules]


def _textual_rules(sheet: Stylesheet) -> list[tuple]:
    """The rules Textual's own style sheet makes of the same sources with the same variables."""
    fresh = Stylesheet(variables=sheet._variables)
    for read_from, (css, is_defaults, tie_breaker, scope) in sheet.source.items():
        fresh.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope)
    fresh.parse()
    return _rules(fresh)


def _background(widget) -> str:
    return widget.styles.background.hex


async def test_the_first_screen_is_styled_once_and_a_later_resume_as_textual_does_it(session, tmp_path, monkeypatch):
    passes: list[int] = []  # widgets restyled by each pass over a whole screen (from the screen down)
    update_nodes = Stylesheet.update_nodes

    def counted(self, nodes, animate=False):
        nodes = list(nodes)
        if nodes and isinstance(nodes[0], Screen):
            passes.append(len(nodes))
        return update_nodes(self, nodes, animate=animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = app.screen_stack[0]
        assert isinstance(first, ConsoleScreen)
        assert max(passes, default=0) <= 1  # the screen alone (a size class set in compose), never its widgets
        passes.clear()
        await app.push_screen(Screen())
        await pilot.pause()
        app.pop_screen()
        await wait_for(pilot, lambda: app.screen is first, what="back on the console")
        first.post_message(events.ScreenResume())  # a later resume that asks for it (Textual's default)
        await pilot.pause()
        assert max(passes) >= len(list(first.walk_children(with_self=True)))  # restyles every widget


async def test_the_console_looks_as_textual_styles_it_and_follows_a_theme_change(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sheet = app.stylesheet
        assert isinstance(sheet, ConsoleStylesheet)
        assert _rules(sheet) == _textual_rules(sheet)
        rail = app.query_one("StepRail")
        before = _background(rail)
        app.theme = "exact-light" if app.theme != "exact-light" else "exact-dark"
        await pilot.pause()
        await pilot.pause()
        assert _rules(sheet) == _textual_rules(sheet)  # the new theme's variables, every source
        assert _background(rail) != before  # and the widgets restyled with them


def test_each_source_is_parsed_once_across_a_reparse(monkeypatch):
    parsed: list[str] = []
    parse = css_parse.parse

    def counted(scope, css, read_from, *args, **kw):
        parsed.append(str(read_from))
        return parse(scope, css, read_from, *args, **kw)

    monkeypatch.setattr("textual.css.stylesheet.parse", counted)
    sheet = ConsoleStylesheet(variables={"accent": "red"})
    sheet.add_source("Static { color: $accent; }", read_from=("a.tcss", ""))
    sheet.parse()
    sheet.set_variables({"accent": "blue"})  # what a theme change does before it re-parses
    sheet.reparse()
    sheet.add_source("Label { color: $accent; }", read_from=("b.tcss", ""))
    sheet.parse()  # the next widget class's default CSS: only it is new
    assert parsed == ["('a.tcss', '')", "('a.tcss', '')", "('b.tcss', '')"]
    assert [str(rule.styles.color) for rule in sheet.rules] == [str(Color.parse("blue"))] * 2


def test_a_bad_source_fails_and_keeps_the_rules_there_were_as_textual_does():
    outcomes = []
    for kind in (Stylesheet, ConsoleStylesheet):
        sheet = kind(variables={})
        sheet.add_source("Static { color: red; }", read_from=("a.tcss", ""))
        sheet.parse()
        kept = _rules(sheet)
        sheet.add_source("Static { color: ; nonsense }", read_from=("b.tcss", ""))
        with pytest.raises(Exception) as failed:
            sheet.reparse()
        assert _rules(sheet) == kept
        outcomes.append((type(failed.value), kept))
    assert outcomes[0] == outcomes[1]
