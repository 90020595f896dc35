"""scripts/judge_sample.py: a new sample leaves out the records judged before (they train the confidence)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "judge_sample.py"


@pytest.fixture()
def judge_sample(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))  # as when run: the script's folder holds judged_corpora.py
    spec = importlib.util.spec_from_file_location("judge_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records(n: int) -> list[dict]:
    return [{"event_id": f"e{k}", "doc_id": "lgl-1", "sentence": "Police arrested a man.", "trigger": "arrested",
             "type": "COERCE", "mode": "arrest", "confidence": 0.9} for k in range(n)]


def test_a_draw_leaves_out_judged_records_and_is_repeatable(judge_sample):
    judged = {f"e{k}" for k in range(0, 20, 2)}
    first = judge_sample.draw(_records(20), 8, seed=3, exclude=judged)
    again = judge_sample.draw(_records(20), 8, seed=3, exclude=judged)
    assert [r["event_id"] for r in first] == [r["event_id"] for r in again]
    assert len(first) == 8 and not judged & {r["event_id"] for r in first}
    assert all(r["verdict"] == "" for r in first)


def test_judged_ids_read_every_sample_file(judge_sample, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"event_id": "x1", "verdict": "event"}) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"event_id": "x2", "verdict": "not"}) + "\n\n", encoding="utf-8")
    (tmp_path / "measure").mkdir()  # samples kept out of training are judged too: never drawn again
    (tmp_path / "measure" / "c.jsonl").write_text(json.dumps({"event_id": "x3", "verdict": "not"}) + "\n",
                                                  encoding="utf-8")
    assert judge_sample.judged_ids(tmp_path) == {"x1", "x2", "x3"}


def test_the_committed_samples_all_carry_a_verdict(judge_sample):
    paths = sorted((SCRIPT.parent / "judged").rglob("*.jsonl"))
    assert paths
    for path in paths:
        result = judge_sample.score(path)
        assert result["records"] >= 60 and 0 <= result["events"] <= result["records"]


def test_a_kept_file_holds_the_verdicts_and_not_the_corpus_text(judge_sample):
    rows = [{**r, "verdict": "event", "reason": "an arrest by police (COERCE)"} for r in _records(3)]
    kept = judge_sample.kept(rows)
    assert [r["event_id"] for r in kept] == ["e0", "e1", "e2"]
    assert all(r["verdict"] == "event" and r["trigger"] == "arrested" and "sentence" not in r for r in kept)


def test_the_committed_samples_keep_no_corpus_text():
    for path in sorted((SCRIPT.parent / "judged").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert "sentence" not in json.loads(line), path


def test_a_judged_record_names_its_corpus_by_its_prefix(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    from judged_corpora import corpus_of

    assert corpus_of("lgl-39624583") == "lgl" and corpus_of("tbaq-APW19980807.0261") == "tbaq"
    assert corpus_of("trn-1040001") == "trnews" and corpus_of("gwn-17") == "gwn"
    with pytest.raises(ValueError, match="no known corpus"):
        corpus_of("s01")


def test_the_estimate_weights_each_confidence_bin_by_its_share_of_the_kept_records(judge_sample):
    # 8 kept records at 0.9 and 2 at 0.4; the judged sample holds one of each, and the low one is no event:
    # the estimate is 0.8 * 1.0 + 0.2 * 0.0, not the judged sample's 0.5
    records = [{"event_id": f"h{k}", "confidence": 0.9} for k in range(8)]
    records += [{"event_id": f"l{k}", "confidence": 0.4} for k in range(2)]
    result = judge_sample.estimate(records, {"h0": "event", "l0": "not", "gone": "event"})
    assert result["estimate"] == 0.8
    assert [b["records"] for b in result["bins"]] == [0, 2, 0, 0, 8]


def test_no_estimate_when_a_bin_of_kept_records_has_no_verdict(judge_sample):
    records = [{"event_id": "a", "confidence": 0.9}, {"event_id": "b", "confidence": 0.4}]
    assert judge_sample.estimate(records, {"a": "event"})["estimate"] is None


def test_retold_acts_count_as_events_only_in_the_literal_reading(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    from judged_corpora import is_event

    retold = {"event_id": "r", "verdict": "not", "background_act": True}
    other = {"event_id": "o", "verdict": "not", "background_act": False}
    unflagged = {"event_id": "u", "verdict": "not"}
    assert not is_event(retold) and is_event(retold, retold_as_events=True)
    assert not is_event(other, retold_as_events=True) and not is_event(unflagged, retold_as_events=True)
    assert is_event({"event_id": "e", "verdict": "event"})


TR_NEWS = """<?xml version="1.0" encoding="utf-8"?>
<articles>
    <article docid="1040001">
        <title>Policeman shot dead after assassinating Russian ambassador
        </title>
        <url>http://news.example.com/news/world/gunman</url>
        <dltime>2016-12-19</dltime>
        <text><![CDATA[A Turkish policeman fatally shot Russia's ambassador to Turkey on Monday.]]></text>
    </article>
</articles>
"""
GEO_WEB_NEWS = """<?xml version="1.0" ?>
<articles>
    <article file="3">
        <title>Council approves budget</title>
        <link>http://www.example.com/news/2018/03/14/council-budget.html</link>
        <text>The council approved the budget on Tuesday.</text>
    </article>
    <article file="4">
        <title>Mardi Gras route</title>
        <link>http://www.example.com/mardi_gras/2018/01/route.html</link>
        <text>The parade rolled through the Marigny.</text>
    </article>
</articles>
"""


def test_news_corpora_give_a_headline_line_and_a_published_date_where_known(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    import judged_corpora

    monkeypatch.setattr(judged_corpora, "NEWS", tmp_path)
    (tmp_path / "TR-News.xml").write_text(TR_NEWS, encoding="utf-8")
    (tmp_path / "GWN.xml").write_text(GEO_WEB_NEWS, encoding="utf-8")
    [shot] = judged_corpora.articles("trnews")
    assert shot["id"] == "trn-1040001" and shot["published"] == "2016-12-19"
    assert shot["text"].startswith("Policeman shot dead after assassinating Russian ambassador\n\nA Turkish policeman")
    budget, parade = judged_corpora.articles("gwn")
    assert budget["id"] == "gwn-3" and budget["published"] == "2018-03-14"
    assert parade["published"] is None  # a link with a month only gives no day
    assert [a["id"] for a in judged_corpora.articles("gwn", {"gwn-4"})] == ["gwn-4"]


def test_a_missing_or_broken_news_corpus_names_its_file(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    import judged_corpora

    monkeypatch.setattr(judged_corpora, "NEWS", tmp_path)
    with pytest.raises(SystemExit, match=r"TR-News\.xml: not found"):
        list(judged_corpora.articles("trnews"))
    (tmp_path / "GWN.xml").write_text("<articles><article>", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"GWN\.xml: not readable XML"):
        list(judged_corpora.articles("gwn"))
