"""Find event triggers in a sentence and decide type, mode and status.

Matching is lexicon-driven (`events.triggers.lexicon`), then each match is read for its
sense and in its clause (EVENTS.md section 1), each class of reading driven by
cue lists in `data/cues.json` and `data/senses.tsv`:

- sense: a trigger inside a phrase that names a thing, not an act ("riot
  police", "press release", "had a seizure", "pleaded guilty", "fight for
  funding") is no trigger; nor is a noun that recalls a known event as the
  object of a preposition ("involvement in the attack");
- modality: a negated or hypothetical statement is no event; nor is a wished-for,
  intended or attempted act ("hopes to meet", "working for his release"), nor
  an act in an infinitive that is only aimed at ("the obligation to sever
  ties"); a future statement is an event only when it is scheduled, and a
  stated intention to do harm ("would impose sanctions") is a THREATEN event,
  which is how PLOVER codes threats;
- genericity: a habit or general truth ("police often arrest", "has repeatedly
  said", "throughout the years I met") is no event;
- ontology: buying, selling or lending between private parties is no PLOVER
  act unless a state or armed actor takes part (`in_ontology`, read once the
  record's actors are known).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from events.models import Event, Place, Trigger
from events.text.tokens import CLAUSE_BREAK_TOKENS, CLAUSE_WORDS, SentenceDoc, as_doc
from events.triggers.lexicon import MAX_GAP, Cues, Lexicon, Pattern

Token = tuple[str, int, int]
_CLAUSE_BREAK = CLAUSE_BREAK_TOKENS
_LOOKBACK = 6
_PHRASE_LOOKBACK = 8  # words of the clause before a trigger searched for intent and frequency cues
_LOOKAHEAD = 3  # words after a trigger searched for frequency adverbs ("they meet regularly")
_INTENT_REACH = 5  # an intent phrase governs the trigger when it ends at most one word before it ("for his release")
_STATISTIC_REACH = 14  # words after a trade noun searched for a verb of change, past an apposition
_OFFENCE_REACH = 10  # words before a trigger searched for a charge ("charged with burglary, threatening")
_ACCIDENT_REACH = 8
_REPEAT_REACH = 7  # words after a trigger searched for a count of times ("arrested more than a dozen times")
_REFERENCE_REACH = 3  # modifiers allowed between a determiner and a noun trigger ("the deadly suicide attack")
_BACKGROUND_REACH = 3
_ARGUMENT_GAP = 4  # words between a trigger and a noun trigger that is its object
_COORDINATION = _CLAUSE_BREAK | {"and", "but", "or", ".", "while", "as", "after", "before"}
Match = tuple[int, int, Pattern]


class TriggerFinder:
    """Find triggers and read their modality; holds only the compiled lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon

    def find(self, sentence: str | SentenceDoc) -> list[Trigger]:
        doc = as_doc(sentence)
        sentence, tokens = doc.text, list(doc.words)
        matches = self._match(sentence, tokens)
        if not matches:
            return []
        arguments = _arguments(sentence, tokens, matches)
        scheduled = self._has_scheduled_cue(tokens)
        cues = self._lexicon.cues
        protesters = [k for k, (w, _, _) in enumerate(tokens) if w in cues.role_nouns]
        triggers: list[Trigger] = []
        for k, (first, last, pattern) in enumerate(matches):
            if first > 0 and _inside_name(sentence, tokens, first):
                continue
            if pattern.type in cues.protest_content_types and tokens[first][0].endswith("ing") and \
                    protesters and protesters[0] < first:
                continue  # "demonstrators gathered, demanding his resignation": the protest's content
            if pattern.type == "CONSULT" and pattern.mode == "visit" and first > 0 and \
                    tokens[first - 1][0] in cues.cargo_subjects:
                continue  # "two naval ships arrived in Havana": a delivery, not a visit
            if pattern.type == "MOBILIZE" and first > 0 and tokens[first - 1][0] in cues.sent_things:
                continue  # "the bill was sent to the Duma": a thing sent, no force deployed
            reading = self._read_modality(tokens, first, pattern, scheduled)
            if reading is None:
                continue
            type_, mode, is_scheduled = reading
            if _table_row(tokens, last):
                continue  # "Injured: 4,877": a row of a casualty table, no act stated
            if type_ not in cues.repeated_in_one_act and _repeated(tokens, last, cues):
                continue  # "has been arrested more than a dozen times": many acts summed up, none told
            if (type_ in cues.lifted_types or mode in cues.lifted_modes) and (
                    _lifted(tokens, last, cues) or _lifting_before(tokens, last, cues)):
                type_, mode = "CONCEDE", "policy"  # "the curfew was lifted", "the lifting of sanctions": it ends
            start, end = tokens[first][1], tokens[last][2]
            triggers.append(Trigger(start, end, sentence[start:end], type_, mode, is_scheduled, k in arguments))
        return triggers

    def _match(self, sentence: str, tokens: list[Token]) -> list[Match]:
        """Longest non-overlapping matches, earliest first."""
        found: list[tuple[int, int, Pattern]] = []
        other_sense = self._sense_phrases(tokens)
        for i, (word, _, _) in enumerate(tokens):
            for pattern in self._lexicon.by_first.get(word, ()):
                last = _match_at(tokens, i, pattern)
                if last is None or not other_sense.isdisjoint(range(i, last + 1)):
                    continue
                if not self._other_sense(sentence, tokens, i, last, pattern):
                    found.append((i, last, pattern))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        chosen = []
        for first, last, pattern in found:
            if taken.isdisjoint(range(first, last + 1)):
                chosen.append((first, last, pattern))
                taken.update(range(first, last + 1))
        return sorted(chosen, key=lambda m: m[0])

    def _sense_phrases(self, tokens: list[Token]) -> set[int]:
        """Tokens inside a phrase of data/senses.tsv, where a trigger word names a thing, a medical or
        sporting matter, a court formula or a private act ("riot police", "had a seizure")."""
        covered: set[int] = set()
        senses = self._lexicon.senses_by_first
        for i, (word, _, _) in enumerate(tokens):
            for pattern in senses.get(word, ()):
                last = _match_at(tokens, i, pattern)
                if last is not None:
                    covered.update(range(i, last + 1))
                    break
        return covered

    def _other_sense(self, sentence: str, tokens: list[Token], first: int, last: int, pattern: Pattern) -> bool:
        """A noun use of a verb trigger ("vital signs"), an object that changes its sense ("met the
        goal"), or a noun that only recalls an event as background ("after the attack")."""
        cues = self._lexicon.cues
        if pattern.kind == "verb" and len(pattern.slots) == 1 and first > 0:
            before, word = tokens[first - 1][0], tokens[first][0]
            if before == "that" and word.endswith("ed"):
                return False  # a relative clause: "states that condemned the attack"
            if before in cues.noun_use_before or before.endswith("'s"):
                return True  # "the attacks", "the swami's retreat": a noun, which only a noun entry may read
        if pattern.kind == "verb" and len(pattern.slots) == 1 and _plural_noun(tokens, last, cues.noun_use_after):
            return True  # "Russian imports of cotton pulp", "arms purchases.": a flow or a topic, not an act
        nominal = pattern.kind == "noun" or (pattern.kind == "verb" and not tokens[first][0].endswith("ed"))
        if nominal and _background(sentence, tokens, first, cues.background_before, cues.noun_use_before):
            return True  # "despite Western sanctions" (a verb lemma used as a noun) but not "after Russia attacked"
        if pattern.kind in ("verb", "noun") and _in_reference_clause(tokens, first, cues):
            return True  # "his first trip abroad since his troops invaded Ukraine": a reference time
        if nominal and last + 1 < len(tokens) and tokens[last + 1][0] in cues.commentary_after:
            return True  # "Lavrov's visit comes at a pivotal time": a comment on the visit
        if pattern.kind == "verb" and first == last and not _has_object(sentence, tokens, last, cues):
            return True  # "he asked", "received a call", "free of charge": no object of the event sense
        if first == last and _participle_modifier(tokens, first, cues.participle_not_after):
            return True  # "militant groups fighting in Syria": describes the groups
        if tokens[last][0] in cues.role_nouns and _patient(tokens, first, last, cues):
            return True  # "tear gas at demonstrators", "300 protesters were detained": the people, not the act
        if nominal and _predicate_after(tokens, first, last, pattern.type, cues):
            return True  # "sanctions must also apply", "imports surged 70%": hypothetical or a statistic
        if nominal and _unrealised(tokens, first, cues.unrealised_before_noun):
            return True  # "the next meeting", "a proposed ban", "such terrorist attacks"
        if _noun_use(tokens, first, pattern, cues) and _reference(tokens, first, cues):
            return True  # "responsible for the attack": a known event as the object of a preposition
        following = [w for w, _, _ in tokens[last + 1 : last + 4] if w not in ("the", "a", "an", "its", "their")]
        if pattern.type == "REJECT" and tokens[last][0] == "to" and following and _amount(following[0]):
            return True  # "income declined to $35.6 million": a figure that fell, no refusal
        for cancel in cues.cancelling_next.get(tokens[last][0], ()):
            if tuple(following[: len(cancel)]) == cancel or (len(cancel) == 1 and cancel[0] in following[:2]):
                return True
            if len(cancel) == 1 and first > 0 and tokens[first - 1][0] == cancel[0]:
                return True  # "a new report released by the UN": the same object, before the verb
        return False

    def _has_scheduled_cue(self, tokens: list[Token]) -> bool:
        joined = " " + " ".join(w for w, _, _ in tokens) + " "
        return any(f" {' '.join(cue)} " in joined for cue in self._lexicon.cues.scheduled)

    def _read_modality(
        self, tokens: list[Token], first: int, pattern: Pattern, scheduled: bool
    ) -> tuple[str, str | None, bool] | None:
        """The trigger's (type, mode, scheduled) as its clause reads it, or None where the clause does
        not state it as done: each check is one class of cue lists in data/cues.json, in order."""
        cues = self._lexicon.cues
        before = _clause_before(tokens, first)
        if _negated(before, cues.negation):
            return None
        if any(w in cues.hypothetical for w in before):
            return None
        wide = _clause_before(tokens, first, _PHRASE_LOOKBACK)
        if not scheduled and _has_phrase(wide[-_INTENT_REACH:], cues.intent, at_end=True):
            return None  # wished-for, intended or attempted: "hopes to meet", "working for his release"
        if _has_phrase(wide, cues.unasserted):
            return None  # "refuted accusations that its members attacked protesters"
        if _has_phrase([w for w, _, _ in tokens[max(0, first - _OFFENCE_REACH) : first]], cues.offence_frames):
            return None  # "charged with burglary, threatening and assault": offences named in a charge
        if pattern.kind == "verb" and tokens[first][0].endswith("ed") and before and before[-1] in cues.present_passive:
            return None  # "they are arrested": a present-tense passive tells a habit
        if pattern.type in cues.accident_types and (
            _accident(tokens, first, cues)
            or _accident_after(tokens, first, cues.accident_nouns_after)
            or _has_phrase(_sentence_part(tokens, first, _ACCIDENT_REACH), cues.accident_phrases)
            or (pattern.kind != "noun" and _accident_subject(tokens, first, cues))
        ):
            return None  # "a canopy collapse ..., which killed 16 people": a disaster, not an assault
        nearby = [w for w, _, _ in tokens[max(0, first - 4) : first]]
        subject = nearby if nearby and nearby[-1] in ("which", "that") else before[-2:]  # "the plan, which calls for"
        if pattern.type == "REQUEST" and (
            any(w in cues.document_subjects for w in subject) or _document_with_topic(wide, first, cues)
        ):
            return None  # "the spending plan calls for cuts", "the forecast for Atlanta calls for rain": a document's content
        if _generic(tokens, first, wide, cues):
            return None  # a habit or general truth: "police often arrest", "has repeatedly said"
        if pattern.kind == "verb" and _aimed_infinitive(tokens, first, cues.aimed_before_to) and not scheduled:
            return None  # "the obligation to sever ties", "evidence to convict"
        if any(w in cues.future for w in before) or scheduled:
            if scheduled:
                return pattern.type, pattern.mode, True
            if pattern.type in cues.threat_types:
                return "THREATEN", pattern.mode if pattern.type != "SANCTION" else "sanction", False
            if pattern.type in cues.pledge_types and any(w in cues.reporting_verbs for w, _, _ in tokens[:first]):
                return "AGREE", "pledge", False
            return None
        return pattern.type, pattern.mode, False


