"""DuckDB read side: a `Filters` value -> SQL with bound parameters -> DataFrames.

Shared by the dashboard, its tests and its benchmark, so that what the map,
the timeline, the table, the counts and every export show is decided in one
place and cannot drift apart: all of them call `where_clause()` with the same
`Filters`.

Why the design is what it is:

- Connections are opened read-only, used and closed (`read_connection`). With
  DuckDB 2.0 a process that merely holds a read-only connection makes another
  process's writer fail with "Could not set lock on file", so a reader that
  kept its connection open would block `events extract` run from a terminal.
- Values only ever reach SQL as bound parameters. The clause *text* is
  composed from a fixed whitelist of fragments, never from user input.
- The map never receives sentences in bulk: `map_points` sends ids,
  coordinates, small codes and a short tooltip snippet, and above a threshold
  `hex_bins` aggregates on the server into hexagons (binned in Web Mercator
  so they look regular on the map), which keeps the browser payload bounded
  whatever the number of events.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from events.models import RECORD_FIELDS  # EVENTS.md section 3 order: the exports write exactly these
from events.parquet_store import MANIFEST, dataset_connection
from events.store import connect

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
STATUSES: tuple[str, ...] = ("occurred", "scheduled")
COARSE_DATE_PRECISIONS: tuple[str, ...] = ("month", "year")

LIST_FIELDS: frozenset[str] = frozenset({"actors", "targets", "actor_countries", "actor_sectors"})

# Columns a facet may count over. The name is interpolated into SQL, so it must
# come from this whitelist and nothing else.
FACET_COLUMNS: frozenset[str] = frozenset({"type", "mode", "status", "country", "admin1", "geo_precision"})

LOCK_WAIT_SECONDS = 2.0
MERCATOR_MAX_LAT = 85.0


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty tuples mean "no restriction".

    `date_from`/`date_to` compare against `day`, the first day of the event's
    date, so a month-precision event of 2022-07 falls on 2022-07-01. A date
    range therefore excludes undated events: they cannot be placed in time.
    `undated=False` hides undated events even without a range; `coarse_dates`
    False hides month- and year-precision events.
    """

    types: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # matched against actors and targets
    countries: tuple[str, ...] = ()  # ISO alpha-2 of the event place
    admin1: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    coarse_dates: bool = True
    undated: bool = True
    min_confidence: float = 0.0
    text: str = ""

    def with_dates(self, start: date | None, end: date | None) -> Filters:
        """Narrow (never widen) the date range, e.g. by a timeline brush or playback window."""
        lo = max((d for d in (self.date_from, start) if d is not None), default=None)
        hi = min((d for d in (self.date_to, end) if d is not None), default=None)
        return replace(self, date_from=lo, date_to=hi)


@dataclass(frozen=True)
class Counts:
    """The honest summary line: matches, and how many of them each view cannot show."""

    matching: int
    without_place: int  # not on the map
    without_date: int  # not on the timeline

    @property
    def on_map(self) -> int:
        return self.matching - self.without_place

    @property
    def on_timeline(self) -> int:
        return self.matching - self.without_date


@dataclass(frozen=True)
class Catalog:
    """What the database holds, independent of filters: facet options and extents."""

    total: int
    first_day: date | None
    last_day: date | None
    facets: dict[str, pd.DataFrame] = field(default_factory=dict)  # column -> (value, n)
    actors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"value": [], "n": []}))
    bounds: tuple[float, float, float, float] | None = None  # lon_min, lat_min, lon_max, lat_max


# --------------------------------------------------------------------------- connection


