"""Calendar arithmetic behind TimeML values, kept apart from the pattern finder.

`events.time.timex` decides *what* an expression says ("the Friday before the
anchor", "the quarter two back"); the pure functions here turn that into a
TimeML value string and back into the calendar reading an event record uses
(`date`, `date_end`, `precision`). Keeping them free of regexes makes the
date rules testable on their own and reusable by the benchmark scorer.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from events.models import MAX_YEAR, MIN_YEAR

PAST = -1
FUTURE = 1
NEAREST = 0  # no tense to go by: whichever side is closer

_QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_HALF_MONTHS = {1: (1, 6), 2: (7, 12)}
# Seasons by the northern meteorological convention; winter straddles the
# new year, so it gets no month span of its own year.
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}

_DAY_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:T.*)?$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d\d)$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF_RE = re.compile(r"^(\d{4})-H([12])$")
_SEASON_RE = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d\d)(-WE)?$")
_DECADE_RE = re.compile(r"^(\d{3})X$")


def shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    """Move k months, carrying into the year."""
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def shift_years_safe(day: date, k: int) -> date:
    """Move k years; 29 February falls back to the 28th rather than failing."""
    try:
        return day.replace(year=day.year + k)
    except ValueError:
        return day.replace(year=day.year + k, day=28)


def week_value(day: date) -> str:
    """ISO week of a day, as TimeML writes it ("2024-W11")."""
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, k: int) -> tuple[int, int]:
    idx = year * 4 + (quarter - 1) + k
    return idx // 4, idx % 4 + 1


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def closest_year(month: int, day: int | None, anchor: date, direction: int) -> int:
    """Year that puts month (and day) closest to the anchor on the given side.

    The anchor's own month (or day) counts as on either side, so "in March"
    written in March is this March whatever the tense.
    """
    key = (month, day or 0)
    ref = (anchor.month, anchor.day if day is not None else 0)
    if direction == NEAREST:
        def gap(year: int) -> int:
            return abs((year * 12 + month) * 31 + (day or 0) - ((anchor.year * 12 + anchor.month) * 31 + ref[1]))
        year = min((anchor.year - 1, anchor.year, anchor.year + 1), key=gap)
    elif direction == PAST:
        year = anchor.year if key <= ref else anchor.year - 1
    else:
        year = anchor.year if key >= ref else anchor.year + 1
    if day is not None:
        for _ in range(8):  # 29 February: step to the nearest leap year
            if valid_day(year, month, day):
                break
            year += direction
    return year


def weekday_date(anchor: date, weekday: int, direction: int, strict: bool = False) -> date:
    """The given ISO weekday nearest the anchor on one side (the anchor itself
    counts unless strict, since "on Friday" in a Friday article means today)."""
    delta = (weekday - anchor.isoweekday()) % 7
    if direction == NEAREST:
        # News reports what happened: a bare weekday is the last one, unless
        # it is tomorrow.
        direction = FUTURE if delta == 1 else PAST
    if direction == FUTURE:
        if strict and delta == 0:
            delta = 7
        return anchor + timedelta(days=delta)
    back = (anchor.isoweekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    offset = (4 - first.isoweekday()) % 7
    return first + timedelta(days=offset + 21)


def duration_value(amount: float | None, unit: str) -> str:
    """TimeML duration for an amount of a unit code; None amount means vague ("X").

    Decades and centuries are written in years (P20Y), as TempEval-3 gold does.
    """
    if unit in ("DE", "CE"):
        if amount is None:
            return "PXDE" if unit == "DE" else "PXCE"
        amount = amount * (10 if unit == "DE" else 100)
        unit = "Y"
    if unit == "WE":
        unit, amount = "D", (None if amount is None else amount * 2)
    time_unit = {"H": "H", "MIN": "M", "S": "S"}.get(unit)
    if amount is None:
        return f"PTX{time_unit}" if time_unit else f"PX{unit}"
    if amount != int(amount):
        # Half units read as the next smaller unit: "half a year" -> P6M.
        smaller = {"Y": (12, "M"), "M": (30, "D"), "D": (12, "H"), "W": (7, "D"), "H": (30, "MIN")}
        if unit in smaller:
            factor, sub = smaller[unit]
            return duration_value(amount * factor, sub)
    n = int(amount)
    return f"PT{n}{time_unit}" if time_unit else f"P{n}{unit}"


def calendar_reading(value: str | None, value_end: str | None = None) -> tuple[str | None, str | None, str]:
    """(date, date_end, precision) for an event record from a TimeML value.

    A span that is not a day, month or year (a quarter, a season, an ISO week,
    a decade) is read as its first and last unit at the finest precision that
    states no more than the text does: "2022-Q3" -> 2022-07..2022-09 (month),
    "2024-W11" -> its month(s), "199X" -> 1990..1999 (year). Values that are
    not calendar positions (durations, PRESENT_REF, unresolved XXXX) give none.
    """
    if not value:
        return None, None, "none"
    start, end, precision = _reading_of(value)
    if value_end and start is not None:
        end_start, end_end, end_precision = _reading_of(value_end)
        if end_precision == precision and end_start is not None:
            end = end_end or end_start
            if end == start:
                end = None
    if start is not None and not _in_years(start) or end is not None and not _in_years(end):
        return None, None, "none"  # no event is dated outside MIN_YEAR..MAX_YEAR (EVENTS.md dates are news dates)
    return start, end, precision


def _in_years(iso: str) -> bool:
    return iso[:4].isdigit() and MIN_YEAR <= int(iso[:4]) <= MAX_YEAR


def _reading_of(value: str) -> tuple[str | None, str | None, str]:
    m = _DAY_RE.match(value)
    if m:
        return f"{m[1]}-{m[2]}-{m[3]}", None, "day"
    if _MONTH_RE.match(value):
        return value, None, "month"
    if _YEAR_RE.match(value):
        return value, None, "year"
    m = _QUARTER_RE.match(value)
    if m:
        first, last = _QUARTER_MONTHS[int(m[2])]
        return f"{m[1]}-{first:02d}", f"{m[1]}-{last:02d}", "month"
    m = _HALF_RE.match(value)
    if m:
        first, last = _HALF_MONTHS[int(m[2])]
        return f"{m[1]}-{first:02d}", f"{m[1]}-{last:02d}", "month"
    m = _SEASON_RE.match(value)
    if m:
        if m[2] == "WI":
            return f"{m[1]}-12", f"{int(m[1]) + 1:04d}-02", "month"
        first, last = _SEASON_MONTHS[m[2]]
        return f"{m[1]}-{first:02d}", f"{m[1]}-{last:02d}", "month"
    m = _WEEK_RE.match(value)
    if m:
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None, None, "none"
        if m[3]:
            return (monday + timedelta(days=5)).isoformat(), (monday + timedelta(days=6)).isoformat(), "day"
        sunday = monday + timedelta(days=6)
        first, last = monday.isoformat()[:7], sunday.isoformat()[:7]
        return first, (last if last != first else None), "month"
    m = _DECADE_RE.match(value)
    if m:
        return f"{m[1]}0", f"{m[1]}9", "year"
    return None, None, "none"


def shift_day(anchor: date | None, days: int) -> str:
    """A day value `days` from the anchor; unresolved without one."""
    return (anchor + timedelta(days=days)).isoformat() if anchor else "XXXX-XX-XX"
