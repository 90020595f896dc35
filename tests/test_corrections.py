"""Analyst corrections: stored with an audit trail, applied everywhere, kept across re-extraction, undoable."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from events.store import corrections
from events.cli import main
from events.store.corrections import CorrectionError
from events.pipeline import PipelineConfig
from events.runner import extract_paths
from events.store.database import Store

ARTICLE = {"id": "wire-1", "published": "2024-03-25",
           "text": "Police detained two activists in Almaty on Monday. Protesters rallied in Bishkek on Sunday."}


def _extract(tmp_path: Path, article: dict = ARTICLE) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(article) + "\n", encoding="utf-8")
    db = tmp_path / "events.duckdb"
    extract_paths([source], db)
    return db


def _event(db: Path, trigger: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute("SELECT * FROM events WHERE trigger = ?", [trigger])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row))


def test_a_correction_is_applied_recorded_and_undone(tmp_path: Path) -> None:
    db = _extract(tmp_path)
    arrest = _event(db, "detained")
    assert (arrest["type"], arrest["date"]) == ("COERCE", "2024-03-25")
    with Store(db) as store:
        fix = corrections.correct(store.connection, arrest["event_id"], "date", corrections.date_value("2024-03"),
                                  "Ana", "the text says Monday, but the agency corrected it")
    after = _event(db, "detained")
    assert (after["date"], after["date_precision"], str(after["day"]), after["corrected"]) == (
        "2024-03", "month", "2024-03-01", ["date"])
    with Store(db) as store:
        (entry,) = corrections.history(store.connection, arrest["event_id"])
        assert entry.old_value == {"date": "2024-03-25", "date_end": None, "date_precision": "day"}
        corrections.undo(store.connection, fix, "Bob")
        assert corrections.history(store.connection, arrest["event_id"])[0].undone_by == "Bob"
    restored = _event(db, "detained")
    assert (restored["date"], restored["date_precision"], restored["corrected"]) == ("2024-03-25", "day", None)


def test_later_corrections_of_a_field_win_and_undoing_the_last_returns_to_the_one_before(tmp_path: Path) -> None:
    db = _extract(tmp_path)
    arrest = _event(db, "detained")["event_id"]
    with Store(db) as store:
        corrections.correct(store.connection, arrest, "actors", {"actors": ["Kazakhstan"]}, "Ana")
        last = corrections.correct(store.connection, arrest, "actors", {"actors": ["Almaty police"]}, "Bob")
        actors = store.connection.execute("SELECT actors FROM events WHERE event_id = ?", [arrest]).fetchone()[0]
        assert actors == ["Almaty police"]
        corrections.undo(store.connection, last, "Bob")
    assert _event(db, "detained")["actors"] == ["Kazakhstan"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("type", {"type": "RIOT"}, "not a PLOVER type"),
        ("date", {"date": "25 March", "date_end": None, "date_precision": "day"}, "not an ISO date"),
        ("status", {"status": "rumoured"}, "not one of"),
        ("sentence", {"sentence": "x"}, "cannot be corrected"),
    ],
)
def test_bad_corrections_are_refused_with_the_field_named(tmp_path: Path, field, value, message) -> None:
    db = _extract(tmp_path)
    arrest = _event(db, "detained")["event_id"]
    with Store(db) as store, pytest.raises(CorrectionError, match=message):
        corrections.correct(store.connection, arrest, field, value, "Ana")


def test_corrections_survive_re_extraction_and_orphans_are_listed(tmp_path: Path) -> None:
    db = _extract(tmp_path)
    arrest, rally = _event(db, "detained")["event_id"], _event(db, "Protesters")["event_id"]
    with Store(db) as store:
        corrections.correct(store.connection, arrest, "type", {"type": "ASSAULT"}, "Ana")
        corrections.correct(store.connection, rally, "not_event", {"not_event": True}, "Ana")
    # the article changes: the arrest sentence is kept word for word, the rally sentence is gone
    changed = dict(ARTICLE, text="Police detained two activists in Almaty on Monday. The city was calm on Tuesday.")
    _extract(tmp_path, changed)
    again = _event(db, "detained")
    assert again["event_id"] == arrest and (again["type"], again["corrected"]) == ("ASSAULT", ["type"])
    with Store(db) as store:
        (orphan,) = corrections.orphaned(store.connection)
        assert (orphan.event_id, orphan.field) == (rally, "not_event")
        assert len(corrections.history_all(store.connection)) == 2


def test_gold_export_of_corrections_is_read_by_evaluate(tmp_path: Path) -> None:
    """The CLI round trip: extract, correct, export gold, evaluate the extraction against it."""
    db = _extract(tmp_path)
    runner = CliRunner()
    arrest, rally = _event(db, "detained")["event_id"], _event(db, "Protesters")["event_id"]
    for args in (
        [arrest, "place", "Bishkek"],
        [rally, "not_event", "true"],
    ):
        result = runner.invoke(main, ["correction", "add", *args, "--author", "Ana", "--db", str(db)])
        assert result.exit_code == 0, result.output
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    assert runner.invoke(main, ["export", "--db", str(db), "--format", "gold", "--out", str(gold)]).exit_code == 0
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert [(r["evidence"], r["place"], r["country"], r["note"]) for r in records] == [
        ("Police detained two activists in Almaty on Monday.", "Bishkek", "KG", "corrected: place")]
    # the extractor's own output, scored against the team's corrected gold
    source = tmp_path / "in.jsonl"
    assert runner.invoke(main, ["extract", str(source), "--no-db", "--out", str(pred)]).exit_code == 0
    result = runner.invoke(main, ["evaluate", "--gold", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.output
    figures = dict(line.split(": ", 1) for line in result.output.splitlines())
    assert figures["recall"] == "1.0" and figures["precision"] == "0.5"  # the rally is no event in the gold
    assert figures["place_accuracy"] == "0.0"  # Almaty is 200 km from Bishkek

    listed = runner.invoke(main, ["correction", "list", "--db", str(db)])
    assert [json.loads(line)["field"] for line in listed.output.splitlines()] == ["place", "not_event"]
    undo = runner.invoke(main, ["correction", "undo", "1", "--author", "Bob", "--db", str(db)])
    assert undo.exit_code == 0, undo.output
    assert _event(db, "detained")["place"] == "Almaty"


def test_a_correction_of_an_unknown_event_is_a_one_line_error(tmp_path: Path) -> None:
    db = _extract(tmp_path)
    result = CliRunner().invoke(main, ["correction", "add", "nope", "type", "ASSAULT", "--author", "Ana", "--db", str(db)])
    assert result.exit_code == 1 and "event 'nope': no such event" in result.output


def test_a_database_from_before_corrections_opens_in_the_views(tmp_path: Path) -> None:
    from events.store import queries
    from events.store.queries import Filters

    db = tmp_path / "old.duckdb"
    schema = (Path(__file__).resolve().parents[1] / "events" / "store" / "schema.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(db)) as con:
        con.execute(schema.split("-- Analyst corrections")[0])
    with queries.read_connection(db) as con:
        assert queries.count_summary(con, Filters()).matching == 0
        assert corrections.orphaned(con) == []


def test_a_report_marked_not_an_event_leaves_its_cluster(tmp_path: Path) -> None:
    from test_cluster import KABUL_BOMBING

    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in KABUL_BOMBING), encoding="utf-8")
    db = tmp_path / "wire.duckdb"
    every = PipelineConfig(min_confidence=0.0)  # the one-sentence AFP brief scores below the default drop
    extract_paths([source], db, config=every)
    with Store(db) as store:
        con = store.connection
        afp = con.execute("SELECT event_id FROM events WHERE doc_id = 'afp-kabul'").fetchone()[0]
        corrections.correct(con, afp, "not_event", {"not_event": True}, "Ana")
    extract_paths([source], db, config=every)  # clustering reruns after every extraction
    with duckdb.connect(str(db), read_only=True) as con:
        clusters = dict(con.execute("SELECT doc_id, cluster_id FROM events WHERE type = 'ASSAULT'").fetchall())
    assert clusters["afp-kabul"] is None and clusters["reuters-kabul"] == clusters["ap-kabul"] is not None


def test_an_undo_needs_a_name_too(tmp_path: Path) -> None:
    db = _extract(tmp_path)
    arrest = _event(db, "detained")["event_id"]
    with Store(db) as store:
        fix = corrections.correct(store.connection, arrest, "status", {"status": "scheduled"}, "Ana")
        with pytest.raises(CorrectionError, match="a name is needed to undo"):
            corrections.undo(store.connection, fix, " ")
        assert corrections.history(store.connection, arrest)[0].undone_at is None
