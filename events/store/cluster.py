"""De-duplication: link reports of the same real-world event with a cluster_id.

News tells one event many times: in several sentences of one article ("the
attack", "the shooting", "the death toll rose") and in articles of several
agencies. Most of those reports carry no date of their own and many no place.
Two reports of one type are compared in two steps.

**Do they fit?** A pair that does not fit is never in one cluster:

- *Dates.* A report's period is its own date at its precision (a day, a
  month, a year; `date_end` widens it). An undated report is dated by its
  article: the week up to the publication day, or the publication month or
  year when only that is known. Within one article an undated report fits any
  date (trial and anniversary stories tell old events without dates).
- *Places.* Two points within `MAX_KM`; a country and a place in it; a region
  and a place in it; an unplaced report fits any place.
- *Parties.* Two reports that both name actors and targets and share neither
  are two events (Kyrgyzstan-Tajikistan and Azerbaijan-Turkey signing at one
  summit); two statements (condemning, praising, calling for) whose speakers
  share no one are two statements. Two speakers that one statement of the
  article names as its only two speakers ("Ismail Haniyeh, the head of Hamas,
  congratulated ...") are one voice there: a congratulation told once by its
  author and once by his group is one statement. A longer list of speakers
  ("Castro announced that the chief of the Cuban Interests Section ...") ties
  no one: it names several voices.
- *Modes.* Two different modes are two acts (an arrest and a seizure in one
  raid), except modes that name the manner of one act (firearms and
  explosives in one attack; data/cluster_modes.json).
- *Counts.* Two arrests that take different numbers of people ("police
  arrested six men", "officers arrested two men"; "the arrest of eleven", "the
  apprehension of the four") are two arrests; rounded counts of one
  ("more than 300", "as many as 312") fit.

**How much tells they are one?** (`_EVIDENCE`) The same point (named by a
sentence, or both given it by their story), shared participants, the same act
(a mode that names an act, or the trigger's stem), the same day. A
participant that an article names in more than a quarter of its reports is
its topic and counts nothing there ("the Taliban" in every paragraph of an
analysis piece); across articles, one that more than `COMMON_ARTICLES`
articles name in a week (a state at war, the country of local news) counts
nothing either.

Clusters are then built in four steps, so that no chain of single links
bridges two events:

1. *within an article*, average linkage: two clusters merge when every pair
   across them fits and at least half score `LINK` or more;
2. *across articles*, pairs scoring `CROSS_LINK` (a point named by a
   sentence suffices: two agencies naming the town of an attack in one week),
   strongest first, unless two reports of one article that do not fit would
   end in one cluster;
3. *the story*: a report that links to nothing in its article ("The death
   toll was later revised to 133") joins the article's incident, the largest
   cluster at a point that it fits;
4. *vague reports*: a report known only to the month or year (or from an
   article dated only to the month) joins another article's cluster of day or
   week reports when they share the point or two participants, that cluster
   is the only one it reaches, and it is the only one reaching that cluster.

It never deletes a record: every report stays as evidence, only `cluster_id`
changes (EVENTS.md section 1). Events left alone get no cluster_id.

Scale: candidate pairs come from equi-joins on blocking keys in DuckDB
((article, type); (type, participant or point, week); (type, participant or
point, month or year) for vague reports), never from all pairs of a type, and
are scored there. A block of more than `MAX_BLOCK` reports (a digest article,
or "Russia" in a week of war) names no single event, so it gives no links;
the same pair is usually found through a rarer key (the place, the other
participant). Python only merges: within an article it checks every pair
across two clusters (at most `MAX_BLOCK` squared), across articles the
misfit pairs of their members.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import duckdb
import pyarrow as pa

from events.store.database import Store

MODES_FILE = "cluster_modes.json"
MAX_KM = 50.0
SAME_KM = 10.0
COMMON_ARTICLES = 5  # a participant in more articles' reports of one type in a week is that week's topic
UNDATED_WINDOW_DAYS = 6  # an undated report is of the week up to its article's publication day
FINE_DAYS = 6  # periods no longer than a week are blocked by week; longer ones are "vague"
NEIGHBOURS = 4  # within a week's block, each report is compared with the next 4 by date
MAX_BLOCK = 50  # reports per blocking key beyond which the key says nothing about sameness (and pairs grow as its square)
LINK = 2  # evidence score at which two reports of one article are of one event (see `_DOC_PAIRS_SQL`)
CROSS_LINK = 3  # the same across articles, where an undated report's week is only a guess from its article
STEM = 4  # letters of a trigger that name its act when the record has no mode ("attacked", "attack")
COUNT_SLACK = 0.2  # counts of people taken that differ by at most this share of the larger are one count rounded
TOPIC_SHARE = 0.25  # a participant named by more of an article's reports than this share is its topic

# One row per event: its period as day numbers (lo, hi), whether it is vague, its participants and place.
_EVENTS_SQL = """
CREATE OR REPLACE TEMP TABLE _cl_ev AS
WITH base AS (
    SELECT e.event_id, e.doc_id, e.type,
           list_sort(list_distinct(list_filter(e.actors, lambda x: x IS NOT NULL))) AS acts,
           list_sort(list_distinct(list_filter(e.targets, lambda x: x IS NOT NULL))) AS tgts,
           list_filter(list_distinct(list_concat(e.actors, e.targets)), lambda x: x IS NOT NULL) AS parts,
           e.day, e.date_precision, e.date_end, e.lat, e.lon, e.geo_precision, e.country, e.admin1,
           CASE WHEN e.geo_precision = 'point' THEN lower(e.place) END AS place_key,
           CASE WHEN list_contains($counted, e.mode) THEN  -- how many people an arrest takes, as written
               coalesce(nullif(regexp_extract(lower(e.sentence), $count_after, 1), ''),
                        nullif(regexp_extract(lower(e.sentence), $count_before, 1), '')) END AS n_word,
           e.mode, CASE WHEN e.mode IS NULL THEN '~' || left(lower(e.trigger), $stem)
                        WHEN NOT list_contains($domains, e.mode) THEN e.mode END AS act,
           coalesce(e.place_basis, 'sentence') AS place_from,
           left(a.published, 10) AS pub
    FROM events e LEFT JOIN articles a USING (doc_id)
    WHERE NOT coalesce(e.not_event, FALSE)  -- an analyst judged it no event (events.store.corrections)
), own AS (
    SELECT *,
        day AS own_lo,  -- the first day of the date, kept by the store (strings are parsed only for ends)
        CASE WHEN date_end IS NOT NULL THEN
                 CASE length(date_end) WHEN 10 THEN try_cast(date_end AS DATE)
                                       WHEN 7 THEN last_day(try_cast(date_end || '-01' AS DATE))
                                       WHEN 4 THEN try_cast(date_end || '-12-31' AS DATE) END
             WHEN date_precision = 'month' THEN last_day(day)
             WHEN date_precision = 'year' THEN make_date(year(day), 12, 31)
             ELSE day END AS own_hi,
        CASE length(pub) WHEN 10 THEN try_cast(pub AS DATE) - $window
                         WHEN 7 THEN try_cast(pub || '-01' AS DATE)
                         WHEN 4 THEN try_cast(pub || '-01-01' AS DATE) END AS pub_lo,
        CASE length(pub) WHEN 10 THEN try_cast(pub AS DATE)
                         WHEN 7 THEN last_day(try_cast(pub || '-01' AS DATE))
                         WHEN 4 THEN try_cast(pub || '-12-31' AS DATE) END AS pub_hi
    FROM base
), span AS (
    SELECT *,
        CASE WHEN own_lo IS NOT NULL THEN own_lo ELSE pub_lo END AS lo_d,
        CASE WHEN own_lo IS NOT NULL THEN greatest(own_hi, own_lo) ELSE pub_hi END AS hi_d
    FROM own
), said AS (  -- speakers named together as the speakers of one statement in an article
    SELECT doc_id, p, unnest(acts) AS q
    FROM (SELECT doc_id, acts, unnest(acts) AS p FROM base WHERE list_contains($statements, type) AND len(acts) = 2)
), voiced AS (  -- each statement's speakers and everyone its article names with one of them as one voice
    SELECT e.event_id, list_distinct(list(t.q)) AS tied
    FROM (SELECT event_id, doc_id, unnest(acts) AS p FROM base WHERE list_contains($statements, type)) e
    JOIN said t ON t.doc_id = e.doc_id AND t.p = e.p AND t.q <> e.p
    GROUP BY e.event_id
)
SELECT row_number() OVER (ORDER BY event_id) AS rid, hash(doc_id) AS dk, hash(doc_id, type) AS dtk,
       event_id, doc_id, type, acts, list_distinct(list_concat(acts, coalesce(v.tied, []))) AS voices,
       tgts, parts, lat, lon, geo_precision, country, admin1, place_key,
       mode, act, place_from,
       CASE WHEN regexp_full_match(n_word, '\\d+') THEN try_cast(n_word AS INT)
            ELSE $numbers[list_position($number_words, n_word)] END AS n_taken,
       own_lo IS NOT NULL AS dated,
       date_diff('day', DATE '1970-01-01', lo_d) AS lo,
       date_diff('day', DATE '1970-01-01', hi_d) AS hi,
       date_diff('day', lo_d, hi_d) > $fine AS vague,
       12 * year(lo_d) + month(lo_d) AS m_lo, 12 * year(hi_d) + month(hi_d) AS m_hi,
       -year(lo_d) AS y_lo, -year(hi_d) AS y_hi,
       date_diff('day', lo_d, hi_d) > 31 AS yearly
