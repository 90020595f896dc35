"""Attach who, when and where to a trigger found in a sentence.

Each function reads one relation from the sentence's surface structure:
actors come before the trigger (or after a passive "by"), targets after it;
the date is the temporal expression nearest the trigger; the place is a
toponym that a locative preposition ("in", "at", "near") or a visit ("visited
Tashkent", "a visit to Turkey") ties to the event. A place merely named in
the sentence ("Kazakhstan's president") is not where the event happened, so
it is not taken (EVENTS.md section 5).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from events.actors.finder import StoryActors
from events.models import Mention, Timex, Toponym, Trigger
from events.places.links import PlaceCues
from events.text.tokens import CLAUSE_MARK, CLAUSE_PUNCTUATION

# a word that may stand between a locative and its place: no verb, clause word or number
# ("in a ruling cited Lahore", "In 2021, Poland said"), so the search moves on to a nearer preposition
_GAP_WORD = (
    r"(?!(?:is|was|were|are|has|have|had|says|said|which|who|that|and|or|but|to|as|where)\b)"
    r"(?![\w\-’']*\d)"
    r"(?!(?!(?:occupied|embattled|besieged|disputed|annexed|contested|troubled|neighbou?red|landlocked|united|"
    r"oil-rich|war-torn|rebel-held)\b)[a-z]+ed\b)"
    r"[\w\-’']+,?\s+"
)
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|throughout|on the outskirts of|in the city of|"
    rf"in the region of|held in)\s+(?:the\s+)?(?:{_GAP_WORD}){{0,3}}$"
    # "in the eastern Ukrainian city of Kharkiv", "in the restive southern province of Balochistan"
    r"|\b(?:in|at|near|outside|inside|into|across|throughout|to)\s+(?:the\s+|a\s+)?(?:[\w\-’']+\s+){0,4}"
    r"(?:city|town|village|region|province|district|capital|state|county|area|republic|port|island|enclave|"
    r"suburb|neighbou?rhood|governorate|oblast|municipality)\s+of\s+$",
    re.IGNORECASE,
)
_DESTINATION = re.compile(r"\b(?:to|visited|visiting|visits|visit|toured|arrived in)\s+(?:the\s+)?$", re.IGNORECASE)
# "by the US", "by a Belarusian court", "by the paramilitary Rapid Support Forces"
_PASSIVE_BY = re.compile(r"\bby\s+(?:(?:the|a|an)\s+)?(?:[a-z][a-z\-]+\s+){0,2}$")
# "fighting between the Sudanese army and the RSF": both sides of a clash are its actors
_BETWEEN = re.compile(r"\s+(?:[a-z]+\s+){0,2}?between\s+[^,;:.]{3,120}")
_REPORTING = re.compile(
    r"\b(?:said|says|stated|told|reported|announced|added|noted|declared|according to|claimed)\b(?:\s+(?:that|on\s+\w+))?",
    re.IGNORECASE,
)
_LONG_AGENT_GAP = 8  # the same after a passive trigger, within its clause
_ORDERED_TO = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?:ordered|told|forced)\s+to\s+$",
                         re.IGNORECASE)
# "the attack", "Monday's attack", "the deadly strike": an attack named as a thing already told
_THE_EVENT = re.compile(r"\b(?:the|this|that|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                        r"[Yy]esterday|[Tt]oday|[Ww]eekend)['’]s)\s+(?:[a-z\-]+\s+)?$")
_VERB_BEFORE = re.compile(r"\b([a-z]+)\s+(?:(?:responsibility|credit)\s+for\s+)?(?:the|this|that|\w+['’]s)\s+"
                          r"(?:[a-z\-]+\s+)?$")
_AGENT_GAP = 3  # words between a trigger and its "by" agent without an auxiliary ("seized last week by")
# "the attack ... was claimed by": a passive verb right before the agent
_BE_PARTICIPLE = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|ne)\s+$", re.IGNORECASE)
_SCENE_BEFORE = re.compile(r"\b(?:in|at|near|across|throughout|inside)\s+(?:the\s+)?$", re.IGNORECASE)
_PASSIVE_VERB = re.compile(
    r"\b(?:was|were|is|are|been|being|be|got|get|gets)\s+(?:\w+ly\s+|not\s+|also\s+|reportedly\s+)?$", re.IGNORECASE
)
_IRREGULAR_PARTICIPLES = frozenset({"shot", "hit", "held", "struck", "met", "sent", "put", "cut", "set", "caught",
                                    "fought", "brought", "led", "sold", "kept", "left", "seized", "freed"})
# "and offered", "and then shut", "and was advising", "and has also expelled": a second verb of one subject
_COORDINATED_VERB = re.compile(
    r"\s(?:and|but)\s+(?:(?:was|were|is|are|has|have|had)\s+)?(?:\w+ly\s+|also\s+|then\s+)?$")
_RELATIVE_LINK = re.compile(r",?\s+(?:which|who)\s+(?:\w+ly\s+)?", re.IGNORECASE)
# ", during his visits to Azerbaijan and Armenia," : an adjunct set off by commas inside a clause
_ASIDE = re.compile(
    r",\s+(?:during|after|before|in|on|at|while|when|according to|as|despite|following)\b[^,;]{0,120},",
    re.IGNORECASE,
)
_OPEN_QUOTES = ("“", '"')
_CLOSE_QUOTES = ("”", '"')
# '," he added' / '," Abayev told TASS' / '”, the ministry said'
_ATTRIBUTION_AFTER = re.compile(
    r"[,.!?]?\s*[”\"]\s*,?\s*(?:(?P<pronoun>he|she)\b|[A-Z][\w\-’']*(?:\s+[A-Z][\w\-’']*){0,3})"
    r"\s+(?:said|says|added|told|stated|noted|wrote|declared|explained|continued)\b"
)
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
_REACH = 140
_CLAUSE_COST = 60
_FRAME_CHARS = 40
_CLAUSE_MARK = CLAUSE_MARK
_OPENING_PARTICIPLE = re.compile(r"^\s*[A-Z][a-z]+ing\b[^,;:]{0,120},")
_OFFSET_UNITS = {"D": 1, "W": 7}
_AFTER_CLAUSE = re.compile(r",\s+(?:just\s+|shortly\s+|soon\s+)?after\s+[^,;:.]*$", re.IGNORECASE)
# "the two year anniversary of", "the 20th anniversary of": the number of years, when written in digits
_ANNIVERSARY = re.compile(r"\b(?:(\d{1,3})(?:st|nd|rd|th)\s+)?anniversary\s+of\b", re.IGNORECASE)
_OFFSET_LINK = re.compile(r"\s+(after|before)\b", re.IGNORECASE)
_OPENING_LOCATIVE = re.compile(r"^\s*(?:in|at|near|outside|inside)\s+(?:the\s+)?(?:(?:city|town|region|province|village)\s+of\s+)?$", re.IGNORECASE)
# ", who was appointed in 2005,", ", one of the largest producers in Uzbekistan,", "– which opposes
# the regime in Syria -": a date or place inside such an aside belongs to the aside only
_RELATIVE_ASIDE = re.compile(
    r",\s+(?:who|which|whose|whom|one of|home to|a|an)\b[^,;]*,"
    r"|\s[-\u2013\u2014]\s+(?:who|which|whose|whom)\b[^\u2013\u2014;]*?\s[-\u2013\u2014]\s"
    r"|\((?:as|like|such as|including|unlike|as in|as did|as with)\b[^()]*\)"  # "(as in Mali and Niger)"
)
_RANGE_JOIN = re.compile(r"\s*(?:and|to|through|until|till|-|–|—)\s*", re.IGNORECASE)
# "attacked Afghanistan", "the invasion of Ukraine", "visiting Tajikistan", "sent to Syria"
OBJECT_IS_PLACE = frozenset({"ASSAULT", "MOBILIZE", "CONSULT", "RETREAT"})
_INTO = re.compile(r"\binto\s+(?:the\s+)?(?:[\w\-’']+\s+){0,2}$", re.IGNORECASE)
# "attacked Kabul", "the invasion of Ukraine", "shelled the eastern city of Goma"
_OBJECT_GAP = re.compile(
    r"\s*(?:(?:of|to|on|into|from|in)\s+)?(?:the\s+)?"
    r"(?:(?:[a-z\-]+\s+){0,2}(?:city|town|village|region|province|district|capital|port|island)\s+of\s+)?",
    re.IGNORECASE,
)
_KIND_ORDER = {"person": 0, "country": 1, "org": 2, "group": 2}
_VISIT_MODES = frozenset({"visit"})
_AGENT_SUFFIXES = ("ers", "ors", "ists", "ants")  # protesters, demonstrators, activists, militants


@dataclass(frozen=True)
class Roles:
    actors: list[str]
    targets: list[str]
    countries: list[str]
    actor_mentions: list[Mention]
    sectors: list[str | None] = field(default_factory=list)  # parallel to `actors` (EVENTS.md section 3)


def roles(
    sentence: str,
    trigger: Trigger,
    mentions: Sequence[Mention],
    triggers: Sequence[Trigger],
    country_name: Callable[[str], str],
    referent: Mention | None = None,
    story: StoryActors | None = None,
) -> Roles:
    """Actors and targets of `trigger` from their positions around it.

    `referent` is the person "he" or "she" most likely means (the subject of
    the last sentence that named someone). An official or a ministry acts for
    its state, so the state joins the actors ("Sergei Lavrov" -> also
    "Russia"). `story` names the doers the story made known: its state does a
    state-only act told with no agent ("Dozens have been detained", "were
    ordered to suspend"); its armed group did "the attack" that others confirm.
    """
    implicit_state = story.state if story is not None and story.state_act else None
    prev_end = max((t.end for t in triggers if t.end <= trigger.start), default=0)
    # in reported speech the speaker is not the doer: "X said Y arrested Z" -> Y
    reporting = [m.end() for m in _REPORTING.finditer(sentence, prev_end, trigger.start)]
    window_start = prev_end
    if reporting and any(m.start >= reporting[-1] for m in mentions if m.end <= trigger.start):
        window_start = reporting[-1]
    next_start = min((t.start for t in triggers if t.start >= trigger.end), default=len(sentence))

    aside = next((a for a in _ASIDE.finditer(sentence, 0, trigger.start) if a.start() <= window_start < a.end()), None)
    if aside is not None:
        # "Tokayev, during his visits to Azerbaijan and Armenia, underscored": the subject precedes the aside
        window_start = max((t.end for t in triggers if t.end <= aside.start()), default=0)
    in_aside = (lambda m: aside.start() <= m.start < aside.end()) if aside is not None else (lambda m: False)
    # "In Cuba, people rallied": a country named as the scene is not a doer
    scenes = {m for m in mentions if m.kind == "country" and _SCENE_BEFORE.search(sentence, 0, m.start)}
    # a newspaper or agency that reports is no actor (EVENTS.md section 3)
    doers = [m for m in mentions if m not in scenes and m.sector != "media"]
    before = [m for m in doers if window_start <= m.start and m.end <= trigger.start and not in_aside(m)]
    if not before:
        before = [m for m in doers if m.end <= trigger.start]
    after = [m for m in mentions if m.start >= trigger.end and m.start < next_start]
    passive = [m for m in after if _passive_agent(sentence, trigger, m)]
    relative = _relative_subject(sentence, trigger, mentions)
    if passive or _PASSIVE_VERB.search(sentence, 0, trigger.start) and _participle(trigger.text):
        # "Slepian was killed by a gunshot", "14 foreigners were arrested": the subject suffered it
        actors_m = passive or _announced_by(sentence, trigger, prev_end, mentions, implicit_state)
        targets_m = before[-3:] + [m for m in after if m not in passive]
    elif relative is not None:
        actors_m = [relative]
        targets_m = after
    else:
        actors_m = before[-3:] if before else []
        targets_m = after
    earlier = [t for t in triggers if t.end <= trigger.start]
    suffered = bool(_PASSIVE_VERB.search(sentence, 0, trigger.start)) and _participle(trigger.text)
    if not passive and not suffered and earlier and _COORDINATED_VERB.search(sentence, 0, trigger.start):
        # "Estrada condemned the bombings in Kenya and offered condolences": one subject, two verbs
        shared = roles(sentence, earlier[-1], mentions, triggers, country_name, referent, story)
        if shared.actor_mentions:  # else the subject stands between: "clashes continued as authorities ... and shut down"
            actors_m = shared.actor_mentions
            targets_m = after
    if not actors_m and trigger.type == "ASSAULT":
        between = _BETWEEN.match(sentence, trigger.end)
        if between is not None:
            actors_m = [m for m in mentions if between.start() <= m.start and m.end <= between.end()]
    if not actors_m and referent is not None and _PRONOUN.search(sentence, window_start, trigger.start):
        actors_m = [referent]
    if not actors_m:
        actors_m = _quoted_speaker(sentence, trigger, mentions, referent)
    if not actors_m and implicit_state is not None:
        actors_m = [implicit_state]  # "a curfew is in place": only a state imposes one
    if not passive and story is not None and story.state is not None and _ORDERED_TO.search(sentence, 0, trigger.start):
        actors_m = [story.state]  # "companies were ordered to suspend services": by the authorities
    if not passive and trigger.type == "ASSAULT" and story is not None and _THE_EVENT.search(sentence, 0, trigger.start):
        # "X confirmed the attack": X reports it; the story's armed group did it, unless X "claimed" it
        verb = _VERB_BEFORE.search(sentence, 0, trigger.start)
        if verb is None or verb.group(1).lower() not in story.doer_verbs:
            actors_m = [story.group] if story.group is not None else []
    states = [
        Mention(m.start, m.end, m.text, country_name(m.country), "country", m.country, sector=m.sector)
        for m in actors_m if m.for_state and m.country
    ]
    actors = _ordered_names([*actors_m, *states])
    targets = [n for n in _ordered_names(targets_m, keep_order=True) if n not in actors]
    countries = sorted({m.country for m in actors_m if m.country})
    sector_of: dict[str, str | None] = {}
    for m in [*actors_m, *states]:
        if sector_of.get(m.name) is None:
            sector_of[m.name] = m.sector
    return Roles(actors, targets, countries, list(actors_m), [sector_of.get(name) for name in actors])


def _announced_by(
    sentence: str, trigger: Trigger, prev_end: int, mentions: Sequence[Mention], implicit_state: Mention | None
) -> list[Mention]:
    """The doer of an agentless passive state act: the state official or body that announces it ("Minister X
    said Radio Omega was suspended" -> X, and the state), else the story's state; none for other acts."""
    if implicit_state is None:
        return []
    said = [m.start() for m in _REPORTING.finditer(sentence, prev_end, trigger.start)]
    if said:
        speakers = [m for m in mentions if m.end <= said[-1] and m.for_state]
        if speakers and speakers[-1].name != implicit_state.name:
            return [speakers[-1], implicit_state]
        if speakers:
            return [speakers[-1]]
    return [implicit_state]


def _passive_agent(sentence: str, trigger: Trigger, mention: Mention) -> bool:
    """Whether "by <mention>" is the trigger's own passive agent: "was seized by German authorities",
    "sanctioned by the US", but not "asked media to rely on information distributed by the authorities"."""
    if not _PASSIVE_BY.search(sentence[max(0, mention.start - 40) : mention.start]):
        return False
    by = sentence.rfind("by", trigger.end, mention.start)
    gap = len(sentence[trigger.end : by].split())
    if gap <= _AGENT_GAP or _BE_PARTICIPLE.search(sentence, max(0, by - 40), by):
        return True
    # "was sentenced to eight years in prison by a Belarusian court": the trigger's own passive, same clause
    passive_trigger = _PASSIVE_VERB.search(sentence, 0, trigger.start) and _participle(trigger.text)
    return bool(passive_trigger) and gap <= _LONG_AGENT_GAP and not re.search(r"[,;:]", sentence[trigger.end : by])


def _participle(text: str) -> bool:
    first = text.split()[0].lower()
    return first.endswith(("ed", "en", "wn")) or first in _IRREGULAR_PARTICIPLES


def _relative_subject(sentence: str, trigger: Trigger, mentions: Sequence[Mention]) -> Mention | None:
    """The name a relative pronoun stands for: "International Flavors & Fragrances, which suspended
    its shipments" -> the company does the suspending."""
    earlier = [m for m in mentions if m.end <= trigger.start]
    if not earlier:
        return None
    last = earlier[-1]
    return last if _RELATIVE_LINK.fullmatch(sentence[last.end : trigger.start]) else None


def _quoted_speaker(
    sentence: str, trigger: Trigger, mentions: Sequence[Mention], referent: Mention | None
) -> list[Mention]:
    """Inside a quotation, the speaker its attribution names: '"... we are ready," Abayev said',
    '"...," he added' (the person named last before), 'Lavrov said: "..."'."""
    opened = max(sentence.rfind(q, 0, trigger.start) for q in _OPEN_QUOTES)
    closed = max(sentence.rfind(q, 0, trigger.start) for q in _CLOSE_QUOTES)
    after = _ATTRIBUTION_AFTER.search(sentence, trigger.end)
    if after is not None:
        speaker = [m for m in mentions if after.start() <= m.start < after.end()]
        if speaker:
            return speaker[:1]
        if after.group("pronoun") and referent is not None:
            return [referent]
    if opened > closed or (opened == -1 and closed == -1 and after is None):
        before = [m for m in mentions if m.end <= max(opened, 0)]
        if opened > 0 and before and _REPORTING.search(sentence, before[-1].end, opened):
            return [before[-1]]
    return []


def event_date(
    sentence: str, trigger: Trigger, timexes: Sequence[Timex], triggers: Sequence[Trigger]
) -> Timex | None:
    """The dated expression nearest the trigger, unless another trigger is nearer to it.

    Nearness counts clause breaks as well as characters: in "KTJ, which swore
    allegiance to al-Qaeda in 2015, praised the Taliban", 2015 dates the
    allegiance, not the praise.
    """
    asides = _asides_apart_from(sentence, trigger)
    dated = [t for t in timexes if t.date is not None and not any(a <= t.start and t.end <= b for a, b in asides)]
    shifted = _offset_date(sentence, trigger, timexes, dated) or _anniversary_date(sentence, trigger, timexes, dated)
    if shifted is not None:
        return shifted
    own = [
        t for t in dated
        if _cost(sentence, t, trigger) <= min(_cost(sentence, t, other) for other in triggers)
        or _plain_tie(sentence, t, trigger, triggers)
    ]
    if not own:
        # a date that opens the sentence ("Earlier in July 2022, ...") frames every event in it
        first_trigger = min(t.start for t in triggers)
        own = [t for t in dated if t.end <= first_trigger and t.start < _FRAME_CHARS]
    if not own:
        # so does one in an opening participle ("Speaking at a press conference on Sunday, Vucic accused")
        opening = _OPENING_PARTICIPLE.match(sentence)
        if opening is not None and trigger.start >= opening.end():
            own = [t for t in dated if t.end <= opening.end()]
    if not own:
        # "severed ties with Tehran in 2016, after protesters stormed the embassy": an act told in an
        # after-clause of a main clause dated to a year or a month falls in that year or month
        after = _AFTER_CLAUSE.search(sentence, 0, trigger.start)
        if after is not None:
            own = [t for t in dated if t.end <= after.start() and t.precision in ("year", "month")
                   and not _CLAUSE_MARK.search(sentence, t.end, after.start())]
    if not own:
        return None
    best = min(own, key=lambda t: (_cost(sentence, t, trigger), t.start > trigger.start))
    return _joined_range(sentence, best, dated)


def _plain_tie(sentence: str, timex: Timex, trigger: Trigger, triggers: Sequence[Trigger]) -> bool:
    """A date in the trigger's own clause with nothing between them but words: no clause break
    and no other trigger ("demonstrators gathered near parliament in Tbilisi on Thursday,
    demanding ...": Thursday dates the gathering, though "demanding" stands nearer)."""
    lo, hi = (timex.end, trigger.start) if timex.end <= trigger.start else (trigger.end, timex.start)
    if hi - lo > _REACH or _CLAUSE_MARK.search(sentence, lo, hi):
        return False
    return not any(lo <= other.start < hi for other in triggers if other is not trigger)


def _offset_date(
    sentence: str, trigger: Trigger, timexes: Sequence[Timex], dated: Sequence[Timex]
) -> Timex | None:
    """"announced a curfew on Tuesday, a day after 18 people were killed": the killing is dated
    from the main clause's date, not from the article's."""
    for duration in timexes:
        unit = _OFFSET_UNITS.get((duration.value or "")[-1:]) if duration.type == "DURATION" else None
        if unit is None or not (duration.value or "")[1:-1].isdigit() or duration.end > trigger.start:
            continue
        link = _OFFSET_LINK.match(sentence, duration.end)
        if link is None or _CLAUSE_MARK.search(sentence, link.end(), trigger.start):
            continue
        main = [t for t in dated if t.end <= duration.start and t.precision == "day" and t.date]
        if not main:
            continue
        days = int((duration.value or "")[1:-1]) * unit * (1 if link.group(1).lower() in ("after", "later") else -1)
        # "a day after X" dates X a day BEFORE the main clause's date, and "a day before X" a day after it
        day = date.fromisoformat(main[-1].date[:10]) - timedelta(days=days)
        text = sentence[duration.start : link.end()].strip()
        return Timex(duration.start, link.end(), text, "DATE", day.isoformat(), day.isoformat(), None, "day")
    return None


def _anniversary_date(
    sentence: str, trigger: Trigger, timexes: Sequence[Timex], dated: Sequence[Timex]
) -> Timex | None:
    """"Tomorrow will mark the two year anniversary of the invasion", "marked the 20th anniversary of
    the attacks on Sunday": the sentence's date is the anniversary's; the event is that many years
    before it, at the same precision."""
    for mark in _ANNIVERSARY.finditer(sentence, 0, trigger.start):
        if _CLAUSE_MARK.search(sentence, mark.end(), trigger.start):
            continue
        years = int(mark.group(1)) if mark.group(1) else None
        for duration in timexes:
            value = duration.value or ""
            if years is None and duration.type == "DURATION" and duration.end <= mark.start() \
                    and not sentence[duration.end : mark.start()].strip(" -") and value[1:-1].isdigit() \
                    and value.endswith("Y"):
                years = int(value[1:-1])
        main = [t for t in dated if t.date and (t.end <= mark.start() or t.start >= trigger.end)]
        if not years or not main:
            continue
        when = min(main, key=lambda t: abs(t.start - mark.start()))
        year = int(when.date[:4]) - years
        return replace(when, date=f"{year:04d}{when.date[4:]}", date_end=None,
                       text=sentence[min(when.start, mark.start()) : max(when.end, mark.end())])
    return None


def _asides_apart_from(sentence: str, trigger: Trigger) -> list[tuple[int, int]]:
    """Spans of the relative and appositive asides that do not hold the trigger: their dates
    and places are theirs, not the trigger's."""
    return [m.span() for m in _RELATIVE_ASIDE.finditer(sentence) if not m.start() <= trigger.start < m.end()]


def _joined_range(sentence: str, timex: Timex, dated: Sequence[Timex]) -> Timex:
    """Two dates joined into one span ("in 2022 and early 2023", "Aug. 26 to Oct. 20") date the
    event from the first to the last, whichever of the two is nearer the trigger."""
    ordered = sorted(dated, key=lambda t: t.start)
    k = ordered.index(timex)
    first, last = timex, timex
    if k > 0 and _RANGE_JOIN.fullmatch(sentence[ordered[k - 1].end : timex.start]):
        first = ordered[k - 1]
    elif k + 1 < len(ordered) and _RANGE_JOIN.fullmatch(sentence[timex.end : ordered[k + 1].start]):
        last = ordered[k + 1]
    if first is last or first.date is None or (last.date_end or last.date or "") < first.date:
        return timex
    return replace(
        first, end=last.end, text=sentence[first.start : last.end], date_end=last.date_end or last.date
    )


def event_place(
    sentence: str,
    trigger: Trigger,
    toponyms: Sequence[Toponym],
    actor_spans: Sequence[Mention],
    triggers: Sequence[Trigger] = (),
    cues: PlaceCues | None = None,
) -> Toponym | None:
    """The toponym that says where the event happened, or None.

    Only the stretch of the sentence that belongs to this trigger is searched
    (up to the neighbouring triggers, and at most _REACH characters away), so
    "warned ... about the attack in Moscow" does not place the warning in Moscow.
    """
    resolved = [t for t in toponyms if t.place is not None]
    if not resolved:
        return None
    # people named by a trigger word ("detained 12 protesters in Kazan") share the scene of the act done to them
    bounds = [t for t in triggers if not (t.argument and t.text.lower().endswith(_AGENT_SUFFIXES))]
    lo = max((t.end for t in bounds if t.end <= trigger.start), default=0)
    hi = min((t.start for t in bounds if t.start >= trigger.end), default=len(sentence))
    taken = [(m.start, m.end) for m in actor_spans]
    # "condemned the bombings in Kenya and offered condolences": places before the "and" are the first verb's
    coordinated = _COORDINATED_VERB.search(sentence, 0, trigger.start)
    if coordinated is not None:
        lo = max(lo, coordinated.start())
    candidates: list[tuple[int, Toponym]] = []
    asides = _asides_apart_from(sentence, trigger)
    for top in resolved:
        if any(a <= top.start < b for a, b in asides):
            continue
        distance = _distance(top.start, top.end, trigger)
        if top.start < lo or top.end > hi or distance > _REACH:
            continue
        if any(s <= top.start < e for s, e in taken):
            continue
        if sentence[top.end : top.end + 2] in ("'s", "’s"):
            continue
        if cues is not None and (
            cues.owner_not_host(sentence, top) or cues.speaks(sentence, top) or cues.topic_of_noun(sentence, top, trigger)
            or cues.seat_of(sentence, top)
        ):
            continue
        if cues is not None and trigger.type in cues.verbal_types and top.start >= trigger.end:
            words_between = len(sentence[trigger.end : top.start].split())
            if words_between > cues.verbal_gap + 1:  # the preposition itself is one of them
                continue  # "condemned the vandalism of graves in Belarus": the topic, not the scene
        left = sentence[max(0, top.start - 60) : top.start]
        between = sentence[trigger.end : top.start] if top.start >= trigger.end else None
        if _LOCATIVE.search(left):
            candidates.append((distance, top))
        elif trigger.type in OBJECT_IS_PLACE and _INTO.search(left):
            candidates.append((distance, top))  # "fired rockets into Israel"; an arrest "as they crossed into" is not there
        elif between is not None and cues is not None and cues.scene_verb.fullmatch(between):
            candidates.append((distance, top))  # "the protests engulfed Nairobi"
        elif between is not None and trigger.type in OBJECT_IS_PLACE and _OBJECT_GAP.fullmatch(between):
            candidates.append((distance, top))
        elif trigger.mode in _VISIT_MODES and top.start >= trigger.start and _DESTINATION.search(left):
            candidates.append((distance, top))
    if not candidates:
        return _framing_place(sentence, resolved, triggers, cues)
    return min(candidates, key=lambda c: c[0])[1]


def is_locative(sentence: str, top: Toponym) -> bool:
    """Whether a locative phrase introduces the toponym ("at the Presidential Palace here")."""
    return _LOCATIVE.search(sentence[max(0, top.start - 60) : top.start]) is not None


def _framing_place(
    sentence: str, toponyms: Sequence[Toponym], triggers: Sequence[Trigger], cues: PlaceCues | None
) -> Toponym | None:
    """A locative that opens the sentence ("In Nairobi, Albright laid a wreath and met survivors")
    sets the scene of every event in it, as an opening date does."""
    first_trigger = min((t.start for t in triggers), default=len(sentence))
    for top in toponyms:
        if top.start >= _FRAME_CHARS or top.end > first_trigger:
            break
        if _OPENING_LOCATIVE.match(sentence[: top.start]) and not (cues and cues.owner_not_host(sentence, top)):
            comma = sentence.find(",", top.end)
            if comma != -1 and comma < first_trigger and not sentence[top.end : comma].strip(" .'’s"):
                return top
    return None


def _cost(sentence: str, timex: Timex, trigger: Trigger) -> int:
    """Characters between a timex and a trigger, plus a clause's worth for each clause break."""
    lo, hi = (timex.end, trigger.start) if timex.end <= trigger.start else (trigger.end, timex.start)
    between = sentence[lo:hi] if hi > lo else ""
    return max(0, hi - lo) + _CLAUSE_COST * sum(between.count(c) for c in CLAUSE_PUNCTUATION)


def _distance(start: int, end: int, trigger: Trigger) -> int:
    if end <= trigger.start:
        return trigger.start - end
    if start >= trigger.end:
        return start - trigger.end
    return 0


def _ordered_names(mentions: Sequence[Mention], keep_order: bool = False) -> list[str]:
    ordered = list(mentions) if keep_order else sorted(mentions, key=lambda m: _KIND_ORDER.get(m.kind, 3))
    names: list[str] = []
    for m in ordered:
        if m.name not in names:
            names.append(m.name)
    return names


_UNKNOWN_PLACE = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?((?:[A-Z][\w\-’']+)(?:\s+[A-Z][\w\-’']+){0,2})")


def unknown_place_name(
    sentence: str, trigger: Trigger, toponyms: Sequence[Toponym], mentions: Sequence[Mention]
) -> str | None:
    """A capitalised name after a locative near the trigger that neither the gazetteer nor the actor
    finder knows ("in Kok-Tash"): worth asking an online geocoder about."""
    known = [(t.start, t.end) for t in toponyms] + [(m.start, m.end) for m in mentions]
    for match in _UNKNOWN_PLACE.finditer(sentence):
        start, end = match.span(1)
        if _distance(start, end, trigger) > _REACH:
            continue
        if any(s < end and start < e for s, e in known):
            continue
        return match.group(1)
    return None
