"""A document table's header row, found by what its cells mean. Pure.

A header cell names a field when it is one of the field's headers in `[columns.roadmap]` (as the
workbook's own reader compares them: `header_key`); documents word their headers more freely, so
a short header that names none is read by its stem: «Сроки, место проведения» and «Дата
проведения мероприятия» are deadlines, «Ответственные за исполнение» are executors, «N п/п» is
the number. Headers about something else («Форма проведения мероприятия», «Участники», «Классы»)
name no field and are kept as extra columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheets_sync.inputs.table import header_key

# Tried in this order; the first stem found in a header names its field.
_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("№", "п/п", "номер")),
    ("deadline", ("срок", "дата", "период", "времяпровед")),
    ("owners", ("ответствен", "исполнител")),
    ("note", ("примечан",)),
    ("result", ("результат", "показател")),
    ("content", ("содержан",)),
    ("title", ("мероприят", "наименован", "направлен", "дела", "событи")),
)
# A header that starts so is about something else, though it names an activity.
_OTHER = ("место", "форм", "участ", "категор", "класс", "целев", "источник", "объем", "финанс")
_NAMING = frozenset({"title", "content"})
HEADER_SEARCH_ROWS = 6


@dataclass(frozen=True, slots=True)
class Header:
    """A table's header row: the field of each column ("" for a column with no known field)
    and the header texts as written."""

    fields: tuple[str, ...]
    texts: tuple[str, ...]

    def column(self, name: str) -> int | None:
        """Return the 0-based column of field `name`, or None."""
        return self.fields.index(name) if name in self.fields else None

    @property
    def width(self) -> int:
        return len(self.fields)


def _stem_field(text: str) -> str:
    key = header_key(text)
    if not key or len(text.split()) > 6:
        return ""
    for name, stems in _STEMS:
        if any(s in key for s in stems):
            if name in _NAMING and key.startswith(_OTHER):
                return ""
            return name
    return ""


_KNOWN: dict[int, tuple[Mapping[str, Sequence[str]], dict[str, str]]] = {}


def _known(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Return the headers of `aliases` as compared, field by header (built once per mapping)."""
    cached = _KNOWN.get(id(aliases))
    if cached is None or cached[0] is not aliases:
        cached = (aliases, {header_key(a): name for name, names in aliases.items() for a in names})
        _KNOWN[id(aliases)] = cached
    return cached[1]


def header_fields(cells: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Return the field each cell of a would-be header row names ("" for none); a field is
    given to its first column only, exact headers before stems."""
    known = _known(aliases)
    fields = [known.get(header_key(c), "") for c in cells]
    for i, cell in enumerate(cells):
        if not fields[i]:
            name = _stem_field(cell)
            if name and name not in fields:
                fields[i] = name
    seen: set[str] = set()
    for i, name in enumerate(fields):
        if name in seen:
            fields[i] = ""
        seen.add(name)
    return tuple(fields)


def is_header(fields: Sequence[str]) -> bool:
    """Return whether a row naming `fields` is a roadmap's header: it names the activity and
    its deadline or its executors."""
    names = set(fields)
    return bool(names & _NAMING) and bool(names & {"deadline", "owners"})


def find_header(
    rows: Sequence[Sequence[str]], aliases: Mapping[str, Sequence[str]]
) -> tuple[int, Header] | None:
    """Return the 0-based index of the header row among the first rows of a table, and the
    header; None when there is none. With no «Мероприятие» but a «Содержание» column, the
    content is the activity."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = header_fields(cells, aliases)
        if is_header(fields):
            if "title" not in fields and "content" in fields:
                fields = tuple("title" if f == "content" else f for f in fields)
            return index, Header(fields, tuple(c.strip() for c in cells))
    return None


def is_column_numbers(cells: Sequence[str]) -> bool:
    """Return whether a row only numbers the columns ("1 | 2 | 3 | 4"), as printed under many
    headers."""
    filled = [c.strip().rstrip(".") for c in cells if c.strip()]
    return len(filled) >= 3 and filled == [str(i) for i in range(1, len(filled) + 1)]