@contextmanager
def read_connection(db: Path | str, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open `db` read-only for the duration of a `with` block, then close it.

    A writer (`events extract`) holds an exclusive lock while it writes; we wait
    for it briefly (the same retry as the writer's, in `events.store.connect`)
    instead of failing, and we never hold our own connection longer than one
    block, so that writer can always get in between.

    A folder (or an fsspec URL) is a Parquet dataset (`events.parquet_store`):
    an in-memory DuckDB with views `events` and `articles` over its files, so
    every query here runs on either store unchanged.
    """
    path = Path(db)
    if "://" in str(db):
        con = dataset_connection(str(db))
    elif not path.exists():
        raise FileNotFoundError(f"No event database at {path}. Run `events extract` first, or pass --db.")
    elif path.is_dir():
        con = dataset_connection(str(path))
    else:
        con = connect(path, read_only=True, retry_seconds=wait_seconds)
    try:
        yield con
    finally:
        con.close()


def db_stamp(db: Path | str) -> tuple[int, int, int, int]:
    """A value that changes whenever the database (or its write-ahead log) changes.

    Used as a cache key so that events written by another process appear on
    the next rerun without holding a connection open to watch for them.
    """
    stamp: list[int] = []
    # A dataset folder changes when a batch commits (articles/) or a run ends (its manifest).
    watched = (Path(db) / MANIFEST, Path(db) / "articles") if Path(db).is_dir() else (Path(db), Path(f"{db}.wal"))
    for path in watched:
        try:
            st = path.stat()
            stamp += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            stamp += [0, 0]
    return (stamp[0], stamp[1], stamp[2], stamp[3])


# --------------------------------------------------------------------------- filters -> SQL


def where_clause(filters: Filters) -> tuple[str, dict[str, Any]]:
    """Translate filters into a WHERE body and named parameters.

    Every fragment below is fixed text; only parameter values vary.
    """
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.types:
        clauses.append("list_contains($types, type)")
        params["types"] = list(filters.types)
    if filters.modes:
        clauses.append("list_contains($modes, mode)")
        params["modes"] = list(filters.modes)
    if filters.actors:
        # One list_contains per name: DuckDB runs it several times faster than
        # list_has_any over a million lists (22 ms against 140 ms, measured).
        ors = []
        for i, actor in enumerate(filters.actors):
            ors.append(f"list_contains(actors, $actor{i}) OR list_contains(targets, $actor{i})")
            params[f"actor{i}"] = actor
        clauses.append("(" + " OR ".join(ors) + ")")
    if filters.countries:
        clauses.append("list_contains($countries, country)")
        params["countries"] = list(filters.countries)
    if filters.admin1:
        clauses.append("list_contains($admin1, admin1)")
        params["admin1"] = list(filters.admin1)
    if filters.statuses:
        clauses.append("list_contains($statuses, status)")
        params["statuses"] = list(filters.statuses)
    if filters.date_from is not None:
        clauses.append("day >= $date_from")
        params["date_from"] = filters.date_from
    if filters.date_to is not None:
        clauses.append("day <= $date_to")
        params["date_to"] = filters.date_to
    if not filters.coarse_dates:
        clauses.append("NOT list_contains($coarse, date_precision)")
        params["coarse"] = list(COARSE_DATE_PRECISIONS)
    if not filters.undated:
        clauses.append("day IS NOT NULL")
    if filters.min_confidence > 0:
        clauses.append("confidence >= $min_confidence")
        params["min_confidence"] = float(filters.min_confidence)
    if filters.text.strip():
        # contains() takes the needle literally: no LIKE wildcards to escape.
        clauses.append("contains(lower(sentence), $text)")
        params["text"] = filters.text.strip().lower()
    return (" AND ".join(clauses) or "TRUE"), params


# --------------------------------------------------------------------------- catalog


def catalog(con: duckdb.DuckDBPyConnection) -> Catalog:
    """Facet options with counts, date extent and map extent of the whole database."""
    total, first_day, last_day = con.execute("SELECT count(*), min(day), max(day) FROM events").fetchone()
    facets = {column: facet_counts(con, column) for column in sorted(FACET_COLUMNS)}
    bounds_row = con.execute(
        "SELECT min(lon), min(lat), max(lon), max(lat) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL"
    ).fetchone()
    bounds = None if bounds_row[0] is None else tuple(float(v) for v in bounds_row)
    return Catalog(
        total=int(total),
        first_day=first_day,
        last_day=last_day,
        facets=facets,
        actors=actor_counts(con),
        bounds=bounds,  # type: ignore[arg-type]
    )


def facet_counts(con: duckdb.DuckDBPyConnection, column: str, filters: Filters | None = None) -> pd.DataFrame:
    """Distinct non-null values of a whitelisted column with their event counts, most frequent first."""
    if column not in FACET_COLUMNS:
        raise ValueError(f"Cannot count over column {column!r}; allowed: {sorted(FACET_COLUMNS)}")
    where, params = where_clause(filters or Filters())
    sql = (
        f"SELECT {column} AS value, count(*) AS n FROM events "
        f"WHERE {column} IS NOT NULL AND {where} GROUP BY 1 ORDER BY n DESC, value"
    )
    return con.execute(sql, params).df()


def actor_counts(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Canonical names appearing as actor or target, with the number of events involving each."""
    where, params = where_clause(filters or Filters())
    sql = f"""
        SELECT value, count(*) AS n FROM (
            SELECT unnest(list_distinct(list_concat(actors, targets))) AS value
            FROM events WHERE {where}
        ) GROUP BY 1 ORDER BY n DESC, value
    """
    return con.execute(sql, params).df()


# --------------------------------------------------------------------------- counts


def count_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> Counts:
    """How many events match, and how many of those have no place / no date."""
    where, params = where_clause(filters)
    row = con.execute(
        f"""SELECT count(*),
                   count(*) FILTER (WHERE lat IS NULL OR lon IS NULL),
                   count(*) FILTER (WHERE day IS NULL)
            FROM events WHERE {where}""",
        params,
    ).fetchone()
    return Counts(int(row[0]), int(row[1]), int(row[2]))


# --------------------------------------------------------------------------- timeline


def choose_bin(first: date, last: date) -> str:
    """Day bins up to ~3 months, week bins up to ~2 years, month bins beyond.

    Keeps the histogram between a handful and roughly a hundred bars, which is
    what a reader can scan and what a brush can select precisely.
    """
    span = (last - first).days
    if span <= 92:
        return "day"
    if span <= 2 * 366:
        return "week"
    return "month"


def timeline(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    bin_unit: str | None = None,
    span: tuple[date, date] | None = None,
) -> tuple[str, pd.DataFrame]:
    """Events per time bin and type, for a stacked histogram: (bin unit, frame of bin_start, bin_end, type, n).

    The bin is `bin_unit` if given, else chosen from `span` (the period the
    chart shows), else from the matching events' own extent. Undated events
    are not counted here (they are reported by `count_summary`).
    """
    where, params = where_clause(filters)
    if bin_unit is None:
        if span is None:
            span = con.execute(f"SELECT min(day), max(day) FROM events WHERE {where}", params).fetchone()
        bin_unit = choose_bin(span[0], span[1]) if span[0] is not None else "day"
    if bin_unit not in ("day", "week", "month"):
        raise ValueError(f"bin must be day, week or month, not {bin_unit!r}")
    frame = con.execute(
        f"""SELECT date_trunc('{bin_unit}', day)::DATE AS bin_start, type, count(*) AS n
            FROM events WHERE day IS NOT NULL AND {where}
            GROUP BY 1, 2 ORDER BY 1, 2""",
        params,
    ).df()
    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}[bin_unit]
    frame["bin_start"] = pd.to_datetime(frame["bin_start"])
    frame["bin_end"] = frame["bin_start"] + step
    return bin_unit, frame[["bin_start", "bin_end", "type", "n"]]


# --------------------------------------------------------------------------- map


def map_points(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int) -> pd.DataFrame:
    """One row per placed event: id, coordinates, small codes and a short tooltip text.

    `coarse` is True for country- or admin1-precision places (centroids), which
    the map draws differently. `snippet` is the start of the sentence, cut to
    80 characters; the full sentence is fetched only for the picked event.
    """
    where, params = where_clause(filters)
    params["limit"] = int(limit)
    return con.execute(
        f"""SELECT event_id, round(lon, 5) AS lon, round(lat, 5) AS lat, type,
                   geo_precision <> 'point' AS coarse,
                   coalesce(date, '') AS date, coalesce(place, '') AS place,
                   array_to_string(actors[1:3], ', ') AS actors,
                   CASE WHEN length(sentence) > 80 THEN left(sentence, 79) || '…' ELSE sentence END AS snippet
            FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where}
            ORDER BY day NULLS LAST, event_id LIMIT $limit""",
        params,
    ).df()


def mercator_y(lat: float) -> float:
    """Web Mercator northing in radians for a latitude in degrees (clamped to ±85°)."""
    lat = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def hex_radius(bounds: tuple[float, float, float, float] | None, across: int = 40) -> float:
    """Hexagon circumradius (Mercator radians) giving about `across` cells over the data's extent."""
    if bounds is None:
        return math.radians(5.0)
    lon_min, lat_min, lon_max, lat_max = bounds
    width = math.radians(lon_max - lon_min)
    height = mercator_y(lat_max) - mercator_y(lat_min)
    extent = max(width, height, math.radians(0.5))
    return extent / (across * math.sqrt(3))


def hex_bins(con: duckdb.DuckDBPyConnection, filters: Filters, radius: float) -> pd.DataFrame:
    """Aggregate placed events into pointy-top hexagons of circumradius `radius` (Mercator radians).

    Hexagon centres form two offset rectangular lattices; each point goes to the
    nearer of its two candidate centres, which is exactly the hexagon holding
    it. Returns one row per non-empty cell: centre lon/lat, count, dominant
    type, share of coarse-precision events, and the polygon (lon/lat ring).
    """
    where, params = where_clause(filters)
    params.update(w=math.sqrt(3) * radius, h=3 * radius, maxlat=MERCATOR_MAX_LAT)
    frame = con.execute(
        f"""WITH p AS (
                SELECT type, (geo_precision <> 'point')::INTEGER AS coarse, radians(lon) AS x,
                       ln(tan(pi() / 4 + radians(greatest(least(lat, $maxlat), -$maxlat)) / 2)) AS y
                FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where}
            ), c AS (
                SELECT type, coarse, x, y,
                       round(x / $w) * $w AS ax, round(y / $h) * $h AS ay,
                       (floor(x / $w) + 0.5) * $w AS bx, (floor(y / $h) + 0.5) * $h AS b_y
                FROM p
            ), k AS (
                SELECT type, coarse, ax, ay, bx, b_y,
                       (x - ax) * (x - ax) + (y - ay) * (y - ay)
                           <= (x - bx) * (x - bx) + (y - b_y) * (y - b_y) AS use_a
                FROM c
            )
            SELECT CASE WHEN use_a THEN ax ELSE bx END AS cx, CASE WHEN use_a THEN ay ELSE b_y END AS cy,
                   type, count(*) AS n, sum(coarse) AS coarse
            FROM k GROUP BY 1, 2, 3""",
        params,
    ).df()
    # Per cell: total, dominant type, coarse share. Grouping by type in SQL and
    # reducing here is faster than DuckDB's mode() (about 30 ms less at 1M).
    frame = frame.sort_values(["n", "type"], ascending=[False, True], kind="stable")
    grouped = frame.groupby(["cx", "cy"], sort=False)
    frame = grouped.agg(n=("n", "sum"), coarse=("coarse", "sum"), type=("type", "first")).reset_index()
    frame["coarse_share"] = frame["coarse"] / frame["n"]
    frame = frame.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)
    angles = [math.radians(30 + 60 * k) for k in range(7)]

    def ring(cx: float, cy: float) -> list[list[float]]:
        return [
            [round(math.degrees(cx + radius * math.cos(a)), 4),
             round(math.degrees(math.atan(math.sinh(cy + radius * math.sin(a)))), 4)]
            for a in angles
        ]  # fmt: skip

    frame["polygon"] = [ring(cx, cy) for cx, cy in zip(frame["cx"], frame["cy"])]
    frame["lon"] = [round(math.degrees(cx), 4) for cx in frame["cx"]]
    frame["lat"] = [round(math.degrees(math.atan(math.sinh(cy))), 4) for cy in frame["cy"]]
    return frame[["lon", "lat", "n", "type", "coarse_share", "polygon"]]


