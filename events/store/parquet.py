"""Parquet write side: articles and their events as a month-partitioned dataset.

The dataset is what a cluster run writes (`events extract --out-parquet DIR`)
and what DuckDB, Spark, Polars and pandas read:

    DIR/articles/part-KEY.parquet                  the articles of one batch (the `articles` table's columns)
    DIR/events/year=YYYY/month=MM/part-KEY.parquet the batch's events of that month (the `events` table's columns)
    DIR/events/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-KEY.parquet  undated events
    DIR/_manifest.json                             counts, rewritten when a run ends (the dashboard's change stamp)

KEY is a hash of the batch's (doc_id, text hash) pairs. Files are immutable
once renamed into place, so it is the same idempotence contract as the DuckDB
store, made of file operations:

- Every file is written under `NAME.RANDOM.tmp` and renamed; a reader never sees half a file.
- A batch is committed when its articles file exists: events files go first,
  the articles file last. At open, `*.tmp` files and events files without an
  articles file (a crash between the two) are deleted, so a rerun redoes the
  batch; the same batch gets the same KEY, and nothing is duplicated.
- The same input twice: its articles are stored with the same text hash, so
  they are skipped and nothing is written.
- A changed article: its new batch is committed first, then the batch that
  held the old version is rewritten without it. A crash in between leaves one
  doc_id in two articles files; the open finds that and keeps the newer.
- `cluster_id` is set after the map step: `events.store.cluster.assign_clusters`
  runs its SQL over a DuckDB view of the dataset, and only the files whose
  cluster ids changed are rewritten.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from events.models import RECORD_FIELDS, Article, Event
from events.store.database import (  # the DuckDB store's Arrow schemas and row builder: one definition of the columns
    _ARTICLE_SCHEMA,
    _CLUSTER_SCHEMA,
    _EVENT_SCHEMA,
    ArticleResult,
    StoreError,
    _first_day,
    text_hash,
)

FLUSH_ARTICLES = 2000  # articles per committed batch: one articles file and one events file per month it touches
UNDATED = "__HIVE_DEFAULT_PARTITION__"  # Hive's name for a null partition value; readers turn it back into NULL
MANIFEST = "_manifest.json"
FORMAT = "event-atlas parquet dataset 1"


class ParquetStore:
    """A Parquet dataset as the event store: the same methods as `events.store.database.Store`.

    `unchanged_batch`, `write`, `connection` and `set_clusters` are what the
    runner and `events.store.cluster.assign_clusters` call, so both stores share one
    extraction loop. Writes are buffered to FLUSH_ARTICLES articles (fewer,
    larger files); `close` flushes and writes the manifest.
    """

    batch_size = FLUSH_ARTICLES

    def __init__(self, root: str, flush_articles: int = FLUSH_ARTICLES, settings: str = "") -> None:
        self.root = str(root).rstrip("/")
        self.settings = settings  # what the articles are extracted with: part of each article's `text_hash`
        self.batch_size = flush_articles
        self.fs, self.base = _filesystem(self.root)
        self._pending: list[ArticleResult] = []
        self._views_stale = False
        try:
            self.fs.create_dir(f"{self.base}/articles", recursive=True)
            self.fs.create_dir(f"{self.base}/events", recursive=True)
        except OSError as err:
            raise StoreError(f"{self.root}: cannot create the dataset folder: {_first_line(err)}") from err
        self._con = dataset_connection(self.root)
        self._recover()
        define_views(self._con, self.root)
        self._con.execute(
            "CREATE TEMP TABLE stored AS SELECT doc_id, text_hash, batch FROM _article_batches"
        )

    def __enter__(self) -> "ParquetStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the Store interface

    def unchanged_batch(self, articles: Sequence[Article]) -> list[bool]:
        """Whether each article's exact text is stored already, from one query on the in-memory index."""
        if not articles:
            return []
        rows = self._con.execute(
            "SELECT doc_id, text_hash FROM stored WHERE doc_id IN (SELECT UNNEST(?))",
            [sorted({a.doc_id for a in articles})],
        ).fetchall()
        stored = dict(rows)
        return [stored.get(a.doc_id) == text_hash(a.text, self.settings) for a in articles]

    def write(self, batch: Iterable[ArticleResult]) -> int:
        """Queue a batch; every FLUSH_ARTICLES articles become one committed batch of files."""
        batch = list(batch)
        self._pending.extend(batch)
        while len(self._pending) >= self.batch_size:
            self._commit(self._pending[: self.batch_size])
            self._pending = self._pending[self.batch_size :]
        return sum(len(r.events) for r in batch)

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection whose `events` and `articles` views show the dataset (pending writes flushed)."""
        self.flush()
        if self._views_stale:  # a commit added files: the first turns the empty tables into views over files
            define_views(self._con, self.root)
            self._views_stale = False
        return self._con

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The dataset's connection for a few statements in a row, as `events.store.database.Store.session` gives
        (the clustering reads through it); it stays open, owned by the store."""
        yield self.connection

    def set_clusters(self, assignments: dict[str, str | None]) -> None:
        """Give every event its cluster_id, rewriting only the files where it changes.

        One query over the dataset finds those files; each is then read,
        relabelled and written on its own. A query per group of files, with
        `filename IN (...)` over the dataset's view, read the whole dataset
        each time (DuckDB did not turn the filter into a file list), so the
        rewrite grew as the square of the dataset: 8.5 CPU s for 502 files
        out of 1,865, 3.2 s this way (57.3 and 7.7 s at three times the files).
        """
        rows = [(eid, cid) for eid, cid in assignments.items() if cid is not None]
        columns = list(zip(*rows)) or [[], []]
        table = pa.Table.from_arrays([pa.array(c, pa.string()) for c in columns], schema=_CLUSTER_SCHEMA)
        con = self.connection  # pending writes flushed, views current
        con.register("_clusters", table)
        try:
            stale = [r[0] for r in con.execute(
                """SELECT DISTINCT e.filename FROM _event_files e LEFT JOIN _clusters c USING (event_id)
                   WHERE e.cluster_id IS DISTINCT FROM c.cluster_id ORDER BY 1"""
            ).fetchall()]
        finally:
            con.unregister("_clusters")
        for name in stale:
            self._relabel(_local_name(name, self.root, self.base), assignments)

    def _relabel(self, name: str, assignments: dict[str, str | None]) -> None:
        """Rewrite one events file with each event's cluster_id from `assignments` (None where it has none);
        the rows keep their order, so the file stays sorted by day."""
        table = pq.read_table(name, filesystem=self.fs, use_threads=False)  # a small file: threads cost more
        table = table.select(_EVENT_SCHEMA.names).cast(_EVENT_SCHEMA)
        ids = table.column("event_id").to_pylist()
        labels = pa.array([assignments.get(event_id) for event_id in ids], pa.string())
        self._put(name, table.set_column(table.schema.get_field_index("cluster_id"), "cluster_id", labels))

    def counts(self) -> tuple[int, int]:
        con = self.connection
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        return articles, con.execute("SELECT count(*) FROM events").fetchall()[0][0]

    def flush(self) -> None:
        """Commit whatever is queued (a last, shorter batch)."""
        if self._pending:
            self._commit(self._pending)
            self._pending = []

    def close(self) -> None:
        """Flush, write the manifest, and drop the in-memory index."""
        try:
            self.flush()
            articles, events = self.counts()
            manifest = {"format": FORMAT, "articles": articles, "events": events}
            self._put_bytes(f"{self.base}/{MANIFEST}", json.dumps(manifest, sort_keys=True).encode("utf-8"))
        finally:
            self._con.close()

    # ------------------------------------------------------------------ batches

    def _commit(self, results: list[ArticleResult]) -> None:
        """Write one batch (`write_batch`), then drop the older versions of its articles."""
        key, hashes = write_batch(self.root, results, self.fs, self.base, self.settings)
        self._views_stale = True
        self._adopt([(doc_id, value, key) for doc_id, value in hashes.items()])

    def adopt(self, committed: Sequence[tuple[str, str, str]]) -> None:
        """Take in batches a worker committed itself (`write_batch`): (doc_id, text hash, batch key) in input order.

        The dataset already holds their files; what is left is the client's
        part of a commit: each article's older versions, in other batches,
        are dropped (a doc_id given twice keeps its later version, as in the
        DuckDB store) and the index of stored articles learns the new ones.
        """
        if committed:
            self._views_stale = True
            self._adopt(committed)

    def _adopt(self, committed: Sequence[tuple[str, str, str]]) -> None:
        latest: dict[str, tuple[str, str]] = {}
        superseded: dict[str, set[str]] = {}  # batches of this call that hold a version given again later
        for doc_id, value, key in committed:
            earlier = latest.get(doc_id)
            if earlier is not None and earlier[1] != key:
                superseded.setdefault(earlier[1], set()).add(doc_id)
            latest[doc_id] = (value, key)
        rows = [(doc_id, value, key) for doc_id, (value, key) in sorted(latest.items())]
        new = pa.Table.from_arrays([pa.array(c, pa.string()) for c in zip(*rows)], names=["doc_id", "text_hash", "batch"])
        self._con.register("_new", new)
        try:
            older = self._con.execute(
                """SELECT s.batch, list(s.doc_id) FROM stored s JOIN _new n USING (doc_id)
                   WHERE s.batch <> n.batch GROUP BY 1 ORDER BY 1"""
            ).fetchall()
            for old_key, doc_ids in older:
                superseded.setdefault(old_key, set()).update(doc_ids)
            for old_key, doc_ids in sorted(superseded.items()):
                self._drop_docs(old_key, doc_ids)
            self._con.execute("DELETE FROM stored WHERE doc_id IN (SELECT doc_id FROM _new)")
            self._con.execute("INSERT INTO stored SELECT doc_id, text_hash, batch FROM _new")
        finally:
            self._con.unregister("_new")

    def _drop_docs(self, key: str, doc_ids: set[str]) -> None:
        """Rewrite batch `key` without `doc_ids` (their newer versions are committed elsewhere): events first."""
        names = [f.path for f in self._files("events") if f.base_name == f"part-{key}.parquet"]
        for name in [*names, f"{self.base}/articles/part-{key}.parquet"]:
            table = pq.read_table(name, filesystem=self.fs)
            kept = table.filter(pc.invert(pc.is_in(table["doc_id"], pa.array(sorted(doc_ids), pa.string()))))
            if kept.num_rows == table.num_rows:
                continue
            if kept.num_rows:
                self._put(name, kept)
            else:
                self.fs.delete_file(name)

    def _recover(self) -> None:
        """Finish what a crashed run left: temporary files, uncommitted events files, a doc_id stored twice."""
        files = self._files("articles") + self._files("events")
        for info in files:
            if info.base_name.endswith(".tmp"):
                self.fs.delete_file(info.path)
        committed = {f.base_name for f in self._files("articles") if f.base_name.endswith(".parquet")}
        for info in self._files("events"):
            if info.base_name.endswith(".parquet") and info.base_name not in committed:
                self.fs.delete_file(info.path)
        twice = self._con.execute(
            """SELECT batch, list(doc_id) FROM (
                   SELECT doc_id, batch,
                          row_number() OVER (PARTITION BY doc_id ORDER BY extracted_at DESC, batch DESC) AS rank
                   FROM _article_batches)
               WHERE rank > 1 GROUP BY 1 ORDER BY 1"""
        ).fetchall()
        for key, doc_ids in twice:
            self._drop_docs(key, set(doc_ids))

    # ------------------------------------------------------------------ files

    def _files(self, folder: str) -> list[pafs.FileInfo]:
        selector = pafs.FileSelector(f"{self.base}/{folder}", recursive=True, allow_not_found=True)
        return [f for f in self.fs.get_file_info(selector) if f.type == pafs.FileType.File]

    def _put(self, name: str, table: pa.Table) -> None:
        _put(self.fs, self.root, name, table)

    def _put_bytes(self, name: str, data: bytes) -> None:
        with self.fs.open_output_stream(f"{name}.tmp") as out:
            out.write(data)
        self.fs.move(f"{name}.tmp", name)


