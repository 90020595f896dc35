"""Sentence splitting keeps exact offsets and knows abbreviations."""

from events.text.sentences import MAX_SENTENCE_CHARS, SentenceSplitter


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


def test_a_run_on_list_is_cut_at_clause_breaks_into_bounded_pieces():
    names = "Paris, London, Berlin, Madrid, Rome, Vienna, Warsaw, Prague, Lisbon, Dublin, "
    text = "Protesters rallied in " + names * 100
    sentences = SentenceSplitter().split(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text.endswith(",") for s in sentences[:-1])  # cut after a comma, not inside a name
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_long_real_sentence_is_not_cut():
    sentence = ("The ministry said on Tuesday that the convoy, which had left the capital before dawn and "
                "travelled through three provinces where fighting had closed most roads, reached the border "
                "crossing at noon, where officials from both governments, aid agencies and the United Nations "
                "were waiting to inspect the lorries and their cargo of food, medicine and fuel.")
    assert [s.text for s in SentenceSplitter().split(sentence)] == [sentence]
