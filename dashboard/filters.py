"""Sidebar widgets <-> `Filters`, every one of them kept in the URL.

Each widget is bound to the URL under a short key, so a copied link reproduces
the view (`?type=ASSAULT&country=RU&conf=0.6`): plain widgets with
`bind="query-params"`, multiselects (whose labels carry counts) by hand. Streamlit
drops URL values that are not valid options, so a stale link degrades to a
wider view instead of an error. A date range equal to the whole extent is
treated as "no date filter", so opening the app does not silently hide
undated events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from events.store.queries import (  # fmt: skip
    DATING_CHOICES,
    LIVE_ACTOR_MAX_ROWS,
    PLACE_CHOICES,
    PLOVER_TYPES,
    STATE_PREFIX,
    STATUSES,
    Catalog,
    Filters,
)
from events_dashboard.data import MAX_ACTOR_OPTIONS, catalog_facets

# URL parameter names (also the widget keys).
KEYS = {
    "types": "type",
    "modes": "mode",
    "actors": "actor",
    "countries": "country",
    "admin1": "admin1",
    "statuses": "status",
    "dates": "dates",
    "coarse_dates": "coarse",
    "dating": "dating",
    "place": "place",
    "report_dates": "report",
    "bins": "bins",
    "min_confidence": "conf",
    "text": "q",
    "arcs": "arcs",
    "basemap": "basemap",
    "points": "points",
    "window": "window",
}
PLAY_WINDOWS = {"1 week": 7, "1 month": 30, "3 months": 91, "1 year": 365}
PLACE_LABELS = {"any": "any", "placed": "placed", "none": "no place (not on the map)"}
DATING_LABELS = {
    "any": "any",
    "dated": "dated",
    "report": "by report (article's date)",
    "none": "none (not on the timeline)",
    "undated": "no date of its own",
}
BIN_CHOICES = ("auto", "day", "week", "month", "year")


def _counts(frame: pd.DataFrame) -> dict[Any, int]:
    return dict(zip(frame["value"], frame["n"].astype(int)))


def _labelled(counts: dict[Any, int], names: dict[str, str] | None = None):  # noqa: ANN202 - a format_func
    def label(value: Any) -> str:
        name = (names or {}).get(value)
        shown = f"{name} ({value})" if name else str(value)
        return f"{shown} · {counts.get(value, 0)}"

    return label


def _multiselect(label: str, field: str, options: list[Any], counts: dict[Any, int], **kwargs: Any) -> tuple:
    """A multiselect whose labels show counts, kept in the URL as repeated parameters.

    Bound by hand through `st.query_params` rather than `bind="query-params"`:
    with a `format_func`, Streamlit's binding writes the *label* to the URL, and
    a label that carries a count would break links as soon as the data grows.
    """
    key = KEYS[field]
    keep = kwargs.pop("keep", ())  # picked values stay on offer even when the other filters leave them none
    options = list(options) + [v for v in keep if v not in set(options)]
    allowed = set(options)
    if key not in st.session_state:  # first run of this session: the URL decides
        # dict.fromkeys: a link may repeat a value (`type=X` 3,000 times); the multiselect refuses duplicates
        st.session_state[key] = list(dict.fromkeys(v for v in st.query_params.get_all(key) if v in allowed))
    else:  # options can shrink when the database changes; drop what vanished
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    value = st.multiselect(
        label,
        options,
        key=key,
        format_func=_labelled(counts, kwargs.pop("names", None)),
        placeholder="any",
        # "contains" and no "Select N matches": with fuzzy matching, a typed
        # "Russia" matched dozens of names by subsequence, and one click on
        # "Select N matches" added them all to the filter.
        filter_mode="contains",
        select_all=False,
        **kwargs,
    )
    if value:
        st.query_params[key] = [str(v) for v in value]
    elif key in st.query_params:
        del st.query_params[key]
    return tuple(value)


def _choice(widget: Any, label: str, field: str, options: tuple[str, ...], labels: dict[str, str], **kwargs: Any) -> str:
    """A radio or selectbox over fixed `options` shown with readable `labels`, kept in the URL by value.

    Bound by hand, as `_multiselect` is: Streamlit's own binding would write
    the label ("no place (not on the map)") to the URL instead of the value.
    The default (first option) is left out of the URL.
    """
    key = KEYS[field]
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in options else options[0]
    value = widget(label, options, key=key, format_func=labels.get, **kwargs)
    if value != options[0]:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]
    return value


def _peek(key: str, parse: Callable[[Any], Any], default: Any, many: bool = False) -> Any:
    """A widget's value for this run before it is drawn: its session state, else the URL, else `default`."""
    if key in st.session_state:
        return st.session_state[key]
    raw = st.query_params.get_all(key) if many else st.query_params.get(key)
    if not raw:
        return default
    try:
        return parse(raw)
    except (TypeError, ValueError):
        return default


