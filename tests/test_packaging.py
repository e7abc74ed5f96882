"""The wheel: everything the program reads at run time ships inside the package, and an
installed (not editable) sheets-sync runs the demo in an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("sheets_sync-*.whl")
    return path


def test_pyproject_lists_every_package_of_the_tree():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["packages"]
    tree = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in ROOT.glob("sheets_sync/**/__init__.py")
    }
    data = {"sheets_sync.mail_templates", "sheets_sync.config", "sheets_sync.demo.data"}
    assert tree | data == set(listed)


def test_the_wheel_holds_the_templates_the_demo_data_and_the_configs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "mail_templates").iterdir():
        assert f"sheets_sync/mail_templates/{template.name}" in names
    for seed in (ROOT / "sheets_sync" / "demo" / "data").iterdir():
        assert f"sheets_sync/demo/data/{seed.name}" in names
    for config in ("settings.example.toml", "demo-region.toml", "demo-school.toml"):
        assert f"sheets_sync/config/{config}" in names
    assert not any(n.startswith("sheets_sync/config/settings.toml") for n in names)


def test_an_installed_wheel_runs_the_demo_in_an_empty_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    target = Path(
        sysconfig.get_paths(vars={"base": str(env_dir), "platbase": str(env_dir)})["purelib"]
    )
    with zipfile.ZipFile(wheel) as z:  # what pip would put in site-packages
        z.extractall(target)
    here = Path(sysconfig.get_paths()["purelib"])  # the dependencies, from the test's own env
    folder = tmp_path / "empty"
    folder.mkdir()
    run = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "import sys; from sheets_sync.cli import main; sys.exit(main())",
            "demo",
        ],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(here)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "region-2020.xlsx" in run.stdout
    assert list((folder / "demo" / "outbox").glob("*.eml"))
    imported = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import sheets_sync; print(sheets_sync.__file__)"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(here)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.startswith(str(target))
