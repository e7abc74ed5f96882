"""What the service makes of each message in the reply mailbox: whose it is, which digest and
items it answers, and what to do: a date to write into an empty cell of «Сдача отчётов» (with
`inbox.mark_submissions`), a mark to suggest, an auto-reply to ignore, a bounce. Pure.

A decision is taken once, when the message is new, and kept with it in the local state: the
«Входящие» tab shows each message as it was decided, whatever happens to the sheet later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta, tzinfo
from typing import Any, Literal

from sheets_sync.inbox import (
    InboxMatch,
    InboxRecord,
    SentDigest,
    SuggestedMark,
    match_message,
    suggested_marks,
)
from sheets_sync.inputs.cells import CellMark, SourceRef
from sheets_sync.inputs.problems import Problem, Problems
from sheets_sync.inputs.records import Mark, Records
from sheets_sync.wording import ru_date

BOUNCE_DAYS = 30  # an address that bounced is not written to for this long, unless fixed
Action = Literal["marked", "suggested", "reply", "auto-reply", "bounce", "unmatched", "own"]


@dataclass(frozen=True, slots=True)
class Reply:
    """What was made of one message, kept with it: whose, what it answers, what was done."""

    party: str = ""  # "school:01", "executor:СОИРО", "" when nobody was recognised
    party_name: str = ""
    digest: str = ""  # the Message-ID of the digest it answers
    items: tuple[str, ...] = ()  # "VII.8 до 01.03.2020"
    action: Action = "reply"
    note: str = ""  # what was done, or what to do, in Russian
    failed: tuple[str, ...] = ()  # a bounce: the addresses that failed

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Reply:
        data: dict[str, Any] = json.loads(text) if text else {}
        for name in ("items", "failed"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Decided:
    """The decisions on this cycle's new messages, and the cells they write."""

    replies: tuple[Reply, ...] = ()  # one per new record, in order
    marks: tuple[CellMark, ...] = ()
    forget: tuple[str, ...] = field(default=())  # digests whose every address bounced


def parties_by_address(records: Records) -> dict[str, str]:
    """Return each address of «Школы» and «Ответственные» (lower case) and its party's key."""
    parties: dict[str, str] = {}
    for school in records.schools:
        for address in (*school.emails, *school.bounced):
            parties.setdefault(address.lower(), f"school:{school.code}")
    for ex in records.executors:
        for address in (*ex.emails, *ex.bounced):
            parties.setdefault(address.lower(), f"executor:{ex.name}")
    return parties


def decide(
    new: Sequence[InboxRecord],
    digests: Mapping[str, SentDigest],
    records: Records,
    zone: tzinfo,
    *,
    mark: bool,
) -> Decided:
    """Decide what each new message is and does; with `mark`, the dates to write."""
    parties = parties_by_address(records)
    names = _names(records)
    replies: list[Reply] = []
    marks: list[CellMark] = []
    forget: list[str] = []
    taken: set[SourceRef] = set()
    for record in new:
        match = match_message(record, digests, parties)
        base = Reply(
            match.party,
            names.get(match.party, ""),
            match.digest,
            tuple(f"{i.number} до {ru_date(i.due)}" if i.due else i.number for i in match.items),
        )
        if record.kind == "bounce":
            replies.append(_bounce(base, record, match))
            digest = digests.get(match.digest)
            if digest and {a.lower() for a in digest.addresses} <= set(match.failed):
                forget.append(digest.message_id)
            continue
        reply, cells = _reply(base, record, match, records, zone, mark, taken)
        replies.append(reply)
        marks += cells
        taken.update(c.ref for c in cells)
    return Decided(tuple(replies), tuple(marks), tuple(forget))


def _names(records: Records) -> dict[str, str]:
    names = {f"school:{s.code}": s.name for s in records.schools}
    names.update({f"executor:{e.name}": e.name for e in records.executors})
    return names


def _why(record: InboxRecord) -> str:
    """Return what the mail server said of a bounce, shortened."""
    bounce = record.bounce
    why = bounce.diagnostic or bounce.status if bounce else ""
    return why[:300]


def _bounce(base: Reply, record: InboxRecord, match: InboxMatch) -> Reply:
    failed = ", ".join(match.failed) or "адрес не указан"
    why = _why(record)
    note = f"письмо не доставлено на {failed}" + (f": {why}" if why else "")
    return Reply(base.party, base.party_name, base.digest, base.items, "bounce", note, match.failed)


