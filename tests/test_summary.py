"""The in-memory summary (events/store/summary.py) answers exactly what the SQL read side answers.

Every answer is checked against `events.store.queries` without a summary, over
the real fixture events as a DuckDB file and as a Parquet dataset.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from conftest_dashboard import events_db, events_source  # noqa: F401 - pytest fixtures
from events.store import corrections, queries
from events.store.database import Store
from events.store.queries import Filters
from events.store.summary import build_summary

FILTERS = [
    Filters(),
    Filters(types=("ASSAULT",)),
    Filters(types=("CONSULT", "AGREE"), countries=("KZ", "UZ"), min_confidence=0.5),
    Filters(actors=("Russia",)),
    Filters(actors=("state:RU",)),
    Filters(actors=("Russia", "Ukraine"), types=("ACCUSE",)),
    Filters(modes=("visit",), statuses=("occurred",)),
    Filters(admin1=("Karakalpakstan",)),
    Filters(date_from=date(2022, 7, 1), date_to=date(2022, 7, 31)),
    Filters(date_from=date(2022, 7, 1), date_to=date(2022, 7, 31), report_dates=False),
    Filters(date_from=date(2024, 1, 1)),
    Filters(date_to=date(2021, 12, 31), dating="report"),
    Filters(dating="dated", coarse_dates=False),
    Filters(dating="none"),
    Filters(dating="undated", report_dates=False),
    Filters(place="placed", min_confidence=0.8),
    Filters(place="none", types=("CONSULT",)),
    Filters(min_confidence=0.999),
    Filters(countries=("XX",)),  # matches nothing
    Filters(text="pipeline"),
    Filters(text="  PIPELINE ", types=("SANCTION",), date_from=date(2022, 1, 1)),
    Filters(text="no sentence says this"),
]


def label(filters: Filters) -> str:
    return ",".join(f"{k}={v}" for k, v in vars(filters).items() if v != getattr(Filters(), k)) or "none"


@pytest.fixture(scope="module")
def summaries(events_source: Path):  # noqa: F811
    with queries.read_connection(events_source) as con:
        yield events_source, build_summary(con)


def narrowed(source: Path, summary, filters: Filters):
    """The summary as the app asks it: narrowed to the filters' text by one scan, when they have one."""
    with queries.read_connection(source) as con:
        return summary.for_filters(con, filters)


def rows(frame: pd.DataFrame) -> list[tuple]:
    """A frame's rows, in a fixed order (empty frames of either dtype compare equal)."""
    return sorted(map(tuple, frame.astype(object).where(frame.notna(), None).itertuples(index=False)), key=repr)


@pytest.mark.parametrize("filters", FILTERS, ids=label)
def test_timeline_groups_and_counts_equal_sql(summaries, filters: Filters) -> None:
    source, summary = summaries
    with queries.read_connection(source) as con:
        sql = queries.timeline_groups(con, filters)
        counts = queries.count_summary(con, filters)
    summary = narrowed(source, summary, filters)
    assert rows(summary.timeline_groups(filters)) == rows(sql)
    with queries.read_connection(source) as con:
        assert queries.count_summary(con, filters, summary=summary) == counts


@pytest.mark.parametrize("filters", FILTERS, ids=label)
def test_every_facet_count_equals_sql(summaries, filters: Filters) -> None:
    source, summary = summaries
    with queries.read_connection(source) as con:
        sql = queries.live_facets(con, filters)
    ours = narrowed(source, summary, filters).live_facets(filters, {}, actor_limit=5000)
    assert set(ours) == set(sql)
    for facet in set(sql) - {"actor_live"}:
        assert list(ours[facet]["value"]) == list(sql[facet]["value"]), facet  # most frequent first, then by name
        assert list(ours[facet]["n"]) == list(sql[facet]["n"]), facet
    assert ours["actor_live"]["value"].iloc[0]


@pytest.mark.parametrize("filters", FILTERS, ids=label)
def test_hexagons_equal_sql(summaries, filters: Filters) -> None:
    source, summary = summaries
    radius = queries.hex_radius(summary.bounds)
    summary = narrowed(source, summary, filters)
    with queries.read_connection(source) as con:
        sql = queries.hex_bins(con, filters, radius)
        ours = queries.hex_bins(con, filters, radius, summary)
    key = ["lon", "lat", "n", "type", "coarse_share"]
    assert rows(ours[key]) == rows(sql[key])
    assert rows(ours[["lon", "lat", "polygon"]].astype(str)) == rows(sql[["lon", "lat", "polygon"]].astype(str))


def test_hexagons_of_another_radius_come_from_sql(summaries) -> None:
    source, summary = summaries
    assert summary.hex_counts(Filters(), summary.radius / 2) is None
    with queries.read_connection(source) as con:
        sql = queries.hex_bins(con, Filters(), summary.radius / 2)
        ours = queries.hex_bins(con, Filters(), summary.radius / 2, summary)
    assert len(sql) > 1 and rows(ours.astype(str)) == rows(sql.astype(str))


@pytest.mark.parametrize("limit", [1, 5, 40, 1000])
@pytest.mark.parametrize("filters", FILTERS, ids=label)
def test_the_day_hints_change_no_table_page_and_no_point(summaries, filters: Filters, limit: int) -> None:
    source, summary = summaries
    summary = narrowed(source, summary, filters)
    with queries.read_connection(source) as con:
        assert queries.table(con, filters, limit, summary).equals(queries.table(con, filters, limit))
        for per_event in (False, True):
            assert queries.map_points(con, filters, limit, per_event, summary).equals(
                queries.map_points(con, filters, limit, per_event)
            )