def peek_filters(cat: Catalog) -> Filters:
    """The Filters the sidebar's widgets will return this run, read before any is drawn.

    Each widget's counts reflect the *other* filters, so they must be known
    before the first widget is drawn; after the first run Streamlit keeps
    every widget's value in session state, and on the first run the URL has it.
    """
    def flag(raw: str) -> bool:
        return raw.lower() not in ("false", "0", "")

    def days(raw: list[str]) -> tuple[date, date]:
        return tuple(date.fromisoformat(v) for v in raw[:2])  # type: ignore[return-value]

    dates = _peek(KEYS["dates"], days, None, many=True)
    date_from = date_to = None
    if dates and len(dates) == 2 and tuple(dates) != (cat.first_day, cat.last_day):
        date_from, date_to = dates
    return Filters(
        types=tuple(_peek(KEYS["types"], list, [], many=True)),
        modes=tuple(_peek(KEYS["modes"], list, [], many=True)),
        actors=tuple(_peek(KEYS["actors"], list, [], many=True)),
        countries=tuple(_peek(KEYS["countries"], list, [], many=True)),
        admin1=tuple(_peek(KEYS["admin1"], list, [], many=True)),
        statuses=tuple(_peek(KEYS["statuses"], list, [], many=True)),
        date_from=date_from,
        date_to=date_to,
        coarse_dates=bool(_peek(KEYS["coarse_dates"], flag, True)),
        dating=_peek(KEYS["dating"], str, "any") if _peek(KEYS["dating"], str, "any") in DATING_CHOICES else "any",
        place=_peek(KEYS["place"], str, "any") if _peek(KEYS["place"], str, "any") in PLACE_CHOICES else "any",
        report_dates=bool(_peek(KEYS["report_dates"], flag, True)),
        min_confidence=float(_peek(KEYS["min_confidence"], float, 0.0) or 0.0),
        text=str(_peek(KEYS["text"], str, "") or ""),
    )


Facets = dict[str, pd.DataFrame]  # facet -> (value, n), as `events.store.queries.live_facets` returns


