"""Input tab grids -> roadmap items, schools, executors, submissions and data problems. Pure.

Bad cells never stop the reading: each becomes a Problem naming the tab, the cell and the fix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from .config import REQUIRED_COLUMNS, Settings, is_email
from .deadlines import UNDERSTOOD_FORMS, Deadline, parse_deadline
from .marks import MARK_HINT, read_dates, read_mark
from .records import (
    Executor,
    Grid,
    Mark,
    Problem,
    Records,
    RoadmapItem,
    School,
    SourceRef,
    Submission,
)
from .table import Table, find_table, header_key

_ROMAN_HEADING = re.compile(r"^(?P<roman>[IVXLC]{1,6})\s*[.)]?(?:\s+\S|$)")
_NUMBER = re.compile(r"^[IVXLC]*\.?\d+(?:\.\d+)*\.?$|^[IVXLC]{1,6}\.?$")
_YEAR_IN_TITLE = re.compile(
    r"(?:на|в)\s+(20\d\d)\s*(?:[-–/]\s*20\d\d\s*)?(?:г|год|уч)", re.IGNORECASE
)
_ANY_YEAR = re.compile(r"\b(20\d\d)\b")
_SUBMISSION_HEADER = re.compile(r"^(?P<item>\S.*?)\s+до\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4})$")
_SEPARATOR = re.compile(r"^[-–—_=\s|]*$")
YES = frozenset({"да", "yes", "+", "1", "true", "истина"})
NO = frozenset({"нет", "no", "-", "0", "false", "ложь"})


def read_records(
    tabs: Mapping[str, Grid], settings: Settings, *, title: str = "", fallback_year: int
) -> Records:
    """Return the records held by the input `tabs`; `fallback_year` is used when no plan year is
    configured or written in the roadmap's title."""
    names = settings.tabs
    problems: list[Problem] = []
    roadmap = find_table(
        names.roadmap,
        tabs.get(names.roadmap, []),
        settings.columns["roadmap"],
        REQUIRED_COLUMNS["roadmap"],
        problems,
    )
    plan_year = settings.plan_year or _plan_year(roadmap, title) or fallback_year
    executors = _executors(tabs, settings, problems)
    schools = _schools(tabs, settings, problems)
    items, sections = _items(roadmap, settings, plan_year, executors, problems)
    submissions, columns, readable = _submissions(tabs, settings, items, schools, problems)
    return Records(
        title=_plan_title(roadmap) or title or names.roadmap,
        plan_year=plan_year,
        items=tuple(items),
        schools=tuple(schools),
        executors=tuple(executors),
        submissions=submissions,
        submission_columns=frozenset(columns),
        problems=tuple(problems),
        submissions_readable=readable,
        sections=tuple(sections),
    )


def _plan_title(table: Table) -> str:
    """Return the roadmap's own title: the text above its header row ("План мероприятий ...")."""
    above = [
        " ".join(c.strip() for c in row if c.strip())
        for row in table.grid[: max(table.header_row - 1, 0)]
    ]
    return re.sub(r"\s+", " ", " ".join(t for t in above if t)).strip(" *")[:300]


def _plan_year(table: Table, title: str) -> int | None:
    """Return the year a roadmap's title names ("... на 2020 год"), if any."""
    above = [" ".join(row) for row in table.grid[: max(table.header_row - 1, 0)]]
    for text in (*above, title):
        match = _YEAR_IN_TITLE.search(text)
        if match:
            return int(match.group(1))
    for text in (*above, title):
        years = _ANY_YEAR.findall(text)
        if years:
            return int(years[0])
    return None


