"""The temporal tagger's word lists, read from `data/timex.json`.

Words are data, not code (STYLE.md): months, weekdays, number words, units,
tense cues and the rest live in one JSON file that a linguist can edit; this
module only loads it once, freezes it into a typed `Lexicon`, and turns
word lists into regex alternations for the rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_FILE = "timex.json"


@dataclass(frozen=True)
class Lexicon:
    """The word lists of `data/timex.json`, lower case."""

    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_blockers: frozenset[str]
    numbers: dict[str, float]
    vague_numbers: tuple[str, ...]
    ordinals: dict[str, int]
    units: dict[str, str]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    relative: dict[str, int]
    deictic_days: dict[str, int]
    references: dict[str, str]
    reference_blockers: dict[str, frozenset[str]]
    holidays: dict[str, str]
    future_cues: tuple[str, ...]
    past_cues: tuple[str, ...]
    year_cues: frozenset[str]
    year_strong_cues: frozenset[str]
    count_units: frozenset[str]
    ambiguous_months: frozenset[str]
    deadline_words: frozenset[str]
    set_adverbs: dict[str, str]
    quantity_words: frozenset[str]
    year_label_blockers: frozenset[str]


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read the word lists once; `path` overrides the packaged file (tests)."""
    if path is None:
        raw = resources.files("events").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
    data = json.loads(raw)
    return Lexicon(
        months=dict(data["months"]),
        weekdays=dict(data["weekdays"]),
        weekday_blockers=frozenset(data["weekday_blockers"]),
        numbers={k: float(v) for k, v in data["numbers"].items()},
        vague_numbers=tuple(data["vague_numbers"]),
        ordinals=dict(data["ordinals"]),
        units=dict(data["units"]),
        seasons=dict(data["seasons"]),
        parts_of_day=dict(data["parts_of_day"]),
        relative=dict(data["relative"]),
        deictic_days=dict(data["deictic_days"]),
        references=dict(data["references"]),
        reference_blockers={k: frozenset(v) for k, v in data["reference_blockers"].items()},
        holidays=dict(data["holidays"]),
        future_cues=tuple(data["future_cues"]),
        past_cues=tuple(data["past_cues"]),
        year_cues=frozenset(data["year_cues"]),
        year_strong_cues=frozenset(data["year_strong_cues"]),
        count_units=frozenset(data["count_units"]),
        ambiguous_months=frozenset(data["ambiguous_months"]),
        deadline_words=frozenset(data["deadline_words"]),
        set_adverbs=dict(data["set_adverbs"]),
        quantity_words=frozenset(data["quantity_words"]),
        year_label_blockers=frozenset(data["year_label_blockers"]),
    )


def alt(words: Iterable[str]) -> str:
    """Alternation, longest first so "sept" is tried before "sep"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def cased(words: Iterable[str]) -> str:
    """Alternation of names that must be capitalised ("May", "MAY", never "may")."""
    forms: set[str] = set()
    for word in words:
        forms.add(word[:1].upper() + word[1:])
        forms.add(word.upper())
    return "(?-i:" + alt(forms) + ")"
