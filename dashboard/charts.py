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

from events.queries import PLOVER_TYPES

# One colour per PLOVER type: cooperative types in blues/greens, verbal conflict
# in yellows/oranges, material conflict in reds/purples, so the map reads at a glance.
TYPE_COLORS: dict[str, tuple[int, int, int]] = {
    "AGREE": (31, 119, 180),
    "CONSULT": (23, 190, 207),
    "SUPPORT": (44, 160, 44),
    "CONCEDE": (152, 223, 138),
    "COOPERATE": (174, 199, 232),
    "AID": (0, 128, 128),
    "RETREAT": (158, 218, 229),
    "REQUEST": (188, 189, 34),
    "ACCUSE": (255, 187, 120),
    "REJECT": (255, 127, 14),
    "THREATEN": (227, 119, 194),
    "PROTEST": (140, 86, 75),
    "SANCTION": (148, 103, 189),
    "MOBILIZE": (127, 127, 127),
    "COERCE": (197, 176, 213),
    "ASSAULT": (214, 39, 40),
}
UNKNOWN_COLOR = (90, 90, 90)

POINT_LAYER_ID = "events-point"  # city/site precision: filled dots
AREA_LAYER_ID = "events-area"  # country/admin1 centroids: hollow rings
HEX_LAYER_ID = "events-hex"
EVENT_LAYER_IDS = (POINT_LAYER_ID, AREA_LAYER_ID)


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


def view_for(bounds: tuple[float, float, float, float] | None) -> pdk.ViewState:
    """A view that fits the data's extent (whole database, so it stays put while filtering)."""
    if bounds is None:
        return pdk.ViewState(latitude=30, longitude=40, zoom=1.5)
    lon_min, lat_min, lon_max, lat_max = bounds
    span = max(lon_max - lon_min, (lat_max - lat_min) * 1.6, 1.0)
    zoom = max(0.8, min(9.0, math.log2(360 / span) + 0.4))
    return pdk.ViewState(latitude=(lat_min + lat_max) / 2, longitude=(lon_min + lon_max) / 2, zoom=zoom)


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


LayerData = dict[str, str]  # layer id -> rows as a JSON array, spliced in by CompactDeck


def _rows_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="records", force_ascii=False, double_precision=4)


def outline_layer(data: LayerData) -> pdk.Layer:
    data["countries"] = country_outlines_json()
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data=[],
        stroked=True,
        filled=True,
        get_fill_color=[236, 239, 242],
        get_line_color=[150, 156, 165],
        line_width_min_pixels=0.6,
        pickable=False,
    )


