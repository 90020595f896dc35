"""Build `events/data/countries.geojson`: offline country outlines for the map.

Why: the dashboard must work with no network, where basemap tiles cannot
load. It draws these outlines instead. They come from the `countryinfo`
package (MIT; 173 country polygons from the Natural Earth low-resolution set),
a build-time dependency only: the generated file is package data, so the
dashboard never imports `countryinfo`.

Each feature keeps only what the map needs: ISO alpha-2 code, English name and
a representative point (used as the start of actor-country arcs). Coordinates
are rounded to `--decimals` places and simplified (Douglas-Peucker) so the
file, which is sent to the browser on every map render, stays small.

Run: python scripts/build_outlines.py [--out events/data/countries.geojson]
"""

from __future__ import annotations

import argparse
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "events" / "data" / "countries.geojson"

Ring = list[list[float]]


def _perpendicular_distance(p: list[float], a: list[float], b: list[float]) -> float:
    """Distance from p to the segment a-b, in degrees (good enough at this scale)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker simplification, iterative so long rings cannot overflow the stack."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def clean_ring(ring: Ring, decimals: int, tolerance: float) -> Ring | None:
    """Round, drop repeated points, simplify; None when too little is left of the ring."""
    rounded: Ring = []
    for lon, lat, *_ in ring:
        point = [round(lon, decimals), round(lat, decimals)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    simplified = simplify(rounded, tolerance)
    if len(simplified) < 4:  # a closed ring needs 3 distinct corners + closing point
        return None
    if simplified[0] != simplified[-1]:
        simplified.append(simplified[0])
    return simplified


def clean_geometry(geometry: dict[str, Any], decimals: int, tolerance: float) -> dict[str, Any] | None:
    """Simplify a Polygon/MultiPolygon into a MultiPolygon; None when nothing is left."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for polygon in polygons:
        rings = [clean_ring(r, decimals, tolerance) for r in polygon]
        if rings and rings[0] is not None:
            out.append([r for r in rings if r is not None])
    if not out:
        return None
    return {"type": "MultiPolygon", "coordinates": out}


def _as_dict(value: Any) -> Any:
    """countryinfo stores some fields as Python literals in strings; read them safely."""
    if isinstance(value, str):
        import ast

        return ast.literal_eval(value)
    return value


def load_countries() -> list[dict[str, Any]]:
    """Read the per-country JSON files shipped inside the countryinfo package."""
    data_dir = resources.files("countryinfo") / "data"
    records = []
    for entry in sorted(data_dir.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        record = json.loads(entry.read_text(encoding="utf-8"))
        if record.get("geoJSON"):
            records.append(record)
    return records


def build(decimals: int = 3, tolerance: float = 0.02) -> dict[str, Any]:
    """Return the outline FeatureCollection, sorted by ISO code so rebuilds are stable."""
    features = []
    for record in load_countries():
        iso = _as_dict(record.get("ISO") or {}).get("alpha2")
        collection = _as_dict(record["geoJSON"])
        latlng = _as_dict(record.get("latlng") or [])
        for feature in collection.get("features", []):
            geometry = clean_geometry(feature["geometry"], decimals, tolerance)
            if geometry is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "iso": iso,
                        "name": record.get("name"),
                        "lat": float(latlng[0]) if len(latlng) == 2 else None,
                        "lon": float(latlng[1]) if len(latlng) == 2 else None,
                    },
                    "geometry": geometry,
                }
            )
    features.sort(key=lambda f: (f["properties"]["iso"] or "", f["properties"]["name"] or ""))
    return {
        "type": "FeatureCollection",
        "source": "countryinfo (MIT), Natural Earth low resolution; simplified",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--decimals", type=int, default=3)
    parser.add_argument("--tolerance", type=float, default=0.02, help="simplification, degrees")
    args = parser.parse_args()
    collection = build(args.decimals, args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} countries, {len(text) / 1024:.0f} KB to {args.out}")


if __name__ == "__main__":
    main()
