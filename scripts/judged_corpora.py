"""The news corpora whose extracted records are judged by hand: where they live and how their articles read.

Judged records (scripts/judged/*.jsonl) name their article by `doc_id`, whose prefix says the corpus:
`lgl-` for LGL (local US news, no published dates) and `tbaq-` for TempEval-3's TimeBank and AQUAINT
(wire news of 1989-2000, each with its creation date as the published date, so relative dates resolve).
The corpora stay in ../shared/benchmarks (never copied here: the judged files keep no sentence, only
the record's id, its trigger and type, and the verdict), so the scripts re-extract the articles to judge
or to train on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
LGL = BENCHMARKS / "geoparsing" / "lgl.xml"
TEMPEVAL = BENCHMARKS / "tempeval3"
PREFIXES = {"lgl": "lgl-", "tbaq": "tbaq-"}


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
    else:
        raise SystemExit(f"{corpus}: unknown corpus (known: {', '.join(PREFIXES)})")