def point_layers(points: pd.DataFrame, data: LayerData) -> list[pdk.Layer]:
    """Two scatter layers: filled dots for point precision, hollow rings for centroids.

    Only ids, coordinates, type, small codes and the tooltip fields are sent.
    """
    frame = _with_colors(points)
    coarse_mask = frame["coarse"].astype(bool)
    data[AREA_LAYER_ID] = _rows_json(frame[coarse_mask].drop(columns=["coarse"]))
    data[POINT_LAYER_ID] = _rows_json(frame[~coarse_mask].drop(columns=["coarse"]))
    return [
        pdk.Layer(
            "ScatterplotLayer",
            id=AREA_LAYER_ID,
            data=[],
            get_position=["lon", "lat"],
            get_line_color="color",
            get_fill_color=[255, 255, 255, 0],
            filled=False,
            stroked=True,
            get_radius=30000,
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
            get_radius=4000,
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


POINT_TOOLTIP = {"text": "{type} · {date}\n{place}\n{actors}\n{snippet}"}
HEX_TOOLTIP = {"text": "{n} events, mostly {type}\n{coarse_pct}% at country/region centroids"}


def event_map(
    points: pd.DataFrame | None,
    cells: pd.DataFrame | None,
    bounds: tuple[float, float, float, float] | None,
    arcs: pd.DataFrame | None = None,
    options: MapOptions = MapOptions(),
) -> CompactDeck:
    """The map: outlines, then hexagons or points, then optional arcs.

    The tooltip is a *text* tooltip (set as textContent in the browser), so a
    sentence snippet containing markup is shown, not parsed.
    """
    data: LayerData = {}
    layers: list[pdk.Layer] = [] if options.basemap else [outline_layer(data)]
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
        initial_view_state=view_for(bounds),
        map_style="light" if options.basemap else None,
        map_provider="carto" if options.basemap else None,
        tooltip=tooltip,
    )


def _empty_points() -> pd.DataFrame:
    return pd.DataFrame(
        {c: [] for c in ("event_id", "lon", "lat", "type", "coarse", "date", "place", "actors", "snippet")}
    )


def legend_html(types: list[str] | None = None) -> str:
    """Legend swatches for the types (fixed strings only, no user data)."""
    items = []
    for t in types or list(PLOVER_TYPES):
        color = hex_color(TYPE_COLORS.get(t, UNKNOWN_COLOR))
        items.append(
            f'<span style="display:inline-flex;align-items:center;margin:0 10px 4px 0;font-size:0.8rem">'
            f'<span style="width:11px;height:11px;border-radius:50%;background:{color};'
            f'display:inline-block;margin-right:4px"></span>{html.escape(t)}</span>'
        )
    items.append(
        '<span style="display:inline-flex;align-items:center;margin:0 10px 4px 0;font-size:0.8rem">'
        '<span style="width:9px;height:9px;border-radius:50%;border:2.5px solid #555;'
        'display:inline-block;margin-right:4px"></span>ring = country/region centroid, not a site</span>'
    )
    return '<div style="line-height:1.2">' + "".join(items) + "</div>"


def timeline_spec(
    frame: pd.DataFrame, bin_unit: str, span: tuple[date, date] | None = None, brush_name: str = "brush"
) -> dict[str, Any]:
    """Vega-Lite spec of a histogram stacked by type, with an x-interval brush named `brush_name`.

    Written as a plain Vega-Lite dict rather than through altair: altair's
    `to_dict` (validation and data sanitizing) cost 60-150 ms per rerun in the
    1M-event benchmark, half the per-change budget; the rows themselves go to
    the browser as Arrow via `st.vega_lite_chart(frame, spec)`. The x axis
    covers `span` (the period looked at), not just bins with events, so a lone
    event still sits in its context.
    """
    present = [t for t in PLOVER_TYPES if t in set(frame["type"])] or list(PLOVER_TYPES)
    time_format = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m"}[bin_unit]
    x: dict[str, Any] = {
        "field": "bin_start",
        "type": "temporal",
        "title": f"{bin_unit} bins (drag to select a period)",
        "axis": {"format": time_format, "labelOverlap": True},
    }
    if span:
        x["scale"] = {"domain": _domain(span, bin_unit)}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "mark": {"type": "bar"},
        "height": 180,
        "params": [{"name": brush_name, "select": {"type": "interval", "encodings": ["x"]}}],
        "encoding": {
            "x": x,
            "x2": {"field": "bin_end"},
            "y": {"aggregate": "sum", "field": "n", "type": "quantitative", "title": "events"},
            "color": {
                "field": "type",
                "type": "nominal",
                "scale": {"domain": present, "range": [hex_color(TYPE_COLORS[t]) for t in present]},
                "legend": {"title": None, "orient": "bottom", "columns": 8, "symbolSize": 60, "labelFontSize": 10},
            },
            "tooltip": [
                {"field": "bin_start", "type": "temporal", "title": bin_unit, "format": time_format},
                {"field": "type", "type": "nominal"},
                {"aggregate": "sum", "field": "n", "type": "quantitative", "title": "events"},
            ],
        },
    }


def _domain(span: tuple[date, date], bin_unit: str) -> list[str]:
    """Axis extent: the span, padded by one bin so edge bars are not cut."""
    pad = {"day": 1, "week": 7, "month": 31}[bin_unit]
    return [(span[0] - timedelta(days=pad)).isoformat(), (span[1] + timedelta(days=pad)).isoformat()]


# --------------------------------------------------------------------------- details

HIGHLIGHT_STYLES = {
    "trigger": "background:#ffe08a",
    "date": "background:#b9e3ff",
    "place": "background:#c8f0c0",
    "actor": "background:#f3c9f0",
    "target": "background:#e4dcff",
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
