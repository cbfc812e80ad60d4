"""The OData v3 subset Exact's REST API speaks: `$filter`, `$orderby`, `$select`, literals, dates.

`$filter` has a real tokenizer and a recursive-descent parser; the tree is compiled once into plain
Python closures so a filter over 50,000 rows costs one function call per row. Errors raise
`QueryError` with the position, which the REST layer turns into a 400 like Exact's.

Why over 400 lines: tokenizer, parser and compiler of one grammar, which change together.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .values import parse_datetime, parse_guid  # literals in $filter (values.py: dates, GUIDs, bodies)

Row = dict[str, Any]
Getter = Callable[[Row], Any]


class QueryError(ValueError):
    """A malformed query option; the message names the option and the position."""


# ---------------------------------------------------------------- $filter tokenizer

@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # name, string, number, guid, datetime, op, lparen, rparen, comma, end
    value: Any
    pos: int


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<guid>guid'(?P<guidv>[^']*)')
  | (?P<datetime>datetime(?:offset)?'(?P<dtv>[^']*)')
  | (?P<string>'(?P<strv>(?:[^']|'')*)')
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[LlMmDdFf]?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_/]*)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
    """,
    re.VERBOSE,
)
COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
KEYWORDS = COMPARISONS | {"and", "or", "not", "true", "false", "null"}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos] == "'":
                raise QueryError(f"$filter: unterminated string starting at position {pos}")
            raise QueryError(f"$filter: unexpected character {text[pos]!r} at position {pos}")
        start = pos
        pos = m.end()
        if m.group("ws"):
            continue
        if m.group("guid"):
            try:
                tokens.append(Token("literal", GuidLiteral(parse_guid(m.group("guidv"))), start))
            except ValueError:
                raise QueryError(f"$filter: invalid guid literal {m.group('guid')} at position {start}") from None
        elif m.group("datetime"):
            try:
                tokens.append(Token("literal", parse_datetime(m.group("dtv")), start))
            except ValueError:
                raise QueryError(f"$filter: invalid datetime literal {m.group('datetime')} at position {start}") from None
        elif m.group("string") is not None:
            tokens.append(Token("literal", m.group("strv").replace("''", "'"), start))
        elif m.group("number"):
            raw = m.group("number").rstrip("LlMmDdFf")
            try:
                tokens.append(Token("literal", Decimal(raw) if any(c in raw for c in ".eE") else int(raw), start))
            except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
                raise QueryError(f"$filter: invalid number at position {start}") from None
        elif m.group("name"):
            word = m.group("name")
            lower = word.lower()
            if lower in ("true", "false"):
                tokens.append(Token("literal", lower == "true", start))
            elif lower == "null":
                tokens.append(Token("literal", None, start))
            elif lower in KEYWORDS:
                tokens.append(Token("op", lower, start))
            else:
                tokens.append(Token("name", word, start))
        else:
            kind = "lparen" if m.group("lparen") else "rparen" if m.group("rparen") else "comma"
            tokens.append(Token(kind, m.group(0), start))
    tokens.append(Token("end", None, len(text)))
    return tokens


@dataclass(frozen=True, slots=True)
class GuidLiteral:
    value: str


# ---------------------------------------------------------------- $filter parser (AST as tuples)

MAX_DEPTH = 64  # nesting of parentheses, `not`s and function calls a $filter may have


