"""Find actor mentions (people, organisations, states) in a sentence.

This is the rule- and dictionary-based path that works with no model:
capitalised runs are matched against the known-actor dictionary
(`data/actors.tsv`) and the gazetteer's countries, then classified by the cue
words around them (`data/actor_cues.json`): a title before a name marks a
person, an organisation head inside a name marks an organisation, and a
demonym before a state noun ("Russian authorities") marks the state.
Within one article, a surname or an acronym introduced earlier resolves to
the full name ("Tokayev" -> "Kassym-Jomart Tokayev", "KIB" -> "Katibat Imam al-Bukhari"),
and so do words that point back (`data/actor_cues.json`): "the group" to the
armed group named, "both sides" to the two states, "the prime minister" to the
person introduced with that title. A state body named without its state
("police", "the authorities") stands for the sentence's one named state, else
the story's main country (EVENTS.md section 3).

The dictionary and its cue words are loaded by `events.actors.dictionary`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from events.actors.dictionary import STATE_SECTORS, ActorLexicon, alias_key as _key
from events.models import Mention, Place, Toponym
from events.text.ner import Entity
from events.text.tokens import SentenceDoc, as_doc

_POSSESSIVE = re.compile(r"['’]s?$")
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in"})


class CountryLookup(Protocol):
    """What actor finding needs from the gazetteer."""

    def candidates(self, name: str) -> list[Place]: ...

    def demonym(self, word: str) -> str | None: ...

    def country_name(self, code: str) -> str: ...

    def rows_for(self, name: str) -> list[int]: ...

    def is_capital(self, row: int) -> bool: ...

    def place(self, row: int) -> Place: ...


@dataclass(frozen=True)
class StoryActors:
    """The doers a story makes known for events whose sentence leaves them unsaid.

    `state` acts where only a state can (`state_act`: "Dozens were detained",
    "ordered to suspend"); `group` is the armed group behind "the attack" that
    others confirm or condemn. `doer_verbs` are the verbs whose subject did the
    attack it names ("claimed", "carried out").
    """

    state: Mention | None = None
    state_act: bool = False
    group: Mention | None = None
    doer_verbs: frozenset[str] = frozenset()


@dataclass
class DocumentActors:
    """Names introduced earlier in the article, for resolving short references.

    `main_country` is the story's country (`story_country`): the state a bare
    "police" or "the authorities" belongs to when the sentence names none.
    `as_of` is the article's date: a person out of the office the tables date
    acts for no state that day.
    """

    surnames: dict[str, Mention] = field(default_factory=dict)
    acronyms: dict[str, Mention] = field(default_factory=dict)
    last_person: Mention | None = None  # what "he" or "she" most likely refers to
    main_country: str | None = None
    as_of: int | None = None  # the article's date (YYYYMMDD), for offices with dates
    name_parts: dict[str, Mention | None] = field(default_factory=dict)  # "Sabri", "Anwar"; None when two share it
    titles: dict[str, Mention] = field(default_factory=dict)  # "prime minister" -> the person introduced so
    recent: list[Mention] = field(default_factory=list)  # entities in text order, for "the group", "both sides"
    leader_pair: list[Mention] = field(default_factory=list)  # "Tokayev and Erdogan", "the Thai and Cambodian leaders"
    by_head: dict[str, Mention] = field(default_factory=dict)  # "network" -> the last org named "... Network"
    last_group: Mention | None = None  # the last armed group named, for "the militants"
    last_thing: Mention | None = None  # the last sentence's subject when a state or organisation, for "It"

    def add(self, mentions: Sequence[Mention]) -> None:
        """Remember a sentence's entities, in text order."""
        self.recent.extend(mentions)
        for m in mentions:
            if m.kind in ("org", "group"):
                self.by_head[m.name.lower().rsplit(" ", 1)[-1]] = m
            if m.kind == "group":
                self.last_group = m

    def longer_name(self, text: str) -> Mention | None:
        """An earlier person whose full name starts with `text`: "Abu Yusuf" after "Abu Yusuf Muhajir"."""
        return next((m for m in self.surnames.values() if m.name.startswith(text + " ")), None)

    def last_of(self, kinds: tuple[str, ...], count: int = 1, before: int | None = None) -> list[Mention]:
        """The last `count` distinct entities of these kinds named so far (most recent last)."""
        out: list[Mention] = []
        for m in reversed(self.recent):
            if m.kind in kinds and all(o.name != m.name for o in out):
                out.append(m)
                if len(out) == count:
                    break
        return list(reversed(out))


