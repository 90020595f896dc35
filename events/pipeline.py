"""The extraction pipeline: the stages wired in order, and nothing else.

`Pipeline` holds the services every stage needs (built once: loading the
gazetteer is the slow part) and turns one `Article` into `Event` records.
`PipelineConfig` is the small picklable description a worker process or a
cluster node rebuilds the same pipeline from; `events.runner` maps batches
of articles over it.
"""

from __future__ import annotations

import hashlib
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from events.actors import ActorFinder, ActorLexicon, DocumentActors
from events.attach import continued_place, event_date, event_place, roles, unknown_place_name
from events.place_links import PlaceCues, domestic_country, link_clauses, named_site
from events.budget import time_limit
from events.classify import TriggerFinder
from events.errors import FAILED, InputError, InputWarning
from events.gazetteer import Gazetteer
from events.geoparse import Geoparser
from events.ingest import derive_doc_id
from events.lexicon import Lexicon
from events.limits import ArticleLimits, label, prepare
from events.ner import Entity, SpacyNER
from events.models import Article, Event, Mention, Place, Sentence, Timex, Toponym, Trigger
from events.sentences import SentenceSplitter
from events.timex import TimexTagger, find_anchor

S = TypeVar("S", Entity, Timex, Toponym)


class PlaceLookup(Protocol):
    """An online geocoder (events.online_geocoder.OnlineGeocoder) as the pipeline uses it."""

    def lookup(self, name: str, country: str | None = None) -> Place | None: ...


@dataclass(frozen=True)
class PipelineConfig:
    """Everything needed to build a `Pipeline`, small and picklable.

    A worker process or a cluster node receives this, not a pipeline: the
    gazetteer and lexicons are loaded where the work runs.
    """

    ner: str | None = None  # "spacy" adds statistical NER beside the rules
    geocoder_url: str | None = None  # optional online geocoder (Nominatim API), off by default
    geocoder_cache: str | None = None  # folder for the geocoder's answers
    gazetteer_path: str | None = None  # a gazetteer folder other than the packaged one
    language: str = "en"

    def build(self) -> "Pipeline":
        geocoder = None
        if self.geocoder_url:
            from events.online_geocoder import OnlineGeocoder

            geocoder = OnlineGeocoder(self.geocoder_url, Path(self.geocoder_cache or "data/cache"))
        gazetteer = Gazetteer.load(Path(self.gazetteer_path)) if self.gazetteer_path else None
        return Pipeline(gazetteer=gazetteer, geocoder=geocoder, ner=self.ner, config=self)


