"""The dashboard app through `streamlit.testing.v1.AppTest`: URL filters, selections, exports, safe text."""

from __future__ import annotations

import html
import json
import re
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest_dashboard import ROOT, XSS_EVENT_ID, XSS_SENTENCE, events_db, events_source  # noqa: F401 - pytest fixtures
from events import queries
from events.queries import Filters
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
    assert "<b>40</b> not on the timeline (no date)" in counts


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
    app.query_params.update({"type": "CONSULT", "undated": "false"})
    run_ok(app)
    view = app.session_state["effective_filters"]
    labels = [b.label for b in app.get("download_button")]
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


def test_brush_narrows_everything_but_the_timeline(events_db: Path) -> None:  # noqa: F811
    base = Filters()
    view = base.with_dates(date(2022, 7, 1), date(2022, 7, 31))
    with queries.read_connection(events_db) as con:
        v = data.compute_view(con, base, view, None, None)
        _, full_timeline = queries.timeline(con, base)
        july = con.execute("SELECT count(*) FROM events WHERE day BETWEEN '2022-07-01' AND '2022-07-31'").fetchone()[0]
    assert v.timeline["n"].sum() == full_timeline["n"].sum()
    assert v.counts.matching == len(v.table) == july == 9
    assert set(v.points["event_id"]) <= set(v.table["event_id"])


def test_brush_from_the_chart_state_filters_the_view(app: AppTest) -> None:
    run_ok(app)
    app.session_state["timeline"] = {"selection": {"brush": {"bin_start": [1656633600000, 1659225600000]}}}
    run_ok(app)  # 2022-07-01 .. 2022-07-31 as Vega sends it (epoch ms)
    view = app.session_state["effective_filters"]
    assert (str(view.date_from), str(view.date_to)) == ("2022-07-01", "2022-07-31")
    assert "<b>9</b> of 87 events match" in counts_html(app)  # the July 2022 events


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
    con.execute((ROOT / "events" / "schema.sql").read_text(encoding="utf-8"))
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
        "huge.txt: 0.0 MB is over the 0 MB limit",
    ]


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
    assert str(second.date_from) == "2011-01-01"
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
