"""Plain text -> article spans: site chrome removed, several articles split.

A news article saved as text arrives in one of three shapes:

- one article: a title line, a blank line, then the body;
- a saved page of several articles, each with a byline ("Published", "on")
  and "Continue Reading" between them, wrapped in menus and teaser lists;
- a listing (search results, a digest): title line, one long paragraph,
  title line, one long paragraph...

The same rules have to hold for HTML, where trafilatura already removed the
markup chrome, so the line patterns live in data (`data/boilerplate.txt`)
and the splitting works on paragraphs, not on markup.

Text is never rewritten: a body is its paragraphs verbatim, joined by one
blank line, because later stages compute offsets into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: A title is one short line; longer lines are paragraphs even without a period.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30
#: A listing's bodies are real paragraphs, not teaser snippets of a widget.
LISTING_MIN_BODY_CHARS = 300

RULE_KINDS = ("drop", "byline", "end")

# A title does not end like a sentence; "?" and "!" are allowed because
# headlines ask ("What the deal means for Central Asia?").
_SENTENCE_END = re.compile(r"[.,;:…]$")
_CLOSERS = "\"'”’»)]} \t\u00a0"


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Boilerplate:
    """Site-chrome line rules; built once and handed to the readers."""

    rules: tuple[Rule, ...]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Boilerplate:
        """Read rules from `path`, or from the packaged `data/boilerplate.txt`."""
        if path is None:
            text = resources.files("events").joinpath("data/boilerplate.txt").read_text("utf-8")
            origin = "events/data/boilerplate.txt"
        else:
            text = Path(path).read_text("utf-8")
            origin = str(path)
        return cls.parse(text, origin)

    @classmethod
    def parse(cls, text: str, origin: str = "<rules>") -> Boilerplate:
        rules = []
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, regex = line.partition(" ")
            regex = regex.strip()
            if kind not in RULE_KINDS or not regex:
                raise ValueError(f"{origin}:{number}: expected '<{'|'.join(RULE_KINDS)}> <regex>'")
            try:
                pattern = re.compile(regex, re.IGNORECASE)
            except re.error as err:
                raise ValueError(f"{origin}:{number}: bad regex: {err}") from None
            rules.append(Rule(kind, pattern))
        return cls(tuple(rules))

    def classify(self, line: str) -> str | None:
        """The kind of the first rule matching the whole line, or None for content."""
        stripped = line.strip()
        for rule in self.rules:
            if rule.pattern.fullmatch(stripped):
                return rule.kind
        return None


@dataclass(frozen=True)
class Block:
    """A paragraph (kind "text") or a chrome marker line, with its 1-based line."""

    line: int
    text: str
    kind: str = "text"


@dataclass(frozen=True)
class ArticleSpan:
    """One article found in a text: title, body (verbatim paragraphs), first line."""

    title: str | None
    body: str
    line: int


def normalize_newlines(text: str) -> str:
    """Drop a leading BOM and turn CRLF/CR into LF; nothing else is touched."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_title_like(text: str) -> bool:
    """A one-line heading: short, has letters, does not end like a sentence."""
    stripped = text.strip()
    if not stripped or "\n" in stripped or len(stripped) > TITLE_MAX_CHARS:
        return False
    if len(stripped.split()) > TITLE_MAX_WORDS or not any(c.isalpha() for c in stripped):
        return False
    return not _SENTENCE_END.search(stripped.rstrip(_CLOSERS))


def to_blocks(text: str, rules: Boilerplate) -> list[Block]:
    """Paragraphs (blank-line separated) and marker lines, chrome lines dropped.

    A chrome line is classified on its own even inside a paragraph, because
    saved pages glue them ("Continue Reading" / "Comments" on adjacent lines).
    A text with no blank lines at all is taken as one paragraph a line.
    """
    lines = normalize_newlines(text).split("\n")
    one_per_line = not any(not line.strip() for line in lines[1:-1]) and len(lines) > 1
    blocks: list[Block] = []
    current: list[str] = []
    start = 0

    def flush() -> None:
        if current:
            blocks.append(Block(start, "\n".join(current)))
            current.clear()

    for number, raw in enumerate(lines, 1):
        line = raw.rstrip(" \t")
        if not line.strip():
            flush()
            continue
        kind = rules.classify(line)
        if kind is not None:
            flush()
            if kind != "drop":
                blocks.append(Block(number, line.strip(), kind))
            continue
        if one_per_line:
            flush()
        if not current:
            start = number
        current.append(line)
    flush()
    return blocks


