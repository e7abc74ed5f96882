"""Records + today -> every obligation (item x due date x party) with its state. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from sheets_sync.inputs.cells import SourceRef
from sheets_sync.inputs.problems import Problem, Problems
from sheets_sync.inputs.records import Mark, Records, RoadmapItem
from sheets_sync.wording import ru_date


class State(StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"
    NO_DATE = "no_date"
    NOT_REQUIRED = "not_required"
    UNCLEAR = "unclear"


OPEN_STATES = frozenset({State.OVERDUE, State.DUE_SOON, State.UPCOMING})
DONE_STATES = frozenset({State.DONE, State.DONE_LATE})


@dataclass(frozen=True, slots=True)
class Party:
    kind: Literal["school", "executor"]
    key: str
    name: str
    emails: tuple[str, ...]
    ref: SourceRef | None = None
    former: tuple[str, ...] = ()  # former codes or spellings: reminders sent under them count

    @property
    def recipient(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True, slots=True)
class Obligation:
    item: RoadmapItem
    due: date | None
    party: Party
    state: State
    done_on: date | None = None
    days_late: int = 0
    days_left: int = 0
    mark_ref: SourceRef | None = None  # the cell where it is marked done

    @property
    def id(self) -> str:
        """A stable id across runs: item number, due date, party."""
        due = self.due.isoformat() if self.due else "-"
        return f"{self.item.key}|{due}|{self.party.recipient}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def obligations_on(
    records: Records, today: date, due_soon_days: int = 7
) -> tuple[list[Obligation], list[Problem]]:
    """Return every obligation of `records` with its state on `today`, and date problems."""
    problems = Problems()
    executors = {e.name: e for e in records.executors}
    result: list[Obligation] = []
    schools = [s for s in records.schools if s.active]
    for item in records.items:
        dates = item.deadline.due_dates
        for name in item.executors:
            ex = executors[name]
            party = Party("executor", ex.name, ex.name, ex.emails, ex.ref, ex.synonyms)
            if not dates:
                state = State.UNCLEAR if item.deadline.kind == "unknown" else State.NO_DATE
                result.append(Obligation(item, None, party, state, mark_ref=item.done_ref))
                continue
            result.extend(_executor_obligations(item, party, today, due_soon_days, problems))
        if not item.school_report:
            continue
        for school in schools:
            party = Party(
                "school", school.code, school.name, school.emails, school.ref, school.former_codes
            )
            for due in dates:
                sub = records.submissions.get((school.code, item.key, due))
                mark = sub.mark if sub else Mark("empty")
                if not records.submissions_readable:
                    mark = Mark("unclear")
                _check_future(mark, today, sub.ref if sub else None, problems)
                result.append(
                    _with_state(
                        item, due, party, mark, today, due_soon_days, sub.ref if sub else None
                    )
                )
    _copied_forward(records, today, problems)
    return result, list(problems)


def _executor_obligations(
    item: RoadmapItem, party: Party, today: date, soon: int, problems: Problems
) -> Iterable[Obligation]:
    """A mark in `Выполнено` closes every occurrence; each date closes the earliest open one."""
    done = item.done
    _check_future(done, today, item.done_ref, problems)
    closing = sorted(done.dates)
    for due in item.deadline.due_dates:
        if done.kind == "done" and done.dates:
            mark = Mark("done", (closing.pop(0),), done.text) if closing else Mark("empty")
        else:
            mark = done
        yield _with_state(item, due, party, mark, today, soon, item.done_ref)


def _with_state(
    item: RoadmapItem,
    due: date,
    party: Party,
    mark: Mark,
    today: date,
    soon: int,
    ref: SourceRef | None,
) -> Obligation:
    days_left = (due - today).days
    if mark.kind == "done":
        done_on = mark.dates[0] if mark.dates else None
        late = (done_on - due).days if done_on else 0
        state = State.DONE_LATE if late > 0 else State.DONE
        return Obligation(item, due, party, state, done_on, max(late, 0), days_left, ref)
    if mark.kind == "not_required":
        return Obligation(item, due, party, State.NOT_REQUIRED, mark_ref=ref, days_left=days_left)
    if mark.kind == "unclear":
        return Obligation(item, due, party, State.UNCLEAR, mark_ref=ref, days_left=days_left)
    if days_left < 0:
        return Obligation(
            item, due, party, State.OVERDUE, days_late=-days_left, days_left=days_left, mark_ref=ref
        )
    state = State.DUE_SOON if days_left <= soon else State.UPCOMING
    return Obligation(item, due, party, state, days_left=days_left, mark_ref=ref)


def _check_future(mark: Mark, today: date, ref: SourceRef | None, problems: Problems) -> None:
    future = [d for d in mark.dates if d > today]
    if future and ref is not None:
        problems.at(
            ref,
            f"дата {ru_date(future[0])} ещё не наступила",
            "Проверьте год и месяц: впишите дату, когда отчёт действительно получен.",
        )


def copied_forward_year(records: Records, today: date) -> int | None:
    """Return the last year of a plan whose every date lies before today's year (a plan copied
    forward without new dates), else None."""
    dates = [d for item in records.items for d in item.deadline.due_dates]
    if not dates or max(dates).year >= today.year:
        return None
    return max(dates).year


def _copied_forward(records: Records, today: date, problems: Problems) -> None:
    last = copied_forward_year(records, today)
    if last is not None:
        problems.on_tab(
            records.items[0].ref.tab,
            f"все сроки дорожной карты — в {last} году или раньше, а сейчас {today.year}: похоже, "
            "план скопирован без новых дат; напоминания не рассылаются",
            "Обновите сроки на текущий год (или задайте plan_year в настройках); затем проверьте "
            "рассылку командой `python run.py preview`.",
        )
