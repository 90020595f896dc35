"""Stage 1: files -> Article (plain text, HTML, JSON Lines).

Ingest never raises for a bad input: a batch of a thousand files must not
stop at the first broken one, and the user must learn which file (and line)
was skipped and why. So `read_paths` yields `IngestError` values in the same
stream as the articles, in input order, each printing as one line
`<path>[:<line>]: <problem>`. `IngestWarning` (a subclass) means the article
was still read but something in it was dropped or guessed.

Choices the spec left open:

- Text that is not UTF-8 is an error naming the file and the line of the
  first bad byte. Decoding it as cp1252/latin-1 silently would put mojibake
  into the evidence sentences, so that is opt-in: pass
  `fallback_encoding="cp1252"` and the article is read with a warning.
  HTML is handed to trafilatura as bytes, because pages declare their charset.
- A JSON line whose `published` is not an ISO date is read with dateparser
  ("Mon, 25 Mar 2024 10:00:00 GMT" -> 2024-03-25); one that is no date at
  all keeps its article, with `published` None, and a warning: losing the date anchor is
  better than losing the article's events.
- JSON Lines text is taken verbatim (newlines normalised only): the caller
  chose it, and gold evidence is matched against it.
- A .jsonl/.ndjson file is read a line at a time, after one pass over its
  bytes that makes the whole-file checks (blank, binary, not UTF-8): a file
  of millions of articles is never held in memory, yet is still accepted or
  rejected as a whole, with the same messages as any other file.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import dateparser
import trafilatura

from events.ingest.html_text import html_paragraphs
from events.ingest.textclean import Boilerplate, normalize_newlines, split_articles, to_blocks
from events.models import Article

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
STREAMED_SUFFIXES = frozenset({".jsonl", ".ndjson"})  # pure JSON Lines: read a line at a time
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_SNIFF_BYTES = 4096
_SCAN_BYTES = 1 << 20
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
MAX_PUBLISHED_CHARS = 100  # longer is no date; dateparser is not asked


class IngestError(Exception):
    """A file or line that could not be read; str(err) is one line: '<path>[:<line>]: <problem>'."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = " ".join(str(problem).split())
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.problem}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r}, {self.line!r}, {self.problem!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and (self.path, self.line, self.problem) == (other.path, other.line, other.problem)  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self), self.path, self.line, self.problem))


class IngestWarning(IngestError):
    """The article was read, but something in it was dropped or guessed."""