def split_articles(text: str, rules: Boilerplate) -> list[ArticleSpan]:
    """Find the articles in a plain text; [] when only chrome is left."""
    blocks = _drop_headless_bylines(to_blocks(text, rules))
    if any(block.kind == "byline" for block in blocks):
        return _split_at_bylines(blocks)
    content = []
    for block in blocks:
        if block.kind == "end":
            break
        content.append(block)
    return _split_listing(content) or _single(content)


def _drop_headless_bylines(blocks: list[Block]) -> list[Block]:
    """Keep a byline only under a title-like line.

    A stray "Updated" or "on" line inside a body must not start a new
    article and throw away the paragraphs above it.
    """
    kept: list[Block] = []
    for block in blocks:
        if block.kind == "byline":
            above = next((b for b in reversed(kept) if b.kind != "byline"), None)
            if above is None or above.kind != "text" or not is_title_like(above.text):
                continue
        kept.append(block)
    return kept


def _single(blocks: list[Block]) -> list[ArticleSpan]:
    """One article; the title-like lines above its first paragraph are its header.

    The title is picked from the header as on a saved page (a kicker such as
    "Politics" is not a title); a text of nothing but short lines keeps them
    all, with the first as title.
    """
    if not blocks:
        return []
    k = 0
    while k < len(blocks) and is_title_like(blocks[k].text):
        k += 1
    if k == len(blocks):
        title, body = (blocks[0], blocks[1:]) if len(blocks) > 1 else (None, blocks)
    else:
        title, body = _pick_title(blocks[:k]), blocks[k:]
    return [ArticleSpan(title.text.strip() if title else None, _join(body), blocks[0].line)]


def _split_listing(blocks: list[Block]) -> list[ArticleSpan]:
    """Title + one long paragraph, repeated at least twice; else [].

    Every section must have exactly that shape, so an ordinary article with
    subheadings (several paragraphs under each) is not cut up. Title lines
    with no paragraph of their own ("Viewing results...") are page headers.
    """
    if not blocks or not is_title_like(blocks[0].text):
        return []
    spans: list[ArticleSpan] = []
    i = 0
    while i < len(blocks):
        if not is_title_like(blocks[i].text):
            return []
        if i + 1 < len(blocks) and is_title_like(blocks[i + 1].text):
            i += 1  # a header or kicker above the real title
            continue
        if i + 1 >= len(blocks):
            return []  # a trailing title with no body: not a listing
        body = blocks[i + 1]
        if len(body.text) < LISTING_MIN_BODY_CHARS:
            return []
        spans.append(ArticleSpan(blocks[i].text.strip(), _join([body]), blocks[i].line))
        i += 2
    return spans if len(spans) >= 2 else []


def _split_at_bylines(blocks: list[Block]) -> list[ArticleSpan]:
    """Articles of a saved page: header lines, byline, body up to an end marker.

    The header is the run of title-like paragraphs just above the byline
    (category label, title, image caption); the title is its first line of
    four words or more, since category labels are one to three words.
    Anything outside a header..end stretch (menus, teaser lists) is dropped.
    """
    spans: list[ArticleSpan] = []
    i = 0
    n = len(blocks)
    while i < n:
        if blocks[i].kind != "byline":
            i += 1
            continue
        header_start = i
        while header_start > 0 and blocks[header_start - 1].kind == "text" and is_title_like(
            blocks[header_start - 1].text
        ):
            header_start -= 1
        header = blocks[header_start:i]
        while i < n and blocks[i].kind == "byline":
            i += 1
        body: list[Block] = []
        while i < n and blocks[i].kind == "text":
            body.append(blocks[i])
            i += 1
        if i < n and blocks[i].kind == "byline":
            # the next article follows without an end marker: its header is ours
            cut = len(body)
            while cut > 0 and is_title_like(body[cut - 1].text):
                cut -= 1
            i -= len(body) - cut
            body = body[:cut]
        body = _drop_lead_headings(body)
        if not body:
            continue
        title = _pick_title(header)
        line = title.line if title else body[0].line
        spans.append(ArticleSpan(title.text.strip() if title else None, _join(body), line))
    return spans


def _pick_title(header: list[Block]) -> Block | None:
    for block in header:
        if len(block.text.split()) >= 4:
            return block
    return header[-1] if header else None


def _drop_lead_headings(body: list[Block]) -> list[Block]:
    """Drop decks and captions above the first real paragraph."""
    for k, block in enumerate(body):
        if not is_title_like(block.text):
            return body[k:]
    return body


def _join(blocks: list[Block]) -> str:
    """Paragraphs verbatim, one blank line apart; only the ends are trimmed."""
    return "\n\n".join(block.text for block in blocks).strip()
