"""The TempEval-3 scorer on a small TimeML document written here, so the
figures it reports can be checked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from events.benchmarks.tempeval import evaluate_tempeval, read_timeml
from events.time.timex import TimexTagger

DOC = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST19980108.0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
Stocks in Hong Kong <EVENT eid="e1" class="OCCURRENCE">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> for the third day &amp; analysts <EVENT eid="e2" class="REPORTING">said</EVENT> prices, worth twice as much in <TIMEX3 tid="t2" type="DATE" value="1997-10">October</TIMEX3>, have <EVENT eid="e3" class="OCCURRENCE">plunged</EVENT> in <TIMEX3 tid="t3" type="DURATION" value="P3M">the past three months</TIMEX3>. The bank <EVENT eid="e4" class="OCCURRENCE">grew</EVENT> fast <TIMEX3 tid="t4" type="DATE" value="1990">last year</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "doc1.tml").write_text(DOC, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a TimeML file", encoding="utf-8")
    return tmp_path


def test_read_timeml_strips_tags_and_keeps_offsets(folder):
    doc = read_timeml(folder / "doc1.tml")
    assert doc.dct == date(1998, 1, 8)
    assert "&amp;" not in doc.text and "<EVENT" not in doc.text
    assert [doc.text[g.start:g.end] for g in doc.gold] == [
        "yesterday", "October", "the past three months", "last year"]
    assert [g.value for g in doc.gold] == ["1998-01-07", "1997-10", "P3M", "1990"]


def test_dct_is_not_tagged_as_text(folder):
    doc = read_timeml(folder / "doc1.tml")
    assert "19980108" not in doc.text


@pytest.mark.parametrize("key,expected", [
    ("documents", 1.0),
    ("gold", 4.0),
    ("system", 4.0),
    ("strict_f1", 1.0),
    ("relaxed_f1", 1.0),
    ("type_accuracy", 1.0),
    ("value_accuracy", 0.75),       # gold says 1990 for "last year": the tagger says 1997
    ("value_precision", 0.75),
    ("value_recall", 0.75),
    ("value_f1", 0.75),
    ("date_time_value_accuracy", 2 / 3),
])
def test_figures(folder, key, expected):
    figures = evaluate_tempeval(folder, TimexTagger())
    assert figures[key] == pytest.approx(expected)


def test_reports_time_taken(folder):
    figures = evaluate_tempeval(folder, TimexTagger())
    assert figures["seconds"] >= 0 and figures["words"] > 0


def test_missed_and_spurious_timexes_lower_recall_and_precision(tmp_path):
    text = DOC.replace('<TIMEX3 tid="t2" type="DATE" value="1997-10">October</TIMEX3>', "October") \
              .replace("The bank", "On Friday the bank")
    (tmp_path / "doc.tml").write_text(text, encoding="utf-8")
    figures = evaluate_tempeval(tmp_path, TimexTagger())
    # 3 gold; the tagger finds yesterday, October, the past three months, Friday, last year
    assert figures["gold"] == 3 and figures["system"] == 5
    assert figures["relaxed_recall"] == pytest.approx(1.0)
    assert figures["relaxed_precision"] == pytest.approx(3 / 5)
