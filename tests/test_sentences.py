"""Sentence splitting keeps exact offsets and knows abbreviations."""

from events.sentences import SentenceSplitter


def test_offsets_point_into_the_text():
    text = "The U.S. Treasury acted. Gen. Smith met Mr. Tokayev in Astana.\n\nA new paragraph without a stop"
    sentences = SentenceSplitter().split(text)
    assert [s.text for s in sentences] == [
        "The U.S. Treasury acted.",
        "Gen. Smith met Mr. Tokayev in Astana.",
        "A new paragraph without a stop",
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_empty_text_has_no_sentences():
    assert SentenceSplitter().split("  \n\n ") == []
