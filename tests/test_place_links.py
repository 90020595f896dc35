"""Places an event takes from a site, a domestic authority or a linked clause (events/places/links.py).

Each rule is checked on a sentence where it must fire and on one where the
same words must not place the event, so a rule that fires everywhere fails.
"""

from __future__ import annotations

import pytest

from events.models import Article


def _events(pipeline, text, published="2024-03-25"):
    return pipeline.extract(Article("t1", text, published=published))


def _only(pipeline, text, event_type):
    found = [e for e in _events(pipeline, text) if e.type == event_type]
    assert len(found) == 1, [(e.type, e.trigger) for e in _events(pipeline, text)]
    return found[0]


# -- named sites and gatherings -----------------------------------------------

@pytest.mark.parametrize("text, event_type, country", [
    ("Drones attacked the Zaporizhzhia nuclear power plant on Sunday.", "ASSAULT", "UA"),
    ("The Kabul airport was shelled on Sunday.", "ASSAULT", "AF"),
    ("Tokayev attended the St. Petersburg International Economic Forum in June.", "CONSULT", "RU"),
    ("The Fergana Chemical Plant supplied nitrocellulose to Russian gunpowder makers.", "COOPERATE", "UZ"),
])
def test_a_site_named_after_its_town_places_its_events(pipeline, text, event_type, country):
    event = _only(pipeline, text, event_type)
    assert event.country == country and event.geo_precision in ("point", "admin1")


def test_a_name_that_only_honours_a_place_is_not_a_site(pipeline):
    signing = _only(pipeline, "More than 190 countries signed the Paris Agreement in 2016.", "AGREE")
    assert signing.place is None


def test_a_countrys_embassy_stands_abroad(pipeline):
    protest = _only(pipeline, "Protesters gathered outside the U.S. embassy on Friday.", "PROTEST")
    assert protest.place is None
    protest = _only(pipeline, "Protesters gathered outside the U.S. embassy in Almaty on Friday.", "PROTEST")
    assert protest.country == "KZ"


def test_a_countrys_possession_is_not_a_site_of_that_name(gazetteer):
    from events.models import Place, Toponym
    from events.places.links import PlaceCues, site_end

    kz = Place("Kazakhstan", "KZ", 48.0, 68.0, "country")
    sentence = "Kazakhstan's Tengiz oil field was shut."
    assert site_end(sentence, Toponym(0, 10, "Kazakhstan", kz), PlaceCues.load()) is None


# -- domestic authorities -----------------------------------------------------

@pytest.mark.parametrize("text, country", [
    ("The $600 million yacht was seized by German authorities last week.", "DE"),
    ("Uzbek police detained two journalists on Tuesday.", "UZ"),
])
def test_a_domestic_authoritys_coercion_happens_at_home(pipeline, text, country):
    event = _only(pipeline, text, "COERCE")
    assert (event.country, event.geo_precision) == (country, "country")


def test_what_an_authority_says_is_not_placed_at_home(pipeline):
    accusation = _only(pipeline, "Russian authorities accused Ukraine of organising the attack.", "ACCUSE")
    assert accusation.place is None


# -- linked clauses -----------------------------------------------------------

def test_a_participle_goes_on_where_its_clause_happened(pipeline):
    text = "Mirziyoyev travelled to Nukus on Saturday, personally cancelling the constitutional amendments."
    assert _only(pipeline, text, "CONCEDE").place == "Nukus"
    text = "Police stormed a house in Andijan, arresting three men."
    assert _only(pipeline, text, "COERCE").country == "UZ"


def test_a_when_clause_sets_the_scene_of_the_main_event(pipeline):
    text = "Tokayev criticised the sanctions when he attended a summit in Samarkand on Friday."
    assert _only(pipeline, text, "ACCUSE").place == "Samarkand"
    text = "During his visit to Ashgabat, Erdogan signed ten agreements."
    assert _only(pipeline, text, "AGREE").place == "Ashgabat"


def test_a_scene_with_two_places_lends_none(pipeline):
    text = "During his visits to Azerbaijan and Armenia, Tokayev signed several agreements."
    assert _only(pipeline, text, "AGREE").place is None


def test_another_trigger_of_the_same_event_lends_its_locative(pipeline):
    text = "ISKP claimed responsibility for a suicide bombing at the Russian embassy in Kabul."
    assert _only(pipeline, text, "ASSAULT").place == "Kabul"


# -- country names spelt another way ------------------------------------------

@pytest.mark.parametrize("word, country", [
    ("Takijistan", "TJ"), ("Kirgizstan", "KG"), ("Uzbekstan", "UZ"), ("Azerbaidjan", "AZ"),
])
def test_a_misspelt_country_name_still_resolves(pipeline, word, country):
    visit = _only(pipeline, f"Putin visited {word} last month.", "CONSULT")
    assert (visit.country, visit.geo_precision) == (country, "country")


@pytest.mark.parametrize("word", ["kazakhstani", "tokayev", "lukashenko", "gunpowder", "somaliland"])
def test_names_and_derivatives_are_no_misspelt_country(gazetteer, word):
    assert gazetteer.country_spelling(word) is None


def test_a_misspelling_inside_a_longer_name_is_left_alone(gazetteer):
    from events.geo.geoparse import Geoparser

    found = Geoparser(gazetteer).parse("Kirgizstan Airways cancelled its flights.")
    assert not [t for t in found if t.place and t.place.country == "KG"]
