"""Whole-database exports for `events export`, reusing the dashboard's exporters.

CSV, GeoJSON and JSON Lines come from `events.store.queries` with no filter, so the
command line and the dashboard's download buttons write identical files;
Parquet goes through Arrow, which keeps the list columns as lists. During an
extraction the export waits for the batch being written and exports the data
as of the last stored batch.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq

from events.models import RECORD_FIELDS
from events.store.corrections import gold_records
from events.store.queries import EXPORTERS, Filters, read_connection

EXPORT_WAIT_SECONDS = 60.0  # an extraction writing a batch (or clustering) holds the file for seconds at most

_ALL_EVENTS_SQL = (
    f"SELECT {', '.join(RECORD_FIELDS)} FROM events WHERE NOT coalesce(not_event, FALSE) ORDER BY day NULLS LAST, event_id"
)


def export_events(db: Path, fmt: str, corrected_only: bool = False) -> bytes:
    """Every stored event in `fmt` (csv, geojson, jsonl, parquet, or gold: EVENTS.md section 6) as bytes."""
    with read_connection(db, EXPORT_WAIT_SECONDS) as con:
        if fmt == "gold":
            records = gold_records(con, corrected_only)
            return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
        if fmt in EXPORTERS:
            return EXPORTERS[fmt](con, Filters())
        if fmt != "parquet":
            raise ValueError(f"unknown export format {fmt!r}")
        buffer = io.BytesIO()
        pq.write_table(con.sql(_ALL_EVENTS_SQL).to_arrow_table(), buffer)
        return buffer.getvalue()
