"""Forms rewritten into ones the reader already knows, before the phrase is cut into tokens:
abbreviations (`по отд. графику`), day numbers written as words (`к пятому числу`, `до десятого
июня`), counts written as words (`в течение семи дней`, `за две недели`), numbers
restated or offered as an alternative in parentheses (`до 10-го (десятого) числа`,
`15 (16) апреля`), the middle of a year, the weekday of a named month (`в третий четверг
октября`, kept as a marker the tokeniser reads), and the date a span is counted back from
(`за месяц до начала учебного года`: that date is the event, not the deadline).

`rewrite` is the entry point, called by `text.normalise`. Pure; no dates are decided here.
"""

from __future__ import annotations

import re

# A day number at or above this stands for a weekday of its month: WEEKDAY_DAY + 100 * the
# weekday's number in the month (9: the last) + 10 * the weekday (0 Monday) + 1 if working.
WEEKDAY_DAY = 999_000


def is_weekday_code(value: int) -> bool:
    """Whether a number is a marker `_weekday_marker` wrote (not a number a plan wrote)."""
    code = value - WEEKDAY_DAY
    return (
        0 <= code < 1000
        and code // 100 in (1, 2, 3, 4, 5, 9)
        and code // 10 % 10 <= 6
        and code % 10 <= 1
    )


# Abbreviations of plans' deadline columns, with the full word they stand for.
_ABBREVIATIONS = {
    "отд": "отдельному",
    "установл": "установленные",
    "ежемес": "ежемесячно",
    "ежекварт": "ежеквартально",
    "ежегод": "ежегодно",
    "теч": "течение",
    "пол": "полугодие",
    "полуг": "полугодие",
    "мес": "месяц",
    "необх": "необходимости",
    "треб": "требованию",
}
_ABBREVIATION = re.compile(r"\b(" + "|".join(_ABBREVIATIONS) + r")\.")

# Day numbers as words, before «числа» or a month: «к пятому числу», «до десятого июня»,
# «четвертое, тринадцатое и двадцать первое августа».
_UNITS = {
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "пят": 5,
    "шест": 6,
    "седьм": 7,
    "восьм": 8,
    "девят": 9,
}
_TEENS = {
    "десят": 10,
    "одиннадцат": 11,
    "двенадцат": 12,
    "тринадцат": 13,
    "четырнадцат": 14,
    "пятнадцат": 15,
    "шестнадцат": 16,
    "семнадцат": 17,
    "восемнадцат": 18,
    "девятнадцат": 19,
    "двадцат": 20,
    "тридцат": 30,
}
_ORDINAL_END = r"(?:ое|ого|ому|ым|ом|ый|ий|ой|ая|ую|ее|ье|ьего|ьему|ьим|ьем)"
_DAY_WORD = (
    r"\b(?:(двадцать|тридцать)\s+)?("
    + "|".join(sorted([*_UNITS, *_TEENS], key=len, reverse=True))
    + r")"
    + _ORDINAL_END
    # before «числа» or a month, or before another day of the list: «четвертое, 13 и 21 августа»
    + r"(?=\s+(?:числ|январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)"
    + r"|\s*(?:,|\s+и\s)\s*\d{1,2}\s)"
)
_DAY_WORDS = re.compile(_DAY_WORD)

# Counts as words before a unit of time: «в течение семи дней», «не позднее пятнадцати рабочих
# дней», «за две недели»: the number, so the span rules read them as they read «7 дней».
_COUNTS = {
    "од": 1,
    "дв": 2,
    "тр": 3,
    "четыр": 4,
    "пят": 5,
    "шест": 6,
    "сем": 7,
    "восем": 8,
    "восьм": 8,
    "девят": 9,
    "десят": 10,
    "одиннадцат": 11,
    "двенадцат": 12,
    "тринадцат": 13,
    "четырнадцат": 14,
    "пятнадцат": 15,
    "двадцат": 20,
    "тридцат": 30,
}
_COUNT = re.compile(
    r"\b(?:(двадцат|тридцат)[ьи]\s+)?(одиннадцат|двенадцат|тринадцат|четырнадцат|пятнадцат"
    r"|двадцат|тридцат|десят|девят|восем|восьм|сем|шест|пят|четыр|тр|дв|од)"
    r"(?:ин|ного|ной|ну|а|е|ух|и|ех|ь|е|ми)\s+"
    r"(?=(?:(?:рабоч|календарн)[а-я]*\s+)?(?:дн|день|сут|недел|месяц|час))"
)

# «15 (16) апреля», «с 1 по 4 (5) ноября», «до 10-го (десятого) числа»: the number outside the
# parentheses counts; a number or a single word in parentheses right after it is dropped.
_ALTERNATIVE = re.compile(
    r"(?<=\d)((?:-?[а-я]{1,3})?)\s*\(\s*(?:\d{1,2}(?:-?[а-я]{1,3})?|(?:(?:двадцать|тридцать)\s+)?(?:"
    + "|".join(sorted([*_UNITS, *_TEENS], key=len, reverse=True))
    + r")"
    + _ORDINAL_END
    + r")\s*\)"
)

