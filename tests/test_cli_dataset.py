"""The commands around a Parquet dataset: serve --data, EVENTS_DB on a folder, export --partitioned, import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest_dashboard import build_fixture_dataset, events_db  # noqa: F401 - pytest fixture
from events import cli


@pytest.fixture
def dataset(events_db: Path, tmp_path: Path) -> Path:  # noqa: F811
    return build_fixture_dataset(events_db, tmp_path / "ds")


def serve_env(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, env: calls.append((command, env)) or 0)
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    [(command, env)] = calls
    assert command[-2:] == ["--db", env["EVENTS_DB"]]
    return env


def test_serve_data_opens_the_dashboard_on_the_folder(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve_env(["serve", "--data", str(dataset)], monkeypatch)["EVENTS_DB"] == str(dataset.resolve())


def test_events_db_may_name_a_dataset_folder(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_DB", str(dataset))
    assert serve_env(["serve"], monkeypatch)["EVENTS_DB"] == str(dataset.resolve())


def test_export_reads_a_dataset_like_a_database(dataset: Path, events_db: Path) -> None:  # noqa: F811
    from_db = CliRunner().invoke(cli.main, ["export", "--db", str(events_db), "--format", "jsonl"])
    from_folder = CliRunner().invoke(cli.main, ["export", "--data", str(dataset), "--format", "jsonl"])
    assert from_db.exit_code == from_folder.exit_code == 0
    assert from_folder.output == from_db.output
    assert len(from_folder.output.splitlines()) == 87 and json.loads(from_folder.output.splitlines()[0])["event_id"]


def test_export_partitioned_then_import(events_db: Path, tmp_path: Path) -> None:  # noqa: F811
    out, back = tmp_path / "out", tmp_path / "back.duckdb"
    exported = CliRunner().invoke(cli.main, ["export", "--db", str(events_db), "--format", "parquet",
                                             "--partitioned", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "87 events" in exported.output
    imported = CliRunner().invoke(cli.main, ["import", str(out), "--db", str(back)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip() == f"{back}: 10 articles, 87 events"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "csv", "--partitioned", "NEW"], "--partitioned needs --format parquet"),
        (["--format", "parquet", "--partitioned", "FULL"], "exists and is not empty"),
    ],
)
def test_export_partitioned_refusals_are_one_line(events_db: Path, tmp_path: Path, args, message) -> None:  # noqa: F811
    (tmp_path / "FULL").mkdir()
    (tmp_path / "FULL" / "x").write_text("x")
    args = [str(tmp_path / a) if a in ("NEW", "FULL") else a for a in args]
    result = CliRunner().invoke(cli.main, ["export", "--db", str(events_db), *args])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_import_of_a_folder_that_is_no_dataset_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    result = CliRunner().invoke(cli.main, ["import", str(tmp_path / "plain"), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'plain'}: not a Parquet event dataset (no articles/ folder)"


def test_extract_reads_a_quoted_glob(seeds_dir: Path, tmp_path: Path) -> None:
    """A cluster run over many files passes the pattern itself: the shell's expansion would not fit."""
    lines = (seeds_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for n, name in enumerate(("a.jsonl", "b.jsonl", "skip.txt")):
        (tmp_path / name).write_text(lines[n] + "\n")  # two articles of their own (one id twice would warn)
    result = CliRunner().invoke(cli.main, ["extract", str(tmp_path / "*.jsonl"), "--no-db", "--out", "-", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("2 articles (0 unchanged)")
    missing = CliRunner().invoke(cli.main, ["extract", str(tmp_path / "*.html"), "--no-db", "--out", "-", "-q"])
    assert missing.exit_code == 1 and "*.html: no such file or folder" in missing.stderr