def filter_sidebar(
    cat: Catalog, country_names: dict[str, str], facets_for: Callable[[Filters], Facets] | None = None
) -> Filters:
    """Draw the filter widgets (inside the current container) and return the Filters they describe.

    With `facets_for`, every widget's counts reflect the other active filters
    (the region list, say, then holds only the chosen country's regions);
    without it, or with no filter active, the whole database's counts are shown.
    """
    current = peek_filters(cat)
    if facets_for is not None and current != Filters():
        live = facets_for(current)
    else:
        live = catalog_facets(cat)
    actor_counts_live = "actor_live" not in live or bool(live["actor_live"]["value"].iloc[0])
    facets = {name: _counts(frame) for name, frame in live.items() if name != "actor_live"}
    type_options = [t for t in PLOVER_TYPES if t in _counts(cat.facets["type"])] if "type" in cat.facets else []
    type_options = type_options or list(PLOVER_TYPES)
    actors, states = live["actor"].head(MAX_ACTOR_OPTIONS), live["state"]
    known = {name: set(frame["value"]) for name, frame in cat.facets.items()}
    known["actor"] = set(cat.actors["value"]) | set(cat.states["value"])

    def keep(facet: str, picked: tuple[str, ...]) -> tuple[str, ...]:
        """Picked values the database holds (a stale link's unknown values are still dropped)."""
        return tuple(v for v in picked if v in known.get(facet, set()))

    text = st.text_input("Search sentences", key=KEYS["text"], bind="query-params", placeholder="e.g. pipeline")
    types = _multiselect("Event type (PLOVER)", "types", type_options, facets.get("type", {}))
    names = {f"{STATE_PREFIX}{code}": f"{country_names.get(code, code)}: all state actors" for code in
             (v[len(STATE_PREFIX):] for v in list(states["value"]) + list(current.actors) if v.startswith(STATE_PREFIX))}  # fmt: skip
    actor_values = _multiselect(
        "Actor or target", "actors", list(states["value"]) + list(actors["value"]),
        {**facets.get("state", {}), **facets.get("actor", {})}, names=names, keep=keep("actor", current.actors),
        help="Canonical names; count = events" + ("" if actor_counts_live else
             f" in the whole database (more than {LIVE_ACTOR_MAX_ROWS:,} events match the other filters)") +
             ". \"Russia: all state actors\" takes every event one of whose "
        "actors is a Russian state body (government, military, police, judiciary, legislature).",
    )  # fmt: skip
    countries = _multiselect(
        "Country of the event place", "countries", list(facets.get("country", {})), facets.get("country", {}),
        names=country_names, keep=keep("country", current.countries),
    )  # fmt: skip
    admin1 = _multiselect("Region (first-order)", "admin1", list(facets.get("admin1", {})), facets.get("admin1", {}),
                          keep=keep("admin1", current.admin1))  # fmt: skip
    modes = _multiselect("Mode", "modes", list(facets.get("mode", {})), facets.get("mode", {}),
                         keep=keep("mode", current.modes))
    statuses = _multiselect("Status", "statuses", list(STATUSES), facets.get("status", {}))

    date_from = date_to = None
    if cat.first_day is not None and cat.last_day is not None and cat.first_day < cat.last_day:
        chosen = st.slider(
            "Date range",
            min_value=cat.first_day,
            max_value=cat.last_day,
            value=(cat.first_day, cat.last_day),
            key=KEYS["dates"],
            bind="query-params",
            format="YYYY-MM-DD",
            help="Narrowing the range hides events without a date.",
        )
        if tuple(chosen) != (cat.first_day, cat.last_day):
            date_from, date_to = chosen
    place = _choice(st.radio, "Place", "place", PLACE_CHOICES, PLACE_LABELS, horizontal=True)
    dating = _choice(st.selectbox, "Date", "dating", DATING_CHOICES, DATING_LABELS)
    report = st.checkbox(
        "Undated events at their article's date", value=True, key=KEYS["report_dates"], bind="query-params",
        help="Shown on the timeline as pale bars (\"dated by report\") and kept by a date range that holds "
        "the article's publication date. Untick to hide them from the timeline.",
    )  # fmt: skip
    coarse = st.checkbox(
        "Include month- and year-precision dates", value=True, key=KEYS["coarse_dates"], bind="query-params"
    )
    confidence = st.slider(
        "Minimum confidence", 0.0, 1.0, 0.0, step=0.05, key=KEYS["min_confidence"], bind="query-params"
    )
    return Filters(
        types=types,
        modes=modes,
        actors=actor_values,
        countries=countries,
        admin1=admin1,
        statuses=statuses,
        date_from=date_from,
        date_to=date_to,
        coarse_dates=coarse,
        dating=dating or "any",
        place=place or "any",
        report_dates=report,
        min_confidence=float(confidence),
        text=text or "",
    )


POINT_CHOICES = ("event", "report")
POINT_LABELS = {"event": "one per event", "report": "every report"}


