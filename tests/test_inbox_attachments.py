"""Attachments are saved with safe names, one folder per message; executables and files over
the limit are refused with the reason; nothing is ever overwritten or saved twice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sheets_sync.inbox import parse_message, refusal, safe_file_name, save_attachments
from sheets_sync.inbox.attachments import MAX_NAME_BYTES, message_folder
from tests import inbox_messages as m

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("отчёт.pdf", "отчёт.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/etc/cron.d/evil", "evil"),
        ("..", "вложение-1"),
        ("C:\\Users\\school\\Desktop\\план.docx", "план.docx"),
        ("\\\\server\\share\\отчёт.xlsx", "отчёт.xlsx"),
        ("C:план.docx", "C_план.docx"),
        ("a\x00b\r\nc\t.pdf", "abc.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe"),  # the right-to-left override trick
        ("=?utf-8?B?0L7RgtGH0ZHRgi5wZGY=?=", "отчёт.pdf"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("LPT1.docx", "_LPT1.docx"),
        (".htaccess", "htaccess"),
        ("...hidden.pdf", "hidden.pdf"),
        ("отчёт.pdf. . ", "отчёт.pdf"),
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("  много   пробелов  .PDF", "много пробелов.pdf"),
        ("", "вложение-1"),
    ],
)
def test_any_name_becomes_one_plain_file_name(name: str, safe: str):
    assert safe_file_name(name) == safe


def test_a_nameless_attachment_gets_a_number_and_the_extension_of_its_type():
    assert safe_file_name("", "application/pdf", 3) == "вложение-3.pdf"
    assert safe_file_name("scan", "image/jpeg") == "scan.jpg"
    assert safe_file_name("data", "application/octet-stream") == "data"


def test_a_very_long_name_is_cut_to_fit_and_keeps_its_extension():
    safe = safe_file_name("Отчёт " * 100 + ".docx")
    assert safe.endswith(".docx") and len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    safe = safe_file_name("я" * 300)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES and safe.startswith("яяя")


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("setup.exe", "application/octet-stream"),
        ("отчёт.pdf.exe", "application/pdf"),
        ("run.BAT", "text/plain"),
        ("macro.vbs", "text/plain"),
        ("script.ps1", "text/plain"),
        ("app.apk", "application/octet-stream"),
        ("link.lnk", "application/octet-stream"),
        ("install.msi", "application/octet-stream"),
        ("tool.jar", "application/octet-stream"),
        ("run.sh", "text/plain"),
        ("page.js", "text/plain"),
        ("image.iso", "application/octet-stream"),
        ("innocent.pdf", "application/x-msdownload"),
        ("report.txt", "application/javascript"),
    ],
)
def test_executables_and_scripts_are_refused_by_extension_or_type(name: str, ctype: str):
    reason = refusal(safe_file_name(name, ctype), ctype, 10, 20 * MB)
    assert reason.startswith("не сохранено: исполняемый файл или скрипт")


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    assert refusal("scan.pdf", "application/pdf", 25 * MB, 20 * MB) == (
        "не сохранено: 25,0 МБ, больше предела 20,0 МБ"
    )
    assert refusal("scan.pdf", "application/pdf", 20 * MB, 20 * MB) == ""


def test_attachments_are_saved_under_the_messages_folder(tmp_path: Path):
    raw = m.reply(
        attachments=(
            ("отчёт.pdf", "application/pdf", b"%PDF-1"),
            ("../../../outside.docx", "application/msword", b"DOC"),
            ("setup.exe", "application/octet-stream", b"MZ"),
            ("big.pdf", "application/pdf", b"x" * 2048),
        )
    )
    message = parse_message(1, raw)

    saved = save_attachments(tmp_path / "inbox", message, max_bytes=1024)

    folder = message_folder(message)
    assert folder.startswith("2020-03-02_")
    assert [(a.name, a.file) for a in saved] == [
        ("отчёт.pdf", f"{folder}/отчёт.pdf"),
        ("../../../outside.docx", f"{folder}/outside.docx"),
        ("setup.exe", ""),
        ("big.pdf", ""),
    ]
    assert saved[2].refused == "не сохранено: исполняемый файл или скрипт (.exe)"
    assert saved[3].refused.startswith("не сохранено: 0,0 МБ, больше предела")
    files = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert files == [
        Path("inbox") / folder / "outside.docx",
        Path("inbox") / folder / "отчёт.pdf",
    ]


def test_a_hostile_name_through_the_whole_path_stays_inside_the_folder(tmp_path: Path):
    hostile = m.raw_reply_with_filename('filename="..\\\\..\\\\..\\\\Windows\\\\evil.pdf"', b"%PDF")
    message = parse_message(1, hostile)
    (saved,) = save_attachments(tmp_path / "inbox", message, max_bytes=MB)
    assert saved.file == f"{message_folder(message)}/evil.pdf"
    encoded_exe = m.raw_reply_with_filename('filename="=?utf-8?B?0L7RgtGH0ZHRgi5leGU=?="')
    (refused,) = save_attachments(tmp_path / "inbox", parse_message(2, encoded_exe), MB)
    assert (refused.name, refused.file) == ("отчёт.exe", "")
    assert [p.name for p in (tmp_path / "inbox").rglob("*") if p.is_file()] == ["evil.pdf"]


def test_saving_never_overwrites_and_never_saves_the_same_bytes_twice(tmp_path: Path):
    message = parse_message(
        1,
        m.reply(
            attachments=(
                ("отчёт.pdf", "application/pdf", b"first"),
                ("отчёт.pdf", "application/pdf", b"second"),
                ("отчёт.pdf", "application/pdf", b"first"),
            )
        ),
    )
    root = tmp_path / "inbox"
    first = save_attachments(root, message, MB)
    again = save_attachments(root, message, MB)  # a cycle that died and ran again

    folder = message_folder(message)
    assert [a.file for a in first] == [
        f"{folder}/отчёт.pdf",
        f"{folder}/отчёт (2).pdf",
        f"{folder}/отчёт.pdf",
    ]
    assert again == first
    assert (root / folder / "отчёт.pdf").read_bytes() == b"first"
    assert (root / folder / "отчёт (2).pdf").read_bytes() == b"second"
    assert len([p for p in root.rglob("*") if p.is_file()]) == 2


def test_a_file_someone_put_there_is_kept_and_ours_gets_a_suffix(tmp_path: Path):
    message = parse_message(1, m.reply(attachments=(("план.docx", "application/msword", b"ours"),)))
    folder = tmp_path / "inbox" / message_folder(message)
    folder.mkdir(parents=True)
    (folder / "план.docx").write_bytes(b"staff's own edit")
    (saved,) = save_attachments(tmp_path / "inbox", message, MB)
    assert saved.file.endswith("план (2).docx")
    assert (folder / "план.docx").read_bytes() == b"staff's own edit"


def test_the_same_message_always_lands_in_the_same_folder_and_another_elsewhere():
    one = parse_message(1, m.reply())
    assert message_folder(one) == message_folder(parse_message(99, m.reply()))
    other = parse_message(1, m.reply(message_id="<other@mail.example.org>"))
    assert message_folder(other) != message_folder(one)
    assert message_folder(replace(one, date=None)).startswith("без-даты_")
