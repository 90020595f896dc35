"""cluster_id links reports of the same real-world event across articles (EVENTS.md section 1)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from events.pipeline import PipelineConfig
from events.runner import extract_paths

# Three agencies' wording of pipeline closures: two reports of the July 6 halt, one of another halt.
REPORTS = [
    {"id": "reuters-1", "published": "2022-07-06",
     "text": "Russia halted the flow of oil through the CPC pipeline near Novorossiysk on Wednesday, "
             "a court ruling showed."},
    {"id": "ap-1", "published": "2022-07-07",
     "text": "A Russian court ordered the pipeline closed. Russia halted the flow of oil through the CPC "
             "pipeline at Novorossiysk on July 6."},
    {"id": "ap-2", "published": "2022-08-22",
     "text": "Russia halted the flow of oil through the CPC pipeline at Novorossiysk on August 20."},
    {"id": "afp-1", "published": "2022-07",
     "text": "In July, Russia halted the flow of oil through a pipeline at Novorossiysk."},
    {"id": "tass-1", "published": "2022-07-06",
     "text": "Russia halted the flow of gas through a pipeline in Vladivostok on Wednesday."},
]


def _halts(tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    source = tmp_path / "reports.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    db = tmp_path / "events.duckdb"
    extract_paths([source], db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, date, cluster_id FROM events WHERE type = 'SANCTION'").fetchall()
    return {doc: (day, cluster) for doc, day, cluster in rows}


def test_reports_of_one_event_share_a_cluster_and_others_do_not(tmp_path: Path) -> None:
    halts = _halts(tmp_path)
    assert halts["reuters-1"][0] == halts["ap-1"][0] == "2022-07-06"
    cluster = halts["reuters-1"][1]
    assert cluster is not None and halts["ap-1"][1] == cluster
    # the same month at month precision is the same date at the coarser precision
    assert halts["afp-1"] == ("2022-07", cluster)
    # another day, or a place 6,000 km away, is another event
    assert halts["ap-2"][1] != cluster
    assert halts["tass-1"][1] != cluster


def test_clusters_are_recomputed_not_accumulated(tmp_path: Path) -> None:
    first = _halts(tmp_path)
    second = _halts(tmp_path)
    assert first == second


def _clusters(tmp_path: Path, reports: list[dict]) -> list[tuple[str, str, str | None, str | None]]:
    """(doc_id, trigger, place, cluster_id) of every event, extracted from `reports` into a fresh database.

    Every record is kept (`min_confidence` 0): these tests are about linking reports, and a one-sentence
    brief with no named doer scores below the default drop (README, "Known limits")."""
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    db = tmp_path / "wire.duckdb"
    extract_paths([source], db, config=PipelineConfig(min_confidence=0.0))
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT doc_id, trigger, place, cluster_id FROM events WHERE type = 'ASSAULT' ORDER BY doc_id, char_start"
        ).fetchall()


# One mosque bombing as three agencies tell it: a dated lead, a next-day follow-up with an undated
# sentence, and a report whose article is dated only to the month.
KABUL_BOMBING = [
    {"id": "reuters-kabul", "published": "2024-05-12",
     "text": "KABUL, May 12 (Reuters) - A suicide bomber attacked a Shi'ite mosque in Kabul on Sunday, killing at "
             "least seven worshippers, police said. The Taliban-led administration condemned the attack."},
    {"id": "ap-kabul", "published": "2024-05-13",
     "text": "KABUL, Afghanistan (AP) - The death toll from a suicide bombing at a mosque in Kabul rose to nine on "
             "Monday. The bomber detonated his explosives at the mosque entrance during evening prayers, a police "
             "spokesman said."},
    {"id": "afp-kabul", "published": "2024-05",
     "text": "A suicide bomber attacked a mosque in Kabul this month, killing several worshippers, according to "
             "officials."},
]


def test_several_agencies_reports_of_one_bombing_share_one_cluster(tmp_path: Path) -> None:
    rows = _clusters(tmp_path, KABUL_BOMBING)
    assert {doc for doc, *_ in rows} == {"reuters-kabul", "ap-kabul", "afp-kabul"}
    clusters = {cluster for *_, cluster in rows}
    assert len(clusters) == 1 and None not in clusters


def test_two_attacks_of_one_group_on_one_day_in_two_cities_stay_apart(tmp_path: Path) -> None:
    reports = [
        {"id": "reuters-kabul", "published": "2024-05-12",
         "text": "KABUL, May 12 (Reuters) - Islamic State militants attacked a Shi'ite mosque in Kabul on Sunday, "
                 "killing at least seven worshippers, police said."},
        {"id": "reuters-herat", "published": "2024-05-12",
         "text": "HERAT, May 12 (Reuters) - Islamic State gunmen attacked a police checkpoint in Herat on Sunday, "
                 "killing two officers, a provincial spokesman said."},
        {"id": "ap-herat", "published": "2024-05-12",
         "text": "Islamic State gunmen attacked a police checkpoint in Herat city on Sunday."},
    ]
    rows = {doc: (place, cluster) for doc, _, place, cluster in _clusters(tmp_path, reports)}
    assert rows["reuters-herat"][1] is not None and rows["reuters-herat"][1] == rows["ap-herat"][1]
    assert rows["reuters-kabul"] == ("Kabul", None)


def test_a_sentence_without_actor_or_place_joins_its_articles_story(tmp_path: Path) -> None:
    reports = [
        {"id": "wire-1", "published": "2024-03-23",
         "text": "Gunmen opened fire at a concert hall in Krasnogorsk on Friday. Witnesses said the gunmen shot "
                 "people in the atrium of the concert hall in Krasnogorsk. The death toll was later revised to 133."},
    ]
    rows = _clusters(tmp_path, reports)
    assert len(rows) >= 3
    clusters = {cluster for *_, cluster in rows}
    assert len(clusters) == 1 and None not in clusters


def test_a_vague_report_reaching_two_clusters_joins_neither() -> None:
    from events.store.cluster import _Clusters

    clusters = _Clusters()
    clusters.union("kabul-1", "kabul-2")
    clusters.union("herat-1", "herat-2")
    clusters.attach_unique([("vague", "kabul-1"), ("vague", "herat-2")])
    assert clusters.find("vague") == "vague"
    clusters.attach_unique([("vague", "kabul-1")])
    assert clusters.find("vague") == clusters.find("kabul-2")


def test_average_linkage_does_not_chain_reports_that_share_nothing() -> None:
    from events.store.cluster import LINK, _Clusters, merge_by_majority

    # 1-2 and 2-3 link; 3-4 link too, but 4 links to nothing else in {1, 2, 3}
    scored = {(1, 2): LINK + 1, (2, 3): LINK, (1, 3): 0, (3, 4): LINK, (1, 4): 0, (2, 4): 0}
    clusters = _Clusters()
    merge_by_majority(clusters, scored)
    assert clusters.find(1) == clusters.find(2) == clusters.find(3)
    assert clusters.find(4) == 4
    # a pair that does not fit (absent from the scored pairs) keeps two clusters apart whatever links them
    clusters = _Clusters()
    merge_by_majority(clusters, {(1, 2): LINK, (2, 3): LINK})
    assert clusters.find(1) == clusters.find(2) and clusters.find(3) == 3


def test_two_signings_at_one_summit_by_other_parties_stay_apart(tmp_path: Path) -> None:
    reports = [
        {"id": "reuters-samarkand", "published": "2024-06-03",
         "text": "Kyrgyzstan signed a power transit agreement with Tajikistan in Samarkand on Monday, officials said."},
        {"id": "afp-samarkand", "published": "2024-06-03",
         "text": "Azerbaijan signed a rail transit agreement with Turkey in Samarkand on Monday, officials said."},
    ]
    source = tmp_path / "summit.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    db = tmp_path / "summit.duckdb"
    extract_paths([source], db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT place, actors, cluster_id FROM events WHERE type = 'AGREE'").fetchall()
    # same type, day and point: only the parties (who signed with whom) tell them apart
    assert [(place, cluster) for place, _, cluster in rows] == [("Samarkand", None), ("Samarkand", None)]


def _rows(tmp_path: Path, reports: list[dict], event_type: str) -> list[tuple[str, str, str | None]]:
    """(doc_id, first actor, cluster_id) of every event of one type, extracted into a fresh database."""
    source = tmp_path / "reports.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    db = tmp_path / "reports.duckdb"
    extract_paths([source], db)
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT doc_id, actors[1], cluster_id FROM events WHERE type = ? ORDER BY doc_id, char_start", [event_type]
        ).fetchall()


def test_two_condemnations_on_one_day_are_two_events_and_one_told_twice_is_one(tmp_path: Path) -> None:
    # one speaker's condemnation told by two agencies, and another speaker's in the same story
    reports = [
        {"id": "reuters-condemn", "published": "2024-06-10",
         "text": "BRUSSELS, June 10 (Reuters) - The European Union on Monday condemned the bombing of a market in "
                 "Mogadishu, calling it a cowardly attack on civilians. Turkey also condemned the bombing in a "
                 "statement from its foreign ministry."},
        {"id": "afp-condemn", "published": "2024-06-10",
         "text": "The European Union condemned the Mogadishu market bombing on Monday as a cowardly attack on "
                 "civilians."},
    ]
    by_speaker = {(doc, speaker): cluster for doc, speaker, cluster in _rows(tmp_path, reports, "ACCUSE")}
    eu = by_speaker[("reuters-condemn", "The European Union")]
    assert eu is not None and by_speaker[("afp-condemn", "The European Union")] == eu
    assert by_speaker[("reuters-condemn", "Turkey")] != eu


def test_an_arrest_and_a_seizure_in_one_raid_are_two_acts(tmp_path: Path) -> None:
    report = {"id": "ap-raid", "published": "2024-04-17",
              "text": "MAIDUGURI, Nigeria (AP) - Nigerian police arrested 14 suspected kidnappers in a raid in "
                      "Maiduguri on Tuesday, a police spokesman said. Officers also seized 30 rifles and a large "
                      "amount of ammunition from the hideout. The suspects were arrested after a two-hour gunfight, "
                      "the spokesman said."}
    source = tmp_path / "raid.jsonl"
    source.write_text(json.dumps(report) + "\n", encoding="utf-8")
    db = tmp_path / "raid.duckdb"
    extract_paths([source], db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT mode, cluster_id FROM events WHERE type = 'COERCE' ORDER BY char_start").fetchall()
    assert [mode for mode, _ in rows] == ["arrest", "seize", "arrest"]
    assert rows[0][1] is not None and rows[2][1] == rows[0][1]
    assert rows[1][1] is None


def test_the_articles_topic_is_no_evidence_within_it(tmp_path: Path) -> None:
    # an analysis piece names the Taliban in every sentence: two pledges of allegiance to it are two acts
    reports = [
        {"id": "analysis-taliban", "published": "2023-08-15",
         "text": "Two years after the Taliban seized Kabul, militant groups across the region still look to the "
                 "movement. The Islamic Movement of Uzbekistan swore allegiance to the Taliban in 2001. The Haqqani "
                 "network, which swore allegiance to the Taliban decades ago, now runs the interior ministry. The "
                 "Taliban banned girls from secondary schools in March 2022. The Taliban also arrested several "
                 "journalists in Kabul."},
    ]
    rows = _rows(tmp_path, reports, "COOPERATE")
    assert len(rows) == 2
    assert [cluster for *_, cluster in rows] == [None, None]


def test_arrests_of_six_people_by_one_state_on_one_day_stay_six_events(tmp_path: Path) -> None:
    # six agencies, six arrests: "Russia" is in every report of the week, so it says nothing of which arrest
    people = ["Ivan Petrov, a human rights lawyer", "Olga Smirnova, a theatre director", "Alexei Ivanov, a blogger",
              "Maria Kuznetsova, a school teacher", "Dmitry Volkov, a student activist",
              "Sergei Orlov, a retired engineer"]
    agencies = ["reuters", "ap", "afp", "dpa", "bbc", "meduza"]
    reports = [
        {"id": f"{agency}-{n}", "published": "2024-03-05",
         "text": f"Russian police arrested {who}, on Tuesday over social media posts criticising the war, a lawyer said."}
        for n, (agency, who) in enumerate(zip(agencies, people))
    ]
    rows = _rows(tmp_path, reports, "COERCE")
    assert len(rows) == 6
    assert [cluster for *_, cluster in rows] == [None] * 6


def test_a_statement_told_by_its_author_and_by_his_group_is_one_and_another_groups_is_not(tmp_path: Path) -> None:
    # "Ismail Haniyeh, the head of Hamas" names both as one speaker: Hamas's and Haniyeh's congratulation are one
    # voice in this article; Hezbollah's leader congratulating on the same day is another statement
    reports = [
        {"id": "aj-hamas", "published": "2021-08-17",
         "text": "GAZA CITY - The Palestinian group Hamas congratulated the Taliban on Monday for the defeat of the "
                 "American occupation in Afghanistan. Ismail Haniyeh, the head of Hamas, congratulated the Taliban "
                 "leadership in a phone call with Mullah Abdul Ghani Baradar. Haniyeh congratulated the Taliban on "
                 "the end of the occupation and wished Afghanistan stability. Hezbollah leader Hassan Nasrallah "
                 "congratulated the Taliban in a televised speech on the same day."},
    ]
    rows = _rows(tmp_path, reports, "SUPPORT")
    assert [speaker for _, speaker, _ in rows] == ["Hamas", "Ismail Haniyeh", "Ismail Haniyeh", "Hassan Nasrallah"]
    hamas = rows[0][2]
    assert hamas is not None and rows[1][2] == hamas and rows[2][2] == hamas
    assert rows[3][2] != hamas


def test_arrests_that_take_different_numbers_of_people_are_two_and_rounded_counts_are_one(tmp_path: Path) -> None:
    # one town, one day, one police force: only "six men" and "two men" tell the riot arrests from the
    # bomb-factory arrests; "more than 300" and "as many as 312" protesters are one detention told twice
    reports = [
        {"id": "pa-ni", "published": "2019-07-13",
         "text": "BELFAST - Police arrested six men on suspicion of rioting in Portadown on Friday night. Officers "
                 "arrested two men in connection with a bomb-making factory found in a farm building outside "
                 "Portadown on Friday, a police spokesman said. The six men were arrested after petrol bombs were "
                 "thrown at police lines."},
        {"id": "ke-demo", "published": "2023-07-12",
         "text": "NAIROBI - Kenyan police detained more than 300 protesters in Nairobi on Wednesday as "
                 "demonstrations against tax increases turned violent. As many as 312 demonstrators were detained "
                 "in Nairobi for public order offences, the interior minister said."},
    ]
    rows = _rows(tmp_path, reports, "COERCE")
    by_doc: dict[str, list[str | None]] = {}
    for doc, _, cluster in rows:
        by_doc.setdefault(doc, []).append(cluster)
    six, two, six_again = by_doc["pa-ni"]
    assert six is not None and six_again == six
    assert two != six
    nairobi = by_doc["ke-demo"]
    assert len(nairobi) == 2 and nairobi[0] is not None and nairobi[1] == nairobi[0]
