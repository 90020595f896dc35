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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import duckdb
import numpy as np
import pandas as pd

from events.models import RECORD_FIELDS  # EVENTS.md section 3 order: the exports write exactly these
from events.store.corrections import read_ready  # adds the corrections columns to an older database
from events.store.database import connect
from events.store.parquet import MANIFEST, dataset_connection

if TYPE_CHECKING:  # the summary module imports this one; here it is only a type
    from events.store.summary import Summary

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
STATUSES: tuple[str, ...] = ("occurred", "scheduled")
COARSE_DATE_PRECISIONS: tuple[str, ...] = ("month", "year")
PLACE_CHOICES: tuple[str, ...] = ("any", "placed", "none")
# "report": no date of its own, placed in time by its article's publication date;
# "none": neither; "undated": either of those two.
DATING_CHOICES: tuple[str, ...] = ("any", "dated", "report", "none", "undated")
BIN_UNITS: tuple[str, ...] = ("day", "week", "month", "year")
PRECISION_RANK: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}
STATE_SECTORS: tuple[str, ...] = ("government", "military", "police", "judiciary", "legislature")
STATE_PREFIX = "state:"  # an actor filter value "state:RU" means every state actor of Russia

# The article's publication date read as a calendar day (first day of its
# period) and its precision; `published` is ISO at day, month or year precision.
REPORT_DAY_SQL = """(CASE WHEN length(published) >= 10 THEN TRY_CAST(left(published, 10) AS DATE)
    WHEN length(published) = 7 THEN TRY_CAST(published || '-01' AS DATE)
    WHEN length(published) = 4 THEN TRY_CAST(published || '-01-01' AS DATE) END)"""
REPORT_PRECISION_SQL = """(CASE WHEN length(published) >= 10 THEN 'day'
    WHEN length(published) = 7 THEN 'month' WHEN length(published) = 4 THEN 'year' END)"""
REPORTED_DOCS_SQL = f"(SELECT doc_id FROM articles WHERE {REPORT_DAY_SQL} IS NOT NULL)"

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
    date, so a month-precision event of 2022-07 falls on 2022-07-01. An event
    without a date of its own is placed in time by its article's publication
    date when `report_dates` is True (the timeline draws it there, apart), so
    a date range keeps it when its article falls in the range; with
    `report_dates` False a range excludes every undated event. `dating` and
    `place` pick events by how they are dated and whether they are placed
    (DATING_CHOICES, PLACE_CHOICES); `coarse_dates` False hides month- and
    year-precision events. An actor value "state:RU" stands for every event
    one of whose actors is a Russian state body (STATE_SECTORS).
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
    dating: str = "any"
    place: str = "any"
    report_dates: bool = True
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
    without_date: int  # not on the timeline: no date, and not placed by its report's date
    by_report: int = 0  # on the timeline at their article's publication date, drawn apart

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
    states: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"value": [], "n": []}))  # state roll-ups
    # `timeline_groups(con, Filters())`: the unfiltered timeline and counts in any bins, without a scan
    groups: pd.DataFrame | None = None


# --------------------------------------------------------------------------- connection