def story_country(toponyms: Sequence[Toponym], text: str = "") -> str | None:
    """The country the article is about: the one its resolved toponyms name most, a dateline counting double.

    This is where a bare state body ("police said") belongs unless its sentence names another state.
    """
    counts: dict[str, int] = {}
    for top in toponyms:
        place = top.place
        if place is None or not place.country:
            continue
        weight = 2 if top.start < 40 and not text[: top.start].strip(" \n\"'") else 1
        counts[place.country] = counts.get(place.country, 0) + weight
    if not counts:
        return None
    best = max(counts.values())
    return next(code for code, n in counts.items() if n == best)


class ActorFinder:
    """Find actor mentions in sentences of one article at a time."""

    def __init__(self, lexicon: ActorLexicon, countries: CountryLookup) -> None:
        self._lex = lexicon
        self._countries = countries
        self._capitals: dict[str, str | None] = {}  # capital lookups, kept: the same names recur

    def find(self, sentence: str | SentenceDoc, doc: DocumentActors, entities: Sequence[Entity] = ()) -> list[Mention]:
        """Actor mentions in text order; `entities` (from optional NER) add names the rules miss."""
        sentence_doc = as_doc(sentence)
        sentence, tokens = sentence_doc.text, list(sentence_doc.surface)
        mentions = self._find_by_rules(sentence, tokens, doc)
        for ent in entities:
            if any(m.start < ent.end and ent.start < m.end for m in mentions):
                continue
            if self._country(ent.text) or self._countries.demonym(ent.text):
                continue  # states come from the gazetteer, which knows their canonical names
            mention = Mention(ent.start, ent.end, ent.text, ent.text, ent.kind, None)
            self._remember(mention, doc)
            mentions.append(mention)
        mentions = sorted((m for m in mentions if not _credit(sentence, m)), key=lambda m: m.start)
        self._note_titles(sentence, mentions, doc)
        back = self._pointing_back(sentence, mentions, doc)
        if back:
            # "The Southeast Asian neighbours": a pointing phrase outranks an unknown name read inside it
            mentions = [m for m in mentions if not any(b.start < m.end and m.start < b.end for b in back)]
            mentions = sorted(mentions + back, key=lambda m: m.start)
        mentions = sorted(mentions + self._bare_bodies(tokens, mentions, doc), key=lambda m: m.start)
        people = [m for m in mentions if m.kind == "person" and _subject_like(sentence, m)]
        if people:
            doc.last_person = people[0]  # "He said" after two names: the first is most often the subject
        it = _IT_DID.match(sentence)
        if it is not None and doc.last_thing is not None and not any(m.start < it.end(1) for m in mentions):
            mentions.insert(0, _refer(doc.last_thing, it.start(1), it.end(1), sentence))
        first = next((m for m in mentions if not _scene(sentence, m) and _subject_like(sentence, m)), None)
        if first is not None:
            # what "It has promised" in the next sentence stands for: a state, organisation or group subject
            doc.last_thing = first if first.kind in ("country", "org", "group") and first.sector != "media" else None
        doc.add([m for m in mentions if not _scene(sentence, m)])
        self._note_leader_pair(sentence, mentions, doc)
        return mentions

    def _note_leader_pair(self, sentence: str, mentions: Sequence[Mention], doc: DocumentActors) -> None:
        """Two people joined by "and", or two states' leaders ("the Thai and Cambodian leaders", "the leaders
        of Cambodia and Thailand"): who "the two leaders" will mean."""
        for a, b in zip(mentions, mentions[1:]):
            if a.name == b.name or a.kind != b.kind or a.kind not in ("person", "country"):
                continue
            if not re.fullmatch(r"\s*(?:,\s*)?and\s+(?:the\s+)?", sentence[a.end : b.start]):
                continue
            leaders = b.text.lower().endswith("leaders") or sentence[: a.start].lower().rstrip().endswith("leaders of")
            if a.kind == "person" or leaders:
                doc.leader_pair = [a, b]

    def story(self, trigger_text: str, trigger_type: str, doc: DocumentActors) -> "StoryActors":
        """Who the story has made the unstated doers: its state and its armed group."""
        state = None
        if doc.main_country is not None:
            code = doc.main_country
            state = Mention(0, 0, "", self._countries.country_name(code), "country", code)
        state_act = trigger_type == "COERCE" and self._lex.state_act(trigger_text)
        return StoryActors(state, state_act, doc.last_group, self._lex.doer_verbs)

    # -- words that point back -------------------------------------------
    def _note_titles(self, sentence: str, mentions: list[Mention], doc: DocumentActors) -> None:
        """Remember the title a person is introduced with ("Prime Minister X", "President of Vietnam X");
        a state title makes the person act for a state."""
        for k, m in enumerate(mentions):
            if m.kind != "person":
                continue
            found = self._lex.title_before.search(sentence[max(0, m.start - 60) : m.start].lower())
            if found is None:
                continue
            phrase = " ".join(found.group(1).split())
            doc.titles[phrase] = m
            self._remember_parts(m, doc)
            if phrase.split()[-1] in self._lex.state_titles and not m.for_state:
                m = replace(m, for_state=True)  # "Communications Minister X" acts for a state
                mentions[k] = m
                doc.titles[phrase] = m

    def _pointing_back(self, sentence: str, mentions: Sequence[Mention], doc: DocumentActors) -> list[Mention]:
        """Mentions for "the group", "both sides", "the prime minister": the entities the story named."""
        out: list[Mention] = []
        taken = [(m.start, m.end) for m in mentions if not self._weak(m)]

        def free(a: int, b: int) -> bool:
            return not any(s < b and a < e for s, e in taken)

        lower = sentence.lower()
        here = [m for m in mentions if not _scene(sentence, m) and not self._weak(m)]

        def earlier(pos: int, same_sentence: bool = True) -> list[Mention]:
            now = [m for m in here if m.end <= pos]
            return doc.recent + (now if same_sentence else [m for m in now if _joined(sentence, m.end, pos)])

        words_here = set(_WORD.findall(lower))
        heads = {m.name.lower().rsplit(" ", 1)[-1] for m in here if m.kind in ("org", "group")} & words_here
        heads |= doc.by_head.keys() & words_here
        if doc.last_group or any(m.kind == "group" for m in here):
            heads |= self._lex.group_anaphors & words_here
        for found in _THE.finditer(lower) if heads else ():
            start = found.start()
            run = _WORDS.match(lower, found.end())  # up to three words right after "the", nothing between
            if run is None:
                continue
            words = [(w.group(), w.start(), w.end()) for w in _WORD.finditer(lower, run.start(), run.end())]
            adjectives = 0
            while adjectives < len(words) - 1 and words[adjectives][0] in self._lex.group_adjectives:
                adjectives += 1
            if not any(w in heads for w, _, _ in words[: adjectives + 1]):
                continue
            for k in range(adjectives, -1, -1):  # "the paramilitary group" before "the paramilitary"
                head, _, end = words[k]
                target = self._named_by_head(head, [m for m in here if m.end <= start], doc)
                if target is not None and free(start, end) and not _names_follow(sentence, end) and not (
                        lower.startswith(" of ", end)):
                    out.append(_refer(target, start, end, sentence))
                    taken.append((start, end))
                    break
        pairs = ((self._lex.pair_person_re, ("person",)), (self._lex.pair_state_re, ("country",)))
        for pattern, kinds in pairs if ("both" in lower or "two" in lower or "pair" in lower) else ():
            for found in pattern.finditer(lower):
                start, end = found.span()
                if not free(start, end):
                    continue
                # "Trump called both leaders": the caller is not one of them
                pair = _last_two(earlier(start, same_sentence=kinds != ("person",)), kinds)
                if kinds == ("person",) and doc.leader_pair:
                    pair = doc.leader_pair
                if len(pair) == 2:
                    out.extend(_refer(m, start, end, sentence) for m in pair)
                    taken.append((start, end))
        neighbours = _NEIGHBOURS.search(lower) if "neighb" in lower else None
        if neighbours and free(*neighbours.span()):
            pair = _last_two(earlier(neighbours.start()), ("country",))
            if len(pair) == 2:
                out.extend(_refer(m, *neighbours.span(), sentence) for m in pair)
                taken.append(neighbours.span())
        if doc.titles and "the " in lower:
            for found in self._lex.the_title.finditer(lower):
                start, end = found.span()
                person = doc.titles.get(" ".join(found.group(1).split()))
                if person is None or not free(start, end) or _names_follow(sentence, end) or lower.startswith(
                        " of", end):
                    continue
                out.append(_refer(person, start, end, sentence))
                taken.append((start, end))
        return out

    def _named_by_head(self, head: str, now: Sequence[Mention], doc: DocumentActors) -> Mention | None:
        """What "the <head>" names: the last organisation or group whose name ends in it ("the network" ->
        "Sudan Doctors Network"), else, for a group word ("the militants"), the last armed group."""
        for m in reversed(now):
            if m.kind in ("org", "group") and m.name.lower().rsplit(" ", 1)[-1] == head:
                return m
        if head in doc.by_head:
            return doc.by_head[head]
        if head in self._lex.group_anaphors:
            groups = [m for m in now if m.kind == "group"]
            return groups[-1] if groups else doc.last_group
        return None

    def _bare_bodies(
        self, tokens: list[tuple[str, int, int]], mentions: Sequence[Mention], doc: DocumentActors
    ) -> list[Mention]:
        """A state body without its state ("police", "the authorities", "security forces") -> the state of
        the sentence's one named country, else of the story (EVENTS.md section 3)."""
        # states the sentence names as such; another body's state ("by Russian authorities") says nothing
        named = {m.country for m in mentions if m.kind == "country" and m.country and m.sector is None}
        if len(named) == 1:
            code = next(iter(named))
        elif doc.main_country is not None and (not named or doc.main_country in named):
            code = doc.main_country
        else:
            return []
        lowered = [t[0].lower() for t in tokens]
        if self._lex.state_agent_first.isdisjoint(lowered):
            return []  # most sentences: no word a state body starts with
        taken = [(m.start, m.end) for m in mentions]
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = self._agent_at(lowered, i) if lowered[i] in self._lex.state_agent_first else None
            if found is None:
                i += 1
                continue
            j, sector = found
            start, stop = tokens[i][1], tokens[j - 1][2]
            phrase = " ".join(lowered[i:j])
            nxt = lowered[j] if j < len(tokens) else ""
            prev = tokens[i - 1][0] if i > 0 else ""
            acts = (
                sector in STATE_SECTORS
                and phrase not in self._lex.not_bare
                and (phrase in self._lex.collective or phrase.endswith("s"))
                and nxt not in self._lex.body_modifies
                and not (prev[:1].isupper() and i > 0 and prev.lower() not in ("the", "a"))  # "Federal Police"
                and not _LOCATIVE_BEFORE.search(" ".join(lowered[max(0, i - 2) : i]))  # "outside the parliament"
                and not (i > 0 and lowered[i - 1] in self._lex.body_after)  # "told police": the one told
                and not any(s < stop and start < e for s, e in taken)
            )
            if acts:
                name = self._countries.country_name(code)
                out.append(Mention(start, stop, " ".join(t[0] for t in tokens[i:j]), name, "country", code,
                                   sector=sector))
            i = j
        return out

    def _capital_as_state(self, sentence: str, tokens: list[tuple[str, int, int]], i: int, j: int) -> str | None:
        """A capital that acts as its government ("Riyadh severed ties", "Minsk had engineered"): the
        state's code. Not a place where something happens ("in Riyadh"), not a dateline ("HANOI:")."""
        if j >= len(tokens):
            return None
        after = tokens[j][0]
        if after.lower() not in self._lex.capital_then and not (after.islower() and after.endswith("ed")):
            return None
        text = sentence[tokens[i][1] : tokens[j - 1][2]]
        if text.isupper():
            return None
        if text not in self._capitals:
            self._capitals[text] = self._capital_code(text)
        code = self._capitals[text]
        return None if code is None or _BEFORE_PLACE.search(sentence[max(0, tokens[i][1] - 25) : tokens[i][1]]) else code

    def _capital_code(self, text: str) -> str | None:
        rows = self._countries.rows_for(text)[:3]  # the capital may rank after its own region ("Tehran" province)
        capital = next((r for r in rows if self._countries.is_capital(r)), None)
        if capital is None:
            return None
        code = self._countries.place(capital).country
        return code if all(self._countries.place(r).country == code for r in rows[: rows.index(capital)]) else None

    def _named_after(self, tokens: list[tuple[str, int, int]], j: int, end: int) -> bool:
        """Whether the capitalised words j..end after a country name end in an organisation head."""
        words = [t[0] for t in tokens[j:end]]
        return bool(words) and all(w[:1].isupper() for w in words) and (
            _strip_possessive(words[-1]).lower() in self._lex.org_heads)

    def _weak(self, mention: Mention) -> bool:
        """An unknown capitalised run read as a name ("Southeast Asian"): no dictionary entry backs it."""
        return (mention.name == mention.text and mention.kind in ("person", "org")
                and _key(mention.text) not in self._lex.aliases)

    def _whole_agent(self, lowered: list[str]) -> bool:
        """Whether capitalised words are only a body word of a state ("Police", "The Army", "Riot Police")."""
        words = lowered[1:] if lowered[:1] == ["the"] else lowered
        found = self._agent_at(words, 0) if words else None
        return found is not None and found[0] == len(words) and found[1] in STATE_SECTORS

    def _agent_at(self, lowered: list[str], i: int) -> tuple[int, str] | None:
        """The longest agent phrase starting at token i: (end token, sector)."""
        if i >= len(lowered) or lowered[i] not in self._lex.agent_first:
            return None
        for j in range(min(len(lowered), i + self._lex.max_agent_words), i, -1):
            sector = self._lex.agents.get(tuple(lowered[i:j]))
            if sector is not None:
                return j, sector
        return None

    def _find_by_rules(self, sentence: str, tokens: list[tuple[str, int, int]], doc: DocumentActors) -> list[Mention]:
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            run_end = self._run_end(tokens, i)
            if run_end == i:
                i += 1
                continue
            mentions.extend(self._read_run(sentence, tokens, i, run_end, doc))
            i = run_end
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
            if found is not None and found[0].kind == "country" and found[0].sector is None and self._named_after(
                    tokens, found[1], end):
                # "Sudan Doctors Network", "Kenya Power Company": an organisation named after its country
                org = self._unknown(sentence, tokens, k, end, doc)
                if org is not None and org.kind == "org":
                    out.append(replace(org, country=found[0].country))
                    k = end
                    continue
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
                sector = None if actor.kind == "country" and key == actor.name else actor.sector  # "Russia" vs "Kremlin"
                for_state = actor.for_state
                if actor.kind == "person" and not actor.in_office(doc.as_of):
                    for_state, sector = False, None  # out of that office on the article's date: acts for himself
                mention = Mention(start, stop, text, actor.name, actor.kind, actor.country, for_state, sector)
                self._remember(mention, doc)
                if actor.kind == "person":
                    self._remember_parts(mention, doc)
                return mention, j
            country = self._country(text)
            if country is not None:
                return Mention(start, stop, text, self._countries.country_name(country), "country", country), j
            capital = self._capital_as_state(sentence, tokens, i, j) if j - i <= 2 else None
            if capital is not None:
                name = self._countries.country_name(capital)
                return Mention(start, stop, text, name, "country", capital, sector="government"), j
            if j - i == 1:
                if text in doc.acronyms:
                    ref = doc.acronyms[text]
                    return Mention(start, stop, text, ref.name, ref.kind, ref.country, ref.for_state), j
                if text in doc.surnames:
                    return _refer(doc.surnames[text], start, stop, sentence), j
                if end - i == 1 and doc.name_parts.get(text) is not None:  # "Sabri" after "Ismail Sabri Yaakob"
                    return _refer(doc.name_parts[text], start, stop, sentence), j
                code = self._countries.demonym(text) or self._lex.demonyms.get(text.lower())
                if code is not None:
                    state = self._state_noun_after(tokens, j)
                    named_next = state is not None and state < len(tokens) and self._is_cap(tokens[state][0])
                    if state is not None and not named_next:  # "Russian President Vladimir Putin": the person acts
                        sector = self._body_sector(tokens, j, state)
                        name = self._countries.country_name(code)
                        resume = j  # "the Kazakh, Azerbaijani and Turkish ministers": each demonym is a state alone
                        if _COORDINATION.fullmatch(sentence[stop : tokens[state - 1][1]]) is None:
                            stop, resume = tokens[state - 1][2], state  # "Sudanese troops": one mention
                        return Mention(start, stop, sentence[start:stop], name, "country", code, sector=sector), resume
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
        run_start = i
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
        if self._whole_agent([w.lower() for w in words]):
            return None  # "Police denied the allegations": a body word, not a name (see _bare_bodies)
        if acronym or lowered & self._lex.org_heads or "&" in words or words[-1].lower() in self._lex.media_heads:
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
        sector = "media" if kind == "org" and words[-1].lower() in self._lex.media_heads else None
        if kind == "person":
            sector = self._title_sector(tokens, run_start, i, j)
        elif sector is None:
            sector = self._org_sector(words)
        mention = Mention(start, stop, text, text, kind, country, kind == "person" and country is not None, sector)
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

    def _remember_parts(self, mention: Mention, doc: DocumentActors) -> None:
        """Each part of a known or titled person's name names that person later ("Sabri", "Anwar"),
        unless two people share it. Unknown capitalised pairs are too often places to trust so."""
        parts = mention.name.split()
        if len(parts) < 2:
            return
        for part in {*parts[:-1], *mention.text.split()}:
            part = _strip_possessive(part)
            if len(part) < 3 or part.lower() in self._lex.particles or self._title_word(part):
                continue
            if part in doc.name_parts and (doc.name_parts[part] is None or doc.name_parts[part].name != mention.name):
                doc.name_parts[part] = None  # two people share it: it names neither
            else:
                doc.name_parts[part] = mention

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

    def _title_sector(
        self, tokens: list[tuple[str, int, int]], run_start: int, name_start: int, name_end: int
    ) -> str | None:
        """The sector a person's title gives ("Sheriff Tom Hart", "New York governor George Pataki",
        "Councilman Bob Jones" -> police, government, government): the longest agent phrase of
        data/agents.tsv (and actor_cues.json's state_bodies_extra) that ends right before the name, among
        the title words inside the capitalised run and the three words before it, or that opens the name's
        run with two words of name after it. A private person, with no such title, keeps no sector."""
        lowered = [w.lower() for w, _, _ in tokens[max(0, run_start - 3) : name_start]]
        for k in range(len(lowered)):
            sector = self._lex.agents.get(tuple(lowered[k:]))
            if sector is not None:
                return sector
        for length in (2, 1):
            if name_end - name_start - length >= 2:
                sector = self._lex.agents.get(tuple(w.lower() for w, _, _ in tokens[name_start : name_start + length]))
                if sector is not None:
                    return sector
        return None

    def _org_sector(self, words: Sequence[str]) -> str | None:
        """The sector an unknown organisation's last words give ("Lancaster City Council" -> government):
        actor_cues.json's org_head_sectors, then the body words of agents.tsv, longest first."""
        lowered = [w.lower() for w in words[:-1]] + [_strip_possessive(words[-1]).lower()]
        for n in range(min(3, len(lowered)), 0, -1):
            tail = tuple(lowered[-n:])
            sector = self._lex.org_head_sectors.get(tail) or self._lex.agents.get(tail)
            if sector is not None:
                return sector
        return None

    def _title_word(self, word: str) -> bool:
        lower = word.lower()
        return lower in self._lex.titles or lower in self._lex.title_parts or (
            "-" in word and lower.split("-")[-1] in self._lex.titles)

    def _state_noun_after(self, tokens: list[tuple[str, int, int]], j: int) -> int | None:
        """End of the state noun after a demonym at j-1 ("Sudanese troops"), also past coordinated
        demonyms ("Thai and Cambodian leaders", "Kazakh, Azerbaijani, and Turkish ministers")."""
        while j + 1 < len(tokens) and tokens[j][0] in (",", "and") and (
                self._countries.demonym(tokens[j + 1][0]) or tokens[j + 1][0] in (",", "and")):
            j += 1
            if self._countries.demonym(tokens[j][0]):
                j += 1
        words = [t[0].lower() for t in tokens[j : j + 3]]
        for noun in self._lex.state_nouns:
            if tuple(words[: len(noun)]) == noun:
                return j + len(noun)
        found = self._agent_at(words, 0)
        if found is not None and found[1] in STATE_SECTORS:
            return j + found[0]
        return None

    def _body_sector(self, tokens: list[tuple[str, int, int]], j: int, end: int) -> str | None:
        """The sector of the body noun that ends at `end` ("troops" -> military)."""
        lowered = [t[0].lower() for t in tokens[j:end]]
        for k in range(len(lowered)):
            sector = self._lex.agents.get(tuple(lowered[k:]))
            if sector is not None:
                return sector
        return None