def write_batch(
    root: str, results: Sequence[ArticleResult], fs: pafs.FileSystem | None = None, base: str | None = None,
    settings: str = "",
) -> tuple[str, dict[str, str]]:
    """Write one batch's files, events by month first and the articles file (the commit) last.

    Returns the batch key and each article's text hash. A cluster worker
    calls this on its own chunk, so the events never travel back to the
    client; the same chunk gives the same key and file names, so a task run
    twice (its worker killed after writing) overwrites its own files. The
    client then `ParquetStore.adopt`s the batch.
    """
    if fs is None or base is None:
        fs, base = _filesystem(str(root).rstrip("/"))
    latest = {r.article.doc_id: r for r in results}  # a doc_id given twice: the later one wins, as in DuckDB
    hashes = {doc: text_hash(r.article.text, settings) for doc, r in latest.items()}
    if not latest:
        return "", {}
    key = batch_key(hashes)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for (year, month), rows in _by_month(_event_row(e) for res in latest.values() for e in res.events).items():
        table = _table(_EVENT_SCHEMA, sorted(rows, key=_day_then_id))
        _put(fs, root, f"{base}/events/year={year}/month={month}/part-{key}.parquet", table)
    articles = [(a.doc_id, a.title, a.url, a.published, a.source, a.text, hashes[a.doc_id], now)
                for a in sorted((r.article for r in latest.values()), key=lambda a: a.doc_id)]
    _put(fs, root, f"{base}/articles/part-{key}.parquet", _table(_ARTICLE_SCHEMA, articles))
    return key, hashes


