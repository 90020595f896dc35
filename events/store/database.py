"""DuckDB write side: articles and their events, one transaction per batch.

An article is keyed by `doc_id` and carries a hash of its text, so running
the same input twice adds nothing and a changed article replaces its old
events. Each batch is written in a single transaction: a crash or a bad
record rolls the whole batch back and leaves what was stored before intact.

DuckDB lets one process write a file while no other process holds it open,
not even to read. So nobody holds it long: the dashboard and `events export`
open short-lived read-only connections, and a `Store` made with
`hold=False` (what `events extract` uses) opens the file only for each batch
it checks or writes and closes it at once. Readers get in between batches
and see the data as of the last one stored; each side retries for a while
when it finds the file locked instead of failing at once. Two extractions
take turns through `events.store.runlock`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from events.models import RECORD_FIELDS, Article, Event

LOCK_RETRY_SECONDS = 30.0
WRITE_RETRY_SECONDS = 300.0  # a run's batch waits this long for readers (an export of millions) to let go


class StoreError(Exception):
    """The database could not be opened or written; str() is one line naming the file."""


@dataclass(frozen=True)
class ArticleResult:
    """An article and the events extracted from it, ready to store."""

    article: Article
    events: Sequence[Event]


def text_hash(text: str, settings: str = "") -> str:
    """The key of an article's extraction: its text and the settings it was extracted with
    (`PipelineConfig.fingerprint`), so that a run with other settings (a new version, another
    `--min-confidence` or `--ner`) extracts the article again instead of skipping it as unchanged."""
    # surrogatepass: a lone surrogate must not make hashing (and so storing) fail
    key = text if not settings else f"{text}\x1f{settings}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def connect(path: Path, read_only: bool = False, retry_seconds: float = LOCK_RETRY_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting while another process holds the lock."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + retry_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            busy = "lock" in str(err).lower() or "different configuration" in str(err)  # a writer in this process
            if not busy or time.monotonic() >= deadline:
                raise StoreError(f"{path}: cannot open the database: {_first_line(err)}") from err
        except duckdb.Error as err:
            raise StoreError(f"{path}: not a usable DuckDB database: {_first_line(err)}") from err
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


class Store:
    """The events database; use as a context manager so the file is released promptly.

    `hold=True` keeps one connection open until `close` (tests, one-off
    scripts). `hold=False` opens the file for each operation only, so other
    processes can read it between operations: what a long extraction uses.
    """

    def __init__(
        self, path: Path, hold: bool = True, retry_seconds: float = LOCK_RETRY_SECONDS, settings: str = ""
    ) -> None:
        self.path = Path(path)
        self.retry_seconds = retry_seconds
        self.settings = settings  # what the articles are extracted with: part of each article's `text_hash`
        self._con: duckdb.DuckDBPyConnection | None = None
        con = connect(self.path, retry_seconds=retry_seconds)
        schema = resources.files("events.store").joinpath("schema.sql").read_text(encoding="utf-8")
        try:
            con.execute(schema)
        except duckdb.Error as err:
            con.close()
            raise StoreError(f"{self.path}: cannot create the tables: {_first_line(err)}") from err
        if hold:
            self._con = con
        else:
            con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def session(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A connection for a few statements in a row (the clustering's reads), released after them."""
        return self._open()

    @contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The held connection, or one opened for this operation and closed right after it."""
        if self._con is not None:
            yield self._con
            return
        con = connect(self.path, retry_seconds=self.retry_seconds)
        try:
            yield con
        finally:
            con.close()

    def fetchall(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of one read query (the clustering's candidate pairs)."""
        with self._open() as con:
            return con.execute(sql, list(params)).fetchall()

    def unchanged(self, article: Article) -> bool:
        """Whether this exact article text is stored already (so extraction can be skipped)."""
        return self.unchanged_batch([article])[0]

    def unchanged_batch(self, articles: Sequence[Article]) -> list[bool]:
        """`unchanged` for each of `articles`, in order, from one query.

        A streamed run checks every article it reads; one round trip per
        batch instead of per article keeps the check cheap at millions.
        """
        if not articles:
            return []
        rows = self.fetchall(
            "SELECT doc_id, text_hash FROM articles WHERE doc_id IN (SELECT UNNEST(?))",
            [sorted({a.doc_id for a in articles})],
        )
        stored = dict(rows)
        return [stored.get(a.doc_id) == text_hash(a.text, self.settings) for a in articles]

    def write(self, batch: Iterable[ArticleResult]) -> int:
        """Upsert a batch of articles with their events in one transaction; return events written.

        An id given twice in the batch keeps its later article (the earlier one
        would break the primary key and abort the whole batch).
        """
        batch = list({r.article.doc_id: r for r in batch}.values())
        if not batch:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        doc_ids = [r.article.doc_id for r in batch]
        article_rows = [
            (a.doc_id, a.title, a.url, a.published, a.source, a.text, text_hash(a.text, self.settings), now)
            for a in (r.article for r in batch)
        ]
        event_rows = [_event_row(e) for r in batch for e in r.events]
        with self._open() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("DELETE FROM events WHERE doc_id IN (SELECT UNNEST(?))", [doc_ids])
                con.execute("DELETE FROM articles WHERE doc_id IN (SELECT UNNEST(?))", [doc_ids])
                _insert(con, "articles", _ARTICLE_SCHEMA, article_rows)
                if event_rows:
                    _insert(con, "events", _EVENT_SCHEMA, event_rows)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return len(event_rows)

    def set_clusters(self, assignments: dict[str, str | None]) -> None:
        """Replace every event's cluster_id in one transaction."""
        with self._open() as con:
            self._set_clusters(con, assignments)

    @staticmethod
    def _set_clusters(con: duckdb.DuckDBPyConnection, assignments: dict[str, str | None]) -> None:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("UPDATE events SET cluster_id = NULL")
            rows = [(eid, cid) for eid, cid in assignments.items() if cid is not None]
            if rows:
                con.execute("CREATE TEMP TABLE IF NOT EXISTS _clusters (event_id VARCHAR, cluster_id VARCHAR)")
                con.execute("DELETE FROM _clusters")
                _insert(con, "_clusters", _CLUSTER_SCHEMA, rows)
                con.execute(
                    "UPDATE events SET cluster_id = _clusters.cluster_id FROM _clusters "
                    "WHERE events.event_id = _clusters.event_id"
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The held connection (a Store made with hold=True)."""
        if self._con is None:
            raise StoreError(f"{self.path}: this Store opens the file per operation and holds no connection")
        return self._con

    def counts(self) -> tuple[int, int]:
        articles = self.fetchall("SELECT count(*) FROM articles")[0][0]
        events = self.fetchall("SELECT count(*) FROM events")[0][0]
        return articles, events


def _insert(con: duckdb.DuckDBPyConnection, table: str, schema: pa.Schema, rows: list[tuple]) -> None:
    """Insert rows through one Arrow table: DuckDB's executemany binds row by row and took ~2 ms an
    event (9 s for a batch of 200 articles), which left the worker processes idle while it wrote."""
    columns = list(zip(*rows))
    data = pa.Table.from_arrays([pa.array(col, type=field.type) for col, field in zip(columns, schema)], schema=schema)
    con.register("_incoming", data)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


_TYPES = {
    "event_id": pa.string(), "char_start": pa.int32(), "char_end": pa.int32(), "actors": pa.list_(pa.string()),
    "targets": pa.list_(pa.string()), "actor_countries": pa.list_(pa.string()),
    "actor_sectors": pa.list_(pa.string()), "killed": pa.int32(), "injured": pa.int32(), "lat": pa.float64(),
    "lon": pa.float64(), "geonames_id": pa.int64(), "confidence": pa.float64(),
}
_EVENT_SCHEMA = pa.schema(
    [(name, _TYPES.get(name, pa.string())) for name in RECORD_FIELDS] + [("day", pa.date32())]
)
_CLUSTER_SCHEMA = pa.schema([("event_id", pa.string()), ("cluster_id", pa.string())])
_ARTICLE_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("title", pa.string()), ("url", pa.string()), ("published", pa.string()),
    ("source", pa.string()), ("text", pa.string()), ("text_hash", pa.string()), ("extracted_at", pa.timestamp("us")),
])


def _event_row(event: Event) -> tuple:
    record = event.to_record()
    return (*(record[name] for name in RECORD_FIELDS), _first_day(event.date))


def _first_day(value: str | None) -> date | None:
    """First calendar day of an ISO date at any precision, for the timeline's bins."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except ValueError:
        return None


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
