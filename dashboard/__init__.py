"""The Streamlit dashboard. Installed as `events_dashboard` (see pyproject.toml); `events serve` runs its app.py."""
