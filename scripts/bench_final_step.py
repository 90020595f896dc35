"""Benchmark the cluster path's final step on a Parquet dataset (a benchmark, not a test).

After a cluster run the client clusters the whole dataset once: it reads
every events file for `events.store.cluster.assign_clusters`, then rewrites
the files whose cluster ids changed (`ParquetStore.set_clusters`). Its cost
grows with the dataset, so it is measured here at one and at several times
the corpus, to show how it grows (it used to grow as the square of the
number of files).

The script extracts a corpus of real articles once in this process
(bench_extract.py's corpus), then for each `--copies` k writes k copies of
those results under new ids as a cluster's workers do (`write_batch`, one
batch per task of `--task` articles) and times the final step. The same
events in a DuckDB file are clustered for comparison.

    .venv/bin/python scripts/bench_final_step.py --articles 4000 --copies 1 3
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_extract import SHARED, build_corpus, real_articles  # noqa: E402

from events.dask_runner import STORE_CHUNK_SIZE  # noqa: E402
from events.models import Article, Event  # noqa: E402
from events.pipeline import PipelineConfig  # noqa: E402
from events.store.cluster import assign_clusters  # noqa: E402
from events.store.database import ArticleResult, Store  # noqa: E402
from events.store.parquet import ParquetStore, write_batch  # noqa: E402

Results = list[tuple[Article, list[Event]]]


def extract(count: int) -> Results:
    """The corpus's articles with their events, extracted in this process."""
    pipeline = PipelineConfig().build()
    corpus = build_corpus(real_articles(SHARED), count)
    articles = [Article(doc_id=a["id"], text=a["text"], title=a.get("title"), published=a.get("published"))
                for a in corpus]
    return [(a, pipeline.extract_counted(a)[0]) for a in articles]


def copies(results: Results, k: int) -> Results:
    """`k` copies of the results, each under new article and event ids (the events keep their values)."""
    out: Results = []
    for c in range(k):
        for article, events in results:
            doc_id = f"{article.doc_id}~{c}"
            out.append((dataclasses.replace(article, doc_id=doc_id),
                        [dataclasses.replace(e, event_id=f"{e.event_id}~{c}", doc_id=doc_id) for e in events]))
    return out


class TimedRewrite:
    """`ParquetStore.set_clusters` with its CPU seconds and the files it rewrote counted."""

    def __init__(self, store: ParquetStore) -> None:
        self.store = store
        self.real = store.set_clusters
        self.seconds = 0.0
        self.rewritten = 0
        store.set_clusters = self  # type: ignore[method-assign]

    def __call__(self, assignments: dict[str, str | None]) -> None:
        events = Path(self.store.root) / "events"
        before = {p: p.stat().st_mtime_ns for p in events.rglob("*.parquet")}
        started = time.process_time()
        self.real(assignments)
        self.seconds += time.process_time() - started
        self.rewritten = sum(p.stat().st_mtime_ns != t for p, t in before.items())


def final_step(results: Results, folder: Path, task: int) -> str:
    """Write `results` as a cluster's tasks do, then time the client's final step; one line of figures."""
    root = str(folder / "dataset")
    committed = []
    for start in range(0, len(results), task):
        key, hashes = write_batch(root, [ArticleResult(a, e) for a, e in results[start : start + task]])
        committed += [(doc_id, value, key) for doc_id, value in hashes.items()]
    store = ParquetStore(root)
    store.adopt(committed)
    rewrite = TimedRewrite(store)
    files = len(list((Path(root) / "events").rglob("*.parquet")))
    started = time.process_time()
    clusters = assign_clusters(store)
    total = time.process_time() - started
    store.close()
    with Store(folder / "events.duckdb") as db:
        for start in range(0, len(results), 200):
            db.write([ArticleResult(a, e) for a, e in results[start : start + 200]])
        started = time.process_time()
        assign_clusters(db)
        duckdb_seconds = time.process_time() - started
    events = sum(len(e) for _, e in results)
    return (f"{len(results):,} articles, {events:,} events in {files:,} events files: {clusters:,} clusters; "
            f"final step {total:.1f} CPU s (reading and clustering {total - rewrite.seconds:.1f}, "
            f"rewriting {rewrite.rewritten:,} files {rewrite.seconds:.1f}); the DuckDB file {duckdb_seconds:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--task", type=int, default=STORE_CHUNK_SIZE, help="articles per task (batch)")
    args = parser.parse_args()
    results = extract(args.articles)
    for k in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            print(final_step(copies(results, k), Path(tmp), args.task), flush=True)


if __name__ == "__main__":
    main()
