"""The Google write: each journal row once however often a write is retried, only the tabs that
changed, no request over the size limit, the journal read from where the last run stopped, and
last year's rows moved out; the token endpoint's outages retried."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sheets_sync.workbook.google import GoogleWorkbook
from tests.sample_workbook import Sleeps, cycle, staff

JOURNAL = "Журнал рассылки"


def batch_requests(google) -> list[dict]:
    return [e for e in google.emulator.requests() if e["route"].endswith(":batchUpdate")]


def test_a_write_applied_by_google_whose_answer_was_lost_journals_each_email_once(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    first = cycle(settings)
    google.emulator.reset_stats()
    # Google applies the write, then the connection drops: the client retries the same write.
    google.emulator.inject(drop=True, applied=True, method="POST", path=r":batchUpdate$")

    later = cycle(settings, today=date(2020, 9, 10))

    assert later.sent and later.written and len(batch_requests(google)) == 2  # sent twice
    journal = google.emulator.values(key, JOURNAL)[1:]
    assert Counter(r[6] for r in journal) == {e.message_id: 1 for e in first.sent + later.sent}
    again = cycle(settings, today=date(2020, 9, 10))
    assert again.sent == [] and len(google.emulator.values(key, JOURNAL)) == 1 + len(journal)


def test_a_first_write_applied_by_google_whose_answer_was_lost_is_taken_up_again(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    google.emulator.inject(drop=True, applied=True, method="POST", path=r":batchUpdate$")

    result = cycle(settings)  # the retry finds the tabs there: read again, written again

    assert result.written and result.reads == 2
    journal = google.emulator.values(key, JOURNAL)[1:]
    assert Counter(r[6] for r in journal) == {e.message_id: 1 for e in result.sent}


def written_tabs(google, key) -> set[str]:
    """Return the tabs the batchUpdates since the last reset wrote cells of."""
    ids = {
        google.emulator.sheet_properties(key, t)["sheetId"]: t
        for t in google.emulator.sheet_titles(key)
    }
    return {
        ids.get(r["updateCells"]["range"]["sheetId"], "?")
        for e in batch_requests(google)
        for r in e["body"]["requests"]
        if "updateCells" in r and "range" in r["updateCells"]
    }


def test_a_steady_cycle_rewrites_only_the_tabs_whose_content_changed(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    cycle(settings)
    google.emulator.reset_stats()

    cycle(settings)  # the same day and minute: only the summary's note on this run changes
    assert written_tabs(google, key) == {"Сводка"}
    google.emulator.reset_stats()
    cycle(settings)
    assert batch_requests(google) == []  # nothing changed: nothing written

    sheet_id = google.emulator.sheet_properties(key, "Сроки")["sheetId"]
    GoogleWorkbook(settings, sleep=Sleeps())._call(  # staff delete a generated tab
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{key}:batchUpdate",
        body={"requests": [{"deleteSheet": {"sheetId": sheet_id}}]},
        what="a test",
    )
    google.emulator.reset_stats()
    cycle(settings)

    assert written_tabs(google, key) == {"Сроки"}


def test_a_write_larger_than_the_limit_goes_in_the_fewest_requests_under_it(google):
    key = google.spreadsheet(staff())
    whole = google.spreadsheet(staff())
    settings, settings_whole = google.settings(key), google.settings(whole)
    small = GoogleWorkbook(settings, sleep=Sleeps())
    small.max_request_bytes = 6_000

    cycle(settings, small)
    cycle(settings_whole)

    assert len(small.sizes) > 2 and max(small.sizes) <= 6_000
    assert len(small.sizes) <= -(-sum(small.sizes) // 6_000) + 1  # the fewest, or one more
    for tab in ("Сводка", "Просрочено", "Сроки", "Проблемы"):
        assert google.emulator.values(key, tab)[2:] == google.emulator.values(whole, tab)[2:], tab
    ours = [r[:6] for r in google.emulator.values(key, JOURNAL)]
    assert ours == [r[:6] for r in google.emulator.values(whole, JOURNAL)]


def test_the_second_cycle_reads_only_the_new_journal_rows(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    first = cycle(settings)
    second = cycle(settings, today=date(2020, 9, 9))
    google.emulator.reset_stats()

    cycle(settings, today=date(2020, 9, 10))

    reads = [e for e in google.emulator.requests() if e["method"] == "GET"]
    ranges = reads[0]["params"]["ranges"]
    last = len(first.sent) + len(second.sent)  # the last row known, to check it, then the new
    assert f"'{JOURNAL}'!1:1" in ranges
    assert f"'{JOURNAL}'!A{last + 1}:H" in ranges
    assert f"'{JOURNAL}'" not in ranges


def test_journal_rows_of_an_earlier_year_move_to_their_own_tab(google):
    old = [
        ["Когда", "Кому", "Адреса", "Этап", "Обязательства", "Результат", "Message-ID", "Ключи"],
        ["02.12.2019 09:00", "Школа № 1", "", "", "", "отправлено", "<a@x>", "school:01|9|2019-11-30|school:01|overdue"],
        ["09.12.2019 09:00", "Школа № 1", "", "", "", "отправлено", "<b@x>", "school:01|9|2019-12-07|school:01|overdue"],
    ]  # fmt: skip
    key = google.spreadsheet({**staff(), JOURNAL: old})
    settings = google.settings(key)

    result = cycle(settings)

    journal = google.emulator.values(key, JOURNAL)
    assert journal[0] == old[0]
    assert sorted(r[6] for r in journal[1:]) == sorted(e.message_id for e in result.sent)
    assert google.emulator.values(key, f"{JOURNAL} 2019") == old
    again = cycle(settings, today=date(2020, 9, 9))
    assert again.written and google.emulator.values(key, f"{JOURNAL} 2019") == old


def test_an_outage_of_the_token_endpoint_is_retried_not_called_a_deleted_key(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    google.emulator.inject(status=502, html=True, count=2, method="POST", path=r"^/token")
    sleeps = Sleeps()

    result = cycle(settings, GoogleWorkbook(settings, sleep=sleeps))

    assert result.written and len(sleeps) == 2


def test_a_refused_key_is_still_named_as_such(google):
    key = google.spreadsheet(staff())
    settings = google.settings(key)
    google.emulator.inject(
        status=400,
        body={"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
        method="POST",
        path=r"^/token",
    )
    try:
        cycle(settings)
    except Exception as exc:  # noqa: BLE001 - the message is what is checked
        assert "the key was deleted" in str(exc)
    else:
        raise AssertionError("the run went on with a refused key")


class Killed(BaseException):
    """The process dies here (nothing in sheets_sync catches it)."""


class KilledAfterFirstPart(GoogleWorkbook):
    """The real backend, its process killed once the first part of a split write is applied."""

    def _call(self, method, url, **kwargs):  # type: ignore[no-untyped-def]
        answer = super()._call(method, url, **kwargs)
        if "part 1 of" in kwargs.get("what", ""):
            raise Killed
        return answer


def test_a_run_killed_between_the_parts_of_a_split_write_loses_nothing(google):
    import pytest

    key = google.spreadsheet(staff())
    settings = google.settings(key)
    killed = KilledAfterFirstPart(settings, sleep=Sleeps())
    killed.max_request_bytes = 6_000
    with pytest.raises(Killed):
        cycle(settings, killed)
    sent = list((google.root / "outbox").glob("*.eml"))

    again = cycle(settings)

    assert again.sent == [] and again.written
    journal = google.emulator.values(key, JOURNAL)[1:]
    assert len(journal) == len(sent) and len({r[6] for r in journal}) == len(sent)
    reference = google.spreadsheet(staff())
    cycle(google.settings(reference))
    for tab in ("Просрочено", "Сроки", "Проблемы"):
        assert google.emulator.values(key, tab) == google.emulator.values(reference, tab), tab


def test_the_keys_column_of_a_new_journal_is_hidden(google):
    key = google.spreadsheet(staff())
    cycle(google.settings(key))

    sheet = next(
        s for s in google.emulator.spreadsheet(key)["sheets"] if s["properties"]["title"] == JOURNAL
    )
    columns = sheet["data"][0]["columnMetadata"]
    assert columns[7].get("hiddenByUser") is True
    assert not any(c.get("hiddenByUser") for c in columns[:7])
