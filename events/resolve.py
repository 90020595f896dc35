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
from collections import Counter
from dataclasses import dataclass

from events.gazetteer import Gazetteer, normalize_name
from events.models import Place, Toponym
from events.toponyms import ToponymSpan

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
        """One `Toponym` per span, in order; `place` None where nothing fits."""
        cands = [self._candidates(span) for span in spans]
        picks = [self._pick(span, cs, self._explicit_context(spans, cands, skip=span.key))
                 for span, cs in zip(spans, cands)]
        final = []
        for idx, (span, cs) in enumerate(zip(spans, cands)):
            context = self._context(spans, picks, skip=span.key)
            final.append(self._pick(span, cs, context))
        return [Toponym(s.start, s.end, s.text, p) for s, p in zip(spans, final)]

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

    def _explicit_context(self, spans: list[ToponymSpan], cands: list[list[_Candidate]],
                          skip: str) -> "_Context":
        """Context from names whose best reading is a country or region."""
        votes: Counter[str] = Counter()
        admin1: set[tuple[str, str]] = set()
        for span, cs in zip(spans, cands):
            if span.key == skip or not cs:
                continue
            top = max(cs, key=lambda c: c.prior)
            if top.place.feature in ("country", "admin1") and top.place.country:
                votes[top.place.country] += 1
                if top.place.feature == "admin1":
                    admin1.add((top.place.country, top.place.admin1 or top.place.name))
            elif len(cs) == 1 and cs[0].place.country:
                votes[cs[0].place.country] += 1
                if cs[0].place.admin1:
                    admin1.add((cs[0].place.country, cs[0].place.admin1))
        return _Context(votes, admin1, [])

    def _context(self, spans: list[ToponymSpan], picks: list[Place | None], skip: str) -> "_Context":
        votes: Counter[str] = Counter()
        admin1: set[tuple[str, str]] = set()
        points: list[tuple[float, float]] = []
        for span, place in zip(spans, picks):
            if span.key == skip or place is None or not place.country:
                continue
            votes[place.country] += 1
            if place.admin1:
                admin1.add((place.country, place.admin1))
            if place.feature in ("city", "other") and place.lat is not None:
                points.append((place.lat, place.lon))
        return _Context(votes, admin1, points)

    def _pick(self, span: ToponymSpan, cands: list[_Candidate], ctx: "_Context") -> Place | None:
        if not cands:
            return None
        w = self.weights
        total = sum(ctx.votes.values()) or 1
        centre = _median_point(ctx.points)
        best, best_score = None, -math.inf
        for c in cands:
            p = c.place
            score = c.prior
            if p.country:
                score += w.same_country * ctx.votes.get(p.country, 0) / total
                if p.admin1 and (p.country, p.admin1) in ctx.admin1:
                    score += w.same_admin1
            if span.qualifier and _qualifies(span.qualifier, p, self.gazetteer):
                score += w.qualifier
            if centre and p.lat is not None and p.feature in ("city", "other"):
                km = _haversine_km(centre, (p.lat, p.lon))
                score += w.near if km <= w.near_km else w.mid if km <= w.mid_km else 0.0
            if score > best_score:
                best, best_score = p, score
        return best


@dataclass
class _Context:
    votes: Counter
    admin1: set
    points: list


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


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    return lats[len(lats) // 2], lons[len(lons) // 2]


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))
