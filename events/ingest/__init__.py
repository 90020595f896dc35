"""Stage 1, ingest: files and strings -> `Article` (plain text, HTML main text, JSON Lines), cleaned and checked against the per-article limits."""
