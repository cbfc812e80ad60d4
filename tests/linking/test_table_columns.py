"""The Link table's columns (texts, scores, sort keys computed for many rows at once) give the same
views as the row-by-row rules, and what is kept per row set is dropped when rows may have changed."""
from __future__ import annotations

import random

from textual.app import App, ComposeResult
from textual.widgets import Tab as TabWidget, Tabs
from textual.widgets._tabs import Underline

from exact_tui.domain.customer import LocalCustomer
from exact_tui.matching import Candidate
from exact_tui.services.events import EventBus
from exact_tui.services.linking import ExactAccount, LinkingService, Row, Tab
from exact_tui.services.linking.filters import (field_text, field_texts, parse_filter, row_candidates,
                                                row_customers, row_scores)
from exact_tui.ui.linking.detail import DetailPanel
from exact_tui.ui.linking.table import PairsTable


NAMES = ("Bakkerij", "Jansen", "de Vries", "Straße", "ÉCOLE", "Visser", "bakker", "Smit", "Ünal")
CITIES = ("Amsterdam", "Utrecht", "utrecht", "Leiden", "")
CODES = ("7", "007", "10", "0", "1001", "99", "A1", "a1", "x-3", "")


def _service(n: int = 120, seed: int = 3, *, numeric_codes: bool = False) -> LinkingService:
    """Rows with the cases a column must get right: equal names and scores (ties), no candidate, a
    candidate whose customer is gone, a choice past the last candidate, codes numeric and not."""
    rnd = random.Random(seed)
    service = LinkingService(None, EventBus(), None)
    for i in range(n):
        code = str(rnd.randint(0, 120)) if numeric_codes else rnd.choice(CODES) + (str(i) if i % 3 else "")
        exact = ExactAccount(f"e{i}", f"{rnd.choice(NAMES)} {rnd.choice(NAMES)}", code, "", rnd.choice(("1234AB", "1234 ab", "")),
                             rnd.choice(CITIES), "NL", vat=rnd.choice(("", "NL001B01", "nl001b01")), status="C")
        candidates = []
        for k in range(rnd.randint(0, 3)):
            local_id = f"l{i}-{k}"
            if rnd.random() < 0.9:  # else: a candidate whose customer is not (any longer) there
                service.customers[local_id] = LocalCustomer(local_id, rnd.choice(NAMES), rnd.choice(CODES),
                                                            postcode=rnd.choice(("1234 AB", "9999XX")),
                                                            city=rnd.choice(CITIES))
            candidates.append(Candidate(exact.id, local_id, rnd.choice((55.0, 80.0, 80.0, 91.5, 100.0)), {}, ()))
        row = Row(exact, Tab.ONE if i % 4 else Tab.MORE, candidates, choice=rnd.choice((0, 0, 1, 5)))
        if i % 11 == 0:
            row.problem = rnd.choice(("refused", "blocked"))
        elif i % 7 == 0:
            row.result = rnd.choice(("linked", "imported"))
        service.add(row)
    return service


def test_columns_equal_the_row_by_row_rules():
    service = _service()
    rows = list(service.rows.values())
    candidates = row_candidates(rows)
    assert candidates[:] and all((c if r.candidates else None) is r.candidate or not r.candidates
                                 for r, c in zip(rows, candidates))
    assert row_scores(candidates) == [r.score for r in rows]
    customers = row_customers(candidates, service.customer)
    assert customers == [service.customer(r.local_id) for r in rows]
    for name in ("all", "name", "code", "city", "postcode", "local"):
        assert field_texts(rows, customers, name) == [field_text(r, c, name) for r, c in zip(rows, customers)], name


def test_a_field_that_is_not_text_falls_back_to_one_row_at_a_time():
    rows = list(_service(10).rows.values())
    odd = LocalCustomer("odd", "Odd", 42)  # type: ignore[arg-type]  # a hand-made record: number is an int
    customers = [odd] * len(rows)
    assert field_texts(rows, customers, "code") == [field_text(r, odd, "code") for r in rows]