def name_words(text: str) -> str:
    """Return a name's words: case, ё, quotes and punctuation ignored ("Зав. ИБЦ" -> "зав ибц")."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"[«»\"'“”„.,:;()\[\]/-]", " ", text)
    text = re.sub(r"№\s*", "№", text)
    return re.sub(r"\s+", " ", text).strip()


def name_key(text: str) -> str:
    """Return a name as compared: spaces ignored too ("Г.А.У. ДПО" and "ГАУ ДПО" match)."""
    return name_words(text).replace(" ", "")


def split_owners(text: str) -> list[str]:
    """Return the parties named in an `Ответственные` cell ("СОИРО, ШИБЦ ОО", "1. Директор 2. Зав")."""
    text = re.sub(r"(?:^|(?<=\s))\d{1,2}[.)]\s+(?=\D)", "\n", text)
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "(«":
            depth += 1
        elif ch in ")»":
            depth = max(depth - 1, 0)
        if ch in ",;\n" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip(" .-–—\t") for p in parts if p.strip(" .-–—\t")]


def _names_schools(part: str, school_names: Sequence[str]) -> bool:
    key = name_words(part)
    words = set(key.split())
    for marker in school_names:
        m = name_words(marker)
        if key == m or key.startswith(m + " ") or (" " not in m and m in words):
            return True
    return "школ" in key and not key.startswith(("директор", "зав"))


def _emails(text: str) -> list[str]:
    """Return the addresses in a cell; a comma separates only whole addresses (a@b,org is one
    mistyped address, not two)."""
    result = []
    for token in re.split(r"[\s;]+", text.strip()):
        pieces = [p for p in token.split(",") if p]
        result.extend(pieces if all("@" in p for p in pieces) else [token.strip(",")])
    return [e for e in result if e]


def _check_emails(
    emails: list[str], ref: SourceRef, who: str, problems: list[Problem]
) -> tuple[str, ...]:
    good = []
    for address in emails:
        if is_email(address):
            good.append(address)
        else:
            problems.append(
                Problem(
                    ref.tab,
                    ref.cell,
                    f"«{address}» — не адрес электронной почты ({who})",
                    "Исправьте адрес (вид: name@example.ru); несколько адресов разделяйте запятой.",
                )
            )
    return tuple(good)


def _executors(
    tabs: Mapping[str, Grid], settings: Settings, problems: list[Problem]
) -> list[Executor]:
    tab = settings.tabs.executors
    if tab not in tabs:
        return []
    table = find_table(
        tab, tabs[tab], settings.columns["executors"], REQUIRED_COLUMNS["executors"], problems
    )
    if not table.header_row:
        return []
    result: list[Executor] = []
    seen: dict[str, SourceRef] = {}
    for ref, cells in table.rows():
        name = table.value(cells, "name")
        if not name:
            if any(c.strip() for c in cells):
                problems.append(
                    Problem(
                        tab,
                        ref.at(table.columns["name"]).cell,
                        "строка без имени исполнителя",
                        "Впишите исполнителя так, как он назван в дорожной карте.",
                    )
                )
            continue
        key = name_key(name)
        if key in seen:
            problems.append(
                Problem(
                    tab,
                    ref.at(table.columns["name"]).cell,
                    f"исполнитель «{name}» уже есть в {seen[key].cell}",
                    "Удалите повтор или объедините строки.",
                )
            )
            continue
        seen[key] = ref.at(table.columns["name"])
        email_ref = ref.at(table.columns.get("email", 0))
        emails = _check_emails(_emails(table.value(cells, "email")), email_ref, name, problems)
        if not emails and table.has("email") and not table.value(cells, "email"):
            problems.append(
                Problem(
                    tab,
                    email_ref.cell,
                    f"у исполнителя «{name}» нет адреса",
                    "Впишите Email, иначе напоминания ему не уходят.",
                )
            )
        synonyms = tuple(
            s.strip() for s in re.split(r"[;\n]", table.value(cells, "synonyms")) if s.strip()
        )
        result.append(Executor(name, emails, ref, synonyms))
    return result


def _schools(tabs: Mapping[str, Grid], settings: Settings, problems: list[Problem]) -> list[School]:
    tab = settings.tabs.schools
    if tab not in tabs:
        return []
    table = find_table(
        tab, tabs[tab], settings.columns["schools"], REQUIRED_COLUMNS["schools"], problems
    )
    if not table.header_row or not table.has("code"):
        return []
    result: list[School] = []
    seen: dict[str, SourceRef] = {}
    for ref, cells in table.rows():
        code, name = table.value(cells, "code"), table.value(cells, "name")
        code_ref = ref.at(table.columns["code"])
        if not code:
            if name:
                problems.append(
                    Problem(
                        tab,
                        code_ref.cell,
                        f"у школы «{name}» нет кода",
                        "Впишите код школы: по нему строки листа «Сдача отчётов» "
                        "связываются со школой.",
                    )
                )
            continue
        if code.casefold() in seen:
            problems.append(
                Problem(
                    tab,
                    code_ref.cell,
                    f"код «{code}» повторяется (первый раз — {seen[code.casefold()].cell})",
                    "Дайте каждой школе свой код; повторная строка не читается.",
                )
            )
            continue
        seen[code.casefold()] = code_ref
        email_ref = ref.at(table.columns.get("email", 0))
        emails = _check_emails(
            _emails(table.value(cells, "email")), email_ref, name or code, problems
        )
        active_text = table.value(cells, "active").casefold()
        active = active_text not in NO
        if active_text and active_text not in YES | NO:
            problems.append(
                Problem(
                    tab,
                    ref.at(table.columns["active"]).cell,
                    f"«{table.value(cells, 'active')}» в столбце «Активна»",
                    "Напишите «да» или «нет» (пусто — да).",
                )
            )
        if active and not emails and table.has("email") and not table.value(cells, "email"):
            problems.append(
                Problem(
                    tab,
                    email_ref.cell,
                    f"у школы «{name or code}» нет адреса",
                    "Впишите Email, иначе напоминания школе не уходят.",
                )
            )
        result.append(
            School(code, name or code, emails, ref, table.value(cells, "contact"), active)
        )
    return result


def _section_heading(cells: list[str], table: Table) -> str | None:
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) != 1:
        number = table.value(cells, "number")
        if number and _ROMAN_HEADING.match(number) and not table.value(cells, "deadline"):
            return " ".join(filled)
        return None
    text = filled[0]
    if _ROMAN_HEADING.match(text) or (text.isupper() and len(text) > 3):
        return text
    if re.search(r"\b(этап|раздел)\b", text, re.IGNORECASE) and not re.match(r"^\d", text):
        return text
    return None


def _is_header_again(cells: list[str], table: Table) -> bool:
    keys = [header_key(c) for c in cells if c.strip()]
    return bool(keys) and keys == [header_key(h) for h in table.headers if h.strip()][: len(keys)]


def _items(
    table: Table,
    settings: Settings,
    plan_year: int,
    executors: list[Executor],
    problems: list[Problem],
) -> tuple[list[RoadmapItem], list[str]]:
    tab = table.tab
    if not table.header_row or not table.has("deadline"):
        return [], []
    lookup: dict[str, str] = {}
    for ex in executors:
        for alias in (ex.name, *ex.synonyms):
            lookup.setdefault(name_key(alias), ex.name)
    rows: list[tuple[SourceRef, list[str], str]] = []
    section, sections = "", []
    for ref, cells in table.rows():
        if not any(c.strip() for c in cells) or _SEPARATOR.match("".join(cells)):
            continue
        if _is_header_again(cells, table):
            continue
        heading = _section_heading(cells, table)
        if heading:
            section = heading
            sections.append(section)
            continue
        rows.append((ref, cells, section))
    numbers: dict[str, set[str]] = defaultdict(set)
    for _ref, cells, sec in rows:
        numbers[_number(table.value(cells, "number"))].add(sec)
    prefix_sections = any(len(secs) > 1 for n, secs in numbers.items() if n)

    items: list[RoadmapItem] = []
    unknown: dict[str, list[SourceRef]] = defaultdict(list)
    seen_rows: dict[tuple[str, ...], SourceRef] = {}
    seen_keys: dict[str, SourceRef] = {}
    for index, (ref, cells, sec) in enumerate(rows):
        col = table.columns
        content = tuple(c.strip() for c in cells)
        if content in seen_rows:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"строка повторяет строку {seen_rows[content].row}",
                    "Удалите повторную строку; она не читается.",
                )
            )
            continue
        seen_rows[content] = ref
        number = _number(table.value(cells, "number"))
        title = table.value(cells, "title")
        deadline_text = table.value(cells, "deadline")
        owners_text = table.value(cells, "owners")
        override = table.value(cells, "deadline_date")
        if not deadline_text and not owners_text and not override:
            nxt = rows[index + 1][1] if index + 1 < len(rows) else []
            if number and nxt and _number(table.value(nxt, "number")).startswith(number + "."):
                continue  # a group heading ("1 Подготовка ...") over its sub-items 1.1, 1.2
        key = f"{_roman(sec)}.{number}" if prefix_sections and number and _roman(sec) else number
        if not number:
            key = f"стр{ref.row}"
            problems.append(
                Problem(
                    tab,
                    ref.at(col["number"]).cell if "number" in col else ref.cell,
                    f"у мероприятия «{_short(title)}» нет номера",
                    "Впишите номер (например, 2.3): по нему связываются отметки "
                    "о сдаче и напоминания.",
                )
            )
        if key in seen_keys:
            problems.append(
                Problem(
                    tab,
                    ref.at(col.get("number", 1)).cell,
                    f"номер {key} уже есть в {seen_keys[key].cell}",
                    "Дайте мероприятию свой номер (например, добавьте .1).",
                )
            )
            key = f"{key}#стр{ref.row}"
        seen_keys[key] = ref.at(col.get("number", 1))
        deadline_ref = ref.at(col["deadline"])
        deadline, overridden = _deadline(deadline_text, override, plan_year, table, ref, problems)
        names, school_named = [], False
        for part in split_owners(owners_text):
            if _names_schools(part, settings.school_names):
                school_named = True
            elif name_key(part) in lookup:
                names.append(lookup[name_key(part)])
            else:
                unknown[part].append(ref.at(col["owners"]))
        if not owners_text:
            problems.append(
                Problem(
                    tab,
                    ref.at(col["owners"]).cell,
                    f"у мероприятия {key} не указаны ответственные",
                    "Впишите исполнителей (как в листе «Ответственные») или школы.",
                )
            )
        school_report = _school_report(table, cells, ref, school_named, problems)
        done_ref = ref.at(col["done"]) if "done" in col else None
        done = read_mark(table.value(cells, "done"))
        if done.kind == "unclear" and done_ref:
            problems.append(
                Problem(tab, done_ref.cell, f"не удалось прочитать «{done.text}»", MARK_HINT)
            )
        items.append(
            RoadmapItem(
                key=key,
                number=number,
                section=sec,
                title=title or f"(без названия, {ref.cell})",
                deadline=deadline,
                owners_text=owners_text,
                executors=tuple(dict.fromkeys(names)),
                school_report=school_report,
                ref=ref,
                deadline_ref=deadline_ref,
                deadline_overridden=overridden,
                content=table.value(cells, "content"),
                done=done,
                done_ref=done_ref,
                note=table.value(cells, "note"),
            )
        )
    for name, refs in unknown.items():
        where = ", ".join(r.cell for r in refs[:5]) + (" …" if len(refs) > 5 else "")
        problems.append(
            Problem(
                tab,
                refs[0].cell,
                f"исполнитель «{name}» не найден в листе «{settings.tabs.executors}» (ячейки {where})",
                f"Добавьте в лист «{settings.tabs.executors}» строку «{name}» с адресом, или впишите "
                "это написание в «Синонимы» нужного исполнителя.",
            )
        )
    return items, list(dict.fromkeys(sections))


def _deadline(
    text: str, override: str, plan_year: int, table: Table, ref: SourceRef, problems: list[Problem]
) -> tuple[Deadline, bool]:
    tab, col = table.tab, table.columns
    if override:
        dates = read_dates(override)
        if dates:
            return Deadline(override, "dates", dates), True
        problems.append(
            Problem(
                tab,
                ref.at(col["deadline_date"]).cell,
                f"«{override}» в «Срок (дата)» — не дата",
                "Впишите дату или даты через «;», например: 01.03.2020; 01.06.2020. "
                "Пока читается текст столбца «Срок».",
            )
        )
    if not text:
        problems.append(
            Problem(
                tab,
                ref.at(col["deadline"]).cell,
                "срок не указан",
                f"Впишите срок. Понятные формы: {UNDERSTOOD_FORMS}.",
            )
        )
        return Deadline("", "unknown"), False
    deadline = parse_deadline(text, plan_year)
    if deadline.kind == "unknown":
        problems.append(
            Problem(
                tab,
                ref.at(col["deadline"]).cell,
                f"не удалось прочитать срок «{_short(text, 80)}»; напоминаний нет",
                f"Перепишите срок, например: {UNDERSTOOD_FORMS}; или впишите дату в "
                "столбец «Срок (дата)».",
            )
        )
    return deadline, False


def _school_report(
    table: Table, cells: list[str], ref: SourceRef, school_named: bool, problems: list[Problem]
) -> bool:
    text = table.value(cells, "school_report").casefold()
    if not text:
        return school_named
    if text in YES:
        return True
    if text in NO:
        return False
    problems.append(
        Problem(
            table.tab,
            ref.at(table.columns["school_report"]).cell,
            f"«{text}» в столбце «Отчёт школ»",
            "Напишите «да» или «нет»; пусто — да, если среди ответственных названы школы.",
        )
    )
    return school_named


def _submissions(
    tabs: Mapping[str, Grid],
    settings: Settings,
    items: list[RoadmapItem],
    schools: list[School],
    problems: list[Problem],
) -> tuple[dict[tuple[str, str, date], Submission], set[tuple[str, date]], bool]:
    tab = settings.tabs.submissions
    school_items = [i for i in items if i.school_report and i.deadline.due_dates]
    if tab not in tabs:
        if school_items:
            problems.append(
                Problem(
                    tab,
                    "",
                    f"нет листа «{tab}»",
                    f"Создайте лист «{tab}» (команда `python run.py sync` "
                    "добавит его со столбцами). Пока напоминаний школам нет.",
                )
            )
        return {}, set(), False
    table = find_table(
        tab, tabs[tab], settings.columns["submissions"], REQUIRED_COLUMNS["submissions"], problems
    )
    if not table.header_row or not table.has("code"):
        return {}, set(), False
    by_key = {i.key.casefold(): i for i in items}
    columns: dict[int, tuple[str, date]] = {}
    known = {header_key(a) for names in settings.columns["submissions"].values() for a in names}
    for col, header in enumerate(table.headers, start=1):
        header = header.strip()
        if not header or header_key(header) in known:
            continue
        ref = SourceRef(tab, table.header_row, col)
        match = _SUBMISSION_HEADER.match(re.sub(r"\s+", " ", header))
        dates = read_dates(match.group("date")) if match else None
        if not match or not dates:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"заголовок «{header}» не читается",
                    "Заголовок столбца отчёта пишется как «<№> до <ДД.ММ.ГГГГ>», "
                    "например «VII.8 до 01.03.2020».",
                )
            )
            continue
        item = by_key.get(match.group("item").casefold())
        if item is None:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"в дорожной карте нет мероприятия {match.group('item')}",
                    "Исправьте номер в заголовке или удалите столбец.",
                )
            )
            continue
        if dates[0] not in item.deadline.due_dates:
            problems.append(
                Problem(
                    tab,
                    ref.cell,
                    f"у мероприятия {item.key} нет срока {dates[0]:%d.%m.%Y}",
                    "Срок в дорожной карте изменился? Исправьте дату в заголовке: "
                    + ", ".join(f"{d:%d.%m.%Y}" for d in item.deadline.due_dates),
                )
            )
            continue
        columns[col] = (item.key, dates[0])
    codes = {s.code.casefold(): s for s in schools}
    submissions: dict[tuple[str, str, date], Submission] = {}
    seen: set[str] = set()
    for ref, cells in table.rows():
        code = table.value(cells, "code")
        if not code:
            continue
        school = codes.get(code.casefold())
        if school is None:
            problems.append(
                Problem(
                    tab,
                    ref.at(table.columns["code"]).cell,
                    f"школы с кодом «{code}» нет в листе «{settings.tabs.schools}»",
                    "Исправьте код или добавьте школу.",
                )
            )
            continue
        if school.code in seen:
            problems.append(
                Problem(
                    tab,
                    ref.at(table.columns["code"]).cell,
                    f"строка школы «{code}» повторяется; читается первая",
                    "Оставьте одну строку на школу.",
                )
            )
            continue
        seen.add(school.code)
        for col, (item_key, due) in columns.items():
            text = cells[col - 1] if col <= len(cells) else ""
            mark = read_mark(text)
            cell = ref.at(col)
            if mark.kind == "unclear":
                problems.append(
                    Problem(tab, cell.cell, f"не удалось прочитать «{mark.text}»", MARK_HINT)
                )
            submissions[(school.code, item_key, due)] = Submission(
                school.code, item_key, due, mark, cell
            )
    present = set(columns.values())
    missing = sorted(
        {(i.key, d) for i in school_items for d in i.deadline.due_dates} - present,
        key=lambda kd: (kd[1], kd[0]),
    )
    if missing:
        names = ", ".join(f"«{k} до {d:%d.%m.%Y}»" for k, d in missing[:6])
        more = f" и ещё {len(missing) - 6}" if len(missing) > 6 else ""
        problems.append(
            Problem(
                tab,
                f"строка {table.header_row}",
                f"нет столбцов для отчётов: {names}{more}",
                "Выполните `python run.py sync` — он допишет столбцы справа, "
                "ничего не сдвигая; или добавьте их вручную.",
            )
        )
    return submissions, present, True


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(".")


def _roman(section: str) -> str:
    match = _ROMAN_HEADING.match(section.strip())
    return match.group("roman") if match else ""


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mark_of(submission: Submission | None) -> Mark:
    """Return the mark of a submission cell, or an empty mark when there is none."""
    return submission.mark if submission else Mark("empty")