@contextmanager
def read_connection(db: Path | str, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open `db` read-only for the duration of a `with` block, then close it.

    A writer (`events extract`) holds an exclusive lock while it writes; we wait
    for it briefly (the same retry as the writer's, in `events.store.database.connect`)
    instead of failing, and we never hold our own connection longer than one
    block, so that writer can always get in between.

    A folder (or an fsspec URL) is a Parquet dataset (`events.store.parquet`):
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
        con = read_ready(con, path, lambda: connect(path, read_only=True, retry_seconds=wait_seconds))
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
    parts, params = where_parts(filters)
    return (" AND ".join(clause for _, clause in parts) or "TRUE"), params


def where_parts(filters: Filters) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The WHERE body as (Filters field, clause) pairs, and the named parameters.

    The field names let `live_facets` leave out one facet's own clause while
    evaluating every clause once; clauses of fields no facet counts over
    carry the field "".
    """
    parts: list[tuple[str, str]] = [("", "NOT coalesce(not_event, FALSE)")]  # an analyst judged it no event
    params: dict[str, Any] = {}
    for field, column in (("types", "type"), ("modes", "mode")):
        if getattr(filters, field):
            parts.append((field, f"list_contains(${field}, {column})"))
            params[field] = list(getattr(filters, field))
    if filters.actors:
        # One list_contains per name: DuckDB runs it several times faster than
        # list_has_any over a million lists (22 ms against 140 ms, measured).
        ors = []
        for i, actor in enumerate(filters.actors):
            if actor.startswith(STATE_PREFIX):
                ors.append(f"(list_contains(actor_countries, $actor{i}) AND list_has_any(actor_sectors, $state_sectors))")
                params[f"actor{i}"] = actor[len(STATE_PREFIX):]
                params["state_sectors"] = list(STATE_SECTORS)
            else:
                ors.append(f"list_contains(actors, $actor{i}) OR list_contains(targets, $actor{i})")
                params[f"actor{i}"] = actor
        parts.append(("actors", "(" + " OR ".join(ors) + ")"))
    for field, column in (("countries", "country"), ("admin1", "admin1"), ("statuses", "status")):
        if getattr(filters, field):
            parts.append((field, f"list_contains(${field}, {column})"))
            params[field] = list(getattr(filters, field))
    parts += [("", clause) for clause in _date_clauses(filters, params)]
    if not filters.coarse_dates:
        parts.append(("", "NOT list_contains($coarse, date_precision)"))
        params["coarse"] = list(COARSE_DATE_PRECISIONS)
    if filters.place not in PLACE_CHOICES:
        raise ValueError(f"place must be one of {PLACE_CHOICES}, not {filters.place!r}")
    if filters.place == "placed":
        parts.append(("", "lat IS NOT NULL AND lon IS NOT NULL"))
    elif filters.place == "none":
        parts.append(("", "(lat IS NULL OR lon IS NULL)"))
    if filters.min_confidence > 0:
        parts.append(("", "confidence >= $min_confidence"))
        params["min_confidence"] = float(filters.min_confidence)
    if filters.text.strip():
        # contains() takes the needle literally: no LIKE wildcards to escape.
        parts.append(("", "contains(lower(sentence), $text)"))
        params["text"] = filters.text.strip().lower()
    return parts, params


def _date_clauses(filters: Filters, params: dict[str, Any]) -> list[str]:
    """The date range and the dating choice as fixed SQL fragments (values bound in `params`).

    An undated event is in a date range when its article's publication day is
    (and `report_dates` is on): the timeline draws it there, so a brush over
    it must keep it. The article side is a semi-join on the small articles
    table, so the big table is scanned once.
    """
    if filters.dating not in DATING_CHOICES:
        raise ValueError(f"dating must be one of {DATING_CHOICES}, not {filters.dating!r}")
    clauses: list[str] = []
    bounds: list[str] = []
    if filters.date_from is not None:
        bounds.append(">= $date_from")
        params["date_from"] = filters.date_from
    if filters.date_to is not None:
        bounds.append("<= $date_to")
        params["date_to"] = filters.date_to
    if bounds:
        dated = " AND ".join(f"day {b}" for b in bounds)
        if filters.report_dates:
            reported = " AND ".join(f"{REPORT_DAY_SQL} {b}" for b in bounds)
            clauses.append(f"(({dated}) OR (day IS NULL AND doc_id IN (SELECT doc_id FROM articles WHERE {reported})))")
        else:
            clauses.append(dated)
    if filters.dating == "dated":
        clauses.append("day IS NOT NULL")
    elif filters.dating == "report":
        clauses.append(f"day IS NULL AND doc_id IN {REPORTED_DOCS_SQL}")
    elif filters.dating == "none":
        clauses.append(f"day IS NULL AND doc_id NOT IN {REPORTED_DOCS_SQL}")
    elif filters.dating == "undated":
        clauses.append("day IS NULL")
    return clauses


# --------------------------------------------------------------------------- catalog


def catalog(con: duckdb.DuckDBPyConnection, summary: Summary | None = None) -> Catalog:
    """Facet options with counts, date extent and map extent of the whole database.

    With a `summary` of the same data, the facet, actor and state counts and the unfiltered
    timeline groups come from it (bincounts instead of four scans; at 10M events in a Parquet
    dataset the catalog cost about 10 s); the extents and the total still come from SQL, which
    reads only the day and coordinate columns.
    """
    total, first_day, last_day = con.execute("SELECT count(*), min(day), max(day) FROM events").fetchone()
    # The time extent also covers the report days of undated events, which the timeline draws.
    report_first, report_last = con.execute(
        f"""SELECT min({REPORT_DAY_SQL}), max({REPORT_DAY_SQL}) FROM articles
            WHERE doc_id IN (SELECT DISTINCT doc_id FROM events WHERE day IS NULL)"""
    ).fetchone()
    first_day = min((d for d in (first_day, report_first) if d is not None), default=None)
    last_day = max((d for d in (last_day, report_last) if d is not None), default=None)
    if summary is not None:
        facets, actors, states = summary.catalog_counts()
        groups = summary.timeline_groups(Filters())
    else:
        facets = {column: facet_counts(con, column) for column in sorted(FACET_COLUMNS)}
        actors, states, groups = actor_counts(con), state_actor_counts(con), timeline_groups(con, Filters())
    bounds_row = con.execute(
        "SELECT min(lon), min(lat), max(lon), max(lat) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL"
    ).fetchone()
    bounds = None if bounds_row[0] is None else tuple(float(v) for v in bounds_row)
    return Catalog(
        total=int(total),
        first_day=first_day,
        last_day=last_day,
        facets=facets,
        actors=actors,
        bounds=bounds,  # type: ignore[arg-type]
        states=states,
        groups=groups,
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


def actor_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Canonical names appearing as actor or target, with the number of events involving each (the `limit` most)."""
    where, params = where_clause(filters or Filters())
    sql = f"""
        SELECT value, count(*) AS n FROM (
            SELECT unnest(list_distinct(list_concat(actors, targets))) AS value
            FROM events WHERE {where}
        ) GROUP BY 1 ORDER BY n DESC, value
    """
    if limit is not None:
        sql += " LIMIT $limit"
        params["limit"] = int(limit)
    return con.execute(sql, params).df()


# Facet -> the Filters field it sets: a facet's counts leave out its own field.
FACET_FIELDS: dict[str, str] = {
    "type": "types", "mode": "modes", "status": "statuses", "country": "countries", "admin1": "admin1",
    "actor": "actors", "state": "actors",
}  # fmt: skip
SMALL_FACETS: tuple[str, ...] = ("type", "mode", "status", "country", "admin1")
LIVE_ACTOR_MAX_ROWS = 100_000  # above this many events the actor box keeps the whole database's counts


def _small_facets(
    con: duckdb.DuckDBPyConnection, filters: Filters, facets: list[str], actor_rows: bool = True
) -> dict[str, pd.DataFrame]:
    """Several facets in one scan, each counted under every active filter but its own.

    Clauses that no requested count leaves out go in the WHERE (and prune the
    scan); each remaining field's clause is evaluated once per row as a flag,
    a row is grouped only if at most one flag fails, and GROUPING SETS counts
    every facet where all flags but its own hold. With `actor_rows`, the grand
    total counts the events under every filter but the actor's.
    """
    parts, params = where_parts(filters)
    left_out = {FACET_FIELDS[facet] for facet in facets} | ({"actors"} if actor_rows else set())
    common = " AND ".join(clause for field, clause in parts if field not in left_out) or "TRUE"
    flagged = [(field, clause) for field, clause in parts if field in left_out]
    flags = "".join(f", ({clause}) AS f{i}" for i, (_, clause) in enumerate(flagged))

    def ok(own: str) -> str:
        others = [f"f{i}" for i, (field, _) in enumerate(flagged) if field != own]
        return " AND ".join(others) or "TRUE"

    counted = ", ".join(f"count(*) FILTER (WHERE {ok(FACET_FIELDS[facet])}) AS n_{facet}" for facet in facets)
    counted += f", count(*) FILTER (WHERE {ok('actors')}) AS n_actor_rows"  # read off the grand total row
    sets = ", ".join(f"({facet})" for facet in facets) + ", ()"
    enough = " + ".join(f"f{i}::INTEGER" for i in range(len(flagged))) + f" >= {len(flagged) - 1}" if flagged else "TRUE"
    frame = con.execute(
        f"""SELECT {", ".join(facets)}, GROUPING({", ".join(facets)}) AS grouped, {counted} FROM (
                SELECT {", ".join(facets)}{flags} FROM events WHERE {common}
            ) WHERE {enough} GROUP BY GROUPING SETS ({sets})""",
        params,
    ).df()
    out = {}
    total = frame[frame["grouped"] == 2 ** len(facets) - 1]  # the () set: every column grouped away
    out["actor_rows"] = pd.DataFrame({"value": ["rows"], "n": [int(total["n_actor_rows"].iloc[0]) if len(total) else 0]})
    for facet in facets:
        others = [f for f in facets if f != facet]
        rows = frame[frame[facet].notna() & frame[others].isna().all(axis=1) & (frame[f"n_{facet}"] > 0)]
        part = pd.DataFrame({"value": rows[facet], "n": rows[f"n_{facet}"].astype("int64")})
        out[facet] = part.sort_values(["n", "value"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out


def _actor_and_state_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`actor_counts` and `state_actor_counts` in one scan: each event's names and its "state:CC" roll-ups."""
    where, params = where_clause(filters)
    params.update(state_sectors=list(STATE_SECTORS), prefix=STATE_PREFIX)
    frame = con.execute(
        f"""SELECT value, count(*) AS n FROM (
                SELECT unnest(list_distinct(list_concat(
                    actors, targets,
                    CASE WHEN list_has_any(actor_sectors, $state_sectors)
                         THEN list_transform(list_filter(actor_countries, lambda c: c IS NOT NULL),
                                             lambda c: $prefix || c)
                         ELSE []::VARCHAR[] END
                ))) AS value FROM events WHERE {where}
            ) WHERE value IS NOT NULL GROUP BY 1 ORDER BY n DESC, value""",
        params,
    ).df()
    is_state = frame["value"].str.startswith(STATE_PREFIX)
    return frame[~is_state].head(limit).reset_index(drop=True), frame[is_state].reset_index(drop=True)


def live_facets(
    con: duckdb.DuckDBPyConnection, filters: Filters, catalog_facets: dict[str, pd.DataFrame] | None = None,
    actor_limit: int = 5000, summary: Summary | None = None,
) -> dict[str, pd.DataFrame]:
    """Each facet's values and counts under every *other* active filter (facet -> frame of value, n).

    So choosing a country shows how many events of each type it holds, and
    the region list holds only that country's regions; a facet ignores its
    own field, so its other values stay on offer with their counts. A facet
    whose other filters are all inactive is the whole database's count, taken
    from `catalog_facets` (keys as here) without a query. Counting actors
    means unnesting every matching event's names, so above
    LIVE_ACTOR_MAX_ROWS matching events the actor and state facets keep the
    whole database's counts (the key "actor_live" says which was used).
    With a `summary` that supports the filters, the counts come from it
    (`Summary.live_facets`: the actor box is then live at any size).
    """
    catalog_facets = catalog_facets or {}
    if summary is not None and summary.supports(filters):
        return summary.live_facets(filters, catalog_facets, actor_limit)
    out: dict[str, pd.DataFrame] = {}
    wanted = []
    for facet in SMALL_FACETS:
        others = replace(filters, **{FACET_FIELDS[facet]: ()})
        if others == Filters() and facet in catalog_facets:
            out[facet] = catalog_facets[facet]
        else:
            wanted.append(facet)
    others = replace(filters, actors=())
    live = others != Filters() or "actor" not in catalog_facets
    if wanted or (live and catalog_facets):
        check = bool(live and catalog_facets)  # the actor box's size check rides on this scan
        small = _small_facets(con, filters, wanted or ["status"], actor_rows=check)
        actor_rows = int(small.pop("actor_rows")["n"].iloc[0])
        out.update({facet: small[facet] for facet in wanted})
        if catalog_facets:
            live = live and actor_rows <= LIVE_ACTOR_MAX_ROWS
    if live:
        out["actor"], out["state"] = _actor_and_state_counts(con, others, actor_limit)
    else:
        out["actor"], out["state"] = catalog_facets["actor"], catalog_facets["state"]
    out["actor_live"] = pd.DataFrame({"value": [bool(live)], "n": [0]})
    return out


def state_actor_counts(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Countries whose state bodies act in events ("state:RU"), with their event counts, most frequent first.

    An event counts for a country when the country is among its
    `actor_countries` and one of its `actor_sectors` is a state sector
    (government, military, police, judiciary, legislature).
    """
    where, params = where_clause(filters or Filters())
    params["state_sectors"] = list(STATE_SECTORS)
    sql = f"""
        SELECT $prefix || value AS value, count(*) AS n FROM (
            SELECT unnest(list_distinct(actor_countries)) AS value FROM events
            WHERE list_has_any(actor_sectors, $state_sectors) AND {where}
        ) WHERE value IS NOT NULL GROUP BY 1 ORDER BY n DESC, value
    """
    params["prefix"] = STATE_PREFIX
    return con.execute(sql, params).df()


# --------------------------------------------------------------------------- counts


def count_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters, by_report: int | None = None, summary: Summary | None = None
) -> Counts:
    """How many events match, and how many of those have no place / are off the timeline / are dated by report.

    `by_report`, when the caller already knows it (the timeline's by-report
    rows for the same filters), saves the semi-join on the articles. With a
    `summary` that supports the filters, no query runs.
    """
    if summary is not None and summary.supports(filters):
        return _counts_from_groups(summary.timeline_groups(filters), filters.report_dates)
    where, params = where_clause(filters)
    reported = "0" if by_report is not None or not filters.report_dates else (
        f"count(*) FILTER (WHERE day IS NULL AND doc_id IN {REPORTED_DOCS_SQL})"
    )  # fmt: skip
    row = con.execute(
        f"""SELECT count(*),
                   count(*) FILTER (WHERE lat IS NULL OR lon IS NULL),
                   count(*) FILTER (WHERE day IS NULL),
                   {reported}
            FROM events WHERE {where}""",
        params,
    ).fetchone()
    matching, without_place, undated, counted = (int(v) for v in row)
    if not filters.report_dates:
        return Counts(matching, without_place, undated, 0)
    reported_n = counted if by_report is None else by_report
    return Counts(matching, without_place, undated - reported_n, reported_n)


# --------------------------------------------------------------------------- timeline


def choose_bin(first: date, last: date) -> str:
    """Day bins up to ~3 months, week bins up to ~2 years, month bins up to ~15 years, year bins beyond.

    Keeps the histogram between a handful and roughly two hundred bars, which
    is what a reader can scan and what a brush can select precisely.
    """
    span = (last - first).days
    if span <= 92:
        return "day"
    if span <= 2 * 366:
        return "week"
    if span <= 15 * 366:
        return "month"
    return "year"


def _rank_sql(column: str) -> str:
    return f"(CASE {column} WHEN 'year' THEN 3 WHEN 'month' THEN 2 WHEN 'week' THEN 1 ELSE 0 END)"


_BIN_STEPS = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "year": pd.DateOffset(years=1),
}


def timeline(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    bin_unit: str | None = None,
    span: tuple[date, date] | None = None,
) -> tuple[str, pd.DataFrame]:
    """Events per time bin and type: (bin unit, frame of bin_start, bin_end, type, n, lane, by_report).

    See `timeline_counts`, which also gives the counts line from the same scan.
    """
    bin_unit, frame, _ = timeline_counts(con, filters, bin_unit, span)
    return bin_unit, frame


def timeline_counts(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    bin_unit: str | None = None,
    span: tuple[date, date] | None = None,
    groups: pd.DataFrame | None = None,
    summary: Summary | None = None,
) -> tuple[str, pd.DataFrame, Counts]:
    """The timeline's rows (as `timeline`) and `count_summary(filters)`, from one scan of the events.

    Why: the counts line and the histogram read the same matching rows; the
    undated and unplaced ones ride along as their own groups (no bin), so a
    rerun without a brush scans the events once for both, not twice.
    `groups`, when the caller holds `timeline_groups(con, filters)` (the
    catalog keeps them for no filter), saves even that scan, and so does a
    `summary` (`events.store.summary`).

    The bin is `bin_unit` if given, else chosen from `span` (the period the
    chart shows), else from the matching events' own extent. Honest drawing:

    - an event whose date is coarser than the bin (a "2022" event in month
      bins) is never put on one bin: its row spans its whole period and has
      `lane` "period", so the chart draws it in a lane of its own;
    - an event without a date of its own is counted at its article's
      publication date with `by_report` True (when `filters.report_dates`),
      so the chart draws it apart; events with neither are not here (they
      are counted by `count_summary`).
    """
    if groups is None:
        groups = timeline_groups(con, filters, summary)
    if bin_unit is None:
        if span is None:
            dated = groups.loc[~groups["by_report"].astype(bool), "d"].dropna()
            span = (dated.min(), dated.max()) if len(dated) else (None, None)
        bin_unit = choose_bin(span[0], span[1]) if span[0] is not None else "day"
    if bin_unit not in BIN_UNITS:
        raise ValueError(f"bin must be one of {BIN_UNITS}, not {bin_unit!r}")
    counts = _counts_from_groups(groups, filters.report_dates)
    frame = _bin_groups(groups, bin_unit)
    frame["bin_start"] = pd.to_datetime(frame["bin_start"])
    frame["bin_end"] = frame["bin_start"]
    for unit, step in _BIN_STEPS.items():
        mask = frame["span"] == unit
        if mask.any():
            frame.loc[mask, "bin_end"] = frame.loc[mask, "bin_start"] + step
    frame["lane"] = (frame["span"] != bin_unit).map({True: "period", False: "bins"})
    frame["n"] = frame["n"].astype("int64")
    return bin_unit, frame[["bin_start", "bin_end", "type", "n", "lane", "by_report"]].reset_index(drop=True), counts


def timeline_groups(con: duckdb.DuckDBPyConnection, filters: Filters, summary: Summary | None = None) -> pd.DataFrame:
    """The matching events grouped by (day, date precision, type, by report, unplaced): frame d, p, type,
    by_report, unplaced, n. Every matching event is in one group of the own-date rows (by_report False;
    undated ones with d NULL); the by-report rows repeat the undated events their article dates, at
    its publication day and precision. `timeline_counts` bins these in any unit.

    Grouping on the stored day and precision and binning the groups after is about 40% cheaper at 1M
    rows than evaluating the bin's CASE on every row, and lets the catalog keep the unfiltered groups.
    With a `summary` that supports the filters, the groups come from it without a query.
    """
    if summary is not None and summary.supports(filters):
        return summary.timeline_groups(filters)
    where, params = where_clause(filters)
    parts = [
        f"""SELECT day AS d, date_precision AS p, type, false AS by_report,
                   (lat IS NULL OR lon IS NULL) AS unplaced, count(*) AS n
            FROM events WHERE {where} GROUP BY ALL"""
    ]
    if filters.report_dates and filters.dating != "dated":
        parts.append(
            # Joined before grouping: the articles side is small, so this is one hash probe per
            # undated event and a group by a few dates, not a group by every article id.
            f"""SELECT rd AS d, rp AS p, type, true AS by_report, false AS unplaced, count(*) AS n
                FROM events JOIN (
                    SELECT doc_id, {REPORT_DAY_SQL} AS rd, {REPORT_PRECISION_SQL} AS rp FROM articles
                    WHERE {REPORT_DAY_SQL} IS NOT NULL
                ) USING (doc_id)
                WHERE day IS NULL AND {where} GROUP BY ALL"""
        )
    return con.execute(" UNION ALL ".join(parts), params).df()


def _bin_groups(groups: pd.DataFrame, bin_unit: str) -> pd.DataFrame:
    """The dated groups summed per (bin_start, span, type, by_report), in `bin_unit` bins.

    `day` is the first day of the date's period, so a coarse date's own period starts there.
    Vectorised here rather than in SQL: the groups are already in memory (from the catalog, or one
    query), and handing them back to DuckDB cost more than the binning.
    """
    dated = groups[groups["d"].notna()]
    days = dated["d"].to_numpy(dtype="datetime64[D]")
    if bin_unit == "week":  # ISO weeks, from Monday (1970-01-01 was a Thursday)
        trunc = days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
    elif bin_unit in ("month", "year"):
        trunc = days.astype(f"datetime64[{bin_unit[0].upper()}]").astype("datetime64[D]")
    else:
        trunc = days
    # Small integer codes for precision and type, so the grouping is one sort of integers
    # (pandas' groupby on string columns cost 5 times more).
    precision, kind = pd.Categorical(dated["p"]), pd.Categorical(dated["type"])
    ranks = np.array([PRECISION_RANK.get(c, 0) for c in precision.categories] + [0])[precision.codes]
    coarser = ranks > PRECISION_RANK[bin_unit]
    # One integer key per row: (day, span, type, by_report) packed, then summed per distinct key.
    starts = np.where(coarser, days, trunc).astype("int64")
    span_codes = np.where(coarser, precision.codes, len(precision.categories)).astype("int64") + 1  # last: the unit
    n_spans, n_kinds = len(precision.categories) + 2, len(kind.categories) + 1
    first = int(starts.min()) if len(starts) else 0
    key = (((starts - first) * n_spans + span_codes) * n_kinds + kind.codes.astype("int64") + 1) * 2
    key += dated["by_report"].to_numpy(dtype=bool)
    unique, inverse = np.unique(key, return_inverse=True)
    n = np.bincount(inverse, weights=dated["n"].to_numpy(dtype="float64"), minlength=len(unique))
    by_report, rest = unique % 2, unique // 2
    kind_codes, rest = rest % n_kinds - 1, rest // n_kinds
    span_codes, day_numbers = rest % n_spans - 1, rest // n_spans + first
    spans = np.array([*precision.categories, bin_unit, None], dtype=object)  # code -1 (no precision): None
    kinds = np.array([*kind.categories, None], dtype=object)
    frame = pd.DataFrame({
        "bin_start": day_numbers.astype("datetime64[D]"),
        "span": spans[span_codes],
        "type": kinds[kind_codes],
        "by_report": by_report.astype(bool),
        "n": n.round().astype("int64"),
    })  # fmt: skip
    return frame.sort_values(["bin_start", "type", "by_report"], kind="stable").reset_index(drop=True)


def _counts_from_groups(groups: pd.DataFrame, report_dates: bool) -> Counts:
    """`Counts` from the timeline's groups: every matching event is in one group of the own-date part
    (its undated events with no bin), and the by-report part holds the undated ones its article dates."""
    n = groups["n"].to_numpy()
    report = groups["by_report"].to_numpy(dtype=bool)
    own = ~report
    matching = int(n[own].sum())
    without_place = int(n[own & groups["unplaced"].to_numpy(dtype=bool)].sum())
    undated = int(n[own & groups["d"].isna().to_numpy()].sum())
    by_report = int(n[report].sum()) if report_dates else 0
    return Counts(matching, without_place, undated - by_report, by_report)


# --------------------------------------------------------------------------- map


def day_hint(summary: Summary | None, filters: Filters, params: dict[str, Any], placed_only: bool = False) -> str:
    """" AND <the days the matching events lie in>" from `summary` (empty without one), parameters in `params`.

    Implied by the filters, so it changes no result; it only lets DuckDB skip the row groups (a
    dataset's files are sorted by day) that hold none of the matching events.
    """
    if summary is None or not summary.supports(filters):
        return ""
    first, last, undated = summary.day_range(filters, placed_only)
    if first is None:
        return " AND day IS NULL" if undated else " AND FALSE"
    params.update(hint_first=first, hint_last=last)
    within = "day BETWEEN $hint_first AND $hint_last"
    return f" AND (day IS NULL OR {within})" if undated else f" AND {within}"


def map_points(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int, per_event: bool = False, summary: Summary | None = None
) -> pd.DataFrame:
    """One row per placed event: id, coordinates, small codes and the tooltip's lines.

    `coarse` is True for country- or admin1-precision places (centroids), and
    `inferred` for places taken from the story or the actor's state
    (`place_basis` story/actor) rather than named by the sentence; the map
    draws both apart. The tooltip lines say the type and mode, the date with
    its precision, the place with its precision and basis, and actors ->
    targets; `snippet` is the start of the sentence, cut to 80 characters (the
    full sentence is fetched only for the picked event). With `per_event`, the
    reports of one event (one `cluster_id`) give one row, its `reports` the
    number they are (issue 8: "one point per event", the map's default).
    A `summary` narrows the scan to the days of the matching placed events (`day_hint`).
    """
    where, params = where_clause(filters)
    where += day_hint(summary, filters, params, placed_only=True)
    params["limit"] = int(limit)
    placed = f"SELECT * FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where}"
    if per_event:
        # one row per event: the reports sharing a cluster_id (or a report alone) drawn at the
        # representative report (most precise place, then earliest), `reports` counting them all
        placed = f"""SELECT * FROM (
                         SELECT *, count(*) OVER (PARTITION BY coalesce(cluster_id, event_id)) AS reports,
                                row_number() OVER (PARTITION BY coalesce(cluster_id, event_id)
                                    ORDER BY CASE geo_precision WHEN 'point' THEN 0 WHEN 'admin1' THEN 1 ELSE 2 END,
                                             day NULLS LAST, event_id) AS representative
                         FROM ({placed})) WHERE representative = 1"""
    return con.execute(
        f"""SELECT event_id, round(lon, 5) AS lon, round(lat, 5) AS lat, type,
                   geo_precision <> 'point' AS coarse,
                   coalesce(place_basis IN ('story', 'actor'), false) AS inferred,
                   type || coalesce(' · ' || mode, '') AS what,
                   CASE WHEN date IS NULL THEN 'no date' ELSE date || ' (' || date_precision || ')' END AS date,
                   coalesce(place, '') || ' · ' || geo_precision
                       || coalesce(' · from the ' || place_basis, '') AS place,
                   coalesce(nullif(array_to_string(actors[1:3], ', '), ''), '?') || ' → '
                       || coalesce(nullif(array_to_string(targets[1:3], ', '), ''), '—') AS actors,
                   CASE WHEN length(sentence) > 80 THEN left(sentence, 79) || '…' ELSE sentence END AS snippet,
                   {"reports" if per_event else "1"}::INTEGER AS reports
            FROM ({placed})
            ORDER BY day NULLS LAST, event_id LIMIT $limit""",
        params,
    ).df()


def map_bounds(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[float, float, float, float] | None:
    """(lon_min, lat_min, lon_max, lat_max) of the matching placed events, None when none is placed."""
    where, params = where_clause(filters)
    row = con.execute(
        f"""SELECT min(lon), min(lat), max(lon), max(lat) FROM events
            WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where}""",
        params,
    ).fetchone()
    return None if row is None or row[0] is None else (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


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


def hex_bins(
    con: duckdb.DuckDBPyConnection, filters: Filters, radius: float, summary: Summary | None = None
) -> pd.DataFrame:
    """Aggregate placed events into pointy-top hexagons of circumradius `radius` (Mercator radians).

    Hexagon centres form two offset rectangular lattices; each point goes to the
    nearer of its two candidate centres, which is exactly the hexagon holding
    it. Returns one row per non-empty cell: centre lon/lat, count, dominant
    type, share of coarse-precision events, and the polygon (lon/lat ring).
    A `summary` built for this radius counts the cells without a query.
    """
    counted = summary.hex_counts(filters, radius) if summary is not None and summary.supports(filters) else None
    if counted is not None:
        return _hex_frame(counted, radius)
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
    return _hex_frame(frame, radius)


def _hex_frame(frame: pd.DataFrame, radius: float) -> pd.DataFrame:
    """Cells (cx, cy in Mercator radians, n, type, coarse) -> the map's rows, largest first, with polygons."""
    frame = frame.copy()
    frame["coarse_share"] = frame["coarse"] / frame["n"]
    frame = frame.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)
    # The corners of every cell at once (numpy): a Python loop over them cost ~20 ms per rerun.
    angles = np.radians(30 + 60 * np.arange(7))
    cx, cy = frame["cx"].to_numpy(dtype="float64")[:, None], frame["cy"].to_numpy(dtype="float64")[:, None]
    lons = np.round(np.degrees(cx + radius * np.cos(angles)), 4)
    lats = np.round(np.degrees(np.arctan(np.sinh(cy + radius * np.sin(angles)))), 4)
    frame["polygon"] = np.stack([lons, lats], axis=2).tolist()
    frame["lon"] = np.round(np.degrees(cx[:, 0]), 4)
    frame["lat"] = np.round(np.degrees(np.arctan(np.sinh(cy[:, 0]))), 4)
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
    "corrected",  # fields an analyst corrected (events.store.corrections), empty for most
)  # fmt: skip


def table(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 5000, summary: Summary | None = None
) -> pd.DataFrame:
    """The filtered events for the table view, newest first, at most `limit` rows.

    Sorted on (day, event_id) only: each extra sort key cost ~30 ms at 1M rows.
    The page's oldest day is found first on `day` alone, and the wide columns
    (sentence, lists) are then sorted only for the rows from that day on:
    sorting every matching row with its event_id and sentence cost 3 to 5
    times more at 1M rows. A `summary` gives that day without a query, or,
    for a page that reaches the undated events, the days of all the matching
    ones (`day_hint`), so a day-sorted dataset reads only their files.
    """
    where, params = where_clause(filters)
    if summary is not None and summary.supports(filters):
        cutoff = summary.table_cutoff(filters, limit)
        if cutoff is not None:
            params["cutoff"] = cutoff
            where += " AND day >= $cutoff"
        else:
            where += day_hint(summary, filters, params)
    elif limit > 0:
        cutoff = con.execute(
            f"SELECT day FROM events WHERE {where} ORDER BY day DESC NULLS LAST LIMIT 1 OFFSET $skip",
            {**params, "skip": int(limit) - 1},
        ).fetchall()
        if cutoff and cutoff[0][0] is not None:  # else the page reaches the undated rows: no cut
            where += " AND day >= $cutoff"
            params["cutoff"] = cutoff[0][0]
    params["limit"] = int(limit)
    return con.execute(
        f"""SELECT {", ".join(TABLE_COLUMNS)} FROM events WHERE {where}
            ORDER BY day DESC NULLS LAST, event_id LIMIT $limit""",
        params,
    ).df()


def article_title(title: str | None, url: str | None, text: str | None) -> str | None:
    """The article's title; for an untitled one, its first line (cut to 100 characters) or its URL's host.

    Why: an id such as "h10" tells a reader nothing about which article it is.
    """
    if title and title.strip():
        return title.strip()
    first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    if first:
        return first if len(first) <= 100 else first[:99].rstrip() + "…"
    host = urlsplit(url).hostname if url else None
    return host or None


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
        "SELECT title, url, published, source, left(text, 300) FROM articles WHERE doc_id = $doc",
        {"doc": record["doc_id"]},
    ).fetchone()
    title, url, published, source, opening = article_row or (None, None, None, None, None)
    article = {
        "title": article_title(title or record["doc_title"], url, opening),
        "url": url,
        "published": published,
        "source": source,
    }
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
