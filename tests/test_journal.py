"""«Журнал рассылки»: every key of every email, on one line per row, readable alone; read from
where the last run stopped; a year of history at most."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from typing import ClassVar

import openpyxl

from sheets_sync.report.journal import (
    HEADER,
    KEYS_PER_CELL,
    JournalEntry,
    parse_rows,
    read_journal,
    summarise,
)
from sheets_sync.state import LocalState
from sheets_sync.workbook.xlsx import XlsxWorkbook, cell_text
from tests.sample_workbook import EXECUTORS, make

WHEN = datetime(2020, 9, 8, 9, 0)


def text_rows(entry: JournalEntry) -> list[list[str]]:
    return [[cell_text(c.value) for c in row] for row in entry.rows()]


def test_an_email_with_more_keys_than_a_cell_holds_gets_continuation_rows_each_read_as_sent():
    keys = tuple(f"coordinator|1|2020-03-01|school:S{n:05d}|escalation" for n in range(3000))
    entry = JournalEntry(
        WHEN, "Координатор", ("c@example.org",), "эскалация", "…", "sent", "<m@x>", keys
    )

    rows = text_rows(entry)

    assert len(rows) == 6  # 3,000 keys of 48 characters: 150,000 characters in cells of 30,000
    assert all(len(r[7]) <= KEYS_PER_CELL for r in rows)
    assert {r[5] for r in rows} == {"отправлено"} and {r[6] for r in rows} == {"<m@x>"}
    assert rows[1][4] == "продолжение списка ключей: часть 2 из 6"
    assert summarise(parse_rows(HEADER, rows)).sent_keys == set(keys)


def test_every_cell_of_a_journal_row_is_one_line():
    entry = JournalEntry(
        WHEN,
        "Школа № 1",
        ("s1@example.org",),
        "просрочено",
        "1 до 01.03.2020 — просрочено\n2 до 10.09.2020 — за 7 дней до срока",
        "failed",
        "<m@x>",
        ("school:01|1|2020-03-01|school:01|overdue", "school:01|2|2020-09-10|school:01|before-7"),
        error="421 try again\nlater",
    )

    (row,) = text_rows(entry)

    assert not any("\n" in cell for cell in row)
    assert row[4] == "1 до 01.03.2020 — просрочено; 2 до 10.09.2020 — за 7 дней до срока"
    assert row[5] == "не доставлено: 421 try again later"


def test_rows_written_with_keys_on_separate_lines_still_count_as_sent():
    old = [
        list(HEADER),
        [
            "08.09.2020 09:00",
            "Школа № 1",
            "s1@example.org",
            "просрочено",
            "1 до 01.03.2020 — просрочено",
            "отправлено",
            "<old@x>",
            "school:01|1|2020-03-01|school:01|overdue\nschool:01|2|2020-09-10|school:01|before-7",
        ],
    ]

    log = read_journal(old)

    assert log.sent_keys == {
        "school:01|1|2020-03-01|school:01|overdue",
        "school:01|2|2020-09-10|school:01|before-7",
    }
    assert log.last_sent == {"school:01": WHEN}


def many_schools(project, count: int) -> None:
    """`count` schools, each owing one report that is 16 days overdue on 8 September 2020."""
    make(
        project,
        roadmap=[
            ["План мероприятий на 2020 год"],
            [],
            ["№", "Мероприятие", "Срок", "Ответственные"],
            ["1", "Отчёт школ", "До 23.08.2020", "ШИБЦ ОО"],
        ],
        schools=[["Код", "Школа", "Email"]]
        + [[f"S{n:04d}", f"Школа № {n}", f"s{n}@example.org"] for n in range(1, count + 1)],
        executors=EXECUTORS,
        submissions=[["Код", "Школа", "1 до 23.08.2020"]]
        + [[f"S{n:04d}", f"Школа № {n}", ""] for n in range(1, count + 1)],
    )


def test_after_a_thousand_school_run_a_lost_state_sends_nothing_again(project):
    many_schools(project, 1000)
    extra = {"reminders": {"max_emails_per_run": 2000}}
    first = project.run(date(2020, 9, 7), extra=extra)  # a reminder to each school
    second = project.run(date(2020, 9, 8), extra=extra)  # then each escalates
    coordinator = next(e for e in second.sent if e.recipient == "coordinator")
    assert len(coordinator.keys) == 1000  # far more than one cell's 32,767 characters

    shutil.rmtree(project.root / "state")
    again = project.run(date(2020, 9, 9), extra=extra)

    assert again.sent == [] and again.written
    assert len(project.outbox()) == len(first.sent) + len(second.sent)


class Recording(XlsxWorkbook):
    """The real backend, remembering where each read started the journal."""

    starts: ClassVar[list[int]] = []
    journal_read: ClassVar[list[bool]] = []

    def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        snapshot = super().read(*args, **kwargs)
        Recording.starts.append(snapshot.journal_from)
        Recording.journal_read.append("Журнал рассылки" in snapshot.tabs)
        return snapshot


def run(project, day: date):
    from zoneinfo import ZoneInfo

    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery

    settings = project.settings()
    now = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/Moscow"))
    return run_cycle(
        settings,
        Recording(project.workbook_path, settings.tabs),
        OutboxDelivery(settings.mail.outbox),
        today=day,
        now=now,
    )


def test_a_cycle_reads_only_the_journal_rows_added_since_the_last_one(project):
    make(project)
    Recording.starts = []
    first = run(project, date(2020, 9, 8))
    second = run(project, date(2020, 9, 9))
    run(project, date(2020, 9, 10))

    # No state yet: the whole tab. Then from the last row the state knows (read or written by
    # itself), to check it is still there, and what is new after it.
    assert Recording.starts == [1, len(first.sent), len(first.sent) + len(second.sent)]


def test_a_journal_row_deleted_by_hand_makes_the_next_run_read_it_whole_and_send_nothing(
    project,
):
    make(project)
    Recording.starts = []
    first = run(project, date(2020, 9, 8))
    run(project, date(2020, 9, 8))
    book = openpyxl.load_workbook(project.workbook_path)
    book["Журнал рассылки"].delete_rows(2, 1)
    book.save(project.workbook_path)

    again = run(project, date(2020, 9, 8))

    n = len(first.sent)
    assert Recording.starts == [1, n, n, 1]  # the checked row moved: read it all
    assert again.sent == []


def test_rows_of_an_earlier_year_move_to_their_own_tab_and_the_state(project):
    make(project)
    run(project, date(2020, 9, 8))
    book = openpyxl.load_workbook(project.workbook_path)
    journal = book["Журнал рассылки"]
    journal.insert_rows(2, 2)  # two rows from the year before, at the top
    for r, when in ((2, datetime(2019, 12, 2, 9)), (3, datetime(2019, 12, 9, 9))):
        journal.cell(r, 1, when).number_format = "DD.MM.YYYY HH:MM"
        journal.cell(r, 2, "Школа № 1")
        journal.cell(r, 6, "отправлено")
        journal.cell(r, 7, f"<2019-{r}@x>")
        journal.cell(r, 8, f"school:01|9|2019-11-{r:02d}|school:01|overdue")
    book.save(project.workbook_path)
    before = project.read_tab("Журнал рассылки")

    result = run(project, date(2020, 9, 9))

    assert result.written
    assert project.read_tab("Журнал рассылки")[: len(before) - 2] == [before[0], *before[3:]]
    assert [r[6] for r in project.read_tab("Журнал рассылки 2019")[1:]] == [
        "<2019-2@x>",
        "<2019-3@x>",
    ]
    settings = project.settings()
    with LocalState(settings.state_dir) as state:
        state.workbook = state.workbook_for(str(project.workbook_path))
        assert "school:01|9|2019-11-02|school:01|overdue" in state.sent_keys()
        (count,) = state.query("SELECT COUNT(*) FROM journal_archive")[0]
        assert count == 2
    run(project, date(2020, 9, 10))
    assert len(project.read_tab("Журнал рассылки 2019")) == 3  # archived once


def test_reading_the_journal_from_a_row_gives_the_rows_a_whole_read_gives_from_there(project):
    make(project)
    for day in (8, 9, 10, 11):
        run(project, date(2020, 9, day))
    names = project.settings().tabs
    whole = XlsxWorkbook(project.workbook_path, names).read().tabs["Журнал рассылки"]
    assert len(whole) > 5

    for start in (2, 3, len(whole) - 1, len(whole), len(whole) + 3):
        part = XlsxWorkbook(project.workbook_path, names).read(journal_from=start)
        assert part.tabs["Журнал рассылки"] == [whole[0], *whole[start:]], start


def test_a_journal_in_the_former_format_alone_still_stops_every_resend(project):
    make(project)
    first = project.run(date(2020, 9, 8))
    book = openpyxl.load_workbook(project.workbook_path)
    journal = book["Журнал рассылки"]
    for (cell,) in journal.iter_rows(min_row=2, min_col=8, max_col=8):
        cell.value = cell.value.replace("; ", "\n")  # keys one a line, as rows used to be
    book.save(project.workbook_path)
    shutil.rmtree(project.root / "state")

    again = project.run(date(2020, 9, 8))

    assert first.sent and again.sent == []


def test_the_keys_column_of_a_new_journal_is_hidden(project):
    make(project)
    project.run(date(2020, 9, 8))

    columns = openpyxl.load_workbook(project.workbook_path)["Журнал рассылки"].column_dimensions
    assert columns["H"].hidden and not columns["G"].hidden


def test_the_overdue_tab_counts_the_reminders_sent_from_the_state(project):
    make(project)
    project.run(date(2020, 9, 8))
    project.run(date(2020, 9, 15))  # a week later: the next overdue stage for each

    overdue = project.read_tab("Просрочено")
    column = overdue[0].index("Напоминаний отправлено")
    counts = {(r[0], r[2], r[4]): r[column] for r in overdue[1:]}
    assert counts[("1", "Школа № 2", "01.03.2020")] == "2"  # overdue+189, then overdue+196
    assert counts[("1", "СОИРО", "01.06.2020")] == "2"


def test_a_journal_unchanged_since_the_last_read_is_not_read_at_all(project):
    make(project)
    Recording.journal_read = []
    first = run(project, date(2020, 9, 8))
    for _ in range(3):
        assert run(project, date(2020, 9, 8)).sent == []

    # Read after the first run wrote to it; not once its part of the package is the same bytes
    # (the writer of today re-serialises the sheet once after it is made: one more read).
    assert first.sent and Recording.journal_read[:2] == [False, True]
    assert Recording.journal_read[-1] is False


def test_a_long_list_of_obligations_counts_them_all_and_not_the_weekly_summary():
    from sheets_sync.report.journal import _obligations

    lines = [f"VII.{n} до 01.03.2020 — эскалация (Школа № {n})" for n in range(1, 31)]
    text = _obligations("\n".join([*lines, "… и ещё 4", "сводка за неделю"]))
    assert text.endswith("; … всего 34")  # 30 listed + 4 more; the summary is no obligation
