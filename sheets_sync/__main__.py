import sys

from sheets_sync.cli import main

sys.exit(main())
