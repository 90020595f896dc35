"""Canonical actors (EVENTS.md section 3): the dictionary, state bodies, and words that point back.

Each rule has a case where it must fire and one where the same words must not.
The sentences are written in the wording of wire reports; none comes from the
development sets.
"""

from __future__ import annotations

import pytest

from events.actors.dictionary import ActorLexicon
from events.actors.finder import ActorFinder, DocumentActors
from events.places.attach import roles
from events.triggers.classify import TriggerFinder
from events.triggers.lexicon import Lexicon


@pytest.fixture(scope="module")
def finder(gazetteer) -> ActorFinder:
    return ActorFinder(ActorLexicon.load(), gazetteer)


@pytest.fixture(scope="module")
def triggers() -> TriggerFinder:
    return TriggerFinder(Lexicon.load())


def _read(finder: ActorFinder, doc: DocumentActors, *sentences: str) -> list[list[tuple[str, str, str | None]]]:
    """Mentions of each sentence in turn, as (text, canonical name, country)."""
    return [[(m.text, m.name, m.country) for m in finder.find(s, doc)] for s in sentences]


def _event(pipeline, text: str, type_: str, published: str = "2024-06-25"):
    return next(e for e in pipeline.extract_text(text, published=published) if e.type == type_)


# -- the dictionary -----------------------------------------------------------
def test_a_group_outside_the_old_lexicon_is_known_with_its_country_and_sector(pipeline):
    attack = _event(pipeline, "Al-Shabaab fighters stormed a hotel in Kismayo on Saturday, police said.", "ASSAULT")
    assert attack.actors[0] == "Al-Shabaab"
    assert "SO" in attack.actor_countries
    assert attack.actor_sectors[0] == "armed_group"
    assert len(attack.actor_sectors) == len(attack.actors)


def test_an_office_holder_from_the_built_table_acts_for_his_state(finder, triggers, gazetteer):
    sentence = "Nguyen Tan Dung signed a trade agreement with the visiting delegation."
    found = triggers.find(sentence)
    who = roles(sentence, found[0], finder.find(sentence, DocumentActors()), found, gazetteer.country_name)
    assert who.actors == ["Nguyen Tan Dung", "Vietnam"]
    assert who.sectors == ["government", "government"]
    assert who.countries == ["VN"]


def test_a_leader_listed_under_his_group_stays_a_person(finder):
    """Phoenix lists some leaders as synonyms of their group; the builder keeps only the group's own names."""
    ((mention,),) = _read(finder, DocumentActors(), "Ahmed Abdi Godane issued a statement.")
    assert mention[1] == "Ahmed Abdi Godane"


# -- a state body without its state ---------------------------------------------
def test_bare_police_stand_for_the_story_country(pipeline):
    text = ("NAIROBI, Kenya (AP) — Thousands marched through Nairobi on Tuesday against a finance bill. "
            "Police shot dead two protesters outside parliament.")
    shooting = _event(pipeline, text, "ASSAULT")
    assert shooting.actors[0] == "Kenya"
    assert shooting.actor_countries == ["KE"]
    assert shooting.actor_sectors[0] == "police"


def test_a_body_word_that_modifies_a_noun_is_no_actor(finder):
    doc = DocumentActors(main_country="KE")
    (found,) = _read(finder, doc, "Riot police vans were parked outside the parliament.")
    assert found == []


def test_a_bare_body_takes_the_state_its_sentence_names(finder):
    doc = DocumentActors(main_country="KE")
    (found,) = _read(finder, doc, "In Uganda, police arrested 45 opposition supporters on Monday.")
    assert ("police", "Uganda", "UG") in found


def test_another_bodys_state_does_not_claim_a_bare_body(finder):
    (found,) = _read(finder, DocumentActors(main_country="TJ"),
                     "The ministry asked media to rely on information distributed by Russian authorities.")
    assert ("ministry", "Tajikistan", "TJ") in found


def test_sentence_initial_police_is_the_state_not_an_organisation(finder):
    (found,) = _read(finder, DocumentActors(main_country="BD"), "Police denied the allegations.")
    assert found == [("Police", "Bangladesh", "BD")]


