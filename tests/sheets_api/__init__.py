"""A loopback emulator of the Google Sheets API v4, plus the OAuth, IAM and Drive calls that
gspread and google-auth make, for testing sheets_sync's Google backend without reaching Google.

    from tests.sheets_api import Emulator

    with Emulator() as emu:                       # http://127.0.0.1:<free port>
        info = emu.service_account_info()         # a key file whose token_uri is the emulator
        key = emu.create_spreadsheet("Roadmap", {"Sheet1": [["a", "b"]]},
                                     shared_with=[info["client_email"]], locale="ru_RU")
        ...                                       # gspread.Client(auth=None,
                                                  #   session=authorized_session(info, emu.base_url))
        emu.values(key, "Sheet1")                 # [["a", "b"]], formatted, trimmed
        emu.inject(status=429, count=2, method="POST", path=r":batchUpdate$", retry_after=1)
        emu.stats()["by_route"]                   # {"POST /token": 1, "GET /v4/spreadsheets/{id}": ...}

Every request to a Sheets v4 or Drive v3 URL is first checked against Google's published
schema (the discovery documents bundled with google-api-python-client; schema.py, discovery.py):
a misspelt field, a bad enum or a value of the wrong type gets Google's 400 INVALID_ARGUMENT
("Invalid JSON payload received. Unknown name ..."), and ``emu.requests()`` entries carry the
discovery ``api_method`` and any schema ``violations``.

In pytest use the ``sheets_api``, ``service_account_info`` and ``no_egress`` fixtures
(tests/sheets_api/fixtures.py). The HTTP control API is described in control.py; the
standalone server in __main__.py; the fidelity replay against gspread's recorded cassettes
in replay.py and tests/test_sheets_api_fidelity.py.
"""

from __future__ import annotations

from tests.sheets_api.emulator import Emulator

__all__ = ["Emulator"]
