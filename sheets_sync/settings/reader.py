"""Typed values read out of nested TOML tables, every problem collected by its key path."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")


class Reader:
    """Reads typed values out of nested TOML tables, collecting problems by key path."""

    def __init__(self, data: Mapping[str, Any], problems: list[str]) -> None:
        self.data = data
        self.problems = problems
        self.used: set[str] = set()  # keys present in the file and read
        self.asked: set[str] = set()  # every key the loader knows, present or not

    def table(self, key: str) -> Mapping[str, Any]:
        value = self._get(key, {})
        self.asked.discard(key)  # a section, not a key of its own
        if not isinstance(value, Mapping):
            self.problems.append(f"`{key}` must be a table ([{key}]), not {_kind(value)}")
            return {}
        return value

    def get(self, key: str, kind: type[T] | tuple[type, ...], default: T, hint: str = "") -> T:
        value = self._get(key, default)
        if value is default:
            return default
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; TOML keeps them apart, so do we.
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(_type_name(k) for k in kinds)
            fix = f" ({hint})" if hint else ""
            self.problems.append(f"`{key}` must be {names}, not {_kind(value)}{fix}")
            return default
        return value  # type: ignore[return-value]

    def strings(self, key: str, default: tuple[str, ...], hint: str = "") -> tuple[str, ...]:
        value = self._get(key, default)
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"`{key}` must be a list of strings{', ' + hint if hint else ''}")
            return default
        return tuple(value)

    def _get(self, key: str, default: Any) -> Any:
        self.asked.add(key)
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        self.used.add(key)
        return node

    def report_unknown(self) -> None:
        """Name every key in the file that nothing read, with the nearest key of its section by
        edit distance; a whole unknown section is named once, with the nearest section."""
        sections = {k.rpartition(".")[0] for k in self.asked}
        sections |= {s.rpartition(".")[0] for s in sections if "." in s}
        reported: set[str] = set()
        for key in leaf_keys(self.data):
            if key in self.used or any(key.startswith(u + ".") for u in self.used):
                continue
            section = key.rpartition(".")[0]
            if section not in sections:
                top = _unknown_part(section, sections)
                if top not in reported:
                    reported.add(top)
                    near = _nearest(top, [s for s in sections if s.count(".") == top.count(".")])
                    hint = f"; did you mean `[{near}]`?" if near else _SEE_EXAMPLE
                    self.problems.append(f"unknown section `[{top}]`{hint}")
                continue
            near = _nearest(key, [k for k in self.asked if k.rpartition(".")[0] == section])
            hint = f"; did you mean `{near}`?" if near else _SEE_EXAMPLE
            self.problems.append(f"unknown key `{key}`{hint}")


_SEE_EXAMPLE = "; every key is in config/settings.example.toml"


def _unknown_part(section: str, sections: set[str]) -> str:
    """Return the outermost part of `section` that is not a known section ("reminder" of
    "reminder.x", "mail.smptp" of "mail.smptp")."""
    parts = section.split(".")
    for n in range(1, len(parts) + 1):
        if ".".join(parts[:n]) not in sections:
            return ".".join(parts[:n])
    return section


def _nearest(word: str, candidates: list[str]) -> str:
    """Return the candidate nearest `word` by edit distance, when it is near enough to be the
    same word mistyped; else ""."""
    tail = word.rpartition(".")[2]
    scored = sorted((_distance(tail, c.rpartition(".")[2]), c) for c in candidates)
    if scored and scored[0][0] <= max(2, len(tail) // 3):
        return scored[0][1]
    return ""


def _distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between `a` and `b`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def leaf_keys(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for k, v in data.items():
        path = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            keys.extend(leaf_keys(v, path + "."))
        else:
            keys.append(path)
    return keys


def _type_name(kind: type) -> str:
    return {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        date: "a date (2025-09-01)",
    }.get(kind, kind.__name__)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, int | float):
        return f"the number {value}"
    return type(value).__name__
