"""`extract_paths` as a stream: read, check, extract and store a batch at a time, on the seed articles.

These pin what the streaming rewrite promised: the input is not read to the
end before the first batch is stored, errors are reported between stored
batches as they are met, the number of workers changes nothing in the
output, and unchanged articles are still skipped (one query per batch).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest

from events import runner
from events.ingest.articles import read_paths
from events.models import Article
from events.runner import extract_paths
from events.store.database import Store


def _seed_lines(seeds_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (seeds_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def _write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


@pytest.fixture
def three_copies(tmp_path, seeds_dir) -> Path:
    """The nine seed articles three times over under new ids: 27 real articles in one file."""
    seeds = _seed_lines(seeds_dir)
    items = [dict(item, id=f"{item['id']}-{copy}") for copy in range(3) for item in seeds]
    return _write_jsonl(tmp_path / "copies.jsonl", items)


class Recorder:
    """Counts articles as `read_paths` yields them and notes how many were read at each store write."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.read = 0
        self.log: list[tuple[str, object]] = []
        write = Store.write

        def counted_read_paths(paths, **kwargs):
            for item in read_paths(paths, **kwargs):
                self.read += 1
                yield item

        def recorded_write(store, batch):
            batch = list(batch)
            if batch:
                self.log.append(("write", (self.read, [r.article.doc_id for r in batch])))
            return write(store, batch)

        monkeypatch.setattr(runner, "read_paths", counted_read_paths)
        monkeypatch.setattr(Store, "write", recorded_write)

    def error(self, message: str) -> None:
        self.log.append(("error", message))

    @property
    def writes(self) -> list[tuple[int, list[str]]]:
        return [entry for kind, entry in self.log if kind == "write"]  # type: ignore[misc]


def test_first_batch_is_stored_before_the_input_is_read_to_the_end(monkeypatch, tmp_path, three_copies, pipeline):
    monkeypatch.setattr(runner, "BATCH_SIZE", 4)
    recorder = Recorder(monkeypatch)
    summary = extract_paths([three_copies], tmp_path / "e.duckdb", pipeline=pipeline, workers=1)
    assert summary.articles == 27 and recorder.read == 27
    read_at_first_write, first_ids = recorder.writes[0]
    assert first_ids == ["s01-0", "s02-0", "s03-0", "s04-0"]
    assert read_at_first_write < 27  # the old code read all 27 before it stored anything


def test_articles_held_stay_bounded_by_the_batch_size(monkeypatch, tmp_path, three_copies, pipeline):
    monkeypatch.setattr(runner, "BATCH_SIZE", 4)
    recorder = Recorder(monkeypatch)
    extract_paths([three_copies], tmp_path / "e.duckdb", pipeline=pipeline, workers=1)
    stored = 0
    for read, ids in recorder.writes:
        assert read - stored <= 2 * 4  # read but not yet stored: at most one batch checked, one being extracted
        stored += len(ids)
    assert stored == 27


def test_errors_are_reported_between_stored_batches_as_they_are_met(monkeypatch, tmp_path, seeds_dir, pipeline):
    seeds = _seed_lines(seeds_dir)
    folder = tmp_path / "in"
    folder.mkdir()
    _write_jsonl(folder / "a.jsonl", seeds[:2])
    (folder / "b.txt").write_text("")
    _write_jsonl(folder / "c.jsonl", seeds[2:4])
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    recorder = Recorder(monkeypatch)
    summary = extract_paths([folder], tmp_path / "e.duckdb", pipeline=pipeline, on_error=recorder.error, workers=1)
    kinds = [kind for kind, _ in recorder.log]
    assert kinds == ["write", "error", "write"]  # the old code reported every error before storing anything
    assert "b.txt" in str(recorder.log[1][1])
    assert summary.articles == 4 and len(summary.errors) == 1


def _run_seeds(seeds_dir: Path, db: Path, workers: int, pipeline=None, config=None) -> tuple[list[str], list[tuple], list[tuple]]:
    out = io.StringIO()
    extract_paths([seeds_dir / "articles.jsonl"], db, out=out, pipeline=pipeline, workers=workers, config=config)
    with duckdb.connect(str(db), read_only=True) as con:
        events = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
        articles = con.execute("SELECT * EXCLUDE (extracted_at) FROM articles ORDER BY doc_id").fetchall()
    return out.getvalue().splitlines(), events, articles


def test_one_and_two_workers_give_identical_output_and_rows(monkeypatch, tmp_path, seeds_dir, pipeline):
    # small batches, tasks and look-ahead, so nine articles cross every boundary of the stream
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    monkeypatch.setattr(runner, "CHUNK_SIZE", 1)
    monkeypatch.setattr(runner, "AHEAD", 1)
    one = _run_seeds(seeds_dir, tmp_path / "one.duckdb", workers=1, pipeline=pipeline)
    two = _run_seeds(seeds_dir, tmp_path / "two.duckdb", workers=2, config=pipeline.config)  # the workers' own pipelines
    assert one == two
    articles = [a for a in read_paths([seeds_dir / "articles.jsonl"]) if isinstance(a, Article)]
    assert one[0] == _records_in_order(pipeline, articles)
    assert len(one[1]) == len(one[0]) and len(one[2]) == 9