class TableApp(App[None]):
    def __init__(self, service: LinkingService) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        yield PairsTable(local=self.service.customer)


def _old_code_key(code: str):
    """The code sort key as it was before it became one string (numbers by value, then the rest)."""
    return (0, int(code), "") if code.isdigit() else (1, 0, code.casefold())


def _reference(table: PairsTable, key: str, reverse: bool, view: list[int]) -> list[int]:
    rule = (lambda r: _old_code_key(r.exact.code)) if key == "code" else table._sort_function(key)
    return sorted(view, key=lambda i: rule(table.rows[i]), reverse=reverse)


async def test_every_sort_gives_the_row_by_row_order_both_ways_with_and_without_a_filter():
    for numeric in (False, True):
        service = _service(numeric_codes=numeric)
        app = TableApp(service)
        async with app.run_test(size=(140, 30)) as pilot:
            table = app.query_one(PairsTable)
            table.set_rows(service.tab_rows("one"))
            await pilot.pause()
            everything = list(range(len(table.rows)))
            for text in ("", "bakker", ">=80", "city:utrecht"):
                table.set_filter(text)
                shown = sorted(table.view)
                for key in [c.key for c in table.COLUMNS]:
                    for reverse in (False, True, False):  # the second ascending comes from the kept orders
                        table.sort_by(key, reverse)
                        assert table.view == _reference(table, key, reverse, shown), (numeric, text, key, reverse)
                assert sorted(table.view) == shown
            table.set_filter("")
            assert sorted(table.view) == everything


async def test_filter_words_on_columns_show_what_the_row_tests_show():
    service = _service()
    app = TableApp(service)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one(PairsTable)
        table.set_rows(service.tab_rows("one"))
        await pilot.pause()
        for text in ("bakker", "BAKKER utrecht", "straße", "ss", ">=80", "<80", "=92", "80..95", "95..80",
                     "code:10", "code:a1", "city:utrecht", "postcode:1234ab", "postcode:ab12", "local:vries",
                     "name:jansen >90", "nothing-like-this"):
            tests = parse_filter(text)
            expected = [i for i, r in enumerate(table.rows) if all(t(r, table) for t in tests)]
            table.set_filter(text)
            assert sorted(table.view) == expected, text


async def test_a_tab_switch_reuses_what_was_computed_and_a_change_in_place_does_not():
    service = _service()
    app = TableApp(service)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one(PairsTable)
        table.set_rows(service.tab_rows("one"), reuse=True)
        await pilot.pause()
        first = table._set
        table.set_filter("bakker")
        table.set_rows(service.tab_rows("more"), reuse=True)
        table.set_rows(service.tab_rows("one"), reuse=True)
        assert table._set is first and "text:all" in first.columns  # back on the tab: nothing computed again
        # another candidate, shown through refresh_rows: the texts are computed again from the new one
        row = next(r for r in table.rows if len(r.candidates) > 1 and service.customer(r.candidates[1].local_id))
        row.choice = 1 if row.choice != 1 else 0
        table.refresh_rows()
        assert not first.columns
        name = service.customer(row.local_id).name.casefold()
        table.set_filter("local:" + name.split()[0])
        assert row in table.visible_rows
        # rows given anew (after an action or undo) are never taken for the ones kept
        table.set_rows(service.tab_rows("one"))
        assert table._set is not first and table._sets == [table._set]


async def test_the_height_follows_the_rows_and_the_scrollbar_comes_and_goes():
    service = _service(200)
    app = TableApp(service)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one(PairsTable)
        table.set_rows(service.tab_rows("one")[:3])
        await pilot.pause()
        assert table.virtual_size.height == 4 and not table.show_vertical_scrollbar
        table.set_rows(service.tab_rows("one"))
        await pilot.pause()
        assert table.virtual_size.height == len(table.rows) + 1 and table.show_vertical_scrollbar
        table.focus()
        await pilot.press("end")
        assert table.cursor == len(table.rows) - 1 and table.scroll_offset.y == table.max_scroll_y > 0
        table.set_filter("zzz-no-such-row")
        await pilot.pause()
        assert table.virtual_size.height == 1 and not table.show_vertical_scrollbar and table.scroll_offset.y == 0


