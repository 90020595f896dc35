"""Pick one gazetteer entry per toponym span: context first, then prominence.

Each candidate gets a prior (log population, feature, own name versus an
alternate spelling) and context bonuses from the rest of the document: the
countries and first-order regions its other toponyms point to, nearness to
them, and an explicit qualifier ("Paris, Texas"). Two passes: the first picks
by prior plus explicitly named countries and regions, the second re-scores
with the first pass's picks as context, so "Alexandria" next to
"Rapides Parish" lands in Louisiana. A name that has no candidates resolves
to None without touching the others.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from events.geo.gazetteer import Gazetteer, normalize_name
from events.geo.toponyms import ToponymSpan
from events.models import Place, Toponym

MAX_CANDIDATES = 40


@dataclass(frozen=True)
class Weights:
    """Scoring weights; kept together so they are tuned in one place."""

    feature: tuple[tuple[str, float], ...] = (
        ("country", 3.0), ("admin1", 1.5), ("region", 1.5), ("city", 0.5), ("other", 0.0))
    alternate_name: float = -1.5   # matched an alternate, not the entry's own name
    capital: float = 2.5           # national capitals are news far beyond their size
    same_country: float = 2.5      # scaled by the share of the document's votes
    same_admin1: float = 2.5
    qualifier: float = 12.0
    near_km: float = 150.0
    near: float = 1.5
    mid_km: float = 500.0
    mid: float = 0.6


@dataclass
class _Candidate:
    row: int
    place: Place
    prior: float


class Resolver:
    """Resolve spans of one document together; see module doc."""

    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None) -> None:
        self.gazetteer = gazetteer
        self.weights = weights or Weights()
        self._feature = dict(self.weights.feature)

    def resolve(self, spans: list[ToponymSpan]) -> list[Toponym]:
        """One `Toponym` per span, in order; `place` None where nothing fits.

        Each span's context is the rest of the document without the spans of
        its own name. Building it afresh per span made a long list of place
        names quadratic (a 22 KB list took 16 s); `_DocumentContext` sums the
        document once and takes one name's share away, so the cost stays
        n log n in the number of spans.
        """
        # A name and its qualifier decide the candidates, and the name decides the
        # context: repeats of a name are scored once.
        by_name: dict[tuple[str, str | None], list[_Candidate]] = {}
        for span in spans:
            if (span.key, span.qualifier) not in by_name:
                by_name[span.key, span.qualifier] = self._candidates(span)
        cands = [by_name[span.key, span.qualifier] for span in spans]
        explicit = _DocumentContext([(span.key, *_explicit_vote(cs)) for span, cs in zip(spans, cands)])
        picks = self._pick_all(spans, by_name, explicit)
        second = _DocumentContext([(span.key, *_pick_vote(place)) for span, place in zip(spans, picks)])
        final = self._pick_all(spans, by_name, second)
        return [Toponym(s.start, s.end, s.text, p) for s, p in zip(spans, final)]

    def _pick_all(self, spans: list[ToponymSpan], by_name: dict[tuple[str, str | None], list[_Candidate]],
                  context: "_DocumentContext") -> list[Place | None]:
        picked: dict[tuple[str, str | None], Place | None] = {}
        for span in spans:
            name = (span.key, span.qualifier)
            if name not in picked:
                picked[name] = self._pick(span, by_name[name], context.without(span.key))
        return [picked[span.key, span.qualifier] for span in spans]

    def _candidates(self, span: ToponymSpan) -> list[_Candidate]:
        rows = self.gazetteer.rows_for_key(span.key)[:MAX_CANDIDATES]
        out = []
        for row in rows:
            place = self.gazetteer.place(row)
            prior = math.log10(place.population + 1) + self._feature.get(place.feature, 0.0)
            if not self.gazetteer.is_primary(row, span.key):
                prior += self.weights.alternate_name
            if self.gazetteer.is_capital(row):
                prior += self.weights.capital
            out.append(_Candidate(row, place, prior))
        if any(c.place.feature == "country" for c in out) and not (
                span.qualifier and any(_qualifies(span.qualifier, c.place, self.gazetteer) for c in out)):
            # A country's name means the country (or, for "Georgia", a state):
            # never a village, building or university of the same name.
            out = [c for c in out if c.place.feature in ("country", "admin1")]
        return out

    def _pick(self, span: ToponymSpan, cands: list[_Candidate], ctx: "_Context") -> Place | None:
        if not cands:
            return None
        w = self.weights
        total = ctx.total or 1
        centre = ctx.centre
        best, best_score = None, -math.inf
        for c in cands:
            p = c.place
            score = c.prior
            if p.country:
                score += w.same_country * ctx.votes.get(p.country, 0) / total
                if p.admin1 and ctx.admin1.get((p.country, p.admin1), 0) > 0:
                    score += w.same_admin1
            if span.qualifier and _qualifies(span.qualifier, p, self.gazetteer):
                score += w.qualifier
            if centre and p.lat is not None and p.feature in ("city", "other"):
                km = _haversine_km(centre, (p.lat, p.lon))
                score += w.near if km <= w.near_km else w.mid if km <= w.mid_km else 0.0
            if score > best_score:
                best, best_score = p, score
        return best


Vote = tuple[str | None, tuple[str, str] | None, tuple[float, float] | None]
"""What one span tells about the document: a country, a (country, region) pair, a point."""


@dataclass
class _Context:
    """The rest of the document as one span sees it."""

    votes: Counter
    admin1: Counter
    total: int
    centre: tuple[float, float] | None


class _DocumentContext:
    """The votes of every span, summed once; `without(key)` takes one name's share away.

    The centre is the median latitude and longitude of the remaining points,
    found by binary search over the sorted whole without building the rest.
    """

    def __init__(self, votes: list[tuple[str, str | None, tuple[str, str] | None, tuple[float, float] | None]]) -> None:
        self.countries: Counter[str] = Counter()
        self.admin1: Counter[tuple[str, str]] = Counter()
        self.by_key: dict[str, list[Vote]] = {}
        lats: list[float] = []
        lons: list[float] = []
        for key, country, admin1, point in votes:
            self.by_key.setdefault(key, []).append((country, admin1, point))
            if country:
                self.countries[country] += 1
            if admin1:
                self.admin1[admin1] += 1
            if point:
                lats.append(point[0])
                lons.append(point[1])
        self.lats, self.lons = sorted(lats), sorted(lons)
        self._cache: dict[str, _Context] = {}

    def without(self, key: str) -> _Context:
        if key not in self._cache:
            own = self.by_key.get(key, [])
            votes = self.countries - Counter(c for c, _, _ in own if c)
            admin1 = self.admin1 - Counter(a for _, a, _ in own if a)
            points = [p for _, _, p in own if p]
            centre = None
            if len(points) < len(self.lats):
                centre = (_median_without(self.lats, sorted(p[0] for p in points)),
                          _median_without(self.lons, sorted(p[1] for p in points)))
            self._cache[key] = _Context(votes, admin1, sum(votes.values()), centre)
        return self._cache[key]


def _explicit_vote(cands: list[_Candidate]) -> Vote:
    """First pass: a name whose best reading is a country or region, or that has one reading only."""
    if not cands:
        return None, None, None
    top = max(cands, key=lambda c: c.prior)
    if top.place.feature in ("country", "admin1") and top.place.country:
        admin1 = (top.place.country, top.place.admin1 or top.place.name) if top.place.feature == "admin1" else None
        return top.place.country, admin1, None
    if len(cands) == 1 and cands[0].place.country:
        only = cands[0].place
        return only.country, (only.country, only.admin1) if only.admin1 else None, None
    return None, None, None


def _pick_vote(place: Place | None) -> Vote:
    """Second pass: the first pass's pick, with its point when it is a city or site."""
    if place is None or not place.country:
        return None, None, None
    point = (place.lat, place.lon) if place.feature in ("city", "other") and place.lat is not None else None
    return place.country, (place.country, place.admin1) if place.admin1 else None, point


def _median_without(values: list[float], removed: list[float]) -> float:
    """`sorted(values minus removed)[n // 2]` for sorted `values` and a sorted sub-multiset `removed`.

    The rest's element of rank t is the smallest value v of `values` with
    more than t remaining values at or below it; that count only grows with
    v, so a binary search over `values` finds it in O(log² n).
    """
    target = (len(values) - len(removed)) // 2
    lo, hi = 0, len(values) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        v = values[mid]
        if bisect_right(values, v) - bisect_right(removed, v) > target:
            hi = mid
        else:
            lo = mid + 1
    return values[lo]


def _qualifies(qualifier: str, place: Place, gazetteer: Gazetteer) -> bool:
    """Whether "X, <qualifier>" fits the place: its region or its country."""
    if place.admin1 and normalize_name(place.admin1) == qualifier:
        return True
    for row in gazetteer.rows_for_key(qualifier)[:5]:
        q = gazetteer.place(row)
        if q.feature == "country" and q.country == place.country:
            return True
        if q.feature == "admin1" and q.country == place.country and q.name == place.admin1:
            return True
    return False


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))
