"""Text that came from a file or from Exact, made safe to show and safe to put in a spreadsheet.

Two rules, one implementation each, used by every printer, renderer and CSV writer:

- `printable(text)`: a record id, a customer name or an Exact message is data, never terminal
  commands. A terminal obeys ESC sequences wherever they appear (CSI screen clears, OSC title
  changes, OSC 52 clipboard writes that travel back over SSH), and Textual passes them through to
  the screen, so control characters are shown as visible escapes (`\\x1b`) instead. So are C1 controls
  (U+0080-U+009F, which some terminals treat as ESC + letter), the Unicode bidi overrides that
  make a line read differently from what it holds, and line separators. Newlines and tabs are
  escaped too unless `multiline=True`, so one record cannot forge a second line of a report.

- `csv_guard(text)` / `csv_unguard(text)`: a cell a spreadsheet would run as a formula (starting
  with `=`, `+`, `-`, `@`, tab or CR; OWASP's list) gets a leading `'`; a plain number such as
  `-12.5` or `+31` is left as it is. A value that itself starts with `'` gets one more `'`, so the
  guard is reversible: `csv_unguard(csv_guard(x)) == x` for every text, and a user's own leading
  `'` survives an export and re-import.
"""
from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")

# C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, zero-width joiners are kept
# (emoji and Indic scripts need them). Line/paragraph separators move the cursor in some terminals.
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_UNSAFE_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, multiline: bool = False) -> str:
    """`value` as text a terminal shows literally: control characters become visible escapes.

    Cheap for clean text (one regex search), so it can sit in every row a table renders.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def printable_json(text: str) -> str:
    """A JSON text (json.dumps' output) with what `printable(multiline=True)` escapes written as
    `\\uXXXX`: the same data for any JSON reader (json.dumps leaves DEL, C1 controls and bidi marks
    raw), and nothing a terminal obeys when a person reads `--json` output."""
    if _UNSAFE_MULTILINE.search(text) is None:
        return text
    return _UNSAFE_MULTILINE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_control_characters(text: str) -> bool:
    """True when `text` holds characters `printable` would escape (tab, CR and LF excepted)."""
    return _UNSAFE_MULTILINE.search(text.replace("\t", " ")) is not None


def csv_guard(value: object) -> str:
    """A CSV cell a spreadsheet will show as text, never run: see the module's docstring."""
    text = "" if value is None else str(value)
    if text.startswith("'") or (text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)):
        return "'" + text
    return text


def csv_unguard(text: str) -> str:
    """Undo `csv_guard` on the way back in: one leading `'` before a formula start or another `'`."""
    if len(text) > 1 and text[0] == "'" and (text[1] == "'" or text[1] in "=+-@\t\r"):
        return text[1:]
    return text


__all__ = ["csv_guard", "csv_unguard", "has_control_characters", "printable", "printable_json"]
