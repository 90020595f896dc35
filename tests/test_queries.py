"""The read side (events/queries.py) over a small database of real seed events."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest_dashboard import XSS_EVENT_ID, XSS_SENTENCE, events_db, events_source  # noqa: F401 - pytest fixtures
from events import queries
from events.queries import Filters


@pytest.fixture
def con(events_source: Path):  # noqa: F811 - a DuckDB file, then a Parquet dataset folder
    with queries.read_connection(events_source) as connection:
        yield connection


def ids(con, filters: Filters) -> set[str]:
    where, params = queries.where_clause(filters)
    return {row[0] for row in con.execute(f"SELECT event_id FROM events WHERE {where}", params).fetchall()}


def sql_count(con, condition: str) -> int:
    return con.execute(f"SELECT count(*) FROM events WHERE {condition}").fetchone()[0]


# --------------------------------------------------------------------------- filters


def test_no_filters_match_every_event(con) -> None:
    assert len(ids(con, Filters())) == sql_count(con, "TRUE") == 87


@pytest.mark.parametrize(
    ("filters", "condition"),
    [
        (Filters(types=("ASSAULT",)), "type = 'ASSAULT'"),
        (Filters(types=("ASSAULT", "CONSULT")), "type IN ('ASSAULT', 'CONSULT')"),
        (Filters(countries=("UZ",)), "country = 'UZ'"),
        (Filters(admin1=("Karakalpakstan",)), "admin1 = 'Karakalpakstan'"),
        (Filters(statuses=("scheduled",)), "status = 'scheduled'"),
        (Filters(modes=("visit",)), "mode = 'visit'"),
        (Filters(min_confidence=0.8), "confidence >= 0.8"),
        (Filters(coarse_dates=False), "date_precision NOT IN ('month', 'year')"),
        (Filters(undated=False), "day IS NOT NULL"),
        (Filters(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31)), "day BETWEEN '2022-01-01' AND '2022-12-31'"),
        (Filters(actors=("Russia",)), "list_contains(actors, 'Russia') OR list_contains(targets, 'Russia')"),
        (Filters(text="PIPELINE"), "lower(sentence) LIKE '%pipeline%'"),
    ],
)
def test_each_filter_selects_what_it_says(con, filters: Filters, condition: str) -> None:
    expected = {r[0] for r in con.execute(f"SELECT event_id FROM events WHERE {condition}").fetchall()}
    assert expected, f"fixture has no event for {condition}"
    assert ids(con, filters) == expected


def test_filters_combine_with_and(con) -> None:
    both = ids(con, Filters(types=("CONSULT",), countries=("UZ",)))
    assert both == ids(con, Filters(types=("CONSULT",))) & ids(con, Filters(countries=("UZ",)))
    assert both  # Lavrov's visit to Tashkent


def test_text_search_takes_wildcards_literally(con) -> None:
    assert ids(con, Filters(text="Lavrov%Tashkent")) == set()  # LIKE would match these two
    assert ids(con, Filters(text="L_vrov")) == set()
    assert ids(con, Filters(text="Lavrov")) != set()
    assert ids(con, Filters(text="<script>")) == {XSS_EVENT_ID}


def test_values_are_bound_never_spliced_into_sql(con) -> None:
    hostile = "x' OR '1'='1"
    where, params = queries.where_clause(Filters(text=hostile, types=(hostile,), actors=(hostile,)))
    assert hostile.lower() not in where and hostile not in where
    assert ids(con, Filters(text=hostile)) == set()


def test_a_date_range_leaves_out_undated_events(con) -> None:
    assert not ids(con, Filters(date_from=date(2000, 1, 1))) & ids(con, Filters()) - ids(con, Filters(undated=False))


def test_with_dates_only_narrows(con) -> None:
    base = Filters(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31))
    narrowed = base.with_dates(date(2021, 1, 1), date(2022, 7, 31))
    assert (narrowed.date_from, narrowed.date_to) == (date(2022, 1, 1), date(2022, 7, 31))


# --------------------------------------------------------------------------- counts


def test_counts_tell_how_many_are_missing_from_map_and_timeline(con) -> None:
    counts = queries.count_summary(con, Filters())
    assert counts.matching == 87
    assert counts.without_place == sql_count(con, "lat IS NULL")
    assert counts.without_date == sql_count(con, "day IS NULL")
    assert counts.on_map == len(queries.map_points(con, Filters(), 10_000))
    _, frame = queries.timeline(con, Filters())
    assert counts.on_timeline == frame["n"].sum()


# --------------------------------------------------------------------------- timeline


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [
        (date(2022, 7, 1), date(2022, 7, 1), "day"),
        (date(2022, 7, 1), date(2022, 9, 30), "day"),
        (date(2022, 1, 1), date(2023, 6, 30), "week"),
        (date(2010, 1, 1), date(2024, 3, 23), "month"),
    ],
)
def test_bin_size_follows_the_span(first: date, last: date, unit: str) -> None:
    assert queries.choose_bin(first, last) == unit


def test_timeline_bins_are_stacked_by_type(con) -> None:
    unit, frame = queries.timeline(con, Filters(date_from=date(2022, 7, 1), date_to=date(2022, 7, 31)))
    assert unit == "day"
    assert set(frame.columns) == {"bin_start", "bin_end", "type", "n"}
    july_6 = frame[frame["bin_start"] == "2022-07-06"]
    assert dict(zip(july_6["type"], july_6["n"])) == {"REJECT": 1}
    assert (frame["bin_end"] > frame["bin_start"]).all()


def test_month_bins_count_every_dated_event(con) -> None:
    unit, frame = queries.timeline(con, Filters(), bin_unit="month")
    assert unit == "month"
    assert frame["n"].sum() == sql_count(con, "day IS NOT NULL")
    assert (frame["bin_start"].dt.day == 1).all()


# --------------------------------------------------------------------------- map


def test_map_points_carry_codes_not_sentences(con) -> None:
    points = queries.map_points(con, Filters(), 10_000)
    assert list(points.columns) == ["event_id", "lon", "lat", "type", "coarse", "date", "place", "actors", "snippet"]
    assert points["snippet"].str.len().max() <= 80
    karakalpakstan = points[points["place"] == "Karakalpakstan"]
    assert len(karakalpakstan) and karakalpakstan["coarse"].all()  # admin1 centroid, drawn as a ring
    assert not points[points["place"] == "Tashkent"]["coarse"].any()


def test_hexagons_hold_every_placed_event(con) -> None:
    cells = queries.hex_bins(con, Filters(), queries.hex_radius(queries.catalog(con).bounds))
    assert cells["n"].sum() == queries.count_summary(con, Filters()).on_map
    assert len(cells) < cells["n"].sum()  # some aggregation happened
    for polygon in cells["polygon"]:
        assert len(polygon) == 7 and polygon[0] == polygon[-1]


def test_hexagon_contains_its_points(con) -> None:
    """Every Tashkent event lands in one cell whose centre is near Tashkent."""
    radius = queries.hex_radius((60.0, 35.0, 75.0, 45.0), across=10)
    cells = queries.hex_bins(con, Filters(text="tashkent"), radius)
    assert len(cells) == 1
    lon, lat = cells.iloc[0][["lon", "lat"]]
    assert abs(lon - 69.2) < 1.5 and abs(lat - 41.3) < 1.5


def test_arcs_run_from_actor_country_to_place(con) -> None:
    arcs = queries.actor_arcs(con, Filters(text="lavrov"), {"RU": (37.6, 55.75)})
    assert len(arcs) == 1
    arc = arcs.iloc[0]
    assert (arc["src"], arc["src_lon"]) == ("RU", 37.6)
    assert abs(arc["dst_lon"] - 69.2) < 0.1


# --------------------------------------------------------------------------- details, facets


def test_event_detail_brings_article_and_cluster(con) -> None:
    lavrov = queries.table(con, Filters(text="lavrov", modes=("visit",)))
    detail = queries.event_detail(con, lavrov.iloc[0]["event_id"])
    assert detail.record["sentence"].startswith("Russia’s Foreign Minister Sergei Lavrov")
    assert detail.article["title"].startswith("Tashkent")
    assert len(detail.cluster) == 1 and detail.record["event_id"] not in set(detail.cluster["event_id"])


def test_unknown_event_is_a_lookup_error(con) -> None:
    with pytest.raises(LookupError):
        queries.event_detail(con, "no-such-event")


def test_actor_counts_count_events_not_mentions(con) -> None:
    actors = queries.actor_counts(con)
    russia = int(actors[actors["value"] == "Russia"]["n"].iloc[0])
    assert russia == len(ids(con, Filters(actors=("Russia",))))


def test_facets_only_on_whitelisted_columns(con) -> None:
    assert set(queries.facet_counts(con, "type")["value"]) <= set(queries.PLOVER_TYPES)
    with pytest.raises(ValueError):
        queries.facet_counts(con, "sentence; DROP TABLE events")


# --------------------------------------------------------------------------- exports


SELECTION = Filters(types=("CONSULT", "REJECT"), undated=False)


def test_jsonl_export_is_exactly_the_selection(con) -> None:
    lines = queries.export_jsonl(con, SELECTION).decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["event_id"] for r in records} == ids(con, SELECTION)
    assert list(records[0]) == list(queries.RECORD_FIELDS)
    assert isinstance(records[0]["actors"], list)


def test_csv_export_is_exactly_the_selection(con) -> None:
    rows = list(csv.DictReader(io.StringIO(queries.export_csv(con, SELECTION).decode())))
    assert {r["event_id"] for r in rows} == ids(con, SELECTION)
    xss = next(r for r in rows if r["event_id"] == XSS_EVENT_ID)
    assert xss["sentence"] == XSS_SENTENCE  # verbatim, nothing escaped or stripped


def test_geojson_export_keeps_unplaced_events_with_null_geometry(con) -> None:
    selection = Filters(types=("CONSULT",))
    collection = json.loads(queries.export_geojson(con, selection))
    features = collection["features"]
    assert {f["id"] for f in features} == ids(con, selection)
    placed = [f for f in features if f["geometry"]]
    assert len(placed) == queries.count_summary(con, selection).on_map
    lon, lat = placed[0]["geometry"]["coordinates"]
    assert (lon, lat) == (placed[0]["properties"]["lon"], placed[0]["properties"]["lat"])
    assert any(f["geometry"] is None for f in features)


# --------------------------------------------------------------------------- connection


def test_reader_does_not_block_a_writer(events_db: Path, tmp_path: Path) -> None:  # noqa: F811
    """Between reads no connection is held, so another writer can open the file."""
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(events_db.read_bytes())
    before = queries.db_stamp(copy)
    with queries.read_connection(copy) as con:
        queries.count_summary(con, Filters())
    writer = duckdb.connect(str(copy))
    try:
        writer.execute("UPDATE events SET confidence = 0.99 WHERE event_id = ?", [XSS_EVENT_ID])
        writer.execute("CHECKPOINT")
    finally:
        writer.close()
    assert queries.db_stamp(copy) != before  # the dashboard's cache key changes


def test_missing_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="events extract"):
        with queries.read_connection(tmp_path / "absent.duckdb"):
            pass