def actor_arcs(
    con: duckdb.DuckDBPyConnection, filters: Filters, centroids: dict[str, tuple[float, float]], limit: int = 300
) -> pd.DataFrame:
    """Arcs from each actor's country (its centroid) to the event place, aggregated with counts.

    Destinations are rounded to 0.1° so nearby places share an arc, and only the
    `limit` heaviest arcs are kept: more would be unreadable. Arcs whose actor
    country is the place's own country are left out: they would be points.
    """
    where, params = where_clause(filters)
    params["limit"] = int(limit)
    frame = con.execute(
        f"""SELECT src, round(lon, 1) AS dst_lon, round(lat, 1) AS dst_lat, count(*) AS n FROM (
                SELECT unnest(actor_countries) AS src, lon, lat, country
                FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where}
            ) WHERE src IS DISTINCT FROM country
            GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT $limit""",
        params,
    ).df()
    frame = frame[frame["src"].isin(centroids.keys())].copy()
    frame["src_lon"] = [centroids[c][0] for c in frame["src"]]
    frame["src_lat"] = [centroids[c][1] for c in frame["src"]]
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- table and details

TABLE_COLUMNS: tuple[str, ...] = (
    "event_id", "date", "type", "mode", "actors", "targets", "place", "country", "admin1",
    "geo_precision", "status", "confidence", "sentence", "doc_title",
)  # fmt: skip


