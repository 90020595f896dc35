"""Builders for what the dashboard draws: pydeck decks, Vega-Lite specs, safe HTML.

No `st.*` calls here, so every builder can be tested and benchmarked without
a Streamlit session. Anything derived from article text goes through
`html.escape` before it becomes markup: sentences are shown literally, never
run as HTML or Markdown.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk

from events.store.queries import PLOVER_TYPES

# One colour per PLOVER type, hues grouped by PLOVER's classes so the map reads
# at a glance and lightness apart within a class so the 16 can be told apart:
# verbal cooperation in blues, material cooperation in greens, verbal conflict
# in yellows, oranges and pink, material conflict in reds, purples and brown.
TYPE_CLASSES: dict[str, tuple[str, ...]] = {
    "verbal cooperation": ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),
    "material cooperation": ("COOPERATE", "AID", "RETREAT"),
    "verbal conflict": ("REQUEST", "ACCUSE", "REJECT", "THREATEN"),
    "material conflict": ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
}
TYPE_COLORS: dict[str, tuple[int, int, int]] = {
    "AGREE": (23, 64, 140),
    "CONSULT": (54, 131, 212),
    "SUPPORT": (120, 190, 240),
    "CONCEDE": (110, 96, 200),
    "COOPERATE": (20, 110, 50),
    "AID": (84, 176, 72),
    "RETREAT": (170, 214, 100),
    "REQUEST": (222, 184, 0),
    "ACCUSE": (245, 140, 40),
    "REJECT": (160, 84, 20),
    "THREATEN": (228, 120, 194),
    "PROTEST": (140, 40, 130),
    "SANCTION": (90, 50, 150),
    "MOBILIZE": (90, 62, 50),
    "COERCE": (236, 84, 104),
    "ASSAULT": (175, 10, 25),
}
UNKNOWN_COLOR = (90, 90, 90)

POINT_LAYER_ID = "events-point"  # city/site precision: filled dots
AREA_LAYER_ID = "events-area"  # country/admin1 centroids: hollow rings
INFERRED_LAYER_ID = "events-inferred"  # places from the story or the actor's state: pale discs
HEX_LAYER_ID = "events-hex"
EVENT_LAYER_IDS = (POINT_LAYER_ID, AREA_LAYER_ID, INFERRED_LAYER_ID)


def hex_color(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@lru_cache(maxsize=1)
def country_outlines() -> dict[str, Any]:
    """The packaged country outlines (built by scripts/build_outlines.py), read once per process."""
    text = (resources.files("events") / "data" / "countries.geojson").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def country_outlines_json() -> str:
    """The outlines as compact JSON, serialized once per process (they go out on every map render)."""
    return json.dumps(country_outlines(), separators=(",", ":"))


def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lon, lat) representative point, for arcs from an actor's country."""
    out: dict[str, tuple[float, float]] = {}
    for feature in country_outlines()["features"]:
        props = feature["properties"]
        if props.get("iso") and props.get("lat") is not None:
            out[props["iso"]] = (props["lon"], props["lat"])
    return out


def country_names() -> dict[str, str]:
    """ISO alpha-2 -> English name, for labelling the country filter."""
    return {
        f["properties"]["iso"]: f["properties"]["name"]
        for f in country_outlines()["features"]
        if f["properties"].get("iso")
    }


MAP_HEIGHT = 390  # pixels: with the timeline under it, both fit a 1280x720 screen
MAP_WIDTH_GUESS = 640  # the map's width at 1280 px with the sidebar and details column (for fitting)