async def test_the_screen_opens_with_the_first_row_in_the_detail_panel_and_the_counts_below(world):
    app, *_ = world
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        screen = app.link
        assert screen.query_one(DetailPanel).row is screen.table.current_row is not None
        assert str(screen.query_one("#link-selection").render()).startswith("0 selected · 3 shown")


async def test_the_detail_panel_shows_the_row_before_the_frame_is_drawn(world):
    app, service, *_ = world
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        screen = app.link
        table = screen.table
        table.set_cursor(2)  # no await: no message handled, no frame drawn since
        assert screen.query_one(DetailPanel).row is table.current_row is not None


async def test_the_tab_underline_moves_without_an_animation(world):
    app, *_ = world
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        app.link.action_tab("more")  # not pilot.press: that waits until animations are done
        await pilot.pause(0.1)  # Tabs starts its 0.3 s slide 20 ms after the change
        tabs = app.link.query_one(Tabs)
        underline = tabs.query_one("Underline")
        assert not app.animator.is_being_animated(underline, "highlight_start")
        assert not app.animator.is_being_animated(underline, "highlight_end")


def _under(tabs: Tabs, tab_id: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(where the underline is, where it belongs: under `tab_id`'s label)."""
    underline = tabs.query_one(Underline)
    tab = tabs.query_one(f"#{tab_id}", TabWidget)
    return (underline.highlight_start, underline.highlight_end), tab.virtual_region.shrink(tab.styles.gutter).column_span


async def test_a_tab_switch_places_the_underline_before_the_next_frame(world):
    """Textual moves the underline after the next refresh (`call_after_refresh`): every tab switch drew
    the screen twice, the second frame for the underline alone."""
    app, *_ = world
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        tabs = app.link.query_one(Tabs)
        for tab in ("more", "ignored", "one"):
            app.link.action_tab(tab)  # no await: no refresh since
            placed, wanted = _under(tabs, tab)
            assert placed == wanted and wanted[1] > wanted[0]


async def test_the_underline_follows_a_label_that_changed_width(world):
    app, *_ = world
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        tabs = app.link.query_one(Tabs)
        tabs.query_one("#one", TabWidget).label = "One match (1,234,567)"  # wider: the tabs after it move
        await pilot.pause()
        app.link.action_tab("more")
        await pilot.pause()
        placed, wanted = _under(tabs, "more")
        assert placed == wanted
        tabs.query_one("#more", TabWidget).label = "More (2)"  # the active tab's own label narrows
        await pilot.pause()
        placed, wanted = _under(tabs, "more")
        assert placed == wanted and wanted[1] - wanted[0] == len("More (2)")


async def test_a_move_within_the_page_draws_only_the_two_lines_that_changed():
    service = _service(200)
    app = TableApp(service)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one(PairsTable)
        table.set_rows(service.tab_rows("one"))
        table.focus()
        await pilot.pause()
        await pilot.press("down", "down")
        drawn: list[int] = []
        draw = table.render_line

        def counted(y: int):
            drawn.append(y)
            return draw(y)

        table.render_line = counted  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause()
        assert sorted(set(drawn)) == [3, 4]  # line 0 is the header: rows 2 and 3 of the page
        drawn.clear()
        await pilot.press("pagedown")
        await pilot.pause()
        assert len(set(drawn)) > 2  # a new page is drawn whole


async def test_the_selection_line_is_read_whole_at_80_columns_with_a_sort(world):
    """'… shown · sorted by exact ↓' was cut after 'exact' at 80 columns: the direction was unreadable."""
    app, *_ = world
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.link
        screen.table.focus()
        await pilot.press("s", "s", "S")
        await pilot.pause()
        line = screen.query_one("#link-selection")
        text = str(line.render())
        assert text.endswith(" · sort: exact ↓")
        assert line.content_region.width >= len(text)
