"""Temporal tagger: find time expressions in news text and give their TimeML values.

A pipeline stage with one job, in two steps like spaCy's components: `find`
runs a fixed set of compiled patterns (built once, from the word lists in
`data/timex.json`) and keeps the longest non-overlapping candidates; `tag`
then normalises them in reading order against the anchor date, because some
values depend on what came before ("the quarter" after "the third quarter",
"a year earlier" after it). The patterns are in `timex_rules`, what they
mean in `timex_readers`, calendar arithmetic in `timex_values`, and the
word lists in `data/timex.json` (loaded by `timex_lexicon`).

Why not `dateparser.search_dates`: it is two orders of magnitude slower on a
whole article and reads plain numbers ("133", "2,700") as dates. Here a bare
number becomes a date only inside a date pattern, and a bare year only in a
plausible range with a date-like context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from events.models import MAX_YEAR, MIN_YEAR, Article, Timex, parse_anchor
from events.time import values as tv
from events.time.lexicon import Lexicon, alt, load_lexicon
from events.time.readers import Context, Reading
from events.time.rules import Rule, build_rules, head_words
from events.time.values import FUTURE, NEAREST, PAST

_PREV_TOKEN = re.compile(r"([A-Za-z]+)\W*$")
_TOKEN = re.compile(r"'?\w+")


@dataclass(frozen=True)
class Candidate:
    """A pattern match not yet read; `order` is its rule's row (ties: earlier wins)."""

    start: int
    end: int
    order: int
    match: re.Match[str] = field(compare=False)


