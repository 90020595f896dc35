"""Trigger finding and modality on real news sentences."""

from __future__ import annotations

import pytest

from events.triggers.classify import TriggerFinder
from events.triggers.lexicon import Lexicon, noun_forms, verb_forms


@pytest.fixture(scope="module")
def finder() -> TriggerFinder:
    return TriggerFinder(Lexicon.load())


def _types(finder: TriggerFinder, sentence: str) -> list[tuple[str, str | None, bool]]:
    """The events a sentence states (triggers that are only another's object left out)."""
    return [(t.type, t.mode, t.scheduled) for t in finder.find(sentence) if not t.argument]


def _check(finder: TriggerFinder, sentence: str, absent: str | None, present: str | None) -> None:
    """The sentence states no event of type `absent` and one of type `present` (either may be None)."""
    types = [t for t, _, _ in _types(finder, sentence)]
    if absent:
        assert absent not in types, types
    if present:
        assert present in types, types


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russia said it has arrested 11 suspects in connection with the attack.", ("COERCE", "arrest")),
        ("Kazakhstan's president spoke by telephone to Russian President Vladimir Putin on Saturday.", ("CONSULT", "phone")),
        ("Russia this month halted the flow of oil through a pipeline that carries Kazakh crude.", ("SANCTION", "pipeline")),
        ("Both the leaders signed a joint statement on strategic partnership.", ("AGREE", "sign")),
        ("Thousands of protesters rallied in the capital on Sunday.", ("PROTEST", "demonstrate")),
        ("Police detained the journalist at the airport.", ("COERCE", "arrest")),
        ("The US State Department designated the group a terrorist organization.", ("SANCTION", "designate")),
        ("Gunmen opened fire on the crowd, killing at least 12 people.", ("ASSAULT", "firearms")),
        ("Russian troops withdrew within days early this year.", ("RETREAT", "withdraw")),
        ("The foreign ministry strongly condemned the attack on civilians.", ("ACCUSE", "condemn")),
        ("Ukrainian officials denied any involvement in the attack.", ("ACCUSE", "deny")),
    ],
)
def test_finds_trigger_type_and_mode(finder, sentence, expected):
    assert expected in [(t, m) for t, m, _ in _types(finder, sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia did not sign the agreement.",
        "The two countries never signed a treaty.",
        "Analysts say Moscow could attack again.",
        "Officials may visit the region.",
        "The minister might impose new restrictions.",
    ],
)
def test_negated_and_hypothetical_statements_are_not_events(finder, sentence):
    assert finder.find(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The baby's vital signs were all normal.",
        "Only two of the 58 agencies met the goal last year.",
        "The state spent 10 percent of purchases on small firms.",
        "The ministry released a statement on Friday.",
        "The Turkish Embassy, as well as representatives of the company, declined to comment.",
        "He refused to comment on the case.",
        "The figures come from a new report released by the UN on Monday.",
        "There are signs that the army is regrouping.",
        "Asked how the company hopes to expand, Mr. Ousley said it sees opportunities.",
        "Mobil is cutting back its U.S. oil and gas exploration group.",
        "Weak car sales raise questions about future demand from the auto sector.",
        "LIN and BellSouth sweetened their plan to merge cellular phone operations.",
    ],
)
def test_other_senses_of_trigger_words_are_not_events(finder, sentence):
    assert finder.find(sentence) == []


def test_noun_reading_survives_when_the_verb_reading_is_dropped(finder):
    # "the attack": the verb "attack" is dropped after "the", the noun "attack" stays
    assert [(t.type, t.text) for t in finder.find("On Friday the attack on civilians left 12 dead.")] == [
        ("ASSAULT", "attack")]


def test_not_only_is_not_a_negation(finder):
    assert ("COOPERATE", "economic", False) in _types(finder, "The plant not only supplied raw materials to importers.")


def test_scheduled_visit_is_marked_scheduled(finder):
    found = _types(finder, "Russia's Foreign Minister Sergei Lavrov is set for an official visit to Tashkent on July 28 and 29.")
    assert ("CONSULT", "visit", True) in found


def test_future_harm_is_a_threat(finder):
    found = _types(finder, "The Treasury Department said it would impose sanctions on banks that help Russia.")
    assert found == [("THREATEN", "sanction", False)]


def test_future_without_schedule_is_no_event(finder):
    assert finder.find("The company will sign contracts with suppliers.") == []


def test_gap_phrase_spans_the_words_between(finder):
    (trigger,) = finder.find("The two ministers held bilateral talks in Astana.")
    assert trigger.text == "held bilateral talks"
    assert (trigger.type, trigger.mode) == ("CONSULT", "meet")


def test_several_events_in_one_sentence(finder):
    found = {t for t, _, _ in _types(finder, "Russia arrested 11 suspects and the death toll rose to 133.")}
    assert found == {"COERCE", "ASSAULT"}


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("sign", {"signs", "signed", "signing"}),
        ("seize", {"seizes", "seized", "seizing"}),
        ("ban", {"bans", "banned", "banning"}),
        ("deny", {"denies", "denied", "denying"}),
        ("agree", {"agreed", "agreeing"}),
    ],
)
def test_regular_verb_forms(lemma, forms):
    assert forms <= verb_forms(lemma, {})


def test_irregular_verbs_come_from_data():
    assert {"met", "meeting"} <= Lexicon.load().by_first.keys()


def test_noun_plurals():
    assert noun_forms("rally") == {"rally", "rallies"}
    assert noun_forms("clash") == {"clash", "clashes"}


def test_a_past_verb_after_relative_that_is_a_verb(finder: TriggerFinder) -> None:
    sentence = "Tajikistan was among several Central Asian states that condemned the attack."
    assert ("ACCUSE", "condemn", False) in _types(finder, sentence)
    # but "that" before a noun is a determiner: "that attack" stays a noun mention
    assert "ACCUSE" not in [t for t, _, _ in _types(finder, "Nobody claimed that attack.")]


@pytest.mark.parametrize("sentence", [
    "In February 2022, rents skyrocketed following the attack on Ukraine.",
    "Exports to Russia have doubled since Russia's invasion of Ukraine.",
    "Trade with China grew despite Western sanctions.",
    "Prices fell sharply after the U.S. sanctions.",
    "To be effective, however, the sanctions must also apply to suppliers, an analyst said.",
])
def test_an_event_recalled_as_background_is_no_new_event(finder: TriggerFinder, sentence: str) -> None:
    assert [t for t, _, _ in _types(finder, sentence) if t in ("ASSAULT", "SANCTION")] == []