def _reply(
    base: Reply,
    record: InboxRecord,
    match: InboxMatch,
    records: Records,
    zone: tzinfo,
    mark: bool,
    taken: set[SourceRef],
) -> tuple[Reply, list[CellMark]]:
    if match.via == "own":
        return Reply(base.party, base.party_name, base.digest, (), "own", "наше письмо"), []
    if record.kind == "auto-reply":
        note = f"{record.reason or 'автоответ'} — не учитывается"
        return Reply(*_who(base), "auto-reply", note), []
    if not match.party:
        note = "отправитель не найден в листах школ и ответственных — разберите вручную"
        return Reply(*_who(base), "unmatched", note), []
    if not match.digest:
        note = "не удалось понять, на какое письмо это ответ — разберите вручную"
        return Reply(*_who(base), "reply", note), []
    found = suggested_marks(record, match, zone)
    if not found:
        return Reply(*_who(base), "reply", "ответ без вложения — проверьте, сдан ли отчёт"), []
    lines: list[str] = []
    cells: list[CellMark] = []
    for suggestion in found:
        line, cell = _place(suggestion, records, mark and suggestion.sure, taken)
        lines.append(line)
        cells += [cell] if cell else []
    action: Action = "marked" if cells else "suggested"
    if not all(s.sure for s in found):
        lines.append("в письме несколько пунктов — проверьте, какие сданы")
    return Reply(*_who(base), action, "; ".join(lines)), cells


def _who(base: Reply) -> tuple[str, str, str, tuple[str, ...]]:
    return base.party, base.party_name, base.digest, base.items


def _place(
    suggestion: SuggestedMark, records: Records, write: bool, taken: set[SourceRef]
) -> tuple[str, CellMark | None]:
    """Return what to say about one suggested mark, and the cell to write when it is written."""
    kind, _, key = suggestion.party.partition(":")
    item, due, day = suggestion.item.number, suggestion.item.due, ru_date(suggestion.day)
    if kind == "executor":
        done = next((i.done_ref for i in records.items if i.key == item), None)
        where = f" в «{done.tab}», {done.cell}" if done else ""
        return f"п. {item}: впишите {day}{where}", None
    sub = records.submissions.get((key, item, due)) if due else None
    if sub is None:
        column = f"«{item} до {ru_date(due)}»" if due else f"пункта {item}"
        return f"п. {item}: в «Сдача отчётов» нет столбца {column} — отметьте вручную", None
    where = f"«{sub.ref.tab}», {sub.ref.cell}"
    if sub.mark.kind != "empty" or sub.ref in taken:
        return f"п. {item}: уже отмечено в {where}", None
    if write:
        return f"п. {item}: отмечено {day} в {where}", CellMark(sub.ref, suggestion.day)
    return f"п. {item}: впишите {day} в {where}", None


def with_marks(records: Records, marks: Iterable[CellMark]) -> Records:
    """Return `records` with the written dates in their cells of «Сдача отчётов»."""
    by_ref = {m.ref: m.day for m in marks}
    if not by_ref:
        return records
    submissions = {
        key: replace(sub, mark=Mark("done", (by_ref[sub.ref],), ru_date(by_ref[sub.ref])))
        if sub.ref in by_ref
        else sub
        for key, sub in records.submissions.items()
    }
    return replace(records, submissions=submissions)


@dataclass(frozen=True, slots=True)
class Bounced:
    """An address whose email came back: when, and what the server said."""

    day: date
    note: str


def bounced_addresses(
    replies: Iterable[tuple[InboxRecord, Reply]], zone: tzinfo, today: date
) -> dict[str, Bounced]:
    """Return the addresses that bounced in the last BOUNCE_DAYS (lower case), the latest
    bounce of each."""
    found: dict[str, Bounced] = {}
    for record, reply in replies:
        if reply.action != "bounce" or record.date is None:
            continue
        day = record.date.astimezone(zone).date()
        if (today - day).days > BOUNCE_DAYS:
            continue
        for address in reply.failed:
            if address not in found or found[address].day < day:
                found[address] = Bounced(day, _why(record) or "причина не указана")
    return found


def with_bounces(records: Records, bounced: Mapping[str, Bounced]) -> tuple[Records, list[Problem]]:
    """Return `records` with the addresses that bounced set aside (nothing is sent to them
    until the cell changes or BOUNCE_DAYS pass), and a problem on each of their cells."""
    if not bounced:
        return records, []
    problems = Problems()

    def split(emails: tuple[str, ...], ref: SourceRef) -> tuple[tuple[str, ...], ...]:
        gone = tuple(a for a in emails if a.lower() in bounced)
        for address in gone:
            b = bounced[address.lower()]
            problems.at(
                ref,
                f"письмо на «{address}» вернулось {ru_date(b.day)}, сервер ответил: {b.note}",
                "Исправьте адрес в этой ячейке. Пока он тот же, письма на него не "
                f"отправляются (новая попытка — после {ru_date(b.day + timedelta(BOUNCE_DAYS))}).",
            )
        return tuple(a for a in emails if a not in gone), gone

    schools = []
    for s in records.schools:
        kept, gone = split(s.emails, s.email_ref or s.ref) if s.active else (s.emails, ())
        schools.append(replace(s, emails=kept, bounced=gone) if gone else s)
    executors = []
    for e in records.executors:
        kept, gone = split(e.emails, e.email_ref or e.ref)
        executors.append(replace(e, emails=kept, bounced=gone) if gone else e)
    return replace(records, schools=tuple(schools), executors=tuple(executors)), list(problems)