class _Parser:
    """expr := or; or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | cmp;
    cmp := operand (op operand)?; operand := '(' expr ')' | func '(' args ')' | literal | field.

    Nesting is capped at MAX_DEPTH, so a hostile filter (200 parentheses, 1,400 `not`s) is a clear
    400 and not a RecursionError deep in the parser or in the compiled closures."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def deeper(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"$filter: nested more than {MAX_DEPTH} levels deep at position {tok.pos}")

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, what: str) -> Token:
        tok = self.take()
        if tok.kind != kind:
            raise QueryError(f"$filter: expected {what} at position {tok.pos}, found {_describe(tok)}")
        return tok

    def parse(self) -> tuple:
        if self.peek().kind == "end":
            raise QueryError("$filter: empty expression")
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise QueryError(f"$filter: unexpected {_describe(tok)} at position {tok.pos}")
        return node

    def or_(self) -> tuple:
        parts = [self.and_()]  # one n-ary node, so 3,000 `or`s are not 3,000 levels of recursion
        while self.peek().kind == "op" and self.peek().value == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ("or", *parts)

    def and_(self) -> tuple:
        parts = [self.unary()]
        while self.peek().kind == "op" and self.peek().value == "and":
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("and", *parts)

    def unary(self) -> tuple:
        tok = self.peek()
        if tok.kind == "op" and tok.value == "not":
            self.take()
            self.deeper(tok)
            node = ("not", self.unary())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> tuple:
        left = self.operand()
        tok = self.peek()
        if tok.kind == "op" and tok.value in COMPARISONS:
            self.take()
            right = self.operand()
            return ("cmp", tok.value, left, right)
        return left

    def operand(self) -> tuple:
        tok = self.take()
        if tok.kind == "lparen":
            self.deeper(tok)
            node = self.or_()
            self.expect("rparen", "')'")
            self.depth -= 1
            return node
        if tok.kind == "literal":
            return ("lit", tok.value)
        if tok.kind == "name":
            if self.peek().kind == "lparen":
                return self.function(tok)
            return ("field", tok.value)
        raise QueryError(f"$filter: expected a field, value or '(' at position {tok.pos}, found {_describe(tok)}")

    def function(self, name: Token) -> tuple:
        func = name.value.lower()
        if func not in FUNCTIONS:
            raise QueryError(f"$filter: unknown function {name.value!r} at position {name.pos}")
        self.deeper(self.take())  # (
        args = []
        if self.peek().kind != "rparen":
            args.append(self.or_())
            while self.peek().kind == "comma":
                self.take()
                args.append(self.or_())
        self.expect("rparen", "')'")
        self.depth -= 1
        if len(args) != FUNCTIONS[func]:
            raise QueryError(f"$filter: {func} takes {FUNCTIONS[func]} argument(s), got {len(args)} (position {name.pos})")
        return ("call", func, *args)


FUNCTIONS = {"substringof": 2, "startswith": 2, "endswith": 2, "tolower": 1, "toupper": 1, "trim": 1, "length": 1}


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "end of expression"
    if tok.kind == "literal":
        return f"value {tok.value!r}"
    return repr(tok.value)


def parse_filter(text: str) -> tuple:
    return _Parser(text).parse()


def filter_fields(node: tuple) -> set[str]:
    """Every field a filter refers to (for mandatory-filtering checks)."""
    if node[0] == "field":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            found |= filter_fields(part)
    return found


# ---------------------------------------------------------------- compile to closures

def compile_filter(node: tuple, fields: set[str], guid_fields: frozenset[str] = frozenset()) -> Callable[[Row], bool]:
    """A predicate over rows. Unknown fields and GUID/string mix-ups raise QueryError up front."""
    return _Compiler(fields, guid_fields).boolean(node)


class _Compiler:
    def __init__(self, fields: set[str], guid_fields: frozenset[str]) -> None:
        self.fields = fields
        self.guid_fields = guid_fields

    def boolean(self, node: tuple) -> Callable[[Row], bool]:
        kind = node[0]
        if kind == "and":
            parts = [self.boolean(part) for part in node[1:]]
            return lambda r: all(p(r) for p in parts)
        if kind == "or":
            parts = [self.boolean(part) for part in node[1:]]
            return lambda r: any(p(r) for p in parts)
        if kind == "not":
            a = self.boolean(node[1])
            return lambda r: not a(r)
        if kind == "cmp":
            return self.comparison(node)
        if kind == "call" and node[1] in ("substringof", "startswith", "endswith"):
            return self.value(node)
        if kind == "field":
            get = self.value(node)
            return lambda r: get(r) is True
        raise QueryError("$filter: the expression does not yield true/false")

    def comparison(self, node: tuple) -> Callable[[Row], bool]:
        _, op, left, right = node
        self._check_guid(left, right)
        self._check_guid(right, left)
        a, b = self.value(left), self.value(right)
        compare = _OPS[op]

        def test(row: Row) -> bool:
            x, y = a(row), b(row)
            if x is None or y is None:
                return (x is None and y is None) if op == "eq" else (x is not y) if op == "ne" else False
            try:
                return compare(_norm(x), _norm(y))
            except TypeError:
                raise QueryError(
                    f"$filter: operator '{op}' incompatible with operand types {type(x).__name__} and {type(y).__name__}"
                ) from None

        return test

    def _check_guid(self, a: tuple, b: tuple) -> None:
        if a[0] == "field" and a[1] in self.guid_fields and b[0] == "lit" and isinstance(b[1], str):
            raise QueryError(
                f"$filter: operator incompatible with operand types 'Edm.Guid' and 'Edm.String' for {a[1]} "
                f"(write guid'…')"
            )

    def value(self, node: tuple) -> Getter:
        kind = node[0]
        if kind == "lit":
            v = node[1]
            v = v.value if isinstance(v, GuidLiteral) else v
            return lambda r: v
        if kind == "field":
            name = node[1]
            if name not in self.fields:
                raise QueryError(f"$filter: could not find a property named '{name}'")
            return lambda r: r.get(name)
        if kind == "call":
            func, args = node[1], [self.value(a) for a in node[2:]]
            if func == "substringof":
                needle, hay = args
                return lambda r: _text(needle(r)).lower() in _text(hay(r)).lower()
            if func == "startswith":
                hay, needle = args
                return lambda r: _text(hay(r)).lower().startswith(_text(needle(r)).lower())
            if func == "endswith":
                hay, needle = args
                return lambda r: _text(hay(r)).lower().endswith(_text(needle(r)).lower())
            (arg,) = args
            if func == "tolower":
                return lambda r: _text(arg(r)).lower()
            if func == "toupper":
                return lambda r: _text(arg(r)).upper()
            if func == "trim":
                return lambda r: _text(arg(r)).strip()
            return lambda r: len(_text(arg(r)))
        return self.boolean(node)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):  # seed rows may hold plain dates; filters send datetimes
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return value.lower()  # GUIDs compare case-insensitively
    return value


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


# ---------------------------------------------------------------- $orderby / $select

def parse_orderby(text: str, fields: set[str]) -> list[tuple[str, bool]]:
    """`Name asc, Code desc` -> [(field, descending)]."""
    result = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2:
            raise QueryError(f"$orderby: cannot read {part.strip()!r}")
        name = words[0]
        direction = words[1].lower() if len(words) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise QueryError(f"$orderby: direction must be asc or desc, not {words[1]!r}")
        if name not in fields:
            raise QueryError(f"$orderby: could not find a property named '{name}'")
        result.append((name, direction == "desc"))
    return result


def sort_rows(rows: list[Row], order: list[tuple[str, bool]]) -> list[Row]:
    """Stable multi-key sort; nulls first ascending, last descending (as SQL Server does)."""
    rows = list(rows)
    for name, descending in reversed(order):
        rows.sort(key=lambda r, n=name: _sort_key(r.get(n)), reverse=descending)
    return rows


def _sort_key(value: Any) -> tuple:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (1, value.lower())
    return (1, _norm(value))


def parse_select(text: str, fields: set[str]) -> list[str]:
    names = [p.strip() for p in text.split(",") if p.strip()]
    if not names:
        raise QueryError("$select: no fields given")
    if names == ["*"]:
        return []
    for name in names:
        if name not in fields:
            raise QueryError(f"$select: could not find a property named '{name}'")
    return names