FROM span LEFT JOIN voiced v USING (event_id)
"""

# Places fit: either unplaced; two points within MAX_KM; a country and a place in it; a region and a place in it.
_PLACE_FITS = """(a.lat IS NULL OR b.lat IS NULL
    OR (a.geo_precision = 'point' AND b.geo_precision = 'point' AND {km} <= $km)
    OR ((a.geo_precision = 'country' OR b.geo_precision = 'country') AND a.country IS NOT DISTINCT FROM b.country)
    OR ((a.geo_precision = 'admin1' OR b.geo_precision = 'admin1') AND a.geo_precision <> 'country'
        AND b.geo_precision <> 'country' AND a.country IS NOT DISTINCT FROM b.country
        AND a.admin1 IS NOT DISTINCT FROM b.admin1))"""
# The same point, as evidence: one place, or two points within SAME_KM (a venue and its town); two
# towns MAX_KM apart still fit (geocoding is that coarse) but are no evidence of one event.
_SAME_PLACE = """(a.geo_precision = 'point' AND b.geo_precision = 'point'
    AND (a.place_key = b.place_key OR {km} <= $same_km))"""
_KM = """2 * 6371.0 * asin(sqrt(pow(sin(radians(b.lat - a.lat) / 2), 2)
    + cos(radians(a.lat)) * cos(radians(b.lat)) * pow(sin(radians(b.lon - a.lon) / 2), 2)))"""
PLACE_FITS = _PLACE_FITS.format(km=_KM)
# Parties fit unless both reports name actors and targets and share neither: another who-did-what-to-whom.
# A statement (a type in `statement_types`: condemning, praising, calling for) is its speaker's: two
# that name speakers and share none are two statements ("religious leaders also condemned the shooting").
PARTIES_FIT = """NOT (len(a.acts) > 0 AND len(b.acts) > 0 AND len(a.tgts) > 0 AND len(b.tgts) > 0
    AND len(list_intersect(a.acts, b.acts)) = 0 AND len(list_intersect(a.tgts, b.tgts)) = 0)
    AND NOT (list_contains($statements, a.type) AND len(a.acts) > 0 AND len(b.acts) > 0
             AND len(list_intersect(a.voices, b.acts)) = 0 AND len(list_intersect(a.acts, b.voices)) = 0)"""
SAME_PLACE = _SAME_PLACE.format(km=_KM)

# Modes fit unless both reports name one and they differ: an arrest and a seizure are two acts. Modes
# that name the manner of one act (firearms and explosives in one attack: data/cluster_modes.json) fit.
MODES_FIT = """(a.mode IS NULL OR b.mode IS NULL OR a.mode = b.mode
    OR (list_contains($manners, a.mode) AND list_contains($manners, b.mode)))
    AND (a.n_taken IS NULL OR b.n_taken IS NULL
         OR abs(a.n_taken - b.n_taken) <= $count_slack * greatest(a.n_taken, b.n_taken))"""
# An arrest of eleven and an apprehension of four are two arrests: counted acts (data/cluster_modes.json) that
# state different numbers of people taken do not fit (`n_taken`, read off the sentence by `count_patterns`).
# Rounded counts of one act differ a little ("more than 300 protesters" and "as many as 305"): counts within
# COUNT_SLACK of the larger fit; three and a fourth, or eleven and four, do not.

# The evidence that two reports of one type tell one event: the same point (when a sentence names it,
# 2 within an article and CROSS_LINK, enough alone, across articles: two agencies naming the town of an
# attack in one week; 1 when both have it from their stories; a place from an actor's state says
# nothing), shared participants (up to 2), the same act (mode or trigger stem), the same day (both
# dated to it).
_EVIDENCE = f"""(CASE WHEN NOT coalesce({SAME_PLACE}, FALSE) OR a.place_from = 'actor' OR b.place_from = 'actor' THEN 0
            WHEN a.place_from = 'sentence' OR b.place_from = 'sentence' THEN {{named}} ELSE 1 END
       + {{parts}}
       + coalesce(a.act = b.act, FALSE)::INT
       + coalesce(a.dated AND b.dated AND a.lo = a.hi AND b.lo = b.hi AND a.lo = b.lo, FALSE)::INT)"""

# Within an article: every pair of one type, whether its dates, places, parties and modes fit, its
# evidence score (`_EVIDENCE`) and how each report is at a point (2: its sentence names it, 1: its story).
# A participant counts only when it is not the article's topic: named by at most TOPIC_SHARE of the
# article's reports, or by two ("the Taliban" in every paragraph of an analysis piece says nothing).
# A mode counts when it names an act ("deny", "arrest"), not a domain ("economic": DOMAIN_MODES).
# Keys and ids are hashed and numbered: joins and sorts on integers are several times faster than
# on strings at a million events.
_DOC_PAIRS_SQL = f"""
WITH small AS (SELECT dtk FROM _cl_ev GROUP BY ALL HAVING count(*) BETWEEN 2 AND $cap),
ev AS (SELECT e.* FROM _cl_ev e SEMI JOIN small s ON e.dtk = s.dtk),
docs AS (SELECT dk, count(*) AS n FROM _cl_ev WHERE dk IN (SELECT dk FROM ev) GROUP BY ALL),
named AS (SELECT e.dk, unnest(e.parts) AS p FROM _cl_ev e SEMI JOIN docs d ON e.dk = d.dk),
topics AS (
    SELECT t.dk, t.p FROM named t JOIN docs d ON t.dk = d.dk
    GROUP BY t.dk, t.p, d.n HAVING count(*) > greatest(2, d.n * $topic)
), spec AS (
    SELECT rid, dtk, p FROM (SELECT rid, dk, dtk, unnest(parts) AS p FROM ev) t
    ANTI JOIN topics o ON t.dk = o.dk AND t.p = o.p
), shared AS (
    SELECT a.rid AS x, b.rid AS y, count(*) AS k FROM spec a JOIN spec b ON a.dtk = b.dtk AND a.p = b.p AND a.rid < b.rid
    GROUP BY ALL
)
SELECT a.rid, b.rid,
       (NOT a.dated OR NOT b.dated OR (a.lo <= b.hi AND b.lo <= a.hi)) AND {PLACE_FITS} AND {PARTIES_FIT} AND {MODES_FIT}
           AS fits,
       {_EVIDENCE.format(named=2, parts="least(coalesce(sh.k, 0), 2)")} AS score,
       CASE WHEN a.geo_precision <> 'point' OR a.place_from = 'actor' THEN 0 WHEN a.place_from = 'sentence' THEN 2 ELSE 1 END,
       CASE WHEN b.geo_precision <> 'point' OR b.place_from = 'actor' THEN 0 WHEN b.place_from = 'sentence' THEN 2 ELSE 1 END
