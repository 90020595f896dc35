"""Hypothesis strategies for hostile and odd inputs, and the record contract they must not break.

Shared by `tests/test_fuzz.py` (a few hundred examples in every test run) and
`scripts/fuzz.py` (10,000, with timings). The text strategy mixes real news
wording (triggers, places, relative and absolute dates, datelines) with what
broke runs before: lone surrogates, control characters, dates in year 0001
and 9999, signed years, long comma lists, deep JSON nests.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date

from hypothesis import strategies as st

from events.models import MAX_YEAR, MIN_YEAR

PLOVER_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
PRECISIONS = {"day": r"\d{4}-\d\d-\d\d", "month": r"\d{4}-\d\d", "year": r"\d{4}"}
GEO_PRECISIONS = frozenset({"point", "admin1", "country", "none"})

FRAGMENTS = [
    "Police arrested", "protesters", "rallied", "in Almaty", "in Paris, Texas", "Kyiv", "Moscow", "Tashkent",
    "Russia", "the United States", "Tokayev", "said", "on Monday", "yesterday", "tomorrow", "last month",
    "next year", "on March 3, 2024", "in 9999", "on 1 January 0001", "10,000 years ago", "in the year 1200",
    "0001-01-01", "9999-12-31", "-2024-01-01", "the third quarter", "a year earlier", "MOSCOW, November 28. /TASS/",
    "troops attacked", "signed an agreement", "sanctions", "was killed by", "will meet", "Paris, London, Berlin,",
    "Mr.", "U.S.", "Gen.", ".", ",", ";", "(", ")", "\n", "\n\n", " ", "—", "\"", "'", "\x00", "\x1b", "\u200b",
    "\ud800", "\udfff", "\U0001F600", "ﬁ", "İ", "ß", "\r\n", "\t", "<script>", "**", "[x](y)",
]
PUBLISHED = [None, "2024-03-27", "2024-03", "2024", "2024-03-27T10:00:00Z", "9999-12-31", "0001-01-01",
             "-2024-01-01", "+2024-01-01", "2024-02-30", "2024-13", "yesterday", "", " ", "1800-01-01", "2200-12-31",
             "1799-12-31", "2201-01-01", "Mon, 25 Mar 2024 10:00:00 GMT", "\ud800"]

any_char = st.characters(codec=None, categories=None)  # every code point, surrogates included
noise = st.text(alphabet=any_char, max_size=30)


@st.composite
def article_texts(draw: st.DrawFn, max_repeat: int = 40) -> str:
    """News-like text with noise; sometimes a stretch repeated many times (long lists, long lines)."""
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS), noise), min_size=1, max_size=40))
    text = " ".join(parts)
    if draw(st.booleans()):
        text = text * draw(st.integers(1, max_repeat))
    return text


published_values = st.one_of(st.sampled_from(PUBLISHED), st.text(alphabet=any_char, max_size=20))

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(alphabet=any_char))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


@st.composite
def jsonl_lines(draw: st.DrawFn) -> str:
    """One line of a JSON Lines file: an article record, a broken one, or no JSON at all."""
    kind = draw(st.sampled_from(["article", "article", "value", "nested", "garbage"]))
    if kind == "article":
        record = {"id": draw(st.one_of(st.text(alphabet=any_char, max_size=20), st.integers(), json_values)),
                  "text": draw(st.one_of(article_texts(), json_values)),
                  "title": draw(st.one_of(st.none(), st.text(alphabet=any_char, max_size=40), json_values)),
                  "published": draw(st.one_of(published_values, json_values)),
                  "url": draw(st.one_of(st.none(), st.text(max_size=30)))}
        return json.dumps({k: v for k, v in record.items() if draw(st.booleans()) or k == "text"})
    if kind == "value":
        return json.dumps(draw(json_values))
    if kind == "nested":
        depth = draw(st.integers(100, 100_000))
        opener = draw(st.sampled_from(["[", '{"a":']))
        return opener * depth + ("]" * depth if opener == "[" else "}" * depth)
    return draw(st.text(alphabet=any_char, max_size=60)).replace("\n", " ")


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """An HTML page with the article under a nest of any depth, closed or not, with noise around it."""
    depth = draw(st.integers(0, 3000))
    closed = draw(st.booleans())
    body = "<p>" + draw(article_texts(max_repeat=5)) + "</p>"
    return ("<html><head><title>" + draw(noise) + "</title></head><body>" + "<div>" * depth + body
            + ("</div>" * depth if closed else "") + draw(noise) + "</body></html>")


def contract_problems(record: dict, text: str) -> list[str]:
    """How an event record breaks the record contract (EVENTS.md section 3); [] when it does not."""
    problems = []
    if record["type"] not in PLOVER_TYPES:
        problems.append(f"type {record['type']!r}")
    if text[record["char_start"]:record["char_end"]] != record["sentence"]:
        problems.append("sentence is not text[char_start:char_end]")
    precision = record["date_precision"]
    for name in ("date", "date_end"):
        value = record[name]
        if value is None:
            continue
        if precision not in PRECISIONS or not re.fullmatch(PRECISIONS[precision], value):
            problems.append(f"{name} {value!r} at precision {precision!r}")
            continue
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            day = date(parts[0], parts[1], parts[2])
        except ValueError:
            problems.append(f"{name} {value!r} is no calendar date")
            continue
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            problems.append(f"{name} {value!r} outside {MIN_YEAR}-{MAX_YEAR}")
    if record["date"] is None and precision != "none":
        problems.append(f"no date at precision {precision!r}")
    lat, lon = record["lat"], record["lon"]
    if (lat is None) != (lon is None):
        problems.append("only one of lat and lon")
    if lat is not None and not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"coordinates {lat}, {lon}")
    if record["geo_precision"] not in GEO_PRECISIONS:
        problems.append(f"geo_precision {record['geo_precision']!r}")
    if record["status"] not in ("occurred", "scheduled"):
        problems.append(f"status {record['status']!r}")
    if not 0 <= record["confidence"] <= 1:
        problems.append(f"confidence {record['confidence']}")
    return problems
