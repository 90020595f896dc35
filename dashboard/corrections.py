"""The details panel's corrections editor: fix a field, see the audit trail, undo.

`app.py` calls `render_editor(record, db)` under an event's details. Each fix
is written through `events.store.corrections` (a short write connection, like an
upload's), which stores it in the audit trail and applies it to the event;
the database's stamp then changes, so every view shows the corrected event on
the rerun. Text from the database is shown only through Streamlit widgets and
escaped HTML, never as Markdown.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import streamlit as st

from events.geo.gazetteer import Gazetteer
from events.models import Place
from events.store import corrections
from events.store.corrections import FIELD_COLUMNS, PLOVER_TYPES, STATUSES, CorrectionError
from events.store.database import Store
from events.store.queries import read_connection

FIELD_LABELS: dict[str, str] = {
    "type": "Type", "mode": "Mode", "actors": "Actors", "targets": "Targets", "date": "Date",
    "place": "Place", "status": "Status", "not_event": "Not an event",
}  # fmt: skip
PRECISIONS = ("day", "month", "year", "none")


@st.cache_resource(show_spinner=False)
def _gazetteer() -> Gazetteer:
    return Gazetteer.load()


def place_label(place: Place) -> str:
    """How a gazetteer candidate reads in the picker: "Almaty · KZ · city · Almaty"."""
    return " · ".join(v for v in (place.name, place.country or "", place.feature, place.admin1 or "") if v)


def render_editor(event: dict[str, Any], db_path: str | Path) -> None:
    """The trail of this event's corrections with undo buttons, and a form to add one."""
    event_id = event["event_id"]
    with read_connection(db_path) as con:
        trail = corrections.history(con, event_id)
    live = [c for c in trail if c.undone_at is None]
    if live:
        fields = ", ".join(dict.fromkeys(FIELD_LABELS[c.field].lower() for c in live))
        st.html(f'<div data-testid="event-corrected" style="font-size:0.85rem">✎ <b>corrected</b>: {html.escape(fields)}</div>')
    with st.expander(f"Correct this event ({len(live)} corrections)" if live else "Correct this event"):
        _trail(trail, db_path)
        _form(event, db_path)


def _trail(trail: list[corrections.Correction], db_path: str | Path) -> None:
    for c in trail:
        state = f" · undone by {c.undone_by or '?'}" if c.undone_at else ""
        note = f" · “{c.note}”" if c.note else ""
        left, right = st.columns([5, 1], vertical_alignment="center")
        with left:
            st.html(
                '<div data-testid="correction" style="font-size:0.8rem">'
                f"<b>{html.escape(FIELD_LABELS.get(c.field, c.field))}</b>: {html.escape(_show(c.old_value))} → "
                f"{html.escape(_show(c.new_value))} · {html.escape(c.author)}, {c.created_at:%Y-%m-%d %H:%M}"
                f"{html.escape(note + state)}</div>"
            )
        with right:
            if c.undone_at is None and st.button("Undo", key=f"corr_undo_{c.correction_id}"):
                _write(db_path, lambda con: corrections.undo(con, c.correction_id, st.session_state.get("corr_author", "")))


def _form(event: dict[str, Any], db_path: str | Path) -> None:
    field = st.selectbox("Field", list(FIELD_LABELS), format_func=FIELD_LABELS.get, key="corr_field")
    value = _value_input(field, event)
    st.text_input("Your name", key="corr_author")
    st.text_input("Note (optional)", key="corr_note")
    if st.button("Save correction", key="corr_save", type="primary"):
        if value is None:
            st.error(f"{FIELD_LABELS[field]}: choose a value first.")
            return
        author, note = st.session_state.get("corr_author", ""), st.session_state.get("corr_note", "")
        _write(db_path, lambda con: corrections.correct(con, event["event_id"], field, value, author, note))


def _value_input(field: str, event: dict[str, Any]) -> dict[str, Any] | None:
    """The widgets for one field, prefilled with the event's value; the value they hold (None: not chosen)."""
    key = f"corr_{field}_{event['event_id']}"
    try:
        if field == "type":
            current = PLOVER_TYPES.index(event["type"]) if event["type"] in PLOVER_TYPES else 0
            return {"type": st.selectbox("Type", PLOVER_TYPES, index=current, key=key)}
        if field == "mode":
            return {"mode": st.text_input("Mode", value=event.get("mode") or "", key=key)}
        if field in ("actors", "targets"):
            text = st.text_input(f"{FIELD_LABELS[field]} (separated by ;)", value="; ".join(event[field] or []), key=key)
            return {field: [n.strip() for n in text.split(";") if n.strip()]}
        if field == "date":
            precision = st.selectbox("Precision", PRECISIONS, index=PRECISIONS.index(event.get("date_precision") or "none"),
                                     key=key + "_precision")  # fmt: skip
            if precision == "none":
                return corrections.date_value(None)
            text = st.text_input(f"Date ({'YYYY-MM-DD' if precision == 'day' else 'YYYY-MM' if precision == 'month' else 'YYYY'})",
                                 value=event.get("date") or "", key=key)  # fmt: skip
            end = st.text_input("Until (optional, same form)", value=event.get("date_end") or "", key=key + "_end")
            value = corrections.date_value(text, end or None)
            if value["date_precision"] != precision:
                st.error(f"Date: {text!r} is not a date of {precision} precision.")
                return None
            return value
        if field == "place":
            return _place_input(event, key)
        if field == "status":
            current = STATUSES.index(event["status"]) if event.get("status") in STATUSES else 0
            return {"status": st.selectbox("Status", STATUSES, index=current, key=key)}
        if field == "not_event":
            return {"not_event": st.checkbox("This record is not an event (hide it from every view and export)",
                                             value=True, key=key)}  # fmt: skip
    except CorrectionError as error:
        st.error(str(error))
        return None
    raise ValueError(f"no editor for field {field!r} (fields: {', '.join(FIELD_COLUMNS)})")


def _place_input(event: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Search the gazetteer by name and pick one of its candidates, or clear the place."""
    if st.checkbox("No place (the text does not give the scene)", key=key + "_none"):
        return corrections.place_value(None)
    query = st.text_input("Search the gazetteer", value=event.get("place") or "", key=key + "_query")
    found = _gazetteer().candidates(query.strip())[:20] if query.strip() else []
    if not found:
        if query.strip():
            st.caption(f"No place called {query.strip()!r} in the gazetteer.")
        return None
    labels = [place_label(p) for p in found]
    picked = st.selectbox("Place", range(len(found)), format_func=labels.__getitem__, key=key + "_pick")
    return corrections.place_value(found[picked])


def _write(db_path: str | Path, action) -> None:  # noqa: ANN001
    """Run one write (a correction or an undo) on a short write connection; rerun to show it everywhere."""
    try:
        with Store(Path(db_path)) as store:
            action(store.connection)
    except CorrectionError as error:
        st.error(str(error))
        return
    st.rerun()


def _show(value: dict[str, Any]) -> str:
    """A correction's value in a few words: "ASSAULT", "Russia, Ukraine", "Almaty (KZ)", "2022-07 (month)"."""
    if "place" in value:
        return f"{value['place']} ({value.get('country') or '?'})" if value["place"] else "no place"
    if "date" in value:
        return f"{value['date']} ({value['date_precision']})" if value["date"] else "no date"
    if "not_event" in value:
        return "not an event" if value["not_event"] else "an event"
    (only,) = value.values()
    return ", ".join(only) if isinstance(only, list) else str(only if only is not None else "—")
