"""Stage 2, text: an article -> sentences with character offsets (and optional statistical entities)."""
