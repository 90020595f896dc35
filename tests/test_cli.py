"""The command line end to end on the seed articles, as a user runs it."""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from events.cli import main

GOLD_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
              "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds_dir):
    """One extraction of the seed JSON Lines into a database and a JSON Lines file."""
    folder = tmp_path_factory.mktemp("seeded")
    db, out = folder / "events.duckdb", folder / "events.jsonl"
    result = CliRunner().invoke(main, ["extract", str(seeds_dir / "articles.jsonl"), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return db, out, result.output


def _records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_writes_contract_records(seeded, seeds_dir):
    db, out, output = seeded
    records = _records(out)
    articles = {json.loads(l)["id"]: json.loads(l)["text"] for l in (seeds_dir / "articles.jsonl").open(encoding="utf-8")}
    assert len(records) > 50
    for record in records:
        assert articles[record["doc_id"]][record["char_start"]:record["char_end"]] == record["sentence"]
        assert record["type"] in GOLD_TYPES
        assert record["date_precision"] in {"day", "month", "year", "none"}
        assert record["geo_precision"] in {"point", "admin1", "country", "none"}
        assert (record["lat"] is None) == (record["place"] is None)
    assert "9 articles" in output


def test_extract_stores_the_same_events_it_writes(seeded):
    db, out, _ = seeded
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT event_id FROM events").fetchall()}
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 9
    assert stored == {r["event_id"] for r in _records(out)}


def test_known_events_of_the_seeds(seeded):
    records = _records(seeded[1])
    by_trigger = {(r["doc_id"], r["type"]): r for r in records}
    call = next(r for r in records if r["doc_id"] == "s03" and r["type"] == "CONSULT" and "telephone" in r["sentence"])
    assert call["date"] == "2024-03-23" and call["date_precision"] == "day"  # "on Saturday", article of 2024-03-23
    assert "Kassym-Jomart Tokayev" in call["actors"]
    lavrov = next(r for r in records if "Lavrov" in r["sentence"] and r["type"] == "CONSULT")
    assert lavrov["status"] == "scheduled" and lavrov["place"] == "Tashkent" and lavrov["country"] == "UZ"
    assert lavrov["date"] == "2022-07-28" and lavrov["date_end"] == "2022-07-29"
    assert ("s04", "COERCE") in by_trigger


def test_rerun_is_idempotent(seeded, seeds_dir):
    db, _, _ = seeded
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT count(*), sum(hash(event_id)) FROM events").fetchone()
    result = CliRunner().invoke(main, ["extract", str(seeds_dir / "articles.jsonl"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "9 unchanged" in result.output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(hash(event_id)) FROM events").fetchone() == before


def test_bad_inputs_are_reported_skipped_and_nothing_stored_is_lost(seeded, tmp_path):
    db, _, _ = seeded
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM events").fetchone()[0]
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "broken.jsonl").write_text('{"id": "ok1", "text": "Police arrested two men in Almaty on Monday."}\n{"id": oops}\n')
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("empty.txt" in l for l in lines)
    assert any("binary.txt" in l for l in lines)
    assert any("broken.jsonl:2" in l for l in lines)
    with duckdb.connect(str(db), read_only=True) as con:
        after = con.execute("SELECT count(*) FROM events").fetchone()[0]
        assert con.execute("SELECT count(*) FROM articles WHERE doc_id = 'ok1'").fetchone()[0] == 1
    assert after > before  # the good line was still extracted, nothing removed


def test_missing_path_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1
    assert "nope.txt" in result.output


def test_evaluate_prints_one_figure_per_line(seeded, tmp_path):
    _, out, _ = seeded
    gold = tmp_path / "gold.jsonl"
    first = _records(out)[0]
    gold.write_text(json.dumps({"doc_id": first["doc_id"], "evidence": first["sentence"][5:40], "type": first["type"],
                                "actors": [], "date": None, "place": None}) + "\n")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--pred", str(out)])
    assert result.exit_code == 0, result.output
    figures = dict(line.split(": ", 1) for line in result.output.splitlines())
    assert float(figures["recall"]) == 1.0
    assert {"f1", "untyped_f1", "date_accuracy", "place_accuracy", "actor_accuracy"} <= figures.keys()


@pytest.mark.parametrize("fmt", ["csv", "geojson", "jsonl", "parquet"])
def test_export_formats_hold_every_event(seeded, tmp_path, fmt):
    db, _, _ = seeded
    with duckdb.connect(str(db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    target = tmp_path / f"events.{fmt}"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt, "--out", str(target)])
    assert result.exit_code == 0, result.output
    if fmt == "parquet":
        assert pq.read_table(target).num_rows == n
    elif fmt == "geojson":
        assert len(json.loads(target.read_text())["features"]) == n
    elif fmt == "csv":
        assert len(target.read_text(encoding="utf-8").strip().splitlines()) >= n + 1
    else:
        assert len(target.read_text(encoding="utf-8").splitlines()) == n


def test_geoparse_and_timex_commands(seeds_dir):
    runner = CliRunner()
    articles = {json.loads(l)["id"]: json.loads(l)["text"] for l in (seeds_dir / "articles.jsonl").open(encoding="utf-8")}
    geo = [json.loads(l) for l in runner.invoke(main, ["geoparse", str(seeds_dir / "articles.jsonl")]).output.splitlines()]
    assert len(geo) == 9
    for line in geo:
        for top in line["toponyms"]:
            assert articles[line["doc_id"]][top["start"]:top["end"]] == top["text"]
    names = {t["name"] for line in geo for t in line["toponyms"]}
    assert {"Tashkent", "Kazakhstan", "Perm"} <= names
    tim = [json.loads(l) for l in runner.invoke(main, ["timex", str(seeds_dir / "articles.jsonl")]).output.splitlines()]
    values = {(line["doc_id"], t["text"], t["value"]) for line in tim for t in line["timexes"]}
    assert ("s06", "February 29, 2020", "2020-02-29") in values
    assert all(t["type"] in {"DATE", "TIME", "DURATION", "SET"} for line in tim for t in line["timexes"])


def test_evaluate_with_clusters_adds_pairwise_cluster_figures(tmp_path):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    labels = tmp_path / "clusters.jsonl"
    gold.write_text("".join(json.dumps({"doc_id": d, "evidence": e, "type": "ASSAULT", "actors": [], "date": None,
                                        "place": None}) + "\n" for d, e in (("a", "bombed a mosque"), ("b", "the bombing"))))
    pred.write_text("".join(json.dumps({"doc_id": d, "sentence": s, "type": "ASSAULT", "cluster_id": "c1"}) + "\n"
                            for d, s in (("a", "A man bombed a mosque."), ("b", "After the bombing, police came."))))
    labels.write_text('{"line": 0, "cluster": "k"}\n{"line": 1, "cluster": "k"}\n')
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--pred", str(pred), "--clusters", str(labels)])
    assert result.exit_code == 0, result.output
    figures = dict(line.split(": ", 1) for line in result.output.splitlines())
    assert figures["cluster_recall"] == "1.0" and figures["cluster_precision"] == "1.0"
