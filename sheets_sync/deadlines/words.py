"""The words Russian plans use in deadlines: months, ordinals, holidays, and the cue phrases of
each kind.

Vocabulary only; the rules live in `reading.py`, `text.py` (noise), `items.py` and `dates.py`
(explicit deadlines) and `cues.py` (phrases with no date), and are written down in
docs/deadlines.md. Every cue is matched against the normalised text (lower case, «ё» as «е», Latin look-alikes and dashes
folded), so it is written here in that form, usually as a stem that covers every case ending.
"""

from __future__ import annotations

# Full month stems (any case ending follows) and the short forms plans use.
_MONTH_STEMS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_STEM_BY_PREFIX = {stem[:3]: (stem, n) for stem, n in _MONTH_STEMS.items()}
_MONTH_WORDS = {
    "май": 5,
    "мая": 5,
    "мае": 5,
    "маю": 5,
    "маем": 5,
    "янв": 1,
    "фев": 2,
    "февр": 2,
    "мар": 3,
    "апр": 4,
    "авг": 8,
    "сен": 9,
    "сент": 9,
    "окт": 10,
    "ноя": 11,
    "нояб": 11,
    "дек": 12,
}

# The genitive a day of the month takes («9 мая»): holidays are rewritten into this form.
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четв": 4}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def month_number(word: str) -> int | None:
    """Return the month a word names («марта», «Сентябрь», «дек»), or None."""
    n = _MONTH_WORDS.get(word)
    if n is not None:
        return n
    hit = _STEM_BY_PREFIX.get(word[:3])
    if hit is not None and word.startswith(hit[0]):
        return hit[1]
    return None


def ordinal_number(word: str) -> int | None:
    """Return 1–4 for «первое», «второго», «третьем», «четвертый», or None."""
    return _ORDINAL_STEMS.get(word[:4]) if len(word) >= 5 else None


# Latin letters that look Cyrillic, found inside Russian words typed on the wrong layout.
LATIN_LOOKALIKES = str.maketrans("aceopxykmthb", "асеорхукмтнв")
# Every dash and hyphen a document may use, folded to "-".
DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"})

# Work with no date at all: done when asked, never overdue.
ON_REQUEST_CUES = (
    "по запрос",
    "по просьб",
    "по мере",
    "по необходимост",
    "при необходимост",
    "в случае необходимост",
    "после каждого",
    "после проведения",
    "по окончании",
    "по завершении",
    "по плану",
    "по отдельному",
    "по графику",
    "по утвержденному",
    "постоянно",
    "по требованию",
    "по заявк",
    "по факту",
    "в установленн",
    "по согласованию",
    "по приглашению",
    "по распоряжению",
    "по приказ",
    "по указани",
    "по поручени",
    "по решени",
    "бессрочно",
    # An outside document or timetable sets the dates: «в соответствии с расписанием ГИА»,
    # «в соответствии с КТП рабочих программ», «согласно приказу», «в сроки, установленные
    # Рособрнадзором». The plan itself gives none.
    "в соответствии с",
    "согласно ",
    "распис",
    "в сроки, установленн",
    "в сроки, определенн",
    "в сроки, утвержденн",
    "в сроки, предусмотренн",
    "определяются",  # «Сроки … определяются требованиями к формированию отчетов»
    "определяется",
)

# Done after some result is in («по итогам четверти»): on request, but weaker than recurring
# words, so «ежеквартально, по итогам квартала» still pins the quarter ends.
AFTER_RESULTS_CUES = ("по итогам", "по результатам")

# Frequent work with nothing to pin a reminder to: listed, no reminders.
FREQUENT_CUES = (
    ("еженедельн", "еженедельно"),
    ("ежедневн", "ежедневно"),
    ("раз в неделю", "раз в неделю"),
    # «не позднее 12.00 часов среды текущей недели»: a day of every week.
    ("текущей недели", "еженедельно"),
    ("каждой недели", "еженедельно"),
    ("каждую неделю", "еженедельно"),
    ("каждый понедельник", "каждый понедельник"),
    ("каждый вторник", "каждый вторник"),
    ("каждую среду", "каждую среду"),
    ("каждый четверг", "каждый четверг"),
    ("каждую пятницу", "каждую пятницу"),
    ("каждую субботу", "каждую субботу"),
    ("по понедельникам", "по понедельникам"),
    ("по пятницам", "по пятницам"),
    ("систематическ", "систематически"),
    ("регулярно", "регулярно"),
    ("ежечетвертн", "ежечетвертно"),
    ("раз в четверть", "раз в четверть"),
    ("каждую четверть", "каждую четверть"),
    ("каждой четверти", "каждую четверть"),
    ("по четвертям", "по четвертям"),
    ("раз в триместр", "раз в триместр"),
    ("раза в год", "несколько раз в год"),
    ("раза в месяц", "несколько раз в месяц"),
    ("раза в неделю", "несколько раз в неделю"),
    ("раза в квартал", "несколько раз в квартал"),
    ("раза в полугодие", "несколько раз в полугодие"),
    ("раза в четверть", "несколько раз в четверть"),
    ("ежедекадн", "ежедекадно"),
)

