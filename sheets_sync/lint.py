"""The pre-send lint behind `python run.py check`: everything a run would put in «Проблемы», and
what would stop a run or silently shrink it: an empty roadmap, a plan whose dates have all
passed, a roadmap with school reports but no active school, a run over the safety cap, and
placeholder addresses (example.org, .test, ...). Pure: it takes what a dry run read and
planned.

Every finding names its tab and cell (or the settings key) and the fix, in Russian like
«Проблемы». An error would stop or shrink a run; a warning would not. Placeholder addresses
are errors when mail really goes out (`mail.delivery = "smtp"`), warnings while it goes to the
outbox folder (the demo's own addresses are all @example.org).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sheets_sync.inputs.problems import Problem
from sheets_sync.inputs.records import Executor, Records, School
from sheets_sync.obligations import copied_forward_year
from sheets_sync.wording import ru_date

Severity = Literal["error", "warning"]

# Domains reserved for examples and tests (RFC 2606, RFC 6761), and the labels that mark one.
_PLACEHOLDER_LABELS = frozenset({"example"})
_PLACEHOLDER_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})
_PLACEHOLDER_USERS = frozenset({"test", "name", "user"})
_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Finding:
    tab: str  # "": the run as a whole, or the settings file
    cell: str  # the cell or row; in the settings, the key
    what: str
    fix: str
    severity: Severity = "error"
    in_settings: bool = False


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What the lint needs from the settings and the dry run besides the records."""

    emails: int = 0  # the emails this run would send
    cap: int = 60  # reminders.max_emails_per_run
    real_mail: bool = False  # mail.delivery = "smtp": addresses matter
    # Settings keys holding addresses: mail.from, reminders.escalate_to, ...
    addresses: Mapping[str, Sequence[str]] = field(default_factory=dict)
    roadmap_tab: str = "Дорожная карта"
    schools_tab: str = "Школы"


def lint(
    records: Records, problems: Sequence[Problem], facts: RunFacts, today: date
) -> list[Finding]:
    """Return every finding, those of «Проблемы» first."""
    findings = [Finding(p.tab, p.cell, p.what, p.fix) for p in problems]
    if records.unreadable:  # what else is said of a reading that lost a tab would mislead
        return findings
    findings += _roadmap(records, facts, today)
    if facts.emails > facts.cap:
        findings.append(
            Finding(
                "",
                "reminders.max_emails_per_run",
                f"рассылка остановится: {facts.emails} писем — больше лимита {facts.cap} "
                "за один запуск, не уйдёт ни одно",
                "Проверьте сроки и отметки о сдаче (ошибка в дате или столбце может разослать "
                "письма всем школам); если всё верно — увеличьте лимит.",
                in_settings=True,
            )
        )
    findings += placeholders(records, facts)
    return findings


def _roadmap(records: Records, facts: RunFacts, today: date) -> list[Finding]:
    roadmap = facts.roadmap_tab
    if not records.items:
        return [
            Finding(
                roadmap,
                "",
                "в дорожной карте нет ни одного мероприятия: рассылать нечего",
                "Заполните лист дорожной карты (строки под заголовком: №, мероприятие, срок, "
                "ответственные) или проверьте workbook.path / workbook.spreadsheet.",
            )
        ]
    found = []
    dates = [d for item in records.items for d in item.deadline.due_dates]
    # A plan copied forward from an earlier year is already in «Проблемы».
    if dates and max(dates) < today and copied_forward_year(records) is None:
        found.append(
            Finding(
                roadmap,
                "",
                f"все сроки плана прошли (последний — {ru_date(max(dates))}): новых напоминаний "
                "о сроках не будет; о просроченном напоминается, пока его не сдадут или не "
                "передадут координатору",
                "Внесите план на следующий период (новые сроки) или остановите службу.",
            )
        )
    school_items = [i for i in records.items if i.school_report and i.deadline.due_dates]
    if school_items and not any(s.active for s in records.schools):
        found.append(
            Finding(
                roadmap,
                "",
                f"у {len(school_items)} мероприятий есть отчёт школ, но в листе «{facts.schools_tab}» "
                "нет ни одной активной школы: школам ничего не уйдёт",
                "Заполните лист школ (код, название, Email) или отметьте школы активными.",
            )
        )
    return found


def is_placeholder(address: str) -> bool:
    """Return whether `address` is an example or test address that reaches nobody."""
    user, _, domain = address.strip().lower().rpartition("@")
    labels = domain.split(".")
    return (
        bool(_PLACEHOLDER_LABELS.intersection(labels))
        or labels[-1] in _PLACEHOLDER_TLDS
        or user in _PLACEHOLDER_USERS
    )


def placeholders(records: Records, facts: RunFacts) -> list[Finding]:
    """Return one finding per tab (and per settings key) that holds placeholder addresses."""
    severity: Severity = "error" if facts.real_mail else "warning"
    fix = (
        "Впишите настоящие адреса: письма на адреса-примеры никуда не приходят."
        if facts.real_mail
        else 'Перед настоящей рассылкой (mail.delivery = "smtp") впишите настоящие адреса; '
        "пока письма пишутся в папку, это не мешает."
    )
    by_tab: dict[str, list[str]] = {}
    people: list[School | Executor] = [*records.schools, *records.executors]
    for person in people:
        for address in person.emails:
            if is_placeholder(address):
                by_tab.setdefault(person.ref.tab, []).append(f"{person.ref.cell}: {address}")
    found = [Finding(tab, "", _listing(shown), fix, severity) for tab, shown in by_tab.items()]
    for key, addresses in facts.addresses.items():
        bad = [a for a in addresses if a and is_placeholder(a)]
        if bad:
            found.append(Finding("", key, _listing(bad), fix, severity, in_settings=True))
    return found


def _listing(addresses: list[str]) -> str:
    more = f" и ещё {len(addresses) - _SHOWN}" if len(addresses) > _SHOWN else ""
    return f"адреса-примеры ({len(addresses)}): {'; '.join(addresses[:_SHOWN])}{more}"