def derive_doc_id(text: str) -> str:
    """Stable id from the text alone, so re-running on the same input keeps ids.

    Whitespace is collapsed first so that CRLF/LF or re-wrapped copies of one
    article get one id.
    """
    normalized = " ".join(text.split())
    # surrogatepass: a JSON "\ud800" escape must not make the id (and so the article) fail
    return hashlib.sha1(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_text(
    text: str,
    source: str | None = None,
    published: str | None = None,
    *,
    rules: Boilerplate | None = None,
) -> list[Article]:
    """Articles in a plain text (one or several); [] when nothing but chrome.

    When the text holds several articles, each `source` gets the line its
    article starts on ("file.txt:7"), so a user can find it again.
    """
    rules = rules if rules is not None else Boilerplate.load()
    spans = split_articles(text, rules)
    several = len(spans) > 1
    return [
        Article(
            doc_id=derive_doc_id(span.body),
            text=span.body,
            title=span.title,
            published=published,
            source=f"{source}:{span.line}" if source and several else source,
        )
        for span in spans
    ]


def read_html(
    html: str | bytes, source: str | None = None, *, rules: Boilerplate | None = None
) -> list[Article]:
    """The main article of an HTML page; [] when neither trafilatura nor the fallback finds text.

    Body, title, date and URL come from trafilatura (date from the page's
    metadata and markup only, not guessed from the prose); the chrome rules
    then drop the lines trafilatura keeps (share buttons, "Continue Reading").
    """
    rules = rules if rules is not None else Boilerplate.load()
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (RecursionError, ValueError, TypeError, AttributeError):  # lxml and trafilatura on broken markup
        doc = None
    if doc is None or not doc.text:
        return _fallback_html(html, source, rules)  # deep nests defeat libxml2, not the text
    title = " ".join(doc.title.split()) if doc.title else None
    lines = [line for line in normalize_newlines(doc.text).split("\n") if line.strip()]
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # trafilatura repeats the <h1> as the first paragraph
    published = doc.date if doc.date and _is_iso(doc.date) else None
    return _html_article(lines, title, published, doc.url or None, source, rules)


def _fallback_html(html: str | bytes, source: str | None, rules: Boilerplate) -> list[Article]:
    """The page's visible text by `events.ingest.html_text` when trafilatura finds none; [] when there is none."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    title, paragraphs = html_paragraphs(text)
    lines = [line for p in paragraphs for line in normalize_newlines(p).split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return _html_article(lines, title, None, None, source, rules)


def _html_article(
    lines: list[str], title: str | None, published: str | None, url: str | None, source: str | None,
    rules: Boilerplate,
) -> list[Article]:
    """The article of a page's text lines after the chrome rules; [] when nothing but chrome is left."""
    paragraphs = []
    for block in to_blocks("\n\n".join(lines), rules):
        if block.kind == "end":
            break
        if block.kind == "text":
            paragraphs.append(block.text)
    if not paragraphs:
        return []
    body = "\n\n".join(paragraphs)
    return [Article(doc_id=derive_doc_id(body), text=body, title=title, published=published, url=url, source=source)]


def read_paths(
    paths: Iterable[str | Path],
    *,
    rules: Boilerplate | None = None,
    fallback_encoding: str | None = None,
) -> Iterator[Article | IngestError]:
    """Articles and errors from files and folders, in input order.

    Folders are read recursively in sorted order, skipping hidden files and
    folders (editor swap files, .git). The format is chosen by extension,
    then by sniffing: .jsonl/.ndjson/.json are JSON Lines, .html/.htm or
    content that starts like HTML is HTML, anything else is plain text.
    """
    rules = rules if rules is not None else Boilerplate.load()
    for raw in _expand_globs(paths):
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, rules, fallback_encoding)
        elif path.exists():
            yield from _read_file(path, rules, fallback_encoding)
        else:
            yield IngestError(path, None, "no such file or folder")


def _expand_globs(paths: Iterable[str | Path]) -> Iterator[str | Path]:
    """Each path, or the sorted matches of a quoted glob ('news/*.jsonl', 'archive/**/*.html').

    A shell expands an unquoted glob itself, but a cluster run over millions
    of files needs the pattern quoted: the expanded list would not fit on a
    command line. A pattern that matches nothing stays as it is and is
    reported as missing.
    """
    for raw in paths:
        text = str(raw)
        matches = sorted(glob.glob(text, recursive=True)) if not Path(text).exists() and glob.has_magic(text) else []
        yield from matches or [raw]


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files.extend(Path(root, name) for name in names if not name.startswith("."))
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


def _read_file(path: Path, rules: Boilerplate, fallback_encoding: str | None) -> Iterator[Article | IngestError]:
    """A file's articles and errors; whatever a reader raises costs the rest of this file only.

    The readers catch what they expect per line; this is the net under them,
    so a parser's RecursionError or MemoryError never ends the whole run.
    """
    try:
        if path.suffix.lower() in STREAMED_SUFFIXES:
            yield from _stream_json_lines(path, rules, fallback_encoding)
        else:
            yield from _read_whole_file(path, rules, fallback_encoding)
    except Exception as err:  # noqa: BLE001 - reported as the file's error, the run goes on
        text = " ".join(str(err).split())[:200]
        yield IngestError(path, None, f"cannot read: {type(err).__name__}" + (f": {text}" if text else ""))


def _read_whole_file(
    path: Path, rules: Boilerplate, fallback_encoding: str | None
) -> Iterator[Article | IngestError]:
    try:
        data = path.read_bytes()
    except OSError as err:
        yield _cannot_read(path, err)
        return
    if not data.strip():
        yield IngestError(path, None, "empty file")
        return
    problem = _binary_problem(data)
    if problem:
        yield IngestError(path, None, problem)
        return
    fmt = _sniff(path, data)
    if fmt == "html":
        articles = read_html(data, str(path), rules=rules)
        yield from articles or [IngestError(path, None, "no main article text found in the HTML page")]
        return
    decoded = _decode(path, data, fallback_encoding)
    if isinstance(decoded, IngestError):
        yield decoded
        return
    text, warning = decoded
    if warning:
        yield warning
    if fmt == "jsonl":
        yield from _read_json(path, text)
        return
    articles = read_text(text, str(path), rules=rules)
    yield from articles or [IngestError(path, None, "no article text found (only blank lines or site chrome)")]


