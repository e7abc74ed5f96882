"""Which tokens of a phrase chain together: day numbers that belong to a month on their right
(«19, 20 и 26 ноября»), and the numbers of quarters, halves and decades («I, III кв.»). Pure."""

from __future__ import annotations

from .rewrites import is_weekday_code
from .text import Token

CONNECTORS = {",", "и", "-", "по", "до", "или", "/"}


def _is_quarter_word(w: str) -> bool:
    return w.startswith("кв")


def _is_half_word(w: str) -> bool:
    return w.startswith("полугод")


def mark_chains(tokens: list[Token]) -> tuple[list[bool], list[int]]:
    """Mark day numbers that belong to a month to their right, and numbers of a period.

    A day is a number followed by a month, or by a connector and another day
    (`19, 20 и 26 ноября`, `с 1 по 20 августа`). A period number is a Roman, Arabic or
    ordinal 1–4 before «квартал»/«полугодие», or before a connector and another one.
    Returns (is_day, period_code) with period_code 1 quarter, 2 half, 3 decade, else 0.
    """
    n = len(tokens)
    is_day = [False] * n
    period = [0] * n
    for i in range(n - 1, -1, -1):
        kind, value = tokens[i].kind, tokens[i].value
        if kind == "N" or kind == "R":
            nxt = tokens[i + 1] if i + 1 < n else None
            if nxt is None:
                continue
            if kind == "N" and (value <= 99 or is_weekday_code(value)):
                after = tokens[i + 2] if i + 2 < n else None
                chained = nxt[2] in CONNECTORS and after is not None and is_day[i + 2]
                # «01, 08, 15.10.16»: days before a dated day share its month and year.
                dated = nxt[2] in (",", "и") and after is not None and after.kind == "D"
                dated = dated and after is not None and 1 <= after.month <= 12
                is_day[i] = nxt[0] == "M" or chained or dated
            if 1 <= value <= 4:
                w = nxt[2]
                if nxt[0] == "W" and _is_quarter_word(w):
                    period[i] = 1
                elif nxt[0] == "W" and _is_half_word(w) and value <= 2:
                    period[i] = 2
                elif nxt[0] == "W" and w.startswith("декад") and value <= 3:
                    period[i] = 3
                elif w in CONNECTORS and i + 2 < n and period[i + 2] in (1, 2):
                    period[i] = period[i + 2]
    return is_day, period
