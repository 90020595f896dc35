"""EVENTS.md section 5, rule by rule (events/places.py): the scene a sentence names, the story's
incident a sentence continues, a state's domestic act, and null for the rest.

Each rule has news wording where it must fire and wording where the same words must not,
so a rule that fires everywhere fails.
"""

from __future__ import annotations

import pytest

from events.models import Article
from events.places import dateline_place


def _events(pipeline, text, published="2024-03-25"):
    return pipeline.extract(Article("t1", text, published=published))


def _of(pipeline, text, trigger):
    found = [e for e in _events(pipeline, text) if e.trigger.lower() == trigger.lower()]
    assert found, [(e.type, e.trigger) for e in _events(pipeline, text)]
    return found[-1]


# -- rule 1: the sentence names the scene ----------------------------------------------------

@pytest.mark.parametrize("text, trigger, place, country, precision", [
    ("Clashes broke out in the eastern Ukrainian city of Kharkiv on Monday.", "Clashes", "Kharkiv", "UA", "point"),
    ("Police detained 12 protesters in the Republic of Tatarstan on Monday.", "detained", "Tatarstan", "RU", "admin1"),
    ("Troops clashed with rebels in the Republic of Dagestan on Monday.", "clashed", "Dagestan", "RU", "admin1"),
    ("The protests engulfed Nairobi on Tuesday.", "protests", "Nairobi", "KE", "point"),
    ("Protesters clashed with police in the Kenyan capital on Monday.", "clashed", "Nairobi", "KE", "point"),
    ("Rebels attacked an army post in the capital of Somalia on Monday.", "attacked", "Mogadishu", "SO", "point"),
    ("Protests erupted in several Nigerian cities on Monday.", "Protests", "Nigeria", "NG", "country"),
    ("A Lahore court ordered the arrest of the opposition leader on Monday.", "arrest", "Lahore", "PK", "point"),
])
def test_the_sentence_names_the_scene(pipeline, text, trigger, place, country, precision):
    event = _of(pipeline, text, trigger)
    assert (event.place, event.country, event.geo_precision, event.place_basis) == (
        place, country, precision, "sentence"
    )


@pytest.mark.parametrize("text, trigger", [
    # a place the statement is about is not where it was made
    ("Poland has condemned the vandalism of Polish graves in Belarus.", "condemned"),
    ("Russia's foreign ministry condemned the attack in Kabul.", "condemned"),
    # a place that belongs to another noun ("the war in Ukraine") or describes a company
    # (the offer is the event: hosting is only offered, so no CONSULT is read, issue 11)
    ("Kazakhstan is prepared to host negotiations to settle the war in Ukraine.", "is prepared to"),
    # a capital standing for its government is an actor
    ("The opposition leader was arrested on Tuesday in what Moscow says was a lawful operation.", "arrested"),
    # two destinations in two countries are no one scene
    ("During his visits to Azerbaijan and Armenia, Tokayev signed several agreements.", "signed"),
    # a town's name inside an unrelated clause is not the court's seat
    ("The court in a ruling cited Lahore police reports and ordered the arrest of the leader.", "arrest"),
])
def test_a_place_the_event_is_not_at_stays_off(pipeline, text, trigger):
    assert _of(pipeline, text, trigger).place is None


def test_a_court_named_after_its_country_places_a_domestic_act_in_that_country(pipeline):
    event = _of(pipeline, "Kenya's High Court suspended the deployment of police officers on Friday.", "suspended")
    assert (event.country, event.geo_precision, event.place_basis) == ("KE", "country", "actor")


def test_a_country_named_before_a_court_does_not_place_a_statement(pipeline):
    event = _of(pipeline, "Kenya's High Court criticised the government on Friday.", "criticised")
    assert event.place is None


# -- the dateline ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, country", [
    ("PUNO, Peru -- Peru on Tuesday announced a curfew.", "Puno", "PE"),
    ("TBILISI, June 21. /TASS/. More than 300 protesters were detained.", "Tbilisi", "GE"),
    ("WARSAW (Reuters) - Poland is to close a border crossing.", "Warsaw", "PL"),
    ("HANOI: Vietnam today rolled out the red carpet.", "Hanoi", "VN"),
])
def test_a_dateline_names_the_town_it_was_filed_from(gazetteer, text, name, country):
    place = dateline_place(text, gazetteer)
    assert place is not None and (place.name, place.country) == (name, country)


