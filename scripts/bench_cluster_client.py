"""Benchmark the cluster client's own work per article, extraction taken away (a benchmark, not a test).

On a cluster the workers extract, but one client process still reads the
input, hashes each text, checks it against the dataset, sends it out, and
writes the events that come back as Parquet. That process, not the cluster,
is where `events extract --cluster` stops scaling: its articles/s divided by
the per-core extraction rate is the number of cores it can keep busy.

The script extracts a corpus of real articles once (bench_extract.py's
corpus), then runs `extract_paths` into a fresh Parquet dataset with an
executor that replays those results instantly, so what is timed is the
client's side only. It also reports the files a batch writes.

    .venv/bin/python scripts/bench_cluster_client.py --articles 2000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_extract import SHARED, build_corpus, real_articles  # noqa: E402

from events.models import Article  # noqa: E402
from events.store.parquet import FLUSH_ARTICLES  # noqa: E402
from events.pipeline import PipelineConfig  # noqa: E402
from events.runner import Result, extract_paths  # noqa: E402


class Replay:
    """An executor that returns results computed before: extraction costs nothing."""

    def __init__(self, results: dict[str, tuple]) -> None:
        self.results = results

    def run(self, articles: Iterator[Article]) -> Iterator[Result]:
        for article in articles:
            yield (article, *self.results[article.doc_id])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    corpus = build_corpus(real_articles(SHARED), args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in corpus), encoding="utf-8")
        pipeline = PipelineConfig().build()
        results: dict[str, tuple] = {}
        started = time.perf_counter()

        class Record:
            def run(self, articles: Iterator[Article]) -> Iterator[Result]:
                for article in articles:
                    events, n = pipeline.extract_counted(article)
                    results[article.doc_id] = (events, n)
                    yield article, events, n

        extract_paths([path], None, parquet=str(Path(tmp) / "first"), executor=Record())
        extraction = time.perf_counter() - started
        print(f"extraction in one process: {args.articles / extraction:.1f} articles/s (the per-core rate)")
        events = sum(len(e) for e, _ in results.values())
        for k in range(args.repeats):
            out = Path(tmp) / f"replay{k}"
            started = time.perf_counter()
            summary = extract_paths([path], None, parquet=str(out), executor=Replay(results))
            seconds = time.perf_counter() - started
            files = len(list((out / "events").rglob("*.parquet")))
            batches = len(list((out / "articles").glob("*.parquet")))
            print(f"client only: {args.articles / seconds:,.0f} articles/s, {summary.events / seconds:,.0f} events/s "
                  f"({events} events; {batches} batches of up to {FLUSH_ARTICLES} articles wrote {files} events files, "
                  f"{files / batches:.1f} per batch)")


if __name__ == "__main__":
    main()
