"""Text folded and cut into words: the first step of every name, address and town key.

"Müller GmbH & Co. KG", "MULLER GMBH & CO KG" and "Muller Gmbh & Co Kg" are one set of words once
folded (lower case, accents and scripts in Latin letters) and cut at punctuation, with the dots
of abbreviations joined ("b.v." -> "bv"). One value at a time (`word_list`) or a whole column at
once (`word_lines`), with the same words: the column form does the work of 100,000 values in a
few passes over one text.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .tables import TRANSLITERATION

# a list by code point, not a dict: `str.translate` looks a list up without a KeyError for every
# character it does not map (a third of the time); those past its end raise IndexError, kept too
_TRANSLATE = [TRANSLITERATION.get(chr(i), i) for i in range(max(map(ord, TRANSLITERATION)) + 1)]
# the dot first, its letter looked behind: the regex engine jumps from dot to dot instead of trying
# a look-behind at every character (a third of the time; the same matches)
_DOT_AFTER_LETTER = re.compile(r"[./](?<=\b\w[./])(?=\w\b|\s|$)")
_NON_WORD = re.compile(r"[\W_]+")
_NON_WORD_LINES = re.compile(r"(?:[^\w\n]|_)+")
# ASCII text (most of what people type, once folded) is cut into words with one `bytes.translate`
# (a fifth of the time of `str.translate`, a tenth of a regex pass); the regexes remain for the
# rest (CJK, Arabic ...), with the same result
_ASCII_NON_WORD = bytes(c if chr(c).isalnum() else 32 for c in range(256))
_ASCII_NON_WORD_LINES = bytes(c if chr(c).isalnum() or c == 10 else 32 for c in range(256))  # keeps "\n"


def fold(text: str) -> str:
    """Lower case, Cyrillic/Greek in Latin letters, accents gone; other scripts (CJK) kept as they are."""
    text = (text or "").strip().lower()
    if text.isascii():
        return text
    text = text.translate(_TRANSLATE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TRANSLATE)


def word_list(text: str) -> list[str]:
    """Folded text with abbreviation dots joined ("b.v." -> "bv", "a/s" -> "as"), cut into words at
    punctuation and spaces."""
    return word_text(text).split()


def word_text(text: str) -> str:
    """`word_list` as text, words apart by one or more spaces (for what searches it as text)."""
    text = fold(text)
    if "." in text or "/" in text:
        text = _DOT_AFTER_LETTER.sub("", text)
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_NON_WORD).decode("ascii")
    return _NON_WORD.sub(" ", text)


def joined_words(text: str) -> str:
    """`word_list` as one string, words separated by single spaces."""
    return " ".join(word_list(text))


def word_lines(values: list[str], then: Callable[[str], str] | None = None) -> list[str]:
    """Per value its `word_list` as one line (words apart by one or more spaces), `then` applied.

    A column is folded and cut as one text, its values joined by line breaks: one `lower`, one
    regex pass, one `translate` for the column instead of a dozen calls per value. ASCII values
    (nearly all) go apart from the others, which need the slower Unicode steps; a value that holds
    a line break itself (a cell of two lines) goes alone."""
    plain = [v for v in values if v.isascii() and "\n" not in v]
    if len(plain) == len(values):
        return _cut_lines(plain, _ascii_cut, then)
    ascii_lines = iter(_cut_lines(plain, _ascii_cut, then))
    other_lines = iter(_cut_lines([v for v in values if not v.isascii() and "\n" not in v], _cut, then))
    return [_one_line(v, then) if "\n" in v else next(ascii_lines) if v.isascii() else next(other_lines)
            for v in values]


def _cut_lines(values: list[str], cut: Callable[[str], str], then: Callable[[str], str] | None) -> list[str]:
    """`cut` (and `then`) of values without line breaks, joined by line breaks, which the regexes
    see as a value's ends (white space, end of text, word boundary)."""
    if not values:
        return []
    text = cut("\n".join(values))
    return (then(text) if then else text).split("\n")


def _one_line(value: str, then: Callable[[str], str] | None) -> str:
    return then(joined_words(value)) if then else joined_words(value)


def _ascii_cut(text: str) -> str:
    """`word_list` of ASCII text, words apart by spaces, line breaks kept."""
    text = text.lower()
    if "." in text or "/" in text:
        text = _DOT_AFTER_LETTER.sub("", text)
    return text.encode("ascii").translate(_ASCII_NON_WORD_LINES).decode("ascii")


def _cut(text: str) -> str:
    """`word_list` of any text, words apart by spaces, line breaks kept: `fold`'s steps on the
    whole text (each works character by character; a line break stops a combining sequence)."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLATE))
    marks = "".join(sorted(c for c in set(text) if unicodedata.combining(c)))
    text = (re.sub(f"[{re.escape(marks)}]", "", text) if marks else text).translate(_TRANSLATE)
    if "." in text or "/" in text:
        text = _DOT_AFTER_LETTER.sub("", text)
    return _NON_WORD_LINES.sub(" ", text)
