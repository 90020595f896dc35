"""Runners: map batches of articles over the pipeline, and store or write what comes back.

The pipeline turns one article into events; a runner decides where that
happens (this process, a local process pool) and streams the results into
the store a batch at a time. `extract_paths` is the one function under
`events extract`, the Python API and the dashboard's upload, so all three
behave the same. Workers are rebuilt from a small `PipelineConfig`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Protocol, TextIO, TypeVar

from events.cluster import assign_clusters
from events.ingest import IngestError, IngestWarning, read_paths
from events.models import Article, Event
from events.pipeline import Pipeline, PipelineConfig
from events.parquet_store import ParquetStore
from events.store import ArticleResult, Store

BATCH_SIZE = 200  # articles per unchanged-check query and per database transaction
MAX_WORKERS = 4
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves
CHUNK_SIZE = 4  # articles per task sent to a worker process
AHEAD = BATCH_SIZE  # articles out at workers: enough to keep them busy while the parent writes a batch
Progress = Callable[[int, int | None], None]
"""on_progress(articles done, total): total is None while input is still being read, the final count at the end."""

T = TypeVar("T")
Result = tuple[Article, list[Event], int]
"""An article, its events and its number of sentences."""


class Executor(Protocol):
    """Maps articles to their results, in input order, reading the input only as needed."""

    def run(self, articles: Iterator[Article]) -> Iterator[Result]: ...


@dataclass
class ExtractSummary:
    """What one extraction run did, for the CLI's last line and the dashboard."""

    articles: int = 0
    skipped_unchanged: int = 0
    sentences: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.articles} articles ({self.skipped_unchanged} unchanged), {self.sentences} sentences, "
            f"{self.events} events, {len(self.errors)} errors, {self.seconds:.1f} s"
        )


def extract_paths(
    paths: Iterable[str | Path],
    db: Path | None,
    on_progress: Progress | None = None,
    out: TextIO | None = None,
    pipeline: Pipeline | None = None,
    on_error: Callable[[str], None] | None = None,
    workers: int | None = None,
    ner: str | None = None,
    config: PipelineConfig | None = None,
    parquet: str | None = None,
    executor: Executor | None = None,
) -> ExtractSummary:
    """Extract every article under `paths` into the database `db` (and JSON Lines `out`).

    Articles are read, checked, extracted and stored as a stream, a batch at
    a time, so memory does not grow with the size of the input; each batch
    is one transaction. The number of articles is therefore not known until
    the end: `on_progress` gets total None until its last call.

    `workers` > 1 spreads articles over processes (None: one per core when
    at least PARALLEL_FROM articles need extracting, so small inputs skip
    the start-up). Results come back in input order, so output and stored
    ids do not depend on the number of workers.
    `ner` ("spacy") adds statistical NER when no ready `pipeline` is given;
    `config` describes the pipeline in full (it wins over `ner`).
    `parquet` (a folder or fsspec URL) stores into a Parquet dataset instead
    of `db`, as does a `db` that is an existing folder; `executor` (e.g. a
    Dask cluster's) replaces the in-process / local-pool choice.
    """
    config = config or (pipeline.config if pipeline is not None else PipelineConfig(ner=ner))
    started = time.perf_counter()
    summary = ExtractSummary()
    store = _open_store(db, parquet)
    try:
        articles = _articles(read_paths(paths), summary, on_error)
        todo = _changed(articles, store, summary) if store is not None and out is None else articles
        batch: list[ArticleResult] = []
        results = executor.run(iter(todo)) if executor is not None else _run(todo, pipeline, workers, config)
        for done, (article, events, n_sentences) in enumerate(results, 1):
            summary.sentences += n_sentences
            summary.events += len(events)
            if out is not None:
                for event in events:
                    out.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
            batch.append(ArticleResult(article, events))
            if store is not None and len(batch) >= BATCH_SIZE:
                store.write(batch)
                batch = []
            if on_progress:
                on_progress(summary.skipped_unchanged + done, None)
        if store is not None:
            store.write(batch)
        if on_progress:
            on_progress(summary.articles, summary.articles)
        if store is not None:
            assign_clusters(store)
    finally:
        if store is not None:
            store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _open_store(db: Path | None, parquet: str | None) -> Store | ParquetStore | None:
    """The DuckDB file, or the Parquet dataset when asked for or when `db` is a folder."""
    if parquet is not None:
        return ParquetStore(parquet)
    if db is not None and Path(db).is_dir():
        return ParquetStore(str(db))
    return Store(db) if db is not None else None


