"""End-to-end: one cycle on a real .xlsx file, read back; reruns; bad input."""

from __future__ import annotations

from datetime import date

import openpyxl

from tests.sample_workbook import ROADMAP, SCHOOLS, SUBMISSIONS, make


def test_a_cycle_writes_every_generated_tab_and_one_email_per_recipient(project):
    make(project)
    result = project.run(date(2020, 9, 8))

    book = openpyxl.load_workbook(project.workbook_path)
    for tab in ("Сводка", "Просрочено", "Сроки", "Проблемы", "Журнал рассылки"):
        assert tab in book.sheetnames
    recipients = sorted(str(m["To"]) for m in project.outbox())
    assert recipients == [
        "Координатор <coordinator@example.org>",
        "СОИРО <soiro@example.org>",
        "Школа № 1 <s1@example.org>",
        "Школа № 2 <s2@example.org>",
    ]
    assert len(result.sent) == 4
    assert len(project.read_tab("Журнал рассылки")) == 1 + 4


def test_it_lists_overdue_obligations_with_days_late(project):
    make(project)
    project.run(date(2020, 9, 8))

    overdue = project.read_tab("Просрочено")
    assert overdue[0][:6] == [
        "№",
        "Мероприятие",
        "Кто должен",
        "Контакт",
        "Срок",
        "Дней просрочки",
    ]
    rows = {(r[0], r[2], r[4]): r[5] for r in overdue[1:]}
    assert rows == {
        ("1", "Школа № 2", "01.03.2020"): "191",
        ("1", "СОИРО", "01.03.2020"): "191",
        ("1", "СОИРО", "01.06.2020"): "99",
    }


def test_the_same_day_twice_sends_nothing_the_second_time(project):
    make(project)
    first = project.run(date(2020, 9, 8))
    second = project.run(date(2020, 9, 8))

    assert first.sent and not second.sent
    assert len(project.outbox()) == len(first.sent)
    assert len(project.read_tab("Журнал рассылки")) == 1 + len(first.sent)


def test_a_week_later_only_new_stages_are_sent(project):
    make(project)
    first = project.run(date(2020, 9, 3))  # school 01 owes item 2 in 7 days: before-7
    later = project.run(date(2020, 9, 10))  # due today: before-1

    def keys(result):
        return {k.split("|", 1)[1] for e in result.sent for k in e.keys}

    assert "2|2020-09-10|school:01|before-7" in keys(first)
    assert "2|2020-09-10|school:01|before-1" in keys(later)
    assert not keys(first) & keys(later)


def test_after_a_run_every_staff_tab_is_unchanged_cell_by_cell(project):
    make(project)
    staff = ("Дорожная карта", "Школы", "Ответственные", "Сдача отчётов")

    def snapshot():
        book = openpyxl.load_workbook(project.workbook_path)
        return {
            tab: [
                (
                    c.coordinate,
                    c.value,
                    c.data_type,
                    c.number_format,
                    c.font.b,
                    c.fill.fgColor.rgb,
                    c.alignment.wrap_text,
                )
                for row in book[tab].iter_rows()
                for c in row
            ]
            for tab in staff
        }

    before = snapshot()
    project.run(date(2020, 9, 8))
    project.run(date(2020, 9, 15))
    assert snapshot() == before