class TimexTagger:
    """Finds TIMEX3 expressions; build once and share (patterns compile here)."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.rules: tuple[Rule, ...] = build_rules(self)
        lex = self.lexicon
        self._future = re.compile(r"(?i)(?<![\w'])(?:" + alt(lex.future_cues) + r")(?!\w)")
        self._past = re.compile(r"(?i)(?<![\w'])(?:" + alt(lex.past_cues) + r"|\w{3,}ed)(?!\w)")
        self._heads = self._build_heads()

    def _build_heads(self) -> dict[str, tuple[tuple[int, bool], ...]]:
        """Which rules (and whether only when capitalised) each lower-case
        token can start: the head kinds of `timex_rules.head_words` expanded
        to words, plus the last word of each literal head."""
        kinds = head_words(self.lexicon)
        by_word: dict[str, list[tuple[int, bool]]] = {}
        for order, rule in enumerate(self.rules):
            for head in rule.heads:
                if head in kinds:
                    words, capital = kinds[head]
                    for word in words:
                        by_word.setdefault(word, []).append((order, capital))
                else:  # keyed by its last word: "the past" must not wake on every "the"
                    last = re.findall(r"'?\w+", head)[-1:]
                    for word in last:
                        by_word.setdefault(word.lower(), []).append((order, False))
        return {word: tuple(dict.fromkeys(orders)) for word, orders in by_word.items()}

    # -- find ---------------------------------------------------------------
    def find(self, text: str) -> list[Candidate]:
        """Rule matches around head tokens, then the longest of overlapping ones.

        Tokenising once and looking words up in a dict is far cheaper than
        running each pattern over every character; a pattern is only tried at
        the few word starts within its reach to the left of a head."""
        tokens = list(_TOKEN.finditer(text))
        starts = [t.start() for t in tokens]
        heads = self._heads
        seen: set[tuple[int, int, int]] = set()
        found: list[Candidate] = []
        for index, token in enumerate(tokens):
            word = token.group(0)
            bare = word.lstrip("'")
            if not bare:
                continue
            key = "#" if bare[0].isdigit() else bare.lower()
            orders = heads.get(key)
            if not orders:
                continue
            h_start, h_end = token.span()
            for order, capital in orders:
                if capital and not bare[0].isupper():
                    continue
                rule = self.rules[order]
                if rule.head_shape is not None and not rule.head_shape.fullmatch(word):
                    continue
                limit = h_start - rule.reach
                i = index
                while i > 0 and starts[i - 1] >= limit:
                    i -= 1
                for s in starts[i:index + 1]:
                    m = rule.pattern.match(text, s)
                    if m is None or m.end() < h_end or (order, s, m.end()) in seen:
                        continue
                    seen.add((order, s, m.end()))
                    found.append(Candidate(s, m.end(), order, m))
        found.sort(key=lambda c: (c.start - c.end, c.order, c.start))
        taken: list[Candidate] = []
        occupied = bytearray(len(text))
        for cand in found:
            if 1 not in occupied[cand.start:cand.end]:
                taken.append(cand)
                occupied[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
        taken.sort(key=lambda c: c.start)
        return taken

    # -- tag ----------------------------------------------------------------
    def tag(self, text: str, anchor: date | None) -> list[Timex]:
        """Time expressions of `text`, values resolved against `anchor`."""
        ctx = Context(text=text, anchor=anchor)
        out: list[Timex] = []
        taken: list[tuple[int, int]] = []
        for cand in self.find(text):
            reading = self.rules[cand.order].handler(cand.match, ctx)
            if reading is None:
                # A longer match that proved not to be a date must not hide
                # a shorter one inside it, so retry the rules on its text.
                out.extend(self._retry_inside(cand, ctx, taken))
                continue
            start, end = reading.span or (cand.start, cand.end)
            out.append(self._timex(text, start, end, reading))
            taken.append((start, end))
            if self.rules[cand.order].name == "quarter":
                self._update_focus(ctx, reading.value)
        out.sort(key=lambda t: t.start)
        return out

    def _retry_inside(self, cand: Candidate, ctx: Context, taken: list[tuple[int, int]]) -> list[Timex]:
        results: list[Timex] = []
        for order, rule in enumerate(self.rules):
            if order == cand.order:
                continue
            for m in rule.pattern.finditer(ctx.text, cand.start, cand.end):  # rare path
                if m.end() <= m.start():
                    continue
                if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                    continue
                reading = rule.handler(m, ctx)
                if reading is None:
                    continue
                start, end = reading.span or (m.start(), m.end())
                results.append(self._timex(ctx.text, start, end, reading))
                taken.append((start, end))
        return results

    @staticmethod
    def _timex(text: str, start: int, end: int, reading: Reading) -> Timex:
        if reading.type in ("DATE", "TIME"):
            day, day_end, precision = tv.calendar_reading(reading.value, reading.value_end)
        else:
            day, day_end, precision = None, None, "none"
        return Timex(start, end, text[start:end], reading.type, reading.value, day, day_end, precision)

    @staticmethod
    def _update_focus(ctx: Context, value: str | None) -> None:
        if value and len(value) == 7 and value[5] == "Q" and value[:4].isdigit() and value[6].isdigit():
            ctx.focus_quarter = (int(value[:4]), int(value[6]))

    # -- helpers the rules share ---------------------------------------------
    def direction(self, text: str, start: int, end: int) -> int:
        """Tense of the clause around a span: FUTURE when a future cue ("will",
        "next", "is set for", "scheduled") is nearer to it than a past cue, PAST
        when only past cues are found, NEAREST when the clause has neither or
        the span follows a deadline word ("until", "by", "payable")."""
        if _prev_token(text, start) in self.lexicon.deadline_words:
            return NEAREST
        # searched within the 160 characters either side only: a search to the text's ends made a
        # long text without full stops quadratic (one scan of the rest per expression)
        low = max(0, start - 160)
        left = max(text.rfind(". ", low, start), text.rfind("\n", low, start), start - 160)
        right_candidates = [p for p in (text.find(". ", end, end + 162), text.find("\n", end, end + 161)) if p != -1]
        right = min(right_candidates + [end + 160, len(text)])
        window = text[left + 1:right]
        offset = left + 1
        future_at = {m.start() for m in self._future.finditer(window)}
        future = [abs(p + offset - start) for p in future_at if not (start <= p + offset < end)]
        past = [abs(m.start() + offset - start) for m in self._past.finditer(window)
                if not (start <= m.start() + offset < end) and m.start() not in future_at]
        if not future:
            return PAST if past else NEAREST
        return FUTURE if not past or min(future) <= min(past) else PAST

    def number(self, words: str) -> float | None:
        """Value of a number written in digits or words; None when vague."""
        words = words.lower().strip()
        if words.replace(",", "").replace(".", "", 1).isdigit():
            return float(words.replace(",", ""))
        if words in self.lexicon.numbers:
            return self.lexicon.numbers[words]
        parts = re.split(r"[- ]+", words)
        if len(parts) == 2 and all(p in self.lexicon.numbers for p in parts):
            return self.lexicon.numbers[parts[0]] + self.lexicon.numbers[parts[1]]
        return None


def _month_anchor(published: str | None) -> date | None:
    """A `published` of "2022-07" anchors mid-month: relative months and
    years come out right, and an undated "July 28" in it lands in this July
    whether the clause looks back or ahead."""
    m = re.fullmatch(r"\s*(\d{4})-(\d\d)\s*", published or "")
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    return date(int(m[1]), int(m[2]), 15)


def _prev_token(text: str, pos: int) -> str:
    m = _PREV_TOKEN.search(text, max(0, pos - 24), pos)
    return m.group(1).lower() if m else ""


def find_anchor(article: Article, tagger: TimexTagger) -> date | None:
    """The date relative expressions of an article count from; None outside MIN_YEAR..MAX_YEAR.

    Order of trust: the `published` field (a bare "YYYY-MM" counts, as the
    15th); a dateline near the start ("MOSCOW, November 28. /TASS/",
    "March 23, 2024 --"), whose missing year is taken from the latest year
    the article states; the first fully explicit day date in the text; else
    None (relative dates then stay unresolved). An anchor outside the years
    MIN_YEAR..MAX_YEAR anchors nothing: date arithmetic from 9999-12-31
    overflowed, and from 0001-01-01 gave year 0000.
    """
    anchor = _anchor(article, tagger)
    return anchor if anchor is not None and MIN_YEAR <= anchor.year <= MAX_YEAR else None


def _anchor(article: Article, tagger: TimexTagger) -> date | None:
    published = parse_anchor(article.published) or _month_anchor(article.published)
    if published:
        return published
    timexes = tagger.tag(article.text, None)
    head = [t for t in timexes if t.start < 200 and t.type == "DATE" and t.value]
    explicit_day = re.compile(r"^\d{4}-\d\d-\d\d$")
    for t in head:
        if explicit_day.match(t.value or ""):
            return date.fromisoformat(t.value)  # type: ignore[arg-type]
    years = [int(t.value[:4]) for t in timexes if t.value and t.value[:4].isdigit()]
    for t in head:
        m = re.match(r"^XXXX-(\d\d)-(\d\d)$", t.value or "")
        if m and years:
            year = max(years)
            if tv.valid_day(year, int(m[1]), int(m[2])):
                return date(year, int(m[1]), int(m[2]))
    for t in timexes:
        if explicit_day.match(t.value or ""):
            return date.fromisoformat(t.value)  # type: ignore[arg-type]
    return None


def timex_record(article: Article, tagger: TimexTagger) -> dict:
    """One `events timex` output line (EVENTS.md section 7) for an article."""
    anchor = find_anchor(article, tagger)
    return {
        "doc_id": article.doc_id,
        "timexes": [
            {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
            for t in tagger.tag(article.text, anchor)
        ],
    }
