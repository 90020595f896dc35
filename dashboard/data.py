"""Cached access to the event database for the dashboard.

Every function opens a read-only connection, queries, and closes it (see
`events.store.queries.read_connection`): a dashboard left open must never block
`events extract` from a terminal. Results are cached with `st.cache_data`,
keyed on the database path, a stamp of its file(s) (`db_stamp`: mtime and
size of the file and its WAL) and the filters, so a filter change that was
seen before is instant and new events written by another process show up on
the next rerun, without keeping any connection open to notice them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from events.ingest.limits import MAX_UPLOAD_MB
from events.store import queries
from events.store.queries import Catalog, Counts, EventDetail, Filters
from events.store.summary import Summary, build_summary
from events_dashboard import basemap

DEFAULT_DB = Path("data") / "events.duckdb"
MAX_POINTS = 20_000  # above this many placed events the map aggregates into hexagons
MAX_TABLE_ROWS = 1_000  # the table is for reading and picking; downloads hold everything
MAX_ACTOR_OPTIONS = 5_000  # the actor box lists the most frequent names
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20  # per file; the help, the error and Streamlit's own limit say this
READ_WAIT_SECONDS = 30.0  # a reader waits this long for an extraction's batch write (or clustering) to end
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")

Stamp = tuple[int, int, int, int]
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character


def resolve_db(argv: list[str], environ: dict[str, str] | os._Environ) -> Path:  # type: ignore[type-arg]
    """--db PATH after `streamlit run dashboard/app.py --`, else $EVENTS_DB, else data/events.duckdb."""
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    return Path(environ.get("EVENTS_DB") or DEFAULT_DB)


def plain(text: str) -> str:
    """`text` escaped for Streamlit's Markdown (st.error, st.info, ...), so it shows literally.

    CommonMark lets a backslash escape any ASCII punctuation, and with all of
    it escaped no link, image, emphasis or HTML can form: an uploaded file
    named `![i](http://host/x.txt)` is shown as that name, and the browser
    fetches nothing.
    """
    return _PUNCTUATION.sub(r"\\\g<0>", text)


def size_text(n_bytes: int) -> str:
    """A size as the upload messages say it ("20 MB", "0.977 KB")."""
    return f"{n_bytes / 2**20:.3g} MB" if n_bytes >= 2**20 else f"{n_bytes / 2**10:.3g} KB"


def extraction_note(db: Path) -> str | None:
    """A line saying an extraction is writing to `db` and how far it got; None when none runs."""
    from events.store.runlock import running

    status = running(db)
    if status is None:
        return None
    if not status.pid:
        return "An extraction is running; the view shows the events stored so far and grows as it goes."
    return (f"An extraction is running (since {status.started} UTC, {status.stored:,} articles stored so far); "
            "the view shows the data as of its last stored batch and grows as it goes.")


@st.cache_data(max_entries=4, show_spinner=False)
def load_catalog(db: str, stamp: Stamp) -> Catalog:
    """The catalog of this database state, its counts taken from the state's summary."""
    summary = load_summary(db, stamp)
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return queries.catalog(con, summary)


@st.cache_resource(max_entries=2, show_spinner="Indexing the events…")
def load_summary(db: str, stamp: Stamp) -> Summary:
    """The events' summary (`events.store.summary`), built once per database state.

    A resource, not data: every session shares the one object (its arrays are
    read-only), where `st.cache_data` would copy hundreds of MB per call at
    10M events. Keyed on the stamp like every cached query, so new events or a
    correction give a new summary; two entries let a session still on the old
    state finish its rerun while the new one is built.
    """
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return build_summary(con)


@st.cache_data(max_entries=8, show_spinner=False)
def load_text_rows(db: str, stamp: Stamp, text: str) -> np.ndarray | None:
    """The summary's rows whose sentence holds `text` (`Summary.text_hits`), one scan per text and state."""
    summary = load_summary(db, stamp)
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return summary.text_hits(con, text)


def summary_for(db: str, stamp: Stamp, filters: Filters) -> Summary:
    """The summary of this database state, narrowed to the filters' text when they search one."""
    summary = load_summary(db, stamp)
    text = filters.text.strip().lower()
    return summary.narrowed(text, load_text_rows(db, stamp, text)) if text else summary


@dataclass(frozen=True)
class View:
    """Everything one rerun shows for a set of filters, computed over one connection."""

    counts: Counts
    bin_unit: str
    timeline: pd.DataFrame  # over `base` filters: the brush must not filter its own chart
    points: pd.DataFrame | None  # individual events, or
    cells: pd.DataFrame | None  # hexagons when more than `max_points` events are placed
    arcs: pd.DataFrame | None
    table: pd.DataFrame
    bounds: tuple[float, float, float, float] | None = None  # extent of the matching placed events: the map fits it


