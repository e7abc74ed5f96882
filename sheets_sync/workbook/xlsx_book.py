"""The workbook inside an .xlsx package: its sheets (name, part, kind), adding a sheet, the
workbook's stored identity, and dropping a generated sheet's old attachments."""

from __future__ import annotations

import posixpath
import re
import uuid
from dataclasses import dataclass
from xml.etree import ElementTree

from sheets_sync.errors import WorkbookError

from .xlsx_package import DOC_REL, Package, escape, insert_before_end, prefixed

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
WORKSHEET = f"{DOC_REL}/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CUSTOM_PROPS = f"{DOC_REL}/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CALC_CHAIN = f"{DOC_REL}/calcChain"
IDENTITY_PROPERTY = "sheets_sync_id"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the id every user-defined property carries
_DEFINED = re.compile(
    rb"<(?:[\w.-]+:)?definedName\b([^>]*)>.*?</(?:[\w.-]+:)?definedName>", re.DOTALL
)
_DEFINED_NAMES = re.compile(rb"<(?:[\w.-]+:)?definedNames\b")


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    sheet_id: int
    rel_id: str
    part: str  # the part name, "" if the relationship is missing
    kind: str  # "worksheet", "chartsheet", "dialogsheet", "macrosheet"


class Book:
    """The workbook part of a package and the sheets it lists, in tab order."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.part = package.main_part()
        root = ElementTree.fromstring(package.read(self.part))
        if root.tag == f"{{{STRICT_NS}}}workbook":
            raise WorkbookError(
                "the workbook is saved as Strict Open XML: open it in Excel and save it as "
                "Excel Workbook (.xlsx)"
            )
        targets = {r.id: r for r in package.rels(self.part)}
        self.sheets: list[Sheet] = []
        for el in root.iter(f"{{{MAIN_NS}}}sheet"):
            rel = targets.get(el.get(f"{{{DOC_REL}}}id", ""))
            kind = rel.type.rsplit("/", 1)[-1] if rel else ""
            self.sheets.append(
                Sheet(
                    el.get("name", ""),
                    int(el.get("sheetId", "0") or 0),
                    rel.id if rel else "",
                    rel.target if rel else "",
                    kind,
                )
            )
        props = root.find(f"{{{MAIN_NS}}}workbookPr")
        self.date1904 = props is not None and props.get("date1904", "0") in ("1", "true")

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def same_name(self, name: str) -> Sheet | None:
        """Return a sheet whose name differs from `name` only in case (Excel forbids both)."""
        folded = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == folded), None)

    def add_sheet(self, name: str) -> str:
        """Add an empty worksheet named `name` after the last tab; return its part name."""
        taken = set(self.package.names())
        folder = posixpath.join(posixpath.dirname(self.part), "worksheets")
        n = len(self.sheets) + 1
        while posixpath.join(folder, f"sheet{n}.xml") in taken:
            n += 1
        part = posixpath.join(folder, f"sheet{n}.xml")
        self.package.write(part, b"")
        self.package.set_override(part, WORKSHEET_TYPE)
        rel_id = self.package.add_rel(self.part, WORKSHEET, part)
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        element = (
            f'<sheet xmlns:r="{DOC_REL}" name="{escape(name)}" sheetId="{sheet_id}" '
            f'r:id="{rel_id}"/>'
        )
        text = self.package.read(self.part)
        self.package.write(self.part, insert_before_end(text, "sheets", element))
        self.sheets.append(Sheet(name, sheet_id, rel_id, part, "worksheet"))
        return part

    def clear_attachments(self, sheet: Sheet) -> None:
        """Forget what a generated sheet being replaced pointed to (a picture, a comment): its
        relationships go, and the parts only they reached; so does a calculation chain naming
        the sheet (Excel rebuilds it)."""
        before = self.package.reachable()
        rels = posixpath.join(
            posixpath.dirname(sheet.part), "_rels", posixpath.basename(sheet.part)
        )
        rels += ".rels"
        if self.package.has(rels):
            self.package.remove(rels)
            for gone in before - self.package.reachable():
                self.package.remove(gone)
                self.package.remove_override(gone)
        self._drop_calc_chain(sheet.sheet_id)

    def _drop_calc_chain(self, sheet_id: int) -> None:
        for rel in self.package.rels(self.part):
            if rel.type != CALC_CHAIN or not self.package.has(rel.target):
                continue
            if re.search(rb'\bi="' + str(sheet_id).encode() + rb'"', self.package.read(rel.target)):
                self.package.remove(rel.target)
                self.package.remove_override(rel.target)
                self.package.remove_rel(self.part, rel.id)

    def set_print_titles(self, name: str, rows: int) -> None:
        """Make the first `rows` rows of sheet `name` print at the top of every page."""
        index = next(i for i, s in enumerate(self.sheets) if s.name == name)
        value = "'" + name.replace("'", "''") + f"'!$1:${rows}"
        element = (
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
            f"{escape(value)}</definedName>"
        )
        text = self.package.read(self.part)
        for old in _DEFINED.finditer(text):
            attrs = old.group(1)
            if b'name="_xlnm.Print_Titles"' in attrs and b'localSheetId="%d"' % index in attrs:
                text = text[: old.start()] + text[old.end() :]
                break
        if _DEFINED_NAMES.search(text):
            text = insert_before_end(text, "definedNames", element)
        else:  # a <definedNames> of its own, right after the sheets (or the external links)
            after = "externalReferences" if b"externalReferences" in text else "sheets"
            close = re.search(rb"</((?:[\w.-]+:)?)" + after.encode() + rb"\s*>", text)
            if close is None:
                return
            block = prefixed(f"<definedNames>{element}</definedNames>", close.group(1).decode())
            text = text[: close.end()] + block.encode() + text[close.end() :]
        self.package.write(self.part, text)

    # -- identity ---------------------------------------------------------------------------

    def _custom_part(self) -> str:
        rel = next((r for r in self.package.rels("") if r.type == CUSTOM_PROPS), None)
        return rel.target if rel and self.package.has(rel.target) else ""

    def identity(self) -> str:
        """Return the id stored in the workbook's custom property, "" if there is none."""
        part = self._custom_part()
        if not part:
            return ""
        root = ElementTree.fromstring(self.package.read(part))
        for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
            if prop.get("name") == IDENTITY_PROPERTY:
                return "".join(prop.itertext()).strip()
        return ""

    def ensure_identity(self) -> str:
        """Return the workbook's id, storing a new one first if it has none."""
        found = self.identity()
        if found:
            return found
        new = str(uuid.uuid4())
        part = self._custom_part()
        if part:
            text = self.package.read(part)
            pids = [int(p) for p in re.findall(rb'\bpid="(\d+)"', text)]
            pid = max(pids, default=1) + 1
        else:
            part, pid = "docProps/custom.xml", 2
            text = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}"></Properties>'
            ).encode()
            self.package.set_override(part, CUSTOM_TYPE)
            self.package.add_rel("", CUSTOM_PROPS, part)
        element = (
            f'<property fmtid="{_FMTID}" pid="{pid}" name="{IDENTITY_PROPERTY}">'
            f'<vt:lpwstr xmlns:vt="{VT_NS}">{new}</vt:lpwstr></property>'
        )
        self.package.write(part, insert_before_end(text, "Properties", element))
        return new
