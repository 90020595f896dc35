"""Event Atlas dashboard: map, timeline, filters, details, table and exports.

Run:  events serve --db data/events.duckdb
      (or streamlit run dashboard/app.py -- --db data/events.duckdb; or set
      EVENTS_DB; default data/events.duckdb)

This folder installs as the package `events_dashboard` (see pyproject.toml),
so the app imports its modules under that name, in a checkout (editable
install) as well as from a plain `pip install .`.

Layout only: queries live in `events.store.queries` (through the cached
`events_dashboard.data`), drawing in `events_dashboard.charts`, widgets
in `events_dashboard.filters`. Text that comes from articles is only ever
shown through `st.html` after escaping, or in data frames, so it is never run
as HTML or Markdown.
"""

from __future__ import annotations

import html
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import streamlit as st

from events.store import queries
from events.store.database import StoreError
from events.store.queries import Catalog, Counts, Filters
from events_dashboard import charts, data, filters, map_file
from events_dashboard.corrections import render_editor

PLAY_INTERVAL_SECONDS = 1.2
PICK_KEY = "picked"
BRUSH_PARAM = "brush"  # the timeline brush in the URL: ?brush=2022-07-01,2022-07-31
DETAILS_HEIGHT = charts.MAP_HEIGHT
TIMELINE_HEIGHT = 170  # pixels, axis and legend included
# Fixed CSS only (no user data): less empty space above the page, so that the
# map and the timeline under it fit a 1280x720 screen.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.4rem; padding-bottom: 2rem; }
[data-testid="stAppDeployButton"] { display: none; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
[data-testid="stVerticalBlock"] { gap: 0.55rem; }
</style>"""


# --------------------------------------------------------------------------- selection callbacks


def _pick(event_id: str | None) -> None:
    """Remember the picked event and put it in the URL so the link reopens it."""
    st.session_state[PICK_KEY] = event_id
    if event_id:
        st.query_params["event"] = event_id
    elif "event" in st.query_params:
        del st.query_params["event"]


def _map_pick(event: object) -> str | None:
    """The event id picked on the map, from `st.pydeck_chart`'s selection state."""
    objects = ((event or {}).get("selection") or {}).get("objects") or {}  # type: ignore[union-attr]
    for layer_id in charts.EVENT_LAYER_IDS:
        for obj in objects.get(layer_id) or []:
            if obj.get("event_id"):
                return str(obj["event_id"])
    return None


def _table_pick(event: object, event_ids: list[str]) -> str | None:
    """The event id of the row picked in the table, from `st.dataframe`'s selection state."""
    rows = ((event or {}).get("selection") or {}).get("rows") or []  # type: ignore[union-attr]
    return event_ids[rows[0]] if rows and rows[0] < len(event_ids) else None


def _apply_picks(map_pick: str | None, table_pick: str | None) -> None:
    """Show whichever selection changed in this run (a click on the map or on a table row)."""
    for source, picked in (("map", map_pick), ("table", table_pick)):
        seen_key = f"_seen_{source}_pick"
        if picked != st.session_state.get(seen_key):
            st.session_state[seen_key] = picked
            if picked:
                _pick(picked)


def _toggle_play() -> None:
    st.session_state["playing"] = not st.session_state.get("playing", False)


# --------------------------------------------------------------------------- sections


def _link(extra: dict[str, str]) -> str:
    """A query-string link to this view with `extra` parameters changed (kept filters, repeated keys too)."""
    pairs = [(k, v) for k in st.query_params for v in st.query_params.get_all(k) if k not in extra and k != "event"]
    pairs += list(extra.items())
    return "?" + urlencode(pairs)


def counts_line(counts: Counts, total: int, report_dates: bool) -> None:
    """The honest summary line; its "not on the map/timeline" parts link to exactly those events."""

    def part(n: int, text: str, extra: dict[str, str], testid: str) -> str:
        href = html.escape(_link(extra), quote=True)
        return f'<a data-testid="{testid}" href="{href}" target="_self"><b>{n:,}</b> {text}</a>'

    pieces = [f"<b>{counts.matching:,}</b> of {total:,} events match"]
    pieces.append(part(counts.without_place, "not on the map (no place)", {"place": "none"}, "link-no-place"))
    if report_dates:
        pieces.append(part(counts.by_report, "dated by report", {"dating": "report"}, "link-by-report"))
    pieces.append(
        part(counts.without_date, "not on the timeline (no date)",
             {"dating": "none" if report_dates else "undated"}, "link-no-date")
    )  # fmt: skip
    st.html('<div data-testid="event-counts" style="font-size:0.92rem">' + " · ".join(pieces) + "</div>")


def map_section(v: data.View, cat: Catalog, arcs: bool, basemap: bool) -> str | None:
    """Draw the map, fitted to the filtered events; return the id of the event clicked on it, if any."""
    options = charts.MapOptions(basemap=basemap, arcs=arcs)
    if basemap:
        problem = data.basemap_problem()
        if problem:
            st.warning(data.plain(f"Online basemap unavailable ({problem}); showing the offline country outlines."))
            options = charts.MapOptions(basemap=False, arcs=arcs)
    deck = charts.event_map(v.points, v.cells, v.bounds or cat.bounds, v.arcs, options)
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", key="map", height=charts.MAP_HEIGHT,
        width="stretch",
    )  # fmt: skip
    return _map_pick(event)


