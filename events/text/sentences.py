"""Sentence splitting with character offsets into the article text.

spaCy's rule-based ``sentencizer`` on a blank English pipeline is used rather
than a statistical parser: it needs no model download, runs at well over
100k words/s, and its tokenizer already knows abbreviations such as "U.S."
and "Gen.", which a plain regex split gets wrong. Paragraph breaks always end
a sentence, because news text (titles, captions, list items) often lacks the
final full stop.

A "sentence" longer than MAX_SENTENCE_CHARS (a list of names, a table
flattened into one line) is cut into pieces at its last clause break or
space before the limit. The per-sentence stages relate every trigger to every
mention of its sentence, so an unbounded sentence made them quadratic in the
article's size (a 256 KB line took minutes); the longest sentence in LGL and
the seeds is 612 characters, so real prose is never cut.
"""

from __future__ import annotations

import re

import spacy
from spacy.language import Language

from events.models import Sentence

_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\S)")
MAX_SENTENCE_CHARS = 2000
_BREAKS = (";", ",", " ")  # where a long sentence is cut, most clause-like first


class SentenceSplitter:
    """Split article text into sentences; build once, reuse for every article."""

    def __init__(self) -> None:
        self._nlp: Language = spacy.blank("en")
        self._nlp.add_pipe("sentencizer")
        self._nlp.max_length = 5_000_000

    def split(self, text: str) -> list[Sentence]:
        sentences: list[Sentence] = []
        for start, end in _paragraphs(text):
            doc = self._nlp(text[start:end])
            for sent in doc.sents:
                s = start + sent.start_char
                e = start + sent.end_char
                for s, e in _pieces(text, s, e):
                    s, e = _strip(text, s, e)
                    if e > s:
                        sentences.append(Sentence(len(sentences), s, e, text[s:e]))
        return sentences


def _pieces(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """The span cut into pieces of at most `limit` characters, each after a clause break where one is near."""
    pieces = []
    while end - start > limit:
        cut = start + limit
        for mark in _BREAKS:
            at = text.rfind(mark, start + limit // 2, start + limit)
            if at != -1:
                cut = at + 1
                break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