def _put(fs: pafs.FileSystem, root: str, name: str, table: pa.Table) -> None:
    """Write `table` to `name` through a temporary file and a rename, so `name` is whole or absent."""
    parent = name.rsplit("/", 1)[0]
    fs.create_dir(parent, recursive=True)
    try:
        temporary = f"{name}.{uuid.uuid4().hex[:12]}.tmp"  # a task run twice at once must not share one
        pq.write_table(table, temporary, filesystem=fs, compression="zstd", row_group_size=100_000)
        fs.move(temporary, name)
    except OSError as err:
        raise StoreError(f"{root}: cannot write {name}: {_first_line(err)}") from err


def dataset_connection(root: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with views `events` and `articles` over the dataset at `root`.

    Every query written for the DuckDB file runs unchanged on these views. The
    views keep `year` and `month` out of `events` (the table has no such
    columns); a filter on `day` still reads only the months it needs, because
    each file is sorted by day and DuckDB skips row groups by their statistics.
    `_event_files` and `_article_files` add each row's file, for the writer.
    """
    con = duckdb.connect()
    # Every rerun runs several queries over the same files: read each footer once per connection.
    con.execute("SET parquet_metadata_cache = true")
    if "://" in str(root):  # fsspec URL (s3://, gcs://, memory://): DuckDB reads through the user's filesystem package
        import fsspec

        con.register_filesystem(fsspec.filesystem(str(root).split("://", 1)[0]))
    define_views(con, root)
    return con


def define_views(con: duckdb.DuckDBPyConnection, root: str) -> None:
    """(Re)define the dataset's views; a part with no file yet is an empty table of the right columns.

    DuckDB binds a view when it is created, and read_parquet fails on a glob
    that matches nothing, so the writer calls this again after its first commit.
    """
    root = str(root).rstrip("/")
    parts = {
        "_event_files": (f"{root}/events/*/*/*.parquet", _EVENT_SCHEMA, True),
        "_article_files": (f"{root}/articles/*.parquet", _ARTICLE_SCHEMA, False),
    }
    for name, (pattern, schema, hive) in parts.items():
        kinds = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()
        for (kind,) in kinds:
            con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")
        if con.execute("SELECT count(*) FROM glob(?)", [pattern]).fetchall()[0][0]:
            options = ", hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER}" if hive else ""
            files = f"read_parquet({_quote(pattern)}, filename = true{options})"
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {files}")
        else:
            partitions = [("year", pa.int32()), ("month", pa.int32())] if hive else []
            extra = pa.schema([("filename", pa.string()), *partitions])
            empty = pa.Table.from_pylist([], schema=pa.unify_schemas([schema, extra]))
            con.register("_empty", empty)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _empty")
            con.unregister("_empty")
    # analysts' corrections live in a DuckDB file only (events.store.corrections): a dataset has none, so its
    # view carries their columns empty and every query written for the file runs unchanged
    con.execute(
        "CREATE OR REPLACE VIEW events AS SELECT * EXCLUDE (year, month, filename), FALSE AS not_event, "
        "CAST(NULL AS VARCHAR[]) AS corrected, CAST(NULL AS VARCHAR) AS extracted FROM _event_files"
    )
    con.execute(
        "CREATE OR REPLACE VIEW articles AS SELECT * EXCLUDE (filename) FROM _article_files"
    )
    con.execute(
        r"""CREATE OR REPLACE VIEW _article_batches AS
            SELECT *, regexp_extract(filename, 'part-([0-9a-f]+)\.parquet$', 1) AS batch FROM _article_files"""
    )


def batch_key(hashes: dict[str, str]) -> str:
    """The name of a batch's files: a hash of its (doc_id, text hash) pairs, whatever their order."""
    digest = hashlib.sha1()
    for doc_id, value in sorted(hashes.items()):
        digest.update(f"{doc_id}\t{value}\n".encode("utf-8"))
    return digest.hexdigest()[:20]


def _quote(text: str) -> str:
    """A SQL string literal (read_parquet's file argument cannot be a bound parameter inside a view)."""
    return "'" + text.replace("'", "''") + "'"


def _filesystem(root: str) -> tuple[pafs.FileSystem, str]:
    """The Arrow filesystem and base path for a local folder or an fsspec URL."""
    if "://" not in root:
        return pafs.LocalFileSystem(), root
    try:
        import fsspec
    except ImportError as err:
        message = "URLs need fsspec and its filesystem package (pip install 'event-atlas[cluster]')"
        raise StoreError(f"{root}: {message}") from err
    fs, path = fsspec.core.url_to_fs(root)
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


def _local_name(filename: str, root: str, base: str) -> str:
    """A file name as DuckDB reports it (under `root`), as the Arrow filesystem names it (under `base`)."""
    return base + filename[len(root):] if filename.startswith(root) else filename


def _by_month(rows: Iterable[tuple]) -> dict[tuple[str, str], list[tuple]]:
    """Event rows grouped by their partition: the year and month of `day` (the last column), or undated."""
    groups: dict[tuple[str, str], list[tuple]] = {}
    for row in rows:
        day: date | None = row[-1]
        part = (str(day.year), f"{day.month:02d}") if day is not None else (UNDATED, UNDATED)
        groups.setdefault(part, []).append(row)
    return dict(sorted(groups.items()))


def _event_row(event: Event) -> tuple:
    """The event's values in `_EVENT_SCHEMA` order. Not `Event.to_record`: its `asdict` deep-copies every
    list, which was half of the client's time per batch (measured with scripts/bench_cluster_client.py)."""
    return (*(getattr(event, name) for name in RECORD_FIELDS), _first_day(event.date))


def _day_then_id(row: tuple) -> tuple:
    return (row[-1] is None, row[-1] or date.min, row[0])


def _table(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    columns = list(zip(*rows)) or [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema)], schema=schema)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
