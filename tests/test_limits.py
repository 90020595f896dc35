"""`events.ingest.limits`: what an article may be, and what is repaired with a warning."""

from __future__ import annotations

import pytest

from events.errors import InputError
from events.ingest.limits import ArticleLimits, anchor_problem, prepare
from events.models import Article


@pytest.mark.parametrize("published, problem", [
    ("2024-03-27", None),
    ("2024-03-27T10:00:00+00:00", None),
    ("2024-03", None),
    ("2024", None),
    (None, None),
    ("-2024-01-01", "published '-2024-01-01' is a signed year, not a date; relative dates left unresolved"),
    ("+2024-01-01", "published '+2024-01-01' is a signed year, not a date; relative dates left unresolved"),
    ("9999-12-31", "published '9999-12-31' is outside the years 1800-2200; relative dates left unresolved"),
    ("0001-01-01", "published '0001-01-01' is outside the years 1800-2200; relative dates left unresolved"),
    ("2024-02-30", "published '2024-02-30' is not a valid date; relative dates left unresolved"),
    ("2024-13", "published '2024-13' is not a valid date; relative dates left unresolved"),
    ("last Tuesday", "published 'last Tuesday' is not an ISO date; relative dates left unresolved"),
])
def test_anchor_problem(published, problem):
    assert anchor_problem(published) == problem


def test_a_refused_anchor_is_dropped_and_the_rest_kept():
    article, warnings = prepare(Article("d", "Text.", "Title", "9999-12-31", source="f.jsonl:4"))
    assert article.published is None and article.title == "Title"
    assert warnings == ["f.jsonl:4: published '9999-12-31' is outside the years 1800-2200; relative dates left unresolved"]


def test_prepare_is_idempotent():
    article, warnings = prepare(Article("x" * 500, "Text \ud800.", "T" * 5000, "-2024-01-01"))
    assert len(warnings) == 4
    again, more = prepare(article)
    assert again == article and more == []


def test_two_long_ids_with_the_same_start_stay_apart():
    one, _ = prepare(Article("x" * 300 + "1", "Text."))
    two, _ = prepare(Article("x" * 300 + "2", "Text."))
    assert one.doc_id != two.doc_id and len(one.doc_id) == len(two.doc_id) == 200


def test_size_counts_utf8_bytes_not_characters():
    text = "я" * 600  # 1,200 bytes
    with pytest.raises(InputError, match="over the 0.001 MB limit"):
        prepare(Article("d", text), ArticleLimits(max_bytes=1000))
    assert prepare(Article("d", text), ArticleLimits(max_bytes=1200))[0].text == text
