"""Google's error envelopes, as the Sheets v4 and OAuth endpoints send them.

Sheets errors are ``{"error": {"code", "message", "status"[, "details"]}}`` with no ``errors[]``
array (Drive bodies have one, and gspread's backoff relies on that difference). Texts marked
"recorded" come from the gspread cassettes; the others are cited where they were found.
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

# Recorded: ClientTest.test_access_non_existing_spreadsheet / test_access_private_spreadsheet.
NOT_FOUND_MESSAGE = "Requested entity was not found."
NO_PERMISSION_MESSAGE = "The caller does not have permission"
# Widely quoted text of Google's 401 (spec §4.3); the details block is not reproduced.
UNAUTHENTICATED_MESSAGE = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
DEFAULT_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: UNAUTHENTICATED_MESSAGE,
    403: NO_PERMISSION_MESSAGE,
    404: NOT_FOUND_MESSAGE,
    408: "The request timed out.",
    429: "Resource has been exhausted (e.g. check quota).",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The request timed out.",
}


class ApiError(Exception):
    """A Google API error that the emulator turns into an HTTP response."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        drive_errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}
        # Drive v3 bodies carry an errors[] array and no status; Sheets bodies are the reverse.
        self.drive_errors = drive_errors

    def body(self) -> dict[str, Any]:
        """Return the JSON envelope Google sends for this error."""
        if self.drive_errors:
            return {
                "error": {"code": self.code, "message": self.message, "errors": self.drive_errors}
            }
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
        }
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def prefixed(self, prefix: str) -> ApiError:
        """Return the same error with ``prefix`` before its message (batch sub-requests)."""
        return ApiError(
            self.code, prefix + self.message, details=self.details, headers=self.headers
        )


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def unparsable_range(text: str) -> ApiError:
    # Text seen in r-lib/gargle's fixtures and burnash/gspread#1601 (spec §4.3).
    return ApiError(400, f"Unable to parse range: {text}")


def invalid_json_value(field: str, value: Any, proto: str) -> ApiError:
    """The protobuf parse error recorded in WorksheetTest.test_add_validation #5."""
    shown = value if isinstance(value, str) else repr(value)
    message = f"Invalid value at '{field}' ({proto}), \"{shown}\""
    violation = {"field": field, "description": message}
    details = [
        {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
    ]
    return ApiError(400, message, details=details)


def unknown_field(name: str, where: str) -> ApiError:
    # Shape of Google's protobuf-JSON rejection of an unknown key.
    message = (
        f"Invalid JSON payload received. Unknown name \"{name}\" at '{where}': Cannot find field."
    )
    violation = {"field": where, "description": message}
    details = [
        {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
    ]
    return ApiError(400, message, details=details)


def service_disabled(project_number: str) -> ApiError:
    """403 for a project whose Sheets API is off.

    The message text is the one users report verbatim, e.g. home-assistant/core#79744 and
    associatedpress/harvester#10 ("Google Sheets API has not been used in project N before or it is
    disabled. Enable it by visiting ... then retry. If you enabled this API recently, wait a few
    minutes ..."). The details (ErrorInfo reason SERVICE_DISABLED, domain googleapis.com, metadata
    consumer/service, and a Help link "Google developers console API activation") follow the body
    quoted in burnash/gspread#1286 for the Drive API; ``serviceTitle``/``activationUrl`` metadata and
    the LocalizedMessage entry follow newer (2024+) Google bodies and are [unverified] in order.
    """
    url = f"https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project={project_number}"
    message = (
        f"Google Sheets API has not been used in project {project_number} before or it is disabled. "
        f"Enable it by visiting {url} then retry. If you enabled this API recently, wait a few "
        "minutes for the action to propagate to our systems and retry."
    )
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "activationUrl": url,
                "consumer": f"projects/{project_number}",
                "containerInfo": project_number,
                "service": "sheets.googleapis.com",
                "serviceTitle": "Google Sheets API",
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
            "locale": "en-US",
            "message": message,
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [{"description": "Google developers console API activation", "url": url}],
        },
    ]
    return ApiError(403, message, details=details)


def quota_exceeded(kind: str, scope: str, project_number: str, limit: int) -> ApiError:
    """429 with the body quoted in spec §4.3 (gspread APIError printouts, gargle snapshots).

    ``kind`` is "Read" or "Write"; ``scope`` is "user" or "project". The per-project limit name
    follows the per-user one by analogy [unverified].
    """
    per = "per user" if scope == "user" else "per project"
    limit_name = f"{kind}RequestsPerMinutePer{'User' if scope == 'user' else 'Project'}"
    message = (
        f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per minute "
        f"{per}' of service 'sheets.googleapis.com' for consumer 'project_number:{project_number}'."
    )
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "service": "sheets.googleapis.com",
                "consumer": f"projects/{project_number}",
                "quota_metric": f"sheets.googleapis.com/{kind.lower()}_requests",
                "quota_limit": limit_name,
                "quota_location": "global",
                "quota_limit_value": str(limit),
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [
                {
                    "description": "Request a higher quota limit.",
                    "url": "https://cloud.google.com/docs/quota#requesting_higher_quota",
                }
            ],
        },
    ]
    return ApiError(429, message, details=details)


def drive_not_found(file_id: str) -> ApiError:
    """Drive v3's 404, which (unlike Sheets) carries an ``errors[]`` array."""
    message = f"File not found: {file_id}."
    where = {"location": "fileId", "locationType": "parameter"}
    reason = {"message": message, "domain": "global", "reason": "notFound", **where}
    return ApiError(404, message, drive_errors=[reason])


def html_error_page(status: int) -> str:
    """The non-JSON page Google's front end serves for some 5xx (gspread's ``code=-1`` path)."""
    reason = {500: "Server Error", 502: "Server Error", 503: "Service Unavailable"}.get(
        status, "Error"
    )
    return (
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
        f"  <title>Error {status} ({reason})!!1</title>\n"
        f"  <p><b>{status}.</b> <ins>That’s an error.</ins>\n"
        "  <p>The server encountered a temporary error and could not complete your request."
        "<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>\n"
    )
