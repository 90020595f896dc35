"""Casualty counts (events/triggers/magnitude.py): the number a sentence states for the dead and the injured."""

from __future__ import annotations

import pytest

from events.triggers.magnitude import CasualtyReader


@pytest.fixture(scope="module")
def reader():
    return CasualtyReader()


@pytest.mark.parametrize("sentence, killed, injured", [
    ("At least 32 civilians were killed in an attack by the paramilitary Rapid Support Forces.", 32, None),
    ("Abd al-Qadir Abd al-Rahman, director of the ambulance service, said 16 people were wounded in the attack.",
     None, 16),
    ("The toll rose to five dead and 57 wounded.", 5, 57),
    ("Gunmen stormed the hotel, killing at least 12 and wounding 40.", 12, 40),
    ("Russia arrested 11 suspects and the death toll rose to 133.", 133, None),
    ("The attack, which resulted in the death of 143 people and counting, was claimed by the group.", 143, None),
    ("According to authorities, 48 police officers were injured and 22 protesters sought medical treatment.",
     None, 48),
    ("The security forces killed six gunmen and evacuated the area.", 6, None),
])
def test_a_stated_count_is_read(reader, sentence, killed, injured):
    toll = reader.read(sentence)
    assert (toll.killed, toll.injured) == (killed, injured)


@pytest.mark.parametrize("sentence", [
    "The 2015 attack killed civilians in the capital.",  # a year is no count
    "Dozens were injured when police fired tear gas.",  # no number stated
    "Police arrested 11 suspects after the attack.",  # a count of arrests, not casualties
    "He was killed on May 10, 2024, in Kabul.",  # a date's numbers are no count
])
def test_no_count_is_made_up(reader, sentence):
    toll = reader.read(sentence)
    assert (toll.killed, toll.injured) == (None, None)


def test_only_attacks_carry_casualties(pipeline):
    events = pipeline.extract_text("Police arrested 11 suspects after 16 people were killed in the bombing.",
                                   published="2024-03-25")
    by_type = {e.type: e for e in events}
    assert by_type["ASSAULT"].killed == 16
    assert by_type["COERCE"].killed is None
