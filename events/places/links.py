"""Places an event takes from what it is tied to, when no locative names one.

`attach.event_place` reads a place off a preposition next to the trigger
("in Kabul"). News often says where something happened less directly, and
each rule here reads one such tie from the sentence itself:

- a named site or gathering that begins with a toponym is where its events
  happen: "Fergana Chemical Plant supplied ...", "attended the St. Petersburg
  Economic Forum", "shelling near the Zaporizhzhia nuclear power plant";
- a domestic authority acts at home: with no place of its own, "seized by
  German authorities" happened in Germany (country precision);
- a clause continues the scene of another in the same sentence: a participle
  ("attacked a post in Zabul, killing five") or a when/while clause ("made
  his opposition clear when he attended the forum in X").

Every rule only fills a place that is still empty, so a plain locative always
wins, and each needs the tie to be written out; a place merely named in the
sentence is still not taken (EVENTS.md section 5).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

from events.models import Event, Mention, Toponym, Trigger
from events.text.tokens import CLAUSE_MARK, CLAUSE_OR_CONJUNCTION

CUES_FILE = "place_cues.json"
_SITE_GAP_WORDS = 4  # "attended in June the St. Petersburg Economic Forum"
_WORD = re.compile(r"[^\W_][\w\-’'.]*")
# "war in ", "crisis across the ": the noun right before a place's preposition
_NOUN_PREP = re.compile(r"\b([a-z]+)\s+(?:in|across|inside|throughout|of|with)\s+(?:the\s+)?$")
_CLAUSE_END = CLAUSE_MARK
_CLAUSE_BREAK = CLAUSE_OR_CONJUNCTION
# ", killing five" / ", and signing" / ", personally traveling": a participle that goes on with the clause before
_PARTICIPLE_LEAD = re.compile(r",\s*(?:and\s+)?(?:[a-z]+ly\s+)?$")


@dataclass(frozen=True)
class PlaceCues:
    """The word lists of `place_cues.json` (see its `_why` notes)."""

    site_words: frozenset[str]
    site_modifiers: frozenset[str]
    domestic_nouns: tuple[str, ...]
    domestic_types: frozenset[str]
    owned_abroad: frozenset[str]
    clause_link: re.Pattern[str]
    scene_verb: re.Pattern[str]  # what lies between a subject trigger and its scene: " engulfed ", " spread to the "
    metonymy_verbs: frozenset[str]
    seat: re.Pattern[str]  # right before a place that is someone's seat: "based in the "
    topic_nouns: frozenset[str]
    verbal_types: frozenset[str]
    verbal_gap: int

    @classmethod
    def load(cls) -> "PlaceCues":
        data = json.loads((resources.files("events") / "data" / CUES_FILE).read_text(encoding="utf-8"))
        links = "|".join(re.escape(w) for w in data["clause_links"]["words"])
        return cls(
            site_words=frozenset(data["site_words"]["words"]),
            site_modifiers=frozenset(data["site_modifiers"]["words"]),
            domestic_nouns=tuple(sorted(data["domestic_nouns"]["words"], key=len, reverse=True)),
            domestic_types=frozenset(data["domestic_nouns"]["types"]),
            # "when he attended", "while visiting", "during his visit to"
            clause_link=re.compile(rf"\b(?:{links})\s+(?:[\w’']+\s+){{0,2}}$", re.IGNORECASE),
            owned_abroad=frozenset(data["owned_abroad"]["words"]),
            scene_verb=re.compile(
                r"\s+(?:(?:have|has|had)\s+)?(?:also\s+|quickly\s+|again\s+)?(?:"
                + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data["scene_verbs"]["words"])
                + r")\s+(?:the\s+|parts\s+of\s+(?:the\s+)?|much\s+of\s+(?:the\s+)?)?",
                re.IGNORECASE,
            ),
            metonymy_verbs=frozenset(data["metonymy_verbs"]["words"]),
            seat=re.compile(
                r"\b(?:" + "|".join(re.escape(w) for w in data["seat_words"]["words"]) + r")\s+(?:in|at)\s+(?:the\s+)?$",
                re.IGNORECASE,
            ),
            topic_nouns=frozenset(data["topic_nouns"]["words"]),
            verbal_types=frozenset(data["verbal_types"]["types"]),
            verbal_gap=int(data["verbal_types"]["max_gap"]),
        )

    def topic_of_noun(self, sentence: str, top: Toponym, trigger: Trigger) -> bool:
        """A place that belongs to the noun before its preposition ("the war in Ukraine"), unless
        that noun is the trigger itself ("fighting in Kharkiv")."""
        before = _NOUN_PREP.search(sentence, max(0, top.start - 40), top.start)
        return (
            before is not None
            and before.group(1).lower() in self.topic_nouns
            and not trigger.start <= before.start(1) < trigger.end
        )

    def speaks(self, sentence: str, top: Toponym) -> bool:
        """A place name used for its government, as the subject of a speech verb ("Warsaw says")."""
        following = _WORD.search(sentence, top.end)
        return (
            following is not None
            and not sentence[top.end : following.start()].strip()
            and following.group().lower() in self.metonymy_verbs
        )

    def seat_of(self, sentence: str, top: Toponym) -> bool:
        """A place named as where someone is based ("companies based in the U.S."), not where the act is."""
        return self.seat.search(sentence, max(0, top.start - 40), top.start) is not None

    def owner_not_host(self, sentence: str, top: Toponym) -> bool:
        """A country that owns what follows it ("the U.S. embassy", "a U.S. base")."""
        if top.place is None or top.place.feature != "country":
            return False
        following = _WORD.search(sentence, top.end)
        return following is not None and following.group().lower() in self.owned_abroad


def named_site(
    sentence: str, trigger: Trigger, toponyms: Sequence[Toponym], actor_mentions: Sequence[Mention], cues: PlaceCues
) -> Toponym | None:
    """The toponym that opens a site or gathering's name, when that site is the event's actor, subject or object."""
    for top in toponyms:
        if top.place is None:
            continue
        end = site_end(sentence, top, cues)
        if end is None:
            continue
        if any(m.start < end and top.start < m.end for m in actor_mentions):
            return top
        if top.start >= trigger.end and short_gap(sentence[trigger.end : top.start]):
            return top  # its object: "attacked the Zaporizhzhia nuclear power plant"
        if end <= trigger.start and short_gap(sentence[end : trigger.start]):
            return top  # its subject: "the Kabul airport was closed"
    return None


def site_end(sentence: str, top: Toponym, cues: PlaceCues) -> int | None:
    """Where the site name that `top` opens ends ("Fergana| Chemical Plant|"), or None if it opens none."""
    if sentence[top.end : top.end + 2] in ("'s", "’s"):
        return None  # "Kazakhstan's Tengiz oil field": the country owns the site, the site is elsewhere
    end = None
    last = top.end
    for n, word in enumerate(_WORD.finditer(sentence, top.end)):
        if n >= 4 or sentence[last : word.start()].strip():
            break  # four words at most, and only spaces between them
        lower = word.group().lower()
        if lower in cues.site_words:
            end = word.end()
        elif not (word.group()[0].isupper() or lower in cues.site_modifiers):
            break
        last = word.end()
    return end


def domestic_country(event_type: str, actor_mentions: Sequence[Mention], cues: PlaceCues) -> str | None:
    """Country code of a domestic authority doing a coercive act ("seized by German authorities" -> DE)."""
    if event_type not in cues.domestic_types:
        return None
    for mention in actor_mentions:
        if mention.kind != "country" or not mention.country:
            continue
        text = mention.text.lower()
        if any(text.endswith(" " + noun) for noun in cues.domestic_nouns):
            return mention.country
    return None


def link_clauses(
    sentence: str, drafts: Sequence[tuple[Trigger, Event]], toponyms: Sequence[Toponym], cues: PlaceCues
) -> list[Event]:
    """Fill empty places and dates from another clause of the same sentence (see the module notes).

    `drafts` are the sentence's events with their triggers, in text order. A
    scene with two places ("during his visits to Azerbaijan and Armenia") says
    nothing about which one a linked event happened in, so it lends no place.
    A when/while clause is a time adjunct first of all, so it lends its date too
    ("made his opposition clear when he attended the forum in June").
    """
    events = [event for _, event in drafts]
    # a participle goes on with the clause right before it, and so on down a chain
    for i in range(1, len(drafts)):
        if _continues(sentence, drafts[i][0]):
            events[i] = _lend(events[i], events[i - 1], place=True)
    # a when/while/during clause sets the scene of the sentence's main event: the first other one
    for j, (t, _) in enumerate(drafts):
        if not cues.clause_link.search(sentence, 0, t.start):
            continue
        main = next((i for i, e in enumerate(events) if i != j and _shares_actor(e, events[j])), None)
        if main is not None:
            one_place = len(_places_after(t, toponyms, sentence)) <= 1
            events[main] = _lend(events[main], events[j], place=one_place)
    return events


def _lend(event: Event, source: Event, place: bool) -> Event:
    """`event` with the place (if `place`) and the date it lacks taken from `source`."""
    if place and event.place is None and source.place is not None:
        event = with_place_of(event, source)
    if event.date is None and source.date is not None:
        event = replace(
            event, date=source.date, date_end=source.date_end, date_precision=source.date_precision,
            date_text=source.date_text,
        )
    return event


def with_place_of(event: Event, source: Event, cost: float = 0.1, basis: str | None = None) -> Event:
    """`event` placed where `source` is; a borrowed place costs some confidence.

    `basis` names the section 5 rule that ties them (None: the source's own basis,
    as when a clause of the same sentence lends its scene).
    """
    return replace(
        event,
        place=source.place, country=source.country, admin1=source.admin1, lat=source.lat, lon=source.lon,
        geo_precision=source.geo_precision, geonames_id=source.geonames_id,
        place_basis=basis or source.place_basis,
        confidence=round(max(0.0, event.confidence - cost), 2),
    )


def _continues(sentence: str, trigger: Trigger) -> bool:
    first = trigger.text.split()[0].lower()
    return first.endswith("ing") and bool(_PARTICIPLE_LEAD.search(sentence, 0, trigger.start))


def _places_after(trigger: Trigger, toponyms: Sequence[Toponym], sentence: str) -> set[str]:
    """The distinct places named in the trigger's own clause after it."""
    stop = _CLAUSE_END.search(sentence, trigger.end)
    end = stop.start() if stop else len(sentence)
    return {t.place.name for t in toponyms if t.place is not None and trigger.end <= t.start < end}


def _shares_actor(event: Event, other: Event) -> bool:
    return not other.actors or bool(set(event.actors) & set(other.actors))


def short_gap(gap: str) -> bool:
    """A trigger and its object: "attended in June the", "struck the" (no clause between them)."""
    return not _CLAUSE_BREAK.search(gap) and len(gap.split()) <= _SITE_GAP_WORDS
