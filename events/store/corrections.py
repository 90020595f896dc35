"""Analyst corrections: an audit trail of fixes, applied over the extracted events.

Why this shape:

- **Every fix is a row** of `corrections` (event id, field, old value, new
  value, author, time, optional note), never an edit that forgets: undoing
  marks the row undone (who, when) and keeps it.
- **Applied in the events table itself**, so that the map, the timeline, the
  table, the counts and every export (all of which read `events`) show the
  corrected event with no second code path and no overlay join at a million
  rows. The values the extractor gave are kept in the row (`extracted`, JSON)
  so an undo restores them; `corrected` lists the fields an analyst changed,
  and `not_event` hides a record that is no event (it is never deleted).
- **Kept across re-extraction.** A changed article's events are replaced by
  fresh rows (`events.store.database`); `apply_corrections` runs after every write and
  lays the live corrections over them again, keyed by event id. A correction
  whose event no longer exists is listed by `orphaned`, never dropped.

A correction's values are JSON objects of record columns (EVENTS.md
section 3): the field "date" sets `date`, `date_end` and `date_precision`
together, "place" sets the place with its country, region, coordinates and
precision (from the gazetteer), and so on (`FIELD_COLUMNS`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from events.models import Place

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
STATUSES: tuple[str, ...] = ("occurred", "scheduled")
DATE_PRECISIONS: dict[str, int] = {"day": 10, "month": 7, "year": 4}

# Which record columns each correctable field sets.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "type": ("type",),
    "mode": ("mode",),
    "actors": ("actors",),
    "targets": ("targets",),
    "date": ("date", "date_end", "date_precision"),
    "place": ("place", "country", "admin1", "lat", "lon", "geo_precision", "geonames_id", "place_basis"),
    "status": ("status",),
    "not_event": ("not_event",),
}
COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(c for cols in FIELD_COLUMNS.values() for c in cols))
_ISO = {10: re.compile(r"\d{4}-\d{2}-\d{2}"), 7: re.compile(r"\d{4}-\d{2}"), 4: re.compile(r"\d{4}")}


_UPDATE_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("type", pa.string()), ("mode", pa.string()), ("actors", pa.list_(pa.string())),
    ("targets", pa.list_(pa.string())), ("date", pa.string()), ("date_end", pa.string()),
    ("date_precision", pa.string()), ("place", pa.string()), ("country", pa.string()), ("admin1", pa.string()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("geo_precision", pa.string()), ("geonames_id", pa.int64()),
    ("place_basis", pa.string()), ("status", pa.string()), ("not_event", pa.bool_()), ("day", pa.date32()),
    ("extracted", pa.string()), ("corrected", pa.list_(pa.string())),
])


class CorrectionError(ValueError):
    """A correction that cannot be stored; str() says which field and why, in one line."""


@dataclass(frozen=True)
class Correction:
    """One stored correction (a row of the `corrections` table)."""

    correction_id: int
    event_id: str
    field: str
    old_value: dict[str, Any]
    new_value: dict[str, Any]
    author: str
    created_at: datetime
    note: str | None
    undone_at: datetime | None
    undone_by: str | None


# --------------------------------------------------------------------------- values


def place_value(place: Place | None, basis: str = "sentence") -> dict[str, Any]:
    """The "place" value for a gazetteer entry (None: the event has no place)."""
    if place is None:
        return {"place": None, "country": None, "admin1": None, "lat": None, "lon": None,
                "geo_precision": "none", "geonames_id": None, "place_basis": None}  # fmt: skip
    precision = {"country": "country", "admin1": "admin1"}.get(place.feature, "point")
    return {"place": place.name, "country": place.country, "admin1": place.admin1 if precision != "country" else None,
            "lat": place.lat, "lon": place.lon, "geo_precision": precision, "geonames_id": place.geonames_id,
            "place_basis": basis}  # fmt: skip


def date_value(value: str | None, end: str | None = None) -> dict[str, Any]:
    """The "date" value for an ISO date at its precision ("2022-07-06", "2022-07", "2022"; None: undated)."""
    value = (value or "").strip() or None
    end = (end or "").strip() or None
    if value is None:
        return {"date": None, "date_end": None, "date_precision": "none"}
    precision = next((p for p, n in DATE_PRECISIONS.items() if len(value) == n and _ISO[n].fullmatch(value)), None)
    if precision is None or _first_day(value) is None:
        raise CorrectionError(f"date: {value!r} is not an ISO date (2022-07-06, 2022-07 or 2022)")
    if end is not None and (_first_day(end) is None or end < value):
        raise CorrectionError(f"date: the end {end!r} is not an ISO date on or after {value}")
    return {"date": value, "date_end": end, "date_precision": precision}


def parse_value(field: str, text: str, find_place: Callable[[str], list[Place]] | None = None) -> dict[str, Any]:
    """A field's value from the words a user types (the command line): "ASSAULT"; "Russia; Ukraine" for
    actors or targets; "2022-07-06" or "2022-07-28..2022-07-29" for a date; a place name, looked up with
    `find_place` (the gazetteer's `candidates`; the first is taken); "none" or "" for no value."""
    text = text.strip()
    empty = text.lower() in ("", "none", "null")
    if field in ("type", "status"):
        return {field: text.upper() if field == "type" else text.lower()}
    if field == "mode":
        return {"mode": None if empty else text}
    if field in ("actors", "targets"):
        return {field: [] if empty else [n.strip() for n in text.split(";") if n.strip()]}
    if field == "date":
        start, _, end = text.partition("..")
        return date_value(None if empty else start, end or None)
    if field == "place":
        if empty:
            return place_value(None)
        found = find_place(text) if find_place is not None else []
        if not found:
            raise CorrectionError(f"place: {text!r} is not in the gazetteer")
        return place_value(found[0])
    if field == "not_event":
        return {"not_event": text.lower() in ("1", "true", "yes", "y")}
    raise CorrectionError(f"{field!r} cannot be corrected; fields: {', '.join(FIELD_COLUMNS)}")


def _check(field: str, value: dict[str, Any]) -> dict[str, Any]:
    """The value restricted to the field's columns, or a CorrectionError naming what is wrong."""
    if field not in FIELD_COLUMNS:
        raise CorrectionError(f"{field!r} cannot be corrected; fields: {', '.join(FIELD_COLUMNS)}")
    missing = [c for c in FIELD_COLUMNS[field] if c not in value]
    if missing:
        raise CorrectionError(f"{field}: the value needs {', '.join(missing)}")
    value = {c: value[c] for c in FIELD_COLUMNS[field]}
    if field == "type" and value["type"] not in PLOVER_TYPES:
        raise CorrectionError(f"type: {value['type']!r} is not a PLOVER type")
    if field == "status" and value["status"] not in STATUSES:
        raise CorrectionError(f"status: {value['status']!r} is not one of {', '.join(STATUSES)}")
    if field in ("actors", "targets"):
        names = value[field]
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise CorrectionError(f"{field}: a list of names is needed")
        value[field] = [n.strip() for n in names]
    if field == "mode":
        value["mode"] = (value["mode"] or "").strip().lower() or None
    if field == "date":
        value = date_value(value["date"], value["date_end"])
    if field == "not_event":
        value["not_event"] = bool(value["not_event"])
    return value


# --------------------------------------------------------------------------- write side


def correct(
    con: duckdb.DuckDBPyConnection, event_id: str, field: str, value: dict[str, Any], author: str,
    note: str | None = None,
) -> int:
    """Store a correction of one field of one event and apply it; return its id."""
    author = (author or "").strip()
    if not author:
        raise CorrectionError("author: a name is needed, so the audit trail says who changed what")
    value = _check(field, value)
    row = con.execute(f"SELECT {', '.join(FIELD_COLUMNS[field])} FROM events WHERE event_id = ?", [event_id]).fetchone()
    if row is None:
        raise CorrectionError(f"event {event_id!r}: no such event")
    old = dict(zip(FIELD_COLUMNS[field], row))
    (new_id,) = con.execute(
        """INSERT INTO corrections (event_id, field, old_value, new_value, author, created_at, note)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING correction_id""",
        [event_id, field, _dumps(old), _dumps(value), author, _now(), (note or "").strip() or None],
    ).fetchone()
    apply_corrections(con, [event_id])
    return int(new_id)


def undo(con: duckdb.DuckDBPyConnection, correction_id: int, author: str) -> None:
    """Mark a correction undone (kept in the trail) and recompute its event from what is left."""
    author = (author or "").strip()
    if not author:
        raise CorrectionError("author: a name is needed to undo, so the audit trail says who undid what")
    row = con.execute(
        "SELECT event_id, undone_at FROM corrections WHERE correction_id = ?", [correction_id]
    ).fetchone()
    if row is None:
        raise CorrectionError(f"correction {correction_id}: no such correction")
    if row[1] is not None:
        raise CorrectionError(f"correction {correction_id}: already undone")
    con.execute(
        "UPDATE corrections SET undone_at = ?, undone_by = ? WHERE correction_id = ?",
        [_now(), author, correction_id],
    )
    apply_corrections(con, [row[0]])


def apply_corrections(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str] | None = None) -> int:
    """Lay the live corrections over the extracted values of their events; return the events rewritten.

    Runs after every extraction (fresh rows have no `extracted` yet: their
    own values are the extractor's) and after every correction or undo. An
    event whose corrections are all undone gets its extracted values back.
    """
    where, params = ("WHERE event_id IN (SELECT unnest(?))", [list(event_ids)]) if event_ids is not None else ("", [])
    trail = con.execute(
        f"""SELECT event_id, field, new_value, undone_at IS NULL FROM corrections {where}
            ORDER BY created_at, correction_id""",
        params,
    ).fetchall()
    if not trail:
        return 0
    live: dict[str, list[tuple[str, dict]]] = {}
    for event_id, field, new_value, is_live in trail:
        live.setdefault(event_id, [])
        if is_live:
            live[event_id].append((field, json.loads(new_value)))
    rows = con.execute(
        f"SELECT event_id, extracted, {', '.join(COLUMNS)} FROM events WHERE event_id IN (SELECT unnest(?))",
        [list(live)],
    ).fetchall()
    updates = []
    for event_id, extracted, *current in rows:
        base = json.loads(extracted) if extracted else dict(zip(COLUMNS, current))
        base["not_event"] = bool(base.get("not_event"))
        values = dict(base)
        fields: list[str] = []
        for field, new_value in live[event_id]:
            values.update(new_value)
            fields = [f for f in fields if f != field] + [field]
        updates.append({**values, "event_id": event_id, "day": _first_day(values["date"]),
                        "extracted": _dumps(base) if fields else None, "corrected": fields or None})
    if updates:  # one UPDATE for all: row by row took ~12 ms an event on a large table
        table = pa.Table.from_pylist(updates, schema=_UPDATE_SCHEMA)
        con.register("_corrected", table)
        try:
            con.execute(
                f"""UPDATE events SET {', '.join(f'{c} = u.{c}' for c in (*COLUMNS, 'day', 'extracted', 'corrected'))}
                    FROM _corrected u WHERE events.event_id = u.event_id"""
            )
        finally:
            con.unregister("_corrected")
    return len(rows)


