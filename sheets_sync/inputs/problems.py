"""Data problems for «Проблемы», and the collector the readers add them to. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .cells import SourceRef


@dataclass(frozen=True, slots=True)
class Problem:
    """A data problem for «Проблемы»: which tab and cell, what is wrong, how to fix it."""

    tab: str
    cell: str
    what: str
    fix: str


class Problems:
    """The problems found so far, in the order found. Readers add to it and go on reading."""

    def __init__(self, found: Iterable[Problem] = ()) -> None:
        self._found = list(found)

    def at(self, ref: SourceRef, what: str, fix: str) -> None:
        """Add a problem with a cell (or a row, when `ref` has no column)."""
        self._found.append(Problem(ref.tab, ref.cell, what, fix))

    def on_tab(self, tab: str, what: str, fix: str, cell: str = "") -> None:
        """Add a problem with a whole tab, or with no tab at all (`tab` = "")."""
        self._found.append(Problem(tab, cell, what, fix))

    def add(self, problems: Iterable[Problem]) -> None:
        self._found.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def found(self) -> tuple[Problem, ...]:
        return tuple(self._found)
