"""Runners: map batches of articles over the pipeline, and store or write what comes back.

The pipeline turns one article into events; a runner decides where that
happens (this process, a local process pool) and streams the results into
the store a batch at a time. `extract_paths` is the one function under
`events extract`, the Python API and the dashboard's upload, so all three
behave the same. Workers are rebuilt from a small `PipelineConfig`.

No single article can stop a run. Every executor hands its chunks to one
function, `extract_chunk`, which checks each article against the
`ArticleLimits` (size; title, id and date repaired with a warning), runs it
under its time budget (`events.budget`), and turns any exception into one
line naming the article: an `ArticleOutcome` carries the events or that
line. The parent stores what succeeded, reports the rest, and the exit code
says whether anything failed. The database is opened only per batch and
clustering step (`Store(hold=False)`), and the run holds `events.store.runlock`'s
lock so a second extraction waits its turn.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.context import SpawnContext
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Protocol, TextIO, TypeVar

import duckdb

from events.budget import time_limit
from events.errors import InputError
from events.ingest.articles import IngestError, IngestWarning, read_paths
from events.ingest.limits import ArticleLimits, label, prepare
from events.models import Article, Event
from events.pipeline import Pipeline, PipelineConfig
from events.store.cluster import assign_clusters
from events.store.corrections import apply_corrections
from events.store.database import WRITE_RETRY_SECONDS, ArticleResult, Store
from events.store.parquet import ParquetStore
from events.store.runlock import ExtractionLock

BATCH_SIZE = 200  # articles per unchanged-check query and per database transaction
MAX_WORKERS = 4
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves
CHUNK_SIZE = 4  # articles per task sent to a worker process
AHEAD = BATCH_SIZE  # articles out at workers: enough to keep them busy while the parent writes a batch
Progress = Callable[[int, int | None], None]
"""on_progress(articles done, total): total is None while input is still being read, the final count at the end."""

HARD_LIMIT_GRACE = 60.0  # seconds a worker may overrun its chunk's budgets before the pool is replaced
STARTUP_SECONDS = 120.0  # extra patience for a new pool's workers to load their pipelines
POLL_SECONDS = 1.0  # how often the parent looks whether a missing chunk's pool still makes progress
T = TypeVar("T")
Pending = deque[tuple[list[Article], AsyncResult]]
"""Chunks out at the pool's workers, oldest first, with their pending results."""


@dataclass
class ArticleOutcome:
    """What became of one article: its events, or the one line saying why it has none.

    `article` is the article as prepared (cut title or id), which is what gets
    stored; `warnings` are lines about what was repaired on the way.
    """

    article: Article
    events: list[Event] = field(default_factory=list)
    sentences: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    stored: tuple[str, str] | None = None
    """(batch key, text hash) when a cluster worker committed the events to the dataset itself (`events` is then
    empty and `event_count` says how many there were)."""
    event_count: int = 0


def extract_chunk(pipeline: Pipeline, chunk: Iterable[Article], limits: ArticleLimits | None = None) -> list[ArticleOutcome]:
    """Extract each article of `chunk` on its own: one article's failure is that article's outcome only.

    Every executor (in-process, the local pool's workers, a cluster's tasks)
    calls this, so isolation, limits and messages are the same everywhere.
    Whatever the exception class (RecursionError, OverflowError,
    UnicodeEncodeError, the time budget's ArticleTimeout), it becomes one
    line naming the article's source (file and line) or id.
    """
    limits = limits or ArticleLimits()
    return [_extract_one(pipeline, article, limits) for article in chunk]


def _extract_one(pipeline: Pipeline, article: Article, limits: ArticleLimits) -> ArticleOutcome:
    try:
        prepared, warnings = prepare(article, limits)
        with time_limit(limits.timeout, label(prepared)):
            events, sentences = pipeline.extract_counted(prepared)
        return ArticleOutcome(prepared, events, sentences, None, warnings)
    except InputError as err:
        return ArticleOutcome(article, error=str(err))
    except Exception as err:  # noqa: BLE001 - any failure is this article's, reported and skipped
        return ArticleOutcome(article, error=f"{label(article)}: extraction failed: {_describe(err)}")


def _describe(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text[:200]}" if text else type(err).__name__


class Executor(Protocol):
    """Maps articles to their outcomes, in input order, reading the input only as needed."""

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]: ...


