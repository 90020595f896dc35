"""The LGL scorer on a tiny corpus written here (the real one stays in shared/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.benchmarks.lgl import evaluate_lgl, read_lgl
from events.geo.gazetteer import Gazetteer
from events.geo.geoparse import Geoparser

TEXT = "Flooding hit Paris, Texas, and officials in Dallas opened shelters on Elm Street."
XML = f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text><![CDATA[{TEXT}]]></text>
    <toponyms>
      <toponym><start>13</start><end>18</end><phrase>Paris</phrase>
        <gaztag geonameid="4717560"><name>Paris</name><lat>33.6609</lat><lon>-95.5555</lon></gaztag>
      </toponym>
      <toponym><start>20</start><end>25</end><phrase>Texas</phrase>
        <gaztag geonameid="4736286"><name>Texas</name><lat>31.2504</lat><lon>-99.2506</lon></gaztag>
      </toponym>
      <toponym><start>44</start><end>50</end><phrase>Dallas</phrase>
        <gaztag geonameid="4684888"><name>Dallas</name><lat>32.7831</lat><lon>-96.8067</lon></gaztag>
      </toponym>
      <toponym><start>70</start><end>80</end><phrase>Elm Street</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "lgl.xml"
    path.write_text(XML, encoding="utf-8")
    return path


def test_reader_keeps_offsets_into_the_text(corpus: Path) -> None:
    (article,) = read_lgl(corpus)
    assert [article.text[t.start:t.end] for t in article.toponyms] == ["Paris", "Texas", "Dallas", "Elm Street"]
    assert article.toponyms[-1].lat is None


def test_evaluate_lgl_scores_the_tiny_corpus(corpus: Path) -> None:
    figures = evaluate_lgl(corpus, Geoparser(Gazetteer.load()))
    assert figures["gold_toponyms"] == 3  # the unplaced street is not gold
    assert figures["recall"] == pytest.approx(1.0)
    assert figures["precision"] == pytest.approx(1.0)
    assert figures["acc161"] == pytest.approx(1.0)
    assert figures["median_error_km"] < 161
    assert set(figures) >= {"precision", "recall", "f1", "acc161", "mean_error_km", "median_error_km", "seconds"}
