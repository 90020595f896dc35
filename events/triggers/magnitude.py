"""Casualty counts: how many were killed and injured, where the sentence says so.

EVENTS.md section 3 gives ASSAULT events `killed` and `injured` (PLOVER's dead
and injured), null where unstated. News states a count in two shapes: the
number before a casualty word ("at least 32 civilians were killed", "the toll
rose to five dead and 57 wounded") or after a casualty verb or toll ("killing
12", "the death toll rose to 133"). Word lists are in `data/magnitude.json`.
A year is never a count ("the 2015 attack killed ...").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"


@dataclass(frozen=True)
class Casualties:
    killed: int | None = None
    injured: int | None = None


class CasualtyReader:
    """Reads `Casualties` off a sentence; built once, from the packaged word lists."""

    def __init__(self) -> None:
        data = json.loads((resources.files("events") / "data" / "magnitude.json").read_text(encoding="utf-8"))
        self._numbers = {k.lower(): int(v) for k, v in data["number_words"].items()}
        number = rf"(?P<n>{_DIGITS}|{_alternation(self._numbers)})"
        qualifier = rf"(?:(?:{_alternation(data['qualifiers'])})\s+)?"
        casualty = _alternation(data["killed"] + data["injured"])
        # words between a number and its casualty word: no other number, casualty word or clause joint
        gap = rf"(?:(?!(?:and|or|but|{casualty})\b)[^\W\d][\w\-’']*\s+){{0,{int(data['max_words_between'])}}}?"
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for kind in ("killed", "injured"):
            words = _alternation(data[kind])
            verbs = _alternation(data["verbs_before_number"][kind])
            # "32 civilians were killed", "five dead", "16 people were wounded"
            self._patterns.append((kind, re.compile(
                rf"\b{number}\s+{gap}(?:(?:were|was|have\s+been|had\s+been|are|is|been)\s+)?(?:{words})\b", re.IGNORECASE
            )))
            # "killing at least 12", "the death toll rose to 133"
            self._patterns.append((kind, re.compile(rf"\b(?:{verbs})\s+{qualifier}{number}\b", re.IGNORECASE)))

    def read(self, sentence: str) -> Casualties:
        found: dict[str, int] = {}
        for kind, pattern in self._patterns:
            if kind in found:
                continue
            for match in pattern.finditer(sentence):
                value = self._value(match.group("n"))
                if value is not None:
                    found[kind] = value
                    break
        return Casualties(found.get("killed"), found.get("injured"))

    def _value(self, text: str) -> int | None:
        key = text.lower()
        if key in self._numbers:
            return self._numbers[key]
        if "," not in text and len(text) == 4 and 1800 <= int(text) <= 2200:
            return None  # a year, not a count
        return int(text.replace(",", ""))


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
