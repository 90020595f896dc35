"""Scoring follows EVENTS.md section 6."""

from __future__ import annotations

import json

import pytest

from events.evaluate import (
    GoldFormatError, actor_correct, date_correct, gazetteer_state_code, match, place_correct, read_jsonl, score,
)

SENTENCE = "Russia said it has arrested 11 suspects and the death toll rose to 133."


def _gold(**kw):
    base = {"doc_id": "d1", "evidence": "arrested 11 suspects", "type": "COERCE", "actors": ["Russia"], "date": None,
            "place": None, "country": None, "lat": None, "lon": None, "geo_precision": "none"}
    return base | kw


def _pred(**kw):
    base = {"doc_id": "d1", "sentence": SENTENCE, "type": "COERCE", "actors": ["Russia"], "date": None,
            "place": None, "country": None, "lat": None, "lon": None}
    return base | kw


@pytest.mark.parametrize(
    ("gold", "pred", "right"),
    [
        ("2022-07", "2022-07-06", True),
        ("2022-07", "2022", False),
        ("2022-07-06", "2022-07-06", True),
        ("2022-07-06", "2022-07-07", False),
        (None, None, True),
        (None, "2022", False),
        ("2022", None, False),
    ],
)
def test_date_is_judged_at_gold_precision(gold, pred, right):
    assert date_correct(gold, pred) is right


def test_place_within_161_km_counts():
    gold = _gold(place="Moscow", lat=55.7558, lon=37.6173, geo_precision="point")
    assert place_correct(gold, _pred(lat=55.82, lon=37.33))  # Krasnogorsk, ~20 km
    assert not place_correct(gold, _pred(lat=59.94, lon=30.31))  # Saint Petersburg


def test_country_precision_compares_countries():
    gold = _gold(place="Ukraine", country="UA", lat=49.0, lon=32.0, geo_precision="country")
    assert place_correct(gold, _pred(country="UA", lat=50.45, lon=30.52))
    assert not place_correct(gold, _pred(country="RU", lat=49.0, lon=32.0))


def test_each_gold_event_matches_at_most_one_prediction():
    gold = [_gold()]
    pred = [_pred(), _pred()]
    figures = score(gold, pred)
    assert figures["matched"] == 1
    assert figures["precision"] == 0.5 and figures["recall"] == 1.0


def test_matching_prefers_the_assignment_that_serves_everyone():
    # first-come greedy would give the first prediction to the first gold event and leave the second unmatched
    gold = [_gold(evidence="arrested 11 suspects"), _gold(evidence="death toll rose to 133")]
    pred = [_pred(), _pred(sentence="Police said they arrested 11 suspects.")]
    assert match(gold, pred, typed=False) == [(0, 1), (1, 0)]


def test_type_mismatch_counts_only_untyped():
    figures = score([_gold()], [_pred(type="ASSAULT")])
    assert figures["f1"] == 0.0 and figures["untyped_f1"] == 1.0


def test_other_document_never_matches():
    assert score([_gold()], [_pred(doc_id="d2")])["matched"] == 0


def test_actor_accuracy_uses_gold_first_actor():
    figures = score([_gold(actors=["Russia", "Federal Security Service"])], [_pred(actors=["Federal Security Service"])])
    assert figures["actor_accuracy"] == 0.0


def test_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(_gold()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"gold\.jsonl:2: not valid JSON"):
        read_jsonl(path)


@pytest.mark.parametrize(
    ("gold_actor", "pred", "right"),
    [
        ("Aleksandar Vučić", {"actors": ["Aleksandar Vucic"]}, True),  # accents and case do not count
        ("Sudan", {"actors": ["Sudanese Armed Forces"], "actor_countries": ["SD"]}, True),  # a state through its code
        ("Sudan", {"actors": ["Rapid Support Forces"], "actor_countries": []}, False),
        ("Al-Shabaab", {"actors": ["Somalia"], "actor_countries": ["SO"]}, False),  # a group is no state
    ],
)
def test_actor_matches_by_name_or_state_code(gold_actor, pred, right):
    assert actor_correct({"actors": [gold_actor]}, pred, gazetteer_state_code()) is right


def test_cluster_pairs_are_scored_through_the_matched_predictions(tmp_path):
    from events.evaluate import cluster_score, read_cluster_labels

    gold = [_gold(evidence="arrested 11 suspects"), _gold(evidence="death toll rose", type="ASSAULT"),
            _gold(doc_id="d2", evidence="detained eleven men"), _gold(doc_id="d2", evidence="shelled the port",
                                                                      type="ASSAULT")]
    labels_file = tmp_path / "clusters.jsonl"
    labels_file.write_text("".join(json.dumps({"line": i, "cluster": c}) + "\n"
                                   for i, c in enumerate(["arrest", "toll", "arrest", "shelling"])), encoding="utf-8")
    labels = read_cluster_labels(labels_file, len(gold))
    pred = [
        _pred(cluster_id="c1"),
        _pred(type="ASSAULT", cluster_id="c2"),
        _pred(doc_id="d2", sentence="Police detained eleven men.", cluster_id="c1"),
        _pred(doc_id="d2", sentence="Troops shelled the port.", type="ASSAULT", cluster_id="c2"),
        _pred(doc_id="d3", sentence="Unrelated.", cluster_id="c1"),
    ]
    figures = cluster_score(gold, labels, pred)
    assert figures["cluster_gold_pairs"] == 1 and figures["cluster_recall"] == 1.0
    # c1 joins the two arrests (right), c2 the toll and the shelling (wrong); d3 matches no gold
    assert figures["cluster_pairs_joined"] == 2 and figures["cluster_precision"] == 0.5
    assert figures["cluster_pairs_unjudged"] == 2


def test_cluster_labels_must_cover_every_gold_line(tmp_path):
    from events.evaluate import read_cluster_labels

    path = tmp_path / "clusters.jsonl"
    path.write_text('{"line": 0, "cluster": "a"}\n', encoding="utf-8")
    with pytest.raises(GoldFormatError, match="1 labels for 2 gold events"):
        read_cluster_labels(path, 2)
