"""A small real event database for the dashboard and query tests.

The rows in `fixtures/dashboard/events.jsonl` are real: each sentence is the
verbatim sentence of a seed article that holds a hand-checked gold event, with
gold's type, actors, date and place. One extra row, built here, carries
`<script>` and `**bold**` in its sentence to prove the dashboard shows text
literally. Article texts are rebuilt from the fixture sentences (joined by
blank lines) so that `text[char_start:char_end] == sentence` holds.

Not `conftest.py` (another engineer owns that); test modules import the
`events_db` fixture from here.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dashboard"
SCHEMA = ROOT / "events" / "store" / "schema.sql"

XSS_EVENT_ID = "xss0000000000001"
XSS_SENTENCE = "Officials said <script>alert(1)</script> and **bold** claims were rejected in Tashkent on July 6, 2022."


def fixture_events() -> list[dict]:
    """The real fixture events plus the one hostile-text event."""
    events = [json.loads(line) for line in (FIXTURES / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    events.append(
        {
            "event_id": XSS_EVENT_ID,
            "doc_id": "xss",
            "doc_title": "Test <b>title</b> **md**",
            "sentence": XSS_SENTENCE,
            "trigger": "rejected",
            "type": "REJECT",
            "mode": None,
            "actors": ["Officials"],
            "targets": [],
            "actor_countries": ["UZ"],
            "date": "2022-07-06",
            "date_end": None,
            "date_precision": "day",
            "date_text": "on July 6, 2022",
            "place": "Tashkent",
            "country": "UZ",
            "admin1": "Tashkent",
            "lat": 41.26465,
            "lon": 69.21627,
            "geo_precision": "point",
            "geonames_id": 1512569,
            "status": "occurred",
            "confidence": 0.9,
            "cluster_id": None,
            "day": "2022-07-06",
        }
    )
    return events


def fixture_articles() -> list[dict]:
    articles = [json.loads(line) for line in (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    articles.append(
        {"doc_id": "xss", "title": "Test <b>title</b> **md**", "url": "https://example.org/xss", "published": "2022-07-07"}
    )
    return articles


def build_fixture_db(path: Path) -> Path:
    """Create a DuckDB file from the project schema and fill it with the fixture rows."""
    events = fixture_events()
    texts: dict[str, str] = {}
    for event in events:  # rebuild article text so the char spans are true
        text = texts.get(event["doc_id"], "")
        if event["sentence"] in text:
            start = text.index(event["sentence"])
        else:
            start = len(text) + (2 if text else 0)
            text = (text + "\n\n" if text else "") + event["sentence"]
        event["char_start"], event["char_end"] = start, start + len(event["sentence"])
        texts[event["doc_id"]] = text
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        for article in fixture_articles():
            con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article["doc_id"],
                    article.get("title"),
                    article.get("url"),
                    article.get("published"),
                    article.get("source", "fixture"),
                    texts.get(article["doc_id"], ""),
                    str(hash(texts.get(article["doc_id"], ""))),
                    datetime(2026, 1, 1),
                ],
            )
        columns = [row[0] for row in con.execute("DESCRIBE events").fetchall()]
        placeholders = ", ".join("?" for _ in columns)
        for event in events:
            event.setdefault("actor_sectors", [None] * len(event.get("actors") or []))
            values = [event.get(c) for c in columns]
            values[columns.index("day")] = date.fromisoformat(event["day"]) if event.get("day") else None
            con.execute(f"INSERT INTO events ({', '.join(columns)}) VALUES ({placeholders})", values)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def events_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path to a fresh fixture database (closed; open it read-only per use)."""
    return build_fixture_db(tmp_path_factory.mktemp("dashboard") / "events.duckdb")


def build_fixture_dataset(db: Path, folder: Path) -> Path:
    """The fixture database as a month-partitioned Parquet dataset, through `events export --partitioned`'s code."""
    from events.store.convert import export_dataset

    export_dataset(db, folder)
    return folder


@pytest.fixture(scope="session", params=["duckdb", "parquet"])
def events_source(request: pytest.FixtureRequest, events_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture events as a DuckDB file and as a Parquet dataset folder: the read side must not tell them apart."""
    if request.param == "duckdb":
        return events_db
    return build_fixture_dataset(events_db, tmp_path_factory.mktemp("dashboard-parquet") / "events")
