"""Typed-in values and their display: what USER_ENTERED parses, what FORMATTED_VALUE shows.

Google formats "based on the spreadsheet's locale, not the requesting user's locale"
(ValueRenderOption reference), so a ru_RU spreadsheet shows 0.4 as ``0,4``. Recorded en_US cases:
``2``, ``0.4``, ``1.45``, ``0.0009765625``, ``2,000,000.01``, ``2020-01-01``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

EPOCH = dt.date(1899, 12, 30)  # Sheets' day 0; 43831 is 2020-01-01.

_COMMA_DECIMAL = {
    "ru",
    "uk",
    "be",
    "kk",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "cs",
    "sv",
    "fi",
}
_DOT_GROUPING = {"de", "es", "it", "pt", "nl", "id", "tr", "da"}
# Russian Sheets shows ИСТИНА/ЛОЖЬ for booleans [unverified through the API].
_BOOLEAN_WORDS = {"ru": ("ИСТИНА", "ЛОЖЬ")}


def language(locale: str) -> str:
    return locale.split("_")[0].lower()


def decimal_mark(locale: str) -> str:
    return "," if language(locale) in _COMMA_DECIMAL else "."


def group_mark(locale: str) -> str:
    lang = language(locale)
    if lang in _DOT_GROUPING:
        return "."
    if lang in _COMMA_DECIMAL:
        return "\u00a0"
    return ","


def boolean_text(value: bool, locale: str) -> str:
    true_word, false_word = _BOOLEAN_WORDS.get(language(locale), ("TRUE", "FALSE"))
    return true_word if value else false_word


def json_number(value: float) -> float:
    """Integral numbers go out as JSON integers (``2``, not ``2.0``), as Google sends them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def float32(value: float) -> float:
    """Round to float32 and return its shortest decimal form (colours come back like 0.49803922)."""
    stored = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{stored:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == stored:
            return json_number(float(text))
    return json_number(stored)


def date_to_serial(day: dt.date) -> int:
    return (day - EPOCH).days


def serial_to_datetime(serial: float) -> dt.datetime:
    # To the nearest second: 10:31 is 0.43819444..., which floors to 10:30:59.99.
    return dt.datetime.combine(EPOCH, dt.time()) + dt.timedelta(seconds=round(serial * 86400))


def is_date_format(number_format: dict[str, Any] | None) -> bool:
    return number_format is not None and number_format.get("type") in ("DATE", "TIME", "DATE_TIME")


def default_date_pattern(locale: str) -> str:
    return "dd.mm.yyyy" if language(locale) in _COMMA_DECIMAL else "M/d/yyyy"


# --- display -------------------------------------------------------------------------------


def format_number(value: float, number_format: dict[str, Any] | None, locale: str) -> str:
    """Return how a number shows in a cell with ``number_format`` (None: automatic)."""
    if number_format and is_date_format(number_format):
        pattern = number_format.get("pattern") or default_date_pattern(locale)
        return format_date(value, pattern)
    pattern = (number_format or {}).get("pattern")
    if number_format and number_format.get("type") == "PERCENT" and not pattern:
        pattern = "0.00%"
    if pattern:
        return _format_with_pattern(value, pattern, locale)
    return _automatic(value, locale)


def _automatic(value: float, locale: str) -> str:
    if math.isnan(value) or math.isinf(value):
        return "#NUM!"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15 or abs(value) < 1e-10:
        mantissa, exponent = f"{value:.9E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}E{int(exponent):+03d}"
    else:
        # Sheets' automatic format shows at most 10 decimals: 1/1024 -> 0.0009765625.
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark(locale))


_LITERAL_BLOCK = re.compile(r'"([^"]*)"|\[\$([^\]-]*)(?:-[^\]]*)?\]|\\(.)')


def _format_with_pattern(value: float, pattern: str, locale: str) -> str:
    section = pattern.split(";")[0]
    section = _LITERAL_BLOCK.sub(lambda m: "".join(g for g in m.groups() if g) or "", section)
    digits = [i for i, ch in enumerate(section) if ch in "#0?"]
    if not digits:
        return section
    prefix, core, suffix = (
        section[: digits[0]],
        section[digits[0] : digits[-1] + 1],
        section[digits[-1] + 1 :],
    )
    if "%" in section:
        value *= 100
    integer_part, _, fraction_part = core.partition(".")
    min_decimals = fraction_part.count("0")
    max_decimals = sum(fraction_part.count(ch) for ch in "0#?")
    # Sheets rounds halves away from zero (2.5 -> "3"); Python's format would give "2".
    exponent = Decimal(1).scaleb(-max_decimals)
    text = str(Decimal(repr(abs(value))).quantize(exponent, rounding=ROUND_HALF_UP))
    whole, _, fraction = text.partition(".")
    fraction = (
        fraction.rstrip("0").ljust(min_decimals, "0") if max_decimals > min_decimals else fraction
    )
    whole = whole.zfill(integer_part.count("0")) if whole != "0" or integer_part.count("0") else ""
    if "," in integer_part:
        whole = f"{int(whole or 0):,}".replace(",", group_mark(locale))
    body = whole + (decimal_mark(locale) + fraction if fraction else "")
    sign = "-" if value < 0 and float(text) != 0 else ""
    return f"{sign}{prefix}{body}{suffix}"


