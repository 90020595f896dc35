"""Recall of the trigger stage on wire-report wording: acts the lexicon or the one-event-per-type
rule used to lose, each with a case where the same words must stay silent or stay one event."""

from __future__ import annotations


def _events(pipeline, text):
    return pipeline.extract_text(text, published="2024-03-25")


def test_two_acts_of_one_type_joined_by_and_are_two_events(pipeline):
    events = _events(pipeline, "On Friday the military government suspended the radio station and "
                               "expelled two foreign correspondents.")
    coerce = sorted((e.trigger, e.mode, e.date) for e in events if e.type == "COERCE")
    assert coerce == [("expelled", "expel", "2024-03-22"), ("suspended", "suspend", "2024-03-22")]


def test_a_second_act_with_no_scene_of_its_own_shares_the_first_acts_place(pipeline):
    events = _events(pipeline, "Riot police fired tear gas at demonstrators in Nairobi and shut down "
                               "mobile internet connections.")
    coerce = {e.trigger: e.place for e in events if e.type == "COERCE"}
    assert coerce == {"fired tear gas": "Nairobi", "shut down": "Nairobi"}


def test_one_act_told_by_two_triggers_stays_one_event(pipeline):
    assault = [e for e in _events(pipeline, "Gunmen killed five villagers and wounded 12 others on Friday.")
               if e.type == "ASSAULT"]
    arrest = [e for e in _events(pipeline, "The suspect was arrested on Sunday and charged with robbery.")
              if e.type == "COERCE"]
    assert len(assault) == 1 and len(arrest) == 1
