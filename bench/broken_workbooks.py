"""A corpus of broken workbooks: does `check` or `once` ever crash or hang on bad data?

    python bench/broken_workbooks.py [--timeout 120] [--only NAME ...]

Builds each workbook of the corpus below (real .xlsx files: missing tabs and columns, headers
out of place, merged and duplicated headers, odd values, huge and hidden ranges, chart sheets,
protected sheets, files that are not workbooks at all, a journal edited by hand...), then runs
`python run.py check` and `python run.py once` (outbox delivery) on it in a subprocess and
classifies each: completed (exit 0, or exit 1 with an `Error:` line or `check`'s findings),
crashed (exit 2 or a traceback), hung (no answer within --timeout). Prints a line per workbook,
the totals, and the first line of the error of each case that did not complete.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # sheets_sync and tests; this folder stays for attack_common

import attack_common as common
import openpyxl
from openpyxl.chart import BarChart, Reference

Tabs = dict[str, list[list[Any]]]
Writer = Callable[[Path], object]
RM, SC, EX, SU, JO = "Дорожная карта", "Школы", "Ответственные", "Сдача отчётов", common.JOURNAL
BASE: Tabs = {
    RM: [
        ["План мероприятий на 2025 год"],
        [],
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["I. Отчётность"],
        ["1", "Отчёт о работе интернет-страницы", "До 01.03.2025; До 01.11.2025", "СОИРО, ШИБЦ ОО"],
        ["2", "План работы на учебный год", "До 10.09.2025", "ШИБЦ ОО"],
        ["3", "Мониторинг фонда", "ежемесячно до 5 числа", "СОИРО"],
    ],
    SC: [
        ["Код", "Школа", "Email"],
        ["01", "Школа № 1", "s1@example.org"],
        ["02", "Школа № 2", "s2@example.org"],
    ],
    EX: [["Исполнитель", "Email"], ["СОИРО", "soiro@example.org"]],
    SU: [
        ["Код", "Школа", "1 до 01.03.2025", "1 до 01.11.2025", "2 до 10.09.2025"],
        ["01", "Школа № 1", date(2025, 2, 20), "сдано", ""],
        ["02", "Школа № 2", "", "н/т", date(2025, 9, 1)],
    ],
}


Cell = tuple[str, int, int, Any]  # tab, row, column (0-based), value


def book(*cells: Cell, edit: Callable[[Tabs], Any] | None = None, hook: Any = None) -> Writer:
    """Return a writer of the base workbook with `cells` set, its rows changed by `edit` and
    the openpyxl book by `hook` before saving."""

    def write(path: Path) -> None:
        tabs = copy.deepcopy(BASE)
        for tab, row, col, value in cells:
            rows = tabs[tab]
            rows.extend([] for _ in range(row + 1 - len(rows)))
            rows[row].extend("" for _ in range(col + 1 - len(rows[row])))
            rows[row][col] = value
        if edit:
            edit(tabs)
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in tabs.items():
            ws = wb.create_sheet(name)
            for values in rows:
                ws.append(values)
        if hook:
            hook(wb)
        wb.save(path)

    return write


def drop(tab: str, header: str) -> Writer:
    def edit(tabs: Tabs) -> None:
        col = next(r for r in tabs[tab] if header in r).index(header)
        tabs[tab] = [r[:col] + r[col + 1 :] for r in tabs[tab]]

    return book(edit=edit)


def charts(*names: str) -> Writer:
    """Return a writer whose tabs `names` are chart sheets."""

    def hook(wb: Any) -> None:
        for name in names:
            if name in wb.sheetnames:
                wb.remove(wb[name])
            chart = BarChart()
            chart.add_data(Reference(wb[RM], min_col=1, min_row=5, max_row=7))
            wb.create_chartsheet(name).add_chart(chart)

    return book(hook=hook)


def merge(tab: str, cells: str) -> Callable[[Any], None]:
    return lambda wb: wb[tab].merge_cells(cells)


def only(name: str, rows: list[list[Any]] | None, *drop: str) -> Callable[[Tabs], None]:
    """Return an edit that removes the tabs `drop` and sets the tab `name` to `rows`."""

    def edit(tabs: Tabs) -> None:
        for tab in drop:
            del tabs[tab]
        if rows is not None:
            tabs[name] = rows

    return edit


def formulas(tabs: Tabs) -> None:
    for rows in tabs.values():
        for row in rows:
            row[:] = [f'="{v}"' if isinstance(v, str) and v else v for v in row]


def zipped(keep: Callable[[str], bool]) -> Writer:
    """Return a writer of the base workbook's package without the parts `keep` refuses."""

    def write(path: Path) -> None:
        book()(path)
        with zipfile.ZipFile(path) as src:
            parts = {n: src.read(n) for n in src.namelist() if keep(n)}
        with zipfile.ZipFile(path, "w") as dst:
            for name, data in parts.items():
                dst.writestr(name, data)

    return write


