"""The map's "one point per event": one row per cluster of reports (or per report left alone).

Read side for the dashboard, on the same `Filters` as every other view: the
reports that match are grouped by `cluster_id`; each group is drawn at its
most precise place (a point before a region before a country, then the
earliest date), sized by how many reports it holds.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from events.store.queries import Filters, where_clause


def cluster_points(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 20_000) -> pd.DataFrame:
    """One row per event (cluster or lone report) with a place: its representative report's id, place,
    coordinates, type, precision, date, and `reports`, the number of matching reports it holds."""
    where, params = where_clause(filters)
    params["limit"] = int(limit)
    return con.execute(
        f"""SELECT coalesce(cluster_id, event_id) AS key,
                   arg_min(event_id, rank) AS event_id, arg_min(place, rank) AS place,
                   arg_min(round(lon, 5), rank) AS lon, arg_min(round(lat, 5), rank) AS lat,
                   arg_min(type, rank) AS type, arg_min(geo_precision, rank) AS geo_precision,
                   min(date) AS date, count(*) AS reports
            FROM (SELECT *, [CASE geo_precision WHEN 'point' THEN 0 WHEN 'admin1' THEN 1 ELSE 2 END,
                             coalesce(epoch(day), 1e12)::BIGINT] AS rank
                  FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where})
            GROUP BY 1 ORDER BY reports DESC, key LIMIT $limit""",
        params,
    ).df()