@pytest.mark.parametrize("sentence, event_type", [
    ("Russia launched an attack on Kyiv after midnight.", "ASSAULT"),
    ("The EU imposed new sanctions on Belarus after the election.", "SANCTION"),
    ("The European Union on Monday announced new sanctions against Iranian officials.", "SANCTION"),
    ("The United States slapped sanctions on two Russian banks.", "SANCTION"),
])
def test_the_same_nouns_as_news_stay_events(finder: TriggerFinder, sentence: str, event_type: str) -> None:
    assert event_type in [t for t, _, _ in _types(finder, sentence)]


@pytest.mark.parametrize("sentence, kept, dropped", [
    ("Several Central Asian states condemned the attack on Friday.", "ACCUSE", "ASSAULT"),
    ("Tokayev made his opposition to the invasion clear.", "ACCUSE", "ASSAULT"),
])
def test_a_noun_trigger_that_is_anothers_object_is_no_event(finder, sentence, kept, dropped) -> None:
    types = [t for t, _, _ in _types(finder, sentence)]
    assert kept in types and dropped not in types


def test_a_noun_trigger_in_its_own_clause_stays(finder) -> None:
    types = [t for t, _, _ in _types(finder, "Kazakhstan condemned the killings, and the attack was claimed by ISKP.")]
    assert "ACCUSE" in types and "ASSAULT" in types


def test_receiving_threats_is_no_meeting(finder) -> None:
    found = _types(finder, "The FBI continues to receive threats from individuals with ties to Bin Laden.")
    assert "CONSULT" not in [t for t, _, _ in found]


# Sense, genericity, modality and ontology (issue 11): for each class, wording where the rule must
# fire and the same words where it must not.

