"""The temporal tagger on news sentences: what it finds, what it leaves alone,
and how it resolves dates against the article's anchor (EVENTS.md section 4)."""

from __future__ import annotations

from datetime import date

import pytest

from events.models import Article
from events.time.timex import TimexTagger, find_anchor, timex_record


@pytest.fixture(scope="module")
def tagger() -> TimexTagger:
    return TimexTagger()


def only(tagger: TimexTagger, text: str, anchor: date | None, phrase: str):
    """The one timex whose text is `phrase` (fails loudly otherwise)."""
    found = [t for t in tagger.tag(text, anchor) if t.text == phrase]
    assert found, f"{phrase!r} not tagged in {text!r}: {tagger.tag(text, anchor)}"
    return found[0]


# (sentence, anchor, timex text, type, value, date, date_end, precision)
RESOLUTION_CASES = [
    ("On February 29, 2020, the Taliban and the United States signed a deal in Doha.",
     "2024-03-23", "February 29, 2020", "DATE", "2020-02-29", "2020-02-29", None, "day"),
    ("On Feb. 27 the two presidents met in Ankara to discuss grain exports.",
     "2024-03-23", "Feb. 27", "DATE", "2024-02-27", "2024-02-27", None, "day"),
    ("On Saturday, gunmen opened fire at the Crocus City Hall concert venue near Moscow.",
     "2024-03-25", "Saturday", "DATE", "2024-03-23", "2024-03-23", None, "day"),
    ("Lavrov is set for an official visit to Tashkent on July 28 and 29, the ministry said.",
     "2022-07-25", "July 28 and 29", "DATE", "2022-07-28", "2022-07-28", "2022-07-29", "day"),
    ("The forum will run from 1 to 3 March in Antalya.",
     "2024-02-20", "1 to 3 March", "DATE", "2024-03-01", "2024-03-01", "2024-03-03", "day"),
    ("Protests broke out in Nukus last month over planned constitutional changes.",
     "2022-07-06", "last month", "DATE", "2022-06", "2022-06", None, "month"),
    ("Kazakhstan's exports to China grew by a third last year.",
     "2022-07-06", "last year", "DATE", "2021", "2021", None, "year"),
    ("This year, the ministry expects the harvest to recover.",
     "2022-07-06", "This year", "DATE", "2022", "2022", None, "year"),
    ("The border post was shelled yesterday, the governor said.",
     "2024-03-25", "yesterday", "DATE", "2024-03-24", "2024-03-24", None, "day"),
    ("The foreign minister will travel to Beijing tomorrow.",
     "2024-03-25", "tomorrow", "DATE", "2024-03-26", "2024-03-26", None, "day"),
    ("Talks between the two delegations resumed last week in Geneva.",
     "2024-03-23", "last week", "DATE", "2024-W11", "2024-03", None, "month"),
    ("Early this year, the central bank raised its key rate twice.",
     "2024-03-23", "Early this year", "DATE", "2024", "2024", None, "year"),
    ("The pipeline was closed in late June for maintenance.",
     "2022-07-06", "late June", "DATE", "2022-06", "2022-06", None, "month"),
    ("The ceasefire has held since mid-2021, officials said.",
     "2022-07-06", "mid-2021", "DATE", "2021", "2021", None, "year"),
    ("The region was torn by civil war in the 1990s.",
     "2022-07-06", "the 1990s", "DATE", "199X", "1990", "1999", "year"),
    ("The plant was shut two years ago after an explosion.",
     "2024-03-23", "two years ago", "DATE", "2022", "2022", None, "year"),
    ("Company profit fell in the third quarter, it said.",
     "1989-10-25", "the third quarter", "DATE", "1989-Q3", "1989-07", "1989-09", "month"),
    ("The summit is scheduled for May 10 in Astana.",
     "2024-03-23", "May 10", "DATE", "2024-05-10", "2024-05-10", None, "day"),
    ("Officials met in Baku on December 12 to review the deal.",
     "2024-01-10", "December 12", "DATE", "2023-12-12", "2023-12-12", None, "day"),
    ("Output returned to the 2021 level, the ministry said.",
     "2024-03-23", "2021", "DATE", "2021", "2021", None, "year"),
    ("The attack happened on Saturday, April 25, according to police.",
     "1998-04-27", "Saturday, April 25", "DATE", "1998-04-25", "1998-04-25", None, "day"),
]


@pytest.mark.parametrize("text,anchor,phrase,type_,value,day,day_end,precision", RESOLUTION_CASES)
def test_resolves_against_anchor(tagger, text, anchor, phrase, type_, value, day, day_end, precision):
    t = only(tagger, text, date.fromisoformat(anchor), phrase)
    assert (t.type, t.value, t.date, t.date_end, t.precision) == (type_, value, day, day_end, precision)


# (sentence, timex text, type, value): expressions with no calendar date
NON_CALENDAR_CASES = [
    ("Inflation has fallen in the past five years.", "the past five years", "DURATION", "P5Y"),
    ("The siege lasted three days.", "three days", "DURATION", "P3D"),
    ("Rescuers searched for two hours.", "two hours", "DURATION", "PT2H"),
    ("The worst drought in two decades hit the south.", "two decades", "DURATION", "P20Y"),
    ("Recently, Kazakhstan provided a platform for talks.", "Recently", "DATE", "PAST_REF"),
    ("There are many different initiatives now.", "now", "DATE", "PRESENT_REF"),
    ("The fund is currently under review.", "currently", "DATE", "PRESENT_REF"),
    ("The commission meets every week.", "every week", "SET", "P1W"),
]


