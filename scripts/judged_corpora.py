"""The news corpora whose extracted records are judged by hand: where they live and how their articles read.

Judged records (scripts/judged/*.jsonl) name their article by `doc_id`, whose prefix says the corpus:
`lgl-` for LGL (local US news, no published dates) and `tbaq-` for TempEval-3's TimeBank and AQUAINT
(wire news of 1989-2000, each with its creation date as the published date, so relative dates resolve).
The corpora stay in ../shared/benchmarks (never copied here: the judged files keep no sentence, only
the record's id, its trigger and type, and the verdict), so the scripts re-extract the articles to judge
or to train on.

Once LGL was used up as a measure (every record it yields judged), two more news corpora from the
repository LGL came from (Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation", GPL-3.0) give
fresh samples: `trn-` for TR-News (118 articles of world and local news from many outlets, downloaded
in 2016-2017, each with its download date as the published date) and `gwn-` for GeoWebNews (200
articles of 2018 web news, published dates only where the link has one). They are not in ../shared:
put `data/Corpora/TR-News.xml` and `data/GWN.xml` of
https://github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation into ../corpora/, beside the
repository (never into it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
LGL = BENCHMARKS / "geoparsing" / "lgl.xml"
TEMPEVAL = BENCHMARKS / "tempeval3"
NEWS = ROOT.parent / "corpora"
PREFIXES = {"lgl": "lgl-", "tbaq": "tbaq-", "trnews": "trn-", "gwn": "gwn-"}
NEWS_FILES = {"trnews": "TR-News.xml", "gwn": "GWN.xml"}


def is_event(row: dict, retold_as_events: bool = False) -> bool:
    """A judged row's verdict. EVENTS.md section 1 excludes background opinion and analysis and extracts
    a real event each time it is told; judges mark `background_act` on a record that is `not` only because
    it retells a specific earlier act as context. `retold_as_events` reads section 1 literally and counts
    those as events; the default reading, used for training and the headline figures, does not."""
    return row["verdict"] == "event" or (retold_as_events and bool(row.get("background_act")))


def corpus_of(doc_id: str) -> str:
    """The corpus a judged record's article comes from."""
    for corpus, prefix in PREFIXES.items():
        if doc_id.startswith(prefix):
            return corpus
    raise ValueError(f"{doc_id}: no known corpus prefix ({', '.join(PREFIXES.values())})")


def articles(corpus: str, only: set[str] | None = None) -> Iterator[dict]:
    """The corpus's articles as `events extract` reads them (id, text, published where known), or only
    those whose id is in `only`."""
    if corpus == "lgl":
        from events.benchmarks.lgl import read_lgl

        if not LGL.exists():
            raise SystemExit(f"{LGL}: not found (LGL lives in ../shared/benchmarks/geoparsing/)")
        for article in read_lgl(LGL):
            doc_id = f"lgl-{article.doc_id}"
            if only is None or doc_id in only:
                yield {"id": doc_id, "text": article.text}
    elif corpus == "tbaq":
        from events.benchmarks.tempeval import read_timeml

        paths = sorted(TEMPEVAL.glob("*/*.tml"))
        if not paths:
            raise SystemExit(f"{TEMPEVAL}: no TimeML files (TempEval-3 lives in ../shared/benchmarks/tempeval3/)")
        for path in paths:
            doc = read_timeml(path)
            doc_id = f"tbaq-{doc.doc_id}"
            if only is None or doc_id in only:
                yield {"id": doc_id, "text": doc.text, "published": doc.dct.isoformat() if doc.dct else None}
    elif corpus in NEWS_FILES:
        path = NEWS / NEWS_FILES[corpus]
        if not path.exists():
            raise SystemExit(f"{path}: not found (see scripts/judged_corpora.py for where {corpus} comes from)")
        for article in _news_articles(path, PREFIXES[corpus]):
            if only is None or article["id"] in only:
                yield article
    else:
        raise SystemExit(f"{corpus}: unknown corpus (known: {', '.join(PREFIXES)})")


def _news_articles(path: Path, prefix: str) -> Iterator[dict]:
    """TR-News or GeoWebNews articles: the title as the first line (a headline, as LGL's texts have), the
    text, and a published date from TR-News's download date or a GeoWebNews link's /yyyy/mm/dd/."""
    import re
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise SystemExit(f"{path}: not readable XML: {err}") from err
    for n, article in enumerate(root.iter("article")):
        key = article.get("docid") or article.get("file") or str(n)
        title = " ".join((article.findtext("title") or "").split())
        text = (article.findtext("text") or "").strip()
        published = (article.findtext("dltime") or "").strip() or None
        link = article.findtext("link") or article.findtext("url") or ""
        dated = re.search(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/", link)
        if published is None and dated:
            published = "-".join(dated.groups())
        yield {"id": f"{prefix}{key}", "text": f"{title}\n\n{text}" if title else text, "published": published}
