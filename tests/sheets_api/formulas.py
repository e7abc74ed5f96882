"""A tiny formula evaluator: arithmetic (+ - * / ^, parentheses, unary minus) and cell references.

The cassettes only need ``=1+1``, ``=4/2``, ``=3/2`` and ``= 1 / 1024``. Anything else (function
calls, ranges, text operators) raises ``Unsupported``, and the emulator then shows the formula text
as the formatted value rather than guessing a result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.sheets_api.a1 import column_index


class Unsupported(Exception):
    """The formula uses something beyond the tiny evaluator."""


class FormulaError(Exception):
    """A spreadsheet error value such as ``#DIV/0!``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    @property
    def shown(self) -> str:
        return {"DIV_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!", "REF": "#REF!"}.get(
            self.kind, "#ERROR!"
        )


# (sheet title or None for the formula's own sheet, row, column) -> the referenced value.
Lookup = Callable[[str | None, int, int], "float | str | bool | None"]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?|\.\d+)"
    r"|(?P<ref>(?:'(?:[^']|'')+'!|[A-Za-z0-9_]+!)?\$?[A-Za-z]{1,3}\$?\d+)"
    r"|(?P<op>[-+*/^()]))"
)


def evaluate(formula: str, lookup: Lookup) -> float:
    """Evaluate ``=...`` and return its number, or raise FormulaError / Unsupported."""
    tokens = _tokenize(formula[1:])
    parser = _Parser(tokens, lookup)
    value = parser.expression()
    if parser.position != len(tokens):
        raise Unsupported(formula)
    return value


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise Unsupported(text)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], lookup: Lookup) -> None:
        self.tokens = tokens
        self.position = 0
        self.lookup = lookup

    def _peek(self) -> str | None:
        if self.position < len(self.tokens):
            return self.tokens[self.position][1]
        return None

    def expression(self) -> float:
        value = self.term()
        while self._peek() in ("+", "-"):
            operator = self.tokens[self.position][1]
            self.position += 1
            right = self.term()
            value = value + right if operator == "+" else value - right
        return value

    def term(self) -> float:
        value = self.power()
        while self._peek() in ("*", "/"):
            operator = self.tokens[self.position][1]
            self.position += 1
            right = self.power()
            if operator == "*":
                value *= right
            elif right == 0:
                raise FormulaError("DIV_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.")
            else:
                value /= right
        return value

    def power(self) -> float:
        base = self.unary()
        if self._peek() == "^":
            self.position += 1
            return float(base ** self.power())
        return base

    def unary(self) -> float:
        if self._peek() in ("-", "+"):
            sign = -1.0 if self.tokens[self.position][1] == "-" else 1.0
            self.position += 1
            return sign * self.unary()
        return self.primary()

    def primary(self) -> float:
        if self.position >= len(self.tokens):
            raise Unsupported("unexpected end of formula")
        kind, text = self.tokens[self.position]
        self.position += 1
        if kind == "number":
            return float(text)
        if text == "(":
            value = self.expression()
            if self._peek() != ")":
                raise Unsupported("unbalanced parentheses")
            self.position += 1
            return value
        if kind == "ref":
            return self._reference(text)
        raise Unsupported(text)

    def _reference(self, text: str) -> float:
        sheet: str | None = None
        if "!" in text:
            sheet, _, text = text.rpartition("!")
            if sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
        match = re.match(r"\$?([A-Za-z]{1,3})\$?(\d+)", text)
        assert match is not None
        value = self.lookup(sheet, int(match[2]) - 1, column_index(match[1]))
        if value is None:
            return 0.0
        if isinstance(value, bool):
            return 1.0 if value else 0.0
        if isinstance(value, str):
            raise FormulaError("VALUE", "Function ADD parameter 1 expects number values.")
        return float(value)
