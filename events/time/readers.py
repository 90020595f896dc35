"""What each temporal pattern means: the readers behind the rule table.

A reader gets a match of its rule's pattern and the document context and
returns a `Reading` (TimeML type and value), or None when the context shows
the match is not a time expression ("the March on Washington", "2021 tons",
"Sunday Times"). Calendar arithmetic is delegated to `timex_values`; the
patterns themselves are in `timex_rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from events.time import values as tv
from events.time.lexicon import alt, cased
from events.time.values import FUTURE, PAST, shift_day

if TYPE_CHECKING:
    from events.time.timex import TimexTagger


@dataclass
class Context:
    """What normalising one document needs: its text, anchor and the last
    quarter it talked about (financial news says "the quarter" for it)."""

    text: str
    anchor: date | None
    focus_quarter: tuple[int, int] | None = None


@dataclass(frozen=True)
class Reading:
    """A normalised candidate; `span` narrows the match (e.g. drops "at")."""

    type: str
    value: str | None
    value_end: str | None = None
    span: tuple[int, int] | None = None


_PREV_WORD = re.compile(r"([A-Za-z']+|\$|%)\W*$")
_NEXT_WORD = re.compile(r"^\W{0,2}([A-Za-z%]+)")
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_MONTH_CONTEXT = frozenset(
    "in since until till by from through during of last next this early late mid before after "
    "between and or to on for each every around".split()
)


def _prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text, max(0, pos - 40), pos)
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text[pos:pos + 30])
    return m.group(1) if m else ""


class RuleSet:
    """Handlers bound to one tagger's lexicon and tense detector."""

    def __init__(self, tagger: "TimexTagger") -> None:
        self.t = tagger
        lex = tagger.lexicon
        self.lex = lex
        self.abbrev = {k: v for k, v in lex.months.items() if k not in _FULL_MONTHS}
        self.MA = "(?:" + cased(_FULL_MONTHS) + "|" + cased(self.abbrev) + r"\.?)"
        self.MF = cased(_FULL_MONTHS)
        self.WD = cased(k for k in lex.weekdays if len(k) > 4)
        ones = "one|two|three|four|five|six|seven|eight|nine"
        tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
        self.NUM = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:" + tens + r")[- ](?:" + ones + r")|"
                    + alt(lex.numbers) + ")")
        self.VAGUE = "(?:" + alt(lex.vague_numbers) + ")"
        self.UNIT = "(?:" + alt(lex.units) + ")"
        self.POD = "(?:" + alt(lex.parts_of_day) + ")"
        self.SEASON = "(?:" + alt(lex.seasons) + ")"
        self.REL = "(?:" + alt(k for k in lex.relative if k != "past") + ")"
        self.ORD = "(?:" + alt(lex.ordinals) + ")"

    # -- shared reading helpers ----------------------------------------------
    def month_num(self, word: str) -> int:
        return self.lex.months[word.lower().rstrip(".")]

    def direction(self, m: re.Match[str], ctx: Context) -> int:
        return self.t.direction(ctx.text, m.start(), m.end())

    @staticmethod
    def year_of(token: str, anchor: date | None) -> int:
        if token.startswith("'"):
            yy = int(token[1:])
            century = (anchor.year // 100) * 100 if anchor else 1900
            year = century + yy
            if anchor and year > anchor.year + 10:
                year -= 100
            return year
        return int(token)

    # -- explicit calendar dates ---------------------------------------------
    def month_day(self, m: re.Match[str], ctx: Context) -> Reading | None:
        month = self.month_num(m["mon"])
        d1 = int(re.match(r"\d+", m["d1"])[0])  # type: ignore[index]
        d2 = int(re.match(r"\d+", m["d2"])[0]) if m["d2"] else None  # type: ignore[index]
        if d2 is not None and d2 <= d1:
            d2 = None
        if m["year"]:
            year = self.year_of(m["year"], ctx.anchor)
        elif ctx.anchor and m["wdp"]:
            year = self._year_for_weekday(month, d1, self.lex.weekdays[m["wdp"].lower()], ctx.anchor)
        elif ctx.anchor:
            year = tv.closest_year(month, d1, ctx.anchor, self.direction(m, ctx))
        else:
            year = None
        if year is None:
            if not 1 <= d1 <= 31:
                return None
            value = f"XXXX-{month:02d}-{d1:02d}"
            end = f"XXXX-{month:02d}-{d2:02d}" if d2 else None
            return Reading("DATE", value, end)
        if not tv.valid_day(year, month, d1):
            return None
        end_value = None
        if d2 is not None and tv.valid_day(year, month, d2):
            end_value = f"{year:04d}-{month:02d}-{d2:02d}"
        return Reading("DATE", f"{year:04d}-{month:02d}-{d1:02d}", end_value)

    @staticmethod
    def _year_for_weekday(month: int, day: int, weekday: int, anchor: date) -> int | None:
        """"Saturday, April 25" names its year: the nearest one where it fits."""
        for year in sorted(range(anchor.year - 6, anchor.year + 2), key=lambda y: abs(y - anchor.year)):
            if tv.valid_day(year, month, day) and date(year, month, day).isoweekday() == weekday:
                return year
        return tv.closest_year(month, day, anchor, tv.NEAREST)

    def month_year(self, m: re.Match[str], ctx: Context) -> Reading | None:
        month = self.month_num(m["mon"])
        year = self.year_of(m["year"], ctx.anchor)
        return Reading("DATE", f"{year:04d}-{month:02d}")

    def month_rel_year(self, m: re.Match[str], ctx: Context) -> Reading | None:
        month = self.lex.months[m["mon"].lower()]
        if ctx.anchor is None:
            return Reading("DATE", f"XXXX-{month:02d}")
        year = ctx.anchor.year + self.lex.relative[m["rel"].lower()]
        return Reading("DATE", f"{year:04d}-{month:02d}")

    def iso_date(self, m: re.Match[str], ctx: Context) -> Reading | None:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if m.groupdict().get("us") and mo > 12 and d <= 12:
            mo, d = d, mo
        if not tv.valid_day(y, mo, d):
            return None
        return Reading("DATE", f"{y:04d}-{mo:02d}-{d:02d}")

    def bare_month(self, m: re.Match[str], ctx: Context) -> Reading | None:
        word = m["mon"].lower()
        month = self.lex.months[word]
        rel = (m["rel"] or "").lower()
        prev = _prev_word(ctx.text, m.start())
        nxt = _next_word(ctx.text, m.end())
        name_follows = nxt[:1].isupper() and nxt.lower() not in self.lex.months
        if not rel and not m["mod"]:
            if word in self.lex.ambiguous_months and (prev not in _MONTH_CONTEXT or name_follows):
                return None
            if name_follows and prev not in _MONTH_CONTEXT:
                return None  # "June Smith said": a first name
        if not ctx.anchor:
            return Reading("DATE", f"XXXX-{month:02d}")
        anchor = ctx.anchor
        if rel in ("last", "previous", "this past"):
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif rel in ("next", "coming", "following", "upcoming", "this coming"):
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif rel in ("this", "current"):
            year = anchor.year
        else:
            year = tv.closest_year(month, None, anchor, self.direction(m, ctx))
        return Reading("DATE", f"{year:04d}-{month:02d}")

    def bare_year(self, m: re.Match[str], ctx: Context) -> Reading | None:
        year = m["year"]
        text = ctx.text
        ys = m.start("year")
        prev = _prev_word(text, m.start())
        before = text[max(0, ys - 2):ys]
        nxt = _next_word(text, m.end())
        if re.search(r"[$£€#]\s?$|No\.\s?$", text[max(0, ys - 4):ys]):
            return None
        if m.end() < len(text) and text[m.end():m.end() + 1] in "-" and text[m.end() + 1:m.end() + 2].isalpha():
            return None  # "2021-style"
        nl = nxt.lower()
        if nl in self.lex.count_units:
            return None
        has_cue = bool(m["mod"] or m["fiscal"]) or prev in self.lex.year_cues or "(" in before
        strong = bool(m["mod"] or m["fiscal"]) or prev in self.lex.year_strong_cues
        if nxt and nxt.islower() and nl.endswith("s") and not nl.endswith("ss") and not strong:
            return None  # "2021 tons", "1500 troops"
        if not strong and (prev.endswith("ed") or prev in self.lex.quantity_words):
            return None  # "passed 1999 to 12", "about 2000"
        if prev in self.lex.year_label_blockers:
            return None  # "Resolution 2000", "Flight 1998"
        value = year
        return Reading("DATE", value)

    def decade(self, m: re.Match[str], ctx: Context) -> Reading | None:
        token = m["dec"]
        if token.startswith("'"):
            year = self.year_of(token, ctx.anchor)
        else:
            year = int(token)
        return Reading("DATE", f"{year // 10:03d}X")

    def century(self, m: re.Match[str], ctx: Context) -> Reading | None:
        n = int(m["n"])
        return Reading("DATE", f"{n - 1:02d}") if 1 <= n <= 22 else None

    def spelled_year(self, m: re.Match[str], ctx: Context) -> Reading | None:
        if m["millennium"]:
            rest = self.t.number(m["rest2"]) if m["rest2"] else 0
            return Reading("DATE", f"{2000 + int(rest or 0):04d}")
        rest = self.t.number(m["rest"])
        if rest is None or rest >= 100:
            return None
        return Reading("DATE", f"{1900 + int(rest):04d}")

    # -- quarters, halves, seasons --------------------------------------------
    def quarter(self, m: re.Match[str], ctx: Context) -> Reading | None:
        n = self.lex.ordinals[m["ord"].lower()]
        kind = m["kind"].lower()
        letter = "Q" if kind == "quarter" else "H"
        if letter == "H" and n > 2:
            return None
        year = self._year_from_groups(m, ctx)
        if year is None and ctx.anchor:
            span = 3 if letter == "Q" else 6
            start_month = (n - 1) * span + 1
            anchor = ctx.anchor
            if self.direction(m, ctx) != FUTURE:  # results are reported after the quarter
                year = anchor.year if start_month <= anchor.month else anchor.year - 1
            else:
                year = anchor.year if start_month + span - 1 >= anchor.month else anchor.year + 1
        prefix = f"{year:04d}" if year is not None else "XXXX"
        return Reading("DATE", f"{prefix}-{letter}{n}", span=self._drop_the_before_adjective(m, "kind"))

    @staticmethod
    def _drop_the_before_adjective(m: re.Match[str], head: str) -> tuple[int, int] | None:
        """TimeML leaves the article out of a hyphenated adjective: "the
        [third-quarter] loss", "the [two-week] visit"."""
        text = m.group(0)
        if text[:4].lower() == "the " and m.string[m.start(head) - 1:m.start(head)] == "-":
            first = text[4:].split()[0] if text[4:].split() else ""
            if "-" in first or m.start(head) - m.start() - 4 <= len(first):
                return m.start() + 4, m.end()
        return None

    def _year_from_groups(self, m: re.Match[str], ctx: Context) -> int | None:
        gd = m.groupdict()
        for name in ("year", "yposs", "yposs2"):
            if gd.get(name):
                return int(gd[name])
        rel = (gd.get("rel2") or gd.get("relposs") or "").lower()
        if rel and ctx.anchor:
            return ctx.anchor.year + self.lex.relative.get(rel, 0)
        return None

    def quarter_ref(self, m: re.Match[str], ctx: Context) -> Reading | None:
        det = m["det"].lower()
        adj = (m["adj"] or "").lower()
        noun = m["noun"].lower()
        if noun == "period" and not m["year"] and adj not in ("latest", "year-earlier", "year-ago", "most recent", "comparable", "previous"):
            return None
        focus = ctx.focus_quarter
        anchor = ctx.anchor
        if m["year"]:
            if noun == "quarter" and focus:
                return Reading("DATE", f"{m['year']}-Q{focus[1]}")
            return Reading("DATE", m["year"]) if noun == "period" else None
        if anchor is None and focus is None:
            return Reading("DATE", "XXXX-QX")
        current = (anchor.year, tv.quarter_of(anchor)) if anchor else focus
        assert current is not None
        if adj in ("year-earlier", "year-ago", "comparable"):
            base = focus or tv.shift_quarter(*current, -1)
            if noun == "period" and focus is None:
                return Reading("DATE", f"{base[0] - 1:04d}")
            y, q = tv.shift_quarter(*base, -4)
        elif det == "last" or adj in ("previous", "past", "preceding") :
            y, q = tv.shift_quarter(*(focus if adj == "previous" and focus else current), -1)
        elif det == "next" or adj == "following":
            y, q = tv.shift_quarter(*current, 1)
        elif det == "this" or adj == "current":
            y, q = current
        elif adj in ("latest", "most recent") or focus is None:
            y, q = tv.shift_quarter(*current, -1)  # the last one reported
        else:  # "the quarter": the one the story is about
            y, q = focus
        return Reading("DATE", f"{y:04d}-Q{q}")

    def season(self, m: re.Match[str], ctx: Context) -> Reading | None:
        word = m["season"].lower()
        code = self.lex.seasons[word]
        rel = (m["rel"] or "").lower()
        prev = _prev_word(ctx.text, m.start())
        if m["year"]:
            return Reading("DATE", f"{m['year']}-{code}")
        if not rel and not m["mod"]:
            if not m["the"] or prev not in ("in", "during", "by", "until", "through", "over", "this", "since"):
                return None
            if word == "fall" and _next_word(ctx.text, m.end()).lower() == "of":
                return None
        if not ctx.anchor:
            return Reading("DATE", f"XXXX-{code}")
        anchor = ctx.anchor
        start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        offset = self.lex.relative.get(rel, 0) if rel else 0
        if rel in ("last", "previous", "this past"):
            year = anchor.year if start_month + 2 < anchor.month else anchor.year - 1
        elif rel in ("next", "coming", "upcoming", "this coming", "following"):
            year = anchor.year if start_month > anchor.month else anchor.year + 1
        elif rel in ("this", "current") or offset == 0:
            direction = self.direction(m, ctx) if not rel else FUTURE if start_month > anchor.month else PAST
            if direction != FUTURE:
                year = anchor.year if start_month <= anchor.month else anchor.year - 1
            else:
                year = anchor.year if start_month + 2 >= anchor.month else anchor.year + 1
        else:
            year = anchor.year
        return Reading("DATE", f"{year:04d}-{code}")

    # -- relative to the anchor ------------------------------------------------
    def relative_unit(self, m: re.Match[str], ctx: Context) -> Reading | None:
        rel = m["rel"].lower()
        unit = m["unit"].lower()
        k = self.lex.relative[rel]
        if rel == "following" and not m.group(0).lower().startswith("the"):
            return None
        anchor = ctx.anchor
        if unit in self.lex.parts_of_day:
            code = self.lex.parts_of_day[unit]
            if rel == "last" and unit in ("night", "evening"):
                return Reading("TIME", shift_day(anchor, -1) + "T" + code)
            if rel == "this":
                return Reading("TIME", shift_day(anchor, 0) + "T" + code)
            return None
        if anchor is None:
            return Reading("DATE", {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                                    "year": "XXXX", "decade": "XXXX", "century": "XX"}.get(unit, "XXXX"))
        if unit == "year":
            return Reading("DATE", f"{anchor.year + k:04d}")
        if unit == "month":
            y, mo = tv.shift_month(anchor.year, anchor.month, k)
            return Reading("DATE", f"{y:04d}-{mo:02d}")
        if unit == "week":
            return Reading("DATE", tv.week_value(anchor + timedelta(weeks=k)))
        if unit == "weekend":
            if k == 0:
                k = 0 if self.direction(m, ctx) == FUTURE else -1 if anchor.isoweekday() < 6 else 0
            saturday = tv.weekday_date(anchor, 6, FUTURE) + timedelta(weeks=k)
            if k < 0 and anchor.isoweekday() >= 6:
                saturday = tv.weekday_date(anchor, 6, PAST, strict=True)
            return Reading("DATE", tv.week_value(saturday) + "-WE")
        if unit == "decade":
            return Reading("DATE", f"{anchor.year // 10 + k:03d}X")
        if unit == "century":
            return Reading("DATE", f"{anchor.year // 100 + k:02d}")
        return None

    def the_weekend(self, m: re.Match[str], ctx: Context) -> Reading | None:
        if ctx.anchor is None:
            return Reading("DATE", "XXXX-WXX-WE")
        direction = self.direction(m, ctx)
        saturday = tv.weekday_date(ctx.anchor, 6, direction)
        return Reading("DATE", tv.week_value(saturday) + "-WE")

    def deictic(self, m: re.Match[str], ctx: Context) -> Reading | None:
        word = m["word"].lower()
        value = shift_day(ctx.anchor, self.lex.deictic_days[word])
        if m["pod"]:
            return Reading("TIME", value + "T" + self.lex.parts_of_day[m["pod"].lower()])
        if word == "tonight":
            return Reading("TIME", value + "TNI")
        return Reading("DATE", value)

    def weekday(self, m: re.Match[str], ctx: Context) -> Reading | None:
        wd = self.lex.weekdays[m["wd"].lower()]
        nxt = ctx.text[m.end("wd"):m.end("wd") + 20].lower().lstrip(" ")
        if any(nxt.startswith(b) for b in self.lex.weekday_blockers) or ctx.text[m.end("wd"):m.end("wd") + 1] == "s" and not m["pod"]:
            return None
        rel = (m["rel"] or "").lower()
        pod = self.lex.parts_of_day.get((m["pod"] or "").lower())
        if ctx.anchor is None:
            return Reading("TIME" if pod else "DATE", f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""))
        if rel in ("last", "previous", "this past"):
            day = tv.weekday_date(ctx.anchor, wd, PAST, strict=True)
        elif rel in ("next", "coming", "this coming", "upcoming"):
            day = tv.weekday_date(ctx.anchor, wd, FUTURE, strict=True)
        else:
            day = tv.weekday_date(ctx.anchor, wd, self.direction(m, ctx))
        if pod:
            return Reading("TIME", f"{day.isoformat()}T{pod}")
        return Reading("DATE", day.isoformat())

    def ago(self, m: re.Match[str], ctx: Context) -> Reading | None:
        unit = self.lex.units[m["unit"].lower()]
        word = m["dir"].lower()
        if m["num"]:
            amount = self.t.number(m["num"])
        else:
            amount = None if m["unit"].lower().endswith("s") else 1.0
        sign = 1 if word in ("later", "from now", "hence") else -1
        if amount is None:
            return Reading("DATE", "FUTURE_REF" if sign > 0 else "PAST_REF")
        if amount != int(amount) or unit in ("H", "MIN", "S"):
            return None
        n = int(amount) * sign
        anchor = ctx.anchor
        if unit == "Y" and ctx.focus_quarter and abs(n) == 1:
            y, q = tv.shift_quarter(*ctx.focus_quarter, 4 * n)
            return Reading("DATE", f"{y:04d}-Q{q}")
        if anchor is None:
            return Reading("DATE", {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX"}.get(unit, "XXXX"))
        if unit == "D":
            return Reading("DATE", (anchor + timedelta(days=n)).isoformat())
        if unit == "W":
            return Reading("DATE", tv.week_value(anchor + timedelta(weeks=n)))
        if unit == "M":
            y, mo = tv.shift_month(anchor.year, anchor.month, n)
            return Reading("DATE", f"{y:04d}-{mo:02d}")
        if unit == "Q":
            y, q = tv.shift_quarter(anchor.year, tv.quarter_of(anchor), n)
            return Reading("DATE", f"{y:04d}-Q{q}")
        if unit == "Y":
            return Reading("DATE", f"{anchor.year + n:04d}")
        if unit == "DE":
            return Reading("DATE", f"{(anchor.year + 10 * n) // 10:03d}X")
        if unit == "CE":
            return Reading("DATE", f"{(anchor.year + 100 * n) // 100:02d}")
        return None

    def year_ago_adj(self, m: re.Match[str], ctx: Context) -> Reading | None:
        if ctx.focus_quarter:
            y, q = tv.shift_quarter(*ctx.focus_quarter, -4)
            return Reading("DATE", f"{y:04d}-Q{q}")
        if ctx.anchor is None:
            return Reading("DATE", "XXXX")
        return Reading("DATE", f"{ctx.anchor.year - 1:04d}")

    def reference(self, m: re.Match[str], ctx: Context) -> Reading | None:
        word = m["ref"].lower()
        nxt = _next_word(ctx.text, m.end()).lower()
        if nxt in self.lex.reference_blockers.get(word, ()):
            return None
        if word == "now" and _next_word(ctx.text, m.end()).lower() == "that":
            return Reading("DATE", "PRESENT_REF")
        return Reading("DATE", self.lex.references[word])

    def recent_units(self, m: re.Match[str], ctx: Context) -> Reading | None:
        return Reading("DATE", "PAST_REF")

    # -- durations and sets ------------------------------------------------------
    def duration(self, m: re.Match[str], ctx: Context) -> Reading | None:
        unit_word = m["unit"].lower()
        unit = self.lex.units[unit_word]
        num = m["num"]
        rel = (m["rel"] or "").lower()
        det = (m["det"] or "").lower()
        if not num and not rel:
            return None
        if num and re.fullmatch(r"(?:19|20)\d\d", num):
            return None  # "the 1988 quarter" is a date, not 1988 quarters
        if rel == "full" and unit == "Y" and not num:
            return Reading("DATE", f"{ctx.anchor.year:04d}" if ctx.anchor else "XXXX")
        if rel == "first" and not num:
            return None
        if rel in ("next", "last", "past", "coming", "previous") and not num and not det:
            return None  # "last year" is a date, handled elsewhere
        if num and num.lower() in ("a", "an", "one") and unit in ("S",):
            return None  # "a second attack"
        if num and (num.lower() in self.lex.vague_numbers or num.lower() in ("the past few", "the last few", "the next few")):
            amount: float | None = None
        elif num:
            amount = self.t.number(num)
            if amount is None:
                return None
        else:  # "the past year" is one year, "the coming days" some days
            amount = None if unit_word.endswith("s") else 1.0
        if num and num.lower() in ("a", "an") and unit_word.endswith("s"):
            return None  # "a days" is not English; the match went astray
        value = tv.duration_value(amount, unit)
        if num and num.lower() in ("a", "an") and not rel and not det:
            prev = _prev_word(ctx.text, m.start())
            before = ctx.text[max(0, m.start() - 12):m.start()]
            if prev in ("once", "twice", "times", "percent", "%") or re.search(r"\d\S*\s*$", before):
                return Reading("SET", tv.duration_value(1.0, unit))
        return Reading("DURATION", value, span=self._drop_the_before_adjective(m, "unit"))

    def vague_plural(self, m: re.Match[str], ctx: Context) -> Reading | None:
        unit = self.lex.units[m["unit"].lower()]
        return Reading("DURATION", tv.duration_value(None, unit), span=m.span("unit"))

    def set_every(self, m: re.Match[str], ctx: Context) -> Reading | None:
        word = m["what"].lower()
        if word in self.lex.units:
            amount = self.t.number(m["num"]) if m["num"] else 1.0
            return Reading("SET", tv.duration_value(amount or 1.0, self.lex.units[word]))
        if word in self.lex.weekdays:
            return Reading("SET", f"XXXX-WXX-{self.lex.weekdays[word]}")
        if word in self.lex.months:
            return Reading("SET", f"XXXX-{self.lex.months[word]:02d}")
        if word in self.lex.parts_of_day:
            return Reading("SET", f"XXXX-XX-XXT{self.lex.parts_of_day[word]}")
        return None

    def set_adverb(self, m: re.Match[str], ctx: Context) -> Reading | None:
        unit = self.lex.set_adverbs[m["adv"].lower()]
        return Reading("SET", tv.duration_value(1.0, unit))

    # -- clock times --------------------------------------------------------------
    def clock(self, m: re.Match[str], ctx: Context) -> Reading | None:
        gd = m.groupdict()
        if gd.get("word"):
            hour, minute = (12, 0) if gd["word"].lower() == "noon" else (24, 0)
        else:
            hour = int(gd["h"])
            minute = int(gd["min"]) if gd.get("min") else 0
            ampm = (gd.get("ampm") or "").lower()
            if ampm.startswith("p") and hour < 12:
                hour += 12
            elif ampm.startswith("a") and hour == 12:
                hour = 0
            if hour > 24 or minute > 59:
                return None
        day_word = (gd.get("day") or "").lower()
        if day_word in self.lex.deictic_days:
            base = shift_day(ctx.anchor, self.lex.deictic_days[day_word])
        elif day_word in self.lex.weekdays and ctx.anchor:
            base = tv.weekday_date(ctx.anchor, self.lex.weekdays[day_word], self.direction(m, ctx)).isoformat()
        else:
            base = shift_day(ctx.anchor, 0)
        return Reading("TIME", f"{base}T{hour:02d}:{minute:02d}")

    def holiday(self, m: re.Match[str], ctx: Context) -> Reading | None:
        key = m["hol"].lower().replace("’", "'")
        rule = self.lex.holidays[key]
        year: int | None = int(m["year"]) if m["year"] else None

        def day_in(y: int) -> date:
            if rule == "EASTER":
                return tv.easter(y)
            if rule == "THANKSGIVING":
                return tv.thanksgiving(y)
            return date(y, int(rule[:2]), int(rule[3:]))

        if year is None:
            if ctx.anchor is None:
                return Reading("DATE", "XXXX-" + rule if rule[0].isdigit() else "XXXX")
            direction = self.direction(m, ctx)
            a = ctx.anchor
            year = a.year
            if direction != FUTURE and day_in(a.year) > a:
                year = a.year - 1
            elif direction == FUTURE and day_in(a.year) < a:
                year = a.year + 1
        return Reading("DATE", day_in(year).isoformat())
