"""The current map view as one self-contained HTML file that opens offline.

Why an SVG and not pydeck's `to_html`: that page loads deck.gl and its basemap
from CDNs, so it is blank without a network. Here the country outlines
shipped with the package and the events are drawn as SVG in Web Mercator,
with no script, no font and no request: the file opens anywhere, and a
reader hovering a point sees the same lines as the dashboard's tooltip (SVG
`<title>`). No `st.*` calls, so it is tested without a Streamlit session.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from events_dashboard import charts

WIDTH, HEIGHT = 1100, 680


class _Projection:
    """Web Mercator scaled and shifted so that `bounds` (padded) fills a `width` x `height` picture."""

    def __init__(self, bounds: tuple[float, float, float, float] | None, width: int, height: int) -> None:
        lon_min, lat_min, lon_max, lat_max = bounds or (-170.0, -58.0, 180.0, 78.0)
        x0, y1 = self._raw(lon_min, lat_min)
        x1, y0 = self._raw(lon_max, lat_max)
        span_x, span_y = max(x1 - x0, 0.02), max(y1 - y0, 0.02)
        self.scale = 0.86 * min(width / span_x, height / span_y)
        self.cx, self.cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.width, self.height = width, height

    @staticmethod
    def _raw(lon: float, lat: float) -> tuple[float, float]:
        lat = max(-85.0, min(85.0, lat))
        return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self._raw(lon, lat)
        return self.width / 2 + (x - self.cx) * self.scale, self.height / 2 + (y - self.cy) * self.scale


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _outline_paths(project: _Projection) -> str:
    """Country outlines as SVG paths, leaving out rings wholly outside the picture."""
    paths = []
    for feature in charts.country_outlines()["features"]:
        parts = []
        for ring in _rings(feature["geometry"]):
            xy = [project(lon, lat) for lon, lat in ring]
            if all(x < 0 for x, _ in xy) or all(x > project.width for x, _ in xy):
                continue
            if all(y < 0 for _, y in xy) or all(y > project.height for _, y in xy):
                continue
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
        if parts:
            paths.append(f'<path d="{"".join(parts)}"/>')
    return '<g fill="#eceff2" stroke="#969ca5" stroke-width="0.6">' + "".join(paths) + "</g>"


def _point_marks(points: pd.DataFrame, project: _Projection) -> str:
    """Events as the dashboard draws them: dots for sites, rings for centroids, pale discs for inferred places."""
    marks = []
    inferred = points["inferred"] if "inferred" in points else pd.Series(False, index=points.index)
    for row, pale in zip(points.itertuples(index=False), inferred):
        x, y = project(float(row.lon), float(row.lat))
        color = charts.hex_color(charts.TYPE_COLORS.get(row.type, charts.UNKNOWN_COLOR))
        tip = html.escape("\n".join(str(getattr(row, f, "")) for f in ("what", "date", "place", "actors", "snippet")))
        if pale:
            style = f'r="8" fill="{color}" fill-opacity="0.35" stroke="{color}" stroke-width="1"'
        elif row.coarse:
            style = f'r="7" fill="none" stroke="{color}" stroke-width="2.5"'
        else:
            style = f'r="5" fill="{color}" stroke="#1e1e1e" stroke-width="0.5"'
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" {style}><title>{tip}</title></circle>')
    return "<g>" + "".join(marks) + "</g>"


def _hex_marks(cells: pd.DataFrame, project: _Projection) -> str:
    peak = max(float(cells["n"].max()), 1.0) if len(cells) else 1.0
    marks = []
    for row in cells.itertuples(index=False):
        color = charts.hex_color(charts.TYPE_COLORS.get(row.type, charts.UNKNOWN_COLOR))
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (project(lon, lat) for lon, lat in row.polygon))
        opacity = 0.3 + 0.7 * math.sqrt(row.n / peak)
        tip = html.escape(f"{row.n} events, mostly {row.type}")
        marks.append(f'<polygon points="{points}" fill="{color}" fill-opacity="{opacity:.2f}" stroke="#3c3c3c" '
                     f'stroke-width="0.5"><title>{tip}</title></polygon>')  # fmt: skip
    return "<g>" + "".join(marks) + "</g>"


def map_html(
    points: pd.DataFrame | None,
    cells: pd.DataFrame | None,
    bounds: tuple[float, float, float, float] | None,
    caption: str,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """A complete HTML page: the map view as inline SVG, a caption (escaped) and the legend; no external resource."""
    project = _Projection(bounds, width, height)
    marks = _hex_marks(cells, project) if cells is not None else _point_marks(
        points if points is not None else pd.DataFrame(columns=["lon", "lat", "type", "coarse"]), project
    )  # fmt: skip
    present = sorted(set((cells if cells is not None else points)["type"])) if (cells is not None or points is not None) else []
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Event Atlas map</title>'
        "<style>body{font-family:sans-serif;margin:12px;color:#222}svg{background:#f7f9fb;border:1px solid #ccc}"
        "</style></head><body>"
        f"<p>{html.escape(caption)}</p>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"{_outline_paths(project)}{marks}</svg>"
        f"{charts.legend_html(present)}"
        "<p style='font-size:0.8rem;color:#555'>Hover a mark for its type, date, place and actors. "
        "Made by Event Atlas; country outlines from Natural Earth (low resolution, via countryinfo).</p>"
        "</body></html>"
    )