def _mercator(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def view_for(
    bounds: tuple[float, float, float, float] | None,
    width: float = MAP_WIDTH_GUESS,
    height: float = MAP_HEIGHT,
    padding: float = 0.1,
) -> pdk.ViewState:
    """A view that fits `bounds` (the filtered events' extent) into a map of `width` x `height` pixels.

    Web Mercator as deck.gl draws it: the world is 512 * 2**zoom pixels wide,
    and the centre is the middle of the extent in projected y, so the extent
    sits evenly inside the map with `padding` of each side to spare.
    """
    if bounds is None:
        return pdk.ViewState(latitude=30, longitude=40, zoom=1.0)
    lon_min, lat_min, lon_max, lat_max = bounds
    lon_span = max(lon_max - lon_min, 0.5)
    y_min, y_max = _mercator(lat_min), _mercator(lat_max)
    y_span = max(y_max - y_min, math.radians(0.5))
    usable = 1 - 2 * padding
    zoom_x = math.log2(width * usable / 512 * 360 / lon_span)
    zoom_y = math.log2(height * usable / 512 * 2 * math.pi / y_span)
    zoom = max(0.0, min(9.0, zoom_x, zoom_y))
    latitude = math.degrees(math.atan(math.sinh((y_min + y_max) / 2)))
    return pdk.ViewState(latitude=latitude, longitude=(lon_min + lon_max) / 2, zoom=round(zoom, 3))


def _with_colors(points: pd.DataFrame) -> pd.DataFrame:
    """Add an [r, g, b] column by type (vectorized: this runs for up to MAX_POINTS rows per rerun)."""
    frame = points.copy()
    names = list(TYPE_COLORS)
    palette = np.array([TYPE_COLORS[t] for t in names] + [UNKNOWN_COLOR], dtype=np.int64)
    codes = pd.Categorical(frame["type"], categories=names).codes  # -1 for an unknown type
    frame["color"] = palette[np.where(codes < 0, len(names), codes)].tolist()
    return frame


@dataclass(frozen=True)
class MapOptions:
    """Map choices that are not filters: basemap and arcs."""

    basemap: bool = False  # online tiles; off by default because the app must work offline
    arcs: bool = False
    width: float = MAP_WIDTH_GUESS
    height: float = MAP_HEIGHT


LayerData = dict[str, str]  # layer id -> rows as a JSON array, spliced in by CompactDeck


def _rows_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="records", force_ascii=False, double_precision=4)


def outline_layer(data: LayerData, filled: bool = True) -> pdk.Layer:
    """Country outlines shipped with the package; unfilled over an online basemap, so they show if it fails."""
    data["countries"] = country_outlines_json()
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data=[],
        stroked=True,
        filled=filled,
        get_fill_color=[236, 239, 242],
        get_line_color=[150, 156, 165],
        line_width_min_pixels=0.6,
        pickable=False,
    )


def point_layers(points: pd.DataFrame, data: LayerData) -> list[pdk.Layer]:
    """Three scatter layers, so a reader never takes a guess for a site.

    - filled dots: a site the sentence names (city or site precision);
    - hollow rings: a country or region centroid the sentence names;
    - pale, translucent discs with a thin ring: a place taken from the story
      or from the actor's state (`place_basis` story/actor), not the sentence.

    Only ids, coordinates, type and the tooltip's short lines are sent.
    """
    frame = _with_colors(points)
    # one point per event: its area grows with the number of reports, and the tooltip says how many
    reports = frame["reports"].fillna(1).astype(int) if "reports" in frame else pd.Series(1, index=frame.index)
    frame["radius"] = np.round(np.sqrt(reports.clip(lower=1)), 2)  # times the layer's own size in pixels
    frame["what"] = frame["what"] + np.where(reports > 1, " · " + reports.astype(str) + " reports", "")
    frame = frame.drop(columns=["reports"], errors="ignore")
    coarse = frame["coarse"].astype(bool)
    inferred = frame["inferred"].astype(bool) if "inferred" in frame else pd.Series(False, index=frame.index)
    drop = [c for c in ("coarse", "inferred") if c in frame]
    data[AREA_LAYER_ID] = _rows_json(frame[coarse & ~inferred].drop(columns=drop))
    data[POINT_LAYER_ID] = _rows_json(frame[~coarse & ~inferred].drop(columns=drop))
    data[INFERRED_LAYER_ID] = _rows_json(frame[inferred].drop(columns=drop))
    return [
        pdk.Layer(
            "ScatterplotLayer",
            id=INFERRED_LAYER_ID,
            data=[],
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_line_color="color",
            filled=True,
            stroked=True,
            opacity=0.35,
            get_radius="radius",
            radius_units="pixels",
            radius_scale=6,
            radius_min_pixels=6,
            radius_max_pixels=24,
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id=AREA_LAYER_ID,
            data=[],
            get_position=["lon", "lat"],
            get_line_color="color",
            get_fill_color=[255, 255, 255, 0],
            filled=False,
            stroked=True,
            get_radius="radius",
            radius_units="pixels",
            radius_scale=7,
            radius_min_pixels=7,
            radius_max_pixels=30,
            line_width_min_pixels=2.5,
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id=POINT_LAYER_ID,
            data=[],
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_line_color=[30, 30, 30],
            stroked=True,
            line_width_min_pixels=0.5,
            get_radius="radius",
            radius_units="pixels",
            radius_scale=4.5,
            radius_min_pixels=4.5,
            radius_max_pixels=14,
            opacity=0.9,
            pickable=True,
            auto_highlight=True,
        ),
    ]


