"""The learned confidence (events.triggers.confidence) and the ontology gate, on real news wording."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from events.triggers.confidence import ConfidenceModel, features

ARTICLE = (
    "Police in Almaty detained two opposition activists on Monday, the Interior Ministry said. "
    "The activists had organised a rally outside the city hall on Sunday. "
    "Analysts say sanctions could follow if the crackdown continues."
)


@pytest.fixture(scope="module")
def events(pipeline):
    return pipeline.extract_text(ARTICLE, published="2024-03-27")


def test_confidence_is_a_probability_with_two_decimals(events):
    assert events
    for event in events:
        assert 0.0 <= event.confidence <= 1.0
        assert round(event.confidence, 2) == event.confidence


def test_a_dated_arrest_with_its_actor_outranks_a_hedged_mention(pipeline):
    found = pipeline.extract_text(
        "Police detained two opposition activists in Almaty on Monday, the Interior Ministry said. "
        "Such measures, critics say, are a threat that hangs over every protest movement in the region.",
        published="2024-03-27",
    )
    by_type = {e.type: e for e in found}
    assert "COERCE" in by_type and "THREATEN" in by_type
    assert by_type["COERCE"].confidence > by_type["THREATEN"].confidence


def test_features_read_what_was_attached_and_the_rest_of_the_article(events):
    arrest = next(e for e in events if e.type == "COERCE")
    f = features(arrest, events, len(ARTICLE))
    assert f["has_actor"] == 1.0
    assert f["date=day"] == 1.0
    assert f["trigger_past"] == 1.0
    assert f["first_sentences"] == 1.0
    alone = features(arrest, [arrest], len(ARTICLE))
    echoed = features(arrest, [arrest, replace(arrest, char_start=arrest.char_start + 90)], len(ARTICLE))
    assert alone["same_type_elsewhere"] == 0.0 and echoed["same_type_elsewhere"] == 1.0


def test_an_unknown_feature_weighs_nothing():
    model = ConfidenceModel({"bias": 0.0, "has_actor": 2.0}, raw=(0.0, 4.0), calibrated=(0.2, 0.9))
    assert model.raw_score({"bias": 1.0, "has_actor": 1.0, "something_new": 5.0}) == 2.0
    assert model.probability({"has_actor": 1.0, "something_new": 5.0}) == model.probability({"has_actor": 1.0})


def test_a_broken_model_file_is_a_one_line_error_naming_it(tmp_path):
    path = tmp_path / "confidence.json"
    path.write_text(json.dumps({"weights": {"bias": 1.0}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"confidence\.json: not a confidence model"):
        ConfidenceModel.load(path)


def test_the_packaged_model_loads_with_a_rising_calibration():
    model = ConfidenceModel.load()
    assert "bias" in model.weights
    assert list(model.calibrated) == sorted(model.calibrated) and model.calibrated[-1] >= 0.8


def test_the_calibration_is_read_between_its_points_and_flat_beyond():
    model = ConfidenceModel({"bias": 1.0}, raw=(-1.0, 0.0, 2.0), calibrated=(0.1, 0.4, 0.9))
    assert model.probability({"bias": 0.0}) == 0.4
    assert model.probability({"bias": 1.0}) == pytest.approx(0.65)
    assert model.probability({"bias": -5.0}) == 0.1 and model.probability({"bias": 5.0}) == 0.9


def test_unsorted_calibration_points_are_a_one_line_error(tmp_path):
    path = tmp_path / "confidence.json"
    path.write_text(json.dumps({"weights": {"bias": 1.0}, "calibration": {"raw": [1.0, 0.0], "confidence": [0.2, 0.3]}}),
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"confidence\.json: not a confidence model: calibration points"):
        ConfidenceModel.load(path)


@pytest.mark.parametrize(
    ("text", "type_", "present"),
    [
        # private commerce is outside PLOVER ...
        ("A winning lottery ticket was sold at a gas station in Dayton on Saturday.", "COOPERATE", False),
        ("The couple bought a house on Elm Street last year with a mortgage loan.", "COOPERATE", False),
        # ... unless a state takes part
        ("In 2021, Kyrgyzstan purchased drones from Turkey.", "COOPERATE", True),
        ("The Indian government bought 36 fighter jets from France in 2016.", "COOPERATE", True),
        # hosting and partnering between private parties the same
        ("Kishwaukee College hosts its annual book sale on Saturday.", "CONSULT", False),
        ("The food bank partnered with a local grocery chain on Monday.", "COOPERATE", False),
        ("Volunteers went door to door to recruit participants for the cleanup.", "MOBILIZE", False),
        ("Indonesia hosted the G20 summit in Bali in November 2022.", "CONSULT", True),
        ("The Indian government partnered with France on a new submarine in 2019.", "COOPERATE", True),
        # offers, invitations, negotiations and honours the same; a public body's name gives it a sector
        ("The credit union offered to refinance their car loans on Monday.", "AGREE", False),
        ("The Rotary Club honored six high school seniors at its spring banquet on Saturday.", "SUPPORT", False),
        ("The museum invited its members to a preview of the new wing on Friday.", "REQUEST", False),
        ("The landlord negotiated a lower rent with the bakery on Tuesday.", "CONSULT", False),
        ("Norway offered on Monday to mediate between the two sides.", "AGREE", True),
        ("The Bexar County Commissioners Court offered the land to the state on Tuesday.", "AGREE", True),
        ("Egypt invited Israeli and Palestinian negotiators to Cairo on Monday.", "REQUEST", True),
        ("Kazakhstan negotiated a gas deal with China on Monday.", "CONSULT", True),
        # an agreement to buy, sell or pay is a deal, gated the same
        ("RJR Nabisco agreed to sell three candy businesses to Nestle for $370 million.", "AGREE", False),
        ("Iraq agreed to pay reparations to Kuwait on Monday.", "AGREE", True),
        # private trips and tours too; an official's visit is not: the title gives the actor a sector
        ("Three hundred students traveled to Guatemala on a mission trip in March.", "CONSULT", False),
        ("The couple travels to 30 dog shows a year in their camper.", "CONSULT", False),
        ("Gov. George Pataki toured five flooded counties on Monday.", "CONSULT", True),
        ("Russian Foreign Minister Sergei Lavrov traveled to Tashkent on Monday.", "CONSULT", True),
        ("The two Kenyan citizens arrived in the U.S. in 1999 and received asylum in 2007.", "CONSULT", False),
        ("Russian President Vladimir Putin arrived in Astana on Tuesday.", "CONSULT", True),
    ],
)
def test_private_acts_count_only_when_a_state_takes_part(pipeline, text, type_, present):
    found = pipeline.extract_text(text, published="2024-03-27")
    assert any(e.type == type_ for e in found) == present, [(e.type, e.trigger, e.actors) for e in found]


HEDGED = (
    "Police detained two opposition activists in Almaty on Monday, the Interior Ministry said. "
    "Such measures, critics say, are a threat that hangs over every protest movement in the region. "
    "Residents often meet at the bazaar to talk about prices."
)


def test_by_default_records_below_the_models_keep_from_are_dropped(gazetteer, pipeline):
    from events.pipeline import Pipeline

    every = pipeline.extract_text(HEDGED, published="2024-03-27")  # the fixture keeps every record
    kept = Pipeline(gazetteer).extract_text(HEDGED, published="2024-03-27")
    floor = ConfidenceModel.load().keep_from
    assert 0.0 < floor < 0.8
    assert [e.event_id for e in kept] == [e.event_id for e in every if e.confidence >= floor]
    assert len(kept) < len(every), "the hedged threat and the habitual meeting score below the drop"
    assert any(e.type == "COERCE" for e in kept)


def test_the_cli_keeps_every_record_with_min_confidence_zero(tmp_path):
    from click.testing import CliRunner

    from events.cli import main

    article = tmp_path / "a.jsonl"
    article.write_text(json.dumps({"id": "a", "text": HEDGED, "published": "2024-03-27"}) + "\n", encoding="utf-8")
    runner = CliRunner()
    counts = {}
    for option in ([], ["--min-confidence", "0"], ["--min-confidence", "0.99"]):
        out = tmp_path / f"out{len(counts)}.jsonl"
        result = runner.invoke(main, ["extract", str(article), "--no-db", "--out", str(out), "-q", *option])
        assert result.exit_code == 0, result.output
        lines = out.read_text().splitlines() if out.exists() else []  # --out opens its file at the first record
        counts[" ".join(option)] = [json.loads(line)["confidence"] for line in lines]
    assert len(counts["--min-confidence 0"]) > len(counts[""]) >= len(counts["--min-confidence 0.99"])
    assert all(c >= 0.99 for c in counts["--min-confidence 0.99"])


def test_a_keep_from_outside_0_1_is_a_one_line_error(tmp_path):
    path = tmp_path / "confidence.json"
    path.write_text(json.dumps({"weights": {"bias": 1.0}, "calibration": {"raw": [0.0], "confidence": [0.5]},
                                "keep_from": 1.5}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"confidence\.json: not a confidence model: keep_from"):
        ConfidenceModel.load(path)
