"""Escalation by municipality: a long-overdue obligation goes to the coordinator of its party's
municipality first and to the region's `escalate_region_after_days` later; a municipality
without a coordinator escalates to the region as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sheets_sync.escalation import (
    MunicipalCoordinator,
    Routing,
    municipality_key,
    routing_of,
)
from sheets_sync.inputs.plan import read_records
from sheets_sync.obligations import Party
from sheets_sync.reminders import plan_mailing
from sheets_sync.report.context import ReportContext
from sheets_sync.report.lists import overdue_tab
from sheets_sync.settings.types import ReadingSettings
from tests.reminder_data import POLICY, ob
from tests.sample_workbook import ROADMAP, SUBMISSIONS

KARDYMOVO = MunicipalCoordinator("Кардымовский район", "Отдел образования", ("ro@example.org",))
ROUTING = Routing(
    {"school:01": municipality_key("Кардымовский район")},
    {municipality_key("Кардымовский район"): KARDYMOVO},
)
SCHOOL_1 = Party("school", "01", "Школа 1", ("a@example.org",))
SCHOOL_2 = Party("school", "02", "Школа 2", ("b@example.org",))
DUE = date(2020, 3, 2)
TOLD = {
    "school:01|1|2020-03-02|school:01|overdue",
    "school:02|1|2020-03-02|school:02|overdue",
}


def every_day(_):
    return True


def escalations(day, sent=frozenset(), routing=ROUTING):
    obs = [ob(DUE, day, party=SCHOOL_1), ob(DUE, day, party=SCHOOL_2)]
    mailing = plan_mailing(obs, TOLD | set(sent), POLICY, day, every_day, routing=routing)
    return {
        d.recipient: [r.obligation.party.name for r in d.reminders if r.stage.kind == "escalation"]
        for d in mailing.digests
        if d.kind == "coordinator"
    }, mailing


def test_a_school_goes_to_its_municipal_coordinator_first_and_to_the_region_a_week_later():
    day14 = DUE + timedelta(days=14)
    first, mailing = escalations(day14)
    assert first == {"coordinator": ["Школа 2"], "municipal:кардымовский-район": ["Школа 1"]}
    municipal = next(d for d in mailing.digests if d.recipient.startswith("municipal:"))
    assert (municipal.name, municipal.emails) == ("Отдел образования", ("ro@example.org",))
    sent = set().union(*(d.keys for d in mailing.digests))

    assert escalations(day14 + timedelta(days=6), sent)[0] == {}
    later, _ = escalations(day14 + timedelta(days=7), sent)
    assert later == {"coordinator": ["Школа 1"]}


def test_with_no_delay_the_municipality_and_the_region_hear_of_it_the_same_day():
    policy = replace(POLICY, escalate_region_after_days=0)
    day14 = DUE + timedelta(days=14)
    mailing = plan_mailing(
        [ob(DUE, day14, party=SCHOOL_1)], TOLD, policy, day14, every_day, routing=ROUTING
    )
    assert sorted(d.recipient for d in mailing.digests if d.kind == "coordinator") == [
        "coordinator",
        "municipal:кардымовский-район",
    ]


def test_a_municipal_coordinator_gets_the_weekly_summary_of_their_municipality_once_a_week():
    policy = replace(POLICY, weekly_summary="monday")
    monday = date(2020, 3, 9)
    obs = [ob(DUE, monday, party=SCHOOL_1), ob(DUE, monday, party=SCHOOL_2)]

    def summaries(day, sent):
        mailing = plan_mailing(obs, TOLD | sent, policy, day, every_day, routing=ROUTING)
        return {
            d.recipient: (d.summary_key, [r.obligation.party.name for r in d.reminders])
            for d in mailing.digests
            if d.kind == "coordinator"
        }, set().union(*(d.keys for d in mailing.digests))

    first, sent = summaries(monday, set())
    week = "municipal:кардымовский-район|weekly-summary|2020-W11|summary"
    assert first["municipal:кардымовский-район"] == (week, ["Школа 1"])  # not Школа 2
    assert first["coordinator"] == (
        "coordinator|weekly-summary|2020-W11|summary",
        ["Школа 1", "Школа 2"],
    )
    assert summaries(monday + timedelta(days=1), sent)[0] == {}  # once a week
    again, _ = summaries(monday + timedelta(days=7), sent)
    assert again["municipal:кардымовский-район"][0].endswith("2020-W12|summary")


def test_a_municipality_with_nothing_late_or_due_gets_no_summary():
    policy = replace(POLICY, weekly_summary="monday")
    monday = date(2020, 3, 9)
    obs = [ob(DUE, monday, party=SCHOOL_2)]
    mailing = plan_mailing(obs, TOLD, policy, monday, every_day, routing=ROUTING)
    assert [d.recipient for d in mailing.digests if d.kind == "coordinator"] == ["coordinator"]


def test_without_municipal_coordinators_escalation_is_as_before():
    day14 = DUE + timedelta(days=14)
    assert escalations(day14, routing=None)[0] == {"coordinator": ["Школа 1", "Школа 2"]}
    assert escalations(day14, routing=Routing())[0] == {"coordinator": ["Школа 1", "Школа 2"]}


def test_a_municipal_escalation_is_not_a_reminder_to_the_school():
    day14 = DUE + timedelta(days=14)
    _, mailing = escalations(day14)
    sent = set().union(*(d.keys for d in mailing.digests))
    [municipal] = [k for k in sent if k.startswith("municipal:")]
    ctx = ReportContext(day14, None, "", frozenset(TOLD | {municipal}), {})  # type: ignore[arg-type]
    tab = overdue_tab([ob(DUE, day14, party=SCHOOL_1)], ctx, "Просрочено")
    assert tab.rows[1][6].value == 1  # the one reminder to the school, not two


def test_once_the_plan_is_over_an_item_the_municipality_has_is_no_longer_reminded():
    today = date(2021, 1, 20)
    late = ob(date(2020, 12, 31), today, party=SCHOOL_1)
    escalated = {"municipal:кардымовский-район|1|2020-12-31|school:01|escalation"}
    mailing = plan_mailing(
        [late], escalated, POLICY, today, every_day, plan_over=True, routing=ROUTING
    )
    assert mailing.digests == ()


def test_the_municipality_is_read_from_the_schools_and_the_coordinators_from_the_executors():
    schools = [
        ["Код", "Школа", "Email", "Муниципалитет"],
        ["01", "Школа № 1", "s1@example.org", "Кардымовский район"],
        ["02", "Школа № 2", "s2@example.org", "г. Смоленск"],
        ["03", "Школа № 3", "s3@example.org", ""],
    ]
    executors = [
        ["Исполнитель", "Email", "Роль", "Муниципалитет"],
        ["СОИРО", "soiro@example.org", "", ""],
        ["Отдел образования", "ro@example.org", "координатор", "КАРДЫМОВСКИЙ  район"],
        ["Управление", "", "координатор", "г. Смоленск"],
    ]
    tabs = {
        "Дорожная карта": ROADMAP,
        "Школы": schools,
        "Ответственные": executors,
        "Сдача отчётов": [[str(c) for c in r] for r in SUBMISSIONS],
    }
    records = read_records(tabs, ReadingSettings(), title="", fallback_year=2020)
    routing = routing_of(records)

    assert [s.municipality for s in records.schools] == ["Кардымовский район", "г. Смоленск", ""]
    assert routing.coordinator_for("school:01") == MunicipalCoordinator(
        "КАРДЫМОВСКИЙ  район", "Отдел образования", ("ro@example.org",)
    )
    assert routing.coordinator_for("school:02") is None  # its coordinator has no address
    assert routing.coordinator_for("school:03") is None
    coordinators = [e.name for e in records.executors if e.coordinator]
    assert coordinators == ["Отдел образования", "Управление"]


def with_municipal_coordinator(project) -> None:
    """The sample workbook with every school in «Кардымовский район», whose coordinator is
    «Отдел образования» (ro@example.org)."""
    from tests.sample_workbook import EXECUTORS, SCHOOLS, make

    schools = [[*SCHOOLS[0], "Муниципалитет"]] + [[*r, "Кардымовский район"] for r in SCHOOLS[1:]]
    executors = [
        [*EXECUTORS[0], "Роль", "Муниципалитет"],
        [*EXECUTORS[1], "", ""],
        ["Отдел образования", "ro@example.org", "", "координатор", "Кардымовский район"],
    ]
    make(project, schools=schools, executors=executors)


def test_the_municipal_coordinator_gets_an_email_of_their_own(project):
    with_municipal_coordinator(project)
    project.run(date(2020, 9, 8))
    before = {m["Message-ID"] for m in project.outbox()}
    project.run(date(2020, 9, 9))

    new = [m for m in project.outbox() if m["Message-ID"] not in before]
    municipal = next(m for m in new if "ro@example.org" in str(m["To"]))
    assert str(municipal["To"]) == "Отдел образования <ro@example.org>"
    assert "Школа № 2" in municipal.get_body(("plain",)).get_content()
    journal = project.read_tab("Журнал рассылки")
    assert any(
        "municipal:кардымовский-район|1|2020-03-01|school:02|escalation" in r[-1] for r in journal
    )


def test_the_municipal_summary_is_sent_once_a_week_through_the_local_state(project):
    with_municipal_coordinator(project)

    def summaries_to_the_municipality():
        return [
            m
            for m in project.outbox()
            if "ro@example.org" in str(m["To"]) and "Сводка за неделю" in str(m["Subject"])
        ]

    project.run(date(2020, 9, 7))  # a Monday
    [first] = summaries_to_the_municipality()
    assert "Сводка за неделю (Кардымовский район) на 07.09.2020" in str(first["Subject"])
    project.run(date(2020, 9, 7))
    project.run(date(2020, 9, 8))
    assert len(summaries_to_the_municipality()) == 1
    project.run(date(2020, 9, 14))
    assert len(summaries_to_the_municipality()) == 2
