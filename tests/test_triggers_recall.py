"""Recall of the trigger stage on wire-report wording: acts the lexicon or the one-event-per-type
rule used to lose, each with a case where the same words must stay silent or stay one event."""

from __future__ import annotations

import pytest


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


def test_a_meeting_held_where_a_visit_went_is_its_own_event(pipeline):
    events = _events(pipeline, "Modi paid a state visit to Washington on Thursday, where he met President "
                               "Joe Biden at the White House.")
    assert sorted(e.mode for e in events if e.type == "CONSULT") == ["meet", "visit"]
    one = _events(pipeline, "The minister visited Kyiv on Friday, where he visited a children's hospital.")
    assert len([e for e in one if e.type == "CONSULT"]) == 1


def test_a_second_act_that_frames_the_first_takes_its_doers(pipeline):
    events = _events(pipeline, "Erdogan visited Lithuania and Latvia on Tuesday for a NATO summit.")
    summit = [e for e in events if e.type == "CONSULT" and e.trigger == "summit"]
    assert len(summit) == 1 and "Recep Tayyip Erdoğan" in summit[0].actors


def test_one_act_told_by_two_triggers_stays_one_event(pipeline):
    assault = [e for e in _events(pipeline, "Gunmen killed five villagers and wounded 12 others on Friday.")
               if e.type == "ASSAULT"]
    arrest = [e for e in _events(pipeline, "The suspect was arrested on Sunday and charged with robbery.")
              if e.type == "COERCE"]
    assert len(assault) == 1 and len(arrest) == 1


@pytest.mark.parametrize("text, event_type, mode", [
    ("The foreign ministry expressed its gratitude to Qatar for mediating the prisoner exchange.",
     "SUPPORT", "praise"),
    ("Chinese President Xi Jinping welcomed Brazilian President Luiz Inacio Lula da Silva in Beijing on Friday.",
     "CONSULT", "host"),
    ("Erdogan held an official welcoming ceremony for the emir of Qatar in Ankara.", "CONSULT", "host"),
    ("Prime Minister Rishi Sunak ruled out an early election on Monday.", "REJECT", None),
    ("The U.S. State Department advised its citizens not to travel to Haiti.", "REQUEST", None),
    ("Prosecutors in Paris opened an investigation into the fire on Tuesday.", "ACCUSE", "investigate"),
    ("Israel blocked all crossings into Gaza on Monday.", "SANCTION", "border"),
    ("M23 rebels took control of the town of Bunagana on Monday.", "COERCE", "seize"),
    ("A Russian missile struck an apartment block in Dnipro on Saturday.", "ASSAULT", "missile"),
    ("Israeli air strikes killed 20 people in Rafah overnight.", "ASSAULT", "aerial"),
    ("The reporter was severely beaten by plainclothes officers outside the courthouse.", "ASSAULT", "beat"),
    ("North Korea ignored the warnings and launched another ballistic missile on Sunday.", "REJECT", None),
    ("The French government defended the decision to ban the protest.", "SUPPORT", "endorse"),
    ("Thousands of Bolsonaro supporters stormed Brazil's Congress on Sunday.", "PROTEST", "riot"),
    ("Riot police used batons and pepper spray to disperse the crowd outside parliament.", "COERCE", "repress"),
])
def test_wire_wording_is_an_event(pipeline, text, event_type, mode):
    assert (event_type, mode) in {(e.type, e.mode) for e in _events(pipeline, text)}


@pytest.mark.parametrize("text, event_type", [
    ("The statement expressed concern over the appreciation of the yen.", "SUPPORT"),
    ("The president welcomed the minister's decision to resign.", "CONSULT"),
    ("Investigators ruled out foul play in the fire.", "REJECT"),
    ("Doctors advised him to rest for two weeks.", "REQUEST"),
    ("The opposition demanded that prosecutors open an investigation.", "ACCUSE"),
    ("Railway crossings were blocked by snow for several hours.", "SANCTION"),
    ("The new owners took control of the company last year.", "COERCE"),
    ("Officials said a missile could have struck the plane.", "ASSAULT"),
    ("The defending champion was beaten in the final on Sunday.", "ASSAULT"),
    ("Investors ignored the threat of higher interest rates.", "REJECT"),
    ("The coach defended his decision to leave the captain on the bench.", "SUPPORT"),
    ("Fans stormed the pitch after the final whistle.", "PROTEST"),
    ("Officers should use batons only as a last resort, the guidelines say.", "COERCE"),
])
def test_the_same_words_in_another_sense_are_no_event(pipeline, text, event_type):
    assert event_type not in {e.type for e in _events(pipeline, text)}


def test_a_verb_after_and_with_an_auxiliary_shares_the_first_verbs_subject(pipeline):
    events = _events(pipeline, "Kenya closed its border with Somalia and was advising its citizens not to "
                               "travel to the region.")
    request = [e for e in events if e.type == "REQUEST"]
    assert [e.actors for e in request] == [["Kenya"]]


def test_a_passive_verb_after_and_does_not_take_the_first_verbs_subject(pipeline):
    events = _events(pipeline, "Alexei Navalny criticised the Kremlin and was arrested on Sunday.")
    arrest = [e for e in events if e.type == "COERCE"]
    assert len(arrest) == 1 and "Alexei Navalny" not in arrest[0].actors


def test_an_act_in_an_after_clause_falls_in_the_main_clauses_year(pipeline):
    events = _events(pipeline, "Britain severed diplomatic ties with Libya in 1984, after a policewoman was shot "
                               "outside the Libyan embassy in London.")
    assert [e.date for e in events if e.type == "ASSAULT"] == ["1984"]


def test_a_main_clauses_day_is_not_lent_to_its_after_clause(pipeline):
    events = _events(pipeline, "The army declared a curfew on Tuesday, after protesters stormed the parliament.")
    assert [e.date for e in events if e.type == "PROTEST"] == [None]


def test_a_frame_named_right_after_a_place_happens_there(pipeline):
    # the summit is in the last country visited, the one "for a ... summit" follows
    events = _events(pipeline, "Erdogan visited Lithuania and Latvia for a NATO summit on Tuesday.")
    (summit,) = [e for e in events if e.type == "CONSULT" and e.trigger == "summit"]
    assert summit.place == "Latvia"


def test_a_frame_not_next_to_a_place_takes_the_first_act_place(pipeline):
    # a date between the place and the frame: nothing says which country hosts it; the visit's scene stands
    events = _events(pipeline, "Erdogan visited Lithuania and Latvia on Tuesday for a NATO summit.")
    (visit,) = [e for e in events if e.type == "CONSULT" and e.trigger != "summit"]
    (summit,) = [e for e in events if e.type == "CONSULT" and e.trigger == "summit"]
    assert summit.place == visit.place and summit.place != "Latvia"
