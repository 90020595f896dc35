"""Words and clause breaks, defined once for every stage that reads a sentence.

The trigger finder, the sense and modality checks, the actor finder and the
place rules all walk the same sentence. Each used to split it with its own
pattern and to keep its own idea of where a clause ends, so "U.S." was one
word to the actor finder and four to the trigger finder, and a dash ended a
clause for one stage but not for the next. `SentenceDoc` is made once per
sentence by the pipeline and read by all of them.

The geoparser is the one exception: it reads the whole article before it is
split into sentences, and splits hyphenated names its gazetteer does not
know ("Gainesville-area"), so it keeps its own tokens (`events.geo.toponyms`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An acronym with dots ("U.S.", "U.N."), a word with inner apostrophes or hyphens
# ("Al-Shabaab", "don't"), or one punctuation mark.
TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]", re.UNICODE)

Token = tuple[str, int, int]  # (word, start, end), offsets into the sentence

# Marks that end a clause for every stage: a relation (actor, date, place) is
# not read across them.
CLAUSE_PUNCTUATION = frozenset({",", ";", ":", "(", ")", "\u2013", "\u2014"})
# Quotation marks also end a clause for the modality checks: a quoted wish or
# threat is someone's words, not the reporter's.
QUOTE_MARKS = frozenset({"\u201c", "\u201d", '"'})
CLAUSE_BREAK_TOKENS = CLAUSE_PUNCTUATION | QUOTE_MARKS
# Words that open another clause when a place is read off the words after a trigger.
CLAUSE_WORDS = ("and", "but", "which", "who", "that")

CLAUSE_MARK = re.compile("[" + re.escape("".join(sorted(CLAUSE_PUNCTUATION))) + "]")
CLAUSE_OR_CONJUNCTION = re.compile(CLAUSE_MARK.pattern + r"|\b(?:" + "|".join(CLAUSE_WORDS) + r")\b")


def tokenize(text: str) -> list[Token]:
    """Lower-cased word and punctuation tokens with their character offsets.

    The curly apostrophe is folded to the straight one, so that lexicon
    entries need one spelling.
    """
    return [(m.group().lower().replace("\u2019", "'"), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def surface_tokens(text: str) -> list[Token]:
    """Tokens as written: the actor finder needs capitals to tell names from words."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


@dataclass(frozen=True)
class SentenceDoc:
    """One sentence, tokenised once: its text, where it starts in the article, and its tokens.

    `surface` keeps the case, `words` is lower-cased; both have the same
    offsets, so a stage may read one and report spans the other can use.
    """

    text: str
    start: int
    surface: tuple[Token, ...]
    words: tuple[Token, ...]

    @classmethod
    def of(cls, text: str, start: int = 0) -> "SentenceDoc":
        surface = tuple(surface_tokens(text))
        words = tuple((w.lower().replace("\u2019", "'"), s, e) for w, s, e in surface)
        return cls(text, start, surface, words)


def as_doc(sentence: str | SentenceDoc) -> SentenceDoc:
    """Accept a plain string where a stage is called on its own (tests, the Python API)."""
    return sentence if isinstance(sentence, SentenceDoc) else SentenceDoc.of(sentence)