def hexagon_note(v: data.View) -> str:
    """One line under the map when it aggregates (kept short: the timeline must stay on screen)."""
    if v.cells is None:
        return ""
    return (f'<div style="font-size:0.75rem;opacity:0.8">{v.counts.on_map:,} placed events are aggregated into '
            f"{len(v.cells):,} hexagons (more than {data.MAX_POINTS:,}); narrow the filters to click single "
            "events.</div>")  # fmt: skip


def timeline_section(
    v: data.View, span: tuple[date, date] | None, brushed: tuple[date, date] | None, window: tuple[date, date] | None
) -> None:
    """The histogram over the sidebar's date range, with a brush that filters everything else."""
    if v.timeline.empty:
        st.info("No dated events match the filters, so the timeline is empty.")
        return
    rows = charts.stack_timeline(v.timeline)
    spec = charts.timeline_spec(rows, v.bin_unit, span, window=window, brush=brushed)
    st.vega_lite_chart(
        rows, spec, on_select="rerun", selection_mode="brush", key="timeline", width="stretch",
        height=TIMELINE_HEIGHT,
    )  # fmt: skip


def controls_section(cat: Catalog, brushed: tuple[date, date] | None) -> tuple[int, str | None]:
    """Play/Pause, the play window, the bins and the brush's period in one row; (window days, bin unit)."""
    play, window_col, bins_col, brush_col = st.columns([1.1, 1.4, 1.4, 4], vertical_alignment="center")
    with window_col:
        days = filters.play_window_days()
    with bins_col:
        bin_unit = filters.bin_choice()
    with play:
        playing = st.session_state.get("playing", False)
        st.button("⏸ Pause" if playing else "▶ Play", on_click=_toggle_play, key="play_button",
                  disabled=cat.first_day is None, width="stretch")  # fmt: skip
    with brush_col:
        if brushed is not None:
            start, end = brushed
            st.caption(f"Timeline selection: {start:%Y-%m-%d} – {end:%Y-%m-%d} (map, table, counts and "
                       "exports follow it; drag on the chart to change it, click outside it to clear)")  # fmt: skip
    return days, bin_unit


