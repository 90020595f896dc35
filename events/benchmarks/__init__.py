"""Public benchmarks the components are measured against (EVENTS.md section 7)."""
