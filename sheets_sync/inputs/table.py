"""Find a tab's header row and its columns by header text, never by position. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .cells import Grid, SourceRef
from .problems import Problems

HEADER_SEARCH_ROWS = 15


def header_key(text: str) -> str:
    """Return `text` as compared with headers: case, spacing, ё/е and end punctuation ignored."""
    text = text.casefold().replace("ё", "е").replace("\u00a0", " ")
    text = re.sub(r"\s+", "", text)
    return text.rstrip(".:;,*")


@dataclass(frozen=True, slots=True)
class Table:
    """A tab's data rows under its header, with the column of each known field."""

    tab: str
    header_row: int  # 1-based; 0 when no header row was found
    columns: Mapping[str, int]  # field -> 1-based column
    headers: tuple[str, ...]
    grid: Grid

    def rows(self) -> Iterator[tuple[SourceRef, list[str]]]:
        """Yield (row reference, cells) for each row under the header."""
        for index in range(self.header_row, len(self.grid)):
            yield SourceRef(self.tab, index + 1), self.grid[index]

    def value(self, cells: Sequence[str], name: str) -> str:
        col = self.columns.get(name)
        if col is None or col > len(cells):
            return ""
        return cells[col - 1].strip()

    def has(self, name: str) -> bool:
        return name in self.columns


def find_table(
    tab: str,
    grid: Grid,
    fields: Mapping[str, Sequence[str]],
    required: Sequence[str],
    problems: Problems,
) -> Table:
    """Return the table in `grid`, adding a problem for each missing or repeated column."""
    aliases = {header_key(a): name for name, names in fields.items() for a in names}
    best_row = 0
    best: dict[str, int] = {}
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for col, text in enumerate(cells, start=1):
            name = aliases.get(header_key(text))
            if name and name not in found:
                found[name] = col
        if len(found) > len(best):
            best_row, best = index + 1, found
    if not best:
        expected = ", ".join(f"«{fields[f][0]}»" for f in required)
        problems.broken(
            SourceRef(tab, 1),
            f"не найдена строка заголовков (ожидаются столбцы {expected})",
            f"Вставьте в начало листа строку заголовков: {expected}.",
        )
        return Table(tab, 0, {}, (), grid)
    headers = tuple(grid[best_row - 1])
    seen: dict[str, int] = {}
    for col, text in enumerate(headers, start=1):
        name = aliases.get(header_key(text))
        if name is None:
            continue
        if name in seen and seen[name] != col:
            first = SourceRef(tab, best_row, seen[name]).cell
            problems.at(
                SourceRef(tab, best_row, col),
                f"столбец «{text.strip()}» повторяется (первый — {first}); читается только первый",
                "Удалите лишний столбец или переименуйте его.",
            )
        seen.setdefault(name, col)
    for name in required:
        if name not in best:
            also = ", ".join("«" + a + "»" for a in fields[name][1:3]) or "—"
            problems.broken(
                SourceRef(tab, best_row),
                f"нет столбца «{fields[name][0]}»",
                f"Добавьте в строку заголовков {best_row} столбец «{fields[name][0]}» "
                f"(подходят также: {also}).",
            )
    return Table(tab, best_row, best, headers, grid)
