"""The rule table of the temporal tagger: which pattern, read by which reader.

Each row is a compiled pattern (built from the lexicon, once per tagger), the
reader in `timex_readers` that interprets its match, and the head tokens
near which the finder tries it. Rules are a table, not an if/elif chain, so
adding one is adding a row; the tagger keeps the longest match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from events.time.lexicon import Lexicon, alt
from events.time.readers import Context, Reading, RuleSet

if TYPE_CHECKING:
    from events.time.timex import TimexTagger

_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d])(?![.,:]\d)(?!\s*%)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d])(?![.,]\d)"
_BARE_YEAR = r"(?:19\d\d|20\d\d)(?![\d])(?![.,]\d)(?!\s*%)"
_NO_NUM_BEFORE = r"(?<![\d,.$£€#/])(?<!\d-)"


Handler = Callable[[re.Match[str], Context], Reading | None]


@dataclass(frozen=True)
class Rule:
    """A pattern, its reader, and the head words that can start a search for it.

    `heads` are token kinds ("month", "weekday", "number", "unit") or literal
    words; the finder only tries the pattern near such a head, at word starts
    at most `reach` characters to its left, which is what keeps the tagger at
    a few milliseconds per article instead of scanning every pattern over
    every character.
    """

    name: str
    pattern: re.Pattern[str]
    handler: Handler
    heads: tuple[str, ...]
    reach: int = 40
    head_shape: re.Pattern[str] | None = None  # the head token must fullmatch it


def head_words(lex: Lexicon) -> dict[str, tuple[frozenset[str], bool]]:
    """Token kinds that start a rule search: their lower-case words, and
    whether the token must be capitalised ("May", never "may")."""
    return {
        "month": (frozenset(lex.months), True),
        "weekday": (frozenset(lex.weekdays), True),
        "number": (frozenset({"#"}), False),  # the finder files any digit token under "#"
        "unit": (frozenset(lex.units) | frozenset(lex.parts_of_day), False),
    }


def build_rules(tagger: "TimexTagger") -> tuple[Rule, ...]:
    """Compile every pattern once for a tagger; the order breaks length ties."""
    r = RuleSet(tagger)
    lex = tagger.lexicon
    mod = r"(?P<mod>early|late|mid|earlier|later)"
    pos = r"(?:(?:the\s+)?(?:end|beginning|start|middle|turn|rest|remainder|first half|second half)\s+of\s+)"
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    ones = "one|two|three|four|five|six|seven|eight|nine"
    teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    approx = r"(?:(?:nearly|almost|about|around|approximately|roughly|more than|less than|fewer than|at least|up to|no more than|over|under|just|only)\s+)?"
    hol = "(?-i:" + alt(w.title() for w in lex.holidays) + "|" + alt(lex.holidays) + ")"
    table: list[tuple[str, str, object]] = [
        ("month_day",
         rf"\b(?:(?P<wdp>{r.WD}),?\s+)?(?P<mon>{r.MA})\s+(?P<d1>{_DAY})"
         rf"(?:\s*(?:-|–|and|to|through|until|&)\s*(?P<d2>{_DAY}))?"
         rf"(?:,?\s+(?P<year>{_YEAR}|'\d\d(?!\d)))?",
         r.month_day),
        ("day_month",
         rf"\b(?:(?P<wdp>{r.WD}),?\s+)?{_NO_NUM_BEFORE}(?P<d1>{_DAY})(?:\s*(?:-|–|and|to|&)\s*(?P<d2>{_DAY}))?"
         rf"\s+(?:of\s+)?(?P<mon>{r.MA})(?:,?\s+(?P<year>{_YEAR}))?\b",
         r.month_day),
        ("month_year",
         rf"\b(?:{mod}[- ]?|{pos})?(?P<mon>{r.MA})(?:\s+of)?,?\s+(?P<year>{_YEAR})\b",
         r.month_year),
        ("month_rel_year",
         rf"\b(?P<mon>{r.MF})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b",
         r.month_rel_year),
        ("iso_date",
         r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])",
         r.iso_date),
        ("us_date",
         r"(?<![\d/])(?P<us>(?P<m>[01]?\d))/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)\d\d)(?![\d/])",
         r.iso_date),
        ("bare_month",
         rf"\b(?:(?P<rel>{r.REL})\s+|{mod}[- ]?(?:in\s+)?|{pos})?(?P<mon>{r.MF})\b(?!\s*\d)(?!-)",
         r.bare_month),
        ("bare_year",
         rf"(?:(?P<mod>early|late|mid|the end of|the beginning of|the start of|the middle of|the turn of|the first half of|the second half of)[- ]?)?"
         rf"(?:(?P<fiscal>fiscal|calendar|FY)\s*)?{_NO_NUM_BEFORE}\b(?P<year>{_BARE_YEAR})\b",
         r.bare_year),
        ("decade",
         r"(?:\bthe\s+)?(?:(?:early|late|mid)[- ]?)?(?P<dec>\b(?:1[5-9]|20)\d0|'\d0)'?s\b",
         r.decade),
        ("century",
         r"\b(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century\b",
         r.century),
        ("spelled_year",
         rf"\b(?:the\s+year\s+)?(?:nineteen[- ](?P<rest>(?:{tens})(?:[- ](?:{ones}))?|{teens})|(?P<millennium>two\s+thousand)(?:\s+and)?(?:\s+(?P<rest2>{ones}|{teens}))?)\b",
         r.spelled_year),
        ("quarter",
         rf"\b(?:(?:the\s+(?P<yposs>(?:19|20)\d\d)|the|this|last|next|(?P<yposs2>(?:19|20)\d\d)'s|(?P<relposs>this|last|next)\s+year's)\s+)?"
         rf"(?:fiscal\s+)?(?P<ord>{r.ORD})[- ](?P<kind>quarter|half)"
         rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<year>(?:19|20)\d\d)|(?P<rel2>this|last|next)\s+year))?\b",
         r.quarter),
        ("quarter_ref",
         r"\b(?P<det>the|this|last|next|that)\s+(?:(?P<year>(?:19|20)\d\d)\s+)?(?:(?P<adj>current|latest|previous|past|preceding|year-earlier|year-ago|most recent|comparable|fiscal|following)\s+)?(?P<noun>quarter|period)\b(?!\s+of)",
         r.quarter_ref),
        ("season",
         rf"\b(?:(?P<rel>{r.REL})\s+|{mod}[- ]?|(?P<the>the)\s+)?(?P<season>{r.SEASON})\b(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?",
         r.season),
        ("relative_unit",
         rf"\b(?:{mod}[- ]?(?:in\s+)?|{pos})?(?:the\s+)?(?P<rel>{r.REL})\s+(?:fiscal\s+)?(?P<unit>week|month|year|weekend|decade|century|{r.POD})\b",
         r.relative_unit),
        ("the_weekend", r"\bthe\s+weekend\b", r.the_weekend),
        ("deictic",
         rf"\b(?:{mod}\s+)?(?P<word>{alt(lex.deictic_days)})(?:\s+(?P<pod>{r.POD}))?\b",
         r.deictic),
        ("weekday",
         rf"\b(?:(?P<rel>{r.REL})\s+|(?:early|late|earlier|later)\s+)?(?P<wd>{r.WD})(?:\s+(?P<pod>{r.POD}))?\b",
         r.weekday),
        ("ago",
         rf"\b{approx}(?:(?P<num>{r.NUM}|{r.VAGUE})[- ])?(?P<unit>{r.UNIT})\s+(?P<dir>ago|earlier|later|from now|hence)\b",
         r.ago),
        ("year_ago_adj", r"\b(?:year-earlier|year-ago|year earlier)\b", r.year_ago_adj),
        ("reference",
         rf"\b(?P<ref>{alt(lex.references)})\b",
         r.reference),
        ("recent_units", r"\brecent\s+(?:years|months|weeks|days|decades)\b", r.recent_units),
        ("duration",
         rf"\b(?:(?P<det>the|each of the)\s+)?(?:(?P<rel>past|last|next|coming|first|previous|following|final|remaining|latest|initial|full)\s+)?"
         rf"(?:{approx}(?P<num>{r.NUM}|{r.VAGUE})(?:\s+(?:to|or)\s+{r.NUM})?[- ])?(?P<unit>{r.UNIT})(?!-old)\b",
         r.duration),
        ("vague_plural",
         r"\b(?:for|over|within|in|after|take|took|takes|last|lasted)\s+(?P<unit>years|months|weeks|decades|centuries|days|hours)\b(?!\s+(?:ago|of|old|earlier|later|before))",
         r.vague_plural),
        ("set_every",
         rf"\b(?:every|each|per)\s+(?:(?P<num>{r.NUM})\s+)?(?P<what>day|week|month|year|quarter|{r.POD}|{r.WD}|{r.MF})\b",
         r.set_every),
        ("set_adverb", rf"\b(?P<adv>{alt(lex.set_adverbs)})\b", r.set_adverb),
        ("clock",
         rf"\b(?:(?:at\s+)?(?:about|around|approximately)\s+)?(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am\b|pm\b)|(?P<word>noon|midnight))"
         rf"(?:\s+(?:EST|EDT|CST|CDT|PST|PDT|GMT|UTC|BST|CET|MSK))?"
         rf"(?:,?\s+(?P<day>yesterday|today|tomorrow|{r.WD}))?",
         r.clock),
        ("holiday", rf"\b(?P<hol>{hol})(?:\s+(?P<year>(?:19|20)\d\d))?\b", r.holiday),
    ]
    deictic = tuple(lex.deictic_days)
    heads: dict[str, tuple[tuple[str, ...], int]] = {
        "month_day": (("month",), 16),
        "day_month": (("month",), 40),
        "month_year": (("month",), 24),
        "iso_date": (("number",), 0),
        "month_rel_year": (("month",), 0),
        "us_date": (("number",), 0),
        "bare_month": (("month",), 24),
        "bare_year": (("number",), 24),
        "decade": (("number",), 12),
        "century": (("number",), 4),
        "spelled_year": (("nineteen", "thousand"), 16),
        "quarter": (("unit", "half"), 36),
        "quarter_ref": (("unit", "period"), 32),
        "season": (tuple(lex.seasons), 20),
        "relative_unit": (("unit",), 40),
        "the_weekend": (("unit",), 12),
        "deictic": (deictic, 8),
        "weekday": (("weekday",), 12),
        "ago": (("unit",), 28),
        "year_ago_adj": (("unit",), 0),
        "reference": (tuple(lex.references), 16),
        "recent_units": (("recent",), 0),
        "duration": (("unit",), 44),
        "vague_plural": (("unit",), 8),
        "set_every": (("every", "each", "per"), 0),
        "set_adverb": (tuple(lex.set_adverbs), 0),
        "clock": (("number", "noon", "midnight"), 0),
        "holiday": (tuple(lex.holidays), 20),
    }
    shapes = {
        "iso_date": r"\d{4}", "us_date": r"\d{1,2}", "bare_year": r"\d{4}", "decade": r"'?\d{2,4}s",
        "century": r"\d{1,2}(?:st|nd|rd|th)", "clock": r"\d{1,2}(?:am|pm)?|noon|midnight",
    }
    rules = []
    for name, pattern, handler in table:
        head, reach = heads[name]
        shape = re.compile(shapes[name], re.I) if name in shapes else None
        rules.append(Rule(name, re.compile("(?i)" + pattern), handler, head, reach, shape))  # type: ignore[arg-type]
    return tuple(rules)
