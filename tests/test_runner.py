"""No input aborts a run: each article's failure is one line, every other article is stored.

The hostile inputs are the ones that used to end whole runs with a
traceback (issue 10): a JSON line nested 100,000 deep, a lone surrogate, an
id twice in one batch, anchors in year 9999 and 0001 with relative dates.
Each sits between real seed articles, which must all be stored.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from events import runner
from events.cli import main
from events.errors import ArticleTimeout
from events.ingest.limits import ArticleLimits
from events.models import Article
from events.runner import extract_chunk, extract_paths

REAL = "Police detained two activists in Almaty on Monday, the Interior Ministry said."
RELATIVE = "Police detained two activists in Almaty yesterday and will release them tomorrow."


def _seeds(seeds_dir: Path) -> list[str]:
    return (seeds_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def hostile(tmp_path, seeds_dir) -> Path:
    seeds = _seeds(seeds_dir)
    lines = [
        seeds[0],
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "surrogate", "text": REAL + " \ud800", "published": "2024-03-27"}),
        seeds[1],
        json.dumps({"id": "late", "text": RELATIVE, "published": "9999-12-31"}),
        json.dumps({"id": "early", "text": RELATIVE, "published": "0001-01-01"}),
        json.dumps({"id": "signed", "text": RELATIVE, "published": "-2024-01-01"}),
        json.dumps({"id": "twice", "text": "An earlier draft: " + REAL}),
        json.dumps({"id": "twice", "text": REAL, "published": "2024-03-27"}),
        json.dumps({"id": "x" * 300_000, "title": "T" * 2_000_000, "text": REAL}),
        seeds[2],
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(db: Path) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {row[0]: row[1:] for row in con.execute("SELECT doc_id, title, published, text FROM articles").fetchall()}


def _event_dates(db: Path) -> list[tuple[str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT doc_id, date FROM events ORDER BY doc_id").fetchall()


def test_hostile_lines_cost_themselves_only_and_every_other_article_is_stored(hostile, tmp_path, seeds_dir, pipeline):
    lines: list[str] = []
    db = tmp_path / "e.duckdb"
    summary = extract_paths([hostile], db, pipeline=pipeline, workers=1, on_error=lines.append)
    stored = _stored(db)
    seed_ids = [json.loads(line)["id"] for line in _seeds(seeds_dir)[:3]]
    assert set(seed_ids) <= set(stored)
    assert {"surrogate", "late", "early", "signed", "twice"} <= set(stored)
    assert summary.errors == [f"{hostile}:2: JSON nested too deeply to read"]
    assert lines[0] == f"error: {hostile}:2: JSON nested too deeply to read"


def test_hostile_inputs_are_repaired_with_a_warning_each(hostile, tmp_path, pipeline):
    lines: list[str] = []
    db = tmp_path / "e.duckdb"
    extract_paths([hostile], db, pipeline=pipeline, workers=1, on_error=lines.append)
    stored = _stored(db)
    warnings = "\n".join(lines)
    assert f"{hostile}:3: text holds unpaired surrogates" in warnings
    assert stored["surrogate"][2].endswith("\ufffd")
    assert f"{hostile}:5: published '9999-12-31' is outside the years 1800-2200" in warnings
    assert f"{hostile}:6: published '0001-01-01' is outside the years 1800-2200" in warnings
    assert "'-2024-01-01' is a signed year, not a date" in warnings
    assert stored["signed"][1] is None  # not read as 2024-01-01
    assert f"{hostile}:9: id 'twice' was given before in this input; the later article replaces the earlier" in warnings
    assert stored["twice"][2] == REAL  # the later one
    long_id = [doc_id for doc_id in stored if doc_id.startswith("xxx")]
    assert len(long_id) == 1 and len(long_id[0]) == 200
    assert len(stored[long_id[0]][0]) == 1000
    assert "id of 300,000 characters cut to 200" in warnings and "title of 2,000,000 characters cut to 1000" in warnings


def test_no_event_is_dated_outside_1800_to_2200(hostile, tmp_path, pipeline):
    db = tmp_path / "e.duckdb"
    extract_paths([hostile], db, pipeline=pipeline, workers=1)
    dates = dict(_event_dates(db))
    for doc_id in ("late", "early", "signed"):  # relative dates with no anchor stay unresolved
        assert dates[doc_id] is None
    assert all(1800 <= int(d[:4]) <= 2200 for d in dates.values() if d)


def test_the_cli_exits_1_and_names_the_bad_line(hostile, tmp_path):
    result = CliRunner().invoke(main, ["extract", str(hostile), "--db", str(tmp_path / "e.duckdb"), "-q"])
    assert result.exit_code == 1
    assert f"error: {hostile}:2: JSON nested too deeply to read" in result.output
    assert "Traceback" not in result.output
    assert "1 errors" in result.output


def test_an_article_over_the_size_limit_is_refused_and_named(tmp_path, pipeline):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": REAL * 100}) + "\n" + json.dumps({"id": "ok", "text": REAL}) + "\n")
    summary = extract_paths([path], tmp_path / "e.duckdb", pipeline=pipeline, workers=1,
                            limits=ArticleLimits(max_bytes=1000))
    assert summary.errors == [f"{path}:1: 0.0 MB of text is over the 0.001 MB limit (--max-article-bytes); skipped"]
    assert set(_stored(tmp_path / "e.duckdb")) == {"ok"}


class _Exploding:
    """A pipeline whose extraction raises a given exception on articles that ask for it."""

    def __init__(self, pipeline, error: BaseException | None = None, hang: bool = False) -> None:
        self.pipeline, self.error, self.hang = pipeline, error, hang
        self.config = pipeline.config

    def extract_counted(self, article: Article):
        if "EXPLODE" in article.text:
            if self.hang:
                while True:
                    time.sleep(0.01)
            raise self.error
        return self.pipeline.extract_counted(article)


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"),
                                   OverflowError("date value out of range"),
                                   UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
                                   MemoryError()])
def test_any_exception_class_becomes_the_articles_one_line(pipeline, error):
    chunk = [Article("a", REAL, source="in.jsonl:1"), Article("b", "EXPLODE " + REAL, source="in.jsonl:2"),
             Article("c", REAL, source="in.jsonl:3")]
    outcomes = extract_chunk(_Exploding(pipeline, error), chunk)
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert outcomes[1].error.startswith(f"in.jsonl:2: extraction failed: {type(error).__name__}")
    assert [e.type for e in outcomes[2].events] == ["COERCE"]


def test_an_article_over_its_time_budget_is_skipped_and_the_next_is_extracted(pipeline):
    chunk = [Article("slow", "EXPLODE", source="in.jsonl:1"), Article("c", REAL, source="in.jsonl:2")]
    outcomes = extract_chunk(_Exploding(pipeline, hang=True), chunk, ArticleLimits(timeout=0.3))
    assert outcomes[0].error == "in.jsonl:1: over the 0.3 s time budget (--article-timeout); skipped"
    assert [e.type for e in outcomes[1].events] == ["COERCE"]


def test_the_time_budget_also_works_off_the_main_thread(pipeline):
    """The dashboard extracts in a Streamlit script thread, where no signal arrives."""
    import threading

    got: list = []
    chunk = [Article("slow", "EXPLODE", source="up.jsonl:1"), Article("c", REAL, source="up.jsonl:2")]
    thread = threading.Thread(target=lambda: got.extend(
        extract_chunk(_Exploding(pipeline, hang=True), chunk, ArticleLimits(timeout=0.3))))
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert got[0].error == "up.jsonl:1: over the 0.3 s time budget (--article-timeout); skipped"
    assert [e.type for e in got[1].events] == ["COERCE"]


def test_a_batch_the_database_refuses_is_stored_article_by_article(monkeypatch, tmp_path, pipeline):
    """One article whose row the database rejects costs that article, not its batch of 200."""
    from events.store.database import Store

    write = Store.write

    def picky(store, batch):
        batch = list(batch)
        if any(r.article.doc_id == "poison" for r in batch):
            raise duckdb.ConversionException("Could not convert string to UTF-8")
        return write(store, batch)

    monkeypatch.setattr(Store, "write", picky)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": REAL}) + "\n" for i in ("a", "poison", "b")))
    summary = extract_paths([path], tmp_path / "e.duckdb", pipeline=pipeline, workers=1)
    assert set(_stored(tmp_path / "e.duckdb")) == {"a", "b"}
    assert summary.errors == [f"{path}:2: cannot be stored: ConversionException: Could not convert string to UTF-8"]


def test_the_worker_pool_isolates_articles_too(hostile, tmp_path, monkeypatch):
    """Two real worker processes: the same lines fail, the same articles are stored."""
    monkeypatch.setattr(runner, "CHUNK_SIZE", 2)
    lines: list[str] = []
    db = tmp_path / "e.duckdb"
    summary = extract_paths([hostile], db, workers=2, on_error=lines.append)
    assert summary.errors == [f"{hostile}:2: JSON nested too deeply to read"]
    assert {"surrogate", "late", "early", "signed", "twice"} <= set(_stored(db))


def test_time_limit_restores_the_previous_alarm_handler():
    import signal

    from events.budget import time_limit

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(ArticleTimeout):
        with time_limit(0.05, "a.txt"):
            while True:
                time.sleep(0.01)
    with time_limit(5, "b.txt"):
        pass
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_off_the_main_thread_a_short_budget_fires_before_a_long_one_registered_earlier():
    """Dask workers run tasks in pool threads: their budgets share one watchdog thread, which must wake for the
    earliest deadline, raise in the right thread only, and leave a block that ended in time alone."""
    import threading

    from events.budget import time_limit

    outcome: dict[str, str] = {}
    long_started = threading.Event()

    def run(name: str, seconds: float, work: float) -> None:
        started = time.monotonic()
        try:
            with time_limit(seconds, f"{name}.txt"):
                long_started.set()
                while time.monotonic() - started < work:
                    time.sleep(0.01)
            outcome[name] = "finished"
        except ArticleTimeout as err:
            outcome[name] = f"{err} after {time.monotonic() - started:.0f} s"

    long = threading.Thread(target=run, args=("long", 20.0, 1.5))
    long.start()
    long_started.wait(5)
    short = threading.Thread(target=run, args=("short", 0.2, 10.0))
    short.start()
    short.join(8)
    long.join(8)
    assert outcome == {"short": "short.txt: over the 0.2 s time budget (--article-timeout); skipped after 0 s",
                       "long": "finished"}


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM articles").fetchone()[0])
"""


