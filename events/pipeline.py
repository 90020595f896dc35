"""The extraction pipeline: the stages wired in order, and nothing else.

`Pipeline` holds the services every stage needs (built once: loading the
gazetteer is the slow part) and turns one `Article` into `Event` records.
`extract_paths` is the one function under `events extract`, the Python API
and the dashboard's upload, so all three behave the same.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Protocol, TextIO, TypeVar

from events.actors import ActorFinder, ActorLexicon, DocumentActors
from events.attach import continued_place, event_date, event_place, roles, unknown_place_name
from events.place_links import PlaceCues, domestic_country, link_clauses, named_site
from events.classify import TriggerFinder, in_ontology
from events.confidence import ConfidenceModel
from events.cluster import assign_clusters
from events.gazetteer import Gazetteer
from events.geoparse import Geoparser
from events.ingest import IngestError, IngestWarning, derive_doc_id, read_paths
from events.lexicon import Lexicon
from events.ner import Entity, SpacyNER
from events.models import Article, Event, Mention, Place, Sentence, Timex, Toponym, Trigger
from events.sentences import SentenceSplitter
from events.store import ArticleResult, Store
from events.timex import TimexTagger, find_anchor

class PlaceLookup(Protocol):
    """An online geocoder (events.online_geocoder.OnlineGeocoder) as the pipeline uses it."""

    def lookup(self, name: str, country: str | None = None) -> Place | None: ...


BATCH_SIZE = 200  # articles per unchanged-check query and per database transaction
MAX_WORKERS = 4
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves
CHUNK_SIZE = 4  # articles per task sent to a worker process
AHEAD = BATCH_SIZE  # articles out at workers: enough to keep them busy while the parent writes a batch
Progress = Callable[[int, int | None], None]
"""on_progress(articles done, total): total is None while input is still being read, the final count at the end."""

T = TypeVar("T")


class Pipeline:
    """Services for extraction, built once and reused for every article."""

    def __init__(
        self, gazetteer: Gazetteer | None = None, geocoder: PlaceLookup | None = None, ner: str | None = None
    ) -> None:
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
        self.actors = ActorFinder(ActorLexicon.load(), self.gazetteer)
        self.place_cues = PlaceCues.load()

    def extract(self, article: Article) -> list[Event]:
        """Every event the article states, in text order."""
        return self.extract_counted(article)[0]

    def extract_text(
        self, text: str, published: str | None = None, title: str | None = None, doc_id: str | None = None
    ) -> list[Event]:
        """`extract` for a string: the Python API's shortest path."""
        return self.extract(Article(doc_id or derive_doc_id(text), text, title, published))

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
        for sentence in sentences:
            local = [
                Entity(e.start - sentence.start, e.end - sentence.start, e.text, e.kind)
                for e in entities if sentence.start <= e.start and e.end <= sentence.end
            ]
            local_timexes = [_shift(t, -sentence.start) for t in timexes if _inside(t, sentence)]
            local_toponyms = [_shift_toponym(t, -sentence.start) for t in toponyms if _inside(t, sentence)]
            drafts = list(self._sentence_events(article, sentence, local_timexes, local_toponyms, doc, local))
            found = link_clauses(sentence.text, drafts, local_toponyms, self.place_cues)
            if not any(t.place for t in local_toponyms):
                found = [continued_place(e, previous, sentence.text) for e in found]
            events.extend(found)
            previous = found
        events = in_ontology(events, self.lexicon.cues, self.gazetteer)  # private buying, lending: no PLOVER act
        return self.confidence.score(events, len(text)), len(sentences)

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
                date_end=when.date_end if when else None,
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
                confidence=0.0,  # set once the article is read: events.confidence
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


@dataclass
class ExtractSummary:
    """What one extraction run did, for the CLI's last line and the dashboard."""

    articles: int = 0
    skipped_unchanged: int = 0
    sentences: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.articles} articles ({self.skipped_unchanged} unchanged), {self.sentences} sentences, "
            f"{self.events} events, {len(self.errors)} errors, {self.seconds:.1f} s"
        )


