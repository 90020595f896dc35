"""Find actor mentions (people, organisations, states) in a sentence.

This is the rule- and dictionary-based path that works with no model:
capitalised runs are matched against the known-actor dictionary
(`data/actors.tsv`) and the gazetteer's countries, then classified by the cue
words around them (`data/actor_cues.json`): a title before a name marks a
person, an organisation head inside a name marks an organisation, and a
demonym before a state noun ("Russian authorities") marks the state.
Within one article, a surname or an acronym introduced earlier resolves to
the full name ("Tokayev" -> "Kassym-Jomart Tokayev", "KIB" -> "Katibat Imam al-Bukhari").
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from collections.abc import Sequence
from typing import Protocol

from events.models import Mention, Place
from events.ner import Entity

TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in"})


class CountryLookup(Protocol):
    """What actor finding needs from the gazetteer."""

    def candidates(self, name: str) -> list[Place]: ...

    def demonym(self, word: str) -> str | None: ...

    def country_name(self, code: str) -> str: ...


@dataclass(frozen=True)
class KnownActor:
    name: str
    kind: str
    country: str | None


@dataclass(frozen=True)
class ActorLexicon:
    """Known actors by alias, and the cue word lists."""

    aliases: dict[str, KnownActor]
    max_alias_words: int
    titles: frozenset[str]
    org_heads: frozenset[str]
    state_nouns: tuple[tuple[str, ...], ...]
    particles: frozenset[str]
    not_names: frozenset[str]
    title_parts: frozenset[str]

    @classmethod
    def load(cls) -> "ActorLexicon":
        root = resources.files("events").joinpath("data")
        lines = [
            line
            for line in root.joinpath("actors.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        aliases: dict[str, KnownActor] = {}
        for row in csv.DictReader(lines, delimiter="\t"):
            actor = KnownActor(row["name"], row["kind"], None if row["country"] == "-" else row["country"])
            for alias in [row["name"], *row["aliases"].split("|")]:
                aliases.setdefault(_key(alias), actor)
        cues = json.loads(root.joinpath("actor_cues.json").read_text(encoding="utf-8"))
        return cls(
            aliases=aliases,
            max_alias_words=max(len(k.split()) for k in aliases),
            titles=frozenset(cues["titles"]),
            org_heads=frozenset(cues["org_heads"]),
            state_nouns=tuple(tuple(s.split()) for s in sorted(cues["state_nouns"], key=lambda s: -len(s))),
            particles=frozenset(cues["name_particles"]),
            not_names=frozenset(cues["not_names"]),
            title_parts=frozenset(cues["title_parts"]),
        )


@dataclass
class DocumentActors:
    """Names introduced earlier in the article, for resolving short references."""

    surnames: dict[str, Mention] = field(default_factory=dict)
    acronyms: dict[str, Mention] = field(default_factory=dict)
    last_person: Mention | None = None  # what "he" or "she" most likely refers to

    def longer_name(self, text: str) -> Mention | None:
        """An earlier person whose full name starts with `text`: "Abu Yusuf" after "Abu Yusuf Muhajir"."""
        return next((m for m in self.surnames.values() if m.name.startswith(text + " ")), None)


class ActorFinder:
    """Find actor mentions in sentences of one article at a time."""

    def __init__(self, lexicon: ActorLexicon, countries: CountryLookup) -> None:
        self._lex = lexicon
        self._countries = countries

    def find(self, sentence: str, doc: DocumentActors, entities: Sequence[Entity] = ()) -> list[Mention]:
        """Actor mentions in text order; `entities` (from optional NER) add names the rules miss."""
        mentions = self._find_by_rules(sentence, doc)
        for ent in entities:
            if any(m.start < ent.end and ent.start < m.end for m in mentions):
                continue
            if self._country(ent.text) or self._countries.demonym(ent.text):
                continue  # states come from the gazetteer, which knows their canonical names
            mention = Mention(ent.start, ent.end, ent.text, ent.text, ent.kind, None)
            self._remember(mention, doc)
            mentions.append(mention)
        return sorted((m for m in mentions if not _credit(sentence, m)), key=lambda m: m.start)

    def _find_by_rules(self, sentence: str, doc: DocumentActors) -> list[Mention]:
        tokens = [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(sentence)]
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            run_end = self._run_end(tokens, i)
            if run_end == i:
                i += 1
                continue
            mentions.extend(self._read_run(sentence, tokens, i, run_end, doc))
            i = run_end
        people = [m for m in mentions if m.kind == "person"]
        if people:
            doc.last_person = people[-1]
        return mentions

    # -- capitalised runs -------------------------------------------------
    def _is_cap(self, word: str) -> bool:
        return word[:1].isupper()

    def _run_end(self, tokens: list[tuple[str, int, int]], i: int) -> int:
        """End (exclusive) of the capitalised run starting at i; i when none starts here."""
        if not self._is_cap(tokens[i][0]):
            return i
        j = i + 1
        has_head = tokens[i][0].lower() in self._lex.org_heads
        while j < len(tokens):
            word = tokens[j][0]
            if self._is_cap(word) and word not in {"I"}:
                has_head = has_head or _strip_possessive(word).lower() in self._lex.org_heads
                j += 1
                continue
            nxt = tokens[j + 1][0] if j + 1 < len(tokens) else ""
            if word.lower() in self._lex.particles and self._is_cap(nxt):
                j += 1
                continue
            if word.lower().startswith(("al-", "el-")) and "-" in word:
                j += 1
                continue
            if word in _CONNECTORS and has_head and self._is_cap(nxt) and not _POSSESSIVE.search(tokens[j - 1][0]):
                j += 1
                continue
            if word == "&" and self._is_cap(nxt):  # "International Flavors & Fragrances", "AT&T"
                j += 1
                continue
            break
        return j

    def _read_run(
        self, sentence: str, tokens: list[tuple[str, int, int]], i: int, end: int, doc: DocumentActors
    ) -> list[Mention]:
        out: list[Mention] = []
        k = i
        while k < end:
            found = self._longest_known(sentence, tokens, k, end, doc)
            if found is not None:
                mention, k = found
                out.append(mention)
                continue
            # an unknown stretch: up to the next known name inside the run
            j = k + 1
            while j < end:
                known = self._longest_known(sentence, tokens, j, end, doc)
                if known is None:
                    j += 1
                elif self._other_given_name(tokens[j - 1][0], known):
                    j = known[1]  # "Jeb Bush" is not the dictionary's George W. Bush: one unknown name
                else:
                    break
            mention = self._unknown(sentence, tokens, k, j, doc)
            if mention is not None:
                out.append(mention)
            k = j
        return out

    def _longest_known(
        self, sentence: str, tokens: list[tuple[str, int, int]], i: int, end: int, doc: DocumentActors
    ) -> tuple[Mention, int] | None:
        for j in range(min(end, i + self._lex.max_alias_words), i, -1):
            start, stop = tokens[i][1], tokens[j - 1][2]
            text = _strip_possessive(sentence[start:stop])
            stop = start + len(text)
            key = _key(text)
            if key in self._lex.aliases:
                actor = self._lex.aliases[key]
                for_state = actor.kind in ("person", "org") and actor.country is not None
                mention = Mention(start, stop, text, actor.name, actor.kind, actor.country, for_state)
                self._remember(mention, doc)
                return mention, j
            country = self._country(text)
            if country is not None:
                return Mention(start, stop, text, self._countries.country_name(country), "country", country), j
            if j - i == 1:
                if text in doc.acronyms:
                    ref = doc.acronyms[text]
                    return Mention(start, stop, text, ref.name, ref.kind, ref.country, ref.for_state), j
                if text in doc.surnames:
                    ref = doc.surnames[text]
                    return Mention(start, stop, text, ref.name, ref.kind, ref.country, ref.for_state), j
                code = self._countries.demonym(text)
                if code is not None:
                    state = self._state_noun_after(tokens, j)
                    named_next = state is not None and state < len(tokens) and self._is_cap(tokens[state][0])
                    if state is not None and not named_next:  # "Russian President Vladimir Putin": the person acts
                        stop = tokens[state - 1][2]
                        name = self._countries.country_name(code)
                        return Mention(start, stop, sentence[start:stop], name, "country", code), state
                    # a demonym alone ("Uzbek militants") marks a country, not an actor: skip it
                    return None
        return None

    def _unknown(
        self, sentence: str, tokens: list[tuple[str, int, int]], i: int, j: int, doc: DocumentActors
    ) -> Mention | None:
        while i < j and tokens[i][0] in self._lex.not_names:
            i += 1
        while j > i and tokens[j - 1][0] in self._lex.not_names:
            j -= 1  # "President Bill Clinton Thursday condemned": the weekday ends the name
        if not any(t[0].lower() in self._lex.org_heads for t in tokens[i:j]):
            # "Attorney General Janet Reno", "Miami Mayor Joe Carollo" -> the name after the last title
            # word, when two words of name remain; "General Motors" keeps its two words
            titled = [k for k in range(i, min(j - 2, i + 4)) if self._title_word(tokens[k][0])]
            if titled:
                i = titled[-1] + 1
            elif j - i == 2 and tokens[i][0].lower() in self._lex.titles and tokens[j - 1][0] in doc.surnames:
                # "President Clinton" after "Bill Clinton": the person named in full before
                ref = doc.surnames[tokens[j - 1][0]]
                start, stop = tokens[j - 1][1], tokens[j - 1][2]
                return Mention(start, stop, sentence[start:stop], ref.name, ref.kind, ref.country, ref.for_state)
        while j > i and (tokens[j - 1][0].lower() in _CONNECTORS or tokens[j - 1][0].lower() in self._lex.particles):
            j -= 1
        if i >= j:
            return None
        start, stop = tokens[i][1], tokens[j - 1][2]
        text = _strip_possessive(sentence[start:stop])
        stop = start + len(text)
        words = text.split()
        acronym = _acronym_after(tokens, j)
        lowered = {_strip_possessive(w).lower() for w in words}
        country = self._country_hint(tokens, i) or self._apposition_country(tokens, j)
        if words[-1].lower() in self._lex.titles:  # "Foreign Minister" is a title, not a name
            return None
        if acronym or lowered & self._lex.org_heads or "&" in words:
            kind = "org"
        elif len(words) >= 2 and all(w[:1].isupper() or w.lower() in self._lex.particles or "-" in w for w in words):
            if any(self._countries.demonym(w) for w in words):
                return None
            kind = "person"
        elif len(words) == 1 and tokens[i - 1][0].lower() in self._lex.titles if i > 0 else False:
            kind = "person"
        else:
            return None
        if kind == "person" and (earlier := doc.longer_name(text)) is not None:
            return Mention(start, stop, text, earlier.name, earlier.kind, earlier.country, earlier.for_state)
        mention = Mention(start, stop, text, text, kind, country, kind == "person" and country is not None)
        self._remember(mention, doc, acronym)
        return mention

    # -- helpers ------------------------------------------------------------
    def _remember(self, mention: Mention, doc: DocumentActors, acronym: str | None = None) -> None:
        if mention.kind == "person":
            parts = mention.name.split()
            if len(parts) >= 2:
                doc.surnames.setdefault(parts[-1], mention)
        if acronym:
            doc.acronyms.setdefault(acronym, mention)

    def _country(self, text: str) -> str | None:
        for place in self._countries.candidates(text):
            if place.feature == "country" and place.country:
                return place.country
        return None

    def _country_hint(self, tokens: list[tuple[str, int, int]], i: int) -> str | None:
        """The state a person or body belongs to, from the words just before it."""
        for word, _, _ in reversed(tokens[max(0, i - 6) : i]):
            bare = _strip_possessive(word)
            code = self._countries.demonym(bare) or (self._country(bare) if word != bare else None)
            if code:
                return code
        return None

    def _apposition_country(self, tokens: list[tuple[str, int, int]], j: int) -> str | None:
        """'Liu Pengyu, spokesperson for the Chinese Embassy': the state named in the apposition."""
        if j + 1 >= len(tokens) or tokens[j][0] != "," or tokens[j + 1][0].lower() not in self._lex.titles:
            return None
        for word, _, _ in tokens[j + 1 : j + 9]:
            if word in (",", ";", ".", "(", ")"):
                break
            bare = _strip_possessive(word)
            code = self._countries.demonym(bare) or self._country(bare)
            if code:
                return code
        return None

    def _other_given_name(self, word: str, known: tuple[Mention, int]) -> bool:
        """A given name before a person known by surname only, other than the person's own."""
        mention, _ = known
        return (mention.kind == "person" and " " not in mention.text and self._is_cap(word)
                and not self._title_word(word) and word not in self._lex.not_names
                and word not in mention.name.split())

    def _title_word(self, word: str) -> bool:
        lower = word.lower()
        return lower in self._lex.titles or lower in self._lex.title_parts or (
            "-" in word and lower.split("-")[-1] in self._lex.titles)

    def _state_noun_after(self, tokens: list[tuple[str, int, int]], j: int) -> int | None:
        words = [t[0].lower() for t in tokens[j : j + 3]]
        for noun in self._lex.state_nouns:
            if tuple(words[: len(noun)]) == noun:
                return j + len(noun)
        return None