def test_coordinated_demonyms_before_a_state_noun_are_each_a_state(finder):
    (found,) = _read(finder, DocumentActors(), "Kenyan and Ugandan troops exchanged fire near the border.")
    assert {name for _, name, _ in found} == {"Kenya", "Uganda"}
    (workers,) = _read(finder, DocumentActors(), "Kenyan and Ugandan workers crossed the border.")
    assert workers == []


# -- words that point back ----------------------------------------------------
def test_the_group_is_the_armed_group_the_story_named(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "The Rapid Support Forces shelled a market in Omdurman.",
                     "The paramilitary group said its fighters had repelled an army attack.")
    assert ("The paramilitary group", "Rapid Support Forces", "SD") in later


def test_the_group_with_no_group_named_stays_unresolved(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "Residents fled the town on Monday.",
                     "The group said its fighters had repelled an army attack.")
    assert later == []


def test_a_sentence_ending_in_the_or_the_and_a_number_is_read_safely(finder):
    doc = DocumentActors()
    _, later, last = _read(finder, doc, "Al-Shabaab claimed the attack.", "The group named the 2011 budget the",
                           "Officials blamed the.")
    assert later == [("The group", "Al-Shabaab", "SO")]
    assert all(name != "Al-Shabaab" for _, name, _ in last)


def test_the_network_is_the_network_named_before(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "The Sudan Doctors Network said 14 people were killed.",
                     "The network condemned the shelling of the hospital.")
    assert [name for _, name, _ in later] == ["Sudan Doctors Network"]


def test_both_sides_are_the_two_states_not_the_host(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "Armenian and Azerbaijani leaders met in Russia on Friday.",
                     "Both sides agreed to continue talks.")
    assert {name for _, name, _ in later} == {"Armenia", "Azerbaijan"}


def test_the_two_leaders_are_the_two_people_named(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "Xi Jinping and Vladimir Putin met in Beijing on Thursday.",
                     "The two leaders signed a joint statement.")
    assert {name for _, name, _ in later} == {"Xi Jinping", "Vladimir Putin"}


def test_the_two_leaders_with_one_person_named_stay_unresolved(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "Vladimir Putin arrived in Beijing on Thursday.",
                     "The two leaders signed a joint statement.")
    assert later == []


def test_the_president_is_the_person_introduced_as_president(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "President Bola Tinubu flew to Abuja on Monday.",
                     "The president condemned the attack.")
    assert ("The president", "Bola Tinubu", "NG") in later


def test_the_president_of_something_else_is_not_him(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "President Bola Tinubu flew to Abuja on Monday.",
                     "The president of the football federation resigned.")
    assert all(name != "Bola Tinubu" for _, name, _ in later)


def test_a_name_part_names_the_person_it_belongs_to(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "Malaysian Prime Minister Anwar Ibrahim arrived in Hanoi.",
                     "Anwar said trade would double.")
    assert ("Anwar", "Anwar Ibrahim", "MY") in later


def test_a_name_part_two_people_share_names_neither(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "President Hassan Sheikh Mohamud received Prime Minister Hassan Ali Khaire.",
                     "Hassan said the talks went well.")
    assert all(name not in ("Hassan Sheikh Mohamud", "Hassan Ali Khaire") for _, name, _ in later)


def test_he_is_the_subject_not_a_possessive(finder):
    doc = DocumentActors()
    finder.find("Amid Putin's war, Volodymyr Zelensky visited Washington.", doc)
    assert doc.last_person is not None and doc.last_person.name == "Volodymyr Zelensky"


def test_he_after_two_people_is_the_first_one_named(finder):
    doc = DocumentActors()
    finder.find("Tokayev met Erdogan in Astana on Monday.", doc)
    assert doc.last_person is not None and doc.last_person.name == "Kassym-Jomart Tokayev"


# -- acts only a state does, clashes, capitals, media ---------------------------------
def test_an_agentless_detention_is_the_story_states_act(pipeline):
    text = ("TBILISI, Georgia — Protesters gathered outside parliament in Tbilisi for a fifth night. "
            "Dozens of protesters were detained overnight.")
    detention = _event(pipeline, text, "COERCE")
    assert "GE" in detention.actor_countries


def test_an_agentless_injury_is_no_states_act(pipeline):
    text = ("TBILISI, Georgia — Protesters gathered outside parliament in Tbilisi for a fifth night. "
            "Dozens of protesters were injured overnight.")
    events = [e for e in pipeline.extract_text(text, published="2024-12-02") if "injured" in e.sentence]
    assert all("GE" not in e.actor_countries for e in events)