# «1 раз в конце учебного года (с 24 апреля по 15 мая)»: the dates in parentheses say when the
# end of the year is; the words add no date of their own.
_END_EXPLAINED = re.compile(
    r"\b(?:в|к|до)\s+конц[аеу]\s+(?:текущего\s+|календарного\s+|учебного\s+)?года\s*(?=\([^()]*\d)"
)

# «к середине года», «в середине 2024 года»: 30 June; of a school year: 31 December.
_MIDDLE_OF_YEAR = re.compile(
    r"\b(?:в\s+|к\s+|до\s+)?середин\w*\s+(?:(\d{4})\s+)?(учебного\s+)?год\w*"
)

_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресень": 6,
    "воскресени": 6,  # «третье воскресение ноября»: the common misspelling
}
_NTH = {"перв": 1, "втор": 2, "трет": 3, "четв": 4, "пят": 5, "последн": 9}
_MONTH_AHEAD = r"(?=(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр))"
# «в третий четверг октября», «в первый рабочий вторник марта», «в последнюю пятницу мая»: the
# marker «999NDW» (N: 1-5, 9 the last; D: 0 Monday … 6 Sunday; W: 1 a working day), a number no
# plan writes before a month, that the items read as a day of that month (WEEKDAY_DAY). «каждый третий вторник месяца» names no month and is
# left to the periodic rules.
_WEEKDAY_OF_MONTH = re.compile(
    r"\b(?:во?\s+)?(перв|втор|трет|четв|пят|последн|[1-5])[а-я]{0,5}\s*(?:-\s*[а-я]{1,2}\s+)?"
    r"(рабоч[а-я]{0,3}\s+)?"
    r"(понедельник|вторник|сред|четверг|пятниц|суббот|воскресен[ьи])[а-я]{0,2}\s+" + _MONTH_AHEAD
)

# «за месяц до начала учебного года» -> «за месяц до 1 сентября»: the date after a span counted
# back («за N … до», «не позднее чем за … до») is the event the span starts from, not a
# deadline of the phrase.
_SPAN_BEFORE_DATE = re.compile(
    r"(\bза\s+(?:\d{1,3}\s*-?\s*[а-я]{0,2}\s+|[а-я]+\s+)?(?:календарн\w*\s+|рабоч\w*\s+)?"
    r"(?:дн|день|сут|недел|месяц|год|лет|час)[а-я]*\s+до)\s+"
    r"(?:\d{1,2}\s+[а-я]+|\d{1,2}\.\d{1,2}(?:\.\d{2,4})?)"
)


def rewrite(s: str) -> str:
    """Return the normalised phrase with the forms above rewritten."""
    if (". " in s or s.endswith(".")) and _ABBREVIATION.search(s):
        s = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m[1]] + " ", s)
    if "(" in s:
        s = _ALTERNATIVE.sub(r"\1", s)
    if "числ" in s or "ого " in s or "ое " in s or "ому " in s or "ое," in s:
        words = _DAY_WORDS.sub(_day_number, s)
        while words != s:  # a list of days is read from its month back: «…, 13 и 21 августа»
            s, words = words, _DAY_WORDS.sub(_day_number, words)
    if "дн" in s or "недел" in s or "месяц" in s or "сут" in s or "час" in s:
        s = _COUNT.sub(_count_number, s)
    if "конц" in s and "(" in s:
        s = _END_EXPLAINED.sub("", s)
    if "середин" in s:
        s = _MIDDLE_OF_YEAR.sub(_middle_of_year, s)
    if (  # a weekday word: cheaper as substring tests than as one regex
        "ельник" in s
        or "торник" in s
        or "сред" in s
        or "етверг" in s
        or "ятниц" in s
        or "уббот" in s
        or "оскрес" in s
    ):
        s = _WEEKDAY_OF_MONTH.sub(_weekday_marker, s)
    if "за " in s and " до " in s:
        s = _SPAN_BEFORE_DATE.sub(r"\1 события", s)
    return s


def _day_number(m: re.Match[str]) -> str:
    tens = {"двадцать": 20, "тридцать": 30}.get(m[1] or "", 0)
    stem = m[2]
    return f"{tens + _UNITS.get(stem, 0) + _TEENS.get(stem, 0)}"


def _count_number(m: re.Match[str]) -> str:
    tens = {"двадцат": 20, "тридцат": 30}.get(m[1] or "", 0)
    return f"{tens + _COUNTS[m[2]]} "


def _middle_of_year(m: re.Match[str]) -> str:
    year = f" {m[1]}" if m[1] else ""
    return f"31 декабря{year} " if m[2] else f"30 июня{year} "


def _weekday_marker(m: re.Match[str]) -> str:
    nth = int(m[1]) if m[1].isdigit() else _NTH[m[1]]
    weekday = _WEEKDAYS[m[3]]
    working = 1 if m[2] else 0
    return f"{WEEKDAY_DAY // 1000}{nth}{weekday}{working} "
