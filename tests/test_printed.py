"""#15 item 2 for the headless commands: whatever a command prints, Exact's and the files' words arrive
as data. The guard sits on stdout/stderr while any command runs (`cli/_output.py`), so a printer that
forgets `printable` still cannot send an ESC sequence, a C1 control or a bidi override to the terminal,
and `--json` stays valid JSON with the same data."""
from __future__ import annotations

import argparse
import json
import sys

import pytest

from exact_tui.cli import main
from exact_tui.cli._output import printable_output

EVIL = "Bakker\x1b]0;pwned\x07\x1b[2J\u202e\x9b31m\x7f B.V."
UNSAFE = ("\x1b", "\x07", "\u202e", "\x9b", "\x7f")


def _clean(text: str) -> bool:
    return not any(ch in text for ch in UNSAFE)


@pytest.mark.parametrize("command", ["transfers", "reconcile", "sync", "run", "import", "link", "diagnose"])
def test_any_print_of_a_command_is_escaped(command, capsys):
    with printable_output(argparse.Namespace(command=command, json=False)):
        print(f"  2026-0001  {EVIL}: Exact said {EVIL}\n  next line\ttabbed")
        print(f"warning: {EVIL}", file=sys.stderr)
    out, err = capsys.readouterr()
    assert _clean(out) and _clean(err)
    assert "Bakker\\x1b]0;pwned\\x07\\x1b[2J\\u202e\\x9b31m\\x7f B.V." in out
    assert "\n  next line\ttabbed" in out  # line breaks and tabs of the report itself stay
    assert sys.stdout is not None and not hasattr(sys.stdout, "_escape")  # the streams are given back


def test_json_output_stays_the_same_data_and_prints_nothing_a_terminal_obeys(capsys):
    with printable_output(argparse.Namespace(command="transfers", json=True)):
        print(json.dumps([{"customer": EVIL, "message": "Ongeldig:\u2028" + EVIL}], ensure_ascii=False))
    out = capsys.readouterr().out
    assert _clean(out) and "\u2028" not in out
    assert json.loads(out) == [{"customer": EVIL, "message": "Ongeldig:\u2028" + EVIL}]


def test_diagnose_prints_exacts_words_escaped_in_text_and_json(capsys):
    message = f"Error 500: Verplicht: Betalingsconditie {EVIL}"
    assert main(["diagnose", message]) == 0
    out, err = capsys.readouterr()
    assert _clean(out) and _clean(err) and "Betalingsconditie" in out
    assert main(["diagnose", "--json", message]) == 0
    out = capsys.readouterr().out
    assert _clean(out)
    assert "\\u202e\\x9b31m\\x7f B.V." in repr(json.loads(out))  # the data itself is intact, escaped only in print


def test_export_into_a_pipe_is_the_file_itself(tmp_path, capsys):
    """`export KIND -` into a pipe writes the exported file unchanged (the guard leaves data alone)."""
    with printable_output(argparse.Namespace(command="export", json=False)):
        sys.stdout.write("id,name\nL1," + "Bakker \u00e9\n")
    assert capsys.readouterr().out == "id,name\nL1,Bakker \u00e9\n"