MONTHLY_CUES = ("ежемесячн", "каждого месяца", "каждый месяц", "раз в месяц", "помесячно")
QUARTERLY_CUES = (
    "ежекварт",
    "каждого квартала",
    "каждый квартал",
    "раз в квартал",
    "поквартальн",
    "по кварталам",
    "раз в 3 месяца",
)
HALF_YEARLY_CUES = (
    "раз в полугодие",
    "каждое полугодие",
    "каждого полугодия",
    "раз в пол года",
    "раз в полгода",
    "каждые полгода",
    "раз в 6 месяцев",
    "по полугодиям",
)
YEARLY_CUES = ("ежегодн", "раз в год", "каждый год", "каждого года")
# «года, следующего за отчетным», «следующего года»: the date falls in the following year.
NEXT_YEAR_CUES = (
    "года, следующего",
    "года следующего",
    "следующего года",
    "последующего года",
    "года, идущего",
    "года идущего",
    "следующего за отчетным годом",  # «до 01 февраля, следующего за отчетным годом»
)
# «года, предшествующего планируемому», «предыдущего года»: the date falls in the year before.
PREVIOUS_YEAR_CUES = (
    "года, предшествующего",
    "года предшествующего",
    "предшествующего года",
    "предыдущего года",
)
# «… месяца, следующего за отчетным»: the day is in the month after the period reported on; a
# payroll's «расчетный» month is its reporting month.
FOLLOWING_CUES = (
    "следующего за отчет",
    "следующих за отчет",  # «не позднее 15 рабочих дней, следующих за отчетным кварталом»
    "следующего за расчетн",
    "следующего за истекш",
    "следующего за последним",
    "следующего месяца",
    "идущего за отчет",
    "после отчет",
)
# Work that goes on through the whole period, with no date of its own.
ONGOING_CUES = (
    "течени",
    "в теч",
    "весь период",
    "протяжении",
    "круглогодичн",
    "весь год",
    "весь учебный год",
    "целый год",
)

# Work tied to an event with no calendar date of its own: a season, school holidays (each
# school has its own), a hiring, an election day, a decision: «по событию», never overdue.
EVENT_CUES = (
    "сезон",
    "месячник",  # «в течение месячника»: a campaign whose dates the phrase does not give
    "навигаци",
    "паводк",
    "половод",
    "каникул",
    "при поступлени",
    "при прием",
    "при приеме",
    "при трудоустройств",
    "при увольнени",
    "при смене",
    "при возникновени",
    "при выявлени",
    "при получени",
    "в день голосования",
    "дня голосования",
    "до события",
    "после утвержден",
    "после принятия",
    "после получения",
    "после поступления",
    "после окончания",
    "после завершения",
    "со дня",
    "с даты",
    "с момента",
    "перед началом",
    "до начала",
    "дня начала",  # «до 08:00 дня начала тура»
    "за днем",  # «не позднее десятого рабочего дня, следующего за днем поступления средств»
    "до наступления",
    "после схода",
)

# Holidays with a fixed date, as plans name them («ко Дню Победы», «накануне Дня знаний»): the
# pattern matches the normalised text, the day and month are the holiday's.
HOLIDAYS = (
    (r"дн[а-я]*\s+победы", 9, 5),
    (r"дн[а-я]*\s+знаний", 1, 9),
    (r"дн[а-я]*\s+учителя", 5, 10),
    (r"дн[а-я]*\s+защитника\s+отечества", 23, 2),
    (r"международн[а-я]*\s+женск[а-я]*\s+дн[а-я]*", 8, 3),
    (r"дн[а-я]*\s+защиты\s+детей", 1, 6),
    (r"дн[а-я]*\s+народного\s+единства", 4, 11),
    (r"дн[а-я]*\s+россии", 12, 6),
    (r"дн[а-я]*\s+конституции", 12, 12),
)
# «накануне Дня Победы», «в канун 1 сентября»: the day before the date that follows.
EVE_WORDS = frozenset({"накануне", "канун"})
# Weekdays as a calendar note gives them after a date: «1 сентября (вт.)», «(15 января —
# воскресенье)».
WEEKDAY_NOTE = (
    r"\b(?:пн|вт|ср|чт|пт|сб|вс|понедельник\w*|вторник\w*|сред[аеуы]|четверг\w*|пятниц\w*"
    r"|суббот\w*|воскресен[ьи]\w*)\b|перенос|выходн"
)