FROM ev a JOIN ev b ON a.dtk = b.dtk AND a.rid < b.rid
LEFT JOIN shared sh ON sh.x = a.rid AND sh.y = b.rid
"""

# One row per (event, key): each participant, and the place of a point or a region.
_TOKENS_SQL = """
CREATE OR REPLACE TEMP TABLE _cl_tok AS
SELECT rid, dk, lo, hi, vague, yearly, m_lo, m_hi, y_lo, y_hi, hash(type, tok) AS key, starts_with(tok, '@') AS is_place
FROM (SELECT *, unnest(list_concat(parts, CASE WHEN place_key IS NULL THEN [] ELSE ['@' || place_key] END)) AS tok
      FROM _cl_ev WHERE lo IS NOT NULL)
"""

# Across articles, reports of a day or a week: blocked by (type, key, week). Within a block, sorted by
# start, each report is compared with its NEIGHBOURS next ones only (sorted neighbourhood): links are
# transitive, so a chain of overlapping reports ends in one cluster without every pair being formed.
_LEADS = ", ".join(
    f"lead(rid, {k}) OVER o AS y{k}, lead(dk, {k}) OVER o AS d{k}, lead(lo, {k}) OVER o AS l{k}"
    for k in range(1, NEIGHBOURS + 1)
)
_NEXT = " UNION ALL ".join(f"SELECT rid, dk, hi, key, is_place, articles, y{k} AS y, d{k} AS d, l{k} AS l FROM w"
                           for k in range(1, NEIGHBOURS + 1))
_FINE_PAIRS_SQL = f"""
WITH t AS (
    SELECT rid, dk, key, is_place, lo, hi, unnest(list_distinct([lo // 7, hi // 7])) AS wk FROM _cl_tok WHERE NOT vague
), blocks AS (SELECT key, wk, count(*) AS n, count(DISTINCT dk) AS articles FROM t GROUP BY ALL),
w AS (
    SELECT t.rid, t.dk, t.hi, t.key, t.is_place, b.n, b.articles, {_LEADS}
    FROM t JOIN blocks b ON t.key = b.key AND t.wk = b.wk WHERE b.n <= $cap
    WINDOW o AS (PARTITION BY t.key, t.wk ORDER BY t.lo, t.rid)
), p AS (
    SELECT least(rid, y) AS x, greatest(rid, y) AS y,
           count(DISTINCT key) FILTER (WHERE NOT is_place AND articles <= $common) AS k
    FROM ({_NEXT}) WHERE y IS NOT NULL AND d <> dk AND l <= hi
    GROUP BY ALL
)
SELECT p.x, p.y, {_EVIDENCE.format(named=CROSS_LINK, parts="least(p.k, 2)")}
FROM p JOIN _cl_ev a ON a.rid = p.x JOIN _cl_ev b ON b.rid = p.y WHERE {PLACE_FITS} AND {PARTIES_FIT} AND {MODES_FIT}
"""

# Across articles, a vague report (month or year) -> day or week reports at its point in its month or year.
# The keys of the vague reports are found first, so only the blocks they fall in are counted.
_VAGUE_PAIRS_SQL = f"""
WITH v AS (
    SELECT rid, dk, key, lo, hi, CASE WHEN yearly THEN y_lo ELSE m_lo END AS k FROM _cl_tok WHERE vague AND is_place
), keys AS (SELECT key, k, count(*) AS nv FROM v GROUP BY ALL),
o AS (
    SELECT f.rid, f.dk, f.key, f.lo, f.hi, f.k, keys.nv
    FROM (SELECT *, unnest(list_distinct([m_lo, m_hi, y_lo, y_hi])) AS k FROM _cl_tok WHERE NOT vague AND is_place) f
    JOIN keys ON f.key = keys.key AND f.k = keys.k
), small AS (SELECT key, k FROM o GROUP BY key, k, nv HAVING count(*) + nv <= $cap),
p AS (
    SELECT DISTINCT v.rid AS x, o.rid AS y
    FROM v SEMI JOIN small s ON v.key = s.key AND v.k = s.k
    JOIN o ON v.key = o.key AND v.k = o.k
    WHERE v.dk <> o.dk AND v.lo <= o.hi AND o.lo <= v.hi
)
SELECT p.x, p.y FROM p JOIN _cl_ev a ON a.rid = p.x JOIN _cl_ev b ON b.rid = p.y WHERE {PLACE_FITS} AND {PARTIES_FIT} AND {MODES_FIT}
"""


class _Clusters:
    """Union-find; the root of a set is its smallest member, so cluster ids are stable across runs."""

    def __init__(self) -> None:
        """Every member starts alone; `members` keeps each merged set's members for the linkage checks."""
        self.parent: dict = {}
        self.size: dict = defaultdict(lambda: 1)
        self.members: dict = {}

    def find(self, x):  # noqa: ANN001, ANN201 - event numbers or, in tests, names
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b) -> None:  # noqa: ANN001
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = min(ra, rb), max(ra, rb)
            self.parent[drop] = keep
            self.size[keep] += self.size[drop]
            kept, dropped = self.members.pop(keep, [keep]), self.members.pop(drop, [drop])
            if len(kept) < len(dropped):
                kept, dropped = dropped, kept
            kept.extend(dropped)  # the smaller list into the larger: linear in all over a run
            self.members[keep] = kept

    def members_of(self, root) -> list:  # noqa: ANN001
        """The members of a root's set."""
        return self.members.get(root, [root])

    def attach_unique(self, links: Iterable[tuple]) -> None:
        """Join each cluster to the one other cluster its links reach, when there is exactly one and
        no other cluster reaches that one (a vague report between two events joins neither).

        Decided on the clusters as they stand before this step, so the order of
        the links does not matter.
        """
        reach: dict = defaultdict(set)
        reached_by: dict = defaultdict(set)
        for x, y in links:
            rx, ry = self.find(x), self.find(y)
            if rx != ry:
                reach[rx].add(ry)
                reached_by[ry].add(rx)
        joins = []
        for root, others in reach.items():
            if len(others) == 1:
                (other,) = others
                if reached_by[other] == {root}:
                    joins.append((root, other))
        for root, other in joins:
            self.union(root, other)


Pairs = list[tuple[int, int]]
Links = list[tuple[int, int, int]]
Scored = dict[tuple[int, int], int]


def merge_by_majority(clusters: _Clusters, scored: Scored, link: int = LINK) -> None:
    """Average linkage over scored pairs: two clusters merge when every pair across them fits
    (is in `scored`) and at least half of those pairs score `link` or more.

    Pairs are taken strongest first. Single link would chain: A shares an actor
    with B, B a place with C, so A and C end as one event though nothing ties
    them; here C joins {A, B} only if it links to one of the two and fits both.
    Clusters are small (one article's reports of one type), so checking every
    pair across two of them costs little.
    """
    for (x, y), score in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])):
        if score < link:
            break
        rx, ry = clusters.find(x), clusters.find(y)
        if rx == ry:
            continue
        side_x, side_y = clusters.members_of(rx), clusters.members_of(ry)
        linked, fits = 0, True
        for a in side_x:
            for b in side_y:
                pair_score = scored.get((a, b) if a < b else (b, a))
                if pair_score is None:
                    fits = False
                    break
                linked += pair_score >= link
            if not fits:
                break
        if fits and 2 * linked >= len(side_x) * len(side_y):
            clusters.union(rx, ry)


