"""Property tests: no input makes the API or the readers raise anything but the documented error,
and no event they give breaks the record contract.

A few hundred examples run with every test run; `scripts/fuzz.py` runs
10,000 with timings (speed is measured there, never asserted here).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_inputs import article_texts, contract_problems, html_pages, jsonl_lines, published_values
from events.errors import REFUSED, InputError, InputWarning
from events.ingest.articles import IngestError, read_paths
from events.models import Article
from events.runner import extract_chunk

FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


@FUZZ
@given(text=st.one_of(article_texts(), st.text()), published=published_values,
       title=st.one_of(st.none(), st.text(max_size=50)))
def test_extract_text_gives_contract_records_or_the_documented_error(pipeline, text, published, title):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            events = pipeline.extract_text(text, published=published, title=title)
        except InputError as err:
            assert err.kind == REFUSED, str(err)  # "failed" would be a bug wrapped, not bad input
            return
    clean = re.sub("[\ud800-\udfff]", "\ufffd", text)  # what extraction read: surrogates replaced
    for event in events:
        record = event.to_record()
        assert contract_problems(record, clean) == [], record


@FUZZ
@given(lines=st.lists(jsonl_lines(), min_size=1, max_size=6))
def test_jsonl_lines_never_stop_the_reader_or_extraction(pipeline, tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    _read_and_extract(pipeline, path)


@FUZZ
@given(text=article_texts())
def test_text_files_never_stop_the_reader_or_extraction(pipeline, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "in.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _read_and_extract(pipeline, path)


@settings(FUZZ, max_examples=25)
@given(page=html_pages())
def test_html_pages_never_stop_the_reader_or_extraction(pipeline, tmp_path_factory, page):
    path = tmp_path_factory.mktemp("fuzz") / "in.html"
    path.write_bytes(page.encode("utf-8", "surrogatepass"))
    _read_and_extract(pipeline, path)


def _read_and_extract(pipeline, path: Path) -> None:
    """Every item is an article or a one-line error; every article extracts to contract records or one error."""
    items = list(read_paths([path]))
    for item in items:
        assert isinstance(item, Article | IngestError)
        if isinstance(item, IngestError):
            assert "\n" not in str(item) and str(item).startswith(str(path))
    articles = [item for item in items if isinstance(item, Article)]
    for outcome in extract_chunk(pipeline, articles):
        assert outcome.error is None or "extraction failed" not in outcome.error, outcome.error
        for event in outcome.events:
            assert contract_problems(event.to_record(), outcome.article.text) == []


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_the_overflowing_anchors_of_issue_10_give_no_error_and_no_year_0000(pipeline, published):
    with pytest.warns(InputWarning, match=f"published '{published}' is outside the years 1800-2200"):
        events = pipeline.extract_text("Police arrested two men in Almaty yesterday; they go on trial tomorrow.",
                                       published=published)
    assert events and all(e.date is None for e in events)


def test_a_span_joined_from_a_day_and_a_year_keeps_one_precision(pipeline):
    """Found by scripts/fuzz.py: "March 3, 2024 and 2024" gave date 2024-03-03 with date_end "2024" at day precision."""
    (event,) = pipeline.extract_text("Police arrested protesters in Almaty on March 3, 2024 and 2024.",
                                     published="2024-05-01")
    assert (event.date, event.date_end, event.date_precision) == ("2024-03-03", None, "day")
    (event,) = pipeline.extract_text("Troops attacked the town from Aug. 26 to Oct. 20, 2023.", published="2024-05-01")
    assert (event.date, event.date_end, event.date_precision) == ("2023-08-26", "2023-10-20", "day")
