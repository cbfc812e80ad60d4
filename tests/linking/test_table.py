"""PairsTable pieces that need no app: filter words, score bars, narrowing while typing."""
from __future__ import annotations

from exact_tui.services.linking.filters import free_text as _free_text
from exact_tui.services.linking.filters import field_text, parse_filter
from exact_tui.ui.linking.table import score_bar

from .helpers import open_store, service


class _Host:
    """What the filter tests read rows through, as the table does (field texts over the service's customers)."""

    def __init__(self, svc):
        self.svc = svc
        self.field_text = lambda row, name: field_text(row, svc.customer(row.local_id), name)
        self.haystack = lambda row: self.field_text(row, "all")


def _ids(svc, text):
    host = _Host(svc)
    tests = parse_filter(text)
    return sorted(r.id for r in svc.rows.values() if all(t(r, host) for t in tests))


def test_filter_words(tmp_path):
    store = open_store(tmp_path)
    svc = service(store)
    assert _ids(svc, "") == sorted(svc.rows)
    assert _ids(svc, "utrecht") == ["e2"]
    assert _ids(svc, "PIETERSEN leiden") == ["e3", "e4"]
    assert _ids(svc, ">=95") == ["e1", "e2", "e6"]
    assert _ids(svc, "<50") == ["e5"]  # no candidate: score 0
    assert _ids(svc, "80..90") == ["e3"]
    assert _ids(svc, "code:1004") == ["e4"]
    assert _ids(svc, "local:c-77") == ["e2"]
    assert _ids(svc, "postcode:1234ab") == ["e1"]
    assert _ids(svc, "city:london >=0") == ["e5"]
    store.close()


def test_only_plain_words_narrow_while_typing():
    assert _free_text("bakker de")
    assert not _free_text("bakker >=80") and not _free_text("city:utrecht") and not _free_text("80..90")


def test_score_bar_in_eighths():
    assert score_bar(100) == "█████" and score_bar(0) == "     "
    assert score_bar(50) == "██▌  " and len(score_bar(87.4)) == 5