_THE = re.compile(r"\bthe\s+")
_WORD = re.compile(r"[a-z][a-z\-]*")
_WORDS = re.compile(r"[a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,2}")
_NEIGHBOURS = re.compile(r"\bthe\s+(?:[A-Za-z\-]+\s+){0,3}neighbou?rs\b(?!\s+of\b)", re.IGNORECASE)
_COORDINATION = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:\w+\s*(?:,\s*(?:and\s+)?|and\s+)?)*")


def _refer(target: Mention, start: int, end: int, sentence: str) -> Mention:
    """A mention at start:end that stands for an entity named before."""
    return Mention(start, end, sentence[start:end], target.name, target.kind, target.country, target.for_state,
                   target.sector)


def _last_two(mentions: Sequence[Mention], kinds: tuple[str, ...]) -> list[Mention]:
    out: list[Mention] = []
    for m in reversed(mentions):
        if m.kind in kinds and all(o.name != m.name for o in out):
            out.append(m)
            if len(out) == 2:
                break
    return list(reversed(out))


# "It has promised to continue...", "It later denied...": "It" doing something, not "It is unclear" or "It was the first"
_IT_DID = re.compile(r"^\s*(It)\s+(?:(?:has|had|have|will|would|also|then|later|again|since|already)\s+)*"
                     r"(?!been\b|being\b)(?:[a-z]+ed|said|says|sent|made|took|gave|cut|began|won|lost|sought|struck|"
                     r"hit|led|held|kept|told|promised|pledged|vowed)\b")