class CountryNames(Protocol):
    """The gazetteer as `in_ontology` uses it (events.geo.gazetteer.Gazetteer)."""

    def candidates(self, name: str) -> list[Place]: ...


def in_ontology(events: Iterable[Event], cues: Cues, countries: CountryNames) -> list[Event]:
    """The events that PLOVER covers: buying, selling, investing or lending (`gated_triggers` in
    data/cues.json) counts only when a state or armed actor takes part, that is when the record names
    a state among its actors (`actor_countries`, or a state or armed sector) or its targets. "Kyrgyzstan
    purchased drones" is an event; "a lottery ticket sold at a gas station" is not."""
    kept = []
    for event in events:
        words = event.trigger.lower().split()
        gated = bool(words) and (words[0] in cues.gated_triggers or _agreed_trade(event, cues))
        if gated and not _state_takes_part(event, cues, countries, targets=words[0] not in cues.gated_by_actor):
            continue
        kept.append(event)
    return kept


def _agreed_trade(event: Event, cues: Cues) -> bool:
    """An agreement to buy, sell or pay ("RJR Nabisco agreed to sell three candy businesses to Nestle"):
    a deal, gated like buying and selling themselves."""
    if event.type != "AGREE":
        return False
    at = event.sentence.find(event.trigger)
    following = event.sentence[at + len(event.trigger) :].split()[:1] if at >= 0 else []
    return bool(following) and following[0].lower() in cues.agreed_trade