_CREDIT_AFTER = re.compile(r"\)\s*[-\u2013\u2014]")
_DATELINE_AFTER = re.compile(r"\s*(?:,|\(|[-\u2013\u2014])")


def _credit(sentence: str, mention: Mention) -> bool:
    """A dateline's parts, "MOSCOW, July 6 (Reuters) -" / "ALMATY (AP) —": where the story was filed
    and the agency that filed it, not actors."""
    if sentence[mention.start - 1 : mention.start] == "(" and _CREDIT_AFTER.match(sentence, mention.end):
        return True
    opens = not sentence[: mention.start].strip()
    unknown_caps = mention.name == mention.text and mention.text.isupper() and len(mention.text) > 3
    return opens and unknown_caps and bool(_DATELINE_AFTER.match(sentence, mention.end))


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _strip_possessive(text: str) -> str:
    if text.endswith(("’s", "'s")):
        return text[:-2]
    if text.endswith(("’", "'")):
        return text[:-1]
    return text


def _acronym_after(tokens: list[tuple[str, int, int]], j: int) -> str | None:
    if j + 2 < len(tokens) and tokens[j][0] == "(" and tokens[j + 2][0] == ")":
        word = tokens[j + 1][0]
        if word.isupper() and 2 <= len(word) <= 8:
            return word
    return None
