"""Triggers for street unrest and its policing, read on wire-report wording: each must fire in
its event sense and stay silent where the same words mean something else."""

from __future__ import annotations

import pytest


def _types(pipeline, text):
    return {(e.type, e.mode) for e in pipeline.extract_text(text, published="2024-03-25")}


@pytest.mark.parametrize("text, event_type, mode", [
    ("Police fired tear gas at students occupying an intersection in central Dhaka.", "COERCE", "repress"),
    ("Riot police dispersed the crowd with water cannon on Monday.", "COERCE", "repress"),
    ("Overnight, crowds looted shops and burned cars in the region.", "PROTEST", "riot"),
    ("Three more people died during the ransacking of a shopping center in Juliaca.", "PROTEST", "riot"),
    ("Gunmen exchanged fire with the security forces for several hours.", "ASSAULT", "firearms"),
    ("A man died after his vehicle was set on fire by a mob.", "ASSAULT", None),
    ("President Bazoum was overthrown on July 26 by members of the Presidential Guard.", "COERCE", "coup"),
    ("Both sides reinforced border troops after the skirmish.", "MOBILIZE", "military"),
])
def test_unrest_wording_is_an_event(pipeline, text, event_type, mode):
    assert (event_type, mode) in _types(pipeline, text)


@pytest.mark.parametrize("text, event_type", [
    ("Firefighters put out a kitchen fire at the apartment complex on Tuesday.", "ASSAULT"),
    ("Students dispersed into other classrooms after the renovation.", "COERCE"),
    ("The program will reinforce what parents teach their children.", "MOBILIZE"),
])
def test_the_same_words_in_another_sense_are_no_event(pipeline, text, event_type):
    assert event_type not in {t for t, _ in _types(pipeline, text)}