def compute_view(
    con: duckdb.DuckDBPyConnection,
    base: Filters,
    view: Filters,
    span: tuple[date, date] | None,
    bounds: tuple[float, float, float, float] | None,
    centroids: dict[str, tuple[float, float]] | None = None,
    max_points: int = MAX_POINTS,
    table_rows: int = MAX_TABLE_ROWS,
    bin_unit: str | None = None,
    unfiltered: pd.DataFrame | None = None,
    base_timeline: tuple[str, pd.DataFrame, Counts] | None = None,
    per_event: bool = False,
    summary: Summary | None = None,
) -> View:
    """Run every query of a rerun: counts, timeline, map layer, arcs, table page.

    `base` is what the sidebar asks for, `view` is `base` narrowed by the
    timeline brush or the playback window. `unfiltered` is the catalog's
    `groups` (the timeline and counts of no filter, kept once per change of
    the data): with no filter in `base` the timeline then costs no scan.
    `base_timeline` is `base_timeline(...)` when the caller has it (a brush
    or a playback step changes `view` only, and the timeline stays).
    `summary` (`events.store.summary`, built once per change of the data)
    answers the timeline, counts and hexagons without scanning the events,
    and narrows the table's and the points' queries to the days they need.
    Uncached, so the benchmark measures exactly what a filter change costs.
    """
    if base_timeline is None:
        base_timeline = compute_base_timeline(con, base, span, bin_unit, unfiltered, summary)
    bin_unit, timeline, base_counts = base_timeline
    # Without a brush or playback the timeline's filters are the view's, and its scan gave the counts.
    counts = base_counts if view == base else queries.count_summary(con, view, summary=summary)
    if counts.on_map > max_points:
        points, cells = None, queries.hex_bins(con, view, queries.hex_radius(bounds), summary)
        fitted = _cells_bounds(cells)  # the hexagons' own extent: no second scan of the events
    else:  # with nothing to draw, LIMIT 0 gives the empty frame without reading the events
        limit = max_points if counts.on_map else 0
        points, cells = queries.map_points(con, view, limit, per_event, summary), None
        fitted = None if points.empty else (
            float(points["lon"].min()), float(points["lat"].min()), float(points["lon"].max()), float(points["lat"].max())
        )  # fmt: skip
    arcs = queries.actor_arcs(con, view, centroids) if centroids else None
    table = queries.table(con, view, table_rows if counts.matching else 0, summary)
    return View(counts, bin_unit, timeline, points, cells, arcs, table, fitted)


def compute_base_timeline(
    con: duckdb.DuckDBPyConnection,
    base: Filters,
    span: tuple[date, date] | None,
    bin_unit: str | None,
    unfiltered: pd.DataFrame | None = None,
    summary: Summary | None = None,
) -> tuple[str, pd.DataFrame, Counts]:
    """The timeline over the sidebar's filters and their counts (`queries.timeline_counts`), from the
    catalog's groups when no filter is set, else from `summary` when it can answer the filters."""
    groups = unfiltered if base == Filters() else None
    return queries.timeline_counts(con, base, bin_unit=bin_unit, span=span, groups=groups, summary=summary)