def details_section(db: str, stamp: data.Stamp) -> None:
    event_id = st.session_state.get(PICK_KEY)
    if not event_id:
        st.info("Click an event on the map or a row in the table to read the sentence it came from.")
        return
    detail = data.load_detail(db, stamp, event_id)
    if detail is None:
        st.warning("That event is no longer in the database.")
        return
    rec, art = detail.record, detail.article
    date_label = rec["date"] or "no date"
    if rec["date_end"]:
        date_label += f" – {rec['date_end']}"
    color = charts.hex_color(charts.TYPE_COLORS.get(rec["type"], charts.UNKNOWN_COLOR))
    # Text in the theme's own colour (readable in dark mode); the type's colour is a swatch beside it.
    st.html(
        '<div data-testid="event-detail-head" style="font-size:0.9rem;color:inherit">'
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:2px;background:{color};'
        f'margin-right:5px"></span><b>{html.escape(rec["type"])}</b>'
        f"{html.escape(' · ' + rec['mode']) if rec['mode'] else ''}"
        f" · {html.escape(rec['status'])} · {html.escape(date_label)} ({html.escape(rec['date_precision'])})"
        f" · confidence {rec['confidence']:.2f}</div>"
    )
    st.html(charts.highlighted_sentence_html(rec["sentence"], rec))
    st.html(f"<div>{charts.highlight_legend_html()}</div>")
    place = rec["place"] or "no place"
    where = ", ".join(v for v in (rec["admin1"], rec["country"]) if v)
    basis = f" · from the {rec['place_basis']}" if rec.get("place_basis") else ""
    rows = [
        ("Actors", ", ".join(rec["actors"]) or "—"),
        ("Targets", ", ".join(rec["targets"]) or "—"),
        ("Place", f"{place}{' (' + where + ')' if where else ''} · {rec['geo_precision']} precision{basis}"),
        ("Date words", rec["date_text"] or "—"),
        ("Trigger", rec["trigger"]),
    ]
    st.html(
        '<table style="font-size:0.85rem">'
        + "".join(f"<tr><td><b>{k}</b></td><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
        + "</table>"
    )
    title = art.get("title") or rec["doc_id"]
    url = charts.safe_url(art.get("url"))
    published = f" · published {art['published']}" if art.get("published") else ""
    link = f' · <a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">open article</a>' if url else ""
    st.html(
        f'<div data-testid="event-article" style="font-size:0.9rem">Article: <i>{html.escape(title)}</i>'
        f"{html.escape(published)}{link}</div>"
    )
    # corrections editor (issue 8 item 4) goes here
    if len(detail.cluster):
        st.markdown(f"**Other reports of this event** ({len(detail.cluster)})")
        st.dataframe(detail.cluster, hide_index=True, width="stretch", key="cluster_table")
    render_editor(rec, db)


def _map_caption(counts: Counts) -> str:
    """What the saved map shows, in words: counts and the filters of this view (its URL parameters)."""
    query = "&".join(f"{k}={v}" for k in st.query_params for v in st.query_params.get_all(k) if k != "event")
    return (f"Event Atlas: {counts.on_map:,} of {counts.matching:,} matching events on the map "
            f"({counts.without_place:,} have no place). Filters: {query or 'none'}.")  # fmt: skip


def table_section(db: str, v: data.View, view: Filters) -> str | None:
    """Draw the table and the downloads; return the id of the event whose row was clicked, if any."""
    frame, counts = v.table, v.counts
    shown = f"first {len(frame):,} of {counts.matching:,}" if len(frame) < counts.matching else f"{len(frame):,}"
    st.caption(f"Events ({shown}; click a row for details, a header to sort)")
    event = st.dataframe(
        frame.drop(columns=["event_id"]),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="table",
        height=320,
        width="stretch",
        column_config={
            "confidence": st.column_config.NumberColumn(format="%.2f"),
            "sentence": st.column_config.TextColumn(width="large"),
        },
    )
    cols = st.columns(4)
    with cols[3]:
        st.download_button(
            "Map view as HTML (offline)",
            data=lambda: map_file.map_html(v.points, v.cells, v.bounds, _map_caption(counts)).encode("utf-8"),
            file_name="event-atlas-map.html",
            mime="text/html",
            key="download_map",
            width="stretch",
            help="The map as you see it, in one HTML file that opens without a network (no script, no tiles).",
        )
    for col, (fmt, mime) in zip(
        cols, (("csv", "text/csv"), ("geojson", "application/geo+json"), ("jsonl", "application/x-ndjson"))
    ):
        with col:
            st.download_button(
                f"Download {counts.matching:,} as {fmt.upper()}",
                data=lambda fmt=fmt: data.export_bytes(db, view, fmt),
                file_name=f"events.{fmt}",
                mime=mime,
                key=f"download_{fmt}",
                width="stretch",
            )
    return _table_pick(event, list(frame["event_id"]))


def upload_section(db: Path) -> None:
    with st.expander("Add articles"):
        files = st.file_uploader(
            "Text, HTML or JSON Lines articles",
            type=[s.lstrip(".") for s in data.UPLOAD_SUFFIXES],
            accept_multiple_files=True,
            key="uploads",
            help=f"Up to {data.size_text(data.MAX_UPLOAD_BYTES)} per file. JSONL: one "
            '{"id", "title", "text", "published", "url"} per line.',
        )
        if not st.button("Extract events", key="extract", disabled=not files):
            return
        accepted, errors = data.check_uploads([data.Upload(f.name, f.getvalue()) for f in files or []])
        for error in errors:
            st.error(data.plain(error))  # file names are the user's: never Markdown
        if not accepted:
            return
        progress = st.progress(0.0, text="Extracting…")

        def on_progress(done: int, total: int | None) -> None:
            if total is None:  # the pipeline streams: the count is known only at the end, so no fraction yet
                progress.progress(0.0, text=f"Extracting… {done} articles done")
            else:
                progress.progress(done / total if total else 1.0, text=f"Extracting… {done}/{total}")

        try:
            with tempfile.TemporaryDirectory() as folder:
                summary = data.extract_uploads(data.save_uploads(accepted, Path(folder)), db, on_progress)
        except ImportError:
            st.error("Extraction is not available in this installation (events.pipeline is missing).")
            return
        except Exception as error:  # shown to the user, not swallowed: the message says what failed
            st.error(data.plain(f"Extraction failed: {error}"))
            return
        progress.progress(1.0, text="Done")
        st.success(
            f"{summary.articles} articles, {summary.sentences} sentences, {summary.events} events "
            f"in {summary.seconds:.1f} s"
        )
        for error in summary.errors:
            st.error(data.plain(error))


# --------------------------------------------------------------------------- time: brush and playback


def _url_brush() -> tuple[date, date] | None:
    """The brush kept in the URL (?brush=START,END), if it is there and readable."""
    value = st.query_params.get(BRUSH_PARAM)
    try:
        start, end = (date.fromisoformat(part) for part in (value or "").split(","))
    except ValueError:
        return None
    return (min(start, end), max(start, end))


def current_brush() -> tuple[date, date] | None:
    """The timeline brush: the chart's selection when the user just changed it, else the one in the URL.

    The chart's selection state lives in the browser only, so the URL keeps
    the period: a shared link or a reload brings it back, and the chart draws
    it again as its initial selection.
    """
    chart = filters.brush_range(st.session_state.get("timeline"))
    if chart != st.session_state.get("_seen_brush"):
        st.session_state["_seen_brush"] = chart
        if chart is None:
            if BRUSH_PARAM in st.query_params:
                del st.query_params[BRUSH_PARAM]
        else:
            st.query_params[BRUSH_PARAM] = f"{chart[0].isoformat()},{chart[1].isoformat()}"
        return chart
    return _url_brush()


def play_window(base: Filters, brushed: tuple[date, date] | None, cat: Catalog, days: int,
                timeline: object) -> tuple[date, date] | None:  # fmt: skip
    """Advance the playback window, or stop at the end; None when not playing."""
    if not st.session_state.get("playing"):
        st.session_state["play_pos"] = None
        return None
    first = (brushed[0] if brushed else None) or base.date_from or cat.first_day
    last = (brushed[1] if brushed else None) or base.date_to or cat.last_day
    window = filters.advance_play(first, last, days, st.session_state, filters.busy_days(timeline))
    if window is None:  # played to the end
        st.session_state["playing"] = False
        st.rerun(scope="app")
    return window


# --------------------------------------------------------------------------- page


def open_catalog(db: Path) -> Catalog | None:
    """The catalog, or None after a one-line error for a file that is not an event database."""
    try:
        return data.load_catalog(str(db), queries.db_stamp(db))
    except (StoreError, duckdb.Error) as error:
        st.error(data.plain(data.open_error(db, error)))
        return None


def main() -> None:
    st.set_page_config(page_title="Event Atlas", page_icon="🗺️", layout="wide")
    st.html(PAGE_CSS)
    db = data.resolve_db(sys.argv[1:], os.environ)
    if PICK_KEY not in st.session_state:
        st.session_state[PICK_KEY] = st.query_params.get("event")

    with st.sidebar:
        st.header("Event Atlas")
        upload_section(db)
    if not db.exists():
        st.title("Event Atlas")
        st.error(f"No event database at {db}. Run `events extract` on some articles, add articles in the sidebar, "
                 "or start with `--db PATH` / `EVENTS_DB`.")  # fmt: skip
        return
    cat = open_catalog(db)
    if cat is None:
        return

    note = data.extraction_note(db)
    if note:
        st.info(note)
    db_key, stamp = str(db), queries.db_stamp(db)
    with st.sidebar:
        st.subheader("Filters")
        base = filters.filter_sidebar(cat, charts.country_names(), lambda f: data.load_facets(db_key, stamp, f))
        st.subheader("Map")
        arcs, basemap, per_event = filters.map_controls()
        st.caption(f"Database: {db} · {cat.total:,} events")

    # While playing, only this fragment reruns on a timer: the sidebar stays put.
    interval = PLAY_INTERVAL_SECONDS if st.session_state.get("playing") else None
    st.fragment(run_every=interval)(explore)(db_key, stamp, cat, base, arcs, basemap, per_event)


def explore(
    db_key: str, stamp: data.Stamp, cat: Catalog, base: Filters, arcs: bool, basemap: bool, per_event: bool = True
) -> None:
    """Counts, the map with details beside it, the timeline under it, controls, then the table (a fragment).

    Containers are laid out first in reading order and filled in the order
    the data needs: the controls under the timeline decide the bins and the
    play window that the queries use.
    """
    counts_box = st.container()
    map_col, detail_col = st.columns([7, 3], gap="small")
    legend_box, timeline_box, controls_box = st.container(), st.container(), st.container()

    brushed = current_brush()
    with controls_box:
        days, bin_unit = controls_section(cat, brushed)
    first, last = base.date_from or cat.first_day, base.date_to or cat.last_day
    span = (first, last) if first is not None and last is not None else None
    window = None
    if st.session_state.get("playing"):
        timeline = data.load_timeline(db_key, stamp, base, span, bin_unit, cat.groups)
        window = play_window(base, brushed, cat, days, timeline)
    view = base.with_dates(*brushed) if brushed else base
    if window:
        view = view.with_dates(*window)
    st.session_state["effective_filters"] = view  # what the map, table, counts and downloads show
    centroids = charts.country_centroids() if arcs else None
    v = data.load_view(db_key, stamp, base, view, span, cat.bounds, centroids, bin_unit=bin_unit, _unfiltered=cat.groups,
                       per_event=per_event)

    with counts_box:
        counts_line(v.counts, cat.total, view.report_dates)
        if window:
            st.caption(f"Playing: {window[0]:%Y-%m-%d} – {window[1]:%Y-%m-%d} (shaded on the timeline)")
    with map_col:
        map_pick = map_section(v, cat, arcs, basemap)
    with legend_box:
        st.html(charts.legend_html(report=view.report_dates, per_event=per_event) + hexagon_note(v))
    with timeline_box:
        timeline_section(v, span, brushed, window)
    table_pick = table_section(db_key, v, view)
    _apply_picks(map_pick, table_pick)
    with detail_col, st.container(height=DETAILS_HEIGHT, border=False):
        details_section(db_key, stamp)


main()
