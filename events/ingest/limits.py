"""Per-article limits, and the one check every article passes before extraction.

A hostile or broken input must cost one article, never a run: `prepare`
refuses what no article should be (over the size limit) and repairs what can
be repaired with a warning (lone surrogates, a 2 MB title, a 300 KB id, a
`published` date outside the years an anchor may have). It is pure and
idempotent, so the reader (before the unchanged check) and every executor
(before extraction) may both call it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from events.errors import InputError
from events.models import MAX_YEAR, MIN_YEAR, Article, parse_anchor

DEFAULT_MAX_ARTICLE_BYTES = 1_000_000
DEFAULT_ARTICLE_TIMEOUT = 30.0
MAX_TITLE_CHARS = 1_000
MAX_ID_CHARS = 200
MAX_URL_CHARS = 4_000
MAX_UPLOAD_MB = 20  # per file uploaded to the dashboard: its help, its error and `events serve` all use this
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_PREFIX = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:$|[T ])")


@dataclass(frozen=True)
class ArticleLimits:
    """What one article may cost; small and picklable, so workers receive it with their chunks."""

    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES  # of UTF-8 text
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT  # seconds of extraction; None: no budget


def prepare(article: Article, limits: ArticleLimits | None = None) -> tuple[Article, list[str]]:
    """The article as it will be extracted and stored, and a warning for each thing changed.

    Raises InputError when the text is over `limits.max_bytes` (or not a
    string). Messages name the article by `label`. Lone
    surrogates (from a JSON "\\ud800" escape) cannot be encoded, stored or
    hashed, so each becomes U+FFFD (offsets stay the same). Over-long titles,
    ids and URLs are cut; a cut id keeps a hash of the whole, so two long ids
    stay apart. A `published` outside MIN_YEAR..MAX_YEAR, or signed, anchors
    nothing.
    """
    limits = limits or ArticleLimits()
    name = label(article)
    if not isinstance(article.text, str):
        raise InputError(f"{name}: text must be a string, not {type(article.text).__name__}")
    size = len(article.text)
    if size > limits.max_bytes or size * 4 > limits.max_bytes and len(_utf8(article.text)) > limits.max_bytes:
        raise InputError(
            f"{name}: {len(_utf8(article.text)) / 1e6:.1f} MB of text is over the "
            f"{limits.max_bytes / 1e6:g} MB limit (--max-article-bytes); skipped"
        )
    warnings: list[str] = []
    fields = {
        key: value for key in ("text", "title", "doc_id", "url", "published", "source")
        if isinstance(value := getattr(article, key), str) and _SURROGATE.search(value)
    }
    for key, value in fields.items():
        warnings.append(f"{name}: {key} holds unpaired surrogates (not Unicode); each replaced by U+FFFD")
        fields[key] = _SURROGATE.sub("\ufffd", value)
    article = replace(article, **fields) if fields else article
    doc_id = str(article.doc_id)
    if len(doc_id) > MAX_ID_CHARS:
        digest = hashlib.sha1(_utf8(doc_id)).hexdigest()[:12]
        warnings.append(f"{name}: id of {len(doc_id):,} characters cut to {MAX_ID_CHARS}")
        article = replace(article, doc_id=f"{doc_id[:MAX_ID_CHARS - 13]}~{digest}")
    if article.title and len(article.title) > MAX_TITLE_CHARS:
        warnings.append(f"{name}: title of {len(article.title):,} characters cut to {MAX_TITLE_CHARS}")
        article = replace(article, title=article.title[:MAX_TITLE_CHARS])
    if article.url and len(article.url) > MAX_URL_CHARS:
        warnings.append(f"{name}: url of {len(article.url):,} characters dropped")
        article = replace(article, url=None)
    problem = anchor_problem(article.published)
    if problem:
        warnings.append(f"{name}: {problem}")
        article = replace(article, published=None)
    return article, warnings


def anchor_problem(published: str | None) -> str | None:
    """Why `published` cannot anchor relative dates, or None when it can (or is absent).

    Only a year in MIN_YEAR..MAX_YEAR anchors: "9999-12-31" + "tomorrow" used to
    overflow, and "0001-01-01" + "yesterday" gave events in year 0000. A signed
    value ("-2024-01-01", ISO's expanded years) is refused, not read as 2024.
    """
    if not published or not published.strip():
        return None
    value = published.strip()
    shown = repr(value if len(value) <= 40 else value[:40] + "...")
    if value[0] in "+-":
        return f"published {shown} is a signed year, not a date; relative dates left unresolved"
    m = _ISO_PREFIX.match(value)
    if m is None:
        return f"published {shown} is not an ISO date; relative dates left unresolved"
    if not MIN_YEAR <= int(m[1]) <= MAX_YEAR:
        return f"published {shown} is outside the years {MIN_YEAR}-{MAX_YEAR}; relative dates left unresolved"
    if m[3] and parse_anchor(value) is None or m[2] and not 1 <= int(m[2]) <= 12:
        return f"published {shown} is not a valid date; relative dates left unresolved"
    return None


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def label(article: Article) -> str:
    """How a message names an article: where it was read from (file and line), else its id (cut)."""
    return _escaped(article.source) if article.source else _escaped(_cut(str(article.doc_id), 60))


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."


def _escaped(text: str) -> str:
    """Surrogates and control characters escaped, so a message stays one printable line."""
    return "".join(c if c.isprintable() and not "\ud800" <= c <= "\udfff" else ascii(c)[1:-1] for c in text)
