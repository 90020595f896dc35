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

from events import __version__
from events.actors.dictionary import ActorLexicon
from events.actors.finder import ActorFinder, DocumentActors, story_country
from events.budget import time_limit
from events.errors import FAILED, InputError, InputWarning
from events.geo.gazetteer import Gazetteer
from events.geo.geoparse import Geoparser
from events.ingest.articles import derive_doc_id
from events.ingest.limits import ArticleLimits, label, prepare
from events.models import Article, Event, Place, Sentence, Timex, Toponym, Trigger
from events.places.attach import Roles, event_date, roles
from events.places.links import link_clauses
from events.places.rules import DocumentFacts, PlaceStage, dateline_place, geo_precision, place_right_before, share_scene
from events.text.ner import Entity, SpacyNER
from events.text.sentences import SentenceSplitter
from events.text.tokens import SentenceDoc
from events.time.timex import TimexTagger, find_anchor
from events.triggers.acts import frame_phrase, one_per_type
from events.triggers.classify import TriggerFinder, in_ontology
from events.triggers.confidence import ConfidenceModel
from events.triggers.lexicon import Lexicon
from events.triggers.magnitude import CasualtyReader

S = TypeVar("S", Entity, Timex, Toponym)


class PlaceLookup(Protocol):
    """An online geocoder (events.geo.online_geocoder.OnlineGeocoder) as the pipeline uses it."""

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
    # Records scored below this are not events often enough to keep (None: the model's own `keep_from`,
    # chosen on its out-of-fold table; 0 keeps every record, as the confidence model's training needs)
    min_confidence: float | None = None

    def fingerprint(self) -> str:
        """The settings that change what an article yields, with the package version: a store keys each
        article on its text and these, so a rerun with other settings extracts it again (not "unchanged")."""
        return (f"events {__version__}; ner {self.ner}; min_confidence {self.min_confidence}; "
                f"gazetteer {self.gazetteer_path}; language {self.language}; geocoder {self.geocoder_url}")

    def build(self) -> "Pipeline":
        geocoder = None
        if self.geocoder_url:
            from events.geo.online_geocoder import OnlineGeocoder

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
        self.lexicon = Lexicon.load()
        self.triggers = TriggerFinder(self.lexicon)
        self.confidence = ConfidenceModel.load()
        chosen = self.config.min_confidence
        self.min_confidence = self.confidence.keep_from if chosen is None else chosen
        self.actors = ActorFinder(ActorLexicon.load(), self.gazetteer)
        self.places = PlaceStage(self.gazetteer, geocoder)
        self.casualties = CasualtyReader()

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
        doc = DocumentActors(main_country=story_country(toponyms, text),
                             as_of=int(anchor.strftime("%Y%m%d")) if anchor else None)
        events: list[Event] = []
        facts = DocumentFacts(anchor=anchor)
        second_acts: dict[str, str] = {}  # event id of a second act of a type -> the first act's
        sentences = self.splitter.split(text)
        here = dateline_place(text, self.gazetteer)  # what "here" means in a datelined report
        entities = sorted(entities, key=lambda e: e.start)
        by_start = [[e.start for e in entities], [t.start for t in timexes], [t.start for t in toponyms]]
        for number, sentence in enumerate(sentences):
            facts.order[sentence.start] = number
            local = [
                Entity(e.start - sentence.start, e.end - sentence.start, e.text, e.kind)
                for e in _within(entities, by_start[0], sentence)
            ]
            local_timexes = [_shift(t, -sentence.start) for t in _within(timexes, by_start[1], sentence)]
            local_toponyms = self.places.scene_toponyms(
                sentence.text,
                [_shift_toponym(t, -sentence.start) for t in _within(toponyms, by_start[2], sentence)],
                here,
            )
            facts.note_scenes(sentence.start, sentence.text, local_toponyms)
            facts.note_sites(sentence.start, sentence.text, local_toponyms, self.places.cues)
            drafts = list(self._sentence_events(
                article, sentence, local_timexes, local_toponyms, doc, facts, local, second_acts))
            events.extend(link_clauses(sentence.text, drafts, local_toponyms, self.places.cues))
        events = share_scene(self.places.document(text, events, toponyms, facts), second_acts)
        events = in_ontology(events, self.lexicon.cues, self.gazetteer)  # private buying, lending: no PLOVER act
        scored = self.confidence.score(events, len(text))  # features read the whole article, so score before dropping
        return [e for e in scored if e.confidence >= self.min_confidence], len(sentences)

    def _sentence_events(
        self,
        article: Article,
        sentence: Sentence,
        local_timexes: Sequence[Timex],
        local_toponyms: Sequence[Toponym],
        doc: DocumentActors,
        facts: DocumentFacts,
        entities: Sequence[Entity] = (),
        second_acts: dict[str, str] | None = None,
    ) -> Iterator[tuple[Trigger, Event]]:
        """The sentence's events with their triggers; timexes and toponyms come in sentence offsets.

        `facts` collects what the document's place rules need (EVENTS.md section 5,
        rules 2 and 3, applied over the whole document).
        """
        referent = doc.last_person
        tokens = SentenceDoc.of(sentence.text, sentence.start)  # tokenised once, read by both finders
        mentions = self.actors.find(tokens, doc, entities)
        found = self.triggers.find(tokens)
        triggers = one_per_type([t for t in found if not t.argument], tokens, self.lexicon.cues.second_event_links)
        if not triggers:
            return
        facts.note_sentence(sentence.start, sentence.text, local_toponyms)
        # a second act of a type (see triggers.acts.one_per_type) must not take the first's actors or date away,
        # so each first act is read among the first acts only; a second act with no date of its own
        # shares the date of the act it is coordinated with ("suspended ... and expelled ... on Friday")
        firsts = one_per_type(triggers)
        dates: dict[str, Timex | None] = {}
        first_ids: dict[str, str] = {}
        read: dict[str, tuple[Roles, Place | None]] = {}
        for trigger in triggers:
            second = trigger not in firsts
            near = sorted([*firsts, trigger], key=lambda t: t.start) if second else firsts
            story = self.actors.story(trigger.text, trigger.type, doc)
            who = roles(sentence.text, trigger, mentions, near, self.gazetteer.country_name, referent, story)
            when = event_date(sentence.text, trigger, local_timexes, near)
            if second and when is None:
                when = dates.get(trigger.type)
            elif not second:
                dates[trigger.type] = when
            place = self.places.scene(sentence.text, trigger, found, local_toponyms, who.actor_mentions, mentions)
            if not second:
                read[trigger.type] = (who, place)
            elif (framed := frame_phrase(sentence.text, trigger)) and read[trigger.type][0].actors:
                # "visited Tajikistan and Turkmenistan for a Caspian summit": the first act's doers
                # take part in the act that frames it, at the place named right before the frame,
                # else where the first act happened
                host = place_right_before(sentence.text, framed.start(), local_toponyms)
                who, place = read[trigger.type][0], host or read[trigger.type][1] or place
            event_id = _event_id(article.doc_id, sentence, trigger)
            if not second:
                first_ids[trigger.type] = event_id
            elif second_acts is not None:
                second_acts[event_id] = first_ids[trigger.type]
            toll = self.casualties.read(sentence.text) if trigger.type in _CASUALTY_TYPES else None
            home = self.places.domestic(sentence.text, trigger, local_toponyms, who.actor_mentions, mentions)
            if home is not None:
                facts.domestic[event_id] = home
            yield trigger, Event(
                event_id=event_id,
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
                actor_sectors=who.sectors,
                killed=toll.killed if toll else None,
                injured=toll.injured if toll else None,
                date=when.date if when else None,
                date_end=_end_at_precision(when),
                date_precision=when.precision if when else "none",
                date_text=when.text if when else None,
                place=place.name if place else None,
                country=place.country if place else None,
                admin1=place.admin1 if place else None,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                geo_precision=geo_precision(place.feature) if place else "none",
                place_basis="sentence" if place else None,
                geonames_id=place.geonames_id if place else None,
                status="scheduled" if trigger.scheduled else "occurred",
                confidence=0.0,  # set once the article is read: events.triggers.confidence
            )


_CASUALTY_TYPES = frozenset({"ASSAULT"})  # EVENTS.md section 3: casualties are stated for attacks


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


def _within(spans: Sequence[S], starts: list[int], sentence: Sentence) -> list[S]:
    """The spans inside the sentence, found by bisecting their sorted starts (a scan of every
    span for every sentence was quadratic in the article's size)."""
    lo, hi = bisect_left(starts, sentence.start), bisect_right(starts, sentence.end)
    return [span for span in spans[lo:hi] if span.end <= sentence.end]


def _shift(t: Timex, delta: int) -> Timex:
    return Timex(t.start + delta, t.end + delta, t.text, t.type, t.value, t.date, t.date_end, t.precision)


def _shift_toponym(t: Toponym, delta: int) -> Toponym:
    return Toponym(t.start + delta, t.end + delta, t.text, t.place)
