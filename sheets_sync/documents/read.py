"""Any roadmap document on disk -> its `SourceDocument`, by the file's kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sheets_sync.errors import SheetsSyncError
from sheets_sync.settings.types import DEFAULT_COLUMNS

from .source import SourceDocument

TEXT_SUFFIXES = (".txt", ".tsv", ".tab", ".text")


def read_document(path: Path, aliases: Mapping[str, Sequence[str]] | None = None) -> SourceDocument:
    """Return the lines of a .docx, .xlsx or tab-separated text file (`aliases`: the roadmap
    headers, which tell a copied text's header line from a line that goes on)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SheetsSyncError(f"there is no file at {path}")
    if suffix == ".docx":
        from .docx_reader import read_docx  # python-docx is only needed for Word files

        return read_docx(path)
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx_reader import read_xlsx

        return read_xlsx(path)
    if suffix in TEXT_SUFFIXES:
        from .tab_separated import text_document

        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_text(encoding="cp1251")
        return text_document(text, path.name, aliases or DEFAULT_COLUMNS["roadmap"])
    if suffix in (".doc", ".rtf", ".odt", ".pdf"):
        raise SheetsSyncError(
            f"{path.name}: {suffix} files are not read; open it in Word or LibreOffice and save "
            "it as Word Document (.docx)"
        )
    raise SheetsSyncError(
        f"{path.name}: import reads .docx, .xlsx and tab-separated .txt files, not {suffix or 'this kind'}"
    )
