"""Which triggers of a sentence are events of their own.

Several triggers of one type in a sentence mostly restate one event ("killed
five and injured 12"), so the first of each type is the event. A later one is
a second act when its mode differs from every kept one of the type and a link
word (`second_event_links` in data/cues.json) stands between them:
"suspended the outlets and expelled the correspondents".
"""

from __future__ import annotations

import re

from events.models import Trigger
from events.text.tokens import SentenceDoc


def one_per_type(
    triggers: list[Trigger], sentence: SentenceDoc | None = None, links: frozenset[str] = frozenset()
) -> list[Trigger]:
    """One event per type and sentence: several triggers of a type mostly restate one event ("killed
    five and injured 12"). A later trigger of the type is a second act when its mode differs from
    every kept one of the type (both known) and a link word (`second_event_links` in data/cues.json)
    stands between it and the last of them: "suspended the outlets and expelled the correspondents".
    Without `sentence`, the first trigger of each type only."""
    kept: list[Trigger] = []
    last: dict[str, Trigger] = {}
    for trigger in triggers:
        before = last.get(trigger.type)
        if before is None or sentence is not None and _second_act(trigger, before, kept, sentence, links):
            last[trigger.type] = trigger
            kept.append(trigger)
    return kept


def _second_act(
    trigger: Trigger, before: Trigger, kept: list[Trigger], sentence: SentenceDoc, links: frozenset[str]
) -> bool:
    if trigger.mode is None or any(k.type == trigger.type and k.mode in (None, trigger.mode) for k in kept):
        return False
    between = {word for word, start, end in sentence.words if before.end <= start and end <= trigger.start}
    return not links.isdisjoint(between)


# a second act named as the frame of the first: "for a summit", "in conjunction with a meeting of"
_FRAME = re.compile(r"\b(?:for|with|during)\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)


def frame_phrase(sentence: str, trigger: Trigger) -> re.Match[str] | None:
    """The "for a" / "during the" right before a second act that names the frame of the first
    ("visited Tajikistan and Turkmenistan for a Caspian summit"), or None."""
    return _FRAME.search(sentence, 0, trigger.start)