def _state_takes_part(event: Event, cues: Cues, countries: CountryNames, targets: bool = True) -> bool:
    """A state among the record's actors, or (with `targets`) a country among its targets."""
    if event.actor_countries or any(s in cues.state_sectors for s in event.actor_sectors if s):
        return True
    if not targets:
        return False
    for name in event.targets:
        found = countries.candidates(name)
        if found and found[0].feature == "country":
            return True
    return False


def _match_at(tokens: list[Token], i: int, pattern: Pattern) -> int | None:
    """Index of the last token of `pattern` matched at `i`, or None."""
    pos = i
    slots = pattern.slots
    k = 0
    while k < len(slots):
        slot = slots[k]
        if slot is None:  # gap: find the next slot within MAX_GAP words, not across a clause break
            nxt = slots[k + 1]
            for skip in range(0, MAX_GAP + 1):
                j = pos + skip
                if j >= len(tokens) or tokens[j][0] in _CLAUSE_BREAK or tokens[j][0] == ".":
                    return None
                if tokens[j][0] in nxt:  # type: ignore[operator]
                    pos = j + 1
                    break
            else:
                return None
            k += 2
            continue
        if pos >= len(tokens) or tokens[pos][0] not in slot:
            return None
        pos += 1
        k += 1
    return pos - 1


