"""What a headless command prints is data, never terminal commands: one guard on stdout and stderr.

Record ids, customer names, item descriptions and Exact's messages reach every printer of every
command (import's `invalid:` lines, `transfers`, `reconcile`, `run`, `sync`, error messages that
quote a file). Rather than trusting each `print` to remember `printable`, the command's streams are
wrapped while it runs: text output goes through `printable(…, multiline=True)` (newlines and tabs
kept, everything else a terminal could obey shown as an escape), `--json` output through
`printable_json` (the same characters as `\\uXXXX`: identical data for any JSON reader).

Not wrapped: the console itself, `demo` and `serve` (Textual draws the screen; their texts go
through the UI's own rule), and `export … -` into a pipe, whose stdout is the exported file itself.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..domain.text import printable, printable_json

SCREEN_COMMANDS = {None, "demo", "serve"}  # Textual owns the terminal
DATA_ON_STDOUT = {"export"}  # `export KIND -`: stdout is the file's bytes


def _text(value: str) -> str:
    return printable(value, multiline=True)


class PrintableStream:
    """A text stream that escapes what it is given, then writes it to the wrapped one."""

    def __init__(self, stream: TextIO, escape: Callable[[str], str]) -> None:
        self._stream = stream
        self._escape = escape

    def write(self, text: str) -> int:
        self._stream.write(self._escape(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding … of the real stream
        return getattr(self._stream, name)


@contextlib.contextmanager
def printable_output(args: argparse.Namespace) -> Iterator[None]:
    """While a command runs, its stdout and stderr show data as data (see the module's docstring)."""
    command = getattr(args, "command", None)
    if command in SCREEN_COMMANDS:
        yield
        return
    out, err = sys.stdout, sys.stderr
    wrap_out = not (command in DATA_ON_STDOUT and not out.isatty())
    try:
        if wrap_out:
            sys.stdout = PrintableStream(out, printable_json if getattr(args, "json", False) else _text)  # type: ignore[assignment]
        sys.stderr = PrintableStream(err, _text)  # type: ignore[assignment]
        yield
    finally:
        sys.stdout, sys.stderr = out, err
