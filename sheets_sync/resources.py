"""The folders the program reads at run time: `mail_templates/` (the emails' wording) and
`config/` (the example settings and the demo's). They ship inside the installed package; in a
source checkout (an editable install) they are the top-level folders."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """Return the folder `name` ("mail_templates", "config"): inside the installed package,
    else at the top of the source checkout."""
    for folder in (PACKAGE / name, PACKAGE.parent / name):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        f"{name}/ is missing from {PACKAGE} and {PACKAGE.parent}: reinstall sheets_sync"
    )