@pytest.mark.parametrize("text", [
    "NATO leaders met in Vilnius on Tuesday.",  # an acronym opening a sentence is no dateline
    "Russia halted the flow of oil on Wednesday.",
])
def test_ordinary_openings_are_no_dateline(gazetteer, text):
    assert dateline_place(text, gazetteer) is None


def test_the_dateline_is_the_scene_of_the_lead(pipeline):
    # the welcoming of a visiting leader is the hosting (CONSULT host), which stands for the visit
    event = _of(pipeline, "HANOI: Vietnam today welcomed the Malaysian prime minister on a two-day official visit.",
                "welcomed the Malaysian prime minister")
    assert (event.place, event.place_basis) == ("Hanoi", "sentence")


def test_the_dateline_does_not_override_a_scene_abroad(pipeline):
    text = "WASHINGTON (AP) — Thousands of protesters rallied in Paris on Saturday against the pension reform."
    assert _of(pipeline, text, "protesters").place == "Paris"


# -- rule 2: the story's incident ------------------------------------------------------------

STORY = ("Tens of thousands of protesters rallied in Belgrade on Saturday against the government. "
         "Police used batons and pepper spray. Dozens have already been detained. ")


def test_a_follow_up_takes_the_place_of_the_incident_it_continues(pipeline):
    event = _of(pipeline, STORY, "detained")
    assert (event.place, event.place_basis) == ("Belgrade", "story")


@pytest.mark.parametrize("tail, trigger", [
    ("The European Union condemned the violence.", "condemned"),  # a statement from afar
    ("Vucic spoke by phone with Putin on Sunday.", "spoke by phone"),  # a call has no one scene
    ("In 2019, police detained dozens of activists.", "detained"),  # another time is another incident
    ("Croatian police detained two Serbian activists at the border.", "detained"),  # another state acts
])
def test_what_does_not_continue_the_incident_takes_no_story_place(pipeline, tail, trigger):
    event = _of(pipeline, STORY + tail, trigger)
    assert event.place_basis != "story"


def test_a_plan_continues_an_ongoing_visit_of_known_date(pipeline):
    text = ("Prime Minister Ismail Sabri arrived in Hanoi today for a two-day official visit. "
            "In the evening, the Prime Minister is scheduled to hold separate meetings with Vietnamese leaders.")
    event = _of(pipeline, text, "meetings")
    assert (event.place, event.place_basis, event.status) == ("Hanoi", "story", "scheduled")


# -- rule 3: a domestic act ------------------------------------------------------------------

@pytest.mark.parametrize("text, trigger, country", [
    ("Burkina Faso's junta-led government has suspended one of the country's most popular radio stations.",
     "suspended", "BF"),
    ("In recent months, the Burkinabe authorities have suspended the French TV outlets.", "suspended", "BF"),
    ("The journalist was sentenced to eight years in prison by a Belarusian court.", "sentenced to", "BY"),
])
def test_a_state_acting_at_home_places_the_act_in_its_country(pipeline, text, trigger, country):
    event = _of(pipeline, text, trigger)
    assert (event.country, event.geo_precision, event.place_basis) == (country, "country", "actor")


def test_a_state_acting_abroad_is_not_placed_at_home(pipeline):
    event = _of(pipeline, "Russia's government imposed sanctions on Lithuania on Monday.", "imposed sanctions")
    assert event.place is None


def test_a_dated_act_weeks_before_the_story_does_not_continue_its_undated_incident(pipeline):
    text = ("Burkina Faso's junta-led government has suspended one of the country's most popular radio stations. "
            "On July 26, Bazoum was overthrown by members of the Presidential Guard.")
    events = pipeline.extract(Article("t1", text, published="2023-08-11"))
    coup = next(e for e in events if e.trigger == "overthrown")
    assert coup.place_basis != "story"
    later = pipeline.extract(Article("t1", text.replace("On July 26", "On Thursday"), published="2023-08-11"))
    assert next(e for e in later if e.trigger == "overthrown").place_basis == "story"


def test_a_place_in_a_parenthetical_comparison_is_not_the_scene(pipeline):
    text = "In 2022, Burkina Faso underwent two military coups, each triggered in part (as in Mali and Niger) by anger."
    assert _of(pipeline, text, "military coups").country != "ML"
