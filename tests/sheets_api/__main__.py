"""Run the emulator on its own: ``python -m tests.sheets_api --port 8765 --write-key sa.json``.

Prints the base URL; with ``--write-key`` it writes a generated service-account key file whose
token_uri points at the emulator, and every spreadsheet created over HTTP (``POST
/v4/spreadsheets`` or Drive) is shared with that key's account. Serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

from tests.sheets_api.emulator import DEFAULT_EMAIL, Emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sheets_api", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument(
        "--write-key", type=Path, metavar="PATH", help="write a service-account key file here"
    )
    parser.add_argument("--email", default=DEFAULT_EMAIL, help="client_email of the written key")
    parser.add_argument(
        "--project-id", default="test-project", help="project_id of the written key"
    )
    args = parser.parse_args(argv)

    emu = Emulator(port=args.port, host=args.host).start()
    print(f"Sheets API emulator listening on {emu.base_url}", flush=True)
    if args.write_key:
        info = emu.service_account_info(args.email, args.project_id)
        args.write_key.touch(mode=0o600)  # a key: readable by its owner only, as real ones are
        args.write_key.chmod(0o600)
        args.write_key.write_text(json.dumps(info, indent=2), encoding="utf-8")
        emu.app.auto_share.add(args.email)
        print(f"service-account key for {args.email} written to {args.write_key}", flush=True)
    else:
        print("pass --write-key PATH for a key file whose token_uri is this emulator", flush=True)
    print(
        f"test-control API: {emu.base_url}/_emulator/stats (see tests/sheets_api/control.py)",
        flush=True,
    )

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
