"""An .xlsx as an Open Packaging package: its parts, their content types and relationships.

Only what the program changes is rewritten; every other part is carried over as stored. Edits
to the small XML parts that list things ([Content_Types].xml, *.rels, workbook.xml) insert or
remove one element as text, so whatever else they hold stays as the author wrote it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree

from sheets_sync.workbook import xlsx_zip

CONTENT_TYPES = "[Content_Types].xml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = f"{DOC_REL}/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


@dataclass(frozen=True, slots=True)
class Rel:
    id: str
    type: str
    target: str  # the part name it points to (no leading "/"), or a URL when external
    external: bool


def escape(text: str) -> str:
    """Return `text` escaped for an XML attribute or element."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def rels_name(part: str) -> str:
    """Return the name of the relationships part of `part` ("" for the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class Package:
    """The parts of one .xlsx, read lazily; changes are kept aside until `save`."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.archive, infos = xlsx_zip.members(data)
        self.infos = {i.filename: i for i in infos}
        self.order = [i.filename for i in infos]
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()
        self.levels: dict[str, int] = {}

    # -- parts ------------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name not in self.removed and (name in self.changed or name in self.infos)

    def read(self, name: str) -> bytes:
        if name in self.changed:
            return self.changed[name]
        if name in self.removed or name not in self.infos:
            raise KeyError(name)
        return self.archive.read(name)

    def write(self, name: str, content: bytes, *, level: int = 6) -> None:
        self.changed[name] = content
        self.levels[name] = level
        self.removed.discard(name)
        if name not in self.infos and name not in self.order:
            self.order.append(name)

    def remove(self, name: str) -> None:
        self.changed.pop(name, None)
        self.removed.add(name)

    def names(self) -> list[str]:
        return [n for n in self.order if self.has(n)]

    def save(self, out: BinaryIO) -> None:
        """Write the package: unchanged parts as stored, changed and new ones deflated."""

        def entries() -> list[xlsx_zip.Member]:
            found = []
            for name in self.names():
                if name in self.changed:
                    level = self.levels.get(name, 6)
                    found.append(xlsx_zip.deflated(name, self.changed[name], level))
                else:
                    found.append(xlsx_zip.copied(self.data, self.infos[name]))
            return found

        xlsx_zip.write_zip(out, entries())

    # -- relationships ----------------------------------------------------------------------

    def rels(self, part: str) -> list[Rel]:
        """Return the relationships of `part` ("" for the package's own)."""
        name = rels_name(part) if part else "_rels/.rels"
        if not self.has(name):
            return []
        root = ElementTree.fromstring(self.read(name))
        found = []
        folder = posixpath.dirname(part)
        for el in root.iter(f"{{{REL_NS}}}Relationship"):
            target = el.get("Target", "")
            external = el.get("TargetMode", "") == "External"
            if not external:
                target = _resolve(folder, target)
            found.append(Rel(el.get("Id", ""), el.get("Type", ""), target, external))
        return found

    def add_rel(self, part: str, rel_type: str, target: str) -> str:
        """Add a relationship from `part` to the part `target`; return its new Id."""
        name = rels_name(part) if part else "_rels/.rels"
        taken = {r.id for r in self.rels(part)}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        rel_id = f"rId{n}"
        relative = posixpath.relpath(target, posixpath.dirname(part) or ".")
        element = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{escape(relative)}"/>'
        if self.has(name):
            self.write(name, insert_before_end(self.read(name), "Relationships", element))
        else:
            self.write(name, _xml(f'<Relationships xmlns="{REL_NS}">{element}</Relationships>'))
            self.set_default("rels", "application/vnd.openxmlformats-package.relationships+xml")
        return rel_id

    def remove_rel(self, part: str, rel_id: str) -> None:
        name = rels_name(part) if part else "_rels/.rels"
        text = self.read(name)
        pattern = (
            rb"<(?:\w+:)?Relationship\b[^>]*\bId=\"" + re.escape(rel_id.encode()) + rb'"[^>]*/>'
        )
        self.write(name, re.sub(pattern, b"", text, count=1))

    # -- content types ----------------------------------------------------------------------

    def set_override(self, part: str, content_type: str) -> None:
        text = self.read(CONTENT_TYPES)
        if f'PartName="/{part}"'.encode() in text:
            return
        element = f'<Override PartName="/{escape(part)}" ContentType="{content_type}"/>'
        self.write(CONTENT_TYPES, insert_before_end(text, "Types", element))

    def set_default(self, extension: str, content_type: str) -> None:
        text = self.read(CONTENT_TYPES)
        if re.search(rb'Extension="' + extension.encode() + rb'"', text, re.IGNORECASE):
            return
        element = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
        self.write(CONTENT_TYPES, insert_before_end(text, "Types", element))

    def remove_override(self, part: str) -> None:
        text = self.read(CONTENT_TYPES)
        pattern = rb'<(?:\w+:)?Override\b[^>]*PartName="/' + re.escape(part.encode()) + rb'"[^>]*/>'
        self.write(CONTENT_TYPES, re.sub(pattern, b"", text, count=1))

    def main_part(self) -> str:
        """Return the workbook part's name (xl/workbook.xml as a rule)."""
        for rel in self.rels(""):
            if rel.type in (OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT):
                return rel.target
        raise KeyError("officeDocument")

    def reachable(self) -> set[str]:
        """Return every part reachable from the package's relationships."""
        seen: set[str] = set()
        todo = [""]
        while todo:
            part = todo.pop()
            for rel in self.rels(part):
                if not rel.external and rel.target not in seen and self.has(rel.target):
                    seen.add(rel.target)
                    todo.append(rel.target)
        return seen


def insert_before_end(text: bytes, element: str, inner: str) -> bytes:
    """Return `text` with `inner` inserted before the closing tag of its last `element` (an
    empty `<element/>` is opened up); the element's namespace prefix is kept."""
    close = re.compile(rb"</((?:[\w.-]+:)?)" + element.encode() + rb"\s*>")
    matches = list(close.finditer(text))
    if matches:
        at = matches[-1]
        prefix = at.group(1).decode()
        body = prefixed(inner, prefix)
        return text[: at.start()] + body.encode() + text[at.start() :]
    empty = re.compile(rb"<((?:[\w.-]+:)?)" + element.encode() + rb"\b([^>]*?)/>")
    found = list(empty.finditer(text))
    if not found:
        raise KeyError(element)
    at = found[-1]
    prefix = at.group(1).decode()
    opened = f"<{prefix}{element}{at.group(2).decode()}>{prefixed(inner, prefix)}"
    return text[: at.start()] + f"{opened}</{prefix}{element}>".encode() + text[at.end() :]


def prefixed(inner: str, prefix: str) -> str:
    """Return XML `inner` with its unprefixed element names given `prefix` ("x:")."""
    if not prefix:
        return inner
    return re.sub(r"<(/?)(?=[A-Za-z])(?![\w.-]+:)", lambda m: f"<{m.group(1)}{prefix}", inner)


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode()
