"""A loopback emulator of the Google Sheets API v4 (plus the OAuth, IAM and Drive calls gspread
and google-auth make), for testing sheets_sync's Google backend without reaching Google.

    from tests.sheets_api import Emulator
    with Emulator() as emu:
        info = emu.service_account_info()
        key = emu.create_spreadsheet("Roadmap", {"Sheet1": [["a", "b"]]})
"""

from __future__ import annotations

from tests.sheets_api.emulator import Emulator

__all__ = ["Emulator"]
