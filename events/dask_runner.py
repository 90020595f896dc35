"""The cluster executor: article chunks mapped over Dask distributed workers.

`DaskExecutor` is one more `events.runner.Executor`: it takes the article
stream, sends chunks to the cluster and yields the results in input order,
so `events.runner.extract_paths` stores them as it does the local pool's.
Each task runs `events.runner.work_with`, the same per-chunk function as the
local pool, in a worker process that builds the pipeline from the picklable
`PipelineConfig` on first use and keeps it.

Into a Parquet dataset (`--out-parquet`), each task also commits its own
chunk as one batch of files (`run_into`, `extract_and_store`), and only a few
numbers per article come back: the client adopts the batches in input order
(which drops older versions of changed articles) and clusters at the end.
The events never pass through the client, which would otherwise cap the run
at about 15 cores.

A worker that dies (killed, out of memory, its machine lost) takes its running
tasks with it; the scheduler gives them to another worker (up to
`distributed.scheduler.allowed-failures` times), and since a task is a pure
function of its chunk the results are the same. Dask is an optional
dependency (`pip install 'event-atlas[cluster]'`): nothing imports it unless a
cluster is asked for.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from events.ingest.limits import ArticleLimits
from events.models import Article
from events.store.parquet import write_batch
from events.pipeline import PipelineConfig
from events.runner import ArticleOutcome, _batches, work_with
from events.store.database import ArticleResult

if TYPE_CHECKING:
    from distributed import Client, Future

CHUNK_SIZE = 50  # articles per task: about a second of work, so the scheduler sees ~1 task/s per core
AHEAD_PER_THREAD = 4  # tasks queued per worker thread, so no worker idles while results come back in order
# When workers write the dataset themselves, a task is a committed batch of files: one articles file and one
# events file per month its events fall in. Larger tasks mean fewer, larger files (a wire service's day makes
# a handful of months, a history corpus dozens); smaller ones, less idle time for the last task's neighbours.
# At 500, 20,000 articles of the benchmark corpus made some 2,700 files, which the final clustering reads and
# mostly rewrites on the client.
STORE_CHUNK_SIZE = 1000  # about 9 s of one core's work
STORE_AHEAD_PER_THREAD = 2
# Dask's worker profiler samples every thread's stack every 10 ms, and its event loop checks its
# own health every 20 ms and the process's memory every 100 ms. On pure-Python extraction each
# wake-up takes the GIL from the task, for a flame graph and a latency nobody asked for here. A
# scheduler's own workers take these from their environment, e.g.
# DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False, DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL=200ms.
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
_LOCAL = re.compile(r"local:(\d+)$")


class ClusterError(Exception):
    """The cluster could not be reached or started; str() is one line."""


@contextmanager
def cluster_client(address: str) -> Iterator["Client"]:
    """A client on `address` (a scheduler such as tcp://host:8786), or on a new LocalCluster for `local:N`.

    `local:N` starts N worker processes with one thread each: extraction holds
    the GIL, so threads would not run in parallel. The cluster and client are
    closed when the block ends.
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise ClusterError("--cluster needs Dask: pip install 'event-atlas[cluster]'") from err
    match = _LOCAL.match(address)
    try:
        if match:
            workers = int(match.group(1))
            if workers < 1:
                raise ClusterError(f"{address}: a local cluster needs at least one worker")
            with dask.config.set(LOCAL_WORKER_CONFIG):  # the nannies hand this config to their worker processes
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
            client = Client(cluster)
        else:
            cluster, client = None, Client(address)  # waits distributed.comm.timeouts.connect (30 s)
    except ClusterError:
        raise
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"{address}: cannot reach the Dask scheduler: {err}") from err
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class DaskExecutor:
    """The executor for a cluster: chunks of articles as Dask tasks, results in input order.

    About AHEAD_PER_THREAD tasks per worker thread are out at a time, which
    bounds the client's memory whatever the size of the input.
    """

    def __init__(
        self, client: "Client", config: PipelineConfig, chunk_size: int = CHUNK_SIZE, limits: ArticleLimits | None = None,
        store_chunk_size: int = STORE_CHUNK_SIZE,
    ) -> None:
        self.client = client
        self.config = config
        self.chunk_size = chunk_size
        self.limits = limits or ArticleLimits()
        self.store_chunk_size = store_chunk_size

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
        """Each chunk's outcomes, events included, for the client to store."""
        threads = sum(self.client.nthreads().values()) or 1
        window = max(2, AHEAD_PER_THREAD * threads)
        pending: deque[tuple[list[Article], _Waiting]] = deque()
        for chunk in _batches(articles, self.chunk_size):
            future = self.client.submit(extract_chunk, self.config, chunk, self.limits, pure=False)
            pending.append((chunk, _Waiting(future)))
            if len(pending) >= window:
                yield from pending.popleft()[1].get()
        while pending:
            yield from pending.popleft()[1].get()

    def run_into(self, articles: Iterator[Article], root: str) -> Iterator[ArticleOutcome]:
        """Each chunk extracted and committed to the Parquet dataset at `root` by its worker.

        What comes back is a few numbers and lines per article, not its
        events: the client no longer unpickles events and builds Parquet
        files, which was most of its work per article, so it can feed more
        workers. `root` must be reachable from every worker under the same
        name (a shared file system or an object store URL).
        """
        threads = sum(self.client.nthreads().values()) or 1
        window = max(2, STORE_AHEAD_PER_THREAD * threads)
        size = self.store_chunk_size
        pending: deque[tuple[list[Article], _Waiting]] = deque()

        def outcomes(chunk: list[Article], waiting: _Waiting) -> Iterator[ArticleOutcome]:
            key, results = waiting.get()
            for article, (error, warnings, sentences, count, value) in zip(chunk, results):
                stored = (key, value) if error is None else None
                yield ArticleOutcome(article, [], sentences, error, warnings, stored, count)

        for chunk in _batches(articles, size):
            future = self.client.submit(extract_and_store, self.config, chunk, self.limits, root, pure=False)
            pending.append((chunk, _Waiting(future)))
            if len(pending) >= window:
                yield from outcomes(*pending.popleft())
        while pending:
            yield from outcomes(*pending.popleft())


def extract_chunk(config: PipelineConfig, chunk: list[Article], limits: ArticleLimits) -> list[ArticleOutcome]:
    """The task each worker runs: the local pool's per-chunk function (each article isolated, with its
    own time budget), with the pipeline cached per process."""
    return work_with(config, chunk, limits)


def extract_and_store(
    config: PipelineConfig, chunk: list[Article], limits: ArticleLimits, root: str
) -> tuple[str, list[tuple[str | None, list[str], int, int, str | None]]]:
    """The task when workers write: extract the chunk, commit its events and articles to the dataset at `root`
    (`events.store.parquet.write_batch`), and return the batch key and, per article, (error, warnings,
    sentences, events, text hash). A task run again (its worker lost) writes the same file names."""
    outcomes = work_with(config, chunk, limits)
    key, hashes = write_batch(root, [ArticleResult(o.article, o.events) for o in outcomes if o.error is None],
                              settings=config.fingerprint())
    return key, [(o.error, o.warnings, o.sentences, len(o.events), hashes.get(o.article.doc_id)) for o in outcomes]


class _Waiting:
    """A Dask future seen as the local pool's AsyncResult (`get()`), so both executors collect alike."""

    def __init__(self, future: "Future") -> None:
        self.future = future

    def get(self) -> Any:  # noqa: ANN401 - whatever the task returned
        try:
            return self.future.result()
        finally:
            self.future.release()
