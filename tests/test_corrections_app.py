"""The corrections editor in the details panel, through AppTest, on a writable copy of the fixture database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest_dashboard import ROOT, build_fixture_db
from events.store import corrections
from events.store import queries
from events.store.queries import Filters

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_fixture_db(tmp_path / "events.duckdb")


def _open_on_lavrov(db: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, str]:
    monkeypatch.setenv("EVENTS_DB", str(db))
    with queries.read_connection(db) as con:
        lavrov = queries.table(con, Filters(text="lavrov", modes=("visit",))).iloc[0]["event_id"]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["event"] = lavrov
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at, lavrov


def _html(at: AppTest) -> str:
    return " ".join(element.proto.body for element in at.get("html"))


def test_a_type_fix_is_saved_shown_as_corrected_and_undone(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, lavrov = _open_on_lavrov(db, monkeypatch)
    assert 'data-testid="event-corrected"' not in _html(at)
    at.selectbox(key="corr_field").set_value("type").run()
    at.selectbox(key=f"corr_type_{lavrov}").set_value("AGREE")
    at.text_input(key="corr_author").input("Ana Analyst")
    at.text_input(key="corr_note").input("a visit announced, not held")
    at.button(key="corr_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT type, corrected FROM events WHERE event_id = ?", [lavrov]).fetchone() == (
            "AGREE", ["type"])
        (fix,) = corrections.history(con, lavrov)
    assert (fix.old_value, fix.new_value, fix.author, fix.note) == (
        {"type": "CONSULT"}, {"type": "AGREE"}, "Ana Analyst", "a visit announced, not held")
    assert "<b>corrected</b>: type" in _html(at) and "CONSULT → AGREE" in _html(at)
    table = next(frame.value for frame in at.dataframe if "corrected" in frame.value.columns)
    assert [list(c) for c in table["corrected"] if c is not None and len(c)] == [["type"]]

    at.button(key=f"corr_undo_{fix.correction_id}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT type, corrected FROM events WHERE event_id = ?", [lavrov]).fetchone() == (
            "CONSULT", None)
        assert corrections.history(con, lavrov)[0].undone_by == "Ana Analyst"
    assert 'data-testid="event-corrected"' not in _html(at)


def test_a_place_is_picked_from_the_gazetteer(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, lavrov = _open_on_lavrov(db, monkeypatch)
    at.selectbox(key="corr_field").set_value("place").run()
    at.text_input(key=f"corr_place_{lavrov}_query").input("Samarkand").run()
    options = at.selectbox(key=f"corr_place_{lavrov}_pick").options
    assert options and options[0].startswith("Samarkand · UZ")
    at.text_input(key="corr_author").input("Ana")
    at.button(key="corr_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with duckdb.connect(str(db), read_only=True) as con:
        place, country, lat = con.execute("SELECT place, country, lat FROM events WHERE event_id = ?", [lavrov]).fetchone()
    assert (place, country) == ("Samarkand", "UZ") and 39 < lat < 40


def test_not_an_event_leaves_every_view(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, lavrov = _open_on_lavrov(db, monkeypatch)
    with queries.read_connection(db) as con:
        before = queries.count_summary(con, Filters()).matching
    at.selectbox(key="corr_field").set_value("not_event").run()
    at.text_input(key="corr_author").input("Ana")
    at.button(key="corr_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with queries.read_connection(db) as con:
        assert queries.count_summary(con, Filters()).matching == before - 1
        assert lavrov not in set(queries.table(con, Filters())["event_id"])
        assert lavrov.encode() not in queries.export_jsonl(con, Filters())
    assert "<b>corrected</b>: not an event" in _html(at)  # its details still open, so it can be undone


def test_a_correction_without_an_author_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, lavrov = _open_on_lavrov(db, monkeypatch)
    at.selectbox(key="corr_field").set_value("status").run()
    at.selectbox(key=f"corr_status_{lavrov}").set_value("occurred")
    at.button(key="corr_save").click().run()
    assert any("author" in e.value for e in at.error)
    with duckdb.connect(str(db), read_only=True) as con:
        assert corrections.history(con, lavrov) == []