# --------------------------------------------------------------------------- read side


def history(con: duckdb.DuckDBPyConnection, event_id: str) -> list[Correction]:
    """Every correction of an event, undone ones too, oldest first."""
    return _corrections(con, "WHERE event_id = ?", [event_id])


def history_all(con: duckdb.DuckDBPyConnection) -> list[Correction]:
    """The whole audit trail, oldest first."""
    return _corrections(con, "", [])


def orphaned(con: duckdb.DuckDBPyConnection) -> list[Correction]:
    """Corrections whose event no longer exists (its article changed or was removed), oldest first."""
    return _corrections(con, "WHERE event_id NOT IN (SELECT event_id FROM events)", [])


def _corrections(con: duckdb.DuckDBPyConnection, where: str, params: list) -> list[Correction]:
    if not _has_table(con):
        return []
    rows = con.execute(
        f"""SELECT correction_id, event_id, field, old_value, new_value, author, created_at, note, undone_at, undone_by
            FROM corrections {where} ORDER BY created_at, correction_id""",
        params,
    ).fetchall()
    return [
        Correction(int(r[0]), r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6], r[7], r[8], r[9])
        for r in rows
    ]


def read_ready(con: duckdb.DuckDBPyConnection, path: Path, reopen: Callable[[], duckdb.DuckDBPyConnection]
               ) -> duckdb.DuckDBPyConnection:
    """`con`, or, for a database made before corrections existed, a new connection after adding their
    table and columns (read views filter on `not_event`, and a read-only connection cannot add it)."""
    (found,) = con.execute(  # fetchall: a result left open would block the caller's next query
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'not_event'"
    ).fetchall()[0]
    (has_events,) = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'events'").fetchall()[0]
    if found or not has_events:
        return con
    con.close()
    from events.store.database import Store  # the write side runs schema.sql, which adds them

    Store(path).close()
    return reopen()


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has the corrections table (one made before it existed has not, until written)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'corrections'").fetchall()[0][0])