def _cells_bounds(cells: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """(lon_min, lat_min, lon_max, lat_max) over the hexagons' corners."""
    if cells.empty:
        return None
    lons = [p[0] for polygon in cells["polygon"] for p in polygon]
    lats = [p[1] for polygon in cells["polygon"] for p in polygon]
    return (min(lons), min(lats), max(lons), max(lats))


@st.cache_data(max_entries=32, show_spinner=False)
def load_view(
    db: str,
    stamp: Stamp,
    base: Filters,
    view: Filters,
    span: tuple[date, date] | None,
    bounds: tuple[float, float, float, float] | None,
    centroids: dict[str, tuple[float, float]] | None = None,
    max_points: int = MAX_POINTS,
    bin_unit: str | None = None,
    _unfiltered: pd.DataFrame | None = None,
    per_event: bool = False,
) -> View:
    """`compute_view` over one short-lived read-only connection, cached per (database state, filters).

    `_unfiltered` (the catalog's groups) is left out of the cache key: the stamp already fixes it.
    The timeline comes from its own cache, keyed on the sidebar's filters only, so a brush or a
    playback step (which change `view`) does not scan for it again.
    """
    timeline = load_base_timeline(db, stamp, base, span, bin_unit, _unfiltered)
    summary = summary_for(db, stamp, view)  # the brush and playback change dates only: the text is base's
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return compute_view(con, base, view, span, bounds, centroids, max_points, bin_unit=bin_unit,
                            base_timeline=timeline, per_event=per_event, summary=summary)


@st.cache_data(max_entries=16, show_spinner=False)
def load_base_timeline(
    db: str, stamp: Stamp, base: Filters, span: tuple[date, date] | None, bin_unit: str | None,
    _unfiltered: pd.DataFrame | None = None,
) -> tuple[str, pd.DataFrame, Counts]:
    """`compute_base_timeline` over one short-lived connection, cached per (database state, base filters)."""
    summary = summary_for(db, stamp, base)
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return compute_base_timeline(con, base, span, bin_unit, _unfiltered, summary)


def load_timeline(
    db: str, stamp: Stamp, base: Filters, span: tuple[date, date] | None, bin_unit: str | None,
    _unfiltered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The timeline's rows alone, for playback to find the periods that hold events (the view's cache)."""
    return load_base_timeline(db, stamp, base, span, bin_unit, _unfiltered)[1]


def open_error(db: Path, error: Exception) -> str:
    """One line saying why `db` cannot be shown (not a DuckDB file, no event tables, or what DuckDB said)."""
    text = str(error)
    if "not a valid DuckDB database" in text:
        return (f"{db} is not a DuckDB database file. Start with --db (or EVENTS_DB) naming the database "
                "that `events extract` wrote.")  # fmt: skip
    if isinstance(error, duckdb.CatalogException):
        return f"{db} is a DuckDB database but holds no event tables. Run `events extract --db {db}` first."
    return f"{db}: cannot read it: {text.strip().splitlines()[0] if text.strip() else type(error).__name__}"


@st.cache_data(ttl=60, show_spinner=False)
def basemap_problem() -> str | None:
    """Why the online basemap cannot load, or None; asked only once the user ticks the basemap."""
    return basemap.problem()


@st.cache_data(max_entries=32, show_spinner=False)
def load_facets(db: str, stamp: Stamp, filters: Filters) -> dict[str, pd.DataFrame]:
    """Each sidebar facet's counts under the other active filters (`queries.live_facets`)."""
    cat = load_catalog(db, stamp)
    summary = summary_for(db, stamp, filters)
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return queries.live_facets(con, filters, catalog_facets(cat), actor_limit=MAX_ACTOR_OPTIONS, summary=summary)


def catalog_facets(cat: Catalog) -> dict[str, pd.DataFrame]:
    """The whole database's facet counts, keyed as `queries.live_facets` keys them."""
    return {**cat.facets, "actor": cat.actors.head(MAX_ACTOR_OPTIONS), "state": cat.states}


@st.cache_data(max_entries=64, show_spinner=False)
def load_detail(db: str, stamp: Stamp, event_id: str) -> EventDetail | None:
    """The picked event, or None when it no longer exists (e.g. a stale link)."""
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        try:
            return queries.event_detail(con, event_id)
        except LookupError:
            return None


def export_bytes(db: str, filters: Filters, fmt: str) -> bytes:
    """The exact filtered selection in `fmt` (csv, geojson, jsonl); not cached, made on click."""
    with queries.read_connection(db, READ_WAIT_SECONDS) as con:
        return queries.EXPORTERS[fmt](con, filters)


# --------------------------------------------------------------------------- uploads


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def check_uploads(files: list[Upload], max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[list[Upload], list[str]]:
    """Split uploads into acceptable files and user-readable errors, before any extraction runs."""
    ok: list[Upload] = []
    errors: list[str] = []
    for upload in files:
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            errors.append(f"{upload.name}: not a .txt, .html or .jsonl file")
            continue
        if len(upload.data) > max_bytes:
            errors.append(f"{upload.name}: {size_text(len(upload.data))} is over the {size_text(max_bytes)} limit")
            continue
        if not upload.data.strip():
            errors.append(f"{upload.name}: the file is empty")
            continue
        try:
            text = upload.data.decode("utf-8")
        except UnicodeDecodeError as error:
            errors.append(f"{upload.name}: not UTF-8 text (byte {error.start})")
            continue
        if suffix == ".jsonl":
            problem = _jsonl_problem(text)
            if problem:
                errors.append(f"{upload.name}: {problem}")
                continue
        ok.append(upload)
    return ok, errors


def _jsonl_problem(text: str) -> str | None:
    """The first reason a JSON Lines article file is unusable, or None when every line is an article."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            return f"line {number} is not JSON ({error.msg})"
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            return f'line {number} has no "text" field'
    return None


def save_uploads(files: list[Upload], folder: Path) -> list[Path]:
    """Write accepted uploads under `folder` with safe, unique names."""
    paths: list[Path] = []
    for index, upload in enumerate(files):
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(upload.name).name)[:80] or "upload"
        path = folder / f"{index:03d}_{stem}"
        path.write_bytes(upload.data)
        paths.append(path)
    return paths


def extract_uploads(  # noqa: ANN201
    paths: list[Path], db: Path, on_progress: Callable[[int, int | None], None] | None = None
):
    """Run the project's one extraction pipeline on saved uploads into `db` (ExtractSummary).

    The pipeline streams its input, so `on_progress(done, total)` gets total
    None until the last call, which has the final count.
    """
    from events.runner import extract_paths  # imported here: the upload is optional, the map is not

    return extract_paths(paths, db, on_progress=on_progress)
