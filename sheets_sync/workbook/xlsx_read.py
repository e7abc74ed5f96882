"""Reading a local .xlsx as a person sees it: cell texts through openpyxl, and from the sheet
XML what openpyxl's fast reader leaves out (merged cells, formulas that were never
calculated). A file caught while it is being saved is waited for, briefly, and said so."""

from __future__ import annotations

import glob
import hashlib
import io
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.errors import WorkbookError
from sheets_sync.inputs.cells import Grid
from sheets_sync.wording import text_of

from .merges import Merge, merge_from_a1
from .xlsx_book import Book
from .xlsx_package import Package

logger = logging.getLogger(__name__)

BROKEN = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    KeyError,
    ValueError,
    OSError,
)
RETRY_WAITS = (0.5, 1.0, 2.0)  # seconds between reads of a file caught half-saved
STALE_TEMP_SECONDS = 60.0
_P = rb"(?:[\w.-]+:)?"
_MERGE = re.compile(rb"<" + _P + rb'mergeCell\b[^>]*\bref="([^"]+)"')
_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)<")
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')


def cell_text(value: Any, number_format: str = "General") -> str:
    """Return a cell's value as the text a person sees in the sheet (a date-time shows its time
    only when the cell's format does)."""
    fmt = number_format.lower()
    if "%" in fmt and isinstance(value, int | float) and not isinstance(value, bool):
        decimals = len(fmt.split("%")[0].partition(".")[2])
        return f"{100 * value:.{decimals}f}%".replace(".", ",")
    return text_of(value, time_shown="h" in fmt or "ss" in fmt)


def row_texts(row: Sequence[Any]) -> list[str]:
    """Return the texts of a row of openpyxl cells."""
    return [cell_text(c.value, getattr(c, "number_format", "General") or "General") for c in row]


def grid_of(ws: Worksheet) -> Grid:
    """Return a sheet's cell texts, trailing empty rows and cells trimmed."""
    grid: Grid = [row_texts(row) for row in ws.iter_rows()]
    while grid and not any(grid[-1]):
        grid.pop()
    for r in grid:
        while r and not r[-1]:
            r.pop()
    return grid


@dataclass(frozen=True, slots=True)
class SheetExtras:
    merges: tuple[Merge, ...]
    uncalculated: tuple[str, ...]  # A1 refs of formulas with no computed value


def sheet_extras(xml: bytes) -> SheetExtras:
    """Return a worksheet's merged ranges and its formula cells that hold no computed value
    (a file written by a program that does not calculate; they would read as empty)."""
    merges = tuple(m for m in (merge_from_a1(x.decode()) for x in _MERGE.findall(xml)) if m)
    missing = []
    for f in _FORMULA.finditer(xml):
        start = xml.rfind(b"<", 0, f.start())  # <c ...> ends right before its <f>
        end = xml.find(b"c>", f.end())
        head = xml[start : f.start()]
        ref = _REF.search(head)
        value = _VALUE.search(xml, f.end(), end if end >= 0 else len(xml))
        kind = _TYPE.search(head)
        calculated = value is not None and (value.group(1) or (kind and kind.group(1) == b"str"))
        if ref and not calculated:
            missing.append(ref.group(1).decode())
    return SheetExtras(merges, tuple(missing))


def version_of(path: Path, data: bytes) -> str:
    st = path.stat()
    return f"{st.st_mtime_ns}:{st.st_size}:{hashlib.sha256(data).hexdigest()}"


def read_bytes(path: Path) -> tuple[bytes, str]:
    if not path.is_file():
        raise WorkbookError(
            f"there is no workbook at {path}: fix `workbook.path` in the config, or "
            "create one with `python run.py init`"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"cannot read {path}: {exc.strerror}") from exc
    return data, version_of(path, data)


def open_book(data: bytes, path: Path, *, read_only: bool) -> openpyxl.Workbook:
    return openpyxl.load_workbook(
        io.BytesIO(data),
        read_only=read_only,
        data_only=read_only,
        rich_text=not read_only,
        keep_vba=path.suffix.lower() == ".xlsm",
    )


@dataclass(frozen=True, slots=True)
class Opened:
    data: bytes
    version: str
    package: Package
    book: Book
    cells: openpyxl.Workbook  # openpyxl's read-only view, values as last calculated


def lock_files(path: Path) -> list[Path]:
    """Return the lock files Excel (~$name) and LibreOffice (.~lock.name#) keep beside a file
    they have open."""
    names = (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#")
    return [path.with_name(n) for n in names if path.with_name(n).exists()]


def open_for_reading(path: Path, sleep: Callable[[float], None]) -> Opened:
    """Read and open `path`; a file that does not open while it is being saved (it changes
    between tries, or an editor's lock file is beside it) is read again a few times."""
    waits = list(RETRY_WAITS)
    while True:
        data, version = read_bytes(path)
        try:
            package = Package(data)
            return Opened(
                data, version, package, Book(package), open_book(data, path, read_only=True)
            )
        except WorkbookError:
            raise
        except BROKEN as exc:
            changing = _changed(path, version)
            locks = lock_files(path)
            if (changing or locks) and waits:
                logger.info("%s is being saved; reading it again", path)
                sleep(waits.pop(0))
                continue
            raise _unreadable(path, exc, changing, locks) from exc


def _changed(path: Path, version: str) -> bool:
    try:
        st = path.stat()
    except OSError:
        return True
    return not version.startswith(f"{st.st_mtime_ns}:{st.st_size}:")


def _unreadable(path: Path, exc: Exception, changing: bool, locks: list[Path]) -> WorkbookError:
    if locks:
        return WorkbookError(
            f"{path} is incomplete: it is open in Excel or LibreOffice ({locks[0].name} is "
            "beside it) and was caught while being saved. Wait until it is saved and run "
            "again; if this repeats, save it once more in Excel"
        )
    if changing:
        return WorkbookError(
            f"{path} kept changing while it was read (someone is saving or copying it): run "
            "again in a minute"
        )
    return WorkbookError(
        f"{path} is not a readable .xlsx workbook ({exc.__class__.__name__}): open it in "
        "Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
    )


def temp_path(path: Path, pid: int | None = None) -> Path:
    """Return the temporary file this process's save writes before renaming it over `path`
    (a name of its own: two runs saving at once never write into the same file)."""
    return path.with_name(f".{path.name}.{os.getpid() if pid is None else pid}.sheets-sync.tmp")


def remove_stale_temp(path: Path, now: float) -> None:
    """Remove the temporary files of saves that were killed: at once when the process named in
    the file's name is gone, else once older than a minute (a save in progress is left alone)."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*sheets-sync.tmp"):
        try:
            if not _alive(tmp.name) or now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
                logger.info("Removed %s, left by a save that was cut short", tmp)
        except OSError:
            continue


def _alive(name: str) -> bool:
    """Return whether the process whose id a temporary file's name carries may still run."""
    pid = name.rsplit(".sheets-sync.tmp", 1)[0].rpartition(".")[2]
    if not pid.isdigit() or int(pid) == os.getpid():
        return pid.isdigit()  # (no id: an older name; our own: a save of this process)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a system without signals: assume alive
        return True
    return True