def _arguments(sentence: str, tokens: list[Token], matches: list[Match]) -> set[int]:
    """Indexes of triggers that are the object of the trigger before them: "condemned the attack",
    "opposition to the invasion", "condemned terrorist bomb attacks". The sentence reports the
    condemning; the attack is what it is about. Same-type pairs are left to the one-event-per-type
    rule ("claimed responsibility for a bombing"). A verb trigger counts only in a noun's form
    ("bomb attacks"), not as a verb ("condemned X and attacked Y")."""
    found: set[int] = set()
    for k, (first, last, pattern) in enumerate(matches):
        if k == 0:
            continue
        word = tokens[first][0]
        nominal = pattern.kind == "noun" or (
            pattern.kind == "verb" and not word.endswith(("ed", "ing")) and tokens[first - 1][0] != "to")
        _, prev_last, prev = matches[k - 1]
        between = [w for w, _, _ in tokens[prev_last + 1 : first]]
        if nominal and prev.type != pattern.type and len(between) <= _ARGUMENT_GAP \
                and _COORDINATION.isdisjoint(between):
            found.add(k)
        elif nominal and k - 1 in found and prev.type == pattern.type and not between:
            found.add(k)  # the head of the same compound: "terrorist bomb attacks"
    return found


def _background(
    sentence: str, tokens: list[Token], first: int, background: frozenset[str], determiners: frozenset[str]
) -> bool:
    """A noun trigger in a time adjunct ("following the attack", "since Russia's invasion", "despite
    Western sanctions") names an event the sentence takes as known: the news is the main clause."""
    words = 0
    bracketed = False
    for k in range(first - 1, -1, -1):
        word, start, _ = tokens[k]
        if word == "." and k > 0 and len(tokens[k - 1][0]) == 1:
            continue  # the dots of "U.S."
        if word in ("(", ")"):
            bracketed = word == ")"
            continue  # an acronym in brackets inside the noun phrase: "European (EU) sanctions"
        if bracketed or (len(word) == 1 and word.isalpha()):
            continue  # inside the brackets, or a letter of "U.S.": not a word of the phrase
        words += 1
        if words > _BACKGROUND_REACH + 1:
            return False
        if word in background:
            return True
        # only a noun phrase's opening may stand between: "the", "Russia's", "Western", "and"
        if not (word in determiners or word == "and" or word.endswith("'s") or sentence[start].isupper()):
            return False
    return False


