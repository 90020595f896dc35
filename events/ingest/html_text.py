"""Fallback text extraction for HTML pages trafilatura finds no main text in.

trafilatura (through lxml and libxml2) builds a tree, and libxml2 gives up on
documents nested deeper than a few hundred elements: an article under 50,000
`<div>`s, or inside an unclosed deep nest, came out as "no main article text
found" although the text is there. This reader builds no tree: the standard
library's `HTMLParser` streams tags and text, so depth costs nothing and time
stays linear in the page's size. It keeps the text outside script, style and
similar elements, with a paragraph break at each block element; the chrome
rules (`events.ingest.textclean`) then drop navigation lines as for any page.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form", "button",
                      "select", "iframe", "object"})
_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                     "main", "header", "aside", "blockquote", "pre", "tr", "td", "th", "table", "dd", "dt", "hr",
                     "figure", "figcaption", "body", "html"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.title: list[str] = []
        self.skipping: list[str] = []  # open skipped elements, innermost last
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIPPED and tag not in _VOID:
            self.skipping.append(tag)
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:  # an unclosed inner one ends with it
                pass
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.current.append(data)

    def _break(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []


def html_paragraphs(html: str) -> tuple[str | None, list[str]]:
    """The page's title (or None) and its visible text as paragraphs, in document order."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    collector._break()
    title = " ".join("".join(collector.title).split()) or None
    return title, collector.paragraphs
