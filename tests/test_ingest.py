"""Stage 1, ingest: files -> Article, on the seed files and small real fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from events.ingest import articles as ingest
from events.ingest.articles import IngestError, IngestWarning, derive_doc_id, read_html, read_paths, read_text
from events.models import Article
from events.ingest.textclean import Boilerplate, is_title_like, split_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEARCH_PAGE = SEEDS / "000_938eaa5d23ff1b00.txt"
SAVED_PAGE = SEEDS / "004_b1e87bea9178cb10.txt"


def articles(items: list[Article | IngestError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | IngestError]) -> list[IngestError]:
    return [item for item in items if isinstance(item, IngestError)]


@pytest.fixture(scope="module")
def rules() -> Boilerplate:
    return Boilerplate.load()


@pytest.fixture(scope="module")
def hand_split() -> list[dict]:
    with open(SEEDS / "articles.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# --- plain text: how files split into articles


def test_search_results_page_splits_into_one_article_per_title() -> None:
    got = list(read_paths([SEARCH_PAGE]))
    assert errors(got) == []
    assert [a.title for a in got] == [
        "Kazakhstan offers to host platform for Russia-Ukraine negotiations",
        "Central Asia and Turkey Serving as Way-Points for Russia’s Explosives Imports",
        "Tajikistan Warns Against “Unverified” Reports About Moscow Attack",
        "Russia Detains Suspects with Tajik Passports – Death Toll Rises to 133",
        "Two Years On from Invasion of Ukraine, Attitudes Towards Russia in Central Asia Have Changed",
    ]
    assert all("Viewing results" not in a.text for a in got)
    assert [a.source for a in got] == [f"{SEARCH_PAGE}:{n}" for n in (3, 7, 11, 15, 19)]


def test_saved_web_page_splits_at_bylines_and_drops_site_chrome() -> None:
    got = articles(list(read_paths([SAVED_PAGE])))
    assert [a.title for a in got] == [
        "Why Central Asian Jihadists are Inspired by the US-Taliban Agreement?",
        "Russia’s Waning Influence in Central Asia is Inviting Regional Actors to Fill the Vacuum",
        "Tashkent‘s Historic Opportunity to Emerge as a Regional Leader",
        "Escaping a bear hug: Kazakhstan seeks closer ties to US and Europe",
    ]
    paragraphs = {p for a in got for p in a.text.split("\n\n")}
    for chrome in ("Connect with us", "Published", "on", "Continue Reading", "Comments", "Central Asia",
                   "Image source: kremlin.ru", "Latest", "Trending", "Economy1 hour ago"):
        assert chrome not in paragraphs
    # the caption above the byline and the teaser list after the last article are gone
    assert not any("(second left)" in a.text or "Samoa welcomes" in a.text for a in got)
    # subheadings inside an article stay in it
    assert "China" in got[1].text.split("\n\n")


def test_seed_split_matches_the_hand_split(hand_split: list[dict]) -> None:
    got = articles(list(read_paths([SEARCH_PAGE, SAVED_PAGE])))
    assert len(got) == len(hand_split) == 9
    for article, expected in zip(got, hand_split, strict=True):
        assert article.title == expected["title"], expected["id"]
        assert article.text == expected["text"], expected["id"]


def test_single_article_with_a_subheading_stays_one_article() -> None:
    got = list(read_paths([FIXTURES / "single_article.txt"]))
    assert len(got) == 1
    article = got[0]
    assert article.title == "Uzbekistan and Kyrgyzstan sign border demarcation treaty"
    assert article.text.startswith("Presidents Shavkat Mirziyoyev")
    assert "\n\nWater and trade\n\n" in article.text
    assert article.source == str(FIXTURES / "single_article.txt")


def test_listing_splits_and_skips_its_header_line() -> None:
    got = list(read_paths([FIXTURES / "listing.txt"]))
    assert [a.title for a in got] == [
        "Turkmenistan opens new gas compressor station on the Caspian coast",
        "Kazakhstan detains three over Almaty fuel protests",
        "Tajikistan and China agree to expand Dushanbe power plant",
    ]
    assert all("\n" not in a.text and a.text.endswith(".") for a in got)


def test_saved_page_fixture_keeps_two_articles_without_menus_or_teasers() -> None:
    got = list(read_paths([FIXTURES / "saved_page.txt"]))
    assert [a.title for a in got] == [
        "Mongolia hosts trilateral talks on rail corridor",
        "Azerbaijan halts grain imports from two suppliers",
    ]
    assert got[0].text == (
        "Mongolia hosted talks with Russian and Chinese officials in Ulaanbaatar on Friday on a rail corridor"
        " that would shorten the freight route between the two larger neighbours, the Mongolian foreign"
        " ministry said.\n\nThe talks ended with a joint statement promising a feasibility study by the end"
        " of the year."
    )
    assert "Local team" not in got[1].text
    assert got[0].source.endswith("saved_page.txt:9")


def test_crlf_bom_nbsp_and_smart_quotes() -> None:
    (article,) = read_paths([FIXTURES / "crlf_bom.txt"])
    assert article.title == "Kazakhstan closes border crossing"
    assert "\r" not in article.text and "\ufeff" not in article.text
    assert "Tuesday,\u00a0citing a “sanitary emergency”" in article.text
    assert article.text.split("\n\n")[1] == "Trucks waited for hours on the Chinese side, drivers said."


def test_read_text_is_the_text_path_as_a_function() -> None:
    text = (SEARCH_PAGE).read_text(encoding="utf-8")
    got = read_text(text, source="upload", published="2024-03-23")
    assert len(got) == 5
    assert {a.published for a in got} == {"2024-03-23"}
    assert got[0].source == "upload:3"
    assert read_text("") == []
    assert read_text("Connect with us\n\nContinue Reading\n") == []


def test_text_without_blank_lines_is_one_paragraph_a_line() -> None:
    (article,) = read_text("Kyrgyzstan closes border\nKyrgyzstan closed its border with Kazakhstan on Monday.\n")
    assert article.title == "Kyrgyzstan closes border"
    assert article.text == "Kyrgyzstan closed its border with Kazakhstan on Monday."


def test_text_offsets_are_into_the_returned_text() -> None:
    (article,) = read_paths([FIXTURES / "single_article.txt"])
    start = article.text.index("Critics in Bishkek")
    assert article.text[start:start + 18] == "Critics in Bishkek"


# --- chrome rules


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Connect with us", "drop"),
        ("Click to comment", "drop"),
        ("Image source: kremlin.ru", "drop"),
        ("Economy1 hour ago", "drop"),
        ("Viewing results 1 - 6 of 11", "drop"),
        ("Share on Facebook", "drop"),
        ("Published", "byline"),
        ("on", "byline"),
        ("Published on July 12, 2022", "byline"),
        ("By Aida Bekova", "byline"),
        ("Continue Reading", "end"),
        ("Related Topics:", "end"),
        # article sentences that look a bit like chrome must survive
        ("The Uighur TIP on its radio Voice of Islam, published on its Muhsinlar.net website on March 7, 2020.", None),
        ("By the end of 2020 the group had moved to Idlib.", None),
        ("China", None),
        ("Turkey", None),
        ("Jihadists of Katibat Imam al-Bukhari before the attack, Idlib, Syria.", None),
    ],
)
def test_chrome_rules(rules: Boilerplate, line: str, kind: str | None) -> None:
    assert rules.classify(line) == kind


def test_bad_chrome_rule_is_reported_with_its_line() -> None:
    with pytest.raises(ValueError, match=r"rules\.txt:2: "):
        Boilerplate.parse("drop  ok\nskip  nope\n", "rules.txt")
    with pytest.raises(ValueError, match="bad regex"):
        Boilerplate.parse("drop (unclosed\n")


@pytest.mark.parametrize(
    ("text", "title_like"),
    [
        ("What the US-Taliban deal means for Central Asia?", True),
        ("Taliban is Perceived as ‘Godfather’ of Central Asian Salafi-Jihadi Groups", True),
        ("May Allah give You a blessed Nusrat [victory].”", False),
        ("The games are likely to be a mere blip on a downward trend.", False),
        ("2024", False),
        ("x " * 40, False),
    ],
)
def test_title_like(text: str, title_like: bool) -> None:
    assert is_title_like(text) is title_like


def test_split_articles_on_chrome_only_is_empty(rules: Boilerplate) -> None:
    assert split_articles("Home\nMenu\n\nSearch\n", rules) == []


# --- HTML


def test_html_main_text_without_nav_or_footer() -> None:
    (article,) = read_paths([FIXTURES / "page.html"])
    assert article.title == "Kyrgyz and Tajik border guards clash at Kok-Tash"
    assert article.published == "2022-09-16"
    assert article.url == "https://steppewire.example/2022/09/16/kok-tash-clash"
    assert article.text.startswith("Kyrgyz and Tajik border guards exchanged fire on Friday")
    assert article.text.endswith("the Tajik foreign ministry said.")
    for chrome in ("Subscribe", "Privacy policy", "All rights reserved", "Related stories", "Home"):
        assert chrome not in article.text
    assert len(article.text.split("\n\n")) == 3


def test_html_is_sniffed_without_a_suffix() -> None:
    (article,) = read_paths([FIXTURES / "saved_without_suffix"])
    assert article.title == "Sniffed page"
    assert article.published == "2023-11-02"
    assert "Home | News" not in article.text and "Contact us" not in article.text
    assert article.text.startswith("Ministers from the five Central Asian states")


def test_html_with_no_main_text_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "nav.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    (err,) = read_paths([page])
    assert isinstance(err, IngestError)
    assert str(err) == f"{page}: no main article text found in the HTML page"
    assert read_html("<html><body></body></html>") == []


ARTICLE_P = ("<p>Police detained two activists in Almaty on Monday, the Interior Ministry said. "
             "The two had called for a rally outside the akimat.</p>")


@pytest.mark.parametrize("depth, closed", [(50_000, True), (50_000, False), (400, True)])
def test_html_article_under_a_deep_nest_is_still_read(depth: int, closed: bool) -> None:
    """libxml2 (under trafilatura) gives up past a few hundred levels; the streaming fallback does not."""
    page = ("<html><head><title>Two activists detained</title><script>var x = 1;</script></head><body>"
            + "<div>" * depth + ARTICLE_P + ("</div>" * depth if closed else "") + "</body></html>")
    (article,) = read_html(page)
    assert article.title == "Two activists detained"
    assert article.text.startswith("Police detained two activists in Almaty on Monday")
    assert "var x" not in article.text


def test_the_html_fallback_drops_scripts_and_keeps_paragraphs() -> None:
    from events.ingest.html_text import html_paragraphs

    title, paragraphs = html_paragraphs("<title>T</title><style>p {}</style><div>One &amp; two<br>three"
                                        "<script>alert(1)</script></div><p>Four")
    assert (title, paragraphs) == ("T", ["One & two", "three", "Four"])


def test_a_signed_published_year_is_refused_not_read_as_that_year(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Police detained two activists.", "published": "-2024-01-01"}) + "\n")
    warning, article = read_paths([path])
    assert str(warning) == (f'{path}:1: "published" \'-2024-01-01\' is a signed year, not a date; '
                            "article read without it (relative dates left unresolved)")
    assert article.published is None


# --- JSON Lines


def test_jsonl_good_lines_are_read_and_bad_lines_named() -> None:
    path = FIXTURES / "articles.jsonl"
    got = list(read_paths([path]))
    good = articles(got)
    assert [a.doc_id for a in good] == ["j1", derive_doc_id(good[1].text), "j6", "7"]
    assert good[0] == Article(
        doc_id="j1",
        text="A Russian court ordered the Caspian Pipeline Consortium to halt oil shipments for 30 days on Tuesday.",
        title="Russia halts oil flow through CPC pipeline",
        published="2022-07-06",
        url="https://example.org/cpc",
        source=f"{path}:1",
    )
    assert good[1].published == "2022-07-01T10:30:00+00:00"
    assert good[3].published == "2024-03"
    problems = {(e.line, type(e), e.problem.split(":")[0]) for e in errors(got)}
    assert problems == {
        (2, IngestError, "invalid JSON"),
        (5, IngestError, 'no "text" field'),
        (6, IngestError, 'empty "text"'),
        (7, IngestWarning, '"published" \'last Tuesday\' is not a date; article read without it'
                           ' (relative dates left unresolved)'),
        (8, IngestError, "expected a JSON object, got list"),
    }


def test_jsonl_invalid_published_keeps_the_article_without_a_date() -> None:
    got = list(read_paths([FIXTURES / "articles.jsonl"]))
    (warning,) = [e for e in got if isinstance(e, IngestWarning)]
    j6 = next(a for a in articles(got) if a.doc_id == "j6")
    assert j6.published is None
    assert got.index(warning) == got.index(j6) - 1


def test_seed_jsonl_reads_all_nine_articles() -> None:
    got = list(read_paths([SEEDS / "articles.jsonl"]))
    assert errors(got) == []
    assert [a.doc_id for a in got] == [f"s0{n}" for n in range(1, 10)]


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "a", "text": "One."}, {"text": ""}], indent=2), encoding="utf-8")
    got = list(read_paths([path]))
    assert got[0].doc_id == "a"
    assert str(got[1]) == f"{path}: item 2: empty \"text\""


def _seed_bytes() -> bytes:
    return (SEEDS / "articles.jsonl").read_bytes()


def _latin1_on_line_5() -> bytes:
    lines = _seed_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"said", b"caf\xe9 said", 1)
    return b"\n".join(lines)


STREAMED_CASES = {
    "seeds": _seed_bytes(),
    "fixture with bad lines": (FIXTURES / "articles.jsonl").read_bytes(),
    "crlf and bom": b"\xef\xbb\xbf" + _seed_bytes().replace(b"\n", b"\r\n"),
    "lone cr": _seed_bytes().replace(b"\n", b"\r"),
    "bom only on line 1 text": b"\xef\xbb\xbf\xef\xbb\xbf" + _seed_bytes(),
    "not utf-8 on line 5": _latin1_on_line_5(),
    "cp1252 throughout": json.dumps(
        {"id": "l1", "text": (FIXTURES / "latin1.txt").read_text(encoding="cp1252")}, ensure_ascii=False
    ).encode("cp1252") + b"\n",
    "cut character at the end": _seed_bytes().rstrip() + b"\xc3",
    "nul in the last line": _seed_bytes() + b'{"text": "a\x00b"}\n',
    "blank": b"\n  \r\n\t\n",
    "utf-16": "\ufeff".encode("utf-16-le") + _seed_bytes().decode().encode("utf-16-le"),
    "control bytes": b"\x01\x02\x03" * 100 + _seed_bytes(),
}


@pytest.mark.parametrize("scan_bytes", [7, 1 << 20], ids=["tiny chunks", "default chunks"])
@pytest.mark.parametrize("fallback", [None, "cp1252"])
@pytest.mark.parametrize("case", list(STREAMED_CASES))
def test_json_lines_streamed_read_as_if_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: Boilerplate, case: str, fallback: str | None, scan_bytes: int
) -> None:
    # tiny chunks split multi-byte characters and CRLF pairs between reads
    monkeypatch.setattr(ingest, "_SCAN_BYTES", scan_bytes)
    path = tmp_path / "in.jsonl"
    path.write_bytes(STREAMED_CASES[case])
    whole = list(ingest._read_whole_file(path, rules, fallback))
    assert list(read_paths([path], rules=rules, fallback_encoding=fallback)) == whole
    assert whole  # every case yields something: articles or the file's one error


def test_json_lines_are_not_read_into_memory_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(_seed_bytes() * 3)

    def refuse(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert len(articles(list(read_paths([path])))) == 27


def test_unreadable_json_lines_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_bytes(_seed_bytes())
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    (err,) = read_paths([path])
    assert type(err) is IngestError and str(err) == f"{path}: cannot read: permission denied"


# --- files that cannot be read


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("empty.txt", None, "empty file"),
        ("blank.txt", None, "empty file"),
        ("binary.bin", None, "binary file (contains NUL bytes), not text"),
        ("latin1.txt", 1, "not UTF-8 text (byte 0xe9); convert the file to UTF-8 or pass a fallback encoding"),
        ("no_such_file.txt", None, "no such file or folder"),
    ],
)
def test_unreadable_inputs_are_one_line_errors(name: str, line: int | None, problem: str) -> None:
    path = FIXTURES / name
    (err,) = read_paths([path])
    assert type(err) is IngestError
    assert (err.path, err.line, err.problem) == (str(path), line, problem)
    where = str(path) if line is None else f"{path}:{line}"
    assert str(err) == f"{where}: {problem}"
    assert "\n" not in str(err)


def test_latin1_read_with_an_explicit_fallback_and_a_warning() -> None:
    warning, article = read_paths([FIXTURES / "latin1.txt"], fallback_encoding="cp1252")
    assert isinstance(warning, IngestWarning)
    assert "decoded as cp1252" in str(warning)
    assert article.title == "Café owners in Bishkek protest new tax"


def test_bad_input_does_not_stop_the_others() -> None:
    got = list(read_paths([FIXTURES / "empty.txt", FIXTURES / "nope", FIXTURES / "single_article.txt"]))
    assert [type(x) for x in got] == [IngestError, IngestError, Article]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 0 does not stop root (CI runs as root), so the operating system's refusal is injected
    path = tmp_path / "locked.txt"
    path.write_text("Some text.", encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    err, article = read_paths([path, FIXTURES / "single_article.txt"])
    assert isinstance(err, IngestError) and err.problem.startswith("cannot read")
    assert str(path) in str(err)
    assert isinstance(article, Article)


# --- folders and ids


def test_folder_is_read_recursively_in_order_skipping_hidden_files() -> None:
    got = list(read_paths([FIXTURES / "folder"]))
    assert [a.source for a in got] == [
        str(FIXTURES / "folder" / "a.txt"),
        f"{FIXTURES / 'folder' / 'sub' / 'b.jsonl'}:1",
    ]


def test_derived_doc_id_is_stable() -> None:
    first = [a.doc_id for a in read_paths([SEARCH_PAGE])]
    second = [a.doc_id for a in read_paths([SEARCH_PAGE])]
    assert first == second
    assert len(set(first)) == 5
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in first)
    assert derive_doc_id("a  b\r\nc") == derive_doc_id("a b\nc")
    (crlf,) = read_text("Title here\r\n\r\nBody text of the article.\r\n")
    (lf,) = read_text("Title here\n\nBody text of the article.\n")
    assert crlf.doc_id == lf.doc_id


def test_a_stray_byline_inside_a_body_does_not_cut_the_article() -> None:
    text = (
        "Kazakhstan raises rates\n\nThe central bank raised its base rate on Friday, the bank said.\n\n"
        "Updated\n\nAnalysts expect a further rise in the autumn, according to a survey.\n"
    )
    (article,) = read_text(text)
    assert article.title == "Kazakhstan raises rates"
    assert article.text.startswith("The central bank raised")
    assert article.text.endswith("according to a survey.")


def test_html_in_a_declared_legacy_charset_is_decoded_by_its_meta_tag() -> None:
    (article,) = read_paths([FIXTURES / "page_latin1.html"])
    assert article.title == "Café owners protest in Bishkek"
    assert article.published == "2023-04-03"
    assert article.text.startswith("Owners of cafés in Bishkek")
    assert "Accueil" not in article.text


@pytest.mark.parametrize(
    ("text", "title", "body_start"),
    [
        ("Politics\n\nKyrgyzstan votes in a snap election\n\nVoters in Kyrgyzstan went to the polls on Sunday.\n",
         "Kyrgyzstan votes in a snap election", "Voters in"),
        ("Voters in Kyrgyzstan went to the polls on Sunday.\n\nTurnout was low.\n", None, "Voters in"),
        ("Headline one\n\nHeadline two\n", "Headline one", "Headline two"),
    ],
)
def test_single_article_title(text: str, title: str | None, body_start: str) -> None:
    (article,) = read_text(text)
    assert article.title == title
    assert article.text.startswith(body_start)


@pytest.mark.parametrize(
    ("published", "expected"),
    [("Mon, 25 Mar 2024 10:00:00 GMT", "2024-03-25"), ("March 23, 2024", "2024-03-23"), ("last Tuesday", None)],
)
def test_feed_style_published_dates_are_read(tmp_path: Path, published: str, expected: str | None) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Police detained two men.", "published": published}) + "\n")
    (article,) = [item for item in read_paths([path]) if isinstance(item, Article)]
    assert article.published == expected


def test_jsonl_doc_id_is_read_like_id(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps({"doc_id": "reuters-1", "text": "Police detained two men."}) + "\n", encoding="utf-8")
    (article,) = list(read_paths([path]))
    assert article.doc_id == "reuters-1"