def _plural_noun(tokens: list[Token], last: int, after: frozenset[str]) -> bool:
    """A verb trigger's -s form followed by a word that no present-tense verb takes as its next word
    ("imports of", "purchases since"): a plural noun."""
    word = tokens[last][0]
    if not word.endswith("s") or word.endswith("ss") or last + 1 >= len(tokens):
        return False
    return tokens[last + 1][0] in after


def _inside_name(sentence: str, tokens: list[Token], first: int) -> bool:
    """A capitalised word inside a sentence is part of a name ("Import Genius", "Attack Helicopter Co.")."""
    word_start = tokens[first][1]
    if not sentence[word_start].isupper():
        return False
    return tokens[first - 1][0] not in _CLAUSE_BREAK | {".", "!", "?", "‘", "'"}


def _reference(tokens: list[Token], first: int, cues: Cues) -> bool:
    """A noun trigger after a preposition and a definite or possessive determiner, with up to
    _REFERENCE_REACH modifiers between: "in the attack", "of Moscow's full-scale invasion"."""
    k = first - 1
    modifiers = 0
    while k >= 0 and modifiers <= _REFERENCE_REACH:
        word = tokens[k][0]
        if word in _CLAUSE_BREAK or word in (".", "a", "an") or word in cues.reference_prepositions:
            return False
        if word in cues.reference_determiners or word.endswith("'s"):
            if k < 1 or tokens[k - 1][0] not in cues.reference_prepositions:
                return False
            return k < 2 or tokens[k - 2][0] not in cues.reference_frames  # not "the start of Russia's operation"
        k -= 1
        modifiers += 1
    return False


def _has_object(sentence: str, tokens: list[Token], last: int, cues: Cues) -> bool:
    """For a verb in `required_next` (data/cues.json), whether the object its event sense needs
    follows: one of its words within reach, or a name right after it (past a determiner)."""
    rule = cues.required_next.get(tokens[last][0])
    if rule is None:
        return True
    within, words, name, reach_before = rule
    for word, _, _ in reversed(tokens[max(0, last - reach_before) : last]):
        if word in _CLAUSE_BREAK:
            break  # a "." inside the sentence ends an abbreviation ("a summit that Mr. Tokayev attended")
        if word in words:
            return True  # the object before a passive: "the accord was signed"
    following = tokens[last + 1 : last + 1 + within]
    for k, (word, start, _) in enumerate(following):
        if word in _CLAUSE_BREAK or _final_stop(tokens, last + 1 + k):
            return False
        if word in words:
            return True
        if name and k <= 1 and sentence[start].isupper() and (k == 0 or following[0][0] in ("the", "a")):
            return True
    return False


def _final_stop(tokens: list[Token], k: int) -> bool:
    """Token `k` is the sentence's closing full stop. A sentence reaches here already split, so a "."
    inside it ends an abbreviation ("Mr. Tokayev", "Terry A. Corbin", "on Jan. 18"), not a clause."""
    return tokens[k][0] == "." and k == len(tokens) - 1


def _accident(tokens: list[Token], first: int, cues: Cues) -> bool:
    """An accident or disaster noun among the _ACCIDENT_REACH words before the trigger, within its
    sentence part (commas allowed: "a collapse in Novi Sad last November, which killed") and not
    across a subordinator, which starts a clause with a cause of its own ("a fire broke out after
    gunmen attacked"). "Fire" that is gunfire or arson ("sniper fire", "set fire to") is no accident."""
    start = max(0, first - _ACCIDENT_REACH)
    for k in range(first - 1, start - 1, -1):
        word = tokens[k][0]
        if word in (";", "!", "?") or word in cues.accident_subordinators:
            return False  # a "." before the trigger ends an abbreviation ("Dr. Smith was killed")
        if word in cues.accident_nouns and not _weapon_fire(tokens, k, cues):
            return True
    return False


