"""What replacing a roadmap tab would change, line by line (by item number): lines added,
removed and changed, and what changed in each. Both tabs are read by the workbook's own reader,
so a line is compared as a run would read it. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sheets_sync.inputs.records import RoadmapItem

# What a line is compared on, with the name printed for it.
_COMPARED = (
    ("section", "section"),
    ("title", "title"),
    ("content", "content"),
    ("deadline", "deadline"),
    ("owners", "executors"),
    ("note", "note"),
)


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    fields: tuple[tuple[str, str, str], ...]  # (what, before, after)


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[RoadmapItem, ...]
    removed: tuple[RoadmapItem, ...]
    changed: tuple[Change, ...]
    unchanged: int

    @property
    def none(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def lines(self, limit: int = 80) -> list[str]:
        """Return the changes as lines to print: + added, - removed, ~ changed."""
        out = [
            f"  + {i.key}  {_short(i.title)}  ({_short(i.deadline.text, 40)})" for i in self.added
        ]
        out += [f"  - {i.key}  {_short(i.title)}" for i in self.removed]
        for change in self.changed:
            out.append(f"  ~ {change.key}")
            out += [
                f"      {what}: «{_short(before, 60)}» -> «{_short(after, 60)}»"
                for what, before, after in change.fields
            ]
        if len(out) > limit:
            out = [*out[:limit], f"  … and {len(out) - limit} more lines"]
        return out


def _value(item: RoadmapItem, name: str) -> str:
    text = {
        "section": item.section,
        "title": item.title,
        "content": item.content,
        "deadline": item.deadline.text,
        "owners": item.owners_text,
        "note": item.note,
    }[name]
    return re.sub(r"\s+", " ", text).strip()


def roadmap_changes(before: Sequence[RoadmapItem], after: Sequence[RoadmapItem]) -> Changes:
    """Return what turns the lines `before` into the lines `after`, matched by key."""
    old = {i.key: i for i in before}
    new = {i.key: i for i in after}
    changed = []
    for key, item in new.items():
        if key not in old:
            continue
        fields = tuple(
            (label, _value(old[key], name), _value(item, name))
            for name, label in _COMPARED
            if _value(old[key], name) != _value(item, name)
        )
        if fields:
            changed.append(Change(key, fields))
    return Changes(
        added=tuple(i for k, i in new.items() if k not in old),
        removed=tuple(i for k, i in old.items() if k not in new),
        changed=tuple(changed),
        unchanged=sum(1 for k in new if k in old) - len(changed),
    )


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