@pytest.mark.parametrize("text,phrase,type_,value", NON_CALENDAR_CASES)
def test_non_calendar_expressions_have_no_date(tagger, text, phrase, type_, value):
    t = only(tagger, text, date(2024, 3, 23), phrase)
    assert (t.type, t.value, t.date, t.precision) == (type_, value, None, "none")


FALSE_DATE_CASES = [
    "The death toll rose to 133 on the following morning after the fire.",
    "About 2,700 people were evacuated from the flooded district.",
    "The ship carried 3,039 tons of wheat to Egypt.",
    "The mill produced 2021 tons of flour.",
    "Police detained 11 suspects, the ministry said.",
    "Tickets for the rally cost $5 each.",
    "Some 98% of voters backed the amendments.",
    "Only 6 of 11 judges signed the ruling.",
    "Prices rose by 15% in the capital.",
    "We are ready to provide a platform, we said.",
    "The talks may resume if both sides agree.",
    "Veterans recalled the March on Washington.",
    "The Sunday Times reported the leak.",
    "The vote passed 1999 to 12 in the assembly.",
    "The council adopted Resolution 2000 without a vote.",
    "June Smith, a local teacher, said the school was shelled.",
    "May God protect our soldiers, the imam said.",
    "Flight 2019 landed safely in Almaty.",
]


@pytest.mark.parametrize("text", FALSE_DATE_CASES)
def test_plain_numbers_and_names_are_not_dates(tagger, text):
    dated = [t for t in tagger.tag(text, date(2024, 3, 23)) if t.date is not None]
    assert dated == []


def test_day_range_is_one_span_never_a_year(tagger):
    timexes = tagger.tag("Lavrov will visit Tashkent on July 28 and 29.", date(2022, 7, 25))
    assert [(t.text, t.date, t.date_end) for t in timexes] == [("July 28 and 29", "2022-07-28", "2022-07-29")]


@pytest.mark.parametrize("text,phrase,value", [
    ("Gunmen attacked the venue on Saturday.", "Saturday", "XXXX-WXX-6"),
    ("Exports fell last month.", "last month", "XXXX-XX"),
    ("The deal was signed on July 6.", "July 6", "XXXX-07-06"),
])
def test_relative_dates_without_anchor_stay_unresolved(tagger, text, phrase, value):
    t = only(tagger, text, None, phrase)
    assert (t.value, t.date, t.precision) == (value, None, "none")


def test_future_tense_puts_date_after_anchor(tagger):
    past = only(tagger, "The ministers met on Friday.", date(2024, 3, 20), "Friday")
    future = only(tagger, "The ministers will meet on Friday.", date(2024, 3, 20), "Friday")
    assert (past.date, future.date) == ("2024-03-15", "2024-03-22")


def test_offsets_point_into_the_text(tagger, seed_articles):
    for article in seed_articles:
        for t in tagger.tag(article.text, date(2022, 7, 6)):
            assert article.text[t.start:t.end] == t.text


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    return [
        Article("a1", "MOSCOW, November 28. /TASS/. Russia's foreign minister met his Kazakh counterpart "
                "on Monday. In 2023, trade between the two countries grew by 12%."),
        Article("a2", "March 23, 2024 -- At least 133 people were killed on Friday when gunmen "
                "opened fire at a concert hall. Eleven suspects were arrested on Saturday."),
        Article("a3", "The Armenian foreign ministry said a direct meeting will be held as early as May 10."),
    ]


@pytest.mark.parametrize("published,index,expected", [
    ("2022-07-06T10:00:00", 0, date(2022, 7, 6)),
    (None, 0, date(2023, 11, 28)),  # TASS dateline, year from the text
    (None, 1, date(2024, 3, 23)),   # full dateline
    (None, 2, None),                # nothing to go by
])
def test_find_anchor(tagger, seed_articles, published, index, expected):
    a = seed_articles[index]
    article = Article(a.doc_id, a.text, published=published)
    assert find_anchor(article, tagger) == expected


def test_timex_record_shape(tagger):
    article = Article("s01", "Kyrgyz and Tajik guards clashed on Saturday.", published="2022-09-19")
    record = timex_record(article, tagger)
    assert record == {"doc_id": "s01", "timexes": [
        {"start": 35, "end": 43, "text": "Saturday", "type": "DATE", "value": "2022-09-17"}]}


@pytest.mark.parametrize("published,expected", [
    ("2022-07", date(2022, 7, 15)),
    ("2022-07-06T08:30:00+00:00", date(2022, 7, 6)),
    ("not a date", None),
])
def test_published_anchor_forms(tagger, published, expected):
    assert find_anchor(Article("x", "No dates here.", published=published), tagger) == expected


def test_word_lists_are_data_not_code(tmp_path):
    """A holiday added to the JSON file is found with no code change."""
    import json
    from importlib import resources

    from events.time.lexicon import load_lexicon

    data = json.loads(resources.files("events").joinpath("data", "timex.json").read_text(encoding="utf-8"))
    data["holidays"]["nauryz"] = "03-22"
    path = tmp_path / "timex.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    tagger = TimexTagger(load_lexicon(str(path)))
    t = only(tagger, "Crowds gathered in Almaty for Nauryz.", date(2024, 3, 25), "Nauryz")
    assert (t.value, t.precision) == ("2024-03-22", "day")
