"""cluster_id links reports of the same real-world event across articles (EVENTS.md section 1)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from events.runner import extract_paths

# Three agencies' wording of pipeline closures: two reports of the July 6 halt, one of another halt.
REPORTS = [
    {"id": "reuters-1", "published": "2022-07-06",
     "text": "Russia halted the flow of oil through the CPC pipeline near Novorossiysk on Wednesday, "
             "a court ruling showed."},
    {"id": "ap-1", "published": "2022-07-07",
     "text": "A Russian court ordered the pipeline closed. Russia halted the flow of oil through the CPC "
             "pipeline at Novorossiysk on July 6."},
    {"id": "ap-2", "published": "2022-08-22",
     "text": "Russia halted the flow of oil through the CPC pipeline at Novorossiysk on August 20."},
    {"id": "afp-1", "published": "2022-07",
     "text": "In July, Russia halted the flow of oil through a pipeline at Novorossiysk."},
    {"id": "tass-1", "published": "2022-07-06",
     "text": "Russia halted the flow of gas through a pipeline in Vladivostok on Wednesday."},
]


def _halts(tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    source = tmp_path / "reports.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    db = tmp_path / "events.duckdb"
    extract_paths([source], db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, date, cluster_id FROM events WHERE type = 'SANCTION'").fetchall()
    return {doc: (day, cluster) for doc, day, cluster in rows}


def test_reports_of_one_event_share_a_cluster_and_others_do_not(tmp_path: Path) -> None:
    halts = _halts(tmp_path)
    assert halts["reuters-1"][0] == halts["ap-1"][0] == "2022-07-06"
    cluster = halts["reuters-1"][1]
    assert cluster is not None and halts["ap-1"][1] == cluster
    # the same month at month precision is the same date at the coarser precision
    assert halts["afp-1"] == ("2022-07", cluster)
    # another day, or a place 6,000 km away, is another event
    assert halts["ap-2"][1] != cluster
    assert halts["tass-1"][1] != cluster


def test_clusters_are_recomputed_not_accumulated(tmp_path: Path) -> None:
    first = _halts(tmp_path)
    second = _halts(tmp_path)
    assert first == second
