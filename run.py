"""Entry point: `python run.py COMMAND` (see `python run.py --help`)."""

import sys

from sheets_sync.cli import main

if __name__ == "__main__":
    sys.exit(main())
