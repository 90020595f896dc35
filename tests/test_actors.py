"""Actor mentions and their roles, on real news sentences."""

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


def _names(finder, sentence, doc=None):
    return [(m.name, m.kind, m.country) for m in finder.find(sentence, doc or DocumentActors())]


def test_people_countries_and_organisations(finder):
    found = _names(finder, "According to Liu Pengyu, spokesperson for the Chinese Embassy in Washington, trade continues.")
    assert ("Liu Pengyu", "person", "CN") in found
    assert ("China", "country", "CN") in found  # a demonym before a state noun is the state


def test_demonym_alone_is_not_an_actor(finder):
    assert _names(finder, "Uzbek militants attacked the post.") == []


def test_title_before_a_name_is_not_a_person(finder):
    found = _names(finder, "Russia's Foreign Minister Sergei Lavrov arrived in Tashkent.")
    assert ("Sergei Lavrov", "person", "RU") in found
    assert all(name != "Foreign Minister" for name, _, _ in found)


def test_surname_and_acronym_resolve_within_the_article(finder):
    doc = DocumentActors()
    finder.find("Abu Yusuf Muhajir, the leader of Katibat Imam al-Bukhari (KIB), wrote a letter.", doc)
    later = _names(finder, "Muhajir said the KIB would fight on.", doc)
    assert ("Abu Yusuf Muhajir", "person", None) in later
    assert ("Katibat Imam al-Bukhari", "org", None) in [(n, k, None) for n, k, _ in later]


def test_ampersand_inside_a_company_name(finder):
    assert "International Flavors & Fragrances" in [n for n, _, _ in _names(
        finder, "The U.S. company International Flavors & Fragrances suspended shipments.")]


@pytest.mark.parametrize(
    ("sentence", "actor", "target"),
    [
        ("Kazakhstan's president Kassym-Jomart Tokayev spoke by telephone to Russian President Vladimir Putin.",
         "Kassym-Jomart Tokayev", "Vladimir Putin"),
        ("The attack was claimed by the Islamic State militant group.", "Islamic State", None),
        ("Ukraine's foreign ministry said Russia arrested two Ukrainian citizens.", "Russia", None),
    ],
)
def test_roles_from_sentence_structure(finder, triggers, gazetteer, sentence, actor, target):
    mentions = finder.find(sentence, DocumentActors())
    found = triggers.find(sentence)
    who = roles(sentence, found[-1], mentions, found, gazetteer.country_name)
    assert who.actors[0] == actor
    if target:
        assert target in who.targets


def test_official_acts_for_the_state(finder, triggers, gazetteer):
    sentence = "Russian Defense Minister Sergei Shoigu warned of threats from Afghanistan."
    found = triggers.find(sentence)
    who = roles(sentence, found[0], finder.find(sentence, DocumentActors()), found, gazetteer.country_name)
    assert who.actors == ["Sergei Shoigu", "Russia"]


def test_he_refers_to_the_last_person_named(finder, triggers, gazetteer):
    doc = DocumentActors()
    finder.find("Turkish President Recep Tayyip Erdogan arrived in Tashkent on Thursday.", doc)
    referent = doc.last_person
    sentence = "During his two-day visit, he signed ten agreements."
    found = triggers.find(sentence)
    who = roles(sentence, found[-1], finder.find(sentence, doc), found, gazetteer.country_name, referent)
    assert who.actors[0] == "Recep Tayyip Erdoğan"


@pytest.mark.parametrize("sentence", [
    "MOSCOW, July 6 (Reuters) - Russia halted the flow of oil through the CPC pipeline on Wednesday.",
    "ALMATY (AP) — Russia halted the flow of oil through the CPC pipeline on Wednesday.",
])
def test_a_datelines_city_and_agency_are_not_actors(pipeline, sentence):
    (halt,) = pipeline.extract_text(sentence, published="2022-07-06")
    assert halt.actors == ["Russia"]


@pytest.mark.parametrize(
    ("sentence", "name", "sector"),
    [
        ("Sheriff Tom Hart arrested two men on Monday.", "Tom Hart", "police"),
        ("Yesterday New York governor George Pataki toured five counties.", "George Pataki", "government"),
        ("Councilman Bob Jones asked the city manager to resign.", "Councilman Bob Jones", "government"),
        ("Miami Mayor Joe Carollo flew to Washington on Monday.", "Joe Carollo", "government"),
        # a public body's name ends in what it is, whatever its place name
        ("Lancaster City Council approved the plan on Monday.", "Lancaster City Council", "government"),
        ("The Walker County Commissioners Court met on Monday.", "Walker County Commissioners Court", "government"),
        ("The Marion County Sheriff's Office arrested two men on Monday.", "Marion County Sheriff's Office", "police"),
        ("The Clarke County Superior Court dismissed the lawsuit.", "Clarke County Superior Court", "judiciary"),
        # a private organisation's name does not make it a state body
        ("The Frank Ski Kids Foundation honored six students on Saturday.", "Frank Ski Kids Foundation", None),
    ],
)
def test_a_persons_title_or_an_organisations_name_gives_the_sector(finder, sentence, name, sector):
    found = {m.name: m.sector for m in finder.find(sentence, DocumentActors())}
    assert name in found and found[name] == sector, found


def test_a_private_person_has_no_sector(finder):
    found = {m.name: m.sector for m in finder.find("Kelsey Dunkerson met Bob Smith at the fair.", DocumentActors())}
    assert found and all(sector is None for sector in found.values()), found