def hex_layer(cells: pd.DataFrame, data: LayerData) -> pdk.Layer:
    """Server-aggregated hexagons coloured by dominant type, opacity by count."""
    frame = cells.copy()
    peak = max(float(frame["n"].max()), 1.0) if len(frame) else 1.0
    frame["color"] = [
        [*TYPE_COLORS.get(t, UNKNOWN_COLOR), int(70 + 185 * math.sqrt(n / peak))]
        for t, n in zip(frame["type"], frame["n"])
    ]
    frame["coarse_pct"] = (frame["coarse_share"] * 100).round().astype(int)
    data[HEX_LAYER_ID] = _rows_json(frame[["polygon", "n", "type", "coarse_pct", "color", "lon", "lat"]])
    return pdk.Layer(
        "PolygonLayer",
        id=HEX_LAYER_ID,
        data=[],
        get_polygon="polygon",
        get_fill_color="color",
        get_line_color=[60, 60, 60, 120],
        line_width_min_pixels=0.5,
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
    )


def arc_layer(arcs: pd.DataFrame, data: LayerData) -> pdk.Layer:
    data["actor-arcs"] = _rows_json(arcs[["src", "src_lon", "src_lat", "dst_lon", "dst_lat", "n"]])
    return pdk.Layer(
        "ArcLayer",
        id="actor-arcs",
        data=[],
        get_source_position=["src_lon", "src_lat"],
        get_target_position=["dst_lon", "dst_lat"],
        get_source_color=[70, 70, 200, 160],
        get_target_color=[220, 60, 60, 200],
        get_width="n",
        width_min_pixels=1,
        width_max_pixels=8,
        pickable=False,
    )


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact, with layer rows serialized by pandas.

    Why: pydeck's own `to_json` indents and walks every row through a Python
    serializer that camel-cases keys; measured at 20,000 points that took over
    a second and produced 8 MB. Here pydeck writes only the (small) spec, and
    each layer's rows, made by `DataFrame.to_json`, are spliced in.
    """

    def __init__(self, layer_data: LayerData, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: LayerData | None = layer_data

    def to_json(self) -> str:
        rows, self._rows = self._rows or {}, None  # keep pydeck's serializer off the rows
        try:
            spec = json.loads(super().to_json())
        finally:
            self._rows = rows
        for layer in spec.get("layers", []):
            if layer.get("id") in rows:
                layer["data"] = f"@@rows:{layer['id']}@@"
        text = json.dumps(spec, separators=(",", ":"))
        for layer_id, rows_json in rows.items():
            text = text.replace(json.dumps(f"@@rows:{layer_id}@@"), rows_json, 1)
        return text


# The tooltip sits in the map's lower left corner instead of at the pointer:
# deck.gl places it at the pointer with a transform, and near the map's right
# or lower edge it was cut off; `transform: none` overrides that placement.
TOOLTIP_STYLE = {
    "transform": "none",
    "top": "auto",
    "left": "8px",
    "bottom": "8px",
    "maxWidth": "min(440px, 75%)",
    "whiteSpace": "pre-wrap",
    "fontSize": "12px",
    "lineHeight": "1.35",
    "padding": "6px 8px",
    "borderRadius": "4px",
    "backgroundColor": "rgba(33, 40, 48, 0.93)",
    "color": "#f2f2f2",
}
POINT_TOOLTIP = {"text": "{what}\n{date}\n{place}\n{actors}\n{snippet}", "style": TOOLTIP_STYLE}
HEX_TOOLTIP = {"text": "{n} events, mostly {type}\n{coarse_pct}% at country/region centroids", "style": TOOLTIP_STYLE}
# Streamlit's deck.gl component puts Carto's online "Positron" style under any
# map whose spec has no mapStyle, so every page load fetched
# basemaps.cartocdn.com/gl/positron-gl-style/style.json even offline.
# "__MAP_STYLE__" is the component's own marker for "no basemap": it is
# removed before drawing and no default is substituted
# (tests/test_dashboard_e2e.py checks that the page makes no outside request).
NO_BASEMAP = "__MAP_STYLE__"


def event_map(
    points: pd.DataFrame | None,
    cells: pd.DataFrame | None,
    bounds: tuple[float, float, float, float] | None,
    arcs: pd.DataFrame | None = None,
    options: MapOptions = MapOptions(),
) -> CompactDeck:
    """The map: outlines, then hexagons or points, then optional arcs, fitted to `bounds`.

    The tooltip is a *text* tooltip (set as textContent in the browser), so a
    sentence snippet containing markup is shown, not parsed. Offline (the
    default) the outlines are the whole background; over the online basemap
    they are drawn unfilled, so they remain if the basemap fails to load.
    """
    data: LayerData = {}
    layers: list[pdk.Layer] = [outline_layer(data, filled=not options.basemap)]
    if cells is not None:
        layers.append(hex_layer(cells, data))
        tooltip = HEX_TOOLTIP
    else:
        layers.extend(point_layers(points if points is not None else _empty_points(), data))
        tooltip = POINT_TOOLTIP
    if arcs is not None and len(arcs):
        layers.append(arc_layer(arcs, data))
    return CompactDeck(
        data,
        layers=layers,
        initial_view_state=view_for(bounds, options.width, options.height),
        map_style="light" if options.basemap else NO_BASEMAP,
        map_provider="carto" if options.basemap else None,
        tooltip=tooltip,
    )


def _empty_points() -> pd.DataFrame:
    return pd.DataFrame(
        {c: [] for c in ("event_id", "lon", "lat", "type", "coarse", "inferred", "what", "date", "place", "actors", "snippet",
                       "reports")}
    )


TIME_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
REPORT_OPACITY = 0.35  # bars of events dated by their report: pale
PERIOD_OPACITY = 0.18  # month/year dates coarser than the bins: translucent spans over the whole period


def timeline_spec(
    frame: pd.DataFrame,
    bin_unit: str,
    span: tuple[date, date] | None = None,
    brush_name: str = "brush",
    window: tuple[date, date] | None = None,
    height: int = 170,
    brush: tuple[date, date] | None = None,
) -> dict[str, Any]:
    """Vega-Lite spec: a histogram stacked by type with an x-interval brush named `brush_name`.

    Drawing is honest about what a date says (see `events.store.queries.timeline`):
    events dated by their article's publication are pale bars ("dated by
    report"); month- or year-precision events in finer bins are translucent
    spans with a dashed outline over their whole period, behind the bars,
    never a bar on one day. `window` (the playback window) is shaded over the histogram;
    `brush` (a period kept in the URL) is drawn as the brush's initial value.

    Written as a plain Vega-Lite dict rather than through altair: altair's
    `to_dict` (validation and data sanitizing) cost 60-150 ms per rerun in the
    1M-event benchmark, half the per-change budget; the rows themselves go to
    the browser as Arrow via `st.vega_lite_chart(frame, spec)`. The x axis
    covers `span` (the period looked at), not just bins with events, so a lone
    event still sits in its context.
    """
    seen = set(frame["type"].unique())  # once: iterating an Arrow-backed column per type cost ~50 ms
    present = [t for t in PLOVER_TYPES if t in seen] or list(PLOVER_TYPES)
    time_format = TIME_FORMATS[bin_unit]
    has_periods = bool(len(frame)) and bool((frame["lane"] == "period").any())
    x: dict[str, Any] = {"field": "bin_start", "type": "temporal"}
    if span:
        x["scale"] = {"domain": _domain(span, bin_unit)}
    axis = {"format": time_format, "labelOverlap": True, "title": f"{bin_unit} bins · drag to select a period"}
    color = {
        "field": "type",
        "type": "nominal",
        "scale": {"domain": present, "range": [hex_color(TYPE_COLORS[t]) for t in present]},
        "legend": {"title": None, "orient": "right", "columns": 3, "symbolSize": 40, "labelFontSize": 9,
                   "rowPadding": 0, "columnPadding": 4, "symbolType": "square", "labelLimit": 70,
                   "padding": 0, "offset": 6},
    }
    dating = {"calculate": "datum.by_report ? 'dated by report' : 'own date'", "as": "dating"}
    tooltip = [
        {"field": "bin_start", "type": "temporal", "title": "from", "format": time_format},
        {"field": "bin_end", "type": "temporal", "title": "until", "format": time_format},
        {"field": "type", "type": "nominal"},
        {"field": "dating", "type": "nominal", "title": "date"},
        {"field": "n", "type": "quantitative", "title": "events"},
    ]
    bars: dict[str, Any] = {
        "transform": [{"filter": "datum.lane === 'bins'"}, dating],
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 0.3},
        "params": [_brush_param(brush_name, brush)],
        "encoding": {
            "x": {**x, "axis": axis},
            "x2": {"field": "bin_end"},
            "y": {"field": "y0", "type": "quantitative", "title": "events"},
            "y2": {"field": "y1"},
            "color": color,
            "opacity": {"condition": {"test": "datum.by_report", "value": REPORT_OPACITY}, "value": 1},
            "tooltip": tooltip,
        },
    }
    top = float(frame["y1"].max()) if "y1" in frame and len(frame) else 1.0
    y_scale = {"domain": [0, max(top, 1.0)], "nice": True}
    bars["encoding"]["y"]["scale"] = y_scale
    layers: list[dict[str, Any]] = []
    if has_periods:
        # Behind the bars: one translucent block per period, as wide as the
        # period and as high as its events, outlined so it reads as a span.
        layers.append(
            {
                "transform": [{"filter": "datum.lane === 'period'"}, dating],
                "mark": {"type": "rect", "strokeDash": [3, 2], "strokeWidth": 1},
                "encoding": {
                    "x": {**x, "axis": axis},
                    "x2": {"field": "bin_end"},
                    "y": {"field": "y0", "type": "quantitative", "scale": y_scale},
                    "y2": {"field": "y1"},
                    "color": color,
                    "stroke": {"field": "type", "type": "nominal", "scale": color["scale"], "legend": None},
                    "fillOpacity": {"value": PERIOD_OPACITY},
                    "tooltip": [*tooltip, {"field": "lane", "type": "nominal", "title": "drawn as"}],
                },
            }
        )
    layers.append(bars)
    if window is not None:
        layers.append(
            {
                "data": {"values": [{"start": window[0].isoformat(), "end": (window[1] + timedelta(days=1)).isoformat()}]},
                "mark": {"type": "rect", "color": "#888", "opacity": 0.18},
                "encoding": {"x": {"field": "start", "type": "temporal"}, "x2": {"field": "end"}},
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": height,
        "layer": layers,
    }


def stack_timeline(frame: pd.DataFrame) -> pd.DataFrame:
    """The timeline's rows with `y0`/`y1`: each bin's (or period's) rows stacked in type order, own dates first.

    Stacked here rather than by Vega-Lite, whose stacking does not apply to
    rect marks with a ranged x (they overlapped instead of stacking).
    """
    out = frame.copy()
    if out.empty:
        out["y0"], out["y1"] = [], []
        return out
    rank = {t: i for i, t in enumerate(PLOVER_TYPES)}
    out["_order"] = out["type"].map(rank).fillna(len(rank))
    out = out.sort_values(["lane", "bin_start", "by_report", "_order"], kind="stable")
    out["y1"] = out.groupby(["lane", "bin_start"])["n"].cumsum()
    out["y0"] = out["y1"] - out["n"]
    return out.drop(columns="_order").reset_index(drop=True)


def _brush_param(name: str, brush: tuple[date, date] | None) -> dict[str, Any]:
    """The x-interval selection, starting at `brush` when one is given (Vega-Lite DateTime objects)."""
    param: dict[str, Any] = {"name": name, "select": {"type": "interval", "encodings": ["x"]}}
    if brush is not None:
        param["value"] = {"x": [{"year": d.year, "month": d.month, "date": d.day} for d in brush]}
    return param


def _domain(span: tuple[date, date], bin_unit: str) -> list[str]:
    """Axis extent: the span, padded by one bin so edge bars are not cut."""
    pad = {"day": 1, "week": 7, "month": 31, "year": 366}[bin_unit]
    return [(span[0] - timedelta(days=pad)).isoformat(), (span[1] + timedelta(days=pad)).isoformat()]


def legend_html(
    types: list[str] | None = None, inferred: bool = True, report: bool = True, per_event: bool = False
) -> str:
    """One compact line for what the marks mean (fixed strings only); `types` adds colour swatches.

    The timeline's own legend names the type colours, so the default is the
    marker and bar kinds alone, which keeps the map and the timeline on one screen.
    """
    item = '<span style="display:inline-flex;align-items:center;margin:0 10px 0 0;font-size:0.75rem">'
    swatch = '<span style="width:10px;height:10px;display:inline-block;margin-right:3px;{}"></span>'
    items = [
        item + swatch.format("border-radius:50%;background:#777;border:1px solid #222") + "site named by the sentence</span>",
        item + swatch.format("border-radius:50%;border:2.5px solid #777;width:7px;height:7px")
        + "ring: country/region centroid</span>",
    ]
    if inferred:
        items.append(
            item + swatch.format("border-radius:50%;background:rgba(120,120,120,0.35);border:1px solid #999")
            + "pale disc: place from the story or the actor's state</span>"
        )
    if per_event:
        items.append(item + "larger mark: an event told in several reports</span>")
    if report:
        items.append(
            item + swatch.format("background:rgba(120,120,120,0.35);border:1px dashed #777")
            + "pale bar: dated by report</span>"
        )
    for t in types or []:
        color = hex_color(TYPE_COLORS.get(t, UNKNOWN_COLOR))
        items.append(item + swatch.format(f"border-radius:2px;background:{color}") + f"{html.escape(t)}</span>")
    return '<div data-testid="map-legend" style="line-height:1.2">' + "".join(items) + "</div>"


# --------------------------------------------------------------------------- details

# Light backgrounds with dark text of their own, so marks stay readable in the dark theme too.
HIGHLIGHT_STYLES = {
    "trigger": "background:#ffe08a;color:#1a1a1a",
    "date": "background:#b9e3ff;color:#1a1a1a",
    "place": "background:#c8f0c0;color:#1a1a1a",
    "actor": "background:#f3c9f0;color:#1a1a1a",
    "target": "background:#e4dcff;color:#1a1a1a",
}


def _name_variants(name: str) -> list[str]:
    """A canonical name and the shorter forms an article uses ("Kassym-Jomart Tokayev" -> "Tokayev")."""
    variants = [name]
    parts = [p.strip() for p in name.split(",")]
    variants += [p for p in parts[1:] + parts[:1] if p and p != name]
    words = name.split()
    if len(words) > 1 and len(words[-1]) >= 4:
        variants.append(words[-1])
    return variants


def highlight_spans(sentence: str, record: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) spans of the trigger, date words, place and actors.

    Earlier kinds win overlaps (trigger first); matching is case-insensitive on
    word boundaries, and a name that does not occur verbatim is tried in its
    shorter forms.
    """
    wanted: list[tuple[str, list[str]]] = [
        ("trigger", [record.get("trigger") or ""]),
        ("date", [record.get("date_text") or ""]),
        ("place", _name_variants(record["place"]) if record.get("place") else []),
        ("actor", [v for a in record.get("actors") or [] for v in _name_variants(a)]),
        ("target", [v for a in record.get("targets") or [] for v in _name_variants(a)]),
    ]
    taken = [False] * len(sentence)
    spans: list[tuple[int, int, str]] = []
    for kind, terms in wanted:
        for term in terms:
            term = term.strip()
            if not term:
                continue
            pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)
            found = False
            for match in pattern.finditer(sentence):
                s, e = match.span()
                if not any(taken[s:e]):
                    spans.append((s, e, kind))
                    taken[s:e] = [True] * (e - s)
                    found = True
            if found and kind in ("place", "actor", "target"):
                # the full name matched: do not also mark its shorter forms elsewhere
                continue
    return sorted(spans)


def highlighted_sentence_html(sentence: str, record: dict[str, Any]) -> str:
    """The sentence as escaped HTML with <mark> around highlighted spans, nothing else."""
    out: list[str] = []
    pos = 0
    for start, end, kind in highlight_spans(sentence, record):
        out.append(html.escape(sentence[pos:start]))
        out.append(
            f'<mark class="hl-{kind}" title="{kind}" style="{HIGHLIGHT_STYLES[kind]};padding:0 2px;border-radius:3px">'
            f"{html.escape(sentence[start:end])}</mark>"
        )
        pos = end
    out.append(html.escape(sentence[pos:]))
    return (
        '<div data-testid="event-sentence" style="font-size:1.05rem;line-height:1.6;white-space:pre-wrap">'
        + "".join(out)
        + "</div>"
    )


def highlight_legend_html() -> str:
    return " ".join(
        f'<mark style="{style};padding:0 3px;border-radius:3px;font-size:0.8rem">{kind}</mark>'
        for kind, style in HIGHLIGHT_STYLES.items()
    )


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links; anything else (javascript:, data:) is dropped."""
    if url and re.match(r"^https?://[^\s<>\"']+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None
