"""Stage 3, triggers: a sentence -> event triggers with PLOVER type, mode and status, read in their event sense; casualty counts and the confidence of the finished record."""
