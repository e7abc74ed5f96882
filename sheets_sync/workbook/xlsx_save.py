"""Saving a local .xlsx all or nothing: a temporary file of this process's own beside it,
fsync, then a rename over the original, unless the file changed since it was read."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no lock; the look before the rename still catches most saves
    fcntl = None  # type: ignore[assignment]

from sheets_sync.errors import WorkbookChanged, WorkbookError

from .xlsx_read import temp_path, version_of

logger = logging.getLogger("sheets_sync.workbook.xlsx")


def save_atomically(
    write: Callable[[BinaryIO], None], path: Path, version: str | None = None
) -> None:
    """Save over `path` all or nothing: `write` fills a temporary file beside it, fsync, rename.
    With `version`, refuse (WorkbookChanged) if the file on disk is no longer that version."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _replace_unless_changed(tmp, path, version)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise WorkbookError(
            f"cannot save {path}: {exc.strerror}. If the file is open in Excel, close it and "
            "run again"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    logger.debug("Saved %s", path)


def _replace_unless_changed(tmp: Path, path: Path, version: str | None) -> None:
    """Rename `tmp` over `path` unless `path` is no longer `version` (a save by someone else
    since our read wins). For sheets_sync runs the look and the rename are one step: each holds
    an OS lock on the workbook file meanwhile (the file itself: nothing is left beside it; a
    run that waited finds the file replaced, and its look fails)."""
    if version is None or not path.exists():
        os.replace(tmp, path)
        return
    with open(path, "rb") as held:
        if fcntl is not None:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        if version_of(path, path.read_bytes()) != version:
            raise WorkbookChanged(f"{path} was saved by someone else while writing")
        os.replace(tmp, path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on Windows; the rename is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