_BEFORE_OBJECT = re.compile(r"\b(?:of|to|with|by|for|from|against|between|and|following|after|before)\s+(?:the\s+)?$",
                            re.IGNORECASE)


def _subject_like(sentence: str, mention: Mention) -> bool:
    """Whether a person mention could be its clause's subject: not a possessive ("Putin's war") and not
    the object of a preposition ("a call with Erdogan")."""
    if sentence[mention.end : mention.end + 1] in ("'", "’"):
        return False
    return not _BEFORE_OBJECT.search(sentence[max(0, mention.start - 30) : mention.start])


_BEFORE_PLACE = re.compile(r"\b(?:in|at|to|from|near|of|into|via|outside|across|over|around|towards?|for|with|"
                           r"between|on|through|inside)\s+(?:the\s+)?$", re.IGNORECASE)
_LOCATIVE_BEFORE = re.compile(r"(?:^|\s)(?:in|at|outside|inside|near|into|to|from|towards?|around|before)(?:\s+the)?$")
_SCENE = re.compile(r"\b(?:in|at|to|from|near|across|inside|throughout|into)\s+(?:the\s+)?$", re.IGNORECASE)


def _scene(sentence: str, mention: Mention) -> bool:
    """A country named as where something happens ("talks in Malaysia"), not as a party."""
    return mention.kind == "country" and bool(_SCENE.search(sentence[max(0, mention.start - 20) : mention.start]))


def _joined(sentence: str, end: int, pos: int) -> bool:
    """Whether a mention ending at `end` is coordinated with what starts at `pos` ("Tokayev and both leaders")."""
    return re.fullmatch(r"[\s,]*(?:and\s+)?", sentence[end:pos]) is not None


def _names_follow(sentence: str, end: int) -> bool:
    """A capitalised name right after ("the group Human Rights Watch", "the president Joe Biden")."""
    rest = sentence[end:].lstrip()
    return bool(rest[:1].isupper()) and not sentence[end:end + 1] in (",", ".", ";")


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
