"""Find toponym spans in text by matching capitalised token runs to the gazetteer.

A dictionary matcher, not a statistical NER: it must run in a few ms per
article (the extractor's budget is >= 20 articles/s on 2 cores) and it knows
exactly the names the resolver can place. Precision comes from context rules
kept as data (`events/data/toponym_words.tsv`): a name glued to other
capitalised words is a person or an organisation ("Georgia Smith",
"Washington Post"), unless those words are place heads ("Alexandria Police");
demonyms mark actors, not places; common words only count mid-sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from events.geo.gazetteer import Gazetteer, normalize_name

WORDS_FILE = "toponym_words.tsv"
MAX_TOKENS = 6
PROMINENT_POPULATION = 50_000

# A word: letters/digits with inner hyphens, apostrophes or dots ("Nur-Sultan",
# "O'Hare", "U.S"), and a trailing dot that abbreviations keep ("St.", "U.S.").
_TOKEN = re.compile(r"[^\W_](?:\w|[-'\u2019.&](?=[^\W_]))*")
_SENTENCE_END = re.compile(r"[.!?:;\n]['\"\u201d\u2019)\]]*\s*$")


@dataclass(frozen=True)
class ToponymSpan:
    """A matched name before resolution; `qualifier` is a folded region name
    that follows it after a comma ("Paris, Texas" -> "texas")."""

    start: int
    end: int
    text: str
    key: str
    qualifier: str | None = None


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    key: str
    cap: bool
    sentence_start: bool
    dot: bool  # directly followed by "." (abbreviation or sentence end)


@dataclass(frozen=True)
class ToponymWords:
    """The finder's word lists (see the data file's header for each kind)."""

    stop: frozenset[str]
    common: frozenset[str]
    before: frozenset[str]
    head: frozenset[str]
    inner: frozenset[str]
    suffix: frozenset[str]
    name: frozenset[str]
    title: frozenset[str]
    abbrev: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "ToponymWords":
        text = (resources.files("events") / "data" / WORDS_FILE).read_text(encoding="utf-8")
        kinds: dict[str, set[str]] = {k: set() for k in ("stop", "common", "before", "head", "inner", "suffix", "name", "title")}
        abbrev: dict[str, str] = {}
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if cells[0] == "abbrev":
                abbrev[normalize_name(cells[1])] = normalize_name(cells[2])
            else:
                kinds[cells[0]].add(normalize_name(cells[1]))
        return cls(abbrev=abbrev, **{k: frozenset(v) for k, v in kinds.items()})


class ToponymFinder:
    """Longest-match scan over capitalised token n-grams; see module doc."""

    def __init__(self, gazetteer: Gazetteer, words: ToponymWords | None = None) -> None:
        self.gazetteer = gazetteer
        self.words = words or ToponymWords.load()

    def find(self, text: str) -> list[ToponymSpan]:
        """All toponym spans in `text`, in order, non-overlapping."""
        tokens = self._tokenize(text)
        lower_words = {t.key for t in tokens if not t.cap}
        spans: list[ToponymSpan] = []
        person_keys: set[str] = set()
        i, n_tok = 0, len(tokens)
        while i < n_tok:
            tok = tokens[i]
            if not tok.cap:
                i += 1
                continue
            state = self._state_abbreviation(text, tokens, i)
            if state is not None:
                spans.append(state)
                i += 1
                continue
            matched = self._longest(text, tokens, i) or self._misspelt_country(text, tokens, i)
            if matched is None:
                i += 1
                continue
            j, end, key = matched
            verdict = self._accept(text, tokens, i, j, key, lower_words)
            if verdict == "ok":
                start = tokens[i].start
                spans.append(ToponymSpan(start, end, text[start:end], key, self._qualifier(text, tokens, j)))
                i = j
            else:
                if verdict == "person":
                    person_keys.add(key)
                i = j if j - i > 1 else i + 1
        # One sense per document: a surname seen in "Raquel Henry" is not a
        # town when it comes back alone as "Henry said".
        return [s for s in spans if s.key not in person_keys or " " in s.key]

    def _state_abbreviation(self, text: str, tokens: list[_Token], i: int) -> ToponymSpan | None:
        """"Charleston, W.Va." / "Paris, Tenn.": the abbreviation names a US state."""
        tok = tokens[i]
        if i == 0 or text[tokens[i - 1].end:tok.start] not in (", ", "., "):
            return None
        if not tokens[i - 1].cap:
            return None
        end = tok.end + 1 if tok.dot else tok.end
        word = text[tok.start:end]
        if word.startswith("W.") and text.startswith("Va.", end) is False and text.startswith(" Va.", end):
            end += 4
        elif word == "W." and text.startswith("Va.", end):
            end += 3
        key = normalize_name(text[tok.start:end]).replace(" ", "")
        state = self.words.abbrev.get(key)
        if state is None or not tok.dot and "." not in key:
            return None
        return ToponymSpan(tok.start, end, text[tok.start:end], state, "united states")

    def _tokenize(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        prev_end = 0
        for m in _TOKEN.finditer(text):
            word = m.group()
            start, end = m.start(), m.end()
            if word.endswith(("'s", "\u2019s")) and len(word) > 2:
                word, end = word[:-2], end - 2
            if "-" in word and not self.gazetteer.has_key(normalize_name(word)):
                # "D-Charleston", "Gainesville-area", "Fargo-Moorhead": parts
                offset = start
                for part in word.split("-"):
                    if part:
                        gap = text[prev_end:offset]
                        tokens.append(self._token(text, tokens, gap, offset, offset + len(part), part))
                        prev_end = offset + len(part)
                    offset += len(part) + 1
                continue
            tokens.append(self._token(text, tokens, text[prev_end:start], start, end, word))
            prev_end = end
        return tokens

    @staticmethod
    def _token(text: str, tokens: list[_Token], gap: str, start: int, end: int, word: str) -> _Token:
        sentence_start = not tokens or "\n" in gap or (
            bool(_SENTENCE_END.search(gap)) and not (gap.startswith(".") and _abbreviation(tokens[-1].text)))
        return _Token(start, end, word, normalize_name(word), word[0].isupper(), sentence_start,
                      text.startswith(".", end))

    def _longest(self, text: str, tokens: list[_Token], i: int) -> tuple[int, int, str] | None:
        """(end token, end offset, key) of the longest gazetteer name at token i.

        A dotted variant ("u.s.", "st. petersburg") is tried before the bare
        one, so abbreviations keep their dot in the span.
        """
        words, has = self.words, self.gazetteer.has_key
        best: tuple[int, int, str] | None = None
        prefix = ""
        for j in range(i, min(i + MAX_TOKENS, len(tokens))):
            tok = tokens[j]
            if j > i:
                gap = text[tokens[j - 1].end:tok.start]
                if gap == ". " and tokens[j - 1].dot:
                    prefix += "."
                elif gap != " ":
                    break
                if not tok.cap and tok.key not in words.inner and tok.key not in words.suffix:
                    break
                prefix += " "
            prefix += tok.key
            if tok.cap or tok.key in words.suffix:
                if tok.dot and has(prefix + "."):
                    best = (j + 1, tok.end + 1, prefix + ".")
                elif has(prefix):
                    best = (j + 1, tok.end, prefix)
        return best

    def _misspelt_country(self, text: str, tokens: list[_Token], i: int) -> tuple[int, int, str] | None:
        """A lone capitalised word that spells a country name another way ("Takijistan", "Kirgizstan")."""
        tok = tokens[i]
        if tok.key in self.words.stop or tok.key in self.words.common or self.gazetteer.demonym(tok.key):
            return None
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # part of a longer name ("Kyrgystan Airways", "Mr. Tajikstan"): not ours to guess
        if prev is not None and prev.cap and text[prev.end:tok.start] == " " and prev.key not in self.words.before:
            return None
        if nxt is not None and nxt.cap and text[tok.end:nxt.start] == " ":
            return None
        key = self.gazetteer.country_spelling(tok.key)
        return None if key is None else (i + 1, tok.end, key)

    def _accept(self, text: str, tokens: list[_Token], i: int, j: int, key: str,
                lower_words: set[str]) -> str:
        """"ok", "person" (part of a person's name) or "no"."""
        words = self.words
        first = tokens[i]
        single = j - i == 1
        if key in words.stop:
            return "no"
        if single:
            if self.gazetteer.demonym(key):
                return "no"
            if len(first.text) < 2:
                return "no"
            if first.text.isupper() and len(first.text) > 3 and not _dateline(text, first):
                return "no"
            if first.sentence_start and (key in words.common or key in lower_words):
                return "no"
            if first.dot and len(first.text) <= 4 and (key + ".") in words.abbrev:
                return "no"  # "Pa.", "Ga.": read by _state_abbreviation
        if i > 0:
            prev = tokens[i - 1]
            glued = text[prev.end:first.start] in (" ", ". ") and not first.sentence_start
            if glued and prev.cap and (prev.key in words.title or (
                    prev.key not in words.before and prev.key not in words.stop
                    and not (prev.sentence_start and prev.key in words.common))):
                return "person"  # "Raquel Henry", "Mr. Paris"
        if j < len(tokens):
            nxt = tokens[j]
            glued = text[tokens[j - 1].end:nxt.start] == " "
            if glued and nxt.cap and nxt.key not in words.head and nxt.key not in words.title \
                    and not nxt.text.isupper():
                if key in words.name:
                    return "no"  # "Georgia Smith", "Paris Hilton"; but "Texas Forest Service"
                if single and not self._prominent(key):
                    return "person"  # "Scott Smith": a small town's name as a first name
        return "ok"

    def _prominent(self, key: str) -> bool:
        """A country, a region or a city big enough to head an organisation's name."""
        rows = self.gazetteer.rows_for_key(key)
        if not rows:
            return False
        top = self.gazetteer.place(rows[0])
        return top.feature in ("country", "admin1", "region") or top.population >= PROMINENT_POPULATION

    def _qualifier(self, text: str, tokens: list[_Token], j: int) -> str | None:
        """Folded name after ", " that narrows the place: "Paris, Tenn." / "Perm, Russia"."""
        if j >= len(tokens) or text[tokens[j - 1].end:tokens[j].start] not in (", ", "., "):
            return None
        nxt = tokens[j]
        for abbr in (nxt.key + ".", nxt.key):
            if abbr in self.words.abbrev and nxt.cap:
                return self.words.abbrev[abbr]
        if nxt.key == "w" and text[nxt.end:nxt.end + 4] == ".va.":
            return "west virginia"
        parts = []
        for k in range(j, min(j + 3, len(tokens))):
            if k > j and text[tokens[k - 1].end:tokens[k].start] != " ":
                break
            parts.append(tokens[k].key)
        for n in range(len(parts), 0, -1):
            key = " ".join(parts[:n])
            if tokens[j].cap and self.gazetteer.has_key(key):
                return key
        return None


def _abbreviation(word: str) -> bool:
    """A dotted word that does not end a sentence: "St.", "Mr.", "U.S", "Gov."."""
    return "." in word or (len(word) <= 3 and word[:1].isupper()) or word in ("Gov", "Sen", "Rep", "Capt", "Sgt", "Prof")


def _dateline(text: str, tok: _Token) -> bool:
    """An upper-case word opening a dateline: "CHARLESTON, W.Va. -", "BEIRUT (AP)"."""
    after = text[tok.end:tok.end + 3]
    return tok.sentence_start and (after.startswith(",") or after.startswith(" (") or after.startswith(" -")
                                   or after.startswith(" \u2014"))

