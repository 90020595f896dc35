"""One map point per clustered event, sized by its number of reports."""

from __future__ import annotations

import json
from pathlib import Path

from events.store import queries
from events.runner import extract_paths
from events.store.queries import Filters
from test_cluster import KABUL_BOMBING


def test_three_agencies_bombing_reports_are_one_point_at_kabul(tmp_path: Path) -> None:
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in KABUL_BOMBING), encoding="utf-8")
    db = tmp_path / "wire.duckdb"
    extract_paths([source], db)
    with queries.read_connection(db) as con:
        points = queries.map_points(con, Filters(types=("ASSAULT",)), 1000, per_event=True)
        placed = queries.count_summary(con, Filters(types=("ASSAULT",))).on_map
    assert placed >= 3
    assert len(points) == 1
    assert points.iloc[0]["place"].startswith("Kabul · ") and points.iloc[0]["reports"] == placed