def test_a_text_search_needs_the_summary_narrowed_to_it(summaries) -> None:
    source, summary = summaries
    filters = Filters(text="pipeline", types=("SANCTION",))
    assert not summary.supports(filters)
    with pytest.raises(ValueError, match="narrow it first"):
        summary.mask(filters)
    with queries.read_connection(source) as con:  # not narrowed: every answer comes from SQL
        assert queries.count_summary(con, filters, summary=summary) == queries.count_summary(con, filters)
        assert queries.count_summary(con, filters).matching > 0
        hits = summary.text_hits(con, filters.text)
    ours = summary.narrowed(filters.text, hits)
    assert ours.supports(filters) and ours.supports(Filters(text=" Pipeline")) and ours.supports(Filters())
    assert not ours.supports(Filters(text="pipelines"))
    assert ours.day is summary.day  # narrowing shares the arrays


def test_the_actor_index_finds_names_among_targets_and_state_roll_ups(summaries) -> None:
    source, summary = summaries
    with queries.read_connection(source) as con:
        target_only = con.execute(
            """SELECT t FROM (SELECT unnest(targets) AS t FROM events)
               WHERE t NOT IN (SELECT unnest(actors) FROM events) LIMIT 1"""
        ).fetchall()[0][0]
        expected = con.execute("SELECT count(*) FROM events WHERE list_contains(targets, ?)", [target_only]).fetchall()
    assert queries._counts_from_groups(summary.timeline_groups(Filters(actors=(target_only,))), True).matching == expected[0][0]
    states = summary.live_facets(Filters(types=("ASSAULT",)), {}, 5000)["state"]
    assert all(value.startswith("state:") for value in states["value"])


def test_a_dataset_page_reads_only_the_files_of_its_days(tmp_path: Path, events_db: Path) -> None:  # noqa: F811
    """The point of the day hint: the newest page of a day-sorted dataset reads its own month only."""
    from conftest_dashboard import build_fixture_dataset

    dataset = build_fixture_dataset(events_db, tmp_path / "ds")
    with queries.read_connection(dataset) as con:
        summary = build_summary(con)
        where, params = queries.where_clause(Filters())
        cutoff = summary.table_cutoff(Filters(), 3)
        plan = con.execute(f"EXPLAIN ANALYZE SELECT count(*) FROM events WHERE {where} AND day >= $c",
                           {**params, "c": cutoff}).fetchall()[0][1]
        newest = con.execute("SELECT day FROM events ORDER BY day DESC NULLS LAST LIMIT 1 OFFSET 2").fetchall()[0][0]
    assert cutoff == newest
    scanned, total = map(int, re.search(r"Row Groups Scanned: (\d+) / (\d+)", plan).groups())
    assert total > 3 and scanned == 1


def test_a_correction_gives_a_new_stamp_and_a_summary_that_shows_it(tmp_path: Path, events_db: Path) -> None:  # noqa: F811
    """Why a cached summary is never stale: the dashboard keys it on `db_stamp`, which a correction changes."""
    db = tmp_path / "events.duckdb"
    shutil.copy(events_db, db)
    with queries.read_connection(db) as con:
        before, stamp = build_summary(con), queries.db_stamp(db)
        event_id, kind = con.execute("SELECT event_id, type FROM events WHERE type <> 'PROTEST' LIMIT 1").fetchall()[0]
        hidden = con.execute("SELECT event_id FROM events WHERE event_id <> ? LIMIT 1", [event_id]).fetchall()[0][0]
    with Store(db) as store:
        corrections.correct(store.connection, event_id, "type", {"type": "PROTEST"}, "tester")
        corrections.correct(store.connection, hidden, "not_event", {"not_event": True}, "tester")
    assert queries.db_stamp(db) != stamp
    with queries.read_connection(db) as con:
        after = build_summary(con)
        for filters in (Filters(), Filters(types=("PROTEST",)), Filters(types=(kind,))):
            assert rows(after.timeline_groups(filters)) == rows(queries.timeline_groups(con, filters))
    assert after.n == before.n - 1  # "not an event" is hidden everywhere
    protests = Filters(types=("PROTEST",))
    assert queries._counts_from_groups(after.timeline_groups(protests), True).matching == (
        queries._counts_from_groups(before.timeline_groups(protests), True).matching + 1
    )


def test_the_catalog_from_a_summary_equals_the_catalog_from_sql(summaries) -> None:
    source, summary = summaries
    with queries.read_connection(source) as con:
        sql, ours = queries.catalog(con), queries.catalog(con, summary)
    assert (ours.total, ours.first_day, ours.last_day, ours.bounds) == (sql.total, sql.first_day, sql.last_day, sql.bounds)
    assert list(ours.facets) == list(sql.facets)
    for name in sql.facets:
        assert rows(ours.facets[name]) == rows(sql.facets[name]), name
    for name in ("actors", "states"):
        assert list(getattr(ours, name)["value"]) == list(getattr(sql, name)["value"]), name
        assert list(getattr(ours, name)["n"]) == list(getattr(sql, name)["n"]), name
    assert rows(ours.groups) == rows(sql.groups)


def test_an_empty_database_gives_a_summary_that_answers_nothing(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(db))
    con.execute((Path(queries.__file__).parent / "schema.sql").read_text(encoding="utf-8"))
    con.close()
    with queries.read_connection(db) as con:
        summary = build_summary(con)
        assert summary.n == 0 and summary.bounds is None
        for filters in FILTERS:
            ours = summary.for_filters(con, filters)
            assert ours.supports(filters)
            assert queries.count_summary(con, filters, summary=ours) == queries.count_summary(con, filters)
            assert ours.live_facets(filters, {}, 10)["type"].empty
            assert ours.hex_counts(filters, summary.radius).empty
            assert ours.table_cutoff(filters, 10) is None
