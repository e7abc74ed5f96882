"""«Школы» and «Ответственные» grids -> schools and executors, with their problems. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sheets_sync.settings.types import REQUIRED_COLUMNS, ReadingSettings, is_email

from .cells import Grid, SourceRef
from .problems import Problems
from .records import Executor, School
from .table import find_table

YES = frozenset({"да", "yes", "+", "1", "true", "истина"})
NO = frozenset({"нет", "no", "-", "0", "false", "ложь"})


def name_words(text: str) -> str:
    """Return a name's words: case, ё, quotes and punctuation ignored ("Зав. ИБЦ" -> "зав ибц")."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"[«»\"'“”„.,:;()\[\]/-]", " ", text)
    text = re.sub(r"№\s*", "№", text)
    return re.sub(r"\s+", " ", text).strip()


def name_key(text: str) -> str:
    """Return a name as compared: spaces ignored too ("Г.А.У. ДПО" and "ГАУ ДПО" match)."""
    return name_words(text).replace(" ", "")


def _emails(text: str) -> list[str]:
    """Return the addresses in a cell; a comma separates only whole addresses (a@b,org is one
    mistyped address, not two), and words with no «@» between them are one piece of text
    («Соколова Д. Д.» is one thing that is not an address, not three)."""
    result: list[str] = []
    words: list[str] = []
    for token in re.split(r"[\s;]+", text.strip()):
        if "@" not in token:
            words.append(token)
            continue
        result.append(" ".join(words).strip(" ,"))
        words = []
        pieces = [p for p in token.split(",") if p]
        result.extend(pieces if all("@" in p for p in pieces) else [token.strip(",")])
    result.append(" ".join(words).strip(" ,"))
    return list(dict.fromkeys(e for e in result if e))


def code_key(code: str) -> str:
    """Return a school code as compared: «01» (text) and 1 (a number) are the same school."""
    code = code.strip()
    return str(int(code)) if code.isdigit() else code.casefold()


def _check_emails(
    emails: list[str], ref: SourceRef, who: str, problems: Problems
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the good addresses and the rest, each of the rest a problem on its cell."""
    good, bad = [], []
    for address in emails:
        if is_email(address):
            good.append(address)
            continue
        bad.append(address)
        what = "слишком длинный адрес" if "@" in address and len(address) > 254 else "не адрес"
        problems.at(
            ref,
            f"«{_cut(address)}» — {what} электронной почты ({who}): напоминания по нему не уходят",
            "Исправьте адрес (вид: name@example.ru); несколько адресов разделяйте запятой.",
        )
    return tuple(good), tuple(bad)


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_coordinator(role: str) -> bool:
    """Return whether a «Роль» cell names the coordinating body («координатор», «собирает
    отчёты», «координирующий орган»)."""
    role = role.casefold()
    return "координ" in role or "собира" in role


def read_executors(
    tabs: Mapping[str, Grid], settings: ReadingSettings, problems: Problems
) -> list[Executor]:
    tab = settings.tabs.executors
    if tab not in tabs:
        return []
    table = find_table(
        tab, tabs[tab], settings.columns["executors"], REQUIRED_COLUMNS["executors"], problems
    )
    if not table.header_row or not table.has("name"):
        return []
    result: list[Executor] = []
    seen: dict[str, SourceRef] = {}
    for ref, cells in table.rows():
        name = table.value(cells, "name")
        if not name:
            if any(c.strip() for c in cells):
                problems.at(
                    ref.at(table.columns["name"]),
                    "строка без имени исполнителя",
                    "Впишите исполнителя так, как он назван в дорожной карте.",
                )
            continue
        key = name_key(name)
        if key in seen:
            problems.at(
                ref.at(table.columns["name"]),
                f"исполнитель «{name}» уже есть в {seen[key].cell}",
                "Удалите повтор или объедините строки.",
            )
            continue
        seen[key] = ref.at(table.columns["name"])
        email_ref = ref.at(table.columns.get("email", 0))
        emails, bad = _check_emails(_emails(table.value(cells, "email")), email_ref, name, problems)
        if not emails and table.has("email") and not table.value(cells, "email"):
            problems.at(
                email_ref,
                f"у исполнителя «{name}» нет адреса",
                "Впишите Email, иначе напоминания ему не уходят.",
            )
        synonyms = tuple(
            s.strip() for s in re.split(r"[;\n]", table.value(cells, "synonyms")) if s.strip()
        )
        result.append(
            Executor(
                name,
                emails,
                ref,
                synonyms,
                bad_emails=bad,
                email_ref=email_ref if table.has("email") else None,
                coordinator=_is_coordinator(table.value(cells, "role")),
                municipality=table.value(cells, "municipality"),
            )
        )
    return result


def read_schools(
    tabs: Mapping[str, Grid], settings: ReadingSettings, problems: Problems
) -> list[School]:
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
                problems.at(
                    code_ref,
                    f"у школы «{name}» нет кода",
                    "Впишите код школы: по нему строки листа «Сдача отчётов» "
                    "связываются со школой.",
                )
            continue
        if code_key(code) in seen:
            problems.at(
                code_ref,
                f"код «{code}» повторяется (первый раз — {seen[code_key(code)].cell})",
                "Дайте каждой школе свой код; повторная строка не читается.",
            )
            continue
        seen[code_key(code)] = code_ref
        email_ref = ref.at(table.columns.get("email", 0))
        emails, bad = _check_emails(
            _emails(table.value(cells, "email")), email_ref, name or code, problems
        )
        active_text = table.value(cells, "active").casefold()
        active = active_text not in NO
        if active_text and active_text not in YES | NO:
            problems.at(
                ref.at(table.columns["active"]),
                f"«{table.value(cells, 'active')}» в столбце «Активна»",
                "Напишите «да» или «нет» (пусто — да).",
            )
        if active and not emails and table.has("email") and not table.value(cells, "email"):
            problems.at(
                email_ref,
                f"у школы «{name or code}» нет адреса",
                "Впишите Email, иначе напоминания школе не уходят.",
            )
        former = tuple(c for c in re.split(r"[;,\s]+", table.value(cells, "former_codes")) if c)
        result.append(
            School(
                code,
                name or code,
                emails,
                ref,
                table.value(cells, "contact"),
                active,
                bad_emails=bad,
                email_ref=email_ref if table.has("email") else None,
                municipality=table.value(cells, "municipality"),
                former_codes=former,
            )
        )
    return result