class Pipeline:
    """Services for extraction, built once and reused for every article."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        geocoder: PlaceLookup | None = None,
        ner: str | None = None,
        config: PipelineConfig | None = None,
    ) -> None:
        self.config = config or PipelineConfig(ner=ner, geocoder_url=getattr(geocoder, "url", None))
        self.gazetteer = gazetteer or Gazetteer.load()
        self.geocoder = geocoder  # optional online fallback, off unless the user asks for it
        self.ner_name = ner
        self.ner = SpacyNER() if ner == "spacy" else None  # optional statistical NER beside the rules
        self.splitter = SentenceSplitter()
        self.tagger = TimexTagger()
        self.geoparser = Geoparser(self.gazetteer)
        self.triggers = TriggerFinder(Lexicon.load())
        self.actors = ActorFinder(ActorLexicon.load(), self.gazetteer)
        self.place_cues = PlaceCues.load()

    def extract(self, article: Article) -> list[Event]:
        """Every event the article states, in text order."""
        return self.extract_counted(article)[0]

    def extract_text(
        self,
        text: str,
        published: str | None = None,
        title: str | None = None,
        doc_id: str | None = None,
        limits: ArticleLimits | None = None,
    ) -> list[Event]:
        """`extract` for a string: the Python API's shortest path.

        Raises `events.errors.InputError`, and nothing else, for input it
        cannot take: not strings, text over `limits.max_bytes` (default 1 MB),
        a time budget run out (only with `limits.timeout`; none by default),
        or a failure inside extraction (`kind` "failed", the cause chained).
        What it repairs (unpaired surrogates, a long title, a `published`
        outside 1800-2200, which then anchors nothing) it reports with
        `warnings.warn(..., InputWarning)`.
        """
        for name, value in (("text", text), ("published", published), ("title", title), ("doc_id", doc_id)):
            if value is not None and not isinstance(value, str) or name == "text" and value is None:
                raise InputError(f"{name} must be a string, not {type(value).__name__}")
        limits = limits or ArticleLimits(timeout=None)
        article, problems = prepare(Article(doc_id or derive_doc_id(text), text, title, published), limits)
        for problem in problems:
            warnings.warn(problem, InputWarning, stacklevel=2)
        try:
            with time_limit(limits.timeout, label(article)):
                return self.extract(article)
        except InputError:
            raise
        except Exception as err:  # noqa: BLE001 - the API's one documented exception, the cause chained
            detail = " ".join(str(err).split())[:200]
            raise InputError(f"{label(article)}: extraction failed: {type(err).__name__}: {detail}", FAILED) from err

    def extract_counted(self, article: Article) -> tuple[list[Event], int]:
        """The article's events and how many sentences it has (for the run summary)."""
        text = article.text
        anchor = find_anchor(article, self.tagger)
        timexes = self.tagger.tag(text, anchor)
        toponyms = self.geoparser.parse(text)
        entities = self.ner.entities(text) if self.ner is not None else []
        doc = DocumentActors()
        events: list[Event] = []
        sentences = self.splitter.split(text)
        previous: list[Event] = []
        entities = sorted(entities, key=lambda e: e.start)
        by_start = [[e.start for e in entities], [t.start for t in timexes], [t.start for t in toponyms]]
        for sentence in sentences:
            local = [
                Entity(e.start - sentence.start, e.end - sentence.start, e.text, e.kind)
                for e in _within(entities, by_start[0], sentence)
            ]
            local_timexes = [_shift(t, -sentence.start) for t in _within(timexes, by_start[1], sentence)]
            local_toponyms = [_shift_toponym(t, -sentence.start) for t in _within(toponyms, by_start[2], sentence)]
            drafts = list(self._sentence_events(article, sentence, local_timexes, local_toponyms, doc, local))
            found = link_clauses(sentence.text, drafts, local_toponyms, self.place_cues)
            if not any(t.place for t in local_toponyms):
                found = [continued_place(e, previous, sentence.text) for e in found]
            events.extend(found)
            previous = found
        return events, len(sentences)

    def _sentence_events(
        self,
        article: Article,
        sentence: Sentence,
        local_timexes: Sequence[Timex],
        local_toponyms: Sequence[Toponym],
        doc: DocumentActors,
        entities: Sequence[Entity] = (),
    ) -> Iterator[tuple[Trigger, Event]]:
        """The sentence's events with their triggers; timexes and toponyms come in sentence offsets."""
        referent = doc.last_person
        mentions = self.actors.find(sentence.text, doc, entities)
        found = self.triggers.find(sentence.text)
        triggers = _one_per_type([t for t in found if not t.argument])
        if not triggers:
            return
        for trigger in triggers:
            who = roles(sentence.text, trigger, mentions, triggers, self.gazetteer.country_name, referent)
            when = event_date(sentence.text, trigger, local_timexes, triggers)
            place, basis = self._place(sentence.text, trigger, found, local_toponyms, who.actor_mentions, mentions)
            yield trigger, Event(
                event_id=_event_id(article.doc_id, sentence, trigger),
                doc_id=article.doc_id,
                doc_title=article.title,
                sentence=sentence.text,
                char_start=sentence.start,
                char_end=sentence.end,
                trigger=trigger.text,
                type=trigger.type,
                mode=trigger.mode,
                actors=who.actors,
                targets=who.targets,
                actor_countries=who.countries,
                actor_sectors=[None] * len(who.actors),
                date=when.date if when else None,
                date_end=_end_at_precision(when),
                date_precision=when.precision if when else "none",
                date_text=when.text if when else None,
                place=place.name if place else None,
                country=place.country if place else None,
                admin1=place.admin1 if place else None,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                geo_precision=_geo_precision(place.feature) if place else "none",
                place_basis=basis,
                geonames_id=place.geonames_id if place else None,
                status="scheduled" if trigger.scheduled else "occurred",
                confidence=_confidence(bool(who.actors), when is not None, place is not None),
            )

    def _place(
        self,
        sentence: str,
        trigger: Trigger,
        triggers: Sequence[Trigger],
        toponyms: Sequence[Toponym],
        actor_mentions: Sequence[Mention],
        mentions: Sequence[Mention],
    ) -> tuple[Place | None, str | None]:
        """Where the event happened and the section 5 rule that says so, from the plainest tie to the loosest.

        A locative in the trigger's own stretch of the sentence wins; then a
        named site the event involves; then the stretch of another trigger of
        the same type (one event per type and sentence absorbs them: "claimed
        responsibility for a bombing at the embassy in Kabul"); then the online
        geocoder for an unknown locative name; last a domestic authority's country.
        """
        where = event_place(sentence, trigger, toponyms, actor_mentions, triggers, self.place_cues)
        where = where or named_site(sentence, trigger, toponyms, actor_mentions, self.place_cues)
        for sibling in triggers:
            if where is not None:
                break
            if sibling.type == trigger.type and sibling is not trigger:
                where = event_place(sentence, sibling, toponyms, actor_mentions, triggers, self.place_cues)
        if where is not None:
            return where.place, "sentence"
        if self.geocoder is not None:
            name = unknown_place_name(sentence, trigger, toponyms, mentions)
            place = self.geocoder.lookup(name) if name else None
            if place is not None:
                return place, "sentence"
        code = domestic_country(trigger.type, actor_mentions, self.place_cues)
        country = self.gazetteer.country(code) if code else None
        return country, "actor" if country is not None else None