def extract_paths(
    paths: Iterable[str | Path],
    db: Path | None,
    on_progress: Progress | None = None,
    out: TextIO | None = None,
    pipeline: Pipeline | None = None,
    on_error: Callable[[str], None] | None = None,
    workers: int | None = None,
    ner: str | None = None,
) -> ExtractSummary:
    """Extract every article under `paths` into the database `db` (and JSON Lines `out`).

    Articles are read, checked, extracted and stored as a stream, a batch at
    a time, so memory does not grow with the size of the input; each batch
    is one transaction. The number of articles is therefore not known until
    the end: `on_progress` gets total None until its last call.

    `workers` > 1 spreads articles over processes (None: one per core when
    at least PARALLEL_FROM articles need extracting, so small inputs skip
    the start-up). Results come back in input order, so output and stored
    ids do not depend on the number of workers.
    `ner` ("spacy") adds statistical NER when no ready `pipeline` is given.
    """
    started = time.perf_counter()
    summary = ExtractSummary()
    store = Store(db) if db is not None else None
    try:
        articles = _articles(read_paths(paths), summary, on_error)
        todo = _changed(articles, store, summary) if store is not None and out is None else articles
        batch: list[ArticleResult] = []
        for done, (article, events, n_sentences) in enumerate(_run(todo, pipeline, workers, ner), 1):
            summary.sentences += n_sentences
            summary.events += len(events)
            if out is not None:
                for event in events:
                    out.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
            batch.append(ArticleResult(article, events))
            if store is not None and len(batch) >= BATCH_SIZE:
                store.write(batch)
                batch = []
            if on_progress:
                on_progress(summary.skipped_unchanged + done, None)
        if store is not None:
            store.write(batch)
        if on_progress:
            on_progress(summary.articles, summary.articles)
        if store is not None:
            assign_clusters(store)
    finally:
        if store is not None:
            store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _articles(
    items: Iterable[Article | IngestError], summary: ExtractSummary, on_error: Callable[[str], None] | None
) -> Iterator[Article]:
    """The articles among `items`, counted; each error is recorded and reported as soon as it is read."""
    for item in items:
        if isinstance(item, IngestError):
            warning = isinstance(item, IngestWarning)
            (summary.warnings if warning else summary.errors).append(str(item))
            if on_error:
                on_error(("warning: " if warning else "error: ") + str(item))
        else:
            summary.articles += 1
            yield item


def _changed(articles: Iterable[Article], store: Store, summary: ExtractSummary) -> Iterator[Article]:
    """The articles whose text is not stored yet, checked a batch (one query) at a time; the rest are counted."""
    for batch in _batches(articles, BATCH_SIZE):
        for article, unchanged in zip(batch, store.unchanged_batch(batch)):
            if unchanged:
                summary.skipped_unchanged += 1
            else:
                yield article


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter), read only as each is needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _run(
    articles: Iterable[Article], pipeline: Pipeline | None, workers: int | None, ner: str | None
) -> Iterator[tuple[Article, list[Event], int]]:
    """Each article with its events and sentence count, in input order, reading articles only as needed.

    Without an explicit `workers`, the first PARALLEL_FROM articles are read
    ahead: an input that ends before then is too small to repay starting
    worker processes.
    """
    articles = iter(articles)
    if workers is None:
        head = list(islice(articles, PARALLEL_FROM))
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(head) >= PARALLEL_FROM else 1
        articles = chain(head, articles)
    if workers <= 1:
        pipeline = pipeline or Pipeline(ner=ner)
        for article in articles:
            yield (article, *pipeline.extract_counted(article))
        return
    yield from _run_pool(articles, workers, pipeline.ner_name if pipeline is not None else ner)


def _run_pool(articles: Iterator[Article], workers: int, ner: str | None) -> Iterator[tuple[Article, list[Event], int]]:
    """`_run` over worker processes, with about AHEAD articles out at a time.

    Tasks are submitted here and collected oldest first, which keeps input
    order and bounds memory. Pool.imap would instead iterate the input in
    the pool's own thread: reading files, reporting errors and querying the
    store would then run beside the writes to the same DuckDB connection.
    Writing a batch takes the parent seconds, so workers need that much
    work queued not to idle meanwhile.
    """
    context = multiprocessing.get_context("spawn")  # no fork: the parent may hold a DuckDB connection
    pending: deque[tuple[list[Article], AsyncResult]] = deque()
    with context.Pool(workers, initializer=_init_worker, initargs=(ner,)) as pool:
        for chunk in _batches(articles, CHUNK_SIZE):
            pending.append((chunk, pool.apply_async(_work, (chunk,))))
            if len(pending) >= max(workers, AHEAD // CHUNK_SIZE):
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())


def _collect(chunk: list[Article], result: AsyncResult) -> Iterator[tuple[Article, list[Event], int]]:
    """A worker's results for `chunk`, waiting for them if needed (a worker's exception is raised here)."""
    for article, (events, n_sentences) in zip(chunk, result.get()):
        yield article, events, n_sentences


_worker_pipeline: list[Pipeline] = []  # the one Pipeline of a worker process, set by its initializer


def _init_worker(ner: str | None) -> None:
    _worker_pipeline.append(Pipeline(ner=ner))


def _work(chunk: list[Article]) -> list[tuple[list[Event], int]]:
    return [_worker_pipeline[0].extract_counted(article) for article in chunk]


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


def _geo_precision(feature: str) -> str:
    return {"city": "point", "other": "point", "admin1": "admin1", "country": "country", "region": "admin1"}.get(
        feature, "point"
    )


def _inside(span: Timex | Toponym, sentence: Sentence) -> bool:
    return sentence.start <= span.start and span.end <= sentence.end


def _shift(t: Timex, delta: int) -> Timex:
    return Timex(t.start + delta, t.end + delta, t.text, t.type, t.value, t.date, t.date_end, t.precision)


def _shift_toponym(t: Toponym, delta: int) -> Toponym:
    return Toponym(t.start + delta, t.end + delta, t.text, t.place)