def table(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 5000) -> pd.DataFrame:
    """The filtered events for the table view, newest first, at most `limit` rows.

    Sorted on (day, event_id) only: each extra sort key cost ~30 ms at 1M rows.
    """
    where, params = where_clause(filters)
    params["limit"] = int(limit)
    return con.execute(
        f"""SELECT {", ".join(TABLE_COLUMNS)} FROM events WHERE {where}
            ORDER BY day DESC NULLS LAST, event_id LIMIT $limit""",
        params,
    ).df()


@dataclass(frozen=True)
class EventDetail:
    """One event with its article and the other reports of the same real-world event."""

    record: dict[str, Any]
    article: dict[str, Any]
    cluster: pd.DataFrame  # other events with the same cluster_id (event_id, date, type, doc_title, sentence)


def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> EventDetail:
    """Everything the details panel shows; raises LookupError for an unknown id."""
    cursor = con.execute(f"SELECT {', '.join(RECORD_FIELDS)} FROM events WHERE event_id = $id", {"id": event_id})
    row = cursor.fetchone()
    if row is None:
        raise LookupError(f"No event with id {event_id!r}")
    record = dict(zip(RECORD_FIELDS, row))
    article_row = con.execute(
        "SELECT title, url, published, source FROM articles WHERE doc_id = $doc", {"doc": record["doc_id"]}
    ).fetchone()
    article = dict(zip(("title", "url", "published", "source"), article_row or (None, None, None, None)))
    if record["cluster_id"] is None:
        cluster = pd.DataFrame(columns=["event_id", "date", "type", "doc_title", "sentence"])
    else:
        cluster = con.execute(
            """SELECT event_id, date, type, doc_title, sentence FROM events
               WHERE cluster_id = $cluster AND event_id <> $id ORDER BY day NULLS LAST, event_id""",
            {"cluster": record["cluster_id"], "id": event_id},
        ).df()
    return EventDetail(record=record, article=article, cluster=cluster)