class StoringExecutor(Executor, Protocol):
    """An executor whose workers can commit their chunks to a Parquet dataset themselves (a cluster's).

    `run_into` yields outcomes with `stored` set and no events: the runner
    only adopts the batches (`ParquetStore.adopt`), so the events never pass
    through it, and one client can feed many more workers.
    """

    def run_into(self, articles: Iterator[Article], root: str) -> Iterator[ArticleOutcome]: ...


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
    limits: ArticleLimits | None = None,
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
    `limits` bounds each article (size, time); see `extract_chunk`.

    With a database, the run first takes `db`'s extraction lock (waiting,
    with a line to `on_error`, while another run holds it), and opens the
    file only to check and to write each batch, so readers see every stored
    batch while the run goes on.

    `parquet` (a folder or fsspec URL) stores into a Parquet dataset instead
    of `db`, as does a `db` that is an existing folder; `executor` (e.g. a
    Dask cluster's) replaces the in-process / local-pool choice.
    """
    config = config or (pipeline.config if pipeline is not None else PipelineConfig(ner=ner))
    limits = limits or ArticleLimits()
    started = time.perf_counter()
    summary = ExtractSummary()
    if parquet is not None or (db is not None and Path(db).is_dir()):
        dataset = ParquetStore(parquet if parquet is not None else str(db), settings=config.fingerprint())
        try:
            _extract(paths, dataset, None, on_progress, out, pipeline, on_error, workers, config, limits, summary,
                     executor)
        finally:
            dataset.close()
    elif db is None:
        _extract(paths, None, None, on_progress, out, pipeline, on_error, workers, config, limits, summary, executor)
    else:
        with ExtractionLock(Path(db), on_wait=on_error) as lock:
            store = Store(db, hold=False, retry_seconds=WRITE_RETRY_SECONDS, settings=config.fingerprint())
            _extract(paths, store, lock, on_progress, out, pipeline, on_error, workers, config, limits, summary,
                     executor)
    summary.seconds = time.perf_counter() - started
    return summary


def _extract(
    paths: Iterable[str | Path],
    store: Store | ParquetStore | None,
    lock: ExtractionLock | None,
    on_progress: Progress | None,
    out: TextIO | None,
    pipeline: Pipeline | None,
    on_error: Callable[[str], None] | None,
    workers: int | None,
    config: PipelineConfig,
    limits: ArticleLimits,
    summary: ExtractSummary,
    executor: Executor | None = None,
) -> None:
    report = _Reporter(summary, on_error)
    articles = _articles(read_paths(paths), summary, report, limits)
    todo = _changed(articles, store, summary) if store is not None and out is None else articles
    batch: list[ArticleResult] = []
    adopted: list[tuple[str, str, str]] = []  # (doc_id, text hash, batch key) that workers committed themselves
    stored = 0
    if executor is None:
        outcomes = _run(todo, pipeline, workers, config, limits)
    elif isinstance(store, ParquetStore) and out is None and hasattr(executor, "run_into"):
        root = store.root if "://" in store.root else str(Path(store.root).resolve())  # workers' cwd may differ
        outcomes = executor.run_into(iter(todo), root)
    else:
        outcomes = executor.run(iter(todo))
    for done, outcome in enumerate(outcomes, 1):
        for warning in outcome.warnings:
            report.warning(warning)
        if outcome.error is not None:
            report.error(outcome.error)
        elif outcome.stored is not None and isinstance(store, ParquetStore):
            summary.sentences += outcome.sentences
            summary.events += outcome.event_count
            adopted.append((outcome.article.doc_id, outcome.stored[1], outcome.stored[0]))
            if len(adopted) >= BATCH_SIZE:
                store.adopt(adopted)
                adopted = []
        else:
            summary.sentences += outcome.sentences
            summary.events += len(outcome.events)
            if out is not None:
                for event in outcome.events:
                    out.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
            batch.append(ArticleResult(outcome.article, outcome.events))
        if store is not None and len(batch) >= BATCH_SIZE:
            stored += _write(store, batch, report)
            batch = []
            if lock is not None:
                lock.update(stored)
        if on_progress:
            on_progress(summary.skipped_unchanged + done, None)
    if store is not None:
        stored += _write(store, batch, report)
    if adopted and isinstance(store, ParquetStore):
        store.adopt(adopted)
    if on_progress:
        on_progress(summary.articles, summary.articles)
    if store is not None:
        if isinstance(store, Store):  # corrections live in a DuckDB file only
            with store.session() as con:
                apply_corrections(con)  # analysts' fixes, laid again over re-extracted events
        if lock is not None:
            lock.update(stored, "clustering")
        assign_clusters(store)


class _Reporter:
    """Records each error and warning in the summary and passes it on as one line, as it happens."""

    def __init__(self, summary: ExtractSummary, on_error: Callable[[str], None] | None) -> None:
        self.summary = summary
        self.on_error = on_error

    def error(self, message: str) -> None:
        self.summary.errors.append(message)
        if self.on_error:
            self.on_error("error: " + message)

    def warning(self, message: str) -> None:
        self.summary.warnings.append(message)
        if self.on_error:
            self.on_error("warning: " + message)


def _write(store: Store, batch: list[ArticleResult], report: _Reporter) -> int:
    """Store a batch in one transaction; if the data break it, store its articles one by one.

    A lock that cannot be had (StoreError) stops the run: nothing could be
    stored. A database error caused by one article's data costs that article.
    """
    try:
        store.write(batch)
        return len(batch)
    except duckdb.Error:
        if len(batch) == 1:
            raise
    written = 0
    for result in batch:
        try:
            store.write([result])
            written += 1
        except duckdb.Error as err:
            report.error(f"{label(result.article)}: cannot be stored: {_describe(err)}")
    return written


def _articles(
    items: Iterable[Article | IngestError], summary: ExtractSummary, report: _Reporter, limits: ArticleLimits
) -> Iterator[Article]:
    """The articles among `items`, prepared (`events.ingest.limits.prepare`) and counted.

    Each error is reported as soon as it is read. An id seen before in this
    run gets a warning: the later article replaces the earlier one. Ids are
    remembered by hash (8 bytes each), so memory stays small at millions.
    """
    seen: set[int] = set()
    for item in items:
        if isinstance(item, IngestError):
            (report.warning if isinstance(item, IngestWarning) else report.error)(str(item))
            continue
        summary.articles += 1
        try:
            article, warnings = prepare(item, limits)
        except InputError as err:
            report.error(str(err))
            continue
        for warning in warnings:
            report.warning(warning)
        key = hash(article.doc_id)
        if key in seen:
            report.warning(f"{label(article)}: id {article.doc_id[:60]!r} was given before in this input; "
                           "the later article replaces the earlier")
        seen.add(key)
        yield article


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
    articles: Iterable[Article], pipeline: Pipeline | None, workers: int | None, config: PipelineConfig,
    limits: ArticleLimits,
) -> Iterator[ArticleOutcome]:
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
        yield from InProcess(pipeline or config.build(), limits).run(articles)
        return
    yield from LocalPool(config, workers, limits).run(articles)


class InProcess:
    """The executor for small inputs and tests: this process, one article after another."""

    def __init__(self, pipeline: Pipeline, limits: ArticleLimits | None = None) -> None:
        self.pipeline = pipeline
        self.limits = limits or ArticleLimits()

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
        for article in articles:
            yield from extract_chunk(self.pipeline, [article], self.limits)


class LocalPool:
    """The executor for one machine: worker processes, each with a pipeline built from `config`."""

    def __init__(self, config: PipelineConfig, workers: int, limits: ArticleLimits | None = None) -> None:
        self.config = config
        self.workers = workers
        self.limits = limits or ArticleLimits()

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
        return _run_pool(articles, self.workers, self.config, self.limits)


def _run_pool(
    articles: Iterator[Article], workers: int, config: PipelineConfig, limits: ArticleLimits
) -> Iterator[ArticleOutcome]:
    """`_run` over worker processes, with about AHEAD articles out at a time.

    Tasks are submitted here and collected oldest first, which keeps input
    order and bounds memory. Pool.imap would instead iterate the input in
    the pool's own thread: reading files, reporting errors and querying the
    store would then run beside the writes to the same DuckDB connection.
    Writing a batch takes the parent seconds, so workers need that much
    work queued not to idle meanwhile.

    Each article has its budget inside the worker (`extract_chunk`). As a
    last resort, when the oldest chunk is missing and no chunk has finished
    for all its articles' budgets plus HARD_LIMIT_GRACE (a worker stuck in C
    code, or killed), that chunk is reported, and the pool is replaced; the
    unfinished chunks are sent to the new pool.
    """
    context = multiprocessing.get_context("spawn")  # no fork: the parent may hold a DuckDB connection
    hard = None if not limits.timeout else limits.timeout * CHUNK_SIZE + HARD_LIMIT_GRACE
    pending: Pending = deque()
    pool = context.Pool(workers, initializer=_init_worker, initargs=(config,))
    started = [False]  # whether the current pool has returned a chunk yet
    try:
        for chunk in _batches(articles, CHUNK_SIZE):
            pending.append((chunk, pool.apply_async(_work, (chunk, limits))))
            while len(pending) >= max(workers, AHEAD // CHUNK_SIZE):
                outcomes, pool = _collect(pending, pool, hard, context, workers, config, limits, started)
                yield from outcomes
        while pending:
            outcomes, pool = _collect(pending, pool, hard, context, workers, config, limits, started)
            yield from outcomes
    finally:
        pool.terminate()
        pool.join()


def _collect(
    pending: Pending, pool: Pool, hard: float | None, context: SpawnContext, workers: int,
    config: PipelineConfig, limits: ArticleLimits, started: list[bool],
) -> tuple[list[ArticleOutcome], Pool]:
    """The oldest chunk's outcomes and the pool to go on with (a new one if that chunk never came back).

    The oldest chunk counts as lost only when no chunk out at the pool has
    finished for `hard` seconds: waiting alone proves nothing, since the
    chunk may sit in the queue or behind the workers' start-up. Until a
    pool's first chunk comes back (`started[0]` False), its start-up
    (loading the gazetteer in every worker, slow on a loaded machine) gets
    STARTUP_SECONDS more.
    """
    chunk, result = pending[0]
    if hard is None:
        pending.popleft()
        return result.get(), pool
    finished, since = sum(r.ready() for _, r in pending), time.monotonic()
    while True:
        try:
            outcomes = result.get(POLL_SECONDS)
            pending.popleft()
            started[0] = True
            return outcomes, pool
        except multiprocessing.TimeoutError:
            now_finished = sum(r.ready() for _, r in pending)
            if now_finished != finished:
                finished, since = now_finished, time.monotonic()
                started[0] = True
            elif time.monotonic() - since > hard + (0 if started[0] else STARTUP_SECONDS):
                break
    pending.popleft()
    _abandon(pool)
    pool = context.Pool(workers, initializer=_init_worker, initargs=(config,))
    started[0] = False
    for index, (other, waiting) in enumerate(pending):
        if not waiting.ready():  # what the old pool finished stays; the rest goes to the new one
            pending[index] = (other, pool.apply_async(_work, (other, limits)))
    message = f"no answer from its worker process for {hard:g} s (stuck or killed); the workers were replaced"
    return [ArticleOutcome(article, error=f"{label(article)}: {message}") for article in chunk], pool


def _abandon(pool: Pool) -> None:
    """Kill a pool's workers and let it go without waiting on it.

    `Pool.terminate` blocks for ever on a queue lock that a killed worker
    held (a CPython limitation), so the workers are killed first (`_pool`,
    the pool's list of them: no public API names them) and the pool is torn
    down in a daemon thread that may stay blocked, harmlessly.
    """
    for process in list(getattr(pool, "_pool", [])):
        process.kill()
    threading.Thread(target=pool.terminate, daemon=True, name="abandoned-pool").start()


_worker_pipeline: list[Pipeline] = []  # the one Pipeline of a worker process, set by its initializer


def _init_worker(config: PipelineConfig) -> None:
    _worker_pipeline.append(config.build())


def _work(chunk: list[Article], limits: ArticleLimits) -> list[ArticleOutcome]:
    return extract_chunk(_worker_pipeline[0], chunk, limits)


def work_with(config: PipelineConfig, chunk: list[Article], limits: ArticleLimits) -> list[ArticleOutcome]:
    """`_work` in a process no pool initializer ran in (a Dask worker): the pipeline is built on first use.

    A long-lived cluster worker may serve runs with different configs, so the
    cached pipeline is rebuilt when the config changes.
    """
    if not _worker_pipeline or _worker_pipeline[0].config != config:
        _worker_pipeline[:] = [config.build()]
    return _work(chunk, limits)