def _one_per_type(triggers: list[Trigger]) -> list[Trigger]:
    """One event per type and sentence: several triggers of a type mostly restate one event."""
    seen: set[str] = set()
    kept = []
    for trigger in triggers:
        if trigger.type not in seen:
            seen.add(trigger.type)
            kept.append(trigger)
    return kept


def _event_id(doc_id: str, sentence: Sentence, trigger: Trigger) -> str:
    key = f"{doc_id}\t{sentence.start}\t{trigger.start}\t{trigger.type}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


_ISO_LENGTH = {"day": 10, "month": 7, "year": 4}


def _end_at_precision(when: Timex | None) -> str | None:
    """The span's end when it is written at the date's own precision, else None.

    The record contract has one `date_precision` for `date` and `date_end`; a
    span joined from two dates of different precisions ("March 3, 2024 and
    2024", found by fuzzing) keeps its start only.
    """
    if when is None or when.date_end is None:
        return None
    return when.date_end if len(when.date_end) == _ISO_LENGTH.get(when.precision) else None


def _geo_precision(feature: str) -> str:
    return {"city": "point", "other": "point", "admin1": "admin1", "country": "country", "region": "admin1"}.get(
        feature, "point"
    )


def _confidence(has_actor: bool, has_date: bool, has_place: bool) -> float:
    return round(0.4 + 0.2 * has_actor + 0.2 * has_date + 0.2 * has_place, 2)


def _within(spans: Sequence[S], starts: list[int], sentence: Sentence) -> list[S]:
    """The spans inside the sentence, found by bisecting their sorted starts (a scan of every
    span for every sentence was quadratic in the article's size)."""
    lo, hi = bisect_left(starts, sentence.start), bisect_right(starts, sentence.end)
    return [span for span in spans[lo:hi] if span.end <= sentence.end]


def _shift(t: Timex, delta: int) -> Timex:
    return Timex(t.start + delta, t.end + delta, t.text, t.type, t.value, t.date, t.date_end, t.precision)


def _shift_toponym(t: Toponym, delta: int) -> Toponym:
    return Toponym(t.start + delta, t.end + delta, t.text, t.place)