def join_across_articles(clusters: _Clusters, links: Sequence[tuple[int, int, int]],
                         vetoed: set[tuple[int, int]], link: int = CROSS_LINK) -> None:
    """Join the clusters of two articles' reports that score `link` or more, strongest first, unless
    two reports of one article that do not fit would end in one cluster (complete linkage on the
    misfits: a chain of agencies' reports never merges what one article told apart)."""
    for x, y, score in sorted(links, key=lambda t: (-t[2], t[0], t[1])):
        if score < link:
            break
        rx, ry = clusters.find(x), clusters.find(y)
        if rx == ry:
            continue
        side_y = clusters.members_of(ry)
        if vetoed and any((min(a, b), max(a, b)) in vetoed for a in clusters.members_of(rx) for b in side_y):
            continue
        clusters.union(rx, ry)


def attach_to_incidents(clusters: _Clusters, scored: Scored, vetoed: set[tuple[int, int]],
                        at_point: dict[int, int]) -> None:
    """The story rule: a report that links to nothing in its article joins the article's incident.

    "The death toll was later revised to 133" names neither the place nor the
    attackers, yet tells the concert-hall attack the article is about. Such a
    report (still alone, and not at a point its own sentence names) joins the
    largest incident it fits in its article: a cluster holding a report at a
    point (`at_point`; statements have no place, so a run of praise or denials
    in an analysis piece is no incident), when no other incident it fits is as
    large, and it fits every member of its article (none `vetoed`). Decided on
    the clusters as they stand before this step.
    """
    mates: dict[int, set[int]] = defaultdict(set)
    for x, y in scored:
        mates[x].add(y)
        mates[y].add(x)
    located = {clusters.find(x) for x in at_point}
    joins = []
    for x, near in mates.items():
        if clusters.size[clusters.find(x)] > 1:
            continue
        if at_point.get(x) == 2:
            continue  # a report at a point its sentence names is an incident of its own
        ranked = sorted({clusters.find(y) for y in near} & located, key=lambda r: clusters.size[r], reverse=True)
        if not ranked:
            continue
        best = ranked[0]
        runner_up = clusters.size[ranked[1]] if len(ranked) > 1 else 0
        if clusters.size[best] > runner_up and not any((min(x, m), max(x, m)) in vetoed
                                                       for m in clusters.members_of(best)):
            joins.append((x, best))
    for x, best in joins:
        clusters.union(x, best)


