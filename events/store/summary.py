"""The events as small integer columns in memory, built once per change of the data.

Why: at 10,000,000 events every filter change of the dashboard scanned the
events four to six times (timeline and counts, the sidebar's counts under the
other filters, the map's hexagons, the table page), and Parquet's list columns
(actors, targets) decode slowly, so one change cost more than a second of CPU.
A `Summary` holds, per event, only what the filters and the aggregates read,
as codes into sorted dictionaries: day, date precision, type, mode, status,
country, region, placed, confidence, its article's report day (undated events
only), its hexagon cell, and a code for its set of actor names (an actor index:
name -> the sets holding it -> the events of those sets). Every filter then
becomes a few boolean numpy operations, and the timeline, counts, facet
counts and hexagons are `np.bincount`s over the matching rows. The sentences
are not held: a free-text search is one SQL scan that names its rows by a
hash of their event ids (`text_hits`, `narrowed`), where the SQL path scanned
the sentences five times. Only the table page and the map's points still read raw rows,
and they get the range of days the matching rows lie in, so a Parquet
dataset (sorted by day) reads only the files of those days.

Why it cannot show stale counts: a summary is built from one connection in
one query, and the dashboard caches it under `queries.db_stamp` (the DuckDB
file and its write-ahead log, or a dataset's manifest and articles folder:
both change with every committed batch and every correction), the same key
as the catalog and every cached query. A new extraction or a correction gives
a new stamp, so a new summary; an old one is never consulted for new data.

It answers exactly what `events.store.queries` answers with SQL (the tests
compare the two on every filter); a filter it cannot answer (`supports`: a
text it was not narrowed to) goes to SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from events.store.queries import (
    COARSE_DATE_PRECISIONS,
    DATING_CHOICES,
    FACET_COLUMNS,
    FACET_FIELDS,
    MERCATOR_MAX_LAT,
    PLACE_CHOICES,
    REPORT_DAY_SQL,
    REPORT_PRECISION_SQL,
    SMALL_FACETS,
    STATE_PREFIX,
    STATE_SECTORS,
    Filters,
    hex_radius,
)

if TYPE_CHECKING:
    import duckdb

EPOCH = date(1970, 1, 1)
NO_DAY = np.iinfo(np.int32).max  # an undated event's day: sorts after every real day
CELL_OFFSET = 2**28  # hexagon indices are packed as two non-negative 30-bit numbers
BATCH_ROWS = 1_000_000  # rows fetched at a time while building: bounds the memory of the build
CATEGORIES: tuple[str, ...] = ("type", "mode", "status", "country", "admin1", "date_precision", "geo_precision")
FILTER_FIELDS: dict[str, str] = {  # Filters field -> the column its clause compares
    "types": "type", "modes": "mode", "countries": "country", "admin1": "admin1", "statuses": "status",
}  # fmt: skip
SMALL_FACET_FIELDS: dict[str, str] = {facet: FACET_FIELDS[facet] for facet in SMALL_FACETS}  # facet -> its field


@dataclass(frozen=True)
class Column:
    """One categorical column: `codes[i]` indexes `values` (sorted); code `len(values)` is NULL."""

    codes: np.ndarray
    values: np.ndarray  # object array of the distinct non-null values, sorted

    def lut(self, wanted: tuple[Any, ...] | list[Any]) -> np.ndarray:
        """A boolean per code (NULL last, never true): whether its value is one of `wanted`."""
        return np.append(np.isin(self.values, np.asarray(list(wanted), dtype=object)), False)

    def where(self, wanted: tuple[Any, ...] | list[Any]) -> np.ndarray:
        """A boolean per row: whether its value is one of `wanted` (SQL's list_contains; NULL never)."""
        return self.lut(wanted)[self.codes]


@dataclass(frozen=True)
class Summary:
    """Per-event codes (rows sorted by day, undated last) and the tables that decode them.

    Build with `build_summary`; treat as read-only (the arrays are frozen).
    """

    n: int
    n_dated: int  # rows [0, n_dated) have a day, rows [n_dated, n) have none
    day: np.ndarray  # int32 days since 1970-01-01; NO_DAY for undated rows
    columns: dict[str, Column]  # CATEGORIES
    placed: np.ndarray  # bool: lat and lon known
    confidence: Column  # values: the distinct confidences (float64, sorted)
    report_day: np.ndarray  # int32, undated rows only: the article's publication day, NO_DAY if none
    # the timeline's groups: row -> (day, precision, type, unplaced), and undated row -> (report day, precision, type)
    own_key: np.ndarray
    own_groups: pd.DataFrame  # d, p, type, unplaced
    report_key: np.ndarray  # undated rows only; -1 where the article gives no date
    report_groups: pd.DataFrame  # d, p, type
    # actor index: row -> its set of names (actors, targets, "state:CC" roll-ups); set -> names (CSR)
    who: np.ndarray
    set_offsets: np.ndarray
    set_names: np.ndarray
    names: np.ndarray  # object array of the names, sorted
    # hexagons of circumradius `radius`: row -> cell * 2 * n_types + type * 2 + coarse (-1 unplaced)
    radius: float
    cell_key: np.ndarray
    cell_x: np.ndarray  # Mercator radians of each cell's centre
    cell_y: np.ndarray
    bounds: tuple[float, float, float, float] | None
    # text search: hash(event_id) of every row, sorted, and the row of each (empty when two ids share a hash);
    # `text_rows` marks the rows whose sentence holds `text` (`narrowed`)
    id_hashes: np.ndarray
    id_rows: np.ndarray
    text: str = ""
    text_rows: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        """The memory its arrays hold (the benchmark prints it)."""
        total = 0
        for f in fields(self):
            value = getattr(self, f.name)
            for item in value.values() if isinstance(value, dict) else [value]:
                arrays = (item.codes, item.values) if isinstance(item, Column) else (item,)
                total += sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
        return total

    # ----------------------------------------------------------------- filters

    def supports(self, filters: Filters) -> bool:
        """Whether the summary can answer `filters`: any without free text, and those with the text
        whose rows it was `narrowed` to."""
        text = filters.text.strip().lower()
        return not text or (self.text_rows is not None and text == self.text)

    def text_hits(self, con: duckdb.DuckDBPyConnection, text: str) -> np.ndarray | None:
        """The rows whose sentence contains `text` (as `queries.where_parts` matches it), by one scan
        of the sentences; None when the ids cannot name rows (two ids with one hash: never seen).

        Why: the sentences are the one thing the summary does not hold. The SQL path scanned them
        five times per change (timeline, hexagons, table twice, facets); this scans them once, and
        the summary answers the rest.
        """
        if self.n and not len(self.id_hashes):
            return None
        hashes = con.execute(
            """SELECT hash(event_id) AS h FROM events
               WHERE NOT coalesce(not_event, FALSE) AND contains(lower(sentence), $text)""",
            {"text": text.strip().lower()},
        ).fetchnumpy()["h"]
        hashes = np.sort(np.asarray(hashes, dtype=np.uint64))  # sorted needles: searchsorted 150 -> 10 ms at 10M
        at = np.searchsorted(self.id_hashes, hashes)
        if len(at) and (at.max() >= len(self.id_hashes) or (self.id_hashes[at] != hashes).any()):
            return None  # the data changed under this summary: leave it to SQL
        return np.sort(self.id_rows[at]).astype(np.int32)

    def narrowed(self, text: str, rows: np.ndarray | None) -> Summary:
        """This summary, answering filters with `text` too, given `text_hits(con, text)`; itself when
        `rows` is None. The arrays are shared, not copied."""
        if rows is None:
            return self
        mask = np.zeros(self.n, dtype=bool)
        mask[rows] = True
        mask.flags.writeable = False
        return replace(self, text=text.strip().lower(), text_rows=mask)

    def for_filters(self, con: duckdb.DuckDBPyConnection, filters: Filters) -> Summary:
        """The summary to answer `filters` with: narrowed to their text, if they have one."""
        if not filters.text.strip() or self.supports(filters):
            return self
        return self.narrowed(filters.text, self.text_hits(con, filters.text))

    def masks(self, filters: Filters) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
        """(the rows every field-less clause keeps, or None for all; each active field's rows).

        The same clauses as `queries.where_parts`: the facet counts leave one field's mask out.
        """
        common: np.ndarray | None = None

        def keep(mask: np.ndarray) -> None:
            nonlocal common
            common = mask if common is None else common & mask

        by_field: dict[str, np.ndarray] = {}
        for field, column in FILTER_FIELDS.items():
            if getattr(filters, field):
                by_field[field] = self.columns[column].where(getattr(filters, field))
        if filters.actors:
            by_field["actors"] = self._actor_rows(filters.actors)
        if filters.dating not in DATING_CHOICES:
            raise ValueError(f"dating must be one of {DATING_CHOICES}, not {filters.dating!r}")
        if filters.place not in PLACE_CHOICES:
            raise ValueError(f"place must be one of {PLACE_CHOICES}, not {filters.place!r}")
        if filters.date_from is not None or filters.date_to is not None:
            keep(self._date_rows(filters))
        if filters.dating != "any":
            keep(self._dating_rows(filters.dating))
        if not filters.coarse_dates:
            precision = self.columns["date_precision"]
            lut = ~precision.lut(COARSE_DATE_PRECISIONS)
            lut[-1] = False  # a NULL precision fails NOT list_contains(...) in SQL too
            keep(lut[precision.codes])
        if filters.place == "placed":
            keep(self.placed)
        elif filters.place == "none":
            keep(~self.placed)
        if filters.text.strip():
            if not self.supports(filters):
                raise ValueError(f"this summary holds no text search for {filters.text!r}: narrow it first")
            keep(self.text_rows)  # type: ignore[arg-type]
        if filters.min_confidence > 0:
            first = int(np.searchsorted(self.confidence.values.astype("float64"), float(filters.min_confidence)))
            lut = np.arange(len(self.confidence.values) + 1) >= first
            lut[-1] = False  # NULL confidence
            keep(lut[self.confidence.codes])
        return common, by_field

    def mask(self, filters: Filters, leave_out: str = "") -> np.ndarray | None:
        """The rows matching `filters` (but the clause of Filters field `leave_out`); None means all rows."""
        common, by_field = self.masks(filters)
        return _and([common, *(m for field, m in by_field.items() if field != leave_out)])

    def _date_rows(self, filters: Filters) -> np.ndarray:
        """Dated rows in the range (a slice: rows are sorted by day), undated ones by their article's day."""
        lo = -(2**31) if filters.date_from is None else _day_number(filters.date_from)
        hi = NO_DAY - 1 if filters.date_to is None else _day_number(filters.date_to)
        rows = np.zeros(self.n, dtype=bool)
        dated = self.day[: self.n_dated]
        rows[int(np.searchsorted(dated, lo, "left")): int(np.searchsorted(dated, hi, "right"))] = True
        if filters.report_dates:
            rows[self.n_dated:] = (self.report_day >= lo) & (self.report_day <= hi)
        return rows

    def _dating_rows(self, dating: str) -> np.ndarray:
        rows = np.zeros(self.n, dtype=bool)
        if dating == "dated":
            rows[: self.n_dated] = True
        elif dating == "undated":
            rows[self.n_dated:] = True
        elif dating == "report":
            rows[self.n_dated:] = self.report_day != NO_DAY
        elif dating == "none":
            rows[self.n_dated:] = self.report_day == NO_DAY
        return rows

    def _actor_rows(self, actors: tuple[str, ...]) -> np.ndarray:
        """Rows whose name set holds any of `actors` (a name, or "state:CC" for the state roll-up)."""
        wanted = np.isin(self.names, np.asarray(list(actors), dtype=object))
        member = wanted[self.set_names].astype(np.int64)
        per_set = np.add.reduceat(member, self.set_offsets[:-1]) if len(member) else np.zeros(0, np.int64)
        has = np.zeros(len(self.set_offsets) - 1, dtype=bool)
        nonempty = np.diff(self.set_offsets) > 0
        has[nonempty] = per_set[nonempty] > 0
        return has[self.who]

    # ----------------------------------------------------------------- answers

    def timeline_groups(self, filters: Filters) -> pd.DataFrame:
        """What `queries.timeline_groups` returns (d, p, type, by_report, unplaced, n), from the codes."""
        rows = self.mask(filters)
        own = np.bincount(_take(self.own_key, rows), minlength=len(self.own_groups))
        parts = [self.own_groups.assign(by_report=False, n=own)[own > 0]]
        if filters.report_dates and filters.dating != "dated":
            undated = None if rows is None else rows[self.n_dated:]
            keys = _take(self.report_key, undated)
            keys = keys[keys >= 0]
            counted = np.bincount(keys, minlength=len(self.report_groups))
            parts.append(self.report_groups.assign(by_report=True, unplaced=False, n=counted)[counted > 0])
        frame = pd.concat(parts, ignore_index=True)
        frame["n"] = frame["n"].astype("int64")
        return frame[["d", "p", "type", "by_report", "unplaced", "n"]]

    def live_facets(
        self, filters: Filters, catalog_facets: dict[str, pd.DataFrame], actor_limit: int
    ) -> dict[str, pd.DataFrame]:
        """What `queries.live_facets` returns, from the codes; the actor box is always live here
        (counting names over any number of events is one bincount over the name sets)."""
        common, by_field = self.masks(filters)
        out: dict[str, pd.DataFrame] = {}
        found: dict[str, np.ndarray | None] = {}  # the rows without one field's clause, found once

        def rows_without(field: str) -> np.ndarray | None:
            key = field if field in by_field else ""  # an inactive field leaves out nothing
            if key not in found:
                mask = _and([common, *(m for f, m in by_field.items() if f != key)])
                found[key] = None if mask is None else np.flatnonzero(mask)
            return found[key]

        for facet, field in SMALL_FACET_FIELDS.items():
            if replace(filters, **{field: ()}) == Filters() and facet in catalog_facets:
                out[facet] = catalog_facets[facet]
                continue
            rows = rows_without(field)
            column = self.columns[facet]
            counts = np.bincount(_take(column.codes, rows), minlength=len(column.values) + 1)[:-1]
            out[facet] = _value_counts(column.values, counts)
        if replace(filters, actors=()) == Filters() and "actor" in catalog_facets:
            out["actor"], out["state"] = catalog_facets["actor"], catalog_facets["state"]
        else:
            per_set = np.bincount(_take(self.who, rows_without("actors")), minlength=len(self.set_offsets) - 1)
            frame = _value_counts(self.names, self._name_counts(per_set))
            is_state = frame["value"].str.startswith(STATE_PREFIX)
            out["actor"] = frame[~is_state].head(actor_limit).reset_index(drop=True)
            out["state"] = frame[is_state].reset_index(drop=True)
        out["actor_live"] = pd.DataFrame({"value": [True], "n": [0]})
        return out

    def catalog_counts(self) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
        """The catalog's counts without a filter: (facet column -> (value, n), actors, state roll-ups)."""
        facets = {}
        for name in sorted(FACET_COLUMNS):
            column = self.columns[name]
            facets[name] = _value_counts(column.values, np.bincount(column.codes, minlength=len(column.values) + 1)[:-1])
        per_set = np.bincount(self.who, minlength=len(self.set_offsets) - 1)
        frame = _value_counts(self.names, self._name_counts(per_set))
        is_state = frame["value"].str.startswith(STATE_PREFIX)
        return facets, frame[~is_state].reset_index(drop=True), frame[is_state].reset_index(drop=True)

    def _name_counts(self, per_set: np.ndarray) -> np.ndarray:
        """Events per name, from events per name set."""
        weights = np.repeat(per_set, np.diff(self.set_offsets))
        return np.bincount(self.set_names, weights=weights, minlength=len(self.names)).round().astype(np.int64)

    def hex_counts(self, filters: Filters, radius: float) -> pd.DataFrame | None:
        """Per non-empty cell: cx, cy (Mercator radians), n, dominant type, coarse; None for another radius."""
        if radius != self.radius:
            return None
        rows = _and([self.mask(filters), self.placed])
        n_types = len(self.columns["type"].values) + 1
        counted = np.bincount(_take(self.cell_key, rows), minlength=len(self.cell_x) * n_types * 2)
        counted = counted.reshape(len(self.cell_x), n_types, 2)
        by_type = counted.sum(axis=2)
        n = by_type.sum(axis=1)
        cells = np.flatnonzero(n)
        types = np.append(self.columns["type"].values, None)
        return pd.DataFrame({
            "cx": self.cell_x[cells], "cy": self.cell_y[cells], "n": n[cells].astype("int64"),
            "type": types[by_type[cells].argmax(axis=1)],  # the most frequent; ties: first by name, as in SQL
            "coarse": counted[cells, :, 1].sum(axis=1).astype("int64"),
        })  # fmt: skip

    def day_range(self, filters: Filters, placed_only: bool = False) -> tuple[date | None, date | None, bool]:
        """(first day, last day, whether an undated row matches) of the matching rows: a hint that
        lets a query on a day-sorted dataset read only the files of those days."""
        rows = self.mask(filters)
        if placed_only:
            rows = _and([rows, self.placed])
        dated = np.ones(self.n_dated, bool) if rows is None else rows[: self.n_dated]
        hits = np.flatnonzero(dated)
        undated = self.n > self.n_dated if rows is None else bool(rows[self.n_dated:].any())
        if not len(hits):
            return None, None, undated
        return _day(self.day[hits[0]]), _day(self.day[hits[-1]]), undated

    def table_cutoff(self, filters: Filters, limit: int) -> date | None:
        """The day of the `limit`-th matching row, newest first, when at least `limit` dated rows match."""
        rows = self.mask(filters)
        dated = np.ones(self.n_dated, bool) if rows is None else rows[: self.n_dated]
        hits = np.flatnonzero(dated)
        return _day(self.day[hits[-limit]]) if limit > 0 and len(hits) >= limit else None


# --------------------------------------------------------------------------- build


def build_summary(con: duckdb.DuckDBPyConnection) -> Summary:
    """Read the events once (not_event rows left out, as every query leaves them out) into a `Summary`."""
    bounds = _bounds(con)
    radius = hex_radius(bounds)
    batches: list[dict[str, Any]] = []
    relation = con.sql(
        f"""WITH reports AS (
                SELECT doc_id, min({REPORT_DAY_SQL}) AS rd, arg_min({REPORT_PRECISION_SQL}, {REPORT_DAY_SQL}) AS rp
                FROM articles WHERE {REPORT_DAY_SQL} IS NOT NULL GROUP BY doc_id
            )
            SELECT day, {", ".join(CATEGORIES)}, lat IS NOT NULL AND lon IS NOT NULL AS placed, lon, lat, confidence,
                   CASE WHEN day IS NULL THEN r.rd END AS rd, CASE WHEN day IS NULL THEN r.rp END AS rp,
                   hash(actors, targets, actor_countries, actor_sectors) AS who, hash(event_id) AS id_hash
            FROM events LEFT JOIN reports r USING (doc_id) WHERE NOT coalesce(not_event, FALSE)"""
    )
    reader = relation.to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        batches.append(_encode_batch(batch, radius))
    n = sum(len(b["day"]) for b in batches)
    columns = {name: _merge_codes(batches, name) for name in CATEGORIES}
    confidence = _merge_codes(batches, "confidence")
    report_precision = _merge_codes(batches, "rp")
    who_hashes = _merge_codes(batches, "who")
    cells = _merge_codes(batches, "cell")
    day = _concat([b.pop("day") for b in batches], np.int32)
    placed = _concat([b.pop("placed") for b in batches], bool)
    report_day = _concat([b.pop("rd") for b in batches], np.int32)
    id_hash = _concat([b.pop("id_hash") for b in batches], np.uint64)
    del batches
    geo = columns["geo_precision"]
    coarse = ~geo.lut(["point"])[geo.codes] & (geo.codes < len(geo.values))  # geo_precision <> 'point'; NULL: not

    # Sort the rows by (day, precision, type, unplaced): a date range is a slice, and the
    # timeline's bincount runs over a sorted key.
    types, precisions = columns["type"], columns["date_precision"]
    n_types, n_precisions = len(types.values) + 1, len(precisions.values) + 1
    first = int(day.min()) if n else 0
    rank = np.where(day == NO_DAY, int(day[day != NO_DAY].max(initial=first)) + 1, day).astype(np.int64) - first
    key = ((rank * n_precisions + precisions.codes) * n_types + types.codes) * 2 + (~placed)
    order = np.argsort(key, kind="stable")
    key = key[order]
    day, placed, report_day, coarse = day[order], placed[order], report_day[order], coarse[order]
    columns = {name: replace(c, codes=c.codes[order]) for name, c in columns.items()}
    types, precisions = columns["type"], columns["date_precision"]
    confidence = replace(confidence, codes=confidence.codes[order])
    report_precision = replace(report_precision, codes=report_precision.codes[order])
    who_codes, cell_codes = who_hashes.codes[order], cells.codes[order]
    id_hash = id_hash[order]
    id_rows = np.argsort(id_hash, kind="stable").astype(np.int32)
    id_hashes = id_hash[id_rows]
    if len(id_hashes) > 1 and (id_hashes[1:] == id_hashes[:-1]).any():  # ids cannot name rows: text goes to SQL
        id_hashes, id_rows = id_hashes[:0], id_rows[:0]
    n_dated = int(np.count_nonzero(day != NO_DAY))

    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if n else np.zeros(0, np.int64)
    own_key = (np.cumsum(np.r_[False, key[1:] != key[:-1]]) if n else np.zeros(0)).astype(np.int32)
    own_groups = pd.DataFrame({
        "d": _dates(day[starts]),
        "p": _decode(precisions, precisions.codes[starts]),
        "type": _decode(types, types.codes[starts]),
        "unplaced": ~placed[starts],
    })  # fmt: skip

    undated = slice(n_dated, n)
    report_day = report_day[undated]
    has_report = report_day != NO_DAY
    rkey = (report_day.astype(np.int64) * n_precisions + report_precision.codes[undated]) * n_types + types.codes[undated]
    unique, inverse = np.unique(rkey[has_report], return_inverse=True)
    report_key = np.full(len(rkey), -1, dtype=np.int32)
    report_key[has_report] = inverse
    report_groups = pd.DataFrame({
        "d": _dates((unique // n_types // n_precisions).astype(np.int32)),
        "p": _decode(report_precision, (unique // n_types) % n_precisions),
        "type": _decode(types, unique % n_types),
    })  # fmt: skip

    who, set_offsets, set_names, names = _actor_index(con, who_hashes, who_codes)

    cell_key = np.where(
        cell_codes < len(cells.values), (cell_codes.astype(np.int64) * n_types + types.codes) * 2 + coarse, -1
    ).astype(np.int32 if len(cells.values) * n_types * 2 < 2**31 else np.int64)
    cell_x, cell_y = _cell_centres(cells.values, radius)
    summary = Summary(
        n=n, n_dated=n_dated, day=day, columns=columns, placed=placed, confidence=confidence,
        report_day=report_day, own_key=own_key, own_groups=own_groups, report_key=report_key,
        report_groups=report_groups, who=who, set_offsets=set_offsets, set_names=set_names, names=names,
        radius=radius, cell_key=cell_key, cell_x=cell_x, cell_y=cell_y, bounds=bounds,
        id_hashes=id_hashes, id_rows=id_rows,
    )  # fmt: skip
    _freeze(summary)
    return summary


def _bounds(con: duckdb.DuckDBPyConnection) -> tuple[float, float, float, float] | None:
    """The catalog's map extent (the same query, so the hexagon radius is the one the app asks for)."""
    (row,) = con.execute(
        "SELECT min(lon), min(lat), max(lon), max(lat) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL"
    ).fetchall()
    return None if row[0] is None else (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def _encode_batch(batch: pa.RecordBatch, radius: float) -> dict[str, Any]:
    """One batch of rows as numpy arrays and per-batch dictionaries (merged by `_merge_codes`)."""
    out: dict[str, Any] = {}
    for name in (*CATEGORIES, "confidence", "rp", "who"):
        out[name] = _batch_codes(pc.dictionary_encode(batch.column(name)))
    out["day"] = _day_numbers(batch.column("day"))
    out["rd"] = _day_numbers(batch.column("rd"))
    # a copy: a zero-copy view would keep DuckDB's whole batch (sentences too) alive until the end
    out["id_hash"] = batch.column("id_hash").to_numpy(zero_copy_only=False).copy()
    out["placed"] = batch.column("placed").to_numpy(zero_copy_only=False).astype(bool)
    placed = np.flatnonzero(out["placed"])  # only placed events have a cell
    lon = batch.column("lon").to_numpy(zero_copy_only=False)[placed]
    lat = batch.column("lat").to_numpy(zero_copy_only=False)[placed]
    cell = np.zeros(len(out["placed"]), dtype=np.int64)
    cell[placed] = _cell_of(lon, lat, radius)
    out["cell"] = _batch_codes(pc.dictionary_encode(pa.array(cell, mask=~out["placed"])))
    return out


def _day_numbers(column: pa.Array) -> np.ndarray:
    """DATE values as int32 days since 1970-01-01, NULL as NO_DAY."""
    days = pc.cast(column, pa.int32())
    return pc.fill_null(days, NO_DAY).to_numpy(zero_copy_only=False).astype(np.int32)


def _batch_codes(encoded: pa.DictionaryArray) -> tuple[np.ndarray, pa.Array]:
    """A batch's dictionary codes in the smallest integer type (NULL: the dictionary's length), and
    the dictionary. Arrow's int32 indices held for every batch until the merge were most of the
    build's peak memory."""
    dtype = np.min_scalar_type(len(encoded.dictionary))
    indices = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False).astype(dtype)
    return indices, encoded.dictionary


def _merge_codes(batches: list[dict[str, Any]], name: str) -> Column:
    """The batches' `name` codes -> one `Column` with a sorted global dictionary (NULL coded last).

    Each batch's part is dropped once merged, so the build holds one copy of the column at a time.
    """
    if not batches:
        return Column(np.zeros(0, np.int32), np.zeros(0, dtype=object))
    values = pc.unique(pa.concat_arrays([b[name][1] for b in batches]))
    values = values.take(pc.sort_indices(values))
    dtype = np.min_scalar_type(len(values))
    codes = np.empty(sum(len(b[name][0]) for b in batches), dtype=dtype)
    at = 0
    for batch in batches:
        indices, dictionary = batch.pop(name)
        lut = np.append(pc.index_in(dictionary, values).to_numpy(zero_copy_only=False), len(values)).astype(dtype)
        codes[at: at + len(indices)] = lut[indices]
        at += len(indices)
    return Column(codes, np.asarray(values.to_pylist(), dtype=object))


def _concat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def _cell_of(lon: np.ndarray, lat: np.ndarray, radius: float) -> np.ndarray:
    """The hexagon holding each point, as `queries.hex_bins` computes it, packed in one int64:
    lattice (A at round(x/w), round(y/h); B at floor + 0.5) and its two integer indices."""
    w, h = np.sqrt(3) * radius, 3 * radius
    x = np.radians(lon)
    y = np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)) / 2))
    xw, yh = x / w, y / h
    ai, aj = _round_half_away(xw), _round_half_away(yh)
    bi, bj = np.floor(xw), np.floor(yh)
    use_a = (x - ai * w) ** 2 + (y - aj * h) ** 2 <= (x - (bi + 0.5) * w) ** 2 + (y - (bj + 0.5) * h) ** 2
    i = np.where(use_a, ai, bi).astype(np.int64) + CELL_OFFSET  # |index| < 2**28: a cell is >= 0.5 deg / 40 wide
    j = np.where(use_a, aj, bj).astype(np.int64) + CELL_OFFSET
    return ((i << 30) | j) * 2 + (~use_a)


def _cell_centres(keys: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Mercator centres of the packed cells of `_cell_of`."""
    keys = np.asarray(keys, dtype=np.int64)
    lattice_b, rest = keys % 2, keys // 2
    i, j = (rest >> 30) - CELL_OFFSET, (rest & (2**30 - 1)) - CELL_OFFSET
    w, h = np.sqrt(3) * radius, 3 * radius
    offset = np.where(lattice_b == 1, 0.5, 0.0)
    return (i + offset) * w, (j + offset) * h


def _round_half_away(values: np.ndarray) -> np.ndarray:
    """DuckDB's round(): halves away from zero (numpy's round goes to even)."""
    return np.trunc(values + np.copysign(0.5, values))


def _actor_index(
    con: duckdb.DuckDBPyConnection, hashes: Column, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(row -> name set, set offsets, set members, names): the names of each distinct
    (actors, targets, actor_countries, actor_sectors), with the "state:CC" roll-ups.

    Rows carry a 64-bit hash of their four lists; the lists are grouped themselves here, so two
    different lists with one hash would show as a repeated hash, which is refused.
    """
    sets = con.execute(
        """SELECT hash(actors, targets, actor_countries, actor_sectors) AS h,
                  list_distinct(list_concat(actors, targets, CASE WHEN list_has_any(actor_sectors, $sectors)
                      THEN list_transform(list_filter(actor_countries, lambda c: c IS NOT NULL), lambda c: $prefix || c)
                      ELSE []::VARCHAR[] END)) AS names
           FROM events WHERE NOT coalesce(not_event, FALSE)
           GROUP BY actors, targets, actor_countries, actor_sectors""",
        {"sectors": list(STATE_SECTORS), "prefix": STATE_PREFIX},
    ).fetchall()
    by_hash = {}
    for h, members in sets:
        if h in by_hash:
            raise ValueError(f"two different actor lists share the hash {h}: cannot index actors")
        by_hash[h] = [m for m in members if m is not None]
    names = np.asarray(sorted({m for members in by_hash.values() for m in members}), dtype=object)
    name_code = {name: i for i, name in enumerate(names)}
    members = [by_hash[h] for h in hashes.values]  # set code = hash code (sorted hashes)
    lengths = np.array([len(m) for m in members], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    flat = np.array([name_code[m] for ms in members for m in ms], dtype=np.int32)
    who = codes.astype(np.int32)
    if (who >= len(members)).any():  # a NULL hash cannot happen (hash of NULLs is a number), but never index past
        raise ValueError("an event has no actor-list hash")
    return who, offsets, flat, names


def _freeze(summary: Summary) -> None:
    """Make every array read-only: a cached summary is shared by every session."""
    for f in fields(summary):
        value = getattr(summary, f.name)
        items = value.values() if isinstance(value, dict) else [value]
        for item in items:
            for array in (item.codes, item.values) if isinstance(item, Column) else (item,):
                if isinstance(array, np.ndarray):
                    array.flags.writeable = False


# --------------------------------------------------------------------------- helpers


def _and(masks: list[np.ndarray | None]) -> np.ndarray | None:
    """The AND of the given masks (None: all rows)."""
    out = None
    for mask in masks:
        if mask is not None:
            out = mask if out is None else out & mask
    return out


def _take(codes: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """`codes` of the rows (a boolean mask, or row numbers; None: all rows).

    A mask becomes row numbers first: indexing by a boolean mask with a third of 10M rows set cost
    about 50 ms, finding the rows and indexing by them about 10 ms.
    """
    if rows is None:
        return codes
    return codes[np.flatnonzero(rows) if rows.dtype == bool else rows]


def _value_counts(values: np.ndarray, counts: np.ndarray) -> pd.DataFrame:
    """(value, n) for the non-zero counts, most frequent first, then by value (values are sorted)."""
    present = np.flatnonzero(counts)
    order = present[np.argsort(-counts[present], kind="stable")]
    return pd.DataFrame({"value": pd.array(values[order].tolist(), dtype="str"), "n": counts[order].astype("int64")})


def _decode(column: Column, codes: np.ndarray) -> Any:
    return pd.array(np.append(column.values, None)[codes].tolist(), dtype="str")


def _day_number(day: date) -> int:
    return (day - EPOCH).days


def _day(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


def _dates(days: np.ndarray) -> pd.Series:
    """Day numbers as the datetime64[us] column DuckDB gives for DATE (NO_DAY -> NaT)."""
    missing = days == NO_DAY
    values = np.where(missing, 0, days).astype("datetime64[D]").astype("datetime64[us]")
    values[missing] = np.datetime64("NaT")
    return pd.Series(values)
