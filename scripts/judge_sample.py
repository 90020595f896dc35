"""Draw a random sample of extracted records from a news corpus for judging by hand, and score judged samples.

LGL (Lieberman et al. 2010; GPL v3, in ../shared/benchmarks) holds 588 local
news stories and no event gold, so it shows how the extractor does on news
that is not about politics: crime, courts, schools, health, business, sport.
TempEval-3's TimeBank and AQUAINT (`--corpus tbaq`, 256 wire stories of
1989-2000) show it on political and business wire news beyond the
development sets. The articles are written to a temporary JSON Lines file
(never into the repository), extracted, and `--n` records are drawn with a
fixed `--seed`. Each drawn record is written, with its sentence, to a working
file outside the repository with an empty `verdict` for a person to fill in
against EVENTS.md sections 1-2 (`event` or `not`, with a short `reason`).
`keep` then writes the judged file into scripts/judged/ without the
sentence: the corpora stay in ../shared, and the event_id names the record.
The confidence model is trained on them too (scripts/train_confidence.py),
so a new sample is drawn from the records not judged before: its
confidences are then out of sample. Samples in scripts/judged/measure/ are
kept out of training, so that the precision measured on them stays the
measure of the shipped model; once a newer model is to be measured, they
join the training (scripts/judged/), and a new sample becomes the measure.
scripts/judged/agreement/ keeps a second judge's verdicts on a sample, to
show how far judges agree; it is not trained on.

    .venv/bin/python scripts/judge_sample.py draw --seed 11 --out /tmp/sample.jsonl
    .venv/bin/python scripts/judge_sample.py draw --corpus tbaq --every-record --seed 64 --n 120 --out ...  # to train on
    .venv/bin/python scripts/judge_sample.py keep /tmp/sample.jsonl --out scripts/judged/measure/lgl_fresh.jsonl
    .venv/bin/python scripts/judge_sample.py score scripts/judged/measure/lgl_fresh.jsonl
    .venv/bin/python scripts/judge_sample.py estimate scripts/judged/measure/lgl_fresh10a.jsonl scripts/judged/measure/lgl_fresh10b.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from judged_corpora import PREFIXES, articles, is_event

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "scripts" / "judged"
FIELDS = ("event_id", "doc_id", "sentence", "trigger", "type", "mode", "confidence")
KEPT = tuple(f for f in FIELDS if f != "sentence") + ("verdict", "reason", "background_act")  # what a judged file keeps


def corpus_records(corpus: str, min_confidence: float | None = None) -> list[dict]:
    """The records the pipeline extracts from a corpus's articles: those it keeps by default, or every
    one at or above `min_confidence` (0: all, as training samples need)."""
    from events.pipeline import PipelineConfig
    from events.runner import extract_paths

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{corpus}.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for article in articles(corpus):
                out.write(json.dumps(article) + "\n")
        records = Path(tmp) / "records.jsonl"
        with records.open("w", encoding="utf-8") as out:
            # one process: on a shared, loaded machine the worker pool cost minutes of start-up for 588 articles
            extract_paths([source], None, out=out, workers=1, config=PipelineConfig(min_confidence=min_confidence))
        return [json.loads(line) for line in records.read_text(encoding="utf-8").split("\n") if line.strip()]


def judged_ids(folder: Path) -> set[str]:
    """The event_ids of every record judged so far (in `folder`'s JSON Lines files, and `measure/`'s)."""
    return {json.loads(line)["event_id"] for path in folder.rglob("*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def draw(records: list[dict], n: int, seed: int, exclude: set[str] = frozenset()) -> list[dict]:
    """`n` records not in `exclude`, drawn at random with `seed`, in drawing order, with an empty verdict."""
    pool = [r for r in records if r.get("event_id") not in exclude]
    chosen = random.Random(seed).sample(pool, min(n, len(pool)))
    return [{**{k: r.get(k) for k in FIELDS}, "verdict": "", "reason": ""} for r in chosen]


def _judged_rows(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    bad = [r.get("event_id") for r in rows if r.get("verdict") not in ("event", "not")]
    if bad:
        raise SystemExit(f"{path}: {len(bad)} records have no verdict 'event' or 'not' (first: {bad[0]})")
    return rows


def kept(rows: list[dict]) -> list[dict]:
    """Judged rows as the repository keeps them: no sentence, which is the corpus's text."""
    return [{k: r.get(k) for k in KEPT} for r in rows]


