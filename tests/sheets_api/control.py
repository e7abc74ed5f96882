"""The test-control API under ``/_emulator/`` (not part of Google's surface).

GET  /_emulator/stats                     {"total", "by_route"}
GET  /_emulator/log                       every request seen
POST /_emulator/reset
POST /_emulator/spreadsheets              {"title", "sheets": {title: rows}, "shared_with",
                                           "locale", "time_zone", "id"} -> {"spreadsheetId"}
GET  /_emulator/spreadsheets/{id}         {"spreadsheet": resource with grid data, "sharedWith"}
POST /_emulator/spreadsheets/{id}/share   {"email"}     (and .../unshare)
POST /_emulator/spreadsheets/{id}/edit    {"sheet", "rows", "row", "column", "by"} -> {"modifiedTime"}
POST /_emulator/spreadsheets/{id}/delete
POST /_emulator/drive                     {"page_limit"}: files.list pages of at most that
POST /_emulator/faults                    {"status", "count", "method", "path", "retry_after",
                                           "delay", "drop", "malformed", "html", "body"}
GET|DELETE /_emulator/faults
POST /_emulator/principals                {"email", "project_id"} -> a generated key file
POST /_emulator/projects/{project}/disable (and .../enable)
POST /_emulator/ids                       {"spreadsheets", "sheets", "namedRanges", "protectedRanges"}
POST /_emulator/quota                     {"read_per_user", ..., "advance_seconds"}
POST /_emulator/tokens/expire
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tests.sheets_api.app import Request, Response, json_response

if TYPE_CHECKING:
    from tests.sheets_api.emulator import Emulator


def handle(emu: Emulator, request: Request) -> Response:
    try:
        body = json.loads(request.body) if request.body.strip() else {}
        return json_response(
            200, _route(emu, request.method, request.path[len("/_emulator/") :], body)
        )
    except (KeyError, ValueError, TypeError) as error:
        return json_response(400, {"error": f"{type(error).__name__}: {error}"})


def _route(emu: Emulator, method: str, path: str, body: Any) -> Any:
    if (method, path) == ("GET", "stats"):
        return emu.stats()
    if (method, path) == ("GET", "log"):
        return emu.requests()
    if (method, path) == ("POST", "reset"):
        emu.reset()
        return {}
    if (method, path) == ("POST", "spreadsheets"):
        key = emu.create_spreadsheet(
            body["title"],
            body.get("sheets"),
            shared_with=body.get("shared_with"),
            locale=body.get("locale", "en_US"),
            time_zone=body.get("time_zone", "Etc/GMT"),
            spreadsheet_id=body.get("id"),
        )
        return {"spreadsheetId": key}
    if match := re.fullmatch(r"spreadsheets/([^/]+)", path):
        shared = emu.app.spreadsheets[match[1]].shared_with
        return {
            "spreadsheet": emu.spreadsheet(match[1]),
            "sharedWith": None if shared is None else sorted(shared),
        }
    if match := re.fullmatch(r"spreadsheets/([^/]+)/edit", path):
        emu.edit(
            match[1], body["sheet"], body["rows"],
            row=body.get("row", 1), column=body.get("column", 1),
            by=body.get("by", "coordinator@school.example.org"),
        )  # fmt: skip
        return {"modifiedTime": emu.modified_time(match[1])}
    if match := re.fullmatch(r"spreadsheets/([^/]+)/delete", path):
        emu.delete(match[1])
        return {}
    if (method, path) == ("POST", "drive"):
        emu.set_drive_page_limit(int(body["page_limit"]))
        return {}
    if match := re.fullmatch(r"spreadsheets/([^/]+)/(share|unshare)", path):
        (emu.share if match[2] == "share" else emu.unshare)(match[1], body["email"])
        return {}
    if path == "faults":
        if method == "POST":
            emu.inject(**{k: v for k, v in body.items()})
        elif method == "DELETE":
            emu.clear_faults()
        return {"pending": [f.describe() for f in emu.app.faults.pending]}
    if (method, path) == ("POST", "principals"):
        return emu.service_account_info(body["email"], body.get("project_id", "test-project"))
    if match := re.fullmatch(r"projects/([^/]+)/(disable|enable)", path):
        (emu.disable_api if match[2] == "disable" else emu.enable_api)(match[1])
        return {}
    if (method, path) == ("POST", "ids"):
        emu.queue_ids(
            body.get("spreadsheets", ()), body.get("sheets", ()),
            body.get("namedRanges", ()), body.get("protectedRanges", ()),
        )  # fmt: skip
        return {}
    if (method, path) == ("POST", "quota"):
        advance = body.pop("advance_seconds", None)
        emu.set_quota(**body)
        if advance:
            emu.advance_clock(float(advance))
        return {"limits": vars(emu.app.quota.limits)}
    if (method, path) == ("POST", "tokens/expire"):
        emu.expire_tokens()
        return {}
    raise KeyError(f"no control route {method} /_emulator/{path}")