def cluster_pairs(con: duckdb.DuckDBPyConnection) -> tuple[Scored, set[tuple[int, int]], dict[int, int], Links, Pairs]:
    """Candidate links between events numbered in `_cl_ev` (`rid`, in event id order): (every fitting
    pair within an article with its score, the pairs within an article that do not fit, the reports
    at a point: 2 when their sentence names it, 1 when the story gave it; links across articles
    with their scores, vague -> other article)."""
    domains, manners, statements = mode_classes()
    params = {"cap": MAX_BLOCK, "km": MAX_KM, "same_km": SAME_KM, "count_slack": COUNT_SLACK,
              "manners": list(manners), "statements": list(statements)}
    scored: Scored = {}
    vetoed: set[tuple[int, int]] = set()
    at_point: dict[int, int] = {}
    for x, y, fits, score, x_at, y_at in con.execute(_DOC_PAIRS_SQL, {**params, "topic": TOPIC_SHARE}).fetchall():
        if fits:
            scored[(x, y)] = score
        else:
            vetoed.add((x, y))
        if x_at:
            at_point[x] = x_at
        if y_at:
            at_point[y] = y_at
    fine = con.execute(_FINE_PAIRS_SQL, {**params, "common": COMMON_ARTICLES}).fetchall()
    vague_params = {k: params[k] for k in ("cap", "km", "manners", "statements", "count_slack")}
    vague = con.execute(_VAGUE_PAIRS_SQL, vague_params).fetchall()
    return scored, vetoed, at_point, fine, vague


