"""The stages' seams: hand-built mentions, timexes and triggers in, relations out.

The end-to-end tests run the whole pipeline; these feed one stage exactly
what the stage before it would hand over, so a failure names the stage that
broke, not just the sentence.
"""

from __future__ import annotations

from events.models import Mention, Timex, Trigger
from events.places.attach import event_date, roles
from events.text.tokens import CLAUSE_MARK, SentenceDoc, tokenize
from events.triggers.classify import TriggerFinder
from events.triggers.lexicon import Lexicon


def _span(sentence: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(text, start + 1)
    return start, start + len(text)


def _trigger(sentence: str, text: str, type_: str, mode: str | None = None) -> Trigger:
    return Trigger(*_span(sentence, text), text, type_, mode)


def _mention(sentence: str, text: str, name: str, kind: str, country: str | None = None) -> Mention:
    return Mention(*_span(sentence, text), text, name, kind, country)


def _country_name(code: str) -> str:
    return {"FR": "France", "ML": "Mali", "KE": "Kenya"}.get(code, code)


# text: one tokenisation for every reader of the sentence


def test_sentence_doc_keeps_offsets_and_case_apart_from_the_lower_cased_words() -> None:
    text = "U.S. troops left Niamey’s airbase on Sunday."
    doc = SentenceDoc.of(text, start=120)
    assert doc.start == 120 and doc.surface[0] == ("U.S.", 0, 4)  # an acronym is one token
    assert [w for w, _, _ in doc.words][:4] == ["u.s.", "troops", "left", "niamey's"]
    assert all(text[s:e].lower().replace("’", "'") == w for w, s, e in doc.words)
    assert [w for w, _, _ in doc.words] == [w for w, _, _ in tokenize(text)]


def test_one_clause_break_definition_for_punctuation_not_for_hyphens() -> None:
    assert CLAUSE_MARK.search("Kenya's police, who fired tear gas") is not None
    assert CLAUSE_MARK.search("a Lahore-based court ruled") is None


def test_trigger_finder_reads_the_shared_sentence_doc_like_the_string() -> None:
    finder = TriggerFinder(Lexicon.load())
    text = "Police arrested 12 protesters in Nairobi on Tuesday."
    from_doc = finder.find(SentenceDoc.of(text, start=500))
    assert [(t.text, t.type) for t in from_doc] == [(t.text, t.type) for t in finder.find(text)]
    assert any(t.type == "COERCE" for t in from_doc)


# places/attach: roles and dates from hand-built mentions, triggers and timexes


def test_roles_put_the_subject_before_the_trigger_and_the_object_after() -> None:
    text = "French troops attacked Malian militants near Gao."
    attack = _trigger(text, "attacked", "ASSAULT")
    mentions = [_mention(text, "French troops", "France", "country", "FR"),
                _mention(text, "Malian militants", "Mali", "country", "ML")]
    got = roles(text, attack, mentions, [attack], _country_name)
    assert got.actors == ["France"] and got.targets == ["Mali"]


def test_roles_read_the_passive_by_phrase_as_the_actor() -> None:
    text = "The protesters were detained by Kenyan police on Tuesday."
    arrest = _trigger(text, "detained", "COERCE", "arrest")
    mentions = [_mention(text, "Kenyan police", "Kenya", "country", "KE")]
    got = roles(text, arrest, mentions, [arrest], _country_name)
    assert got.actors == ["Kenya"] and got.targets == []


def test_event_date_takes_the_trigger_clause_not_an_aside() -> None:
    text = "The group, which was founded in 2015, attacked the base on Monday."
    attack = _trigger(text, "attacked", "ASSAULT")
    founded = Timex(*_span(text, "2015"), "2015", "DATE", "2015", "2015", None, "year")
    monday = Timex(*_span(text, "Monday"), "Monday", "DATE", "2024-03-18", "2024-03-18", None, "day")
    when = event_date(text, attack, [founded, monday], [attack])
    assert when is not None and when.date == "2024-03-18"


def test_event_date_is_none_when_the_only_date_belongs_to_another_trigger() -> None:
    text = "Troops, who clashed with rebels on Monday, were praised by the minister."
    clash = _trigger(text, "clashed", "ASSAULT")
    praise = _trigger(text, "praised", "SUPPORT")
    monday = Timex(*_span(text, "Monday"), "Monday", "DATE", "2024-03-18", "2024-03-18", None, "day")
    assert event_date(text, clash, [monday], [clash, praise]) is not None
    assert event_date(text, praise, [monday], [clash, praise]) is None
