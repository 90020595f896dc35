"""Benchmark `assign_clusters` at scale (a benchmark, not a test).

Clustering runs after every extraction over the whole database, so its cost
at 1,000,000 events matters. The database is the dashboard benchmark's
synthetic one (real seed events copied with new ids, dates, jittered places
and types), regrouped into articles of 8 events each with a publication date
a few days after their events, as wire copy is.

Run:  python scripts/bench_cluster.py [--events 1000000] [--db /tmp/bench_cluster.duckdb]
Prints the seconds to cluster (wall and CPU: on a shared machine the CPU
seconds are the steadier figure) and the number of clusters.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import duckdb  # noqa: E402

from bench_dashboard import build_synthetic  # noqa: E402
from events.store.cluster import assign_clusters  # noqa: E402
from events.store.database import Store  # noqa: E402

EVENTS_PER_ARTICLE = 8


def regroup(db: Path) -> None:
    """One article per EVENTS_PER_ARTICLE events, published 0-3 days after its first event."""
    con = duckdb.connect(str(db))
    try:
        con.execute(f"UPDATE events SET doc_id = 'a' || (CAST(substr(event_id, 4) AS BIGINT) // {EVENTS_PER_ARTICLE})")
        con.execute("DELETE FROM articles")
        con.execute(
            """INSERT INTO articles
               SELECT doc_id, NULL, NULL,
                      strftime(coalesce(min(day), DATE '2020-01-01') + CAST(hash(doc_id) % 4 AS INTEGER), '%Y-%m-%d'),
                      'bench', '', '', now()::TIMESTAMP
               FROM events GROUP BY doc_id"""
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "bench_cluster.duckdb")
    args = parser.parse_args()
    from conftest_dashboard import build_fixture_db

    source = build_fixture_db(Path(tempfile.mkdtemp()) / "fixture.duckdb")
    build_synthetic(source, args.db, args.events)
    regroup(args.db)
    with Store(args.db) as store:
        started, cpu = time.perf_counter(), time.process_time()
        clusters = assign_clusters(store)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        clustered = store.connection.execute("SELECT count(cluster_id) FROM events").fetchone()[0]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"{args.events:,} events: clustered in {seconds:.1f} s ({cpu:.1f} s of CPU, all threads); "
          f"{clusters:,} clusters of 2+ holding "
          f"{clustered:,} events; peak RSS {rss:.2f} GB")


if __name__ == "__main__":
    main()