def _articles(
    items: Iterable[Article | IngestError], summary: ExtractSummary, on_error: Callable[[str], None] | None
) -> Iterator[Article]:
    """The articles among `items`, counted; each error is recorded and reported as soon as it is read."""
    for item in items:
        if isinstance(item, IngestError):
            warning = isinstance(item, IngestWarning)
            (summary.warnings if warning else summary.errors).append(str(item))
            if on_error:
                on_error(("warning: " if warning else "error: ") + str(item))
        else:
            summary.articles += 1
            yield item


def _changed(articles: Iterable[Article], store: Store | ParquetStore, summary: ExtractSummary) -> Iterator[Article]:
    """The articles whose text is not stored yet, checked a batch (one query) at a time; the rest are counted."""
    for batch in _batches(articles, BATCH_SIZE):
        for article, unchanged in zip(batch, store.unchanged_batch(batch)):
            if unchanged:
                summary.skipped_unchanged += 1
            else:
                yield article


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter), read only as each is needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _run(
    articles: Iterable[Article], pipeline: Pipeline | None, workers: int | None, config: PipelineConfig
) -> Iterator[Result]:
    """Each article with its events and sentence count, in input order, reading articles only as needed.

    Without an explicit `workers`, the first PARALLEL_FROM articles are read
    ahead: an input that ends before then is too small to repay starting
    worker processes.
    """
    articles = iter(articles)
    if workers is None:
        head = list(islice(articles, PARALLEL_FROM))
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(head) >= PARALLEL_FROM else 1
        articles = chain(head, articles)
    if workers <= 1:
        yield from InProcess(pipeline or config.build()).run(articles)
        return
    yield from LocalPool(config, workers).run(articles)


class InProcess:
    """The executor for small inputs and tests: this process, one article after another."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def run(self, articles: Iterator[Article]) -> Iterator[Result]:
        for article in articles:
            yield (article, *self.pipeline.extract_counted(article))


class LocalPool:
    """The executor for one machine: worker processes, each with a pipeline built from `config`."""

    def __init__(self, config: PipelineConfig, workers: int) -> None:
        self.config = config
        self.workers = workers

    def run(self, articles: Iterator[Article]) -> Iterator[Result]:
        return _run_pool(articles, self.workers, self.config)


def _run_pool(articles: Iterator[Article], workers: int, config: PipelineConfig) -> Iterator[Result]:
    """`_run` over worker processes, with about AHEAD articles out at a time.

    Tasks are submitted here and collected oldest first, which keeps input
    order and bounds memory. Pool.imap would instead iterate the input in
    the pool's own thread: reading files, reporting errors and querying the
    store would then run beside the writes to the same DuckDB connection.
    Writing a batch takes the parent seconds, so workers need that much
    work queued not to idle meanwhile.
    """
    context = multiprocessing.get_context("spawn")  # no fork: the parent may hold a DuckDB connection
    pending: deque[tuple[list[Article], AsyncResult]] = deque()
    with context.Pool(workers, initializer=_init_worker, initargs=(config,)) as pool:
        for chunk in _batches(articles, CHUNK_SIZE):
            pending.append((chunk, pool.apply_async(_work, (chunk,))))
            if len(pending) >= max(workers, AHEAD // CHUNK_SIZE):
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())


def _collect(chunk: list[Article], result: AsyncResult) -> Iterator[Result]:
    """A worker's results for `chunk`, waiting for them if needed (a worker's exception is raised here)."""
    for article, (events, n_sentences) in zip(chunk, result.get()):
        yield article, events, n_sentences


_worker_pipeline: list[Pipeline] = []  # the one Pipeline of a worker process, set by its initializer


def _init_worker(config: PipelineConfig) -> None:
    _worker_pipeline.append(config.build())


def _work(chunk: list[Article]) -> list[tuple[list[Event], int]]:
    return [_worker_pipeline[0].extract_counted(article) for article in chunk]


def work_with(config: PipelineConfig, chunk: list[Article]) -> list[tuple[list[Event], int]]:
    """`_work` in a process no pool initializer ran in (a Dask worker): the pipeline is built on first use.

    A long-lived cluster worker may serve runs with different configs, so the
    cached pipeline is rebuilt when the config changes.
    """
    if not _worker_pipeline or _worker_pipeline[0].config != config:
        _worker_pipeline[:] = [config.build()]
    return _work(chunk)