def _weapon_fire(tokens: list[Token], k: int, cues: Cues) -> bool:
    """Whether the "fire" at `k` is gunfire or arson: "sniper fire", "opened fire on", "set fire to"."""
    if tokens[k][0] not in ("fire", "fires"):
        return False
    before = tokens[k - 1][0] if k else ""
    after = tokens[k + 1][0] if k + 1 < len(tokens) else ""
    return before in cues.weapon_fire_before or after in cues.weapon_fire_after


def _sentence_part(tokens: list[Token], first: int, reach: int) -> list[str]:
    """The words within `reach` of the trigger on either side, up to a ";" "!" or "?" on each side."""
    words: list[str] = []
    for word, _, _ in reversed(tokens[max(0, first - reach) : first]):
        if word in (";", "!", "?"):
            break
        words.append(word)
    words.reverse()
    for word, _, _ in tokens[first : first + reach + 1]:
        if word in (";", "!", "?"):
            break
        words.append(word)
    return words


def _accident_subject(tokens: list[Token], first: int, cues: Cues) -> bool:
    """An accident or a fire heading the sentence, and the trigger one of its later verbs: "A fire
    destroyed the roof ..., injuring two firefighters". The subject is sought in the first five words
    (after a dateline); a subordinator or relative word between would bring a subject of its own, and
    so may "and" or a comma, unless the trigger follows right after them ("and injured several others")."""
    if first and (tokens[first - 1][0] in cues.reference_determiners or tokens[first - 1][0].endswith("'s")):
        return False  # a noun: "a blaze broke out during the attack"
    opening = [w for w, _, _ in tokens[: min(5, first)]]
    breaks = cues.accident_subject_breaks | cues.accident_subordinators
    for phrase in cues.accident_subjects:
        for start in range(len(opening) - len(phrase) + 1):
            if tuple(opening[start : start + len(phrase)]) == phrase:
                between = [w for w, _, _ in tokens[start + len(phrase) : first]]
                if any(w in breaks for w in between):
                    return False
                # past "and" or a comma, only a verb of the same subject: "..., injuring", "and injured"
                return not ({"and", ","} & set(between)) or between[-1] in ("and", ",")
    return False


def _document_with_topic(wide: list[str], first: int, cues: Cues) -> bool:
    """A document named with its topic at the start of the trigger's clause: "The forecast for metro
    Atlanta calls for", "The plan for the park calls for". Only when `wide` reaches the clause's start,
    and the document is among its first three words, so a document later in the subject stays an object
    ("Opponents of the plan for the dam called for a vote")."""
    if len(wide) == _PHRASE_LOOKBACK and first > len(wide):
        return False  # the clause starts further back than the words read
    return any(
        w in cues.document_subjects and k + 1 < len(wide) and wide[k + 1] in cues.document_subject_links
        for k, w in enumerate(wide[:3])
    )


def _accident_after(tokens: list[Token], first: int, nouns: frozenset[str]) -> bool:
    """An accident noun among the _ACCIDENT_REACH words after the trigger, before its clause ends."""
    for k, (word, _, _) in enumerate(tokens[first + 1 : first + 1 + _ACCIDENT_REACH], first + 1):
        if word in _CLAUSE_BREAK or word in CLAUSE_WORDS or word in (";", "!", "?") or _final_stop(tokens, k):
            return False  # an inner "." ends an abbreviation: "killed Terry A. Corbin in a hit-and-run accident"
        if word in nouns:
            return True
    return False


def _noun_use(tokens: list[Token], first: int, pattern: Pattern, cues: Cues) -> bool:
    """A noun trigger, or a verb trigger read as a noun: a word right after a determiner or a possessive
    ("the attack"), or an attack's gerund, which names an incident ("the Kenya embassy bombing"). Not a
    finite verb ("as it negotiates") nor a participle ("a petition with the court asking for access")."""
    if pattern.kind == "noun":
        return True
    if pattern.kind != "verb" or tokens[first][0].endswith("ed"):
        return False
    before = tokens[first - 1][0] if first else ""
    if before in cues.reference_determiners or before.endswith("'s"):
        return True
    return tokens[first][0].endswith("ing") and pattern.type == "ASSAULT"


