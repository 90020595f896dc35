"""The write side: idempotent upserts, replacement of changed articles, atomic batches."""

from __future__ import annotations

import duckdb
import pytest

from events.models import Article, Event
from events.store.database import ArticleResult, Store, StoreError

TEXT = "Russia said it has arrested 11 suspects. The death toll rose to 133."


def _event(doc_id: str, event_id: str, **kw) -> Event:
    base = dict(event_id=event_id, doc_id=doc_id, doc_title=None, sentence="Russia said it has arrested 11 suspects.",
                char_start=0, char_end=40, trigger="arrested", type="COERCE", mode="arrest", actors=["Russia"])
    return Event(**(base | kw))


def test_same_input_twice_adds_nothing(tmp_path):
    article = Article("d1", TEXT)
    with Store(tmp_path / "e.duckdb") as store:
        store.write([ArticleResult(article, [_event("d1", "e1")])])
        store.write([ArticleResult(article, [_event("d1", "e1")])])
        assert store.counts() == (1, 1)


def test_changed_article_replaces_its_events(tmp_path):
    with Store(tmp_path / "e.duckdb") as store:
        store.write([ArticleResult(Article("d1", TEXT), [_event("d1", "e1"), _event("d1", "e2", type="ASSAULT")])])
        changed = Article("d1", TEXT + " Police detained two more.")
        assert not store.unchanged(changed)
        store.write([ArticleResult(changed, [_event("d1", "e3")])])
        ids = [r[0] for r in store.connection.execute("SELECT event_id FROM events").fetchall()]
        assert ids == ["e3"]


def test_unchanged_batch_answers_each_article_in_order(tmp_path):
    with Store(tmp_path / "e.duckdb") as store:
        store.write([ArticleResult(Article("d1", TEXT), []), ArticleResult(Article("d2", TEXT), [])])
        batch = [Article("d2", TEXT), Article("new", TEXT), Article("d1", TEXT + " More."), Article("d1", TEXT)]
        assert store.unchanged_batch(batch) == [True, False, False, True]
        assert store.unchanged_batch(batch) == [store.unchanged(a) for a in batch]
        assert store.unchanged_batch([]) == []


def test_failed_batch_leaves_stored_data_intact(tmp_path):
    with Store(tmp_path / "e.duckdb") as store:
        store.write([ArticleResult(Article("d1", TEXT), [_event("d1", "e1")])])
        duplicate_ids = [_event("d2", "x"), _event("d2", "x")]  # violates the primary key mid-batch
        with pytest.raises(duckdb.Error):
            store.write([ArticleResult(Article("d1", "new text"), []), ArticleResult(Article("d2", TEXT), duplicate_ids)])
        assert store.counts() == (1, 1)
        assert store.unchanged(Article("d1", TEXT))


def test_day_column_is_first_day_of_the_date(tmp_path):
    with Store(tmp_path / "e.duckdb") as store:
        store.write([ArticleResult(Article("d1", TEXT), [
            _event("d1", "a", date="2022-07", date_precision="month"),
            _event("d1", "b", date="2022", date_precision="year"),
            _event("d1", "c"),
        ])])
        days = dict(store.connection.execute("SELECT event_id, CAST(day AS VARCHAR) FROM events").fetchall())
    assert days == {"a": "2022-07-01", "b": "2022-01-01", "c": None}


def test_not_a_database_is_a_one_line_error(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError) as info:
        Store(bad)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)