# --------------------------------------------------------------------------- exports


def _records(con: duckdb.DuckDBPyConnection, filters: Filters) -> Iterator[dict[str, Any]]:
    """All filtered records in EVENTS.md field order, streamed in batches (no full DataFrame)."""
    where, params = where_clause(filters)
    cursor = con.execute(
        f"SELECT {', '.join(RECORD_FIELDS)} FROM events WHERE {where} ORDER BY day NULLS LAST, event_id", params
    )
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            yield dict(zip(RECORD_FIELDS, row))


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"Cannot export {type(value).__name__}")


def export_jsonl(con: duckdb.DuckDBPyConnection, filters: Filters) -> bytes:
    """The selection as JSON Lines, one EVENTS.md record per line."""
    out = io.StringIO()
    for record in _records(con, filters):
        out.write(json.dumps(record, ensure_ascii=False, default=_json_default))
        out.write("\n")
    return out.getvalue().encode("utf-8")


def export_csv(con: duckdb.DuckDBPyConnection, filters: Filters) -> bytes:
    """The selection as CSV; list fields are joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RECORD_FIELDS)
    for record in _records(con, filters):
        writer.writerow(
            ["; ".join("" if x is None else x for x in v) if k in LIST_FIELDS else ("" if v is None else v) for k, v in record.items()]
        )
    return out.getvalue().encode("utf-8")


def export_geojson(con: duckdb.DuckDBPyConnection, filters: Filters) -> bytes:
    """The selection as a GeoJSON FeatureCollection.

    Every selected event is a feature, so the file holds exactly the selection;
    events without a place have `"geometry": null`, which GeoJSON allows.
    """
    features = []
    for record in _records(con, filters):
        lon, lat = record["lon"], record["lat"]
        geometry = None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "id": record["event_id"], "geometry": geometry, "properties": record})
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, default=_json_default)
    return text.encode("utf-8")


EXPORTERS = {"csv": export_csv, "geojson": export_geojson, "jsonl": export_jsonl}
