"""The zip container of an .xlsx: members copied as they are stored, new members deflated.

A member the program does not change is copied with its compressed bytes, CRC and sizes as
found, so a staff part leaves the file exactly as it came in (and costs no recompression).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from sheets_sync.errors import WorkbookError

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_UTF8 = 0x800
_LIMIT = 0xFFFF_FFFF
_DOS_DATE = (1 << 5) | 1  # 1980-01-01: new members carry no clock time


@dataclass(frozen=True, slots=True)
class Member:
    """One member to write: a name, its bytes as stored, and what the directory says of them."""

    name: str
    stored: bytes | memoryview
    method: int
    crc: int
    size: int
    time: int = 0
    date: int = _DOS_DATE


def members(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """Return the archive of `data` and its members in stored order (zip errors propagate)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, archive.infolist()


def copied(data: bytes, info: zipfile.ZipInfo) -> Member:
    """Return a member exactly as stored in `data`, to be written again unchanged."""
    view = memoryview(data)
    header = _LOCAL.unpack_from(view, info.header_offset)
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    start = info.header_offset + _LOCAL.size + header[9] + header[10]
    stored = view[start : start + info.compress_size]
    if len(stored) != info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename} is cut short")
    year, month, day, hour, minute, second = info.date_time
    return Member(
        info.filename,
        stored,
        info.compress_type,
        info.CRC,
        info.file_size,
        (hour << 11) | (minute << 5) | (second // 2),
        ((max(year, 1980) - 1980) << 9) | (month << 5) | day,
    )


def deflated(name: str, content: bytes, level: int = 6) -> Member:
    """Return a new member holding `content`, deflated."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    stored = packer.compress(content) + packer.flush()
    return Member(name, stored, zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content))


def write_zip(out: BinaryIO, entries: Iterable[Member]) -> None:
    """Write `entries` as a zip archive to `out` (no zip64: an .xlsx stays far below 4 GB)."""
    directory = []
    offset = 0
    for m in entries:
        name = m.name.encode("utf-8")
        flags = _UTF8 if not m.name.isascii() else 0
        if offset > _LIMIT or len(m.stored) > _LIMIT or m.size > _LIMIT:
            raise WorkbookError("the workbook would be larger than 4 GB, which .xlsx cannot hold")
        head = (20, flags, m.method, m.time, m.date, m.crc, len(m.stored), m.size, len(name))
        out.write(_LOCAL.pack(b"PK\x03\x04", *head, 0))
        out.write(name)
        out.write(m.stored)
        directory.append(_CENTRAL.pack(b"PK\x01\x02", 20, *head, 0, 0, 0, 0, 0, offset) + name)
        offset += _LOCAL.size + len(name) + len(m.stored)
    if len(directory) > 0xFFFF:
        raise WorkbookError("the workbook has more parts than .xlsx can hold")
    size = sum(len(d) for d in directory)
    out.writelines(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(directory), len(directory), size, offset, 0))
