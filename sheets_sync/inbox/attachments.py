"""Attachments saved with safe names under `inbox.attachments_dir`, one folder per message.

`safe_file_name` and `refusal` are pure: any name a sender can write (path traversal,
absolute and Windows paths, control and direction characters, encoded words, reserved
device names, hundreds of characters) becomes one plain file name, and executable or
script files and files over the size limit are refused with the reason. `save_attachments`
writes the files and never overwrites one: a different file of the same name gets a
suffix, and the same bytes saved again (a cycle that died and ran again) are found, not
copied twice.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import unicodedata
from pathlib import Path

from .message import Attachment, InboxMessage, decode_words
from .records import SavedAttachment

MAX_NAME_BYTES = 150  # well under the 255 bytes file systems allow, Cyrillic is 2 bytes a letter
BLOCKED_EXTENSIONS = frozenset(
    {
        ".exe",
        ".com",
        ".bat",
        ".cmd",
        ".scr",
        ".pif",
        ".cpl",
        ".msi",
        ".msp",
        ".mst",
        ".dll",
        ".sys",
        ".drv",
        ".ocx",
        ".js",
        ".jse",
        ".vbs",
        ".vbe",
        ".wsf",
        ".wsh",
        ".wsc",
        ".ps1",
        ".ps1xml",
        ".psm1",
        ".psd1",
        ".hta",
        ".jar",
        ".sh",
        ".bash",
        ".zsh",
        ".csh",
        ".ksh",
        ".apk",
        ".app",
        ".lnk",
        ".url",
        ".scf",
        ".reg",
        ".inf",
        ".gadget",
        ".application",
        ".appref-ms",
        ".msc",
        ".iso",
        ".img",
        ".vhd",
        ".vhdx",
        ".py",
        ".pyw",
        ".pl",
        ".rb",
        ".php",
        ".run",
        ".elf",
        ".deb",
        ".rpm",
        ".dmg",
        ".pkg",
        ".command",
        ".xll",
    }
)
BLOCKED_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-msi",
        "application/x-ms-installer",
        "application/x-ms-shortcut",
        "application/x-sh",
        "application/x-shellscript",
        "application/x-csh",
        "application/x-bat",
        "application/bat",
        "application/javascript",
        "application/x-javascript",
        "text/javascript",
        "application/ecmascript",
        "application/vbscript",
        "text/vbscript",
        "application/hta",
        "application/java-archive",
        "application/x-java-archive",
        "application/vnd.android.package-archive",
        "application/x-python-code",
        "text/x-python",
        "application/x-powershell",
    }
)
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$|clock\$)$", re.IGNORECASE)
_UNSAFE = re.compile(r'[<>:"/\\|?*]')


def safe_file_name(name: str, content_type: str = "", index: int = 1) -> str:
    """Return `name` as one plain, portable file name (never empty, never a path)."""
    text = unicodedata.normalize("NFC", decode_words(name))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = " ".join(_UNSAFE.sub("_", text).split()).strip(" .")
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 16 or " " in ext:
        stem, ext = text, ""
    stem = stem.strip(" .")
    ext = ext.lower()
    if not ext:
        guessed = _extension_for(content_type)
        ext = guessed.lstrip(".")
    if not stem:
        stem = f"вложение-{index}"
    if _RESERVED.match(stem.split(".")[0].strip()):
        stem = f"_{stem}"
    suffix = f".{ext}" if ext else ""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    stem = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return f"{stem or f'вложение-{index}'}{suffix}"


def refusal(file_name: str, content_type: str, size: int, max_bytes: int) -> str:
    """Return why an attachment is not saved (Russian, for the tab), or "" to save it."""
    ext = os.path.splitext(file_name)[1].lower()
    if ext in BLOCKED_EXTENSIONS:
        return f"не сохранено: исполняемый файл или скрипт ({ext})"
    if content_type.lower() in BLOCKED_TYPES:
        return f"не сохранено: исполняемый файл или скрипт ({content_type.lower()})"
    if size > max_bytes:
        return f"не сохранено: {_megabytes(size)}, больше предела {_megabytes(max_bytes)}"
    return ""


def numbered(file_name: str, n: int) -> str:
    """Return `file_name` with « (n)» before its extension: отчёт.docx -> отчёт (2).docx."""
    stem, ext = os.path.splitext(file_name)
    return f"{stem} ({n}){ext}"


def message_folder(message: InboxMessage) -> str:
    """Return the folder of one message's attachments: its date and a digest of its
    Message-ID, so that the same message always lands in the same folder."""
    day = message.date.strftime("%Y-%m-%d") if message.date else "без-даты"
    return f"{day}_{hashlib.sha256(message.key.encode('utf-8')).hexdigest()[:12]}"


def save_attachments(
    root: Path, message: InboxMessage, max_bytes: int
) -> tuple[SavedAttachment, ...]:
    """Save the attachments of `message` under `root`/<message folder>/; return what became
    of each. Raises OSError when the folder cannot be written."""
    folder_name = message_folder(message)
    folder = root / folder_name
    saved: list[SavedAttachment] = []
    for index, attachment in enumerate(message.attachments, start=1):
        name = safe_file_name(attachment.name, attachment.content_type, index)
        reason = refusal(name, attachment.content_type, attachment.size, max_bytes)
        if reason:
            saved.append(_refused(attachment, reason))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        file_name = _write_new(folder, name, attachment.payload)
        path = folder / file_name
        if not path.resolve().is_relative_to(root.resolve()):  # a symlinked folder: never follow
            raise OSError(f"{path} is outside {root}")
        saved.append(
            SavedAttachment(
                attachment.name,
                attachment.content_type,
                attachment.size,
                file=f"{folder_name}/{file_name}",
            )
        )
    return tuple(saved)


def not_saved(message: InboxMessage, reason: str) -> tuple[SavedAttachment, ...]:
    """Return the attachments of `message` as refused for `reason`, none of them saved."""
    return tuple(_refused(a, reason) for a in message.attachments)


def _write_new(folder: Path, name: str, data: bytes) -> str:
    """Write `data` as `name` in `folder`, or as `name (2)`, ... if another file has it;
    return the name used. The same bytes already there under one of those names are reused."""
    for n in range(1, 1000):
        candidate = name if n == 1 else numbered(name, n)
        path = folder / candidate
        if path.exists():
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                return candidate
            continue
        partial = folder / f".partial-{os.getpid()}-{hashlib.sha256(data).hexdigest()[:8]}"
        partial.write_bytes(data)
        try:
            _link(partial, path)
        except FileExistsError:
            continue
        finally:
            partial.unlink(missing_ok=True)
        return candidate
    raise OSError(f"too many files named like {name} in {folder}")


def _link(source: Path, target: Path) -> None:
    """Give `source` the name `target`, never replacing a file that appeared meanwhile."""
    try:
        os.link(source, target)  # atomic: fails if the name is taken
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT, some network shares)
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(source, target)


def _refused(attachment: Attachment, reason: str) -> SavedAttachment:
    return SavedAttachment(
        attachment.name, attachment.content_type, attachment.size, refused=reason
    )


def _extension_for(content_type: str) -> str:
    if not content_type or content_type == "application/octet-stream":
        return ""
    return mimetypes.guess_extension(content_type, strict=False) or ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")
