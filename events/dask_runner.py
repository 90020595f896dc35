"""The cluster executor: article chunks mapped over Dask distributed workers.

`DaskExecutor` is one more `events.runner.Executor`: it takes the article
stream, sends chunks to the cluster and yields the results in input order,
so `events.runner.extract_paths` stores them as it does the local pool's.
Each task runs `events.runner.work_with`, the same per-chunk function as the
local pool, in a worker process that builds the pipeline from the picklable
`PipelineConfig` on first use and keeps it.

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
from typing import TYPE_CHECKING

from events.ingest.limits import ArticleLimits
from events.models import Article
from events.pipeline import PipelineConfig
from events.runner import ArticleOutcome, _batches, work_with

if TYPE_CHECKING:
    from distributed import Client, Future

CHUNK_SIZE = 50  # articles per task: about a second of work, so the scheduler sees ~1 task/s per core
AHEAD_PER_THREAD = 4  # tasks queued per worker thread, so no worker idles while results come back in order
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
        self, client: "Client", config: PipelineConfig, chunk_size: int = CHUNK_SIZE, limits: ArticleLimits | None = None
    ) -> None:
        self.client = client
        self.config = config
        self.chunk_size = chunk_size
        self.limits = limits or ArticleLimits()

    def run(self, articles: Iterator[Article]) -> Iterator[ArticleOutcome]:
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


def extract_chunk(config: PipelineConfig, chunk: list[Article], limits: ArticleLimits) -> list[ArticleOutcome]:
    """The task each worker runs: the local pool's per-chunk function (each article isolated, with its
    own time budget), with the pipeline cached per process."""
    return work_with(config, chunk, limits)


class _Waiting:
    """A Dask future seen as the local pool's AsyncResult (`get()`), so both executors collect alike."""

    def __init__(self, future: "Future") -> None:
        self.future = future

    def get(self) -> list[ArticleOutcome]:
        try:
            return self.future.result()
        finally:
            self.future.release()
