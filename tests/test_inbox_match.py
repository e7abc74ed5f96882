"""Which digest a reply or a bounce answers, whose it is, and which items it is about."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.inbox import (
    DigestItem,
    InboxRecord,
    SavedAttachment,
    SentDigest,
    SuggestedMark,
    match_message,
    parse_message,
    record_of,
    suggested_marks,
)
from sheets_sync.inbox.text import item_numbers
from tests import inbox_messages as m

MOSCOW = ZoneInfo("Europe/Moscow")
VII8 = DigestItem("VII.8", date(2020, 3, 1))
VII8_JUNE = DigestItem("VII.8", date(2020, 6, 1))
ONE_ONE = DigestItem("1.1", date(2020, 3, 1))
TWO = DigestItem("2", date(2020, 9, 10))

DIGESTS = {
    m.DIGEST_ID: SentDigest(
        m.DIGEST_ID,
        "school:01",
        (VII8, VII8_JUNE, ONE_ONE),
        datetime(2020, 3, 2, 9, 15),
        ("s1@example.org",),
    ),
    m.OTHER_DIGEST_ID: SentDigest(
        m.OTHER_DIGEST_ID,
        "school:01",
        (TWO,),
        datetime(2020, 9, 8, 9, 0),
        ("s1@example.org",),
    ),
    "<soiro@sheets-sync.example.org>": SentDigest(
        "<soiro@sheets-sync.example.org>",
        "executor:СОИРО",
        (ONE_ONE,),
        datetime(2020, 3, 2, 9, 15),
        ("soiro@example.org",),
    ),
}
PARTIES = {
    "s1@example.org": "school:01",
    "s2@example.org": "school:02",
    "soiro@example.org": "executor:СОИРО",
}


def record(raw: bytes) -> InboxRecord:
    return record_of(parse_message(101, raw), "box", 1, ())


def test_a_reply_is_matched_by_in_reply_to_with_all_the_items_its_digest_listed():
    match = match_message(record(m.reply(text="Сдали отчёты.")), DIGESTS, PARTIES)
    assert (match.party, match.digest, match.via) == ("school:01", m.DIGEST_ID, "in-reply-to")
    assert match.items == (VII8, VII8_JUNE, ONE_ONE)
    assert match.named == () and not match.narrowed


def test_a_reply_from_another_address_still_belongs_to_the_digests_party():
    raw = m.reply(sender="Директор <director@gmail.example>", text="Отправляю.")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.party, match.via) == ("school:01", "in-reply-to")


def test_references_are_searched_newest_first_when_in_reply_to_is_unknown():
    raw = m.reply(
        in_reply_to="<someone-elses@mail.example.org>",
        references=(m.DIGEST_ID, m.OTHER_DIGEST_ID, "<someone-elses@mail.example.org>"),
    )
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.digest, match.via) == (m.OTHER_DIGEST_ID, "references")


def test_a_new_message_from_a_known_address_answers_that_partys_latest_digest():
    raw = m.reply(in_reply_to=None, subject="Отчёт", text="Высылаю отчёт")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.party, match.digest, match.via) == ("school:01", m.OTHER_DIGEST_ID, "sender")
    assert match.items == (TWO,)


def test_a_known_address_that_never_got_a_digest_is_named_without_items():
    raw = m.reply(sender="s2@example.org", in_reply_to=None, text="Вопрос по плану")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.party, match.digest, match.via, match.items) == ("school:02", "", "sender", ())


def test_a_reply_from_a_stranger_to_nothing_we_sent_matches_nothing():
    raw = m.reply(sender="stranger@example.net", in_reply_to="<unknown@example.net>")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.party, match.digest, match.via, match.items) == ("", "", "", ())


def test_item_numbers_in_the_text_narrow_the_items_to_those():
    raw = m.reply(text="Добрый день! Отчёт по п. VII.8 во вложении, по 1.1 — на следующей неделе.")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert match.named == ("VII.8", "1.1")
    assert match.items == (VII8, VII8_JUNE, ONE_ONE)  # both named: nothing narrowed away
    raw = m.reply(text="Отчёт по VII.8 во вложении.")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert match.items == (VII8, VII8_JUNE) and match.narrowed


def test_numbers_the_digest_did_not_list_are_reported_and_do_not_narrow():
    raw = m.reply(text="Сдали отчёт по пункту 3.4.")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert match.unlisted == ("3.4",)
    assert match.items == (VII8, VII8_JUNE, ONE_ONE) and not match.narrowed


def test_the_quoted_digest_and_dates_do_not_count_as_named_items():
    # The quote lists VII.8 and 1.1; the answer names only dates.
    raw = m.reply(text="Сдали 01.03.2020, остальное до 1.06.2020 и к 01.09.")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert match.named == () and match.items == (VII8, VII8_JUNE, ONE_ONE)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Отчёт по VII.8 и п. 2.3", ["VII.8", "2.3"]),
        ("пункты 1, 3 и 5 выполнены", ["1", "3", "5"]),
        ("п.2.1.4; мероприятие 12", ["2.1.4", "12"]),
        ("по пункту VІІ.8.", ["VII.8"]),  # Cyrillic І typed for the Roman numeral
        ("vii.8 сдан", ["VII.8"]),
        ("Сдано 01.03.2020, 1.03.20, 01.03 и 15.09.2020", []),
        ("Школа № 2 сдала 2 отчёта", []),  # a plain number needs «п.» or «пункт»
        ("тел. 8-800-000-00-00, версия 3", []),
    ],
)
def test_item_numbers_are_read_from_text(text: str, numbers: list[str]):
    assert item_numbers(text) == numbers


def test_the_subject_names_items_too():
    raw = m.reply(subject="Re: Срок 01.03.2020: 1.1 «План работы»", text="Готово.")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert match.items == (ONE_ONE,)


# -- bounces -------------------------------------------------------------------------------------


def test_a_bounce_is_matched_by_the_returned_message_id_and_the_failed_address():
    match = match_message(record(m.postfix_dsn("s2@example.org")), DIGESTS, PARTIES)
    assert match.failed == ("s2@example.org",)
    assert (match.party, match.digest, match.via) == (
        "school:02",
        m.DIGEST_ID,
        "original-message-id",
    )


def test_a_bounce_without_the_original_goes_to_the_failed_partys_latest_digest():
    raw = m.postfix_dsn("soiro@example.org", original_id="<gone@example.org>")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.party, match.digest, match.via) == (
        "executor:СОИРО",
        "<soiro@sheets-sync.example.org>",
        "failed-address",
    )


def test_a_bounce_for_an_address_no_longer_in_the_sheet_finds_the_digest_sent_to_it():
    raw = m.plain_bounce("s1@example.org", original_id="<gone@example.org>")
    match = match_message(record(raw), DIGESTS, {})
    assert (match.party, match.digest, match.via) == (
        "school:01",
        m.OTHER_DIGEST_ID,
        "failed-address",
    )


def test_a_bounce_for_an_unknown_address_matches_nobody():
    raw = m.yandex_dsn("nobody@example.net", original_id="<gone@example.org>")
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.party, match.digest, match.failed) == ("", "", ("nobody@example.net",))


def test_a_record_survives_the_local_state_round_trip():
    original = record_of(parse_message(5, m.exim_dsn()), "box", 9, ())
    assert InboxRecord.from_json(original.to_json()) == original


# -- the marks a reply suggests ------------------------------------------------------------------


def with_attachment(raw: bytes) -> InboxRecord:
    saved = (SavedAttachment("отчёт.pdf", "application/pdf", 4, file="2020-03-02_x/отчёт.pdf"),)
    return record_of(parse_message(101, raw), "box", 1, saved)


def test_a_reply_with_an_attachment_naming_its_item_is_a_sure_mark_dated_when_it_arrived():
    late = datetime(2020, 3, 2, 22, 30, tzinfo=UTC)  # 03.03 in Moscow
    rec = with_attachment(m.reply(text="Отчёт по VII.8 во вложении", when=late))
    marks = suggested_marks(rec, match_message(rec, DIGESTS, PARTIES), MOSCOW)
    assert marks == (
        SuggestedMark("school:01", VII8, date(2020, 3, 3), sure=True),
        SuggestedMark("school:01", VII8_JUNE, date(2020, 3, 3), sure=True),
    )


def test_a_reply_to_a_digest_of_several_items_naming_none_is_only_a_suggestion():
    rec = with_attachment(m.reply(text="Отчёт во вложении"))
    marks = suggested_marks(rec, match_message(rec, DIGESTS, PARTIES), MOSCOW)
    assert [(mark.item.number, mark.sure) for mark in marks] == [
        ("VII.8", False),
        ("VII.8", False),
        ("1.1", False),
    ]
    one = with_attachment(m.reply(in_reply_to=m.OTHER_DIGEST_ID, text="Во вложении"))
    (mark,) = suggested_marks(one, match_message(one, DIGESTS, PARTIES), MOSCOW)
    assert (mark.item, mark.sure) == (TWO, True)


def test_no_mark_without_an_attachment_a_digest_or_a_person():
    bare = record(m.reply(text="Отчёт по VII.8 сдан"))
    assert suggested_marks(bare, match_message(bare, DIGESTS, PARTIES), MOSCOW) == ()
    stranger = with_attachment(m.reply(sender="x@example.net", in_reply_to=None))
    assert suggested_marks(stranger, match_message(stranger, DIGESTS, PARTIES), MOSCOW) == ()
    auto = record_of(parse_message(1, m.auto_reply()), "box", 1, ())
    assert suggested_marks(auto, match_message(auto, DIGESTS, PARTIES), MOSCOW) == ()


def test_a_reply_naming_two_items_is_not_sure_which_one_it_delivers():
    rec = with_attachment(m.reply(text="Отчёт по VII.8 во вложении, по 1.1 — на той неделе."))
    marks = suggested_marks(rec, match_message(rec, DIGESTS, PARTIES), MOSCOW)
    assert {mark.item.number for mark in marks} == {"VII.8", "1.1"}
    assert not any(mark.sure for mark in marks)


def test_a_digest_of_ours_that_lands_in_the_mailbox_is_known_as_our_own():
    raw = m.reply(message_id=m.DIGEST_ID, in_reply_to=None, sender=m.COORDINATOR)
    match = match_message(record(raw), DIGESTS, PARTIES)
    assert (match.via, match.digest, match.items) == ("own", m.DIGEST_ID, ())