@lru_cache(maxsize=1)
def mode_classes() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(modes that name a domain, modes that name a manner, types that are statements), from
    data/cluster_modes.json: sharing a domain is no evidence of one event, different manners are no
    evidence of two, and statements by different speakers are two."""
    raw = json.loads(resources.files("events").joinpath("data", MODES_FILE).read_text(encoding="utf-8"))
    return tuple(raw["domain_modes"]), tuple(raw["manner_modes"]), tuple(raw["statement_types"])


@lru_cache(maxsize=1)
def magnitude() -> dict:
    """data/magnitude.json: the number words and qualifiers ("more than", "as many as") casualty counts use."""
    return json.loads(resources.files("events").joinpath("data", "magnitude.json").read_text(encoding="utf-8"))


def number_words() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The number words of data/magnitude.json ("eleven", "a dozen") and their values, longest first."""
    pairs = sorted(magnitude()["number_words"].items(), key=lambda kv: -len(kv[0]))
    return tuple(k.lower() for k, _ in pairs), tuple(int(v) for _, v in pairs)


@lru_cache(maxsize=1)
def count_patterns() -> tuple[tuple[str, ...], str, str]:
    """(counted modes, the pattern of a number after the act's word, the pattern of a number before
    "were arrested"): how many people an arrest or detention takes, from data/cluster_modes.json.
    Group 1 of either pattern is the number, in digits or words (lower case)."""
    raw = json.loads(resources.files("events").joinpath("data", MODES_FILE).read_text(encoding="utf-8"))
    number = "(\\d+|" + "|".join(re.escape(w).replace("\\ ", "\\s+") for w in number_words()[0]) + ")"
    words = "|".join(re.escape(w) for w in raw["counted_words"])
    passives = "|".join(re.escape(w).replace("\\ ", "\\s+") for w in raw["counted_passives"])
    qualifiers = "|".join(re.escape(w).replace("\\ ", "\\s+") for w in magnitude()["qualifiers"])
    after = rf"\b(?:{words})\s+(?:of\s+)?(?:the\s+)?(?:(?:{qualifiers})\s+)?[\"“']?{number}\b"
    before = rf"\b{number}\s+(?:[a-z\-]+\s+){{0,3}}(?:were|was|have\s+been|had\s+been|are|being)\s+(?:{passives})\b"
    return tuple(raw["counted_modes"]), after, before