# --------------------------------------------------------------------------- gold export

GOLD_FIELDS: tuple[str, ...] = (
    "doc_id", "evidence", "type", "mode", "actors", "targets", "date", "date_end", "date_precision", "date_text",
    "place", "country", "lat", "lon", "geo_precision", "place_basis", "status", "note",
)  # fmt: skip


def gold_records(con: duckdb.DuckDBPyConnection, corrected_only: bool = False) -> list[dict[str, Any]]:
    """The events (corrections applied, "not an event" left out) as gold records (EVENTS.md section 6).

    The evidence is the whole sentence, which `events evaluate` matches in
    the same article; the note says who corrected what. With
    `corrected_only`, only events an analyst corrected: a reviewed set.
    """
    only = "AND corrected IS NOT NULL" if corrected_only else ""
    rows = con.execute(
        f"""SELECT doc_id, sentence, type, mode, actors, targets, date, date_end, date_precision, date_text,
                   place, country, lat, lon, geo_precision, place_basis, status, corrected
            FROM events WHERE NOT coalesce(not_event, FALSE) {only}
            ORDER BY doc_id, char_start, event_id"""
    ).fetchall()
    records = []
    for *values, corrected in rows:
        note = f"corrected: {', '.join(corrected)}" if corrected else None
        records.append(dict(zip(GOLD_FIELDS, (*values, note))))
    return records


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _first_day(value: str | None) -> date | None:
    """First calendar day of an ISO date at any precision (the `day` column the timeline bins)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None
