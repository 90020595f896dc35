"""Extraction on a Dask cluster into a Parquet dataset, against the single-process run into DuckDB.

One LocalCluster serves the module: two worker processes with one thread
each, as `--cluster local:2` starts. The articles are the development set
(../shared/seeds, 23 real articles) where it is beside the repository, else
the repository's seed articles.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from events.cli import main
from events.dask_runner import DaskExecutor, cluster_client
from events.models import RECORD_FIELDS
from events.pipeline import PipelineConfig
from events.store.queries import read_connection
from events.runner import extract_paths


ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "seeds"
COLUMNS = ", ".join((*RECORD_FIELDS, "day"))


def dev_articles() -> list[Path]:
    paths = [DEV / "articles.jsonl", DEV / "world.jsonl"]
    return paths if all(p.exists() for p in paths) else [ROOT / "seeds" / "articles.jsonl"]


def all_events(source: Path) -> list[tuple]:
    """Every stored event with every column, in event_id order, from a DuckDB file or a dataset."""
    with read_connection(source) as con:
        return con.execute(f"SELECT {COLUMNS} FROM events ORDER BY event_id").fetchall()


def all_articles(source: Path) -> list[tuple]:
    with read_connection(source) as con:
        columns = "doc_id, title, url, published, source, text, text_hash"
        return con.execute(f"SELECT {columns} FROM articles ORDER BY doc_id").fetchall()


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with cluster_client("local:2") as dask_client:
        dask_client.wait_for_workers(2)
        yield dask_client


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: one process, into a DuckDB file."""
    db = tmp_path_factory.mktemp("reference") / "events.duckdb"
    summary = extract_paths(dev_articles(), db, workers=1)
    assert summary.errors == [] and summary.events > 100
    return db


def test_cluster_run_gives_the_events_of_the_single_process_run(client, single_process: Path, tmp_path: Path) -> None:
    """Into a dataset the workers write their chunks themselves; into a DuckDB file the events come back."""
    dataset = tmp_path / "dataset"
    summary = extract_paths(dev_articles(), None, parquet=str(dataset),
                            executor=DaskExecutor(client, PipelineConfig(), chunk_size=2, store_chunk_size=5))
    reference = all_events(single_process)
    assert summary.events == len(reference)
    assert all_events(dataset) == reference  # same ids, same value in every field
    assert all_articles(dataset) == all_articles(single_process)
    months = {p.parent.name for p in (dataset / "events").glob("year=*/month=*/*.parquet")}
    assert "month=__HIVE_DEFAULT_PARTITION__" in months and len(months) > 3
    assert len(list((dataset / "articles").glob("*.parquet"))) == -(-summary.articles // 5)  # one batch a task
    db = tmp_path / "through-the-client.duckdb"
    extract_paths(dev_articles(), db, executor=DaskExecutor(client, PipelineConfig(), chunk_size=3))
    assert all_events(db) == reference


def test_an_id_given_again_in_a_later_chunk_keeps_its_later_version(client, tmp_path: Path) -> None:
    """Workers commit chunks in any order; the client adopts them in input order, so the later text wins,
    in one run and when the changed article comes in a second run."""
    lines = [json.loads(line) for path in dev_articles() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    first = lines[0]
    changed = dict(first, text=first["text"][: len(first["text"]) // 2].rsplit(". ", 1)[0] + ".")
    twice = tmp_path / "twice.jsonl"
    twice.write_text("".join(json.dumps(item) + "\n" for item in [*lines, changed]), encoding="utf-8")
    reference = tmp_path / "reference.duckdb"
    extract_paths([twice], reference, workers=1)
    executor = DaskExecutor(client, PipelineConfig(), store_chunk_size=3)
    dataset = tmp_path / "dataset"
    extract_paths([twice], None, parquet=str(dataset), executor=executor)
    assert all_events(dataset) == all_events(reference)
    assert all_articles(dataset) == all_articles(reference)
    again = tmp_path / "again"
    extract_paths(dev_articles(), None, parquet=str(again), executor=executor)
    (tmp_path / "changed.jsonl").write_text(json.dumps(changed) + "\n", encoding="utf-8")
    rerun = extract_paths([tmp_path / "changed.jsonl"], None, parquet=str(again), executor=executor)
    assert rerun.articles == 1 and rerun.skipped_unchanged == 0
    assert all_events(again) == all_events(reference)


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(client, single_process: Path, tmp_path: Path) -> None:
    pids_before = client.run(os.getpid)
    victim = sorted(pids_before)[0]
    killed: list[int] = []

    def kill_once(done: int, total: int | None) -> None:
        if done >= 3 and not killed:  # a few results are in, most chunks are queued or running
            os.kill(pids_before[victim], signal.SIGKILL)
            killed.append(done)

    dataset = tmp_path / "dataset"
    summary = extract_paths(dev_articles(), None, on_progress=kill_once, parquet=str(dataset),
                            executor=DaskExecutor(client, PipelineConfig(), chunk_size=1, store_chunk_size=1))
    assert killed and killed[0] < summary.articles
    client.wait_for_workers(2)
    assert set(client.run(os.getpid).values()).isdisjoint({pids_before[victim]})  # the nanny started a new process
    assert all_events(dataset) == all_events(single_process)


def test_rerun_of_the_cluster_path_adds_nothing(client, tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    executor = DaskExecutor(client, PipelineConfig(), chunk_size=4, store_chunk_size=4)
    extract_paths(dev_articles(), None, parquet=str(dataset), executor=executor)
    files = {p: p.read_bytes() for p in dataset.rglob("*.parquet")}
    again = extract_paths(dev_articles(), None, parquet=str(dataset), executor=executor)
    assert again.skipped_unchanged == again.articles and again.events == 0
    assert {p: p.read_bytes() for p in dataset.rglob("*.parquet")} == files


def test_bad_inputs_get_the_same_lines_and_exit_code_on_the_cluster(client, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (inputs / "broken.jsonl").write_text(
        '{"id": "ok1", "text": "Police arrested two men in Almaty on Monday."}\n{"id": oops}\n'
    )
    missing = str(tmp_path / "nope.txt")
    local = CliRunner().invoke(main, ["extract", str(inputs), missing, "--db", str(tmp_path / "x.duckdb")])
    address = client.scheduler.address
    cluster = CliRunner().invoke(main, ["extract", str(inputs), missing, "--out-parquet", str(tmp_path / "ds"),
                                        "--cluster", address])
    assert local.exit_code == cluster.exit_code == 1

    def problems(result) -> list[str]:
        return [line for line in result.stderr.splitlines() if line.startswith(("error:", "warning:"))]

    assert problems(local) and problems(cluster) == problems(local)
    assert any("broken.jsonl:2" in line for line in problems(cluster))
    assert "Dask dashboard: http" in cluster.stderr
    with read_connection(tmp_path / "ds") as con:
        assert con.execute("SELECT count(*) FROM articles WHERE doc_id = 'ok1'").fetchall() == [(1,)]


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    import dask

    # as DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=2s would in a shell
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = CliRunner().invoke(main, ["extract", str(ROOT / "seeds" / "articles.jsonl"), "--out-parquet",
                                           str(tmp_path / "ds"), "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: tcp://127.0.0.1:9: cannot reach the Dask scheduler")
    assert len(result.stderr.strip().splitlines()) == 1
