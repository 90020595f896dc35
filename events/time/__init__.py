"""Stage 5, time: temporal expressions, their calendar values, and the anchor they are read against."""
