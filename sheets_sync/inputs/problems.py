"""Data problems for «Проблемы», and the collector the readers add them to. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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
        # A tab whose table cannot be read (no header row, a required column missing): what
        # the readers make of it, and of the tabs checked against it, cannot be trusted.
        self.structure: list[Problem] = []

    def broken(self, ref: SourceRef, what: str, fix: str) -> None:
        """Add a problem that leaves `ref`'s tab unreadable as a table."""
        self.at(ref, what, fix)
        self.structure.append(self._found[-1])

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


def unreadable_note(unreadable: Sequence[Problem]) -> str:
    """Return why nothing is sent while input tabs cannot be read («лист «Школы» не прочитан:
    нет столбца «Email»…»)."""
    tabs = list(dict.fromkeys(p.tab for p in unreadable))
    names = ", ".join(f"«{t}»" for t in tabs)
    which = f"лист {names} не прочитан" if len(tabs) == 1 else f"листы {names} не прочитаны"
    return (
        f"{which}: {unreadable[0].what} (см. «Проблемы»); пока это не исправлено, напоминания "
        "не рассылаются"
    )
