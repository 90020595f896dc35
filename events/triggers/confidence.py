"""How sure the extractor is of a record: a small logistic model, calibrated on the development gold.

`confidence` (EVENTS.md section 3) used to be hand-set from whether actor,
date and place were found; it did not separate true from false records. It
is now the calibrated probability that the record is an event of its type,
learned by `scripts/train_confidence.py` from features of the record and its
article, and stored as plain weights in `data/confidence.json` (no machine
learning library at run time: a dot product and a calibration read by linear
interpolation). The calibration is cautious: each isotonic step is lowered to
a lower bound of its share of events (Wilson, one-sided, about 79%), so a
record reaches 0.8 only where enough training records make that share sure.

Features are read from the finished records of one article, so they include
what the later stages found (actors and their sectors, date precision, place and its basis)
and how the article treats the event elsewhere (other reports of the same
type, and the share of its records whose actor is a state or has a known sector: a story about
states and public bodies, where trigger words are mostly in their event sense, or about private
life, where "met", "asked" and "honored" mostly are not). Names are stable strings; a feature the model file does not know
weighs nothing, so other stages may add fields without breaking scoring
(the lead reruns the training script after a merge).
"""

from __future__ import annotations

import bisect
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from events.models import Event
from events.text.tokens import tokenize

MODEL_FILE = "confidence.json"
CUES_FILE = "confidence_cues.json"


def _load_cues() -> dict[str, frozenset[str]]:
    """The word classes of `data/confidence_cues.json` (keys without the leading `_why`)."""
    raw = json.loads(resources.files("events").joinpath("data", CUES_FILE).read_text(encoding="utf-8"))
    return {key: frozenset(words) for key, words in raw.items() if not key.startswith("_")}


_CUES = _load_cues()  # read once at import, never changed
_DETERMINERS, _REPORTING, _MODAL = _CUES["determiners"], _CUES["reporting"], _CUES["modal"]
_PREPOSITIONS, _PRESENT, _ANALYSIS = _CUES["prepositions"], _CUES["present"], _CUES["analysis"]
_NEGATION, _FIRST_PERSON, _DAY_WORDS = _CUES["negation"], _CUES["first_person"], _CUES["day_words"]
_SUBORDINATORS, _IRREGULAR_PAST = _CUES["subordinators"], _CUES["irregular_past"]
_FUTURE, _HABITUAL = _CUES["future"], _CUES["habitual"]


def features(event: Event, article: Sequence[Event], text_length: int) -> dict[str, float]:
    """The record's features by name: its trigger and type, what was attached and how, where the
    sentence sits in the article and whether other sentences report the same type."""
    f: dict[str, float] = {"bias": 1.0, f"type={event.type}": 1.0}
    words = event.trigger.lower().split()
    head = words[0] if words else ""
    f[f"trigger={_lemma(head)}"] = 1.0
    f["trigger_words>1"] = float(len(words) > 1)
    f["trigger_past"] = float(head.endswith("ed") or head in _IRREGULAR_PAST)
    f["trigger_ing"] = float(head.endswith("ing"))
    f["trigger_plural_noun"] = float(len(words) == 1 and head.endswith("s") and not f["trigger_past"])
    tokens = [w for w, _, _ in tokenize(event.sentence)]
    before = _before_trigger(event, tokens)
    after = _after_trigger(event)
    f["trigger_after_preposition"] = float(bool(before) and before[-1] in _PREPOSITIONS)
    f["trigger_before_of"] = float(bool(after) and after[0] in ("of", "on", "against"))
    f["sentence_present"] = float(not _PRESENT.isdisjoint(tokens))
    f["sentence_analysis"] = float(not _ANALYSIS.isdisjoint(tokens))
    f["trigger_after_determiner"] = float(bool(before) and (before[-1] in _DETERMINERS or before[-1].endswith("'s")))
    f["sentence_reporting"] = float(not _REPORTING.isdisjoint(tokens))
    f["sentence_modal"] = float(not _MODAL.isdisjoint(tokens))
    f["sentence_negation"] = float(any(w in _NEGATION or w.endswith("n't") for w in tokens))
    f["sentence_quote"] = float(any(q in event.sentence for q in ('"', "“", "”")))
    f["sentence_long"] = min(len(tokens), 80) / 40.0
    f["sentence_first_person"] = float(not _FIRST_PERSON.isdisjoint(tokens))
    f["sentence_day_word"] = float(not _DAY_WORDS.isdisjoint(tokens))
    f["subordinate_before"] = float(not _SUBORDINATORS.isdisjoint(before[-5:]))
    lowered = {w.lower() for w in tokens}
    f["sentence_future"] = float(not _FUTURE.isdisjoint(lowered))  # "will visit", "plans to", "later this month"
    f["sentence_habitual"] = float(not _HABITUAL.isdisjoint(lowered))  # "often", "every time", "annual"
    f["trigger_after_to"] = float(bool(before) and before[-1].lower() == "to")  # "to demand", "to deliver aid"
    verbal = bool(f["trigger_past"]) and not f["trigger_after_determiner"] and not f["trigger_after_preposition"]
    f["trigger_verbal_past"] = float(verbal)
    f["verbal_past_dated"] = float(verbal and event.date_precision != "none")
    f["date_in_sentence"] = float(bool(event.date_text) and event.date_text.lower() in event.sentence.lower())
    f["status_scheduled"] = float(event.status == "scheduled")
    f["has_actor"] = float(bool(event.actors))
    known = bool(event.actor_countries) or any(event.actor_sectors)
    f["actor_known"] = float(known)
    f["actor_unknown_only"] = float(bool(event.actors) and not known)
    f[f"type={event.type}&actor_known={int(known)}"] = 1.0
    f["has_target"] = float(bool(event.targets))
    f["actor_is_state"] = float(bool(event.actor_countries))
    for sector in {s for s in event.actor_sectors if s}:
        f[f"actor_sector={sector}"] = 1.0
    f[f"date={event.date_precision}"] = 1.0
    f[f"place_basis={event.place_basis or 'none'}"] = 1.0
    f[f"geo={event.geo_precision}"] = 1.0
    f["casualties"] = float(bool(event.killed or event.injured))
    f["sentence_number"] = float(any(w.isdigit() for w in tokens))
    at = event.sentence.find(event.trigger)
    f["trigger_position"] = at / len(event.sentence) if at >= 0 and event.sentence else 0.5
    # a headline has no final stop; a line break inside a sentence is a wrapped line, not a headline (the
    # splitter ends a sentence at every paragraph break, so TR-News's indented wraps stay inside one)
    f["trigger_in_headline"] = float(not event.sentence.rstrip().endswith((".", "\"", "”")))
    position = event.char_start / text_length if text_length else 0.0
    f["position"] = position
    f["first_sentences"] = float(event.char_start < 400)
    same_sentence = sum(1 for e in article if e.char_start == event.char_start)
    f["events_in_sentence>1"] = float(same_sentence > 1)
    dated = sum(1 for e in article if e.date_precision == "day")
    f["article_day_dated_share"] = dated / len(article) if article else 0.0
    f["article_events_log"] = math.log1p(len(article))
    share = len(article) or 1  # what the article is about: news of states and public bodies, or of private life
    f["article_state_share"] = sum(1 for e in article if e.actor_countries) / share
    f["article_sector_share"] = sum(1 for e in article if any(e.actor_sectors)) / share
    types = Counter(e.type for e in article if e.char_start != event.char_start)
    f["same_type_elsewhere"] = float(types[event.type] > 0)
    f["same_type_elsewhere_log"] = math.log1p(types[event.type])
    return f


