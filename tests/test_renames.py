"""A school whose code changes (the old one kept in «Прежний код») or an executor renamed (the old
spelling kept among «Синонимы») is not reminded again of what it was reminded under the old name.
"""

from __future__ import annotations

from datetime import date

from tests.sample_workbook import EXECUTORS, ROADMAP, SCHOOLS, SUBMISSIONS, make

DAY = date(2020, 9, 8)


def renamed(project, *, keep_old: bool = True) -> None:
    schools = [[*SCHOOLS[0], "Прежний код"], *([*r, ""] for r in SCHOOLS[1:])]
    schools[1] = ["A-01", "Школа № 1", "s1@example.org", "да", "01" if keep_old else ""]
    executors = [
        EXECUTORS[0],
        ["Отдел СОИРО", "soiro@example.org", "СОИРО; РИБЦ" if keep_old else "РИБЦ"],
    ]
    roadmap = (
        ROADMAP
        if keep_old
        else [*ROADMAP[:4], *([*r[:3], r[3].replace("СОИРО", "Отдел СОИРО")] for r in ROADMAP[4:])]
    )
    submissions = [SUBMISSIONS[0], ["A-01", *SUBMISSIONS[1][1:]], SUBMISSIONS[2]]
    make(project, roadmap=roadmap, schools=schools, executors=executors, submissions=submissions)


def test_a_renamed_school_and_executor_are_not_reminded_again_the_same_day(project):
    make(project)
    first = project.run(DAY)
    assert {e.recipient for e in first.sent} >= {"school:01", "executor:СОИРО"}

    renamed(project)
    again = project.run(DAY)

    assert again.sent == []


def test_without_the_old_name_kept_the_renamed_parties_are_new_recipients(project):
    make(project)
    project.run(DAY)

    renamed(project, keep_old=False)
    again = project.run(DAY)

    assert {e.recipient for e in again.sent} >= {"school:A-01", "executor:Отдел СОИРО"}
