"""When each spreadsheet last changed, for the hub: Drive v3 `files.list`, one request a page.

`files.list` cannot select files by id (its query terms are name, fullText, mimeType,
modifiedTime, viewedByMeTime, trashed, starred, parents, owners, writers, readers,
sharedWithMe, createdTime, properties, appProperties, visibility; `id` is not one), and a
`files.get` per source would cost a request each. So the hub lists every spreadsheet the service
account can see (the ones shared with it, in its own Drive or a shared drive), 1,000 a page, and
picks the ids it knows: one request for up to 1,000 visible spreadsheets, whatever the number of
sources. `modifiedByMeTime` tells a change the hub made itself (writing a source's generated
tabs) from a change by staff.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

DRIVE_FILES_URL = "https://www.googleapis.com/drive/v3/files"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
QUERY = f"mimeType = '{SPREADSHEET_MIME}' and trashed = false"
FIELDS = "nextPageToken,incompleteSearch,files(id,modifiedTime,modifiedByMeTime)"
PAGE_SIZE = 1000  # the most Drive gives in one page
MAX_PAGES = 50  # 50,000 spreadsheets: past that, something is wrong with the account


@dataclass(frozen=True, slots=True)
class FileTimes:
    """A spreadsheet's last change (RFC 3339, from Drive), and the account's own last change."""

    modified: str
    modified_by_me: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    """Every spreadsheet the account sees, by id; `complete` is False when Drive said some
    drives were not searched (those sources are then read, not skipped)."""

    files: dict[str, FileTimes] = field(default_factory=dict)
    complete: bool = True
    pages: int = 0


def list_params(page_token: str = "") -> dict[str, str]:
    """Return the query of one page of the listing."""
    params = {
        "q": QUERY,
        "fields": FIELDS,
        "pageSize": str(PAGE_SIZE),
        "corpora": "allDrives",
        "includeItemsFromAllDrives": "true",
        "supportsAllDrives": "true",
    }
    if page_token:
        params["pageToken"] = page_token
    return params


def list_spreadsheets(get: Callable[[dict[str, str]], Mapping[str, Any]]) -> Listing:
    """Return every spreadsheet the account sees; `get` sends one page's request (the query
    as parameters) and returns the answer's JSON."""
    files: dict[str, FileTimes] = {}
    complete, token, pages = True, "", 0
    while pages < MAX_PAGES:
        page = get(list_params(token))
        pages += 1
        for item in page.get("files", []):
            if item.get("id") and item.get("modifiedTime"):
                files[str(item["id"])] = FileTimes(
                    str(item["modifiedTime"]), str(item.get("modifiedByMeTime", ""))
                )
        complete = complete and not page.get("incompleteSearch", False)
        token = str(page.get("nextPageToken", ""))
        if not token:
            break
    else:
        complete = False
    return Listing(files, complete, pages)
