"""The read side (events/store/queries.py) over a small database of real seed events."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest_dashboard import XSS_EVENT_ID, XSS_SENTENCE, events_db, events_source  # noqa: F401 - pytest fixtures
from events.store import queries
from events.store.queries import Filters


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
        (Filters(dating="dated"), "day IS NOT NULL"),
        (Filters(dating="undated"), "day IS NULL"),
        (Filters(place="placed"), "lat IS NOT NULL"),
        (Filters(place="none"), "lat IS NULL"),
        (Filters(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31), report_dates=False),
         "day BETWEEN '2022-01-01' AND '2022-12-31'"),
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


def test_a_date_range_leaves_out_undated_events_when_report_dates_are_off(con) -> None:
    undated = ids(con, Filters(dating="undated"))
    assert undated and not ids(con, Filters(date_from=date(2000, 1, 1), report_dates=False)) & undated


def test_a_date_range_keeps_undated_events_whose_article_falls_in_it(con) -> None:
    """s03 was published 2024-03-23 and s04 in 2024-03: their undated events are in March 2024."""
    march = Filters(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))
    expected = {r[0] for r in con.execute(
        "SELECT event_id FROM events WHERE day BETWEEN '2024-03-01' AND '2024-03-31' "
        "OR (day IS NULL AND doc_id IN ('s03', 's04'))").fetchall()}  # fmt: skip
    assert ids(con, march) == expected
    assert ids(con, march) - ids(con, Filters(dating="dated"))  # some are there by their report
    assert ids(con, Filters(date_from=date(2024, 3, 24), date_to=date(2024, 3, 31))) & ids(con, Filters(dating="report")) == set()


def test_dating_choices_split_the_events(con) -> None:
    dated, report, none = (ids(con, Filters(dating=d)) for d in ("dated", "report", "none"))
    assert dated | report | none == ids(con, Filters())
    assert not dated & report and not dated & none and not report & none
    published = {r[0] for r in con.execute("SELECT doc_id FROM articles WHERE published IS NOT NULL").fetchall()}
    doc_of = dict(con.execute("SELECT event_id, doc_id FROM events").fetchall())
    assert report and all(doc_of[e] in published for e in report)
    assert none and not any(doc_of[e] in published for e in none)
    assert report | none == ids(con, Filters(dating="undated"))


def test_bad_choice_is_an_error_not_a_silent_match(con) -> None:
    with pytest.raises(ValueError, match="dating"):
        queries.where_clause(Filters(dating="sometimes"))
    with pytest.raises(ValueError, match="place"):
        queries.where_clause(Filters(place="nowhere"))


def test_with_dates_only_narrows(con) -> None:
    base = Filters(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31))
    narrowed = base.with_dates(date(2021, 1, 1), date(2022, 7, 31))
    assert (narrowed.date_from, narrowed.date_to) == (date(2022, 1, 1), date(2022, 7, 31))


# --------------------------------------------------------------------------- counts


def test_counts_tell_how_many_are_missing_from_map_and_timeline(con) -> None:
    counts = queries.count_summary(con, Filters())
    assert counts.matching == 87
    assert counts.without_place == sql_count(con, "lat IS NULL")
    unpublished = "doc_id NOT IN (SELECT doc_id FROM articles WHERE published IS NOT NULL)"
    assert counts.without_date == sql_count(con, f"day IS NULL AND {unpublished}")
    assert counts.by_report == sql_count(con, f"day IS NULL AND NOT {unpublished}") > 0
    assert counts.on_map == len(queries.map_points(con, Filters(), 10_000))
    _, frame = queries.timeline(con, Filters())
    assert counts.on_timeline == frame["n"].sum()
    assert frame[frame["by_report"]]["n"].sum() == counts.by_report


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(report_dates=False),
        Filters(types=("ASSAULT", "CONSULT"), min_confidence=0.5),
        Filters(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31)),
        Filters(dating="report"),
        Filters(dating="dated", place="none"),
        Filters(text="russia"),
    ],
)
def test_timeline_scan_gives_the_same_counts_as_the_count_query(con, filters: Filters) -> None:
    _, frame, counts = queries.timeline_counts(con, filters)
    assert counts == queries.count_summary(con, filters)
    assert counts.matching == len(ids(con, filters))
    assert frame["n"].sum() == counts.on_timeline


@pytest.mark.parametrize("unit", queries.BIN_UNITS)
def test_bins_start_where_duckdb_truncates_the_day(con, unit: str) -> None:
    _, frame = queries.timeline(con, Filters(report_dates=False, coarse_dates=False), bin_unit=unit)
    expected = con.execute(
        f"""SELECT date_trunc('{unit}', day)::DATE, count(*) FROM events
            WHERE day IS NOT NULL AND date_precision NOT IN ('month', 'year') GROUP BY 1"""
    ).fetchall()
    assert len(expected) > 3
    assert frame.groupby(frame["bin_start"].dt.date)["n"].sum().to_dict() == dict(expected)


def test_with_report_dates_off_every_undated_event_is_off_the_timeline(con) -> None:
    counts = queries.count_summary(con, Filters(report_dates=False))
    assert (counts.without_date, counts.by_report) == (sql_count(con, "day IS NULL"), 0)
    _, frame = queries.timeline(con, Filters(report_dates=False))
    assert not frame["by_report"].any() and frame["n"].sum() == sql_count(con, "day IS NOT NULL")


# --------------------------------------------------------------------------- timeline


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [
        (date(2022, 7, 1), date(2022, 7, 1), "day"),
        (date(2022, 7, 1), date(2022, 9, 30), "day"),
        (date(2022, 1, 1), date(2023, 6, 30), "week"),
        (date(2010, 1, 1), date(2024, 3, 23), "month"),
        (date(1990, 1, 1), date(2024, 3, 23), "year"),
    ],
)
def test_bin_size_follows_the_span(first: date, last: date, unit: str) -> None:
    assert queries.choose_bin(first, last) == unit


def test_timeline_bins_are_stacked_by_type(con) -> None:
    unit, frame = queries.timeline(con, Filters(date_from=date(2022, 7, 1), date_to=date(2022, 7, 31)))
    assert unit == "day"
    assert set(frame.columns) == {"bin_start", "bin_end", "type", "n", "lane", "by_report"}
    july_6 = frame[(frame["bin_start"] == "2022-07-06") & ~frame["by_report"]]
    assert dict(zip(july_6["type"], july_6["n"])) == {"REJECT": 1}
    assert (frame["bin_end"] > frame["bin_start"]).all()


def test_coarse_dates_span_their_period_never_a_day(con) -> None:
    """A "2022-07" event in day bins is a span from July 1 to August 1 in the period lane."""
    _, frame = queries.timeline(con, Filters(date_from=date(2022, 7, 1), date_to=date(2022, 7, 31)), bin_unit="day")
    month = sql_count(con, "date_precision = 'month' AND day = '2022-07-01'")
    spans = frame[(frame["lane"] == "period") & ~frame["by_report"]]
    assert month and spans["n"].sum() == month
    assert set(spans["bin_start"].astype(str)) == {"2022-07-01"} and set(spans["bin_end"].astype(str)) == {"2022-08-01"}
    days = frame[frame["lane"] == "bins"]
    assert ((days["bin_end"] - days["bin_start"]).dt.days == 1).all()
    _, by_month = queries.timeline(con, Filters(), bin_unit="month")  # month dates fit month bins: bars
    assert not by_month[(by_month["lane"] == "period")]["bin_start"].dt.month.ne(1).any()


def test_month_bins_count_every_dated_event(con) -> None:
    unit, frame = queries.timeline(con, Filters(), bin_unit="month")
    assert unit == "month"
    assert frame[~frame["by_report"]]["n"].sum() == sql_count(con, "day IS NOT NULL")
    assert (frame["bin_start"].dt.day == 1).all()


def test_undated_events_sit_at_their_articles_date(con) -> None:
    """s03 (published 2024-03-23): its undated events are by-report bars on that day."""
    _, frame = queries.timeline(con, Filters(date_from=date(2024, 3, 23), date_to=date(2024, 3, 23)), bin_unit="day")
    reported = frame[frame["by_report"]]
    assert reported["n"].sum() == sql_count(con, "day IS NULL AND doc_id = 's03'") > 0
    assert set(reported["bin_start"].astype(str)) == {"2024-03-23"}


# --------------------------------------------------------------------------- map


def test_map_points_carry_codes_not_sentences(con) -> None:
    points = queries.map_points(con, Filters(), 10_000)
    assert list(points.columns) == [
        "event_id", "lon", "lat", "type", "coarse", "inferred", "what", "date", "place", "actors", "snippet", "reports"
    ]  # fmt: skip
    assert points["snippet"].str.len().max() <= 80
    karakalpakstan = points[points["place"].str.startswith("Karakalpakstan")]
    assert len(karakalpakstan) and karakalpakstan["coarse"].all()  # admin1 centroid, drawn as a ring
    assert not points[points["place"].str.startswith("Tashkent")]["coarse"].any()


def test_one_point_per_event_joins_the_reports_of_a_cluster(con) -> None:
    every = queries.map_points(con, Filters(), 10_000)
    per_event = queries.map_points(con, Filters(), 10_000, per_event=True)
    clusters = con.execute(
        """SELECT coalesce(cluster_id, event_id) AS key, count(*) AS n FROM events
           WHERE lat IS NOT NULL AND lon IS NOT NULL GROUP BY 1"""
    ).df()
    assert (clusters["n"] > 1).any()  # the fixture has reports of one event, else this test proves nothing
    assert len(per_event) == len(clusters) < len(every)
    assert sorted(per_event["reports"]) == sorted(clusters["n"]) and set(every["reports"]) == {1}
    assert set(per_event["event_id"]) <= set(every["event_id"])  # drawn at one of its own reports


def test_map_tooltip_lines_say_precision_and_who_did_what_to_whom(con) -> None:
    lavrov = queries.map_points(con, Filters(text="lavrov", modes=("visit",)), 10).iloc[0]
    assert lavrov["what"] == "CONSULT · visit"
    assert lavrov["place"] == "Tashkent · point"  # no place_basis in this row: none claimed
    assert lavrov["actors"].startswith("Sergei Lavrov") and " → " in lavrov["actors"]
    month = queries.map_points(con, Filters(coarse_dates=True, dating="dated"), 1000)
    assert any(d.endswith("(month)") for d in month["date"]) and any(d.endswith("(day)") for d in month["date"])


def test_map_bounds_fit_the_filtered_events(con) -> None:
    lon_min, lat_min, lon_max, lat_max = queries.map_bounds(con, Filters(text="tashkent"))
    assert 69 < lon_min <= lon_max < 70 and 41 < lat_min <= lat_max < 42
    assert queries.map_bounds(con, Filters(place="none")) is None


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


@pytest.mark.parametrize(
    ("title", "url", "text", "expected"),
    [
        ("Kazakhstan seeks closer ties", None, "Body.", "Kazakhstan seeks closer ties"),
        (None, "https://www.rferl.org/a/x.html", "\n\nASTANA -- Kazakhstan's president said...\nMore.", "ASTANA -- Kazakhstan's president said..."),
        ("  ", "https://www.rferl.org/a/x.html", "", "www.rferl.org"),
        (None, None, "", None),
    ],
)
def test_untitled_articles_get_a_readable_title(title, url, text, expected) -> None:  # noqa: ANN001
    assert queries.article_title(title, url, text) == expected


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


SELECTION = Filters(types=("CONSULT", "REJECT"), dating="dated")


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


# --------------------------------------------------------------------------- live facets


@pytest.mark.parametrize(
    "filters",
    [
        Filters(types=("CONSULT", "ASSAULT"), countries=("UZ", "RU")),
        Filters(modes=("visit",), min_confidence=0.5, text="a"),
        Filters(actors=("Russia",), statuses=("occurred",), place="placed"),
        Filters(admin1=("Karakalpakstan",), dating="dated"),
    ],
)
def test_live_facets_count_under_every_filter_but_their_own(con, filters: Filters) -> None:
    from dataclasses import replace

    live = queries.live_facets(con, filters)
    for facet in ("type", "mode", "status", "country", "admin1"):
        expected = queries.facet_counts(con, facet, replace(filters, **{queries.FACET_FIELDS[facet]: ()}))
        assert dict(zip(live[facet]["value"], live[facet]["n"])) == dict(zip(expected["value"], expected["n"])), facet
    actors = queries.actor_counts(con, replace(filters, actors=()))
    assert dict(zip(live["actor"]["value"], live["actor"]["n"])) == dict(zip(actors["value"], actors["n"]))
    states = queries.state_actor_counts(con, replace(filters, actors=()))
    assert dict(zip(live["state"]["value"], live["state"]["n"])) == dict(zip(states["value"], states["n"]))


def test_actor_facet_keeps_whole_database_counts_above_its_cap(con, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    cat = queries.catalog(con)
    whole = {**cat.facets, "actor": cat.actors, "state": cat.states}
    filters = Filters(min_confidence=0.5)
    matching = queries.count_summary(con, filters).matching
    monkeypatch.setattr(queries, "LIVE_ACTOR_MAX_ROWS", matching - 1)
    over = queries.live_facets(con, filters, whole)
    assert over["actor"] is whole["actor"] and not over["actor_live"]["value"].iloc[0]
    monkeypatch.setattr(queries, "LIVE_ACTOR_MAX_ROWS", matching)
    under = queries.live_facets(con, filters, whole)
    expected = queries.actor_counts(con, replace(filters, actors=()))
    assert under["actor_live"]["value"].iloc[0]
    assert dict(zip(under["actor"]["value"], under["actor"]["n"])) == dict(zip(expected["value"], expected["n"]))
