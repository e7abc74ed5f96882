"""Installs that stay working: every dependency bounded below its next major version, the lock
files pinning each one within its bounds with hashes, and no dependency the product does not
use."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
EXTRAS = {
    name: [Requirement(r) for r in reqs] for name, reqs in PROJECT["optional-dependencies"].items()
}

# What each runtime dependency is imported as.
MODULES = {
    "gspread": "gspread",
    "google-auth": "google.auth",
    "requests": "requests",
    "schedule": "schedule",
    "yagmail": "yagmail",
    "jinja2": "jinja2",
    "openpyxl": "openpyxl",
    "holidays": "holidays",
    "python-docx": "docx",
    "imap-tools": "imap_tools",
    "filelock": "filelock",
}
# Declared ahead of the code that uses it, with the reason. Keep this empty once it lands.


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """Return {name: (version, number of hashes)} of a `--generate-hashes` lock file."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if match:
            found[canonicalize_name(match.group(1))] = (
                match.group(2),
                block.count("--hash=sha256:"),
            )
    return found


def test_every_dependency_is_bounded_below_its_next_major_version():
    for requirement in [*RUNTIME, *(r for reqs in EXTRAS.values() for r in reqs)]:
        uppers = [s for s in requirement.specifier if s.operator in ("<", "<=", "~=", "==")]
        assert uppers, f"{requirement} has no upper bound"


def test_the_lock_pins_every_runtime_dependency_within_its_bounds_with_hashes():
    locked = pins("requirements.txt")
    for requirement in RUNTIME:
        version, hashes = locked[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{requirement.name}=={version}"
        assert hashes >= 1, requirement.name
    assert all(hashes >= 1 for _, hashes in locked.values())


def test_the_test_lock_pins_the_test_tools_and_agrees_with_the_deployment_lock():
    locked, tested = pins("requirements.txt"), pins("requirements-test.txt")
    for requirement in [*RUNTIME, *EXTRAS["test"]]:
        version, _ = tested[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{requirement.name}=={version}"
    for name, (version, _) in locked.items():
        assert tested[name][0] == version, name  # the suite runs what is deployed


def test_every_runtime_dependency_is_used_by_the_product():
    assert set(MODULES) == {canonicalize_name(r.name) for r in RUNTIME}
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "sheets_sync").rglob("*.py"))
    for name, module in MODULES.items():
        used = re.search(rf"^\s*(?:import|from) {re.escape(module)}\b", source, re.MULTILINE)
        assert used, f"{name} is declared but sheets_sync never imports {module}"