@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # compounds that name a unit, a document, a role or a facility
        ("Riot police were deployed outside the stadium on Saturday.", "PROTEST", None),
        ("Hundreds of people took part in a riot in the city centre on Saturday.", None, "PROTEST"),
        ("The ministry said in a press release that the talks would resume.", "CONCEDE", None),
        ("The rebels agreed to release the hostages on Friday.", None, "CONCEDE"),
        ("The mayor spoke at a press conference on Monday.", "CONSULT", None),
        ("Foreign ministers attended a conference on regional security in Geneva.", None, "CONSULT"),
        ("Qatar, the host nation, spent billions on stadiums.", "CONSULT", None),
        ("Qatar hosted talks between the two sides last week.", None, "CONSULT"),
        ("A new detention facility is planned for the county.", "COERCE", None),
        ("Police placed the suspect in detention on Tuesday.", None, "COERCE"),
        # medical and sporting senses
        ("The patient had a seizure in the waiting room.", "COERCE", None),
        ("Customs officers made a seizure of 40 kilograms of cocaine at the port.", None, "COERCE"),
        ("The senator died of a heart attack on Sunday.", "ASSAULT", None),
        ("Militants launched an attack on an army post on Sunday.", None, "ASSAULT"),
        ("Johnson was always ready to shoot a three-pointer in the final seconds.", "ASSAULT", None),
        ("A man was shot outside a bar on Main Street late Friday.", None, "ASSAULT"),
        ("The district will fight for funding for the new school.", "ASSAULT", None),
        ("Rebels and government troops fought for control of the town on Monday.", None, "ASSAULT"),
        # legal formulas
        ("The former mayor pleaded guilty to fraud on Wednesday.", "REQUEST", None),
        ("The mayor pleaded with residents to stay indoors.", None, "REQUEST"),
        # accidents are no assault
        ("Four children were killed in a house fire early Sunday.", "ASSAULT", None),
        ("Four soldiers were killed in a rocket attack early Sunday.", None, "ASSAULT"),
        # private acts named by a political trigger word
        ("She attended nursing school in Atlanta before the war.", "CONSULT", None),
        ("The president attended a summit of African leaders in Addis Ababa.", None, "CONSULT"),
        ("The crew spent three days shooting footage in Los Angeles.", "ASSAULT", None),
        ("The company negotiated a lease for a new warehouse.", "CONSULT", None),
        ("The two governments negotiated a ceasefire in Doha.", None, "CONSULT"),
        # people done to are no protest; people acting are
        ("Police fired tear gas at demonstrators in the capital on Sunday.", "PROTEST", None),
        ("More than 300 protesters were detained by police near parliament.", "PROTEST", None),
        ("Protesters looted shops and blocked roads in the capital.", None, "PROTEST"),
        ("At least 12 protesters broke through barricades on Monday.", None, "PROTEST"),
        # a known event as the object of a preposition, but not the start of one
        ("Officials denied any involvement of the group in the attack.", "ASSAULT", None),
        ("Tomorrow marks the anniversary of the start of Russia's invasion of Ukraine.", None, "ASSAULT"),
    ],
)
def test_trigger_counts_only_in_its_event_sense(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # generic and habitual clauses
        ("Police often arrest people for minor offences in the district.", "COERCE", None),
        ("Police arrested three men for minor offences on Friday.", None, "COERCE"),
        ("The army has repeatedly said it does not attack civilians.", "ASSAULT", None),
        ("Police had repeatedly asked the crowd to disperse before the arrests.", None, "REQUEST"),
        ("Throughout the years, I met all kinds of people.", "CONSULT", None),
        ("The prime minister met the Chinese ambassador on Tuesday.", None, "CONSULT"),
        ("The two leaders meet regularly to discuss border issues.", "CONSULT", None),
        # hypothetical, wished-for and future-intent clauses
        ("His family has been working for his release since 2019.", "CONCEDE", None),
        ("The rebels released him on Friday after two years in captivity.", None, "CONCEDE"),
        ("\"I'm going to fight for every vote,\" the candidate said.", "ASSAULT", None),
        ("The minister hopes to meet his Chinese counterpart next month.", "CONSULT", None),
        ("The minister met his Chinese counterpart in Beijing last month.", None, "CONSULT"),
        ("Kazakhstan is ready to host talks between the two sides.", "CONSULT", None),
        ("The deal includes an obligation to sever ties with armed groups.", "SANCTION", None),
        ("Both countries severed ties with the regime in 2017.", None, "SANCTION"),
        ("Militants used the truce to recruit new fighters.", None, "MOBILIZE"),
    ],
)
def test_generic_and_unrealised_clauses_are_not_events(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # acts told as the content of an accusation or a rumour are not asserted
        ("The party refuted accusations that its members attacked protesters.", "ASSAULT", "ACCUSE"),
        ("Party members attacked protesters outside the court on Monday.", None, "ASSAULT"),
        # triggers whose event sense needs an object
        ("\"Where were you?\" he asked.", "REQUEST", None),
        ("The city asked the state for emergency funds.", None, "REQUEST"),
        ("Her family received a call from the hospital on Friday.", "CONSULT", None),
        ("The president received the Chinese ambassador on Friday.", None, "CONSULT"),
        ("The store offered discounts on winter coats.", "AGREE", None),
        ("Norway offered to mediate between the two sides.", None, "AGREE"),
        ("Admission to the museum is free of charge.", "CONCEDE", None),
        ("Rebels free two hostages in northern Mali.", None, "CONCEDE"),
        ("He spent two nights in the county jail.", "COERCE", None),
        # participles that describe people, not an act of their own
        ("The deal inspired militant groups fighting in the north.", "ASSAULT", None),
        ("Militants were fighting government troops in the north on Monday.", None, "ASSAULT"),
        ("Thousands joined protests demanding the minister's resignation.", "REQUEST", None),
    ],
)
def test_unasserted_acts_and_objectless_triggers_are_not_events(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # police repression of a crowd is coercion
        ("Police fired tear gas at students blocking the main road.", None, "COERCE"),
        ("Riot police dispersed the crowd outside parliament on Sunday.", None, "COERCE"),
        # expelling diplomats is a diplomatic sanction, expelling journalists coercion
        ("Moscow expelled two Polish diplomats on Friday.", None, "SANCTION"),
        ("The junta expelled the correspondents of two French newspapers.", "SANCTION", "COERCE"),
        # a refused request is a rejection, a denied claim a denial
        ("Her request for asylum was denied in March.", "ACCUSE", "REJECT"),
        ("The ministry denied that troops had entered the village.", None, "ACCUSE"),
        # a trade noun with a verb of change is a statistic; a rising death toll is the attack's news
        ("Russian imports of cotton pulp surged 70% in 2022.", "COOPERATE", None),
        ("Russia boosted its imports of cotton pulp in 2022.", None, "COOPERATE"),
        ("Russia arrested 11 suspects and the death toll rose to 133.", None, "ASSAULT"),
        # a noun trigger as the subject of a modal is hypothetical, unless the modal reports a decision
        ("To be effective, sanctions must also apply to suppliers, an analyst said.", "SANCTION", None),
        ("The prime minister said the curfew would run from 8 pm to 4 am.", None, "COERCE"),
        # sanctions as a standing regime, and showing rather than demonstrating
        ("Two of his sisters who face related sanctions filed appeals in April.", "SANCTION", None),
        ("The government demonstrated its resolve to end the strike.", "PROTEST", None),
        ("Thousands demonstrated in the capital on Sunday against the new law.", None, "PROTEST"),
    ],
)
def test_trigger_types_and_nouns_read_from_their_predicate(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a charge in a reduced relative is background; an accusation made is an event
        ("A man accused of robbing a bank appeared in court on Monday.", "ACCUSE", None),
        ("The minister accused the opposition of inciting violence.", None, "ACCUSE"),
        # signing is an agreement only with an agreement nearby
        ("The governor signed a bill raising the minimum wage.", "AGREE", None),
        ("The two countries signed a treaty on border security.", None, "AGREE"),
        ("The accord was signed in Doha in February 2020.", None, "AGREE"),
        # a meeting not yet held, or only proposed
        ("The plan will be discussed at the next meeting of the board.", "CONSULT", None),
        ("The board held a meeting on Tuesday to discuss the plan.", None, "CONSULT"),
        # weather and telephones
        ("A winter storm knocked out power to thousands of homes.", "ASSAULT", None),
        ("Protesters stormed the parliament building on Monday.", None, "PROTEST"),  # a riot (EVENTS.md 2)
        ("Gunmen stormed the hotel on Monday.", None, "ASSAULT"),
        ("Police found a cell phone in the car.", "CONSULT", None),
    ],
)
def test_legal_background_signing_and_unheld_meetings(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        ("Thousands of demonstrators gathered outside parliament, demanding the minister's resignation.",
         "REQUEST", "PROTEST"),
        ("The opposition leader wrote to parliament on Monday, demanding the minister's resignation.",
         None, "REQUEST"),
        ("Two naval ships arrived in Havana on Wednesday loaded with food.", "CONSULT", None),
        ("The Mexican foreign minister arrived in Havana on Wednesday.", None, "CONSULT"),
    ],
)
def test_protest_demands_and_deliveries(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # offences named in a formal charge are not events of their own
        ("He was charged with burglary, threatening and assault.", "THREATEN", "COERCE"),
        ("The man threatened a clerk with a knife on Friday, police said.", None, "THREATEN"),
        # a present-tense passive tells a habit
        ("People who sell stolen goods there are arrested, the chief said.", "COERCE", None),
        ("Three people were arrested at the market on Friday.", None, "COERCE"),
        ("One person a year is killed on that stretch of highway.", "ASSAULT", None),
        # a document's content is no request
        ("The spending plan calls for a reduction of 18 staff.", "REQUEST", None),
        ("The mayor calls for calm after the shooting.", None, "REQUEST"),
        # a terrorist designation is a sanction; a road designated as a project is not
        ("The board passed a resolution to designate the road as a freight corridor.", "SANCTION", None),
        ("Washington designated the militia a terrorist organization in 2019.", None, "SANCTION"),
        # dismissing a claim is a denial; dismissing governors is not
        ("Medvedev dismissed four governors in February.", "ACCUSE", None),
        ("The ministry dismissed the allegations as baseless.", None, "ACCUSE"),
        # films, bees, chess and sentencing law
        ("The movie was shot in 18 days in Los Angeles.", "ASSAULT", None),
        ("A man was hospitalised after a killer bee attack.", "ASSAULT", None),
        ("The players agreed to a draw after two hours.", "AGREE", None),
        ("The offence carries a sentence of up to three years.", "COERCE", None),
        ("A judge sentenced him to three years in prison on Monday.", None, "COERCE"),
    ],
)
def test_charges_habits_documents_and_other_senses(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        ("The most common reasons for ER visits were dental pain and ear complaints.", "CONSULT", None),
        ("Police said the UN study released Tuesday was flawed.", "CONCEDE", None),
        ("The militia released 12 hostages on Tuesday.", None, "CONCEDE"),
        ("Alleged drug dealer's girlfriend will testify.", "ACCUSE", None),
        ("The lawsuit alleged that the officers used excessive force.", None, "ACCUSE"),
        ("A rain garden can capture 90 percent of the rain.", "COERCE", None),
        ("Troops captured the town after a week of fighting.", None, "COERCE"),
        ("Severe storms dropped large hail on the city on Monday.", "SUPPORT", None),
        ("The president hailed the agreement as historic.", None, "SUPPORT"),
        ("The woman evacuated safely, but two dogs had to be rescued.", "RETREAT", None),
        ("The United States evacuated its embassy staff from Khartoum.", None, "RETREAT"),
        ("Classes were canceled as a result of the slide.", "CONCEDE", None),
        ("The government canceled the constitutional reform after the protests.", None, "CONCEDE"),
        ("He met up with a friend from Dallas at the festival.", "CONSULT", None),
        ("The board approved hiring two consulting groups.", "CONSULT", None),
    ],
)
def test_everyday_senses_of_political_trigger_words(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        ("A canopy collapse at the station last November, which killed 16 people, sparked protests.", "ASSAULT", None),
        ("Gunmen stormed the station last November and killed 16 people.", None, "ASSAULT"),
        ("Cuba lacks food and medical supplies.", "COOPERATE", None),
        ("Another shipment of 1,500 tons of aid is ready to be delivered.", "AID", None),
        ("Imports of cotton pulp, a product used in gunpowder, surged 70% in 2022.", "COOPERATE", None),
        ("China increased its supplies after U.S. and European (EU) sanctions.", "SANCTION", None),
        ("The EU imposed sanctions on the company in May.", None, "SANCTION"),
    ],
)
def test_disasters_goods_and_background_sanctions(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # documents, facilities and trades named by a trigger word
        ("According to the police arrest report, the car had been reported stolen.", "COERCE", None),
        ("Police arrested the driver after a chase on Tuesday.", None, "COERCE"),
        ("The school board meeting minutes show the plan was rejected.", "CONSULT", None),
        ("The school board held a meeting on the plan on Tuesday.", None, "CONSULT"),
        ("The high school mock trial team won the state title on Sunday.", "ACCUSE", None),
        ("Opposition leaders mocked the president's speech on Monday.", None, "ACCUSE"),
        ("The county will get a carbon capture pilot plant.", "COERCE", None),
        ("Smith is a real estate broker and a former teacher.", "AGREE", None),
        ("Qatar helped broker a ceasefire between the two sides.", None, "AGREE"),
        ("Students took part in a statewide tornado drill on Wednesday.", "MOBILIZE", None),
        ("The navy held a live-fire drill off the coast on Wednesday.", None, "MOBILIZE"),
        ("She described the title as a great honor.", "SUPPORT", None),
        ("The city honored the veterans at a ceremony on Monday.", None, "SUPPORT"),
        ("Nurses with that training are in demand across the state.", "REQUEST", None),
        ("The opposition demanded the release of political prisoners on Monday.", None, "REQUEST"),
        # medical, animal and sporting senses
        ("Two victims were treated and released at the county hospital.", "CONCEDE", None),
        ("Several others at the scene refused treatment.", "REJECT", None),
        ("The ministry refused the request for an inquiry.", None, "REJECT"),
        ("A hiker was hospitalised after a bear attack in the park.", "ASSAULT", None),
        ("The team advanced to the state meet for the first time.", "CONSULT", None),
        ("It was a hard fought meet by both teams on Saturday.", "ASSAULT", None),
        ("It was a hard fought meet by both teams on Saturday.", "CONSULT", None),
        ("The eighth grader put up a good fight against the champion.", "ASSAULT", None),
        # private acts named by a political trigger word
        ("The fire department hosts its annual fundraiser on Saturday.", "CONSULT", None),
        ("The hall has hosted hundreds of concerts since 1996.", "CONSULT", None),
        ("The officer received the Silver Medal of Valor on Friday.", "CONSULT", None),
        ("The president received the Kazakh foreign minister in Tashkent.", None, "CONSULT"),
    ],
)
def test_documents_trades_sports_and_private_acts(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a verb trigger's -s form before "of", "since" or an auxiliary is a plural noun: a flow or a topic
        ("The country's arms imports since 2014 have come mostly from Russia.", "COOPERATE", None),
        ("Japan imports liquefied gas from Qatar under a new contract.", None, "COOPERATE"),
        ("Undercover officers made several purchases of cocaine from the men.", "COOPERATE", None),
        ("The army purchases drones from Turkey, the ministry said on Monday.", None, "COOPERATE"),
        ("Police searches of the woods near the house found nothing.", "COERCE", None),
    ],
)
def test_plural_nouns_of_verb_triggers(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # "released" is a concession when people are freed, not when a report, data or a film is
        ("The state auditor released the audit of the county's emergency program on Friday.", "CONCEDE", None),
        ("Graduation figures for the district were released on Monday.", "CONCEDE", None),
        ("The junta released 200 political prisoners on Friday.", None, "CONCEDE"),
        ("He was released from prison after serving two years.", None, "CONCEDE"),
        ("The judge ordered the uncle to release the boy to his father.", None, "CONCEDE"),
    ],
)
def test_release_of_people_not_of_documents(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # an act only feared or risked is none; an offence named in a charge or a sentence is background
        ("Migrants in the city live in constant fear of arrest.", "COERCE", None),
        ("Police made the arrest at a motel on Tuesday.", None, "COERCE"),
        ("Villagers near the border face a daily risk of attack.", "ASSAULT", None),
        ("The man was charged in two armed robberies and an assault on a clerk.", "ASSAULT", None),
        ("A local man gets 20 years for killing his neighbour.", "ASSAULT", None),
        ("A local man killed his neighbour with a shotgun on Sunday.", None, "ASSAULT"),
        # interviews, thank-you notes and scientific meetings
        ("The mayor said in a Friday phone interview that the plan would go ahead.", "CONSULT", None),
        ("The two presidents spoke by phone on Tuesday.", None, "CONSULT"),
        ("She sent a special thank you to the volunteers.", "SUPPORT", None),
        ("The results were presented at a cardiology conference in Orlando.", "CONSULT", None),
    ],
)
def test_feared_acts_charged_offences_and_interviews(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a storm as weather; a participle "linked to" that describes a thing
        ("Storm knocks out power across the county.", "ASSAULT", None),
        ("Kansas storm overturns trucks on the interstate.", "ASSAULT", None),
        ("Gunmen stormed the parliament building on Tuesday.", None, "ASSAULT"),
        ("Protesters stormed the parliament building on Tuesday.", None, "PROTEST"),  # a riot
        ("Health officials confirmed 45 more cases of salmonella linked to alfalfa sprouts.", "ACCUSE", None),
        ("The minister linked the blast to a militant group based abroad.", None, "ACCUSE"),
    ],
)
def test_weather_storms_and_descriptive_links(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a retreat or conference that names a private gathering
        ("Commissioners discussed road repairs at their annual retreat in March.", "RETREAT", None),
        ("Rebel fighters staged a hasty retreat from the town on Sunday.", None, "RETREAT"),
        ("A parenting conference is set for Saturday at the middle school.", "CONSULT", None),
        # a killing in the sense of profit
        ("Speculators hoped to make a killing on the land deal.", "ASSAULT", None),
        ("Police are investigating the killing of a clerk on Tuesday.", None, "ASSAULT"),
        # a court formula, not a demand
        ("The defendant has demanded a jury trial.", "REQUEST", None),
        ("Protesters demanded the release of the detained journalist.", None, "REQUEST"),
        # a driver refusing to stop is no political rejection
        ("The driver refused to stop and led deputies on a chase.", "REJECT", None),
        ("The government refused to recognise the election results.", None, "REJECT"),
        # "back down" as a movement, not a concession
        ("The gunmen ordered the customers to get back down on the floor.", "CONCEDE", None),
        ("The council backed down on the tax increase after the protests.", None, "CONCEDE"),
    ],
)
def test_private_gatherings_profits_court_formulas_and_movements(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a hand, a body or a vehicle moving is no withdrawal or deployment
        ("Witnesses said the man pulled out a knife and stabbed the clerk.", "RETREAT", None),
        ("The army pulled out of the town on Sunday.", None, "RETREAT"),
        ("The airbags deployed when the car struck a tree.", "MOBILIZE", None),
        ("The Pentagon deployed 3,000 troops to the region on Monday.", None, "MOBILIZE"),
        # a drill as a tool or a well
        ("Thieves took a hammer drill and two chainsaws from the shed.", "MOBILIZE", None),
        ("The company received a permit to drill on the farm.", "MOBILIZE", None),
        ("The navy held a drill off the coast on Monday.", None, "MOBILIZE"),
        # an abandoned thing, a legal wrong, a cooking show, a campaign against hunger
        ("Firefighters were called to an abandoned house on Elm Street.", "CONCEDE", None),
        ("The government abandoned the plan after the protests.", None, "CONCEDE"),
        ("The suit charges the station with defamation and invasion of privacy.", "ASSAULT", None),
        ("Chefs demonstrated holiday recipes in the store's kitchen.", "PROTEST", None),
        ("Thousands demonstrated in the capital against the new law.", None, "PROTEST"),
        ("Scout troops will help fight hunger by collecting food.", "ASSAULT", None),
        ("The Falcons rallied from a 10-point deficit to win the title.", "PROTEST", None),
    ],
)
def test_movements_tools_things_and_shows(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # searches for a hire, warning signs, attitudes and promises as emphasis
        ("The board voted to hire a firm for the superintendent search.", "COERCE", None),
        ("Investigators searched the property on Friday.", None, "COERCE"),
        ("Crews installed warning signs at the intersection last week.", "ACCUSE", None),
        ("The defence ministry warned Kiev against any provocation on Sunday.", None, "ACCUSE"),
        ("The clinic remains committed to providing free care.", "AGREE", None),
        ("A new drug for migraines shows promise, doctors say.", "AGREE", None),
        ("We will find who did this, I promise you.", "AGREE", None),
        ("The governor promised on Monday to veto the bill.", None, "AGREE"),
        # deaths blamed on the weather accuse no one
        ("Two deaths were blamed on the storm.", "ACCUSE", None),
        ("The government blamed the opposition for the violence.", None, "ACCUSE"),
    ],
)
def test_searches_signs_attitudes_and_weather_blame(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # an assault named in a charge, a conviction or a case is a legal matter, not the assault
        ("A judge dismissed the sexual assault charge against the coach on Friday.", "ASSAULT", None),
        ("An appeals court overturned his assault conviction.", "ASSAULT", None),
        ("Police are investigating an assault on a bus driver on Sunday.", None, "ASSAULT"),
        # firefighting, a team's play, snapshots and single-shot guns
        ("Firefighters launched an attack on the flames from the roof.", "ASSAULT", None),
        ("The coach made two substitutions to improve his side's attack.", "ASSAULT", None),
        ("Police took two rifles and a single shot shotgun from the home.", "ASSAULT", None),
        ("The figures are only a snap shot of the problem, the council said.", "ASSAULT", None),
        ("A gunman shot two officers outside the station on Saturday.", None, "ASSAULT"),
    ],
)
def test_legal_assaults_fires_teams_and_snapshots(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # reporting formulas: declining to name or specify is no rejection of anything
        ("Police declined to identify the suspect, who was not charged.", "REJECT", None),
        ("An embassy official, who refused to identify himself, said it was a bomb.", "REJECT", None),
        ("The president declined to sign the bill on Friday.", None, "REJECT"),
        # a court refusing a request or throwing out a suit rejects it; it denies no accusation
        ("The state Supreme Court this month denied a request to delay the execution.", "ACCUSE", "REJECT"),
        ("A federal judge dismissed the lawsuit on Friday.", "ACCUSE", "REJECT"),
        ("The Kremlin dismissed the allegations as nonsense on Monday.", None, "ACCUSE"),
        ("The ministry denied that its troops had crossed the border.", None, "ACCUSE"),
        # police radio and emergency calls ask nothing of anyone in PLOVER's sense
        ("The first officers on the scene called for backup immediately.", "REQUEST", None),
        ("Firefighters responded to the early morning call on Dec. 6.", "REQUEST", None),
        ("The opposition called for help from the international community on Monday.", None, "REQUEST"),
        # a tour of military duty is no visit
        ("He previously served two tours in Iraq.", "CONSULT", None),
        ("The prime minister toured the flooded districts on Monday.", None, "CONSULT"),
        # a sporting meet is no meeting
        ("The wrestling team advanced to Saturday's championship meet with a 38-19 win.", "CONSULT", None),
        ("She set a meet record in the 200 freestyle at the swim meet.", "CONSULT", None),
        ("The foreign ministers met in Geneva on Tuesday.", None, "CONSULT"),
        # a condemned inmate or building: the participle names a thing, not a condemnation
        ("The motion is part of another condemned inmate's challenge to lethal injection.", "ACCUSE", None),
        ("Crews began tearing down the condemned building on Elm Street.", "ACCUSE", None),
        ("The United Nations condemned the attack on Sunday.", None, "ACCUSE"),
        # deaths in a fire are no attack; killings with fire are
        ("Family and friends mourn four children killed in fire.", "ASSAULT", None),
        ("Gunmen opened fire on a bus, killing six passengers.", None, "ASSAULT"),
    ],
)
def test_reporting_formulas_court_refusals_radio_calls_tours_meets_and_fires(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a weather warning accuses no one
        ("Forecasters warned that a storm moving in overnight could drop two inches of rain.", "ACCUSE", None),
        ("The defence ministry warned Kiev against any provocation on Sunday.", None, "ACCUSE"),
        # wounds as a medical condition; the shooting is told where it happened
        ("Two officers were treated for gunshot wounds at the county hospital.", "ASSAULT", None),
        ("Gunmen wounded three soldiers at a checkpoint on Monday.", None, "ASSAULT"),
        # a court document or a signature drive named by its petition
        ("In a divorce petition filed in March, she wrote that he had moved out.", "REQUEST", None),
        ("Villagers sent a petition to the governor on Monday demanding a new road.", None, "REQUEST"),
        # two private people who met online
        ("The couple met online in 2019 and married a year later.", "CONSULT", None),
        ("The two presidents met in Ankara on Tuesday.", None, "CONSULT"),
    ],
)
def test_weather_warnings_wounds_court_petitions_and_online_acquaintance(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a figure that declined to a level: a statistic, no refusal
        ("Net interest income declined to $35.6 million from $70.1 million a year ago.", "REJECT", None),
        ("The unemployment rate declined to 3.8 percent last month.", "REJECT", None),
        ("The governor declined to sign the budget on Friday.", None, "REJECT"),
        ("A judge sentenced him to 15 years in prison on Monday.", None, "COERCE"),
        # a decision met with outrage was received, not met
        ("The decision was met with outrage by exile groups.", "CONSULT", None),
        ("Putin met with Erdogan in Sochi on Monday.", None, "CONSULT"),
        # a source asking for anonymity requests nothing of PLOVER's sense
        ("A Justice official, who requested anonymity, said the order stands.", "REQUEST", None),
        ("The ministry requested an explanation from the ambassador on Monday.", None, "REQUEST"),
        # deliberation is no act yet
        ("The defence secretary is considering urging the president to call up reserves.", "REQUEST", None),
        ("The defence secretary urged the president on Monday to call up reserves.", None, "REQUEST"),
        # 'such' names a kind of event, not one
        ("The government said it is against such terrorist attacks.", "ASSAULT", None),
        ("For weeks the government has held such rallies almost daily.", "PROTEST", None),
        ("Gunmen attacked a police post on Monday.", None, "ASSAULT"),
    ],
)
def test_statistics_reactions_anonymity_deliberation_and_kinds_of_events(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # an act in a "since" clause is the reference time of the news, as "since the invasion" is
        ("It was the president's first trip abroad since his troops invaded Ukraine.", "ASSAULT", None),
        ("Exports have doubled since Moscow imposed sanctions.", "SANCTION", None),
        ("Russian troops invaded Ukraine in February 2022.", None, "ASSAULT"),
        ("Since then, police have arrested 12 people.", None, "COERCE"),
        ("Police have arrested 12 people since Monday.", None, "COERCE"),
        # "X's visit comes at a time": a comment on the visit, told elsewhere
        ("The minister's visit comes at a pivotal time for the region.", "CONSULT", None),
        ("The arrest comes at a difficult time for the department.", "COERCE", None),
        ("The minister's visit to Tashkent began on Monday.", None, "CONSULT"),
    ],
)
def test_reference_clauses_and_comments_on_an_event(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a verbal attack criticises; an attack ad is a thing
        ("In a long verbal attack on state television, the president called his rival a liar.", "ASSAULT", "ACCUSE"),
        ("The campaign aired an attack ad on Sunday.", "ASSAULT", None),
        ("Militants attacked an army post on Sunday.", None, "ASSAULT"),
        # "accused killer" names a defendant; "accused X of" accuses
        ("The FBI put accused doctor killer James Kopp on its most-wanted list.", "ACCUSE", None),
        ("The Kremlin accused Kyiv of shelling the plant.", None, "ACCUSE"),
        # the threat or prospect of an act is not the act, past a name
        ("She referred to the threat of NATO air strikes if he does not agree.", "ASSAULT", None),
        ("Bush held out the prospect of more aid to Jordan.", "AID", None),
        ("NATO air strikes hit Belgrade on Monday.", None, "ASSAULT"),
        # fighting in court is a lawsuit, not a fight
        ("His great-uncle is fighting in the courts to keep the boy in Miami.", "ASSAULT", None),
        ("Troops fought rebels in the streets of Grozny on Monday.", None, "ASSAULT"),
    ],
)
def test_verbal_attacks_defendants_threats_of_acts_and_court_fights(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a verb trigger read as a noun, as the object of a preposition, names a known incident
        ("Two key suspects in the Kenya bombing have been handed over for trial.", "ASSAULT", None),
        ("The first evidence from the Nairobi bombing arrived at the FBI lab.", "ASSAULT", None),
        ("Critics are worried about Obama's calls for tighter media rules.", "REQUEST", None),
        ("A car bomb exploded outside the embassy on Friday.", None, "ASSAULT"),
        # but a finite verb or a participle after a noun phrase is no noun
        ("Oil deliveries continue to the island as it negotiates an agreement with Washington.", None, "CONSULT"),
        ("His attorney filed a petition with the court asking for access to the property.", None, "REQUEST"),
    ],
)
def test_verb_triggers_read_as_nouns_after_a_preposition_are_references(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # stabbings are attacks
        ("A woman was stabbed Tuesday morning while jogging near the park, police said.", None, "ASSAULT"),
        ("Five people were hurt in a knife attack at a station in Marseille on Friday.", None, "ASSAULT"),
        # a victim or a suspect named by the attack is a person, not the attack
        ("Albright paid tribute on Tuesday to bombing victims and embassy staff.", "ASSAULT", None),
        ("The stabbing victim was taken to hospital.", "ASSAULT", None),
    ],
)
def test_stabbings_and_people_named_by_an_attack(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


def test_a_skirmish_is_a_clash(finder):
    assert ("ASSAULT", "clash", False) in _types(finder, "Skirmishes broke out along the border on Thursday.")


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # an accident named after the killing verb is still an accident
        ("She was charged with driving the vehicle that killed him in a hit-and-run accident.", "ASSAULT", None),
        ("Of that number, 327 were killed in crashes that involved a drunk driver.", "ASSAULT", None),
        ("A hit-and-run driver killed a cyclist on Monday.", "ASSAULT", None),
        # but not fire set after an attack
        ("Gunmen killed two guards and set fire to the car.", None, "ASSAULT"),
    ],
)
def test_accidents_named_after_the_killing(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # "wound up" ended up; a truck that slammed into a toll plaza criticised no one
        ("A 19-year-old who tried to avoid a fight wound up in hospital.", "ASSAULT", None),
        ("A garbage truck slammed into the toll plaza Thursday afternoon.", "ACCUSE", None),
        ("The opposition leader slammed the budget on Monday.", None, "ACCUSE"),
        # a victim pressing charges, robbers demanding cash, students attending school
        ("He decided to press charges with the police.", "COERCE", None),
        ("One of the men held a knife to the driver's throat and demanded cash.", "REQUEST", None),
        ("Protesters demanded the release of the detained journalist.", None, "REQUEST"),
        ("Both brothers attended school in Dayton.", "CONSULT", None),
        # injuries in collisions
        ("She was the only person seriously injured in the collisions, police said.", "ASSAULT", None),
        ("The truck that killed Mary J. Blake in a hit-and-run accident was found on Monday.", "ASSAULT", None),
        ("Gunmen killed Dr. Ahmed Said in an ambush on Monday.", None, "ASSAULT"),
    ],
)
def test_ended_up_collisions_robbery_demands_and_schooling(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # wire-news formulas and things named by a trigger word
        ("Asked to comment, a Justice Department spokesman said nothing.", "REQUEST", None),
        ("The court asked the government on Monday to explain the delay.", None, "REQUEST"),
        ("The rally was officially sanctioned by the city.", "SANCTION", None),
        ("Usmanov was heavily sanctioned by the United States and the European Union.", None, "SANCTION"),
        ("Kimotho was hospitalized with a head wound.", "ASSAULT", None),
        ("Investors bet on an imminent clash between Ford and GM.", "ASSAULT", None),
        ("The president reaffirmed his commitment to fight terrorism.", "ASSAULT", None),
        ("The minister denied any cutbacks in the kingdom's oil supply.", "COOPERATE", None),
        ("Iran agreed on Monday to supply oil to Syria.", None, "COOPERATE"),
        ("The budget sets aside funds for meeting contingencies.", "CONSULT", None),
    ],
)
def test_wire_news_formulas_and_things_named_by_trigger_words(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a restriction as the subject of its own lifting is a concession, not a new restriction
        ("The curfew imposed on the city in March was lifted on Sunday.", "COERCE", "CONCEDE"),
        ("Sanctions on the country's banks were eased in June.", "SANCTION", "CONCEDE"),
        ("The state of emergency was extended for another month.", "CONCEDE", "COERCE"),
        ("A curfew was imposed after the riots were ended by police.", "CONCEDE", "COERCE"),
        # the content of a denial is not asserted; the denial is
        ("Officials denied reports that troops had shelled the village.", "ASSAULT", "ACCUSE"),
        ("The ministry denied that police arrested the journalist.", "COERCE", "ACCUSE"),
        ("Officials confirmed reports that troops had shelled the village.", None, "ASSAULT"),
    ],
)
def test_lifted_restrictions_and_denied_content(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # "agreed that" states an agreement only about what shall be done; otherwise a shared opinion
        ("The mayor agreed that the new library was a fine idea.", "AGREE", None),
        ("The two presidents agreed that their foreign ministers will meet in May.", None, "AGREE"),
        # a document's terms, also past an adverb or in a relative clause, are not a request
        ("The grant also called for the purchase of two fire engines.", "REQUEST", None),
        ("The leaders signed a plan, which calls for closer cooperation in energy.", "REQUEST", None),
        ("The union, which called for the strike, met the minister on Friday.", None, "REQUEST"),
    ],
)
def test_shared_opinions_and_documents_terms_are_not_agreements_or_requests(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # attending is a consultation when what is attended is a meeting, a summit or a ceremony ...
        ("Putin flew to Ashgabat for a Caspian summit that Mr. Tokayev also attended.", None, "CONSULT"),
        ("The mayor attended in May the St. Petersburg Economic Forum.", None, "CONSULT"),
        ("The meeting was attended by the foreign ministers of six countries.", None, "CONSULT"),
        # ... not a school, classes or a show
        ("All the children attended Lincoln Elementary until it closed.", "CONSULT", None),
        ("She attends dog shows nearly every weekend.", "CONSULT", None),
        ("The state funeral was attended by the presidents of four countries.", None, "CONSULT"),
    ],
)
def test_attending_a_meeting_not_a_school(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # an accident named by its adverb, or an electrocution, is no assault
        ("A soldier was accidentally shot by a fellow soldier during a training exercise.", "ASSAULT", None),
        ("The worker was killed Tuesday in an electrocution at the power plant.", "ASSAULT", None),
        ("Gunmen deliberately shot two soldiers at a checkpoint on Monday.", None, "ASSAULT"),
        # a unit and a thing named by a trigger word, and a courtesy
        ("The bomb squad was called to a storage unit on Monday.", "ASSAULT", None),
        ("Militants set off a bomb outside the ministry on Monday.", None, "ASSAULT"),
        ("High winds twisted road signs across the county.", "AGREE", None),
        ("\"Thank you so much for coming,\" the widow told the mourners.", "SUPPORT", None),
        ("The president thanked Japan for its help on Monday.", None, "SUPPORT"),
        # what someone feared would happen did not happen
        ("He feared he would be arrested if he returned home.", "COERCE", None),
        # a noun of lifting before the restriction: the restriction ends
        ("With the discontinuation of the burn ban, residents may burn brush again.", "COERCE", "CONCEDE"),
        ("The EU announced the lifting of sanctions on Belarus on Monday.", "SANCTION", "CONCEDE"),
        ("The EU announced sanctions on Belarus on Monday.", "CONCEDE", "SANCTION"),
    ],
)
def test_accidents_units_courtesies_fears_and_lifting(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # offences named in a record or a charge, greetings, documents and tasks named by trigger words
        ("He was cited for driving on a suspended license and speeding.", "COERCE", None),
        ("Kenya suspended the broadcaster's license on Monday.", None, "COERCE"),
        ("His record includes assault and battery with intent to kill.", "ASSAULT", None),
        ("\"Hi, nice to meet you,\" the mayor said.", "CONSULT", None),
        ("The embargo resolution did not authorize a naval blockade.", "SANCTION", None),
        ("The council charged the inspectors with verifying the weapons' destruction.", "COERCE", None),
        ("Prosecutors charged the two men with murder on Monday.", None, "COERCE"),
        ("The police chief declined to detail what was stolen.", "REJECT", None),
    ],
)
def test_offence_names_greetings_documents_and_tasks(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # an accident or a fire as the sentence's subject caused the injuries its later verbs report ...
        ("A fire destroyed the roof of a home on Tuesday, displacing the tenants and injuring two firefighters.",
         "ASSAULT", None),
        ("A two-car accident late Friday claimed the life of a student and injured several others.", "ASSAULT", None),
        # ... unless a clause with its own subject comes between, or the attack is a noun of its own
        ("A fire broke out after gunmen attacked the village on Monday.", None, "ASSAULT"),
        ("The crash came as rebels attacked the convoy near Goma.", None, "ASSAULT"),
        ("A fire broke out at the market, and gunmen killed two guards there.", None, "ASSAULT"),
        # gunfire and arson are no accident
        ("Sniper fire killed two soldiers near Kherson on Monday.", None, "ASSAULT"),
        ("Gunmen set fire to the building and killed two guards.", None, "ASSAULT"),
        ("Four people were killed in a house fire on Monday.", "ASSAULT", None),
        # hit by a vehicle, not by a weapon
        ("A man was hit by a car and killed early Sunday morning.", "ASSAULT", None),
        ("A man was hit by a bullet and killed early Sunday morning.", None, "ASSAULT"),
        # a document named with its topic states its terms, at the clause's start only
        ("The forecast for metro Atlanta calls for cloudy skies on Tuesday.", "REQUEST", None),
        ("Opponents of the plan for the dam called for a referendum on Monday.", None, "REQUEST"),
        # meeting a goal, and a duty described
        ("Only one of 22 agencies met the spending goal for minority-owned businesses.", "CONSULT", None),
        ("The minister met the Chinese ambassador in Beijing on Monday.", None, "CONSULT"),
        ("The committee did what it was asked to do and made its recommendations.", "REQUEST", None),
        ("The council asked the state to review the plan on Monday.", None, "REQUEST"),
    ],
)
def test_accident_subjects_vehicles_weapon_fire_document_topics_goals_and_duties(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # abandoning is a concession of a plan, a bid or a position, not of a car or a street
        ("The suspect abandoned the stolen car two miles away.", "CONCEDE", None),
        ("The car was found abandoned at the airport in December.", "CONCEDE", None),
        ("The government abandoned the plan on Monday.", None, "CONCEDE"),
        ("Rebels abandoned their positions near the town on Monday.", None, "CONCEDE"),
        # a thing sent is no force deployed
        ("The bill was sent to the Duma in December by Medvedev.", "MOBILIZE", None),
        ("Russia sent troops to the border on Monday.", None, "MOBILIZE"),
        # a pending charge is announced, not threatened; a warning of arrests is a threat
        ("Police said he will be charged with theft by shoplifting.", "THREATEN", None),
        ("Police warned that protesters will be arrested if they return.", None, "THREATEN"),
        # rolling back, a funeral's honours, firefighters' mutual aid and a photo credit
        ("Egypt helped form the coalition to roll back the invasion.", "SUPPORT", None),
        ("The United States backed the plan on Monday.", None, "SUPPORT"),
        ("He was buried with full military honors on Friday.", "SUPPORT", None),
        ("Providing mutual aid at the scene were firefighters from three towns.", "AID", None),
        ("Japan gave aid to the flood victims on Monday.", None, "AID"),
    ],
)
def test_abandoned_things_sent_things_pending_charges_and_other_senses(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        # a row of a casualty table, and many acts summed up by a count of times
        ("Injured: 4,877", "ASSAULT", None),
        ("Hundreds were injured in the blast on Monday.", None, "ASSAULT"),
        ("He has been arrested more than a dozen times during protests in seven states.", "COERCE", None),
        ("He was shot three times in the chest on Monday.", None, "ASSAULT"),
        # a court named by appeals, a shareholders' meeting, a reward's formula and seizing a chance
        ("A federal appeals court has reinstated his convictions.", "REQUEST", None),
        ("They immediately appealed to the 11th Circuit Court of Appeals in Atlanta.", None, "REQUEST"),
        ("The move was approved at a special shareholders' meeting yesterday.", "CONSULT", None),
        ("Albright offered a reward for information leading to the bombers' arrest.", "COERCE", None),
        ("Bush must seize the initiative now.", "COERCE", None),
        ("Police seized the weapons on Monday.", None, "COERCE"),
        # an arrest that a tip or a raid led to is news, not a reference
        ("The tip led to the arrest of two men on Monday.", None, "COERCE"),
        ("He was involved in the attack.", "ASSAULT", None),
    ],
)
def test_table_rows_counted_times_courts_meetings_rewards_and_arrests_led_to(finder, sentence, absent, present):
    _check(finder, sentence, absent, present)
