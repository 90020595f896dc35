"""DuckDB write side: articles and their events, one transaction per batch.

An article is keyed by `doc_id` and carries a hash of its text, so running
the same input twice adds nothing and a changed article replaces its old
events. Each batch is written in a single transaction: a crash or a bad
record rolls the whole batch back and leaves what was stored before intact.

DuckDB lets one process write a file while no other process holds it open;
the dashboard therefore opens short-lived connections, and the writer retries
for a while when it finds the file locked instead of failing at once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from events.models import RECORD_FIELDS, Article, Event

LOCK_RETRY_SECONDS = 30.0


class StoreError(Exception):
    """The database could not be opened or written; str() is one line naming the file."""


@dataclass(frozen=True)
class ArticleResult:
    """An article and the events extracted from it, ready to store."""

    article: Article
    events: Sequence[Event]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def connect(path: Path, read_only: bool = False, retry_seconds: float = LOCK_RETRY_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting while another process holds the lock."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + retry_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as err:
            if "lock" not in str(err).lower() or time.monotonic() >= deadline:
                raise StoreError(f"{path}: cannot open the database: {_first_line(err)}") from err
        except duckdb.Error as err:
            raise StoreError(f"{path}: not a usable DuckDB database: {_first_line(err)}") from err
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


class Store:
    """The events database; use as a context manager so the file is released promptly."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._con = connect(self.path)
        schema = resources.files("events").joinpath("schema.sql").read_text(encoding="utf-8")
        try:
            self._con.execute(schema)
        except duckdb.Error as err:
            self._con.close()
            raise StoreError(f"{self.path}: cannot create the tables: {_first_line(err)}") from err

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

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
        rows = self._con.execute(
            "SELECT doc_id, text_hash FROM articles WHERE doc_id IN (SELECT UNNEST(?))",
            [sorted({a.doc_id for a in articles})],
        ).fetchall()
        stored = dict(rows)
        return [stored.get(a.doc_id) == text_hash(a.text) for a in articles]

    def write(self, batch: Iterable[ArticleResult]) -> int:
        """Upsert a batch of articles with their events in one transaction; return events written."""
        batch = list(batch)
        if not batch:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        doc_ids = [r.article.doc_id for r in batch]
        article_rows = [
            (a.doc_id, a.title, a.url, a.published, a.source, a.text, text_hash(a.text), now)
            for a in (r.article for r in batch)
        ]
        event_rows = [_event_row(e) for r in batch for e in r.events]
        con = self._con
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
        con = self._con
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
        return self._con

    def counts(self) -> tuple[int, int]:
        articles = self._con.execute("SELECT count(*) FROM articles").fetchone()[0]
        events = self._con.execute("SELECT count(*) FROM events").fetchone()[0]
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