_DATE_TOKENS = re.compile(
    r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|.", re.IGNORECASE
)
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_date(serial: float, pattern: str) -> str:
    """Render a date serial with a Sheets date pattern such as ``dd.mm.yyyy`` or ``yyyy-mm-dd``."""
    moment = serial_to_datetime(serial)
    tokens = _DATE_TOKENS.findall(pattern)
    out = []
    for position, token in enumerate(tokens):
        lower = token.lower()
        # "m" means minutes right after an hour or right before seconds, months otherwise.
        near_time = (position > 0 and tokens[position - 1].lower() in ("h", "hh", ":")) or (
            position + 1 < len(tokens) and tokens[position + 1].lower() in (":", "s", "ss")
        )
        if lower == "yyyy":
            out.append(f"{moment.year:04d}")
        elif lower == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif lower == "mmmm":
            out.append(_MONTHS[moment.month - 1])
        elif lower == "mmm":
            out.append(_MONTHS[moment.month - 1][:3])
        elif lower in ("mm", "m"):
            number = moment.minute if near_time else moment.month
            out.append(f"{number:02d}" if lower == "mm" else str(number))
        elif lower == "dddd":
            out.append(_DAYS[moment.weekday()])
        elif lower == "ddd":
            out.append(_DAYS[moment.weekday()][:3])
        elif lower in ("dd", "d"):
            out.append(f"{moment.day:02d}" if lower == "dd" else str(moment.day))
        elif lower in ("hh", "h"):
            out.append(f"{moment.hour:02d}" if lower == "hh" else str(moment.hour))
        elif lower in ("ss", "s"):
            out.append(f"{moment.second:02d}" if lower == "ss" else str(moment.second))
        else:
            out.append(token)
    return "".join(out)


# --- typed input (USER_ENTERED) ---------------------------------------------------------------


def parse_user_entered(
    text: str, locale: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Parse a string as if typed into the Sheets UI; return (ExtendedValue, numberFormat)."""
    if text == "":
        return None, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    folded = stripped.upper()
    true_word, false_word = _BOOLEAN_WORDS.get(language(locale), ("TRUE", "FALSE"))
    if folded in ("TRUE", true_word):
        return {"boolValue": True}, None
    if folded in ("FALSE", false_word):
        return {"boolValue": False}, None
    number = _parse_number(stripped, locale)
    if number is not None:
        return number
    day = _parse_date(stripped, locale)
    if day is not None:
        return day
    return {"stringValue": text}, None


def _parse_number(text: str, locale: str) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    point, group = decimal_mark(locale), group_mark(locale)
    groups = re.escape(group) + (" " if group == "\u00a0" else "")
    match = re.match(
        rf"^([+-]?)(\$?)(\d{{1,3}}(?:[{groups}]\d{{3}})+|\d*)(?:{re.escape(point)}(\d+))?(%?)$",
        text,
    )
    if not match or not (match.group(3) or match.group(4)):
        return None
    sign, currency, whole, fraction, percent = match.groups()
    grouped = bool(re.search(f"[{groups}]", whole))
    value = float(re.sub(f"[{groups}]", "", whole) or "0") + (
        float("0." + fraction) if fraction else 0.0
    )
    if sign == "-":
        value = -value
    decimals = "." + "0" * len(fraction) if fraction else ""
    if percent:
        return {"numberValue": json_number(value / 100)}, {
            "type": "PERCENT",
            "pattern": f"0{decimals}%",
        }
    if currency:
        return {"numberValue": json_number(value)}, {"type": "CURRENCY", "pattern": "$#,##0.00"}
    if grouped:
        return {"numberValue": json_number(value)}, {
            "type": "NUMBER",
            "pattern": f"#,##0{decimals}",
        }
    return {"numberValue": json_number(value)}, None


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_date(text: str, locale: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    parts: tuple[int, int, int] | None = None
    pattern = ""
    if match := _ISO_DATE.match(text):
        parts, pattern = (int(match[1]), int(match[2]), int(match[3])), "yyyy-mm-dd"
    elif (match := _DOTTED_DATE.match(text)) and language(locale) in _COMMA_DECIMAL:
        parts, pattern = (int(match[3]), int(match[2]), int(match[1])), "dd.mm.yyyy"
    elif (match := _SLASHED_DATE.match(text)) and language(locale) not in _COMMA_DECIMAL:
        parts, pattern = (int(match[3]), int(match[1]), int(match[2])), "M/d/yyyy"
    if parts is None:
        return None
    try:
        day = dt.date(*parts)
    except ValueError:
        return None
    return {"numberValue": date_to_serial(day)}, {"type": "DATE", "pattern": pattern}
