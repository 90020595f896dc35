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

_PAIRS_SQL = """
SELECT a.event_id, b.event_id
FROM events a JOIN events b
  ON a.type = b.type
 AND a.event_id < b.event_id
 AND a.date IS NOT NULL AND b.date IS NOT NULL
 AND left(a.date, least(length(a.date), length(b.date))) = left(b.date, least(length(a.date), length(b.date)))
 AND a.lat IS NOT NULL AND b.lat IS NOT NULL
WHERE list_has_any(a.actors, b.actors)
  AND 2 * 6371.0 * asin(sqrt(
        pow(sin(radians(b.lat - a.lat) / 2), 2)
        + cos(radians(a.lat)) * cos(radians(b.lat)) * pow(sin(radians(b.lon - a.lon) / 2), 2)
      )) <= ?
"""


def assign_clusters(store: Store) -> int:
    """Recompute every cluster_id; return the number of clusters of two or more events."""
    pairs = store.connection.execute(_PAIRS_SQL, [MAX_KM]).fetchall()
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
