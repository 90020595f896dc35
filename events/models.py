"""Typed values that flow between the pipeline stages.

Every stage takes and returns these frozen dataclasses instead of dicts, so a
stage's contract is visible in its signature and a typo in a field name fails
loudly. `Event` mirrors the record contract of EVENTS.md section 3 field for
field; `Event.to_record()` is the only place that turns it into JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One news article, whatever file format it came from."""

    doc_id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date or datetime, as given
    url: str | None = None
    source: str | None = None  # file (and line) it was read from


@dataclass(frozen=True)
class Sentence:
    """A sentence with its character span in the article text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Timex:
    """A temporal expression, with both its TimeML value and a calendar reading.

    `start`/`end` are offsets into the text that was tagged. `value` is the
    TimeML value ("2022-07-06", "2022-07", "P1M", "PRESENT_REF"); `date`,
    `date_end` and `precision` are the calendar reading an event record uses
    (null when the expression is not a calendar date or could not be anchored).
    """

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None
    date: str | None = None
    date_end: str | None = None
    precision: str = "none"  # day, month, year, none


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    name: str
    country: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    feature: str  # city, admin1, country, region, other
    admin1: str | None = None
    geonames_id: int | None = None
    population: int = 0


@dataclass(frozen=True)
class Toponym:
    """A place name found in text and what it resolved to (None: unresolved)."""

    start: int
    end: int
    text: str
    place: Place | None


@dataclass(frozen=True)
class Mention:
    """An actor mention: a span of text and the canonical entity it names."""

    start: int
    end: int
    text: str
    name: str  # canonical name ("Kassym-Jomart Tokayev", "Russia")
    kind: str  # country, person, org, group
    country: str | None = None  # ISO alpha-2 where known
    for_state: bool = False  # acts for its country (an official, a ministry), so the country acts too
    sector: str | None = None  # EVENTS.md section 3 sector (government, military, police, ...) where known


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that states an event, with its PLOVER reading."""

    start: int
    end: int
    text: str
    type: str
    mode: str | None
    scheduled: bool = False
    # the object of another trigger ("condemned the attack"): no event of its own, but it still
    # bounds its neighbours' stretches, so "the attack in Kabul" does not place the condemning
    argument: bool = False


@dataclass(frozen=True)
class Event:
    """One event record (EVENTS.md section 3)."""

    event_id: str
    doc_id: str
    doc_title: str | None
    sentence: str
    char_start: int
    char_end: int
    trigger: str
    type: str
    mode: str | None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    actor_countries: list[str] = field(default_factory=list)
    actor_sectors: list[str | None] = field(default_factory=list)  # parallel to `actors`
    killed: int | None = None
    injured: int | None = None
    date: str | None = None
    date_end: str | None = None
    date_precision: str = "none"
    date_text: str | None = None
    place: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str = "none"
    place_basis: str | None = None  # sentence, story, actor (EVENTS.md section 5); None with no place
    geonames_id: int | None = None
    status: str = "occurred"
    confidence: float = 0.5
    cluster_id: str | None = None

    def to_record(self) -> dict:
        return asdict(self)


RECORD_FIELDS: tuple[str, ...] = tuple(Event.__dataclass_fields__)


MIN_YEAR = 1800
MAX_YEAR = 2200
"""The years an anchor or an event date may have: news is dated within them, and the
calendar arithmetic of relative dates cannot overflow from inside them."""


def parse_anchor(value: str | None) -> date | None:
    """Read the date part of an ISO date or datetime; None when absent, bad or outside MIN_YEAR..MAX_YEAR."""
    if not value:
        return None
    text = str(value).strip()
    if text[:1] in ("+", "-"):
        return None  # a signed (expanded) year, never "2024"
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None
