"""Toponym finding and resolution on real news sentences."""

from __future__ import annotations


import pytest

from events.geo.gazetteer import Gazetteer
from events.geo.geoparse import Geoparser
from events.models import Article


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser(Gazetteer.load())


def resolved(geoparser: Geoparser, text: str) -> dict[str, tuple]:
    return {t.text: (t.place.country, t.place.feature, t.place.admin1) if t.place else None
            for t in geoparser.parse(text)}


@pytest.mark.parametrize("text, name, country, feature", [
    ("Russia's Defence Ministry said the plant in Perm was hit; Moscow denied it.", "Perm", "RU", "city"),
    ("Georgia's prime minister met officials in Tbilisi to discuss the Caucasus.", "Georgia", "GE", "country"),
    ("Atlanta police said the storm hit Georgia and Alabama on Tuesday.", "Georgia", "US", "admin1"),
    ("Lavrov arrived in Paris on Monday for talks with his French counterpart.", "Paris", "FR", "city"),
    ("The tornado struck Paris, Texas, late on Sunday.", "Paris", "US", "city"),
    ("Tokayev held talks in Nur-Sultan with the visiting delegation.", "Nur-Sultan", "KZ", "city"),
    ("Tokayev held talks in Astana with the visiting delegation.", "Astana", "KZ", "city"),
    ("Explosions were heard in Kiev overnight, Ukrainian officials said.", "Kiev", "UA", "city"),
    ("Explosions were heard in Kyiv overnight, Ukrainian officials said.", "Kyiv", "UA", "city"),
    ("The governor said a drone fell in the Bryansk region of Russia.", "Bryansk region", "RU", "admin1"),
    ("Protests broke out in Karakalpakstan, an autonomous republic of Uzbekistan.", "Karakalpakstan", "UZ", "admin1"),
    ("Air strikes hit Idlib as Syrian forces advanced.", "Idlib", "SY", None),
    ("Rights groups documented camps across Xinjiang.", "Xinjiang", "CN", "admin1"),
    ("Kazakhstan's president spoke by telephone with Vladimir Putin.", "Kazakhstan", "KZ", "country"),
    ("The U.S. imposed new sanctions on Thursday.", "U.S.", "US", "country"),
    ("Chiquita Raquel Henry, 19, of Alexandria, La., was arrested.", "Alexandria", "US", "city"),
])
def test_toponym_resolves_by_context(geoparser: Geoparser, text: str, name: str, country: str,
                                     feature: str | None) -> None:
    found = resolved(geoparser, text)
    assert name in found, found
    got_country, got_feature, _ = found[name]
    assert got_country == country
    if feature:
        assert got_feature == feature


@pytest.mark.parametrize("text, not_a_place", [
    ("Kazakh and Tajik officials met Uzbek diplomats.", "Kazakh"),
    ("Kazakh and Tajik officials met Uzbek diplomats.", "Tajik"),
    ("Russian troops crossed the border, American officials said.", "Russian"),
    ("Georgia Smith, a spokeswoman, declined to comment.", "Georgia"),
    ("Mobile phones were banned in the hall.", "Mobile"),
    ("Reading the statement, the minister looked tired.", "Reading"),
    ("Farmers sold turkey and ham at the market.", "turkey"),
    ("Chiquita Raquel Henry was arrested. Henry said nothing.", "Henry"),
])
def test_non_places_are_not_toponyms(geoparser: Geoparser, text: str, not_a_place: str) -> None:
    assert not_a_place not in resolved(geoparser, text)


def test_country_name_resolves_to_the_country_not_a_building(geoparser: Geoparser) -> None:
    for text in ("Officials in Turkey said.", "Aid reached Jordan on Friday.", "Trade with China grew."):
        places = [t.place for t in geoparser.parse(text)]
        assert places and all(p.feature == "country" for p in places), text


def test_unresolvable_name_does_not_empty_the_rest(geoparser: Geoparser) -> None:
    # A span with no candidates resolves to None and leaves the others alone.
    from events.geo.toponyms import ToponymSpan
    spans = [ToponymSpan(0, 5, "Xqzzy", "xqzzy"), *geoparser.finder.find("      Delegates met in Tashkent.")]
    toponyms = geoparser.resolver.resolve(spans)
    assert toponyms[0].place is None
    assert toponyms[1].place is not None and toponyms[1].place.country == "UZ"


def test_record_matches_the_contract(geoparser: Geoparser) -> None:
    article = Article(doc_id="d1", text="Clashes erupted near Kok-Tash and in Batken, Kyrgyzstan.")
    record = geoparser.geoparse_record(article)
    assert record["doc_id"] == "d1"
    assert record["toponyms"]
    for t in record["toponyms"]:
        assert set(t) == {"start", "end", "text", "name", "lat", "lon", "country", "geonames_id", "feature"}
        assert article.text[t["start"]:t["end"]] == t["text"]
        assert t["feature"] in {"city", "admin1", "country", "region", "other", None}


def test_empty_text_has_no_toponyms(geoparser: Geoparser) -> None:
    assert geoparser.parse("") == []


def test_a_name_with_lower_case_inner_words(geoparser: Geoparser) -> None:
    (dar,) = geoparser.parse("She laid a wreath in Dar es Salaam on Monday.")
    assert dar.text == "Dar es Salaam" and dar.place.country == "TZ"


def test_a_name_repeated_in_a_long_list_resolves_as_it_does_once(geoparser: Geoparser):
    names = "Paris, London, Berlin, Madrid, Almaty, Tashkent, "
    once = resolved(geoparser, "Protesters rallied in " + names)
    many = geoparser.parse("Protesters rallied in " + names * 200)
    assert len(many) == 6 * 200
    assert all((t.place.country, t.place.feature, t.place.admin1) == once[t.text] for t in many)


@pytest.mark.parametrize("values, removed", [
    ([1.0, 2.0, 3.0, 4.0, 5.0], [3.0]),
    ([1.0, 2.0, 2.0, 2.0, 9.0], [2.0, 2.0]),
    ([0.5, 0.5, 0.5], [0.5]),
    ([-3.0, -1.0, 4.0, 4.0, 7.0, 8.0], [-3.0, 8.0]),
])
def test_median_without_is_the_median_of_the_rest(values, removed):
    from events.geo.resolve import _median_without

    rest = list(values)
    for value in removed:
        rest.remove(value)
    assert _median_without(values, removed) == sorted(rest)[len(rest) // 2]