def _in_reference_clause(tokens: list[Token], first: int, cues: Cues) -> bool:
    """An opener of a reference clause ("since") at most three words before the trigger, with only the
    clause's subject between ("since Russia", "since his troops"), not a time ("since then", "since May")."""
    for k in range(first - 1, max(-1, first - 5), -1):
        word = tokens[k][0]
        if word.lower() in cues.background_clause_before:
            following = tokens[k + 1][0].lower()
            return not (following[:1].isdigit() or following in cues.background_clause_times)
        if word in _CLAUSE_BREAK or word in (",", ";", ":", "."):
            return False
    return False


def _amount(word: str) -> bool:
    """A figure or a currency sign, as tokenised ("35.6", "$", "5%")."""
    return word[:1].isdigit() or word in ("$", "£", "€", "¥")


def _unrealised(tokens: list[Token], first: int, modifiers: frozenset[str]) -> bool:
    """A noun trigger with a modifier of a future or proposed event one or two words before it, past
    "of", an article and names ("the threat of NATO air strikes")."""
    words = 0
    for k in range(first - 1, max(-1, first - 6), -1):
        word = tokens[k][0]
        if word in modifiers:
            return True
        if word in ("of", "the", "a", "an") or word[:1].isupper():
            continue
        words += 1
        if words == 2:
            return False
    return False


def _predicate_after(tokens: list[Token], first: int, last: int, type_: str, cues: Cues) -> bool:
    """A modal or a verb of change soon after a noun or gerund trigger, within its clause: the trigger
    is the subject of a hypothetical ("invading Ukraine would ...") or of a statistic ("imports surged")."""
    reported = any(w in cues.reporting_verbs for w, _, _ in tokens[:first])
    for word, _, _ in tokens[last + 1 : last + 1 + _LOOKAHEAD]:
        if word in _CLAUSE_BREAK or word == ".":
            break
        if word in cues.modal_after and not (reported and word in cues.reported_future):
            return True
    if type_ not in cues.statistic_types:
        return False
    for word, _, _ in tokens[last + 1 : last + 1 + _STATISTIC_REACH]:
        if word in (".", ";"):
            return False  # commas allowed: "imports of nitrocellulose, a cotton product, surged 70%"
        if word in cues.statistic_after:
            return True
    return False


def _table_row(tokens: list[Token], last: int) -> bool:
    """The trigger heads a row of figures: "Injured: 4,877", "Killed: 12"."""
    return last + 2 < len(tokens) and tokens[last + 1][0] == ":" and tokens[last + 2][0][:1].isdigit()


def _repeated(tokens: list[Token], last: int, cues: Cues) -> bool:
    """A count of times soon after the trigger, within its clause: "arrested more than a dozen times",
    "has visited Moscow three times". The record would stand for acts the sentence only sums up."""
    window = [w for w, _, _ in tokens[last + 1 : last + 1 + _REPEAT_REACH]]
    for k, word in enumerate(window):
        if word in _CLAUSE_BREAK or word in (".", ";"):
            return False
        if word == "times" and k and (window[k - 1][:1].isdigit() or window[k - 1] in cues.repeat_counts):
            return True
    return False


def _lifted(tokens: list[Token], last: int, cues: Cues) -> bool:
    """A passive auxiliary and a participle of lifting after the trigger, within its clause (commas and
    a dated modifier allowed: "the burn ban issued for the county on Jan. 18 was lifted Monday")."""
    window = tokens[last + 1 : last + 1 + _STATISTIC_REACH]
    for k, (word, _, _) in enumerate(window):
        if word == ";" or word in CLAUSE_WORDS:
            return False  # a "." inside the sentence ends an abbreviation ("on Jan. 18"), not the clause
        if word in cues.passive_auxiliaries:
            following = [w for w, _, _ in window[k + 1 : k + 3]]
            return bool(following) and (following[0] in cues.lifting_after or
                                        (len(following) > 1 and following[1] in cues.lifting_after))
    return False


