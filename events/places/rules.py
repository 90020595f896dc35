"""Where each event happened: EVENTS.md section 5, its rules in their order, in one module.

1. `sentence`: the sentence names the scene. A locative or visit next to the
   trigger (`attach.event_place`), a site named after its town
   (`place_links.named_site`), an institution named after its town ("a Lahore
   court ordered"), a scene phrase with no place name ("in the Kenyan capital",
   "in several Nigerian cities"), another clause of the sentence that lends its
   scene (`place_links.link_clauses`), or a dateline that opens the lead
   ("HANOI: Vietnam today welcomed ...").
2. `story`: the sentence continues an incident of the story: a later report
   of the same family of acts (casualties, arrests, follow-ups on the spot)
   with no scene of its own, no clashing date and no place in another country.
3. `actor`: a domestic act of one state's institutions ("seized by German
   authorities", "Burkina Faso's government suspended a radio station").
4. Otherwise null: statements, demands, calls, and acts between distant parties.

Rule 1 reads one sentence (`PlaceStage.scene`); rules 2 and 3 read the whole
document in text order (`PlaceStage.document`), because a story's incident
is set up in one sentence and continued in the next ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from typing import Protocol

from events.geo.gazetteer import Gazetteer
from events.models import Event, Mention, Place, Toponym, Trigger
from events.places.attach import OBJECT_IS_PLACE as _OBJECT_IS_PLACE
from events.places.attach import event_place, is_locative, unknown_place_name
from events.places.links import CUES_FILE, PlaceCues, domestic_country, named_site, short_gap, site_end, with_place_of

_WORD = r"[\w\-’']+"
# "PUNO, Peru --", "TBILISI, June 21. /TASS/.", "WARSAW (Reuters) -", "HANOI:", "DHAKA –"
_DATELINE = re.compile(r"^\s*([A-Z][A-Z’'.\-]+(?:\s+[A-Z][A-Z’'.\-]+){0,3})(?=\s*(?:,|\(|:|\s[-\u2013\u2014]|\s/))")
_DATELINE_QUALIFIER = re.compile(r"\s*,\s*([A-Z][\w.\- ]{1,30}?)\s*(?:--|[-\u2013\u2014(]|$)")
# what may stand before a subject's first word: the sentence or clause start, or a determiner
_NP_OPENS = re.compile(r"(?:^|[,;:(\u2013\u2014]|\b(?:a|an|the|by|that|and|but|while|when))\s*$", re.IGNORECASE)
_SCENE_BEFORE = re.compile(r"\b(?:in|at|near|outside|across|inside|throughout)\s+(?:the\s+)?$", re.IGNORECASE)
_DEFINITE_SITE = re.compile(r"\b[Tt]he\s+([a-z]+)\b")  # "the plant": its word is looked up among named sites
_GEO_PRECISION = {"city": "point", "other": "point", "admin1": "admin1", "country": "country", "region": "admin1"}


@dataclass
class DocumentFacts:
    """What the sentence pass learns for the document pass (rules 2 and 3), filled sentence by sentence."""

    domestic: dict[str, str] = field(default_factory=dict)  # event id -> country whose institutions act at home
    countries: dict[int, set[str]] = field(default_factory=dict)  # sentence start -> countries it names
    order: dict[int, int] = field(default_factory=dict)  # sentence start -> its number in the article
    previous: dict[int, int] = field(default_factory=dict)  # sentence start -> start of the sentence before
    scenes: dict[int, set[int]] = field(default_factory=dict)  # sentence start -> GeoNames ids of its scenes
    last_start: int | None = None  # the start of the last sentence noted
    sites: dict[str, tuple[int, Place]] = field(default_factory=dict)  # site word -> last named site's sentence, place
    anchor: date | None = None  # the article's date: an undated incident happened shortly before it

    def note_sentence(self, start: int, sentence: str, toponyms: Sequence[Toponym]) -> None:
        """Record the countries of the scenes the sentence names (a place after a locative); a place
        named in passing ("passports from Tajikistan") or an actor from abroad ("the Afghanistan
        branch of the group claimed the attack") does not take the story elsewhere."""
        self.countries[start] = {
            t.place.country for t in toponyms
            if t.place is not None and t.place.country and _SCENE_BEFORE.search(sentence, max(0, t.start - 20), t.start)
        }

    def note_sites(self, start: int, sentence: str, toponyms: Sequence[Toponym], cues: PlaceCues) -> None:
        """Record the sites the sentence names after a place ("Fergana Chemical Plant"), so that a
        later "the plant" can be read as that site."""
        for top in toponyms:
            end = site_end(sentence, top, cues) if top.place is not None else None
            if end is not None and top.place is not None:
                self.sites[sentence[top.end : end].split()[-1].lower()] = (start, top.place)

    def note_scenes(self, start: int, sentence: str, toponyms: Sequence[Toponym]) -> None:
        """Record the places any sentence names as a scene, whether or not it tells an act, and
        which sentence came before it."""
        if self.last_start is not None:
            self.previous[start] = self.last_start
        self.last_start = start
        scenes = {
            t.place.geonames_id for t in toponyms
            if t.place is not None and t.place.geonames_id is not None and is_locative(sentence, t)
        }
        if scenes:
            self.scenes[start] = scenes

    def last_scene(self, incident: Event, told: int, before: int) -> int:
        """Where the incident's story was last told before `before`: a sentence after `told` that
        names its scene keeps it going ("was received with a guard of honour at the presidential
        palace here" between a visit and its state dinner)."""
        if incident.geonames_id is None:
            return told
        return max(
            (s for s, ids in self.scenes.items() if told < s < before and incident.geonames_id in ids), default=told
        )


class PlaceLookup(Protocol):
    """An online geocoder (events.geo.online_geocoder.OnlineGeocoder) as the place stage uses it."""

    def lookup(self, name: str, country: str | None = None) -> Place | None: ...


@dataclass(frozen=True)
class StoryCues:
    """The document-level word lists of `place_cues.json`."""

    institution: re.Pattern[str]
    state_body: re.Pattern[str]  # rule 3: "Burkina Faso's junta-led government", "Kenya's High Court"
    capital: re.Pattern[str]
    capital_of: re.Pattern[str]
    demonym_places: re.Pattern[str]
    experiencer: re.Pattern[str]  # between a place and the act it underwent: " underwent two military "
    the_country: re.Pattern[str]  # after an act whose object is a place: " the country"
    own_object: re.Pattern[str]  # what a state closes at home: "border crossing", "airspace"
    own_types: frozenset[str]
    open_span: re.Pattern[str]  # right before a date that starts an act still going on: "since "
    told_before: str  # what opens a sentence before a trigger that names an act already told
    here: re.Pattern[str]  # words that stand for the dateline's town: "at the Presidential Palace here"
    families: dict[str, str]  # event type -> family name
    sentence_families: frozenset[str]
    excluded_modes: frozenset[str]
    max_days: int
    max_sentences: int

    @classmethod
    def load(cls) -> "StoryCues":
        data = json.loads((resources.files("events") / "data" / CUES_FILE).read_text(encoding="utf-8"))
        nouns = _alternation(data["institution_nouns"]["words"])
        bodies = _alternation(data["institution_nouns"]["words"] + data["domestic_nouns"]["words"])
        phrases = data["scene_phrases"]
        capitals = _alternation(phrases["capital_words"])
        families = {t: name for name, types in data["story"]["families"].items() for t in types}
        return cls(
            # "Kenya's High Court", "a Lahore court", "the Moscow city government": the noun closes the name
            institution=re.compile(rf"(?:['’]s)?\s+(?:{_WORD}\s+){{0,2}}?(?:{nouns})\b", re.IGNORECASE),
            state_body=re.compile(rf"(?:['’]s)?\s+(?:{_WORD}\s+){{0,2}}?(?:{bodies})\b", re.IGNORECASE),
            capital=re.compile(rf"\b({_WORD})\s+(?:{capitals})\b(?!\s*,\s*[A-Z])", re.IGNORECASE),
            capital_of=re.compile(rf"\b(?:{capitals})\s+of\s+(?:the\s+)?$", re.IGNORECASE),
            demonym_places=re.compile(rf"\b({_WORD})\s+(?:{_alternation(phrases['place_nouns'])})\b"),
            experiencer=re.compile(
                rf"\s*(?:(?:has|have|had)\s+)?(?:also\s+|already\s+)?"
                rf"(?:{_alternation(phrases['experiencer_verbs'])})\s+(?:{_WORD}\s+){{0,3}}",
                re.IGNORECASE,
            ),
            the_country=re.compile(rf"\s+(?:the|that)\s+(?:{_alternation(phrases['place_anaphors'])})\b"),
            own_object=re.compile(
                rf"(?:{_WORD}\s+){{0,4}}?(?:{_alternation(data['own_objects']['words'])})\b", re.IGNORECASE
            ),
            own_types=frozenset(data["own_objects"]["types"]),
            open_span=re.compile(rf"\b(?:{_alternation(data['story']['open_span_words'])})\s+$", re.IGNORECASE),
            told_before=rf"\s*(?:{_alternation(data['story']['told_before'])})\s+",
            here=re.compile(rf"\b(?:{_alternation(phrases['dateline_words'])})\b"),
            families=families,
            sentence_families=frozenset(data["story"]["sentence_families"]),
            excluded_modes=frozenset(data["story"]["excluded_modes"]),
            max_days=int(data["story"]["max_days"]),
            max_sentences=int(data["story"]["max_sentences"]),
        )


class PlaceStage:
    """Applies the section 5 rules; built once per pipeline (it holds the gazetteer and cue lists)."""

    def __init__(self, gazetteer: Gazetteer, geocoder: PlaceLookup | None = None) -> None:
        self.gazetteer = gazetteer
        self.geocoder = geocoder
        self.cues = PlaceCues.load()
        self.story_cues = StoryCues.load()

    # -- rule 1: the sentence names the scene -------------------------------------------------

    def scene_toponyms(self, sentence: str, toponyms: Sequence[Toponym], here: Place | None = None) -> list[Toponym]:
        """The sentence's toponyms, with scene phrases that name a place without its name.

        "the capital of Kenya" stands for Nairobi, "the Kenyan capital" too;
        "several Nigerian cities" for Nigeria. In a datelined report, "here"
        stands for the dateline's town (`here`): "a ceremony at the
        Presidential Palace here". They are added as toponyms so that the
        locative rules treat them like any place name.
        """
        found: list[Toponym] = []
        for top in toponyms:
            if top.place is not None and top.place.feature == "country" and self.story_cues.capital_of.search(
                sentence, max(0, top.start - 30), top.start
            ):
                capital = self.gazetteer.capital(top.place.country or "")
                found.append(replace(top, place=capital) if capital else top)
            else:
                found.append(top)
        taken = [(t.start, t.end) for t in toponyms]
        for pattern, to_place in (
            (self.story_cues.capital, self.gazetteer.capital),
            (self.story_cues.demonym_places, self.gazetteer.country),
        ):
            for match in pattern.finditer(sentence):
                code = self.gazetteer.demonym(match.group(1))
                if code is None or any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                place = to_place(code)
                if place is not None:
                    found.append(Toponym(match.start(), match.end(), match.group(), place))
                    taken.append(match.span())
        if here is not None:
            for match in self.story_cues.here.finditer(sentence):
                if not any(s < match.end() and match.start() < e for s, e in taken):
                    found.append(Toponym(match.start(), match.end(), match.group(), here))
        return sorted(found, key=lambda t: t.start)

    def scene(
        self,
        sentence: str,
        trigger: Trigger,
        triggers: Sequence[Trigger],
        toponyms: Sequence[Toponym],
        actor_mentions: Sequence[Mention],
        mentions: Sequence[Mention],
    ) -> Place | None:
        """Where the sentence says the event happened, from the plainest tie to the loosest.

        A locative in the trigger's own stretch of the sentence wins; then a
        named site the event involves; then the stretch of another trigger of
        the same type (one event per type and sentence absorbs them: "claimed
        responsibility for a bombing at the embassy in Kabul"); then an
        institution named after its town; last the online geocoder for an
        unknown locative name.
        """
        cues = self.cues
        where = event_place(sentence, trigger, toponyms, actor_mentions, triggers, cues)
        where = where or named_site(sentence, trigger, toponyms, actor_mentions, cues)
        for sibling in triggers:
            if where is not None:
                break
            if sibling.type == trigger.type and sibling is not trigger:
                where = event_place(sentence, sibling, toponyms, actor_mentions, triggers, cues)
        where = where or self._institution(sentence, trigger, triggers, toponyms)
        where = where or self._experiencer(sentence, trigger, toponyms)
        where = where or self._the_country(sentence, trigger, toponyms, actor_mentions)
        if where is not None:
            return where.place
        if self.geocoder is not None:
            name = unknown_place_name(sentence, trigger, toponyms, mentions)
            return self.geocoder.lookup(name) if name else None
        return None

    def _institution(
        self, sentence: str, trigger: Trigger, triggers: Sequence[Trigger], toponyms: Sequence[Toponym]
    ) -> Toponym | None:
        """A town's or region's court, police or government that is the trigger's subject acts there."""
        lo = max((t.end for t in triggers if t.end <= trigger.start), default=0)
        for top in toponyms:
            if top.place is None or top.place.feature == "country" or not lo <= top.start < trigger.start:
                continue
            if not _NP_OPENS.search(sentence, 0, top.start):
                continue  # "cited Lahore police reports": the institution is no subject here
            match = self.story_cues.institution.match(sentence, top.end)
            if match is not None and not re.search(r"[,;:()]", sentence[match.end() : trigger.start]):
                return top
        return None

    def _experiencer(self, sentence: str, trigger: Trigger, toponyms: Sequence[Toponym]) -> Toponym | None:
        """A place that underwent the act is its scene: "In 2022, Burkina Faso underwent two military
        coups", "Kenya has seen weeks of protests" (the place is the subject, the act the object)."""
        for top in toponyms:
            if top.place is None or top.end > trigger.start or not _NP_OPENS.search(sentence, 0, top.start):
                continue
            if self.story_cues.experiencer.fullmatch(sentence, top.end, trigger.start):
                return top
        return None

    def _the_country(
        self, sentence: str, trigger: Trigger, toponyms: Sequence[Toponym], actor_mentions: Sequence[Mention]
    ) -> Toponym | None:
        """"invaded the country", "visited the country": the country the sentence named last before
        the act's subject, other than the subject's own ("one of Ukraine's allies since Russia invaded the country")."""
        if trigger.type not in _OBJECT_IS_PLACE or not self.story_cues.the_country.match(sentence, trigger.end):
            return None
        subject = max((m for m in actor_mentions if m.end <= trigger.start), key=lambda m: m.end, default=None)
        named = [
            t for t in toponyms
            if t.place is not None and t.place.feature == "country" and t.end <= trigger.start
            and (subject is None or (t.end <= subject.start and t.place.country != subject.country))
        ]
        return named[-1] if named else None

    def _closes_own(self, sentence: str, trigger: Trigger, actor_mentions: Sequence[Mention]) -> str | None:
        """A state that closes or reopens its own border, crossing or airspace acts at home: "Poland
        is to close a key border crossing with Belarus" (rule 3). The state is the act's subject."""
        if trigger.type not in self.story_cues.own_types:
            return None
        if not self.story_cues.own_object.match(sentence, trigger.start, min(len(sentence), trigger.end + 30)):
            return None
        subject = max((m for m in actor_mentions if m.end <= trigger.start), key=lambda m: m.end, default=None)
        if subject is None or subject.kind != "country" or not subject.country:
            return None
        if re.search(r"[,;:()]", sentence[subject.end : trigger.start]):
            return None
        return subject.country

    def domestic(
        self,
        sentence: str,
        trigger: Trigger,
        toponyms: Sequence[Toponym],
        actor_mentions: Sequence[Mention],
        mentions: Sequence[Mention] = (),
    ) -> str | None:
        """The country whose own institutions do this act at home (rule 3): "seized by German
        authorities", "Kenya's High Court suspended", "the closure, ordered by a Russian court"
        (the act's actors first, then any state body the sentence names)."""
        code = domestic_country(trigger.type, actor_mentions, self.cues)
        code = code or domestic_country(trigger.type, mentions, self.cues)
        code = code or self._closes_own(sentence, trigger, actor_mentions)
        if code is not None or trigger.type not in self.cues.domestic_types:
            return code
        for top in toponyms:
            if top.place is None or top.place.feature != "country" or top.end > trigger.start:
                continue
            if not _NP_OPENS.search(sentence, 0, top.start):
                continue
            match = self.story_cues.state_body.match(sentence, top.end)
            if match is not None and not re.search(r"[,;:()]", sentence[match.end() : trigger.start]):
                return top.place.country
        return None

    # -- rules 2 and 3: the story and the actor's state, over the whole document -------------

    def document(
        self, text: str, events: Sequence[Event], toponyms: Sequence[Toponym], facts: DocumentFacts
    ) -> list[Event]:
        """Every event with the place rules 1 (dateline, same sentence), 2 and 3 give it, in text order.

        `facts.domestic` maps an event id to the country of the state
        institutions that act in it (from `domestic`); a sentence naming a
        country the incident does not involve (`facts.countries`) breaks off a story.
        """
        domestic = facts.domestic
        events = self._within_sentences(list(events))
        events = self._dateline(text, events, toponyms)
        incidents: dict[str, Event] = {}
        last_told: dict[str, int] = {}  # family -> start of the sentence that last told its incident
        acts_in: dict[int, list[Event]] = {}  # sentence start -> its acts (no statements), as placed
        out: list[Event] = []
        for event in events:
            family = self._family(event)
            if event.place is None and family is not None:
                incident = incidents.get(family)
                if incident is not None:
                    last_told[family] = facts.last_scene(incident, last_told[family], event.char_start)
                if incident is not None and incident.char_start < event.char_start and self._continues(
                    event, incident, last_told[family], facts
                ):
                    event = with_place_of(event, incident, basis="story")
                    last_told[family] = event.char_start
            if event.place is None and event.type not in self.cues.verbal_types and self._told_before(event):
                source = _referent(event, acts_in.get(facts.previous.get(event.char_start, -1), []))
                if source is not None and source.place is not None and (
                    facts.domestic.get(event.event_id, source.country) == source.country
                ):
                    event = with_place_of(event, source, basis="story")
            if event.place is None and event.type not in self.cues.verbal_types:
                site = self._site_told_before(event, facts)
                if site is not None:
                    event = placed(event, site, "story")
            if event.place is None and event.event_id in domestic:
                country = self.gazetteer.country(domestic[event.event_id])
                if country is not None:
                    event = placed(event, country, "actor")
            if event.type not in self.cues.verbal_types and event.mode not in self.story_cues.excluded_modes:
                acts_in.setdefault(event.char_start, []).append(event)
            if event.place is not None and family is not None and event.place_basis != "story":
                incidents[family] = event
                last_told[family] = event.char_start
            out.append(event)
        return out

    def _within_sentences(self, events: list[Event]) -> list[Event]:
        """An unplaced event takes the scene of an event of its family in the same sentence:
        "clashes continued in Bangladesh as authorities shut down mobile internet"."""
        by_sentence: dict[int, list[int]] = {}
        for i, event in enumerate(events):
            by_sentence.setdefault(event.char_start, []).append(i)
        for members in by_sentence.values():
            for i in members:
                family = self._family(events[i])
                if events[i].place is not None or family not in self.story_cues.sentence_families:
                    continue
                source = next(
                    (events[j] for j in members if events[j].place is not None and self._family(events[j]) == family),
                    None,
                )
                if source is not None:
                    events[i] = with_place_of(events[i], source, basis="sentence")
        return events

    def _dateline(self, text: str, events: list[Event], toponyms: Sequence[Toponym]) -> list[Event]:
        """A dateline city is the scene of the lead sentence's unplaced acts, unless that sentence
        names a place in another country ("SAN DIEGO — ships arrived in Havana")."""
        if not events:
            return events
        place = dateline_place(text, self.gazetteer)
        if place is None:
            return events
        lead_start = min(e.char_start for e in events)
        if lead_start > 0 and text[:lead_start].strip():
            return events  # the dateline's sentence holds no event
        lead_end = next(e.char_end for e in events if e.char_start == lead_start)
        if _foreign_places(toponyms, lead_start, lead_end, place.country):
            return events
        return [
            placed(e, place, "sentence")
            if e.char_start == lead_start and e.place is None and e.type in self.story_cues.families else e
            for e in events
        ]

    def _site_told_before(self, event: Event, facts: DocumentFacts) -> Place | None:
        """The place of a site an earlier sentence named, when the event's subject or object is that
        site again: "Fergana Chemical Plant supplied ..." then "the plant supplied 2,700 tons"."""
        at = event.sentence.find(event.trigger)
        for match in _DEFINITE_SITE.finditer(event.sentence):
            named = facts.sites.get(match.group(1).lower())
            if named is None or at < 0 or not named[0] < event.char_start:
                continue
            gap = facts.order.get(event.char_start, 0) - facts.order.get(named[0], 0)
            if gap > self.story_cues.max_sentences:
                continue
            if match.end() <= at and short_gap(event.sentence[match.end() : at]):
                return named[1]
            if match.start() >= at + len(event.trigger) and short_gap(event.sentence[at + len(event.trigger) : match.start()]):
                return named[1]
        return None

    def _told_before(self, event: Event) -> bool:
        """Whether the sentence opens on its trigger as an act already told: "The closure, ordered by
        a Russian court, followed ...", "The attack was claimed by ..." (the act of the sentence before)."""
        pattern = self.story_cues.told_before
        return re.match(pattern + re.escape(event.trigger) + r"\b", event.sentence) is not None

    def _family(self, event: Event) -> str | None:
        """The family of acts whose reports continue one another's incident; None for a call."""
        if event.mode in self.story_cues.excluded_modes:
            return None
        return self.story_cues.families.get(event.type)

    def _continues(self, event: Event, incident: Event, last_told: int, facts: DocumentFacts) -> bool:
        """Same family (checked by the caller), told not far after, no scene in a third country, no
        other state's own institutions acting, no clashing date, and no plan continuing a past act."""
        gap = facts.order.get(event.char_start, 0) - facts.order.get(last_told, 0)
        if gap > self.story_cues.max_sentences:
            return False
        involved = {incident.country, *facts.countries.get(incident.char_start, ())}
        if facts.countries.get(event.char_start, set()) - involved:
            return False
        home = facts.domestic.get(event.event_id)
        if home is not None and home != incident.country:
            return False  # "the closure, ordered by a Russian court": Russia's act, whatever the story
        if event.status == "scheduled" and incident.status != "scheduled" and not incident.date:
            return False  # a plan continues an ongoing visit of known date, not some earlier act
        if self._still_going(event):
            # "fighting has been ongoing since May 10": the act runs up to the incident
            reached = incident.date or (facts.anchor.isoformat() if facts.anchor else None)
            return reached is None or event.date is None or reached[: len(event.date)] >= event.date
        return _dates_close(event, incident, self.story_cues.max_days, facts.anchor)

    def _still_going(self, event: Event) -> bool:
        """Whether the event's date is where an act began that still goes on ("since May 10, 2024")."""
        if not event.date_text:
            return False
        at = event.sentence.find(event.date_text)
        return at > 0 and self.story_cues.open_span.search(event.sentence, 0, at) is not None


def _referent(event: Event, acts: Sequence[Event]) -> Event | None:
    """The act of the sentence before that "The closure" or "The attack" names: one of its own type
    if that sentence told one (placed or not), else its last act."""
    same = [a for a in acts if a.type == event.type]
    return same[-1] if same else (acts[-1] if acts else None)


def dateline_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """The town of an opening dateline ("PUNO, Peru --" -> Puno, PE), or None without one."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    qualifier = _DATELINE_QUALIFIER.match(text, match.end())
    country = None
    if qualifier is not None:
        named = [p for p in gazetteer.candidates(qualifier.group(1).strip()) if p.feature == "country"]
        country = named[0].country if named else None
    towns = [p for p in gazetteer.candidates(match.group(1)) if p.feature in ("city", "admin1")]
    if country is not None:
        towns = [p for p in towns if p.country == country] or towns
    # a report is filed from a town: "KABUL" is the city, not the province around it
    towns.sort(key=lambda p: p.feature != "city")
    return towns[0] if towns else None


def placed(event: Event, place: Place, basis: str) -> Event:
    """`event` at `place`, found by the section 5 rule `basis`."""
    return replace(
        event, place=place.name, country=place.country, admin1=place.admin1, lat=place.lat, lon=place.lon,
        geo_precision=geo_precision(place.feature), geonames_id=place.geonames_id, place_basis=basis,
    )


def geo_precision(feature: str) -> str:
    return _GEO_PRECISION.get(feature, "point")


def _foreign_places(toponyms: Sequence[Toponym], start: int, end: int, country: str | None) -> bool:
    """Whether the span names a resolved place outside `country`."""
    return any(
        start <= t.start < end and t.place is not None and t.place.country and t.place.country != country
        for t in toponyms
    )


def _dates_close(event: Event, incident: Event, max_days: int, anchor: date | None = None) -> bool:
    """Undated reports continue any incident; dated ones only one within `max_days` (or the same
    month or year, at the coarser of the two precisions). An undated incident is news of the
    days before the article's `anchor`: "Bazoum was overthrown on July 26", in a story of
    August 11 about a suspension, is another incident."""
    if event.date and not incident.date and anchor is not None and len(event.date) == 10:
        day = date.fromisoformat(event.date)
        return anchor - date.resolution * (7 + max_days) <= day <= anchor + date.resolution * max_days
    if not event.date or not incident.date:
        return True
    if len(event.date) == 10 and len(incident.date) == 10:
        a, b = date.fromisoformat(event.date), date.fromisoformat(incident.date)
        end = date.fromisoformat(incident.date_end) if incident.date_end and len(incident.date_end) == 10 else b
        return (b - date.resolution * max_days) <= a <= (end + date.resolution * max_days)
    n = min(len(event.date), len(incident.date))
    return event.date[:n] == incident.date[:n]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def share_scene(events: list[Event], second_acts: dict[str, str]) -> list[Event]:
    """A second act with no place of its own happened where the act it is coordinated with did
    ("he concluded ten agreements and pledged to increase trade" during a visit)."""
    if not second_acts:
        return events
    by_id = {e.event_id: e for e in events}
    out = []
    for event in events:
        first = by_id.get(second_acts.get(event.event_id, ""))
        if first is not None and event.place is None and first.place is not None:
            event = replace(event, **{f: getattr(first, f) for f in _SCENE_FIELDS})
        out.append(event)
    return out


_SCENE_FIELDS = ("place", "country", "admin1", "lat", "lon", "geo_precision", "place_basis", "geonames_id")


def place_right_before(sentence: str, at: int, toponyms: Sequence[Toponym]) -> Place | None:
    """The place named just before `at` with only a space between: in "visited Oslo and Geneva for
    a conference", what the frame phrase at `at` ("for a conference") is attached to."""
    for top in toponyms:
        if top.place is not None and top.end <= at and not sentence[top.end : at].strip():
            return top.place
    return None
