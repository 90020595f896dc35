"""The dashboard app through `streamlit.testing.v1.AppTest`: URL filters, selections, exports, safe text."""

from __future__ import annotations

import html
import json
import math
import re
import socket
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest_dashboard import ROOT, XSS_EVENT_ID, XSS_SENTENCE, events_db, events_source  # noqa: F401 - pytest fixtures
from events.store import queries
from events.store.queries import Filters
from events_dashboard import charts, data

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def app(events_source: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:  # noqa: F811
    monkeypatch.setenv("EVENTS_DB", str(events_source))  # a DuckDB file, then a Parquet dataset folder
    return AppTest.from_file(APP, default_timeout=60)


def html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def counts_html(at: AppTest) -> str:
    return next(body for body in html_bodies(at) if "events match" in body)


def sentence_html(at: AppTest) -> str:
    return next(body for body in html_bodies(at) if 'data-testid="event-sentence"' in body)


def shown_text(body: str) -> str:
    """What a reader sees of an HTML snippet: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def run_ok(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# --------------------------------------------------------------------------- filters and the URL


def test_opens_on_every_event_with_honest_counts(app: AppTest) -> None:
    run_ok(app)
    counts = counts_html(app)
    assert "<b>87</b> of 87 events match" in counts
    assert "<b>40</b> not on the map (no place)" in counts
    # 40 events have no date of their own: 14 are placed in time by their article's date
    assert "<b>14</b> dated by report" in counts
    assert "<b>26</b> not on the timeline (no date)" in counts


def test_counts_line_links_filter_to_exactly_the_missing_events(app: AppTest) -> None:
    app.query_params.update({"type": ["ASSAULT", "COERCE"]})
    run_ok(app)
    links = dict(re.findall(r'data-testid="(link-[a-z-]+)" href="([^"]+)"', counts_html(app)))
    no_place = html.unescape(links["link-no-place"])
    assert no_place.startswith("?") and "type=ASSAULT" in no_place and "type=COERCE" in no_place
    assert "place=none" in no_place
    assert "dating=none" in html.unescape(links["link-no-date"])
    assert "dating=report" in html.unescape(links["link-by-report"])


@pytest.mark.parametrize(
    ("params", "condition"),
    [
        ({"place": "none"}, "lat IS NULL"),
        ({"place": "placed"}, "lat IS NOT NULL"),
        ({"dating": "dated"}, "day IS NOT NULL"),
        ({"dating": "report"}, "day IS NULL AND doc_id IN (SELECT doc_id FROM articles WHERE published IS NOT NULL)"),
        ({"dating": "none"}, "day IS NULL AND doc_id IN (SELECT doc_id FROM articles WHERE published IS NULL)"),
    ],
)
def test_place_and_date_filters_from_the_url(app: AppTest, params: dict[str, str], condition: str) -> None:
    app.query_params.update(params)
    run_ok(app)
    view = app.session_state["effective_filters"]
    with queries.read_connection(app_db(app)) as con:
        expected = con.execute(f"SELECT count(*) FROM events WHERE {condition}").fetchone()[0]
    assert (view.place, view.dating) == (params.get("place", "any"), params.get("dating", "any"))
    assert expected and f"<b>{expected}</b> of 87 events match" in counts_html(app)


def test_filters_are_read_from_the_url(app: AppTest) -> None:
    app.query_params.update({"type": ["CONSULT", "ASSAULT"], "country": "UZ", "conf": "0.5", "q": "tashkent"})
    run_ok(app)
    view = app.session_state["effective_filters"]
    assert view == Filters(types=("CONSULT", "ASSAULT"), countries=("UZ",), min_confidence=0.5, text="tashkent")
    with queries.read_connection(app_db(app)) as con:
        expected = queries.count_summary(con, view).matching
    assert f"<b>{expected}</b> of 87 events match" in counts_html(app)


def test_changing_a_filter_writes_it_to_the_url(app: AppTest) -> None:
    run_ok(app)
    app.multiselect(key="type").select("ASSAULT")
    app.checkbox(key="coarse").uncheck()
    run_ok(app)
    assert app.query_params["type"] == "ASSAULT"
    # `coarse` is bound with bind="query-params": the browser writes it to the URL
    # (AppTest has no frontend; the e2e test sees `q=` appear in the real URL).
    assert app.session_state["effective_filters"] == Filters(types=("ASSAULT",), coarse_dates=False)


def test_stale_url_values_are_dropped_not_fatal(app: AppTest) -> None:
    app.query_params.update({"type": ["NOT_A_TYPE", "AGREE"], "actor": "Nobody At All"})
    run_ok(app)
    assert app.session_state["effective_filters"] == Filters(types=("AGREE",))


def test_date_range_from_url_hides_undated_events(app: AppTest) -> None:
    app.query_params.update({"dates": ["2022-01-01", "2022-12-31"]})
    run_ok(app)
    view = app.session_state["effective_filters"]
    assert (str(view.date_from), str(view.date_to)) == ("2022-01-01", "2022-12-31")
    assert "<b>0</b> not on the timeline (no date)" in counts_html(app)


def test_actor_options_show_counts(app: AppTest) -> None:
    run_ok(app)
    actor = app.multiselect(key="actor")
    assert "Russia · 25" in actor.options


# --------------------------------------------------------------------------- selections and details


def app_db(at: AppTest) -> str:
    return str(data.resolve_db([], {"EVENTS_DB": __import__("os").environ["EVENTS_DB"]}))


def test_event_in_url_opens_its_details(app: AppTest) -> None:
    with queries.read_connection(app_db(app)) as con:
        lavrov = queries.table(con, Filters(text="lavrov", modes=("visit",))).iloc[0]["event_id"]
    app.query_params["event"] = lavrov
    run_ok(app)
    body = sentence_html(app)
    assert "Sergei Lavrov is set for an official" in shown_text(body)
    assert '<mark class="hl-trigger"' in body and '<mark class="hl-place"' in body
    assert "Other reports of this event" in " ".join(m.value for m in app.markdown)


def test_clicking_a_map_point_shows_the_event(app: AppTest) -> None:
    app.session_state["map"] = {
        "selection": {
            "indices": {charts.POINT_LAYER_ID: [0]},
            "objects": {charts.POINT_LAYER_ID: [{"event_id": XSS_EVENT_ID, "type": "REJECT"}]},
        }
    }
    run_ok(app)
    assert app.session_state["picked"] == XSS_EVENT_ID
    assert app.query_params["event"] == XSS_EVENT_ID
    assert "Officials" in sentence_html(app)


def test_clicking_a_table_row_shows_the_event(app: AppTest) -> None:
    app.query_params["type"] = "REJECT"
    run_ok(app)
    with queries.read_connection(app_db(app)) as con:
        rows = queries.table(con, app.session_state["effective_filters"])
    app.session_state["table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    run_ok(app)
    assert app.session_state["picked"] == rows.iloc[1]["event_id"]
    assert shown_text(sentence_html(app)) == rows.iloc[1]["sentence"]


def test_sentence_markup_is_shown_literally(app: AppTest) -> None:
    app.query_params["event"] = XSS_EVENT_ID
    run_ok(app)
    body = sentence_html(app)
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "**bold**" in body  # st.html does not run Markdown
    everything = " ".join(html_bodies(app))
    assert "<script" not in everything and "<b>title</b>" not in everything
    assert not any(XSS_SENTENCE in m.value for m in app.markdown)


def test_unknown_event_in_url_is_a_warning_not_a_crash(app: AppTest) -> None:
    app.query_params["event"] = "does-not-exist"
    run_ok(app)
    assert any("no longer in the database" in w.value for w in app.warning)


# --------------------------------------------------------------------------- table and export


def test_downloads_offer_exactly_the_filtered_selection(app: AppTest) -> None:
    app.query_params.update({"type": "CONSULT", "dating": "dated"})
    run_ok(app)
    view = app.session_state["effective_filters"]
    labels = [b.label for b in app.get("download_button") if b.label.startswith("Download")]
    with queries.read_connection(app_db(app)) as con:
        matching = queries.count_summary(con, view).matching
        expected = {r[0] for r in con.execute(
            "SELECT event_id FROM events WHERE type = 'CONSULT' AND day IS NOT NULL").fetchall()}  # fmt: skip
    assert labels == [f"Download {matching} as CSV", f"Download {matching} as GEOJSON", f"Download {matching} as JSONL"]
    exported = data.export_bytes(app_db(app), view, "jsonl").decode().splitlines()
    assert {json.loads(line)["event_id"] for line in exported} == expected


def test_table_lists_the_filtered_events(app: AppTest) -> None:
    app.query_params["q"] = "lavrov"
    run_ok(app)
    table = app.dataframe[0].value
    assert len(table) == 2
    assert set(table["place"]) == {"Tashkent"}


# --------------------------------------------------------------------------- map data


def test_map_switches_to_hexagons_above_the_point_limit(events_db: Path) -> None:  # noqa: F811
    with queries.read_connection(events_db) as con:
        cat = queries.catalog(con)
        on_map = queries.count_summary(con, Filters()).on_map
        few = data.compute_view(con, Filters(), Filters(), None, cat.bounds, max_points=10_000)
        many = data.compute_view(con, Filters(), Filters(), None, cat.bounds, max_points=10)
    assert few.points is not None and few.cells is None and len(few.points) == on_map
    assert many.points is None and many.cells["n"].sum() == on_map
    deck = json.loads(charts.event_map(None, many.cells, cat.bounds).to_json())
    assert [layer["id"] for layer in deck["layers"]] == ["countries", charts.HEX_LAYER_ID]
    assert len(deck["layers"][1]["data"]) == len(many.cells)


JULY_2022 = """SELECT count(*) FROM events WHERE day BETWEEN '2022-07-01' AND '2022-07-31'
    OR (day IS NULL AND doc_id IN (SELECT doc_id FROM articles WHERE published LIKE '2022-07%'))"""


def test_brush_narrows_everything_but_the_timeline(events_db: Path) -> None:  # noqa: F811
    base = Filters()
    view = base.with_dates(date(2022, 7, 1), date(2022, 7, 31))
    with queries.read_connection(events_db) as con:
        v = data.compute_view(con, base, view, None, None)
        _, full_timeline = queries.timeline(con, base)
        july = con.execute(JULY_2022).fetchone()[0]
    assert v.timeline["n"].sum() == full_timeline["n"].sum()
    assert v.counts.matching == len(v.table) == july == 9 + 4  # 4 undated, in articles of July 2022
    assert set(v.points["event_id"]) <= set(v.table["event_id"])


def test_brush_from_the_chart_state_filters_the_view(app: AppTest) -> None:
    run_ok(app)
    app.session_state["timeline"] = {"selection": {"brush": {"bin_start": [1656633600000, 1659225600000]}}}
    run_ok(app)  # 2022-07-01 .. 2022-07-31 as Vega sends it (epoch ms)
    view = app.session_state["effective_filters"]
    assert (str(view.date_from), str(view.date_to)) == ("2022-07-01", "2022-07-31")
    assert "<b>13</b> of 87 events match" in counts_html(app)  # the July 2022 events, 4 by their report
    assert app.query_params["brush"] == "2022-07-01,2022-07-31"  # kept in the URL for a shared link


def test_brush_in_the_url_filters_and_is_drawn(app: AppTest) -> None:
    app.query_params["brush"] = "2022-07-01,2022-07-31"
    run_ok(app)
    view = app.session_state["effective_filters"]
    assert (str(view.date_from), str(view.date_to)) == ("2022-07-01", "2022-07-31")
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    params = [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert params[0]["value"] == {"x": [{"year": 2022, "month": 7, "date": 1}, {"year": 2022, "month": 7, "date": 31}]}


@pytest.mark.parametrize("unit", ["day", "week", "month", "year"])
def test_user_chooses_the_bins(app: AppTest, unit: str) -> None:
    app.query_params["bins"] = unit
    run_ok(app)
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    bars = spec["layer"][-1]
    assert bars["encoding"]["x"]["axis"]["title"].startswith(f"{unit} bins")


def test_arcs_layer_when_asked(app: AppTest) -> None:
    app.query_params["arcs"] = "true"
    run_ok(app)
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert "actor-arcs" in [layer["id"] for layer in spec["layers"]]


def test_map_sends_no_full_sentences(events_db: Path) -> None:  # noqa: F811
    with queries.read_connection(events_db) as con:
        points = queries.map_points(con, Filters(), 1000)
        long_sentences = [s for (s,) in con.execute("SELECT sentence FROM events WHERE length(sentence) > 100").fetchall()]
    spec = charts.event_map(points, None, None).to_json()
    assert long_sentences and not any(s in spec for s in long_sentences)


def test_missing_database_explains_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_DB", str(tmp_path / "nothing.duckdb"))
    at = run_ok(AppTest.from_file(APP, default_timeout=60))
    assert any("No event database" in e.value and "events extract" in e.value for e in at.error)


def test_empty_database_opens_with_zero_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(db))
    con.execute((ROOT / "events" / "store" / "schema.sql").read_text(encoding="utf-8"))
    con.close()
    monkeypatch.setenv("EVENTS_DB", str(db))
    at = run_ok(AppTest.from_file(APP, default_timeout=60))
    assert "<b>0</b> of 0 events match" in counts_html(at)
    assert any("timeline is empty" in i.value for i in at.info)


# --------------------------------------------------------------------------- uploads


def test_bad_uploads_are_refused_with_reasons() -> None:
    files = [
        data.Upload("good.txt", "Russia halted the pipeline on Monday.".encode()),
        data.Upload("notes.pdf", b"%PDF-1.4"),
        data.Upload("empty.txt", b"  \n"),
        data.Upload("latin1.txt", "caf\xe9".encode("latin-1")),
        data.Upload("broken.jsonl", b'{"id": "a", "text": "ok"}\n{not json}\n'),
        data.Upload("notext.jsonl", b'{"id": "a", "title": "no text"}\n'),
        data.Upload("huge.txt", b"x" * 2000),
    ]
    ok, errors = data.check_uploads(files, max_bytes=1000)
    assert [u.name for u in ok] == ["good.txt"]
    assert errors == [
        "notes.pdf: not a .txt, .html or .jsonl file",
        "empty.txt: the file is empty",
        "latin1.txt: not UTF-8 text (byte 3)",
        "broken.jsonl: line 2 is not JSON (Expecting property name enclosed in double quotes)",
        'notext.jsonl: line 1 has no "text" field',
        "huge.txt: 1.95 KB is over the 0.977 KB limit",
    ]


def test_the_upload_limit_is_one_number_in_the_help_and_the_error() -> None:
    """It said "20 MB" in the help and "21 MB" in the error (MiB against MB)."""
    too_big = data.Upload("big.txt", b"x" * (data.MAX_UPLOAD_BYTES + 1))
    _, errors = data.check_uploads([too_big])
    assert errors == ["big.txt: 20 MB is over the 20 MB limit"]
    assert data.size_text(data.MAX_UPLOAD_BYTES) == "20 MB"
    source = Path(APP).read_text(encoding="utf-8")
    assert "data.size_text(data.MAX_UPLOAD_BYTES)" in source  # the uploader's help states the same number


@pytest.mark.parametrize("name", [
    "![i](http://attacker.example/pixel.png).pdf",
    "[click](javascript:alert(1)).pdf",
    "<img src=x onerror=alert(1)>.pdf",
    "**bold** _it_ `code` # head.pdf",
])
def test_file_names_in_messages_are_shown_literally_never_as_markdown(name: str) -> None:
    from markdown_it import MarkdownIt

    _, (error,) = data.check_uploads([data.Upload(name, b"%PDF")])
    rendered = MarkdownIt("commonmark").render(data.plain(error))
    assert "<img" not in rendered and "<a " not in rendered and "<strong>" not in rendered and "<em>" not in rendered
    assert "<code>" not in rendered and "<h1>" not in rendered
    assert shown_text(rendered).strip() == error


def test_every_upload_message_goes_through_plain() -> None:
    """Each st.error/st.warning of the app that can carry a file name or an error escapes it."""
    source = Path(APP).read_text(encoding="utf-8")
    for call in re.findall(r"st\.(?:error|warning)\((.*)\)", source):
        if "{" in call or not call.startswith('"'):
            assert call.startswith("data.plain("), call


def test_a_running_extraction_is_noted_and_the_data_still_shown(
    events_db: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The note reads the DuckDB file's extraction lock (a Parquet dataset's writer takes none)."""
    from events.store.runlock import ExtractionLock

    monkeypatch.setenv("EVENTS_DB", str(events_db))
    app = AppTest.from_file(APP, default_timeout=60)
    with ExtractionLock(events_db) as lock:
        lock.update(1200)
        run_ok(app)
    assert any("An extraction is running" in i.value and "1,200 articles stored so far" in i.value for i in app.info)
    assert "<b>87</b> of 87 events match" in counts_html(app)


def test_a_value_repeated_in_the_url_is_applied_once(app: AppTest) -> None:
    """Streamlit itself drops a query string of more than 1,000 fields (its CLIENT_STATE_QUERY_STRING_MAX_FIELDS)
    before the app sees it, so 999 repeats is the most a link can carry."""
    app.query_params["type"] = ["ASSAULT"] * 999
    run_ok(app)
    assert app.session_state["effective_filters"].types == ("ASSAULT",)


def test_saved_upload_names_cannot_escape_the_folder(tmp_path: Path) -> None:
    paths = data.save_uploads([data.Upload("../../etc/passwd.txt", b"x"), data.Upload("a b.html", b"y")], tmp_path)
    assert all(p.parent == tmp_path for p in paths)
    assert [p.name for p in paths] == ["000_passwd.txt", "001_a_b.html"]


def test_upload_extracts_into_the_same_database(events_db: Path, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "copy.duckdb"
    db.write_bytes(events_db.read_bytes())
    article = tmp_path / "article.txt"
    article.write_text("MOSCOW, July 6, 2022. Russia halted the flow of oil through the CPC pipeline on Tuesday.\n")
    progress: list[tuple[int, int]] = []
    summary = data.extract_uploads([article], db, lambda done, total: progress.append((done, total)))
    assert summary.errors == []
    assert progress and progress[-1][0] == progress[-1][1]
    with queries.read_connection(db) as con:
        assert queries.count_summary(con, Filters()).matching == 87 + summary.events


# --------------------------------------------------------------------------- playback


def test_play_starts_at_the_brushed_period(app: AppTest) -> None:
    app.query_params.update({"window": "1 month", "brush": "2022-06-01,2022-09-30"})
    run_ok(app)
    app.button(key="play_button").click()
    run_ok(app)
    first = app.session_state["effective_filters"]
    assert (str(first.date_from), str(first.date_to)) == ("2022-06-01", "2022-06-30")


def test_play_steps_a_window_forward(app: AppTest) -> None:
    app.query_params["window"] = "1 year"
    run_ok(app)
    app.button(key="play_button").click()
    run_ok(app)
    first = app.session_state["effective_filters"]
    assert (str(first.date_from), str(first.date_to)) == ("2010-01-01", "2010-12-31")
    assert any(c.value.startswith("Playing: 2010-01-01") for c in app.caption)
    assert app.button(key="play_button").label == "⏸ Pause"
    run_ok(app)  # the fragment's timer tick, as AppTest runs it
    second = app.session_state["effective_filters"]
    assert str(second.date_from) == "2014-01-01"  # 2011-2013 hold no event: skipped
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    shaded = [layer["data"]["values"] for layer in spec["layer"] if "data" in layer]
    assert shaded == [[{"start": "2014-01-01", "end": "2015-01-01"}]]  # the window, on the histogram
    app.button(key="play_button").click()
    run_ok(app)
    paused = app.session_state["effective_filters"]
    assert paused.date_from is None and app.button(key="play_button").label == "▶ Play"


# --------------------------------------------------------------------------- open while the data grows


def test_a_writer_gets_in_while_the_app_is_open_and_new_events_show(
    events_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    db = tmp_path / "growing.duckdb"
    db.write_bytes(events_db.read_bytes())
    monkeypatch.setenv("EVENTS_DB", str(db))
    at = run_ok(AppTest.from_file(APP, default_timeout=60))
    assert "<b>87</b> of 87 events match" in counts_html(at)
    writer = duckdb.connect(str(db))  # fails with "Could not set lock" if the app held a connection
    try:
        writer.execute(
            "INSERT INTO events SELECT 'new' || event_id, * EXCLUDE (event_id) FROM events WHERE type = 'REJECT'"
        )
    finally:
        writer.close()
    run_ok(at)
    assert "<b>89</b> of 89 events match" in counts_html(at)


# --------------------------------------------------------------------------- packaged outlines


def test_packaged_outlines_are_what_the_build_script_makes() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_outlines
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    built = json.dumps(build_outlines.build(), separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    assert (ROOT / "events" / "data" / "countries.geojson").read_text(encoding="utf-8") == built + "\n"
    assert len(charts.country_centroids()) > 150 and charts.country_names()["KZ"] == "Kazakhstan"


# --------------------------------------------------------------------------- place basis, state actors (fields of the extraction issue)

STATE_ACTORS = ("Russia", "Vladimir Putin", "Sergei Lavrov", "Sergei Shoigu", "Federal Security Service",
                "Kassym-Jomart Tokayev")  # fmt: skip


@pytest.fixture(scope="module")
def rich_db(events_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """The fixture with the extraction issue's fields filled as its extractor would:
    state bodies carry a sector, and some places come from the story or the actor's state."""
    db = tmp_path_factory.mktemp("rich") / "events.duckdb"
    db.write_bytes(events_db.read_bytes())
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "UPDATE events SET actor_sectors = list_transform(actors, lambda a: CASE WHEN list_contains($state, a) "
            "THEN 'government' END)", {"state": list(STATE_ACTORS)},
        )  # fmt: skip
        con.execute("UPDATE events SET place_basis = 'sentence' WHERE lat IS NOT NULL")
        con.execute("UPDATE events SET place_basis = 'actor' WHERE place = 'Kazakhstan'")
        con.execute("UPDATE events SET place_basis = 'story' WHERE place = 'Crocus City Hall, Krasnogorsk'")
    finally:
        con.close()
    return db


@pytest.fixture
def rich_app(rich_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("EVENTS_DB", str(rich_db))
    return AppTest.from_file(APP, default_timeout=60)


def test_actor_box_offers_a_state_roll_up(rich_app: AppTest, rich_db: Path) -> None:
    run_ok(rich_app)
    box = rich_app.multiselect(key="actor")
    with queries.read_connection(rich_db) as con:
        expected = {r[0] for r in con.execute(
            "SELECT event_id FROM events WHERE list_contains(actor_countries, 'RU') "
            "AND list_has_any(actor_sectors, ['government'])").fetchall()}  # fmt: skip
        only_russia = {r[0] for r in con.execute(
            "SELECT event_id FROM events WHERE list_contains(actors, 'Russia') OR list_contains(targets, 'Russia')"
        ).fetchall()}  # fmt: skip
    assert f"Russia: all state actors (state:RU) · {len(expected)}" in box.options
    box.select("state:RU")
    run_ok(rich_app)
    view = rich_app.session_state["effective_filters"]
    assert view.actors == ("state:RU",)  # exactly what was picked, nothing more
    assert rich_app.query_params["actor"] == "state:RU"
    with queries.read_connection(rich_db) as con:
        where, params = queries.where_clause(view)
        chosen = {r[0] for r in con.execute(f"SELECT event_id FROM events WHERE {where}", params).fetchall()}
    assert chosen == expected and expected - only_russia  # Putin's and Shoigu's events too


def test_a_country_without_state_sectors_is_not_rolled_up(rich_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "media.duckdb"
    db.write_bytes(rich_db.read_bytes())
    con = duckdb.connect(str(db))
    try:  # the same actors as media outlets: no state body acts
        con.execute("UPDATE events SET actor_sectors = list_transform(actors, lambda a: 'media')")
    finally:
        con.close()
    with queries.read_connection(db) as con:
        assert queries.state_actor_counts(con).empty
        assert queries.count_summary(con, Filters(actors=("state:RU",))).matching == 0


def test_actor_box_never_offers_select_all(app: AppTest) -> None:
    run_ok(app)
    for key in ("actor", "type", "country"):
        proto = app.multiselect(key=key).proto
        assert proto.select_all is False or proto.select_all == 0  # no "Select N matches"


def test_places_from_story_or_actor_are_drawn_apart(rich_app: AppTest, rich_db: Path) -> None:
    run_ok(rich_app)
    spec = json.loads(rich_app.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    inferred = layers[charts.INFERRED_LAYER_ID]["data"]
    with queries.read_connection(rich_db) as con:
        n = con.execute("SELECT count(*) FROM events WHERE place_basis IN ('story', 'actor')").fetchone()[0]
    assert n and len(inferred) == n
    assert {row["place"].split(" · ")[-1] for row in inferred} == {"from the actor", "from the story"}
    sentence_ids = {row["event_id"] for lid in (charts.POINT_LAYER_ID, charts.AREA_LAYER_ID) for row in layers[lid]["data"]}
    assert not sentence_ids & {row["event_id"] for row in inferred}
    legend = next(body for body in html_bodies(rich_app) if 'data-testid="map-legend"' in body)
    assert "place from the story or the actor" in legend


# --------------------------------------------------------------------------- the map: offline, fitted, tooltip


def test_map_asks_for_no_basemap_unless_ticked(app: AppTest) -> None:
    run_ok(app)
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert spec["mapStyle"] == charts.NO_BASEMAP  # Streamlit would otherwise fetch Carto's style
    assert "cartocdn" not in app.get("deck_gl_json_chart")[0].proto.json
    assert spec["layers"][0]["id"] == "countries" and spec["layers"][0]["filled"] is True


def test_failed_basemap_says_so_and_falls_back(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from events_dashboard import basemap

    data.basemap_problem.clear()
    monkeypatch.setattr(basemap, "problem", lambda: "cannot reach basemaps.cartocdn.com: no network")
    app.query_params["basemap"] = "true"
    run_ok(app)
    data.basemap_problem.clear()
    assert any("Online basemap unavailable" in w.value and "offline country outlines" in w.value for w in app.warning)
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert spec["mapStyle"] == charts.NO_BASEMAP


def test_ticked_basemap_keeps_the_outlines_under_it(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from events_dashboard import basemap

    data.basemap_problem.clear()
    monkeypatch.setattr(basemap, "problem", lambda: None)
    app.query_params["basemap"] = "true"
    run_ok(app)
    data.basemap_problem.clear()
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert "positron" in spec["mapStyle"]
    assert spec["layers"][0]["id"] == "countries" and spec["layers"][0]["filled"] is False  # shows if tiles fail


def test_basemap_problem_names_the_failure() -> None:
    from events_dashboard import basemap

    with socket.socket() as sock:  # a local port nobody listens on: refused at once, nothing leaves the machine
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    reason = basemap.problem(f"http://127.0.0.1:{port}/style.json", timeout=1)
    assert reason and reason.startswith("cannot reach 127.0.0.1")


def test_map_fits_the_filtered_events(app: AppTest) -> None:
    run_ok(app)
    wide = json.loads(app.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    app.text_input(key="q").set_value("tashkent")
    at = run_ok(app)
    narrow = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert narrow["zoom"] > wide["zoom"] + 3
    assert abs(narrow["longitude"] - 69.2) < 0.2 and abs(narrow["latitude"] - 41.3) < 0.2


def test_fitted_view_holds_every_point() -> None:
    bounds = (-122.4, 22.3, 114.2, 59.9)  # San Francisco to Hong Kong and Saint Petersburg
    view = charts.view_for(bounds, width=640, height=390)
    scale = 512 * 2**view.zoom
    def px(lon: float, lat: float) -> tuple[float, float]:
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * scale
        return (lon + 180) / 360 * scale, y
    cx, cy = px(view.longitude, view.latitude)
    for lon, lat in ((bounds[0], bounds[1]), (bounds[2], bounds[3])):
        x, y = px(lon, lat)
        assert abs(x - cx) <= 320 and abs(y - cy) <= 195


def test_tooltip_says_type_mode_date_place_and_who(app: AppTest) -> None:
    app.query_params["q"] = "lavrov"
    run_ok(app)
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    tooltip = json.loads(app.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["text"].split("\n")[:4] == ["{what}", "{date}", "{place}", "{actors}"]
    assert tooltip["style"]["transform"] == "none"  # pinned inside the map, never cut at its edge
    row = next(r for layer in spec["layers"] if layer["id"] == charts.POINT_LAYER_ID for r in layer["data"])
    assert row["what"].startswith("CONSULT") and "(day)" in row["date"] and row["place"] == "Tashkent · point"


# --------------------------------------------------------------------------- smaller fixes


def test_a_file_that_is_not_duckdb_gets_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "notes.duckdb"
    bad.write_text("these are my notes, not a database\n")
    monkeypatch.setenv("EVENTS_DB", str(bad))
    at = run_ok(AppTest.from_file(APP, default_timeout=60))
    from events_dashboard.data import plain  # the message is escaped Markdown, shown literally

    assert [e.value for e in at.error] == [plain(
        f"{bad} is not a DuckDB database file. Start with --db (or EVENTS_DB) naming the database that "
        "`events extract` wrote."
    )]


def test_untitled_article_shows_its_first_line(tmp_path: Path, events_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    db = tmp_path / "untitled.duckdb"
    db.write_bytes(events_db.read_bytes())
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE articles SET title = NULL WHERE doc_id = 'xss'")
        con.execute("UPDATE events SET doc_title = NULL WHERE doc_id = 'xss'")
    finally:
        con.close()
    monkeypatch.setenv("EVENTS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["event"] = XSS_EVENT_ID
    run_ok(at)
    article = next(body for body in html_bodies(at) if 'data-testid="event-article"' in body)
    assert "Officials said &lt;script&gt;" in article  # the first line, escaped
    assert ">xss<" not in article


def test_details_header_uses_the_theme_colour(app: AppTest) -> None:
    app.query_params["event"] = XSS_EVENT_ID
    run_ok(app)
    head = next(body for body in html_bodies(app) if 'data-testid="event-detail-head"' in body)
    assert "color:inherit" in head and "color:#444" not in head
    marks = re.findall(r'<mark class="hl-[a-z]+"[^>]*style="([^"]+)"', sentence_html(app))
    assert marks and all("color:#1a1a1a" in style for style in marks)  # dark text on the light marks, any theme


def test_type_colours_are_distinct_and_grouped_by_class() -> None:
    colours = [charts.TYPE_COLORS[t] for t in queries.PLOVER_TYPES]
    assert len(set(colours)) == 16
    assert sorted(t for group in charts.TYPE_CLASSES.values() for t in group) == sorted(queries.PLOVER_TYPES)

    def distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
        return math.dist(a, b)

    closest = min(distance(a, b) for i, a in enumerate(colours) for b in colours[i + 1:])
    assert closest > 40  # no two types in near-identical colours (RGB distance)


# --------------------------------------------------------------------------- facets that know each other


def option_counts(widget) -> dict[str, int]:  # noqa: ANN001
    """{value: count} from a multiselect whose labels read "Name (value) · n" or "value · n"."""
    out = {}
    for label in widget.options:
        shown, n = label.rsplit(" · ", 1)
        value = re.search(r"\(([^()]+)\)$", shown)
        out[value.group(1) if value else shown] = int(n)
    return out


def test_facet_counts_follow_the_other_filters(app: AppTest) -> None:
    app.query_params["country"] = "UZ"
    run_ok(app)
    with queries.read_connection(app_db(app)) as con:
        in_uz = dict(con.execute("SELECT type, count(*) FROM events WHERE country = 'UZ' GROUP BY 1").fetchall())
        regions = {r[0] for r in con.execute("SELECT DISTINCT admin1 FROM events WHERE country = 'UZ' AND admin1 IS NOT NULL").fetchall()}
        all_countries = dict(con.execute("SELECT country, count(*) FROM events WHERE country IS NOT NULL GROUP BY 1").fetchall())
    types = option_counts(app.multiselect(key="type"))
    assert {t: n for t, n in types.items() if n} == in_uz  # counts within Uzbekistan
    assert set(option_counts(app.multiselect(key="admin1"))) == regions  # the region list follows the country
    assert option_counts(app.multiselect(key="country")) == all_countries  # a facet ignores its own choice


def test_a_pick_stays_even_when_other_filters_leave_it_no_events(app: AppTest) -> None:
    app.query_params.update({"type": "ASSAULT", "mode": "visit"})
    run_ok(app)
    assert app.session_state["effective_filters"].modes == ("visit",)
    assert "visit · 0" in app.multiselect(key="mode").options


def test_map_view_downloads_as_a_self_contained_html(app: AppTest) -> None:
    from events_dashboard import map_file

    app.query_params["q"] = "tashkent"
    run_ok(app)
    assert any(b.label == "Map view as HTML (offline)" for b in app.get("download_button"))
    with queries.read_connection(app_db(app)) as con:
        view = app.session_state["effective_filters"]
        v = data.compute_view(con, view, view, None, None)
    page = map_file.map_html(v.points, v.cells, v.bounds, "Filters: q=tashkent <b>")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert not re.search(r'(src|href)=["\']?(https?:)?//', page) and "<script" not in page  # nothing to fetch
    assert page.count("<circle") == len(v.points) > 0
    assert "Filters: q=tashkent &lt;b&gt;" in page  # the caption is escaped
    assert "&lt;script&gt;" in page or "Officials" not in page  # sentence snippets escaped in tooltips
    assert "site named by the sentence" in page  # the legend travels with the map


def test_state_roll_up_counts_follow_the_other_filters(rich_app: AppTest, rich_db: Path) -> None:
    rich_app.query_params["type"] = "CONSULT"
    run_ok(rich_app)
    with queries.read_connection(rich_db) as con:
        n = con.execute(
            "SELECT count(*) FROM events WHERE type = 'CONSULT' AND list_contains(actor_countries, 'RU') "
            "AND list_has_any(actor_sectors, ['government'])").fetchone()[0]  # fmt: skip
    assert n and f"Russia: all state actors (state:RU) · {n}" in rich_app.multiselect(key="actor").options


def test_timeline_bars_stack_without_overlap(events_db: Path) -> None:  # noqa: F811
    with queries.read_connection(events_db) as con:
        _, frame = queries.timeline(con, Filters(), bin_unit="year")
    rows = charts.stack_timeline(frame)
    for _, group in rows.groupby(["lane", "bin_start"]):
        spans = sorted(zip(group["y0"], group["y1"]))
        assert spans[0][0] == 0 and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))  # end to end
        assert spans[-1][1] == group["n"].sum()
    spec = charts.timeline_spec(rows, "year")
    assert spec["layer"][-1]["encoding"]["y"]["scale"]["domain"][1] == rows["y1"].max()


def test_map_draws_one_point_per_event_unless_every_report_is_asked(app: AppTest) -> None:
    run_ok(app)
    assert app.radio(key="points").value == "event"
    per_event = app.get("deck_gl_json_chart")[0].proto.json
    assert " reports" in per_event  # the fixture's clustered reports share a point that says how many
    app.radio(key="points").set_value("report")
    run_ok(app)
    assert app.query_params["points"] == "report"  # kept in the URL like the other map choices
    assert " reports" not in app.get("deck_gl_json_chart")[0].proto.json