def score(path: Path) -> dict[str, float]:
    """Precision of a judged file, overall and among records of confidence >= 0.8."""
    rows = _judged_rows(path)
    events = sum(r["verdict"] == "event" for r in rows)
    high = [r for r in rows if (r.get("confidence") or 0) >= 0.8]
    return {
        "records": len(rows),
        "events": events,
        "precision": round(events / len(rows), 3) if rows else float("nan"),
        "precision_retold_as_events": round(sum(is_event(r, retold_as_events=True) for r in rows) / len(rows), 3)
        if rows else float("nan"),
        "records_conf_0.8": len(high),
        "precision_conf_0.8": round(sum(r["verdict"] == "event" for r in high) / len(high), 3)
        if high else float("nan"),
    }


ESTIMATE_BINS = (0.0, 0.35, 0.5, 0.65, 0.8, 1.0001)


def estimate(records: list[dict], verdicts: dict[str, str], bins: tuple[float, ...] = ESTIMATE_BINS) -> dict:
    """Precision of the records users get, from judged samples the model did not train on.

    A fresh sample is drawn from records never judged before, so after many samples the pool left is
    not the population: the easy, confident records were taken first, and a later sample reads low
    (the sixth round's fresh sample had half the records at 0.8 or more that the extraction has). So
    each confidence bin's share of the kept records is weighted by the share of events among the
    judged records now in that bin (by event_id, scored by the current model), a stratified estimate.
    """
    rows = []
    estimate_sum = 0.0
    for low, high in zip(bins, bins[1:]):
        inside = [r for r in records if low <= (r.get("confidence") or 0.0) < high]
        judged = [verdicts[r["event_id"]] for r in inside if r["event_id"] in verdicts]
        share = len(inside) / len(records) if records else 0.0
        precision = sum(v == "event" for v in judged) / len(judged) if judged else None
        rows.append({"bin": f"{low:.2f}-{min(high, 1.0):.2f}", "records": len(inside), "judged": len(judged),
                     "precision": None if precision is None else round(precision, 3)})
        if precision is None and inside:
            return {"bins": rows, "estimate": None}  # a bin with records but no verdict: no estimate
        estimate_sum += share * (precision or 0.0)
    return {"bins": rows, "estimate": round(estimate_sum, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw", help="extract a corpus and draw a sample to judge")
    d.add_argument("--corpus", choices=sorted(PREFIXES), default="lgl")
    d.add_argument("--n", type=int, default=60)
    d.add_argument("--seed", type=int, required=True)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--every-record", action="store_true",
                   help="draw from every record, also those below the default drop (a sample to train the "
                        "confidence model on); without it, from the records users get (a sample to measure)")
    k = sub.add_parser("keep", help="write a judged working file into the repository, without its sentences")
    k.add_argument("file", type=Path)
    k.add_argument("--out", type=Path, required=True)
    e = sub.add_parser("estimate", help="precision of what the extraction keeps now, stratified by confidence "
                                          "over judged samples it did not train on (scripts/judged/measure/)")
    e.add_argument("--corpus", choices=sorted(PREFIXES), default="lgl")
    e.add_argument("files", type=Path, nargs="+")
    e.add_argument("--retold-as-events", action="store_true",
                   help="count a record judged 'not' only because it retells a specific earlier act "
                        "(background_act) as an event: EVENTS.md section 1 read literally (README, 'Confidence')")
    s = sub.add_parser("score", help="precision of judged samples")
    s.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "draw":
        if args.out.exists():
            sys.exit(f"{args.out}: exists; judged samples are not overwritten")
        records = corpus_records(args.corpus, 0.0 if args.every_record else None)
        rows = draw(records, args.n, args.seed, judged_ids(JUDGED))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{args.out}: {len(rows)} records to judge")
    elif args.command == "keep":
        if args.out.exists():
            sys.exit(f"{args.out}: exists; judged samples are not overwritten")
        rows = kept(_judged_rows(args.file))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{args.out}: {len(rows)} judged records, without their sentences")
    elif args.command == "estimate":
        verdicts: dict[str, str] = {}
        for path in args.files:
            for row in _judged_rows(path):
                verdicts.setdefault(row["event_id"], "event" if is_event(row, args.retold_as_events) else "not")  # first file wins
        result = estimate(corpus_records(args.corpus), verdicts)
        for row in result["bins"]:
            print(json.dumps(row))
        print(f"stratified precision of the {args.corpus} records kept: {result['estimate']}")
    else:
        for path in args.files:
            print(path, json.dumps(score(path)))


if __name__ == "__main__":
    main()