def raw(data: bytes) -> Writer:
    return lambda path: path.write_bytes(data)


def truncated(path: Path) -> None:
    book()(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty_rows(wb: Any) -> None:
    fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    for r in range(8, 100_001):
        wb[RM].cell(r, 1).fill = fill
    wb[RM].append(["4", "Пункт после 100 000 пустых строк", "До 01.12.2025", "СОИРО"])


def protect(wb: Any) -> None:
    for ws in wb.worksheets:
        ws.protection.sheet, ws.protection.password = True, "secret"
    wb.security = openpyxl.workbook.protection.WorkbookProtection(lockStructure=True)


def hide(wb: Any) -> None:
    wb[RM].row_dimensions[5].hidden = wb[RM].column_dimensions["C"].hidden = True
    wb[SC].sheet_state = "hidden"


LONG = "Очень длинное название мероприятия " * 1500  # ~50,000 characters
N300 = ("Отдел информационно-библиотечного обеспечения " * 7)[:300]
CTRL = "Отчёт\t\r\n\x7f\x85_x0001_\u200b\u2028"
GARBAGE: list[list[Any]] = [["Когда", "x"], ["вчера", 1, None, "=1/0"], ["#REF!", "a|b|c"]]
BAD_KEYS: list[list[Any]] = [
    ["Когда", "Кому", "Адреса", "Этап", "Обязательства", "Результат", "Message-ID", "Ключи"],
    ["31.02.2025 25:61", "Школа", "", "", "", "отправлено", "<x@y>", "school:01|||"],
    [date(2025, 11, 1), None, 5, "", "", "отправлено: ok", "", "||\n" * 50],
]
WIDE: list[Cell] = [(SU, r, 5 + i, "да" if r else f"Д{i}") for r in (0, 1) for i in range(10_000)]
REQUIRED = [
    *[(RM, h) for h in ("№", "Мероприятие", "Срок", "Ответственные")],
    *[(SC, h) for h in ("Код", "Школа", "Email")],
    *[(EX, h) for h in ("Исполнитель", "Email")],
    (SU, "Код"),
]
CASES: list[tuple[str, Writer]] = [
    ("a valid workbook (control)", book()),
    *[(f"no «{t}» tab", book(edit=only(t, None, t))) for t in (RM, SC, EX, SU)],
    ("only an empty «Лист1»", book(edit=only("Лист1", [], RM, SC, EX, SU))),
    (
        "tab names end in a space",
        book(edit=lambda t: [t.update({f"{k} ": t.pop(k)}) for k in list(t)]),
    ),
    ("roadmap with no header row", book(edit=lambda t: t[RM].pop(2))),
    ("schools with no header row", book(edit=lambda t: t[SC].pop(0))),
    ("roadmap header in row 20", book(edit=lambda t: t[RM].__setitem__(slice(2, 2), [[]] * 17))),
    ("schools header in row 16", book(edit=lambda t: t[SC].__setitem__(slice(0, 0), [["—"]] * 15))),
    *[(f"no «{h}» column in «{t}»", drop(t, h)) for t, h in REQUIRED],
    ("roadmap with only «Срок»", book(edit=only(RM, [["Срок"], ["До 01.03"]]))),
    ("two «Срок» columns", book((RM, 2, 4, "Срок"), (RM, 4, 4, "ежегодно"))),
    ("two «Email» columns in «Школы»", book((SC, 0, 3, "Email"), (SC, 1, 3, "x@y"))),
    ("merged header cells", book(hook=merge(RM, "C3:D3"))),
    ("header merged over two rows", book(hook=merge(RM, "A3:A4"))),
    ("a deadline merged over two lines", book(hook=merge(RM, "C5:C6"))),
    ("an email merged over two schools", book(hook=merge(SC, "C2:C3"))),
    ("an empty roadmap (header only)", book(edit=lambda t: t.update({RM: t[RM][:3]}))),
    ("only section headings", book(edit=lambda t: t.update({RM: t[RM][:4] + [["II. Б"]]}))),
    ("numbers as floats (1.0)", book((RM, 4, 0, 1.0), (RM, 5, 0, 2.0), (SU, 0, 2, "1.0 до 01.03"))),
    ("codes: numbers in «Школы», text elsewhere", book((SC, 1, 0, 1), (SC, 2, 0, 2))),
    ("codes as floats", book((SC, 1, 0, 1.0), (SU, 1, 0, 1.0))),
    ("deadlines as Excel serial numbers", book((RM, 4, 2, 45717), (RM, 5, 2, 45910.5))),
    ("deadlines as date cells", book((RM, 4, 2, date(2025, 3, 1)), (RM, 5, 2, date(1900, 1, 1)))),
    ("submission dates as strings", book((SU, 1, 2, "20.02.2025"), (SU, 2, 4, "2025-09-01"))),
    ("garbage dates", book((SU, 1, 2, "32.13.2025"), (SU, 2, 4, "31.06"), (RM, 5, 2, "До 31.02"))),
    ("a typo year (До 10.09.1020)", book((RM, 5, 2, "До 10.09.1020"))),
    ("a deadline of 5,000 digits", book((RM, 5, 2, "До " + "1" * 5000))),
    (
        "a leap-year school plan",
        book((RM, 0, 0, "План на 2024/2025 уч. год"), (RM, 6, 2, "ежемесячно")),
    ),
    ("formulas everywhere", book(edit=formulas)),
    ("#REF! errors", book((RM, 5, 2, "#REF!"), (SC, 1, 2, "#REF!"), (SU, 1, 2, "#DIV/0!"))),
    ("50,000-character cells", book((RM, 4, 1, LONG), (RM, 5, 2, LONG), (SC, 1, 1, LONG))),
    ("control characters", book((RM, 4, 1, CTRL), (SC, 1, 2, "s1@exa\u200bmple.org\r\n"))),
    ("emoji", book((RM, 4, 1, "Отчёт 📚🔥👩‍👩‍👧"), (EX, 1, 0, "СОИРО 🏫"), (SC, 1, 1, "Школа 🎓"))),
    ("right-to-left text", book((RM, 4, 1, "تقرير \u202eأسبوعي"), (SC, 1, 1, "בית ספר \u202b1"))),
    ("10,000 columns", book(*WIDE)),
    ("100,000 empty rows", book(hook=empty_rows)),
    ("hidden rows, columns and tab", book(hook=hide)),
    ("a chart sheet named «Школы»", charts(SC)),
    ("generated tabs as chart sheets", charts("Сводка", JO)),
    ("a password-protected sheet", book(hook=protect)),
    ("a school listed twice", book((SC, 3, 0, "01"), (SC, 3, 1, "Школа № 1 (копия)"))),
    ("an executor with a 300-character name", book((EX, 1, 0, N300), (RM, 6, 3, N300))),
    ("columns for unknown items", book((SU, 0, 5, "99 до 01.03.2025"), (SU, 0, 6, "VII.8"))),
    ("a hand-edited journal: garbage", book(edit=only(JO, GARBAGE))),
    ("a hand-edited journal: bad keys and dates", book(edit=only(JO, BAD_KEYS))),
    ("a journal with merged cells", book(edit=only(JO, BAD_KEYS), hook=merge(JO, "A2:H3"))),
    ("a .xlsx that is really a CSV", raw("Код;Школа;Email\n01;Школа № 1;s1@e.org\n".encode())),
    ("a .xlsx that is really HTML", raw(b"<html><body><table><tr><td>1</td></tr></table>")),
    ("an encrypted workbook (OLE container)", raw(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))),
    ("a zip with no workbook.xml", zipped(lambda n: n != "xl/workbook.xml")),
    ("a zip missing a sheet part", zipped(lambda n: n != "xl/worksheets/sheet2.xml")),
    ("a zip missing its styles", zipped(lambda n: n != "xl/styles.xml")),
    ("a truncated file", truncated),
    ("a 0-byte file", raw(b"")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", nargs="*", help="run only the cases whose name contains these")
    args = parser.parse_args()
    cases = [(n, w) for n, w in CASES if not args.only or any(o in n for o in args.only)]
    totals: Counter[str] = Counter()
    trouble: list[str] = []
    exits: list[str] = []
    print(f"{len(cases)} broken workbooks; `check` and `once` (outbox) on each\n")
    print(f"{'#':>3}  {'workbook':<46} {'check':<10} {'once':<10}")
    with tempfile.TemporaryDirectory() as tmp:
        for number, (name, write) in enumerate(cases, start=1):
            folder = Path(tmp) / f"case-{number}"
            config = common.write_config(folder, None, delivery="outbox", plan_year=False)
            write(folder / "bench.xlsx")
            line = f"{number:>3}  {name[:46]:<46}"
            for command in ("check", "once"):
                kind, first = common.run_command(command, config, args.timeout)
                totals[f"{command} {kind}"] += 1
                line += f" {kind:<10}"
                if kind != "completed":
                    trouble.append(f"{number:>3} {name}: {command}: {first}")
                elif first != "exit 0":
                    exits.append(f"{number:>3} {name}: {command}: {first}")
            print(line, flush=True)
    print("\nTotals: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())))
    print("\nNot completed (first line of the error):")
    print("\n".join(trouble) or "  none")
    print("\nCompleted with exit 1 or a note (what the user was told):")
    print("\n".join(exits) or "  none")


if __name__ == "__main__":
    main()
