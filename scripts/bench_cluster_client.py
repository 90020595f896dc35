"""Benchmark the cluster client's own work per article, extraction taken away (a benchmark, not a test).

On a cluster the workers extract, but one client process still reads the
input, hashes each text, checks it against the dataset, pickles each chunk
to send it out, and takes back what the workers return. That process, not
the cluster, is where `events extract --cluster` stops scaling: its
articles/s divided by the per-core extraction rate is the number of cores it
can keep busy. Two ways of returning work are measured:

- `events back`: tasks return their events (`DaskExecutor.run`, as into a
  DuckDB file); the client unpickles them and writes the Parquet files;
- `workers write`: each task commits its chunk to the dataset itself
  (`DaskExecutor.run_into`, the `--out-parquet` path); the client unpickles
  a few numbers per article and adopts the batches.

The script extracts a corpus of real articles once (bench_extract.py's
corpus), then runs `extract_paths` into a fresh Parquet dataset with an
executor that replays those results: the worker's side (pickling results,
writing a chunk's files) is timed apart and taken out, so what is printed is
the client's side only, clustering at the end included. Dask's own messages
are not counted. It also reports the files the run wrote.

    .venv/bin/python scripts/bench_cluster_client.py --articles 4000
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_extract import SHARED, build_corpus, real_articles  # noqa: E402

from events.dask_runner import CHUNK_SIZE, STORE_CHUNK_SIZE  # noqa: E402
from events.models import Article, Event  # noqa: E402
from events.store.parquet import write_batch  # noqa: E402
from events.pipeline import PipelineConfig  # noqa: E402
from events import runner  # noqa: E402
from events.runner import ArticleOutcome, _batches, extract_paths  # noqa: E402
from events.store.database import ArticleResult  # noqa: E402


class EventsBack:
    """Tasks that return their events; the client stores them. `worker` accumulates the workers' seconds."""

    def __init__(self, results: dict[str, tuple[list[Event], int]]) -> None:
        self.results = results
        self.worker = 0.0

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
        for chunk in _batches(articles, CHUNK_SIZE):
            pickle.loads(pickle.dumps(chunk))  # the client sends the chunk (the worker's loads is counted too)
            started = time.process_time()
            blob = pickle.dumps([ArticleOutcome(a, *self.results[a.doc_id]) for a in chunk])
            self.worker += time.process_time() - started
            yield from pickle.loads(blob)


class WorkersWrite:
    """Tasks that commit their chunk to the dataset themselves and return a few numbers per article."""

    def __init__(self, results: dict[str, tuple[list[Event], int]]) -> None:
        self.results = results
        self.worker = 0.0

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
        raise NotImplementedError("only run_into is measured")

    def run_into(self, articles: Iterator[Article], root: str) -> Iterator[ArticleOutcome]:
        for chunk in _batches(articles, STORE_CHUNK_SIZE):
            pickle.loads(pickle.dumps(chunk))
            started = time.process_time()
            key, hashes = write_batch(root, [ArticleResult(a, self.results[a.doc_id][0]) for a in chunk])
            rows = [(None, [], self.results[a.doc_id][1], len(self.results[a.doc_id][0]), hashes[a.doc_id])
                    for a in chunk]
            blob = pickle.dumps((key, rows))
            self.worker += time.process_time() - started
            key, rows = pickle.loads(blob)
            for article, (error, warnings, sentences, count, value) in zip(chunk, rows):
                yield ArticleOutcome(article, [], sentences, error, warnings, (key, value), count)


class Timed:
    """`events.runner.assign_clusters` with its CPU seconds added up: the clustering is once per run, after
    the stream, so it is reported apart from the per-article rate."""

    def __init__(self) -> None:
        self.real = runner.assign_clusters
        self.seconds = 0.0

    def __call__(self, store):  # noqa: ANN001, ANN204 - the store's own types
        started = time.process_time()
        try:
            return self.real(store)
        finally:
            self.seconds += time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    corpus = build_corpus(real_articles(SHARED), args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in corpus), encoding="utf-8")
        pipeline = PipelineConfig().build()
        results: dict[str, tuple[list[Event], int]] = {}
        started = time.process_time()

        class Record:
            def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
                for article in articles:
                    events, sentences = pipeline.extract_counted(article)
                    results[article.doc_id] = (events, sentences)
                    yield ArticleOutcome(article, events, sentences)

        extract_paths([path], None, parquet=str(Path(tmp) / "first"), executor=Record())
        extraction = time.process_time() - started
        print(f"extraction in one process: {1000 * extraction / args.articles:.1f} CPU ms an article, "
              f"{args.articles / extraction:.0f} articles/s (the per-core rate)")
        for k in range(args.repeats):
            for name, executor in (("events back", EventsBack(results)), ("workers write", WorkersWrite(results))):
                out = Path(tmp) / f"replay{k}-{name.replace(' ', '-')}"
                runner.assign_clusters = timed = Timed()
                started = time.process_time()
                summary = extract_paths([path], None, parquet=str(out), executor=executor)
                client = time.process_time() - started - executor.worker - timed.seconds
                runner.assign_clusters = timed.real
                files = len(list((out / "events").rglob("*.parquet")))
                batches = len(list((out / "articles").glob("*.parquet")))
                print(f"{name:13}: client {args.articles / client:,.0f} articles/s of CPU "
                      f"({1000 * client / args.articles:.2f} ms an article), then clustering "
                      f"{timed.seconds:.1f} CPU s; workers' side {executor.worker:.1f} CPU s; {summary.events} events; "
                      f"{batches} batches wrote {files} events files, {files / batches:.1f} per batch")


if __name__ == "__main__":
    main()