def test_another_process_reads_the_stored_batches_while_an_extraction_runs(monkeypatch, tmp_path, seeds_dir,
                                                                             pipeline):
    """The writer opens the file per batch only: a reader in another process gets in between batches."""
    import subprocess
    import sys

    monkeypatch.setattr(runner, "BATCH_SIZE", 3)
    db = tmp_path / "e.duckdb"
    seen: list[str] = []

    def progress(done: int, total: int | None) -> None:
        if total is None and done in (4, 7):
            read = subprocess.run([sys.executable, "-c", READER, str(db)], capture_output=True, text=True)
            seen.append(read.stdout.strip() or read.stderr.strip().splitlines()[-1])

    extract_paths([seeds_dir / "articles.jsonl"], db, on_progress=progress, pipeline=pipeline, workers=1)
    assert seen == ["3", "6"]


def test_a_stage_that_swallows_errors_cannot_swallow_the_time_budget():
    from events.budget import time_limit

    with pytest.raises(ArticleTimeout):
        with time_limit(0.1, "a.txt"):
            for _ in range(1000):
                try:
                    time.sleep(0.01)
                except Exception:  # noqa: BLE001 - what a careless stage might do
                    pass


def test_a_worker_killed_mid_run_costs_its_chunk_only(monkeypatch, tmp_path, seeds_dir):
    """A worker that dies (or hangs in C code) never answers; the parent notices the pool made no
    progress for the chunk's budgets, reports that chunk, replaces the workers, and goes on."""
    import os
    import signal

    import psutil

    monkeypatch.setattr(runner, "HARD_LIMIT_GRACE", 10.0)
    seeds = _seeds(seeds_dir)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(dict(json.loads(line), id=f"{n}-{k}")) + "\n"
                            for k in range(4) for n, line in enumerate(seeds)), encoding="utf-8")
    killed: list[int] = []

    def progress(done: int, total: int | None) -> None:
        if done == 1 and not killed:  # the pool is up, with chunks queued: kill its busy workers
            for worker in psutil.Process().children():
                if "spawn_main" in " ".join(worker.cmdline()):
                    killed.append(worker.pid)
                    os.kill(worker.pid, signal.SIGKILL)

    lines: list[str] = []
    summary = extract_paths([path], None, out=open(os.devnull, "w"), workers=2, on_progress=progress,
                            on_error=lines.append, limits=ArticleLimits(timeout=1.0))
    lost = [line for line in lines if "no answer from its worker process" in line]
    assert len(killed) == 2 and 1 <= len(lost) <= 2 * runner.CHUNK_SIZE  # the chunks they held, no more
    assert summary.articles == 36 and len(summary.errors) < 36 // 2