def _stream_json_lines(
    path: Path, rules: Boilerplate, fallback_encoding: str | None
) -> Iterator[Article | IngestError]:
    """A JSON Lines file a line at a time, so its size does not matter.

    `_scan` first makes, in one pass over the bytes, the checks reading the
    whole file makes, so a bad file is refused before any of its lines is
    read, as before. Text in the fallback encoding is rare and read whole.
    """
    try:
        scan = _scan(path)
    except OSError as err:
        yield _cannot_read(path, err)
        return
    problem = "empty file" if scan.blank else _binary_problem_of(scan.head, scan.has_nul)
    if problem:
        yield IngestError(path, None, problem)
        return
    if scan.not_utf8 is not None:
        if fallback_encoding is None:
            yield _not_utf8(path, *scan.not_utf8)
        else:
            yield from _read_whole_file(path, rules, fallback_encoding)
        return
    try:  # utf-8-sig and universal newlines: what normalize_newlines does to a whole text
        with path.open(encoding="utf-8-sig", newline=None) as file:
            yield from _json_lines(path, (line.removesuffix("\n") for line in file))
    except (OSError, UnicodeDecodeError) as err:  # the file changed or vanished after the scan
        yield IngestError(path, None, f"cannot read: {err}")


@dataclass(frozen=True)
class _Scan:
    """What the whole-file checks need to know about a file's bytes."""

    blank: bool
    head: bytes
    has_nul: bool
    not_utf8: tuple[int, int] | None  # (line, byte value) of the first byte that is not UTF-8


def _scan(path: Path) -> _Scan:
    """One pass over the file's bytes, a chunk at a time, for `_stream_json_lines`'s checks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    head, blank, has_nul, not_utf8, newlines = b"", True, False, None, 0
    with path.open("rb") as file:
        while chunk := file.read(_SCAN_BYTES):
            head += chunk[: _SNIFF_BYTES - len(head)]
            blank = blank and not chunk.strip()
            if b"\x00" in chunk:
                has_nul = True
                break  # binary: nothing else matters
            if not_utf8 is None:
                not_utf8 = _first_bad_utf8(decoder, chunk, newlines)
            newlines += chunk.count(b"\n")
    if not_utf8 is None and not has_nul:
        not_utf8 = _first_bad_utf8(decoder, b"", newlines, final=True)
    return _Scan(blank, head, has_nul, not_utf8)


def _first_bad_utf8(
    decoder: codecs.IncrementalDecoder, chunk: bytes, newlines: int, final: bool = False
) -> tuple[int, int] | None:
    """(line, byte) of a decoding error in `chunk`, given the newlines before it; None if it decodes.

    The decoder may hold the first bytes of a character split across chunks;
    those are no newlines, so counting newlines in them changes nothing.
    """
    pending = decoder.getstate()[0]
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError as err:
        data = pending + chunk
        return newlines + data[: err.start].count(b"\n") + 1, data[err.start]
    return None


def _binary_problem(data: bytes) -> str | None:
    return _binary_problem_of(data[:_SNIFF_BYTES], b"\x00" in data)


def _binary_problem_of(head: bytes, has_nul: bool) -> str | None:
    """Why a file whose first bytes are `head` is not text, if it is not."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text; save it as UTF-8"
    if has_nul:
        return "binary file (contains NUL bytes), not text"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
    if controls > len(head) // 20:
        return "binary file (control bytes), not text"
    return None