def assign_clusters(store: Store) -> int:
    """Recompute every cluster_id; return the number of clusters of two or more events.

    A cluster's id is "c" and its smallest event id, so it stays put when
    other clusters change. Union-find runs on the events' numbers (`rid`,
    numbered in event id order, so the smallest number is the smallest id).
    The pairs are read in one session of the store (a long extraction opens
    the file only per operation, so readers get in between).
    """
    with store.session() as con:
        assignments = _assignments(con)
    store.set_clusters(assignments)
    return len(set(assignments.values()))


def _assignments(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Event id -> cluster id, for every event in a cluster of two or more."""
    counted, after, before = count_patterns()
    words, numbers = number_words()
    con.execute(_EVENTS_SQL, {"window": UNDATED_WINDOW_DAYS, "fine": FINE_DAYS, "stem": STEM,
                              "domains": list(mode_classes()[0]), "statements": list(mode_classes()[2]),
                              "counted": list(counted), "count_after": after, "count_before": before,
                              "number_words": list(words), "numbers": list(numbers)})
    try:
        con.execute(_TOKENS_SQL)
        scored, vetoed, at_point, fine, vague = cluster_pairs(con)
        clusters = _Clusters()
        merge_by_majority(clusters, scored)
        join_across_articles(clusters, fine, vetoed)
        attach_to_incidents(clusters, scored, vetoed, at_point)
        clusters.attach_unique(vague)
        members = {x for pairs in (scored, fine, vague) for pair in pairs for x in pair[:2]}
        roots = {x: clusters.find(x) for x in members}
        sizes: dict[int, int] = defaultdict(int)
        for root in roots.values():
            sizes[root] += 1
        grouped = [(x, root) for x, root in roots.items() if sizes[root] > 1]
        table = pa.table({"rid": [x for x, _ in grouped], "root": [r for _, r in grouped]},
                         schema=pa.schema([("rid", pa.int64()), ("root", pa.int64())]))
        con.register("_cl_roots", table)
        try:
            assignments = dict(con.execute(
                """SELECT e.event_id, 'c' || r.event_id FROM _cl_roots x
                   JOIN _cl_ev e ON e.rid = x.rid JOIN _cl_ev r ON r.rid = x.root"""
            ).fetchall())
        finally:
            con.unregister("_cl_roots")
    finally:
        con.execute("DROP TABLE IF EXISTS _cl_tok")
        con.execute("DROP TABLE IF EXISTS _cl_ev")
    return assignments
