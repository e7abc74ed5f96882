"""Who an «Ответственные» cell names: its parties, and whether "the schools" are among them. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .people import name_words


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


def names_schools(part: str, school_names: Sequence[str]) -> bool:
    """Return whether a party stands for the schools ("ШИБЦ ОО", "все школы", "ОО района")."""
    key = name_words(part)
    words = set(key.split())
    for marker in school_names:
        m = name_words(marker)
        if key == m or key.startswith(m + " ") or (" " not in m and m in words):
            return True
    return "школ" in key and not key.startswith(("директор", "зав"))
