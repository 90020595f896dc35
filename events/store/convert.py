"""Conversions between the two stores: a Parquet dataset into a DuckDB file, and either into a dataset.

`events import DIR --db FILE` and `events export --format parquet
--partitioned DIR` call these. Both run inside DuckDB (read_parquet, COPY
... PARTITION_BY), so the rows stream through without a DataFrame in memory.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from events.models import RECORD_FIELDS
from events.store.cluster import assign_clusters
from events.store.database import Store
from events.store.parquet import ParquetStore, batch_key
from events.store.queries import read_connection

EXPORT_MEMORY = "2GB"  # DuckDB memory for one export; past it the sort spills to disk
EVENT_COLUMNS: tuple[str, ...] = (*RECORD_FIELDS, "day")  # what a dataset's events files hold (store._EVENT_SCHEMA)


class ConvertError(Exception):
    """A conversion could not start or finish; str() is one line naming the path."""


def import_dataset(root: str, db: Path) -> tuple[int, int]:
    """Upsert the dataset's articles and events into the DuckDB file `db`, then re-cluster; return the counts.

    As with extraction, an article already in `db` under the same doc_id is
    replaced with its events, all in one transaction.
    """
    if not Path(root).is_dir() or not (Path(root) / "articles").is_dir():
        raise ConvertError(f"{root}: not a Parquet event dataset (no articles/ folder)")
    articles = f"read_parquet({_quote(f'{root}/articles/*.parquet')})"
    events = f"read_parquet({_quote(f'{root}/events/*/*/*.parquet')}, hive_partitioning = true)"
    with Store(db) as store:
        con = store.connection
        has_events = con.execute("SELECT count(*) FROM glob(?)", [f"{root}/events/*/*/*.parquet"]).fetchall()[0][0]
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"DELETE FROM events WHERE doc_id IN (SELECT doc_id FROM {articles})")
            con.execute(f"DELETE FROM articles WHERE doc_id IN (SELECT doc_id FROM {articles})")
            con.execute(f"INSERT INTO articles BY NAME SELECT * FROM {articles}")
            if has_events:
                con.execute(f"INSERT INTO events BY NAME SELECT * EXCLUDE (year, month) FROM {events}")
            con.execute("COMMIT")
        except duckdb.Error as err:
            con.execute("ROLLBACK")
            raise ConvertError(f"{root}: cannot import into {db}: {str(err).splitlines()[0]}") from err
        assign_clusters(store)
        return store.counts()


def export_dataset(source: Path | str, out: Path) -> tuple[int, int]:
    """Write every article and event of `source` (a DuckDB file or a dataset) as a new dataset at `out`.

    The layout is the one `ParquetStore` writes, with the whole export as one
    batch: one events file per month, then the articles file that commits
    them, so `events extract --out-parquet OUT` can go on adding to it.
    """
    if out.exists() and any(out.iterdir()):
        raise ConvertError(f"{out}: exists and is not empty (choose a new folder)")
    spill = out / ".spill"
    with read_connection(source) as con:
        # the sort by day holds every row with its sentence: at 10M events it grew past 14 GB with
        # DuckDB's default limit (80% of RAM). A fixed limit and a spill folder make it stream.
        con.execute(f"SET memory_limit = {_quote(EXPORT_MEMORY)}")
        con.execute(f"SET temp_directory = {_quote(str(spill))}")
        pairs = con.execute("SELECT doc_id, text_hash FROM articles ORDER BY doc_id").fetchall()
        name = f"part-{batch_key(dict(pairs))}"
        (out / "events").mkdir(parents=True, exist_ok=True)
        con.execute(
            # the record's columns only: analysts' corrections stay in the DuckDB file (hidden records are
            # left out, corrected values go as they are), so every file of the dataset has one schema
            f"""COPY (SELECT * EXCLUDE (year, month), year::VARCHAR AS year, lpad(month::VARCHAR, 2, '0') AS month
                      FROM (SELECT {', '.join(EVENT_COLUMNS)}, year(day) AS year, month(day) AS month FROM events
                            WHERE NOT coalesce(not_event, FALSE))
                      ORDER BY day NULLS LAST, event_id)
                TO {_quote(str(out / 'events'))}
                (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), FILENAME_PATTERN {_quote(name)},
                 OVERWRITE_OR_IGNORE)"""
        )
        (out / "articles").mkdir(exist_ok=True)
        con.execute(
            f"""COPY (SELECT doc_id, title, url, published, source, text, text_hash, extracted_at
                      FROM articles ORDER BY doc_id)
                TO {_quote(str(out / 'articles' / (name + '0.parquet')))} (FORMAT parquet, COMPRESSION zstd)"""
        )
    shutil.rmtree(spill, ignore_errors=True)
    stray = [p for p in (out / "events").glob("*/*/*.parquet") if p.name != f"{name}0.parquet"]
    if stray:
        raise ConvertError(f"{out}: DuckDB split a month into several files ({stray[0].name}); not a valid dataset")
    with ParquetStore(str(out)) as store:  # writes the manifest, and checks the dataset opens
        return store.counts()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