def map_controls() -> tuple[bool, bool, bool]:
    """(show actor arcs, use the online basemap, one point per event) — also kept in the URL."""
    points = _choice(st.radio, "Points", "points", POINT_CHOICES, POINT_LABELS, horizontal=True,
                     help="One per event: the reports of one event (one cluster) share a point, sized by "
                          "how many they are. Every report: a point for each record.")
    arcs = st.checkbox("Arcs from actor's country to place", value=False, key=KEYS["arcs"], bind="query-params")
    basemap = st.checkbox(
        "Online basemap (needs network)", value=False, key=KEYS["basemap"], bind="query-params",
        help="Off: country outlines shipped with Event Atlas, works offline.",
    )  # fmt: skip
    return arcs, basemap, points != "report"


# --------------------------------------------------------------------------- timeline brush


def _to_date(value: Any) -> date | None:
    """A brush bound arrives as epoch milliseconds (Vega) or an ISO string (AppTest, older clients)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return pd.Timestamp(int(value), unit="ms").date()
    try:
        return pd.Timestamp(str(value)).date()
    except ValueError:
        return None


def brush_range(selection: Any, field: str = "bin_start", name: str = "brush") -> tuple[date, date] | None:
    """The (start, end) dates of a timeline brush from the chart's selection state (`st.vega_lite_chart`), if any."""
    try:
        interval = selection["selection"][name][field]
    except (KeyError, TypeError):
        return None
    if not interval or len(interval) != 2:
        return None
    start, end = _to_date(interval[0]), _to_date(interval[1])
    if start is None or end is None:
        return None
    return (min(start, end), max(start, end))


# --------------------------------------------------------------------------- playback


def play_window_days() -> int:
    """The playback window length chosen by the user (kept in the URL)."""
    label = st.selectbox(
        "Play window", options=list(PLAY_WINDOWS), index=1, key=KEYS["window"], bind="query-params",
        label_visibility="collapsed",
    )  # fmt: skip
    return PLAY_WINDOWS[label or "1 month"]


def bin_choice() -> str | None:
    """The timeline's bin unit chosen by the user, None for "auto" (kept in the URL)."""
    labels = {b: "auto bins" if b == "auto" else f"{b} bins" for b in BIN_CHOICES}
    choice = _choice(st.selectbox, "Bins", "bins", BIN_CHOICES, labels, label_visibility="collapsed")
    return None if choice == "auto" else choice


Busy = list[tuple[date, date]]  # [start, end) periods of the timeline that hold events, sorted


def busy_days(timeline: Any) -> Busy:
    """The timeline rows' periods that hold events, sorted, for playback to skip the empty ones."""
    if timeline is None or len(timeline) == 0:
        return []
    rows = timeline[timeline["n"] > 0]
    periods = {(s.date(), e.date()) for s, e in zip(pd.to_datetime(rows["bin_start"]), pd.to_datetime(rows["bin_end"]))}
    return sorted(periods)


def advance_play(
    first: date | None, last: date | None, days: int, state: Any, busy: Busy | None = None
) -> tuple[date, date] | None:
    """Step the playback window forward by its own length; None once it has passed `last`.

    Playback starts at `first` (the brushed or chosen range, else the data's
    first day). With `busy` periods given, a window that would hold no event
    jumps ahead to the next period that does, so empty years are not walked
    through. The position lives in session state ("play_pos"), so pausing
    and playing again continues where it stopped, and reaching the end starts
    over next time.
    """
    if first is None or last is None:
        return None
    pos = state.get("play_pos")
    pos = first if pos is None or pos < first else pos + timedelta(days=days)
    if busy:
        end = pos + timedelta(days=days)
        upcoming = [(s, e) for s, e in busy if e > pos]
        if not upcoming:
            pos = last + timedelta(days=1)
        elif upcoming[0][0] >= end and not any(s < end for s, _ in upcoming):
            pos = upcoming[0][0]
    if pos > last:
        state["play_pos"] = None
        return None
    state["play_pos"] = pos
    return (pos, pos + timedelta(days=days - 1))