def _lifting_before(tokens: list[Token], last: int, cues: Cues) -> bool:
    """A noun of lifting, "of" and up to two modifiers before the trigger's last word, also inside a
    longer match: "the lifting of sanctions", "with the discontinuation of the burn ban", "announced
    the lifting of sanctions"."""
    for k in range(last - 1, max(-1, last - 5), -1):
        if tokens[k][0] == "of":
            return k > 0 and tokens[k - 1][0] in cues.lifting_before
        if tokens[k][0] in _CLAUSE_BREAK or tokens[k][0] in CLAUSE_WORDS:
            return False
    return False


def _participle_modifier(tokens: list[Token], first: int, not_after: frozenset[str]) -> bool:
    """An -ing verb trigger right after a plural noun: "protests demanding", "groups fighting"."""
    word = tokens[first][0]
    if first == 0 or not word.endswith("ing"):
        return False
    before = tokens[first - 1][0]
    return len(before) > 3 and before.endswith("s") and not before.endswith(("ss", "'s")) and before not in not_after


def _patient(tokens: list[Token], first: int, last: int, cues: Cues) -> bool:
    """A role noun that something is done to: after a preposition (past numbers and quantifiers,
    "at dozens of demonstrators") or the subject of a passive ("protesters were detained")."""
    k = first - 1
    while k >= 0 and (tokens[k][0] in cues.role_noun_skip or tokens[k][0].isdigit()):
        if tokens[k][0] in cues.role_patient_prepositions and tokens[k + 1][0] != "least":
            break  # a preposition, but not the "at" of "at least"
        k -= 1
    if k >= 0 and tokens[k][0] in cues.role_patient_prepositions:
        return True
    after = [w for w, _, _ in tokens[last + 1 : last + 4]]
    for i, word in enumerate(after[:-1]):
        if word in cues.passive_auxiliaries and after[i + 1].endswith("ed"):
            return True
        if word not in ("had", "have", "has", "also", "later", "reportedly"):
            break
    return False


def _generic(tokens: list[Token], first: int, wide: list[str], cues: Cues) -> bool:
    """A frequency word in the trigger's clause (before it, or just after: "they meet regularly"), a
    generic subject before it ("anyone who buys"), or a frequency phrase anywhere in the sentence."""
    if any(w in cues.generic for w in wide):
        return True
    if any(w in cues.perfect_generic for w in wide) and any(w in cues.present_auxiliaries for w in wide):
        return True  # "has repeatedly said", but not "had repeatedly asked"
    for word, _, _ in tokens[first + 1 : first + 1 + _LOOKAHEAD]:
        if word in _CLAUSE_BREAK or word == ".":
            break
        if word in cues.generic:
            return True
    if _has_phrase(wide, cues.generic_subjects):
        return True
    return _has_phrase([w for w, _, _ in tokens], cues.generic_phrases)


def _aimed_infinitive(tokens: list[Token], first: int, aimed: frozenset[str]) -> bool:
    """A verb trigger in an infinitive that is only aimed at, allowed or asked for ("the obligation to
    sever ties", "disallow them to threaten"), not any infinitive ("used the deal to recruit")."""
    if first < 2 or tokens[first - 1][0] != "to":
        return False
    return any(w in aimed for w, _, _ in tokens[max(0, first - 3) : first - 1])


def _has_phrase(words: list[str], phrases: tuple[tuple[str, ...], ...], at_end: bool = False) -> bool:
    """A phrase among `words`; with `at_end`, one that ends at most one word before their end."""
    joined = " " + " ".join(words) + " "
    if not at_end:
        return any(f" {' '.join(p)} " in joined for p in phrases)
    tail = " " + " ".join(words[-1:]) + " "
    for p in phrases:
        at = joined.rfind(f" {' '.join(p)} ")
        if at >= 0 and at + len(" ".join(p)) + 2 >= len(joined) - len(tail):
            return True
    return False


def _clause_before(tokens: list[Token], first: int, reach: int = _LOOKBACK) -> list[str]:
    words: list[str] = []
    for word, _, _ in reversed(tokens[max(0, first - reach) : first]):
        if word in _CLAUSE_BREAK:
            break
        words.append(word)
    return words[::-1]


def _negated(before: list[str], negation: frozenset[str]) -> bool:
    for k, word in enumerate(before):
        if word in negation or word.endswith("n't"):
            if word == "not" and k + 1 < len(before) and before[k + 1] == "only":
                continue
            return True
    return False