def test_text_that_looks_like_a_formula_stays_text_in_generated_tabs(project):
    roadmap = [
        *ROADMAP[:4],
        ["1", '=HYPERLINK("http://evil.example","клик")', "до 01.03.2020", "СОИРО"],
    ]
    make(project, roadmap=roadmap)
    project.run(date(2020, 9, 8))

    book = openpyxl.load_workbook(project.workbook_path)
    cells = [
        c
        for row in book["Сроки"].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    cells = [
        c
        for row in book["Просрочено"].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_workbook_with_bad_input_completes_and_lists_each_problem(project):
    roadmap = [
        ["План на 2020 год"],
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1", "=cmd|' /C calc'!A0", "до 01.03.2020", "СОИРО"],
        ["2", "Отчёт", "когда-нибудь потом", "СОИРО"],
        ["3", "Семинар", "апрель", "Неведомый отдел"],
        [],
        ["3", "Семинар", "апрель", "Неведомый отдел"],
    ]
    schools = [["Код", "Школа", "Эл. почта"], ["01", "Школа № 1", "s1@example"]]
    submissions = [["Код", "Школа", "1 до 01.03.2020"], ["01", "Школа № 1", "сдано?"]]
    make(project, roadmap=roadmap, schools=schools, submissions=submissions)
    result = project.run(date(2020, 9, 8))

    assert result.written
    problems = {(r[0], r[1]): r[2] for r in project.read_tab("Проблемы")[1:]}
    assert "не удалось прочитать срок «когда-нибудь потом»" in problems[("Дорожная карта", "C4")]
    assert "исполнитель «Неведомый отдел» не найден" in problems[("Дорожная карта", "D5")]
    assert problems[("Дорожная карта", "строка 7")] == "строка повторяет строку 5"
    assert "не адрес электронной почты" in problems[("Школы", "C2")]
    assert ("Сдача отчётов", "C2") in problems  # a mark that does not read
    fixes = [r[3] for r in project.read_tab("Проблемы")[1:]]
    assert all(fixes)
    book = openpyxl.load_workbook(project.workbook_path)
    title = book["Сроки"]["C2"]
    assert title.value == "=cmd|' /C calc'!A0" and title.data_type == "s"


def test_a_save_by_someone_else_mid_run_is_kept_and_the_tabs_recomputed(project):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sheets_sync.cycle import run_cycle
    from sheets_sync.mail.delivery import OutboxDelivery
    from sheets_sync.workbook.xlsx import XlsxWorkbook

    make(project)
    settings = project.settings()

    class ColleagueSavesOnce(XlsxWorkbook):
        saved = False

        def read(self, *args, **kwargs):
            snapshot = super().read(*args, **kwargs)
            if not self.saved:  # a colleague adds a school report right after our read
                self.saved = True
                extra = [*SUBMISSIONS[:2], ["02", "Школа № 2", "", "н/т", date(2020, 9, 1)]]
                extra[1] = ["01", "Школа № 1", date(2020, 2, 20), "сдано", date(2020, 9, 7)]
                make(project, submissions=extra)
            return snapshot

    result = run_cycle(
        settings,
        ColleagueSavesOnce(project.workbook_path, settings.tabs),
        OutboxDelivery(settings.mail.outbox),
        today=date(2020, 9, 8),
        now=datetime(2020, 9, 8, 9, tzinfo=ZoneInfo("Europe/Moscow")),
    )

    assert result.reads == 2 and result.written
    submissions = project.read_tab("Сдача отчётов")
    assert submissions[1][4] == "07.09.2020"  # the colleague's edit survived
    assert len(project.read_tab("Журнал рассылки")) == 1 + len(result.sent)
    assert len(project.outbox()) == len(result.sent)  # nothing sent twice across the re-read


def test_a_run_over_the_cap_sends_nothing_and_says_why(project):
    make(project)
    result = project.run(date(2020, 9, 8), extra={"reminders": {"max_emails_per_run": 2}})

    assert result.over_cap and not result.sent and project.outbox() == []
    assert result.written
    problems = [r[2] for r in project.read_tab("Проблемы")[1:]]
    assert "рассылка остановлена: 4 писем, больше лимита 2 за один запуск" in problems


def test_a_school_with_a_mistyped_address_says_so_everywhere_a_coordinator_looks(project):
    schools = [row[:] for row in SCHOOLS]
    schools[2][2] = "s2@example,org"
    make(project, schools=schools)
    result = project.run(date(2020, 9, 8))

    # One row for the cell: its fault, and what it cost this run.
    assert [(p.cell, p.what) for p in result.problems if p.cell == "C3"] == [
        (
            "C3",
            (
                "«s2@example,org» — не адрес электронной почты (Школа № 2): напоминания по нему "
                "не уходят; в последней рассылке не отправлено 1 напоминание"
            ),
        )
    ]
    summary = project.read_tab("Сводка")
    (row,) = [r for r in summary if r[:2] == ["02", "Школа № 2"]][-1:]
    assert row[-1] == "письма не уходят: неверный адрес «s2@example,org» — исправьте «Школы», C3"
    (coordinators,) = [m for m in project.outbox() if "coordinator@" in str(m["To"])]
    text = coordinators.get_body(("plain",)).get_content()
    assert "Школа № 2 (письма не уходят: неверный адрес «s2@example,org»" in text  # weekly
    assert "письма не уходят: неверный адрес «s2@example,org» — исправьте «Школы», C3." in text
    assert all("s2@example" not in str(m["To"]) for m in project.outbox())


def test_the_coordinating_bodys_last_reminder_shows_though_it_rode_in_the_coordinators_email(
    project,
):
    executors = [["Исполнитель", "Email"], ["СОИРО", "coordinator@example.org"]]
    make(project, roadmap=[*ROADMAP, ["4", "Статья в сборник", "До 10.09.2020", "СОИРО"]],
         executors=executors)  # fmt: skip
    result = project.run(date(2020, 9, 8))

    coordinator = next(e for e in result.sent if e.recipient == "coordinator")
    assert any(k.startswith("executor:СОИРО|4|") for k in coordinator.keys)
    row = next(r for r in project.read_tab("Сводка") if r[1:2] == ["СОИРО"])
    assert row[-1] == "08.09.2020 09:00"


def test_a_plan_year_in_the_settings_that_the_title_contradicts_is_said_once(project):
    make(project)  # «План мероприятий на 2020 год»
    result = project.run(date(2020, 9, 8), extra={"plan_year": 2021}, dry_run=True)

    said = [p for p in result.problems if "plan_year = 2021" in p.what]
    assert len(said) == 1 and "заголовок плана называет 2020 год" in said[0].what


def test_a_missing_tab_is_named_with_the_tab_named_almost_like_it(project):
    project.workbook(
        {
            "Дорожная карта ": ROADMAP,  # a trailing space, as a hurried rename leaves
            "Ответственные": [["Исполнитель", "Email"], ["СОИРО", "s@example.org"]],
            "Сдача отчётов": SUBMISSIONS,
        },
        header_rows={"Дорожная карта ": 3},
    )
    result = project.run(date(2020, 9, 8), dry_run=True)

    said = {p.what: p.fix for p in result.problems}
    assert said["нет листа «Дорожная карта»: напоминать не о чем: план не прочитан"] == (
        "Лист называется «Дорожная карта »: переименуйте его в «Дорожная карта»."
    )
    assert not any("заголов" in w for w in said)  # no header to insert into a tab not there