def test_unchanged_articles_are_skipped_on_rerun_one_query_per_batch(monkeypatch, tmp_path, seeds_dir, pipeline):
    db = tmp_path / "e.duckdb"
    extract_paths([seeds_dir / "articles.jsonl"], db, pipeline=pipeline, workers=1)
    monkeypatch.setattr(runner, "BATCH_SIZE", 4)
    queries: list[int] = []
    unchanged_batch = Store.unchanged_batch
    monkeypatch.setattr(Store, "unchanged_batch", lambda store, batch: queries.append(len(batch)) or unchanged_batch(store, batch))
    again = extract_paths([seeds_dir / "articles.jsonl"], db, pipeline=pipeline, workers=1)
    assert (again.articles, again.skipped_unchanged, again.events) == (9, 9, 0)
    assert queries == [4, 4, 1]

    seeds = _seed_lines(seeds_dir)
    seeds[4]["text"] += "\n\nProtesters gathered outside parliament on Friday."
    changed = extract_paths([_write_jsonl(tmp_path / "changed.jsonl", seeds)], db, pipeline=pipeline, workers=1)
    assert (changed.articles, changed.skipped_unchanged) == (9, 8)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 9
        stored = con.execute("SELECT count(*) FROM events WHERE doc_id = ?", [seeds[4]["id"]]).fetchone()[0]
    assert stored == changed.events > 0  # only the changed article was extracted, and its events replaced


def test_progress_counts_up_with_no_total_until_the_end(tmp_path, seeds_dir, pipeline):
    calls: list[tuple[int, int | None]] = []
    extract_paths([seeds_dir / "articles.jsonl"], tmp_path / "e.duckdb", on_progress=lambda d, t: calls.append((d, t)),
                  pipeline=pipeline, workers=1)
    assert calls[:-1] == [(n, None) for n in range(1, 10)]
    assert calls[-1] == (9, 9)


def test_small_input_runs_in_process_without_a_pool(monkeypatch, tmp_path, seeds_dir, pipeline):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for nine articles")

    monkeypatch.setattr(runner, "_run_pool", no_pool)
    summary = extract_paths([seeds_dir / "articles.jsonl"], tmp_path / "e.duckdb", pipeline=pipeline)
    assert summary.articles == 9 and summary.events > 0


def test_input_reaching_parallel_from_starts_the_pool_with_every_article(monkeypatch, three_copies, pipeline):
    started: list[int] = []

    def in_process_pool(articles, workers, config, limits):
        started.append(workers)
        for article in articles:
            yield from runner.extract_chunk(pipeline, [article], limits)

    monkeypatch.setattr(runner, "PARALLEL_FROM", 10)
    monkeypatch.setattr(runner, "_run_pool", in_process_pool)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    out = io.StringIO()
    summary = extract_paths([three_copies], None, out=out, pipeline=pipeline)
    assert started == [2]
    assert summary.articles == 27
    articles = [a for a in read_paths([three_copies]) if isinstance(a, Article)]
    assert out.getvalue().splitlines() == _records_in_order(pipeline, articles)  # the ten peeked at come first


def _records_in_order(pipeline, articles: list[Article]) -> list[str]:
    """The JSON Lines output of extracting `articles` one at a time, in input order."""
    return [json.dumps(e.to_record(), ensure_ascii=False) for a in articles for e in pipeline.extract(a)]


def test_a_worker_rebuilds_the_same_pipeline_from_a_pickled_config(pipeline):
    """The runner sends workers a PipelineConfig, never a pipeline: it must survive pickling and
    build a pipeline that extracts exactly what the parent's does."""
    import pickle

    from events.pipeline import PipelineConfig

    config = pickle.loads(pickle.dumps(PipelineConfig()))
    text = "Police detained two activists in Almaty on Monday, the Interior Ministry said."
    rebuilt = config.build()
    assert rebuilt.config == config
    assert [e.type for e in rebuilt.extract_text(text, published="2024-03-27")] == ["COERCE"]
    assert [e.to_record() for e in rebuilt.extract_text(text, published="2024-03-27")] == [
        e.to_record() for e in pipeline.extract_text(text, published="2024-03-27")
    ]


@pytest.mark.parametrize("store", ["duckdb", "parquet"])
def test_a_rerun_with_other_settings_extracts_again_and_one_with_the_same_skips(tmp_path, seeds_dir, store):
    from events.pipeline import PipelineConfig

    source = _write_jsonl(tmp_path / "seeds.jsonl", _seed_lines(seeds_dir))  # all nine: some records fall below keep_from
    target = {"db": tmp_path / "e.duckdb"} if store == "duckdb" else {"db": None, "parquet": str(tmp_path / "ds")}

    def run(config: PipelineConfig):
        summary = extract_paths([source], workers=1, config=config, **target)
        if store == "duckdb":
            with duckdb.connect(str(target["db"]), read_only=True) as con:
                stored = con.execute("SELECT min(confidence), count(*) FROM events").fetchone()
        else:
            with duckdb.connect() as con:
                stored = con.execute("SELECT min(confidence), count(*) FROM read_parquet(?)",
                                     [f"{target['parquet']}/events/**/*.parquet"]).fetchone()
        return summary.skipped_unchanged, stored

    from events.triggers.confidence import ConfidenceModel

    keep_from = ConfidenceModel.load().keep_from
    skipped, (lowest, kept) = run(PipelineConfig())
    assert skipped == 0 and lowest >= keep_from
    skipped, (lowest, every) = run(PipelineConfig(min_confidence=0.0))  # asked for every record: not "unchanged"
    assert skipped == 0 and lowest < keep_from and every > kept
    skipped, (_, again) = run(PipelineConfig(min_confidence=0.0))
    assert skipped == 9 and again == every
