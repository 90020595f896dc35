"""De-duplication: link reports of the same real-world event with a cluster_id.

Two events are linked when they have the same type, share an actor, fall on
the same date at the coarser of their two precisions, and lie within 50 km.
Linking is transitive (union-find), and it never deletes a record: every
report stays as evidence, only `cluster_id` changes (EVENTS.md section 1).
The candidate pairs come from one SQL self-join, so the work stays in DuckDB.
"""

from __future__ import annotations

from events.store import Store

MAX_KM = 50.0

# Candidate pairs come from equi-joins only, so DuckDB hashes them instead of comparing every
# pair of a type: each event is exploded into one row per actor, and a pair must share
# (type, actor, date cut to the coarser precision). The coarser date is the one of `a` in each
# branch (year, month or day), so the three branches cover every pair once or twice; DISTINCT
# removes the repeats. The distance test then runs on those few pairs only.
_PAIRS_SQL = """
WITH ex AS (
    SELECT event_id, type, unnest(actors) AS actor, date, length(date) AS len, lat, lon
    FROM events
    WHERE date IS NOT NULL AND lat IS NOT NULL AND length(date) IN (4, 7, 10)
),
pairs AS (
    SELECT a.event_id AS x, b.event_id AS y, a.lat AS lat1, a.lon AS lon1, b.lat AS lat2, b.lon AS lon2
    FROM ex a JOIN ex b ON a.type = b.type AND a.actor = b.actor AND a.date = left(b.date, 10)
    WHERE a.len = 10 AND b.len = 10
    UNION ALL
    SELECT a.event_id, b.event_id, a.lat, a.lon, b.lat, b.lon
    FROM ex a JOIN ex b ON a.type = b.type AND a.actor = b.actor AND a.date = left(b.date, 7)
    WHERE a.len = 7 AND b.len >= 7
    UNION ALL
    SELECT a.event_id, b.event_id, a.lat, a.lon, b.lat, b.lon
    FROM ex a JOIN ex b ON a.type = b.type AND a.actor = b.actor AND a.date = left(b.date, 4)
    WHERE a.len = 4
)
SELECT DISTINCT least(x, y), greatest(x, y)
FROM pairs
WHERE x <> y
  AND 2 * 6371.0 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)
      )) <= ?
"""


def assign_clusters(store: Store) -> int:
    """Recompute every cluster_id; return the number of clusters of two or more events."""
    pairs = store.fetchall(_PAIRS_SQL, [MAX_KM])
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members = {x for pair in pairs for x in pair}
    assignments = {x: "c" + find(x) for x in members}
    store.set_clusters(assignments)
    return len(set(assignments.values()))
