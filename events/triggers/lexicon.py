"""Trigger lexicon: PLOVER triggers read from data files and compiled for matching.

The lexicon lists lemmas and phrases once (`data/triggers.tsv`); inflected
forms are generated here so that a new trigger is one line of data, and the
handful of verbs English inflects irregularly live in `data/irregular_verbs.tsv`.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from importlib import resources

from events.text.tokens import tokenize

GAP = "..."
MAX_GAP = 3



@dataclass(frozen=True)
class Pattern:
    """One trigger phrase: a sequence of word-form sets, GAP allowing skipped words."""

    slots: tuple[frozenset[str] | None, ...]  # None = gap
    type: str
    mode: str | None
    phrase: str
    kind: str = "fixed"  # verb, noun or fixed, as in triggers.tsv


@dataclass(frozen=True)
class Cues:
    """Modality cue words (see data/cues.json for why each list exists)."""

    negation: frozenset[str]
    hypothetical: frozenset[str]
    future: frozenset[str]
    scheduled: tuple[tuple[str, ...], ...]
    threat_types: frozenset[str]
    pledge_types: frozenset[str]
    reporting_verbs: frozenset[str]
    noun_use_before: frozenset[str]
    noun_use_after: frozenset[str]
    background_before: frozenset[str]
    background_clause_before: frozenset[str]
    background_clause_times: frozenset[str]
    commentary_after: frozenset[str]
    cancelling_next: dict[str, tuple[tuple[str, ...], ...]]
    generic: frozenset[str]
    generic_phrases: tuple[tuple[str, ...], ...]
    generic_subjects: tuple[tuple[str, ...], ...]
    intent: tuple[tuple[str, ...], ...]
    unasserted: tuple[tuple[str, ...], ...]
    modal_after: frozenset[str]
    statistic_after: frozenset[str]
    statistic_types: frozenset[str]
    reported_future: frozenset[str]
    required_next: dict[str, tuple[int, frozenset[str], bool, int]]  # verb form -> within, words, name, before
    unrealised_before_noun: frozenset[str]
    protest_content_types: frozenset[str]
    cargo_subjects: frozenset[str]
    sent_things: frozenset[str]
    repeat_counts: frozenset[str]
    repeated_in_one_act: frozenset[str]
    present_passive: frozenset[str]
    offence_frames: tuple[tuple[str, ...], ...]
    document_subjects: frozenset[str]
    accident_nouns: frozenset[str]
    accident_nouns_after: frozenset[str]
    accident_types: frozenset[str]
    accident_phrases: tuple[tuple[str, ...], ...]
    accident_subjects: tuple[tuple[str, ...], ...]
    accident_subject_breaks: frozenset[str]
    accident_subordinators: frozenset[str]
    weapon_fire_before: frozenset[str]
    weapon_fire_after: frozenset[str]
    document_subject_links: frozenset[str]
    aimed_before_to: frozenset[str]
    perfect_generic: frozenset[str]
    present_auxiliaries: frozenset[str]
    reference_frames: frozenset[str]
    reference_prepositions: frozenset[str]
    reference_determiners: frozenset[str]
    gated_triggers: frozenset[str]
    gated_by_actor: frozenset[str]
    agreed_trade: frozenset[str]
    role_nouns: frozenset[str]
    participle_not_after: frozenset[str]
    role_patient_prepositions: frozenset[str]
    role_noun_skip: frozenset[str]
    passive_auxiliaries: frozenset[str]
    lifting_after: frozenset[str]
    lifting_before: frozenset[str]
    lifted_types: frozenset[str]
    lifted_modes: frozenset[str]
    state_sectors: frozenset[str]
    # words between two triggers of one type that make the second a second act (pipeline)
    second_event_links: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    """Compiled trigger patterns, indexed by the forms their first word can take."""

    by_first: dict[str, tuple[Pattern, ...]]
    cues: Cues
    # phrases in which a trigger word has another sense (data/senses.tsv); `type` holds the class
    senses_by_first: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Lexicon":
        irregular = _read_irregular()
        by_first = _index("triggers.tsv", "type", irregular)
        senses = _index("senses.tsv", "class", irregular)
        return cls(by_first=by_first, cues=_read_cues(), senses_by_first=senses)


def verb_forms(lemma: str, irregular: dict[str, tuple[str, ...]]) -> frozenset[str]:
    if lemma in irregular:
        return frozenset((lemma, *irregular[lemma]))
    forms = {lemma}
    if re.search(r"(s|x|z|ch|sh)$", lemma):
        forms.add(lemma + "es")
    elif re.search(r"[^aeiou]y$", lemma):
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma.endswith("ee"):
        forms |= {lemma + "d", lemma + "ing"}
    elif lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    elif re.search(r"[^aeiou]y$", lemma):
        forms |= {lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + "ed", lemma + "ing"}
        if re.search(r"[^aeiou][aeiou][bdglmnprt]$", lemma):  # ban -> banned, rebut -> rebutted
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return frozenset(forms)


def noun_forms(noun: str) -> frozenset[str]:
    if re.search(r"(s|x|z|ch|sh)$", noun):
        return frozenset((noun, noun + "es"))
    if re.search(r"[^aeiou]y$", noun):
        return frozenset((noun, noun[:-1] + "ies"))
    return frozenset((noun, noun + "s"))


def _compile(phrase: str, kind: str, type_: str, mode: str, irregular: dict[str, tuple[str, ...]]) -> Pattern:
    words = [w for w, _, _ in tokenize(phrase)] if GAP not in phrase else []
    if GAP in phrase:
        words = []
        for part in phrase.split(GAP):
            words += [w for w, _, _ in tokenize(part)] + [GAP]
        words = words[:-1]
    slots: list[frozenset[str] | None] = [None if w == GAP else frozenset((w,)) for w in words]
    if kind == "verb":
        slots[0] = verb_forms(words[0], irregular)
    elif kind == "noun":
        slots[-1] = noun_forms(words[-1])
    elif kind != "fixed":
        raise ValueError(f"triggers.tsv: unknown kind {kind!r} for {phrase!r}")
    return Pattern(tuple(slots), type_, None if mode in ("", "-") else mode, phrase, kind)


def _index(name: str, label: str, irregular: dict[str, tuple[str, ...]]) -> dict[str, tuple[Pattern, ...]]:
    """Patterns of a phrase table indexed by the forms of their first word, longest first."""
    index: dict[str, list[Pattern]] = {}
    for row in _read_tsv(name):
        try:
            pattern = _compile(row["phrase"], row["kind"], row[label], row.get("mode") or "", irregular)
        except (KeyError, IndexError, TypeError) as err:
            raise ValueError(f"{name}: bad row {row!r}: {err}") from err
        first = pattern.slots[0]
        if first is None:
            raise ValueError(f"{name}: phrase starts with a gap: {row['phrase']}")
        for form in first:
            index.setdefault(form, []).append(pattern)
    return {k: tuple(sorted(v, key=lambda p: -len(p.slots))) for k, v in index.items()}


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files("events").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _read_irregular() -> dict[str, tuple[str, ...]]:
    return {row["lemma"]: tuple(row["forms"].split()) for row in _read_tsv("irregular_verbs.tsv")}


def _read_cues() -> Cues:
    raw = json.loads(resources.files("events").joinpath("data", "cues.json").read_text(encoding="utf-8"))
    try:
        return _cues(raw)
    except KeyError as err:
        raise ValueError(f"cues.json: missing cue list {err}") from err


def _cues(raw: dict) -> Cues:
    return Cues(
        negation=frozenset(raw["negation"]),
        hypothetical=frozenset(raw["hypothetical"]),
        future=frozenset(raw["future"]),
        scheduled=tuple(tuple(w for w, _, _ in tokenize(p)) for p in raw["scheduled"]),
        threat_types=frozenset(raw["threat_types"]),
        pledge_types=frozenset(raw["pledge_types"]),
        reporting_verbs=frozenset(raw["reporting_verbs"]),
        noun_use_before=frozenset(raw["noun_use_before"]),
        noun_use_after=frozenset(raw["noun_use_after"]),
        background_before=frozenset(raw["background_before"]),
        background_clause_before=frozenset(raw["background_clause_before"]),
        background_clause_times=frozenset(raw["background_clause_times"]),
        commentary_after=frozenset(raw["commentary_after"]),
        cancelling_next={
            word: tuple(tuple(w for w, _, _ in tokenize(p)) for p in following)
            for word, following in raw["cancelling_next"].items()
        },
        generic=frozenset(raw["generic"]),
        generic_phrases=_phrases(raw["generic_phrases"]),
        generic_subjects=_phrases(raw["generic_subjects"]),
        intent=_phrases(raw["intent"]),
        unasserted=_phrases(raw["unasserted"]),
        modal_after=frozenset(raw["modal_after"]),
        statistic_after=frozenset(raw["statistic_after"]),
        statistic_types=frozenset(raw["statistic_types"]),
        reported_future=frozenset(raw["reported_future"]),
        required_next=_required_next(raw["required_next"]),
        unrealised_before_noun=frozenset(raw["unrealised_before_noun"]),
        protest_content_types=frozenset(raw["protest_content_types"]),
        cargo_subjects=frozenset(raw["cargo_subjects"]),
        sent_things=frozenset(raw["sent_things"]),
        repeat_counts=frozenset(raw["repeat_counts"]),
        repeated_in_one_act=frozenset(raw["repeated_in_one_act"]),
        present_passive=frozenset(raw["present_passive"]),
        offence_frames=_phrases(raw["offence_frames"]),
        document_subjects=frozenset(raw["document_subjects"]),
        accident_nouns=frozenset(raw["accident_nouns"]),
        accident_nouns_after=frozenset(raw["accident_nouns_after"]),
        accident_types=frozenset(raw["accident_types"]),
        accident_phrases=_phrases(raw["accident_phrases"]),
        accident_subjects=_phrases(raw["accident_subjects"]),
        accident_subject_breaks=frozenset(raw["accident_subject_breaks"]),
        accident_subordinators=frozenset(raw["accident_subordinators"]),
        weapon_fire_before=frozenset(raw["weapon_fire_before"]),
        weapon_fire_after=frozenset(raw["weapon_fire_after"]),
        document_subject_links=frozenset(raw["document_subject_links"]),
        aimed_before_to=frozenset(raw["aimed_before_to"]),
        perfect_generic=frozenset(raw["perfect_generic"]),
        present_auxiliaries=frozenset(raw["present_auxiliaries"]),
        reference_frames=frozenset(raw["reference_frames"]),
        reference_prepositions=frozenset(raw["reference_prepositions"]),
        reference_determiners=frozenset(raw["reference_determiners"]),
        role_nouns=frozenset(raw["role_nouns"]),
        participle_not_after=frozenset(raw["participle_not_after"]),
        role_patient_prepositions=frozenset(raw["role_patient_prepositions"]),
        role_noun_skip=frozenset(raw["role_noun_skip"]),
        passive_auxiliaries=frozenset(raw["passive_auxiliaries"]),
        lifting_after=frozenset(raw["lifting_after"]),
        lifting_before=frozenset(raw["lifting_before"]),
        lifted_types=frozenset(raw["lifted_types"]),
        lifted_modes=frozenset(raw["lifted_modes"]),
        gated_triggers=frozenset(raw["gated_triggers"]),
        gated_by_actor=frozenset(raw["gated_by_actor"]),
        agreed_trade=frozenset(raw["agreed_trade"]),
        state_sectors=frozenset(raw["state_sectors"]),
        second_event_links=frozenset(raw["second_event_links"]),
    )


def _required_next(raw: dict[str, dict]) -> dict[str, tuple[int, frozenset[str], bool, int]]:
    """Each form of each verb lemma -> (words to look within after it, object words, a name counts,
    words to look within before it)."""
    irregular = _read_irregular()
    out: dict[str, tuple[int, frozenset[str], bool, int]] = {}
    for lemma, rule in raw.items():
        spec = (int(rule["within"]), frozenset(rule["words"]), bool(rule["name"]), int(rule.get("before", 0)))
        for form in verb_forms(lemma, irregular):
            out[form] = spec
    return out


def _phrases(items: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w for w, _, _ in tokenize(p)) for p in items)
