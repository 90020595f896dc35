"""`events serve` works from any install: the dashboard is packaged and found through the import system.

The dashboard lives in the top-level folder dashboard/ and installs as the
package `events_dashboard` (pyproject.toml). These tests fail if the build
leaves it out, or if `serve` looks for app.py next to the source tree again.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from conftest_dashboard import ROOT, events_db  # noqa: F401 - pytest fixture
from events import cli

DASHBOARD_MODULES = ["__init__.py", "app.py", "charts.py", "data.py", "filters.py"]


def test_serve_finds_the_app_through_the_import_system():
    app = cli.dashboard_app()
    assert app == Path(importlib.util.find_spec("events_dashboard.app").origin)
    assert app.name == "app.py" and app.is_file()
    assert app.read_bytes() == (ROOT / "dashboard" / "app.py").read_bytes()  # this checkout's app, installed


def test_serve_runs_streamlit_on_that_app_with_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, env: calls.append((command, env)) or 0)
    db = tmp_path / "ev.duckdb"
    args = ["serve", "--db", str(db), "--port", "8599", "--", "--server.headless", "true"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    [(command, env)] = calls
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[4] == str(cli.dashboard_app())
    assert command[command.index("--server.port") + 1] == "8599"
    assert command[command.index("--server.headless") + 1] == "true"
    assert command[-3:] == ["--", "--db", str(db.resolve())]
    assert env["EVENTS_DB"] == str(db.resolve())


def test_serve_says_so_when_the_dashboard_is_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cli, "DASHBOARD_APP", "events_dashboard_missing.app")
    result = CliRunner().invoke(cli.main, ["serve", "--db", str(tmp_path / "ev.duckdb")])
    assert result.exit_code == 1
    assert "the dashboard is not installed" in result.output


def test_the_app_found_by_serve_renders(events_db: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    monkeypatch.setenv("EVENTS_DB", str(events_db))  # as serve passes it (and --db, which AppTest has no argv for)
    at = AppTest.from_file(str(cli.dashboard_app()), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("events match" in element.proto.body for element in at.get("html"))


def test_the_build_packages_the_dashboard_and_every_module(tmp_path: Path):
    """What setuptools puts in the wheel (build_py: modules and package data), on a copy of the tree.

    A copy, because setuptools writes *.egg-info next to pyproject.toml.
    """
    src, out = tmp_path / "src", tmp_path / "lib"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("events", "dashboard"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    build = subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py", "--build-lib", str(out)],
        cwd=src, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    built = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}

    assert {f"events_dashboard/{name}" for name in DASHBOARD_MODULES} <= built
    assert not any(path.startswith("dashboard/") for path in built)  # no generic top-level `dashboard` package
    in_tree = {f"events_dashboard/{path.name}" for path in (ROOT / "dashboard").glob("*.py")}
    in_tree |= {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "events").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert in_tree - built == set()