def _after_trigger(event: Event) -> list[str]:
    """The sentence's first words after the trigger."""
    at = event.sentence.find(event.trigger)
    if at < 0:
        return []
    return [w for w, _, _ in tokenize(event.sentence[at + len(event.trigger) : at + len(event.trigger) + 40])]


def _lemma(word: str) -> str:
    """A rough lemma, so that "attacked", "attacks" and "attack" share a weight."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def _before_trigger(event: Event, tokens: list[str]) -> list[str]:
    """The sentence's words before the trigger (the trigger's first occurrence)."""
    at = event.sentence.find(event.trigger)
    if at < 0:
        return []
    return [w for w, _, _ in tokenize(event.sentence[:at])]


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights by feature name, then a calibration from raw score to confidence: points
    (`raw`, `confidence`) read by linear interpolation, flat beyond the first and last point."""

    weights: dict[str, float]
    raw: tuple[float, ...] = (0.0,)
    calibrated: tuple[float, ...] = (0.5,)
    keep_from: float = 0.0  # records below it are dropped by default: see `keep_from` in data/confidence.json

    @classmethod
    def load(cls, path: Path | None = None) -> "ConfidenceModel":
        """The packaged model (`data/confidence.json`), or the one at `path`."""
        source = str(path) if path else f"events/data/{MODEL_FILE}"
        try:
            text = path.read_text(encoding="utf-8") if path else \
                resources.files("events").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
            raw = json.loads(text)
            weights = {k: float(v) for k, v in raw["weights"].items()}
            xs = tuple(float(v) for v in raw["calibration"]["raw"])
            ps = tuple(float(v) for v in raw["calibration"]["confidence"])
            keep_from = float(raw.get("keep_from", 0.0))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"{source}: not a confidence model: {err}") from err
        if not xs or len(xs) != len(ps) or list(xs) != sorted(xs) or not all(0.0 <= p <= 1.0 for p in ps):
            raise ValueError(f"{source}: not a confidence model: calibration points must be sorted, "
                             "paired and within 0-1")
        if not 0.0 <= keep_from <= 1.0:
            raise ValueError(f"{source}: not a confidence model: keep_from must be within 0-1")
        return cls(weights, xs, ps, keep_from)

    def raw_score(self, feats: dict[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in feats.items())

    def probability(self, feats: dict[str, float]) -> float:
        return _interpolate(self.raw_score(feats), self.raw, self.calibrated)

    def score(self, events: Sequence[Event], text_length: int) -> list[Event]:
        """The article's events with `confidence` set (two decimals)."""
        return [replace(e, confidence=round(self.probability(features(e, events, text_length)), 2)) for e in events]


def _interpolate(x: float, xs: Sequence[float], ys: Sequence[float]) -> float:
    """`ys` read at `x` between the sorted `xs` (as numpy.interp, without numpy at run time)."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    k = bisect.bisect_right(xs, x)
    x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
