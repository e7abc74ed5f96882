"""Records + today -> every obligation (item x due date x party) with its state. Pure.

The parties of a line are its executors from «Ответственные» and, when schools owe a report,
every active school. The coordinating body (marked «координатор» in «Ответственные», or
writing from the sender's own address) collects the schools' reports: on such a line it is not
a party; its own tasks are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Literal

from sheets_sync.deadlines.what import what_is_due
from sheets_sync.inputs.cells import SourceRef
from sheets_sync.inputs.problems import Problem, Problems
from sheets_sync.inputs.records import Executor, Mark, Records, RoadmapItem, School
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
    contact: str = ""  # «Контактное лицо»: whom to greet and whom to phone
    bad_emails: tuple[str, ...] = ()  # what the Email cell holds that is not an address
    email_ref: SourceRef | None = None  # the Email cell
    former: tuple[str, ...] = ()  # former codes or spellings: reminders sent under them count
    bounced: tuple[str, ...] = ()  # addresses whose emails came back (not in `emails`)
    municipality: str = ""  # «Муниципалитет»: for the coordinators' totals

    @property
    def recipient(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def no_email(self) -> str:
        """Return why no email can reach this party ("" when one can), in Russian."""
        return "" if self.emails else no_address_why(self.bad_emails, self.bounced)

    @property
    def fix_cell(self) -> SourceRef | None:
        """Return the cell to fix so that emails reach this party."""
        return self.email_ref or self.ref

    @property
    def cannot_reach(self) -> str:
        """Return why emails do not reach this party and the cell to fix, or ""."""
        return cannot_reach(self.emails, self.bad_emails, self.fix_cell, self.bounced)


def no_address_why(bad: Sequence[str], bounced: Sequence[str] = ()) -> str:
    """Return, in Russian, why a party has no address to send to."""
    if bounced:
        return f"письма на «{bounced[0]}» возвращаются"
    if bad:
        return f"неверный адрес «{bad[0]}»"
    return "нет адреса"


def cannot_reach(
    emails: Sequence[str],
    bad: Sequence[str],
    cell: SourceRef | None,
    bounced: Sequence[str] = (),
) -> str:
    """Return why emails do not reach a party and the cell to fix, or "" when they do."""
    if emails:
        return ""
    why = no_address_why(bad, bounced)
    where = f" — исправьте «{cell.tab}», {cell.cell}" if cell else ""
    return f"письма не уходят: {why}{where}"


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
    what: str = ""  # what the deadline cell says is due by this date, when it says so

    @property
    def id(self) -> str:
        """A stable id across runs: item number, due date, party."""
        due = self.due.isoformat() if self.due else "-"
        return f"{self.item.key}|{due}|{self.party.recipient}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def obligations_on(
    records: Records,
    today: date,
    due_soon_days: int = 7,
    coordinators: AbstractSet[str] = frozenset(),
) -> tuple[list[Obligation], list[Problem]]:
    """Return every obligation of `records` with its state on `today`, and date problems;
    `coordinators` are the addresses of the coordinating body (the sender, the coordinators)."""
    problems = Problems()
    executors = {e.name: e for e in records.executors}
    result: list[Obligation] = []
    schools = [s for s in records.schools if s.active]
    addresses = {a.casefold() for a in coordinators}
    for item in records.items:
        whats = what_is_due(item.deadline.text, records.plan_year, school_year=records.school_year)
        for name in item.executors:
            ex = executors[name]
            if item.school_report and _coordinates(ex, addresses):
                continue  # it collects this report from the schools
            party = _executor_party(ex)
            if not item.deadline.due_dates:
                state = State.UNCLEAR if item.deadline.kind == "unknown" else State.NO_DATE
                result.append(Obligation(item, None, party, state, mark_ref=item.done_ref))
                continue
            for ob in _executor_obligations(item, party, today, due_soon_days, problems):
                result.append(replace(ob, what=whats.get(ob.due or date.min, "")))
        if item.school_report:
            for school in schools:
                result.extend(
                    _school_obligations(
                        item, school, records, today, due_soon_days, problems, whats
                    )
                )
    _copied_forward(records, problems)
    return result, list(problems)


def _coordinates(ex: Executor, addresses: AbstractSet[str]) -> bool:
    return ex.coordinator or any(e.casefold() in addresses for e in ex.emails)


def _executor_party(ex: Executor) -> Party:
    return Party(
        "executor",
        ex.name,
        ex.name,
        ex.emails,
        ex.ref,
        "",
        ex.bad_emails,
        ex.email_ref,
        former=ex.synonyms,
        bounced=ex.bounced,
        municipality=ex.municipality,
    )


def _school_obligations(
    item: RoadmapItem,
    school: School,
    records: Records,
    today: date,
    soon: int,
    problems: Problems,
    whats: dict[date, str],
) -> Iterable[Obligation]:
    party = Party(
        "school",
        school.code,
        school.name,
        school.emails,
        school.ref,
        school.contact,
        school.bad_emails,
        school.email_ref,
        former=school.former_codes,
        bounced=school.bounced,
        municipality=school.municipality,
    )
    if not item.deadline.due_dates:  # owed all the same: counted as undated or unread
        state = State.UNCLEAR if item.deadline.kind == "unknown" else State.NO_DATE
        yield Obligation(item, None, party, state)
        return
    for due in item.deadline.due_dates:
        sub = records.submissions.get((school.code, item.key, due))
        mark = sub.mark if sub else Mark("empty")
        if not records.submissions_readable:
            mark = Mark("unclear")
        ref = sub.ref if sub else None
        _check_future(mark, today, ref, problems)
        yield _with_state(item, due, party, mark, today, soon, ref, whats.get(due, ""))


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
    what: str = "",
) -> Obligation:
    days_left = (due - today).days
    done_on, late = None, 0
    if mark.kind == "done":
        done_on = mark.dates[0] if mark.dates else None
        late = max((done_on - due).days if done_on else 0, 0)
        state = State.DONE_LATE if late > 0 else State.DONE
    elif mark.kind == "not_required":
        state = State.NOT_REQUIRED
    elif mark.kind == "unclear":
        state = State.UNCLEAR
    elif days_left < 0:
        state, late = State.OVERDUE, -days_left
    else:
        state = State.DUE_SOON if days_left <= soon else State.UPCOMING
    return Obligation(item, due, party, state, done_on, late, days_left, ref, what)


def _check_future(mark: Mark, today: date, ref: SourceRef | None, problems: Problems) -> None:
    future = [d for d in mark.dates if d > today]
    if future and ref is not None:
        problems.at(
            ref,
            f"дата {ru_date(future[0])} ещё не наступила",
            "Проверьте год и месяц: впишите дату, когда отчёт действительно получен.",
        )


def copied_forward_year(records: Records) -> int | None:
    """Return the last year of a plan that looks copied forward without new dates: its year
    (set in the settings or its title) is later than every date it holds; else None. A plan
    whose own year is simply over is not copied: its open items are still chased."""
    dates = [d for item in records.items for d in item.deadline.due_dates]
    if not dates or records.plan_year_from == "today":
        return None
    last = max(dates).year
    return last if last < records.plan_year else None


def _copied_forward(records: Records, problems: Problems) -> None:
    last = copied_forward_year(records)
    if last is None:
        return
    if records.plan_year_from == "settings":
        said, fix = "так указано в настройках, plan_year", "исправьте plan_year в настройках"
    else:
        said, fix = "так указано в заголовке дорожной карты", "исправьте год в заголовке"
    problems.on_tab(
        records.items[0].ref.tab,
        f"план — на {records.plan_year} год ({said}), а все его сроки — в {last} году или "
        "раньше: похоже, план скопирован без новых дат; напоминания не рассылаются",
        f"Обновите сроки на {records.plan_year} год; если это план {last} года, {fix}. Затем "
        "проверьте рассылку командой `python run.py preview`.",
    )