def _sniff(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((b"<!--", b"<?xml", b"<head", b"<body")) and b"<html" in head:
        return "html"
    return "text"


def _decode(path: Path, data: bytes, fallback_encoding: str | None) -> tuple[str, IngestWarning | None] | IngestError:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = f"0x{data[err.start]:02x}"
        if fallback_encoding is None:
            return _not_utf8(path, line, data[err.start])
        try:
            text = data.decode(fallback_encoding)
        except (UnicodeDecodeError, LookupError) as err2:
            return IngestError(path, line, f"not UTF-8 text (byte {byte}) and not {fallback_encoding} either: {err2}")
        return text, IngestWarning(path, line, f"not UTF-8 text (byte {byte}); decoded as {fallback_encoding}")


def _cannot_read(path: Path, err: OSError) -> IngestError:
    return IngestError(path, None, f"cannot read: {(err.strerror or str(err)).lower()}")


def _not_utf8(path: Path, line: int, byte: int) -> IngestError:
    return IngestError(
        path, line, f"not UTF-8 text (byte 0x{byte:02x}); convert the file to UTF-8 or pass a fallback encoding"
    )


def _read_json(path: Path, text: str) -> Iterator[Article | IngestError]:
    """JSON Lines; a .json file holding one array or object is accepted too."""
    text = normalize_newlines(text)
    if path.suffix.lower() == ".json" and text.lstrip().startswith(("[", "{")):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None  # not one JSON document: read it as JSON Lines below
        if isinstance(whole, list | dict):
            items = whole if isinstance(whole, list) else [whole]
            for number, item in enumerate(items, 1):
                yield from _record(path, None, item, f"item {number}: ")
            return
    yield from _json_lines(path, text.split("\n"))


def _json_lines(path: Path, lines: Iterable[str]) -> Iterator[Article | IngestError]:
    """One article (or error) per non-blank line; lines are numbered from 1 as an editor shows them."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            yield IngestError(path, number, f"invalid JSON: {err.msg} at column {err.colno}")
            continue
        except RecursionError:
            yield IngestError(path, number, "JSON nested too deeply to read")
            continue
        try:
            yield from _record(path, number, item, "")
        except Exception as err:  # noqa: BLE001 - one line's problem, reported; the next line is read
            yield IngestError(path, number, f"cannot read the record: {type(err).__name__}: {err}")


def _record(path: Path, line: int | None, item: Any, prefix: str) -> Iterator[Article | IngestError]:
    if not isinstance(item, dict):
        yield IngestError(path, line, f"{prefix}expected a JSON object, got {type(item).__name__}")
        return
    text = item.get("text")
    if not isinstance(text, str):
        problem = 'no "text" field' if text is None else '"text" must be a string'
        yield IngestError(path, line, prefix + problem)
        return
    text = normalize_newlines(text)
    if not text.strip():
        yield IngestError(path, line, f'{prefix}empty "text"')
        return
    key = "id" if "id" in item else "doc_id"  # "doc_id", as in the output and gold files, is read too
    doc_id = item.get(key)
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int | None):
        yield IngestError(path, line, f'{prefix}"{key}" must be a string or an integer')
        return
    doc_id = str(doc_id) if doc_id not in (None, "") else derive_doc_id(text)
    fields: dict[str, str | None] = {}
    for name in ("title", "url", "published"):
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            yield IngestWarning(path, line, f'{prefix}"{name}" must be a string; ignored')
            value = None
        if name == "published" and value and value.strip()[:1] in ("-", "+"):
            yield IngestWarning(path, line, f'{prefix}"published" {_shown(value)} is a signed year, not a date; '
                                            "article read without it (relative dates left unresolved)")
            value = None
        elif name == "published" and value and not _is_iso(value):
            readable = published_to_iso(value) if len(value) <= MAX_PUBLISHED_CHARS else None
            if readable is None:
                yield IngestWarning(path, line, f'{prefix}"published" {_shown(value)} is not a date; '
                                                "article read without it (relative dates left unresolved)")
            value = readable
        fields[name] = value or None
    source = str(path) if line is None else f"{path}:{line}"
    yield Article(doc_id=doc_id, text=text, source=source, **fields)


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def published_to_iso(value: str) -> str | None:
    """A feed- or page-style date ("Mon, 25 Mar 2024 10:00:00 GMT", "March 23, 2024") as an ISO date.

    dateparser reads the many ways publishers write dates; only a full day
    counts, since the value anchors every relative date in the article.
    """
    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
                  "PARSERS": ["timestamp", "custom-formats", "absolute-time"]},
    )
    return parsed.date().isoformat() if parsed else None


def _is_iso(value: str) -> bool:
    """ISO date at any precision (2024, 2024-03, 2024-03-23) or ISO datetime."""
    value = value.strip()
    if _ISO_DATE.fullmatch(value):
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            return False
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
