"""Storage and the read side: the DuckDB file and the Parquet dataset, same-event clustering, analyst corrections, queries and exports."""