def test_an_official_who_announces_an_agentless_act_is_its_doer(pipeline):
    text = ("OUAGADOUGOU, Burkina Faso — Information Minister Jean Kabore said the radio station was suspended "
            "until further notice.")
    suspension = _event(pipeline, text, "COERCE")
    assert suspension.actors[:2] == ["Jean Kabore", "Burkina Faso"]


def test_both_sides_of_a_clash_are_its_actors(pipeline):
    clash = _event(pipeline, "Fighting between Sudanese troops and the Rapid Support Forces raged on Sunday.",
                   "ASSAULT")
    assert {"Sudan", "Rapid Support Forces"} <= set(clash.actors)


def test_a_capital_acting_is_its_government(finder):
    (found,) = _read(finder, DocumentActors(), "Tehran rejected the accusation on Sunday.")
    assert found == [("Tehran", "Iran", "IR")]


def test_a_capital_as_a_place_is_no_actor(finder):
    (found,) = _read(finder, DocumentActors(), "Protests spread to Tehran on Sunday.")
    assert found == []


def test_a_newspaper_that_reports_is_no_actor(pipeline):
    text = "Officials told The Washington Post that gunmen attacked a convoy near Kabul on Friday."
    attack = _event(pipeline, text, "ASSAULT", published="2024-06-29")
    assert "The Washington Post" not in attack.actors and "Washington Post" not in attack.actors


# -- doers the story made known -----------------------------------------------------
def test_who_confirms_the_attack_is_a_witness_the_storys_group_did_it(pipeline):
    text = ("The Rapid Support Forces shelled the Abu Shouk camp on Friday, residents said. "
            "The local health ministry director confirmed the attack on the camp.")
    attack = [e for e in pipeline.extract_text(text, published="2024-08-17") if "confirmed" in e.sentence]
    assert [e.actors for e in attack if e.type == "ASSAULT"] == [["Rapid Support Forces"]]


def test_who_claims_the_attack_did_it(pipeline):
    text = ("The Rapid Support Forces shelled the Abu Shouk camp on Friday, residents said. "
            "Al-Shabaab claimed the attack on the hotel.")
    claim = [e for e in pipeline.extract_text(text, published="2024-08-17") if "claimed" in e.sentence]
    assert [e.actors[0] for e in claim if e.type == "ASSAULT"] == ["Al-Shabaab"]


def test_an_agentless_order_is_the_storys_state(pipeline):
    text = ("DHAKA, Bangladesh — Student protests spread across Dhaka on Friday. "
            "Mobile operators were ordered to suspend internet services on Saturday.")
    order = _event(pipeline, text, "COERCE", published="2024-07-20")
    assert order.actor_countries == ["BD"]


def test_it_that_acts_is_the_state_the_last_sentence_began_with(finder):
    doc = DocumentActors()
    _, later = _read(finder, doc, "So far, Mexico has ignored the threat.",
                     "It has promised to keep sending oil to the island.")
    assert later[0] == ("It", "Mexico", "MX")


def test_it_that_only_introduces_a_clause_is_no_one(finder):
    doc = DocumentActors()
    _, later, third = _read(finder, doc, "So far, Mexico has ignored the threat.",
                            "It is unclear whether the shipments will continue.",
                            "It was the first such shipment this year.")
    assert later == [] and third == []


def test_lawyers_and_the_police_one_tells_are_no_state_doers(finder):
    doc = DocumentActors(main_country="PK")
    (lawyers,) = _read(finder, doc, "Opposition leaders and lawyers vowed to stage a sit-in outside parliament.")
    assert lawyers == []
    (told,) = _read(finder, doc, "The suspect told police she had been visiting her mother.")
    assert told == []


def test_an_office_holder_acts_for_his_state_only_while_in_office(finder):
    """Phoenix dates Nguyen Tan Dung's office from 2006-06-27; before it he acts for himself."""
    sentence = "Nguyen Tan Dung signed a trade agreement with the visiting delegation."
    (in_office,) = finder.find(sentence, DocumentActors(as_of=20100101))
    (before,) = finder.find(sentence, DocumentActors(as_of=20000101))
    assert (in_office.for_state, in_office.sector) == (True, "government")
    assert (before.for_state, before.sector) == (False, None)
