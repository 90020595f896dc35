"""Retrain the confidence model (events/data/confidence.json) on the development gold and judged news.

Each development set is an articles file and its gold events. The script
extracts every article with the current pipeline, labels each record
positive when `events.evaluate.match` pairs it with a gold event (typed).
The records of LGL local news and TempEval wire news judged by hand (`scripts/judged/*.jsonl`, see
scripts/judge_sample.py) are added with their verdicts: without them the
model sees only political wire and analysis pieces, where 78% of records are
events, and cannot learn what a false record of everyday news looks like.

A logistic regression on `events.triggers.confidence.features` gives a raw score;
the calibration maps it to a confidence: isotonic regression on out-of-fold
scores, then each of its steps lowered to a one-sided Wilson lower bound
of its share of events (`Z` = 0.8, about 79%), so that a step of a few lucky
records does not reach 0.8. `Z` trades the share of records that reach 0.8
for their purity; it was chosen on the out-of-fold table of the development
sets (1.28 gave 95% events among 22% of records, 0.8 gives 91% among 27%).

The development records weigh twice (`DEV_WEIGHT`) in the logistic fit:
they are the contract's own gold and the political news the atlas is for,
and 514 judged TempEval records of 1989-2000 business and wire news (40%
events) otherwise pull the calibration down until fewer than a quarter of
the development records reach 0.8 (23.8% weighing once, 27.8% twice), with
the same out-of-fold precision on LGL and TempEval at the recall floor.

Evaluation is out of fold with folds by article (a record is never scored
by a model that saw its article), the calibration fitted inside each
training fold on that fold's own inner out-of-fold scores, so the
reliability tables printed at the end are honest. The
shipped model is then fitted on all records, its calibration on their
out-of-fold scores.

Other stages change the features (more actors, dates and places found), so
rerun this after merging them:

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_confidence.py            # writes events/data/confidence.json
    .venv/bin/python scripts/train_confidence.py --dry-run  # only prints the table
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from events.triggers.confidence import MODEL_FILE, features
from events.evaluate import match, read_jsonl
from events.ingest.articles import read_paths
from events.models import Article
from events.pipeline import Pipeline, PipelineConfig

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_SETS = [
    (SHARED / "seeds" / "articles.jsonl", SHARED / "gold" / "seeds.jsonl"),
    (SHARED / "seeds" / "world.jsonl", SHARED / "gold" / "world.jsonl"),
]
JUDGED = ROOT / "scripts" / "judged"
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
HIGH = 0.8
KEEP_FROM = 0.20  # the default drop: the highest floor of the keep table at which every run keeps recall at the floor (README, "Confidence")
THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
C = 0.05  # strong L2: a few hundred records, many sparse features (one per trigger lemma); 0.05-0.4 gave the same keep table within its run-to-run range
Z = 0.8  # one-sided (79%) Wilson lower bound on each calibration step: trades coverage at 0.8 for purity
DEV_WEIGHT = 2.0  # a development record weighs as two judged ones in the logistic fit (README, "Confidence")


def judged_records(
    judged: Path, retold_as_events: bool = False
) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    """Features and verdicts of the judged news records (LGL, TempEval) that the current pipeline still
    extracts (a record whose sentence, trigger or type has changed since it was judged has another
    event_id and is left out). Each corpus's articles are read from ../shared (scripts/judged_corpora.py).
    With `retold_as_events`, a record judged `not` only because it retells a specific earlier act
    (`background_act`) counts as an event: EVENTS.md section 1 read literally (README, "Confidence")."""
    from judged_corpora import articles, corpus_of, is_event

    verdicts: dict[str, bool] = {}
    docs: dict[str, set[str]] = {}
    for path in sorted(judged.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("verdict") not in ("event", "not"):
                sys.exit(f"{path}:{n}: no verdict 'event' or 'not'")
            verdicts.setdefault(row["event_id"], is_event(row, retold_as_events))
            docs.setdefault(corpus_of(row["doc_id"]), set()).add(row["doc_id"])
    pipeline = Pipeline(config=PipelineConfig(min_confidence=0.0))  # every record, kept or not
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus, wanted in sorted(docs.items()):
            source = Path(tmp) / f"{corpus}.jsonl"
            with source.open("w", encoding="utf-8") as out:
                for article in articles(corpus, wanted):
                    out.write(json.dumps(article) + "\n")
            for item in read_paths([source]):
                if not isinstance(item, Article):
                    sys.exit(f"{corpus}: {item}")
                found = pipeline.extract(item)
                for event in found:
                    if event.event_id in verdicts:
                        feats.append(features(event, found, len(item.text)))
                        labels.append(int(verdicts[event.event_id]))
                        groups.append(f"{corpus}:{event.doc_id}")
    return feats, np.array(labels, dtype=int), np.array(groups)


def records(sets: Sequence[tuple[Path, Path]]) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    """Features, labels and article of every record the pipeline extracts from the sets."""
    pipeline = Pipeline(config=PipelineConfig(min_confidence=0.0))  # every record, kept or not
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[str] = []
    for articles_path, gold_path in sets:
        gold = read_jsonl(gold_path)
        events = []
        for item in read_paths([articles_path]):
            if not isinstance(item, Article):
                sys.exit(f"{articles_path}: {item}")
            found = pipeline.extract(item)
            events += [(e, found, len(item.text)) for e in found]
        predicted = [e.to_record() for e, _, _ in events]
        matched = {j for _, j in match(gold, predicted, typed=True)}
        for j, (event, article_events, length) in enumerate(events):
            feats.append(features(event, article_events, length))
            labels.append(int(j in matched))
            groups.append(f"{articles_path.name}:{event.doc_id}")
    return feats, np.array(labels), np.array(groups)


def fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000).fit(x, y, sample_weight=weights)


def _at(weights: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if weights is None else weights[index]


def group_folds(groups: np.ndarray, folds: int, seed: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) indices with every article in exactly one test fold. `seed` None: sklearn's GroupKFold
    (balanced by size, always the same split); a seed deals the articles to folds in a shuffled order, so
    that repeating with other seeds shows how much a figure owes to one split."""
    n = min(folds, len(set(groups)))
    if seed is None:
        return list(GroupKFold(n_splits=n).split(groups, groups=groups))
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[k]: i % n for i, k in enumerate(order)}
    assigned = np.array([fold_of[g] for g in groups])
    return [(np.flatnonzero(assigned != f), np.flatnonzero(assigned == f)) for f in range(n)]


def out_of_fold_raw(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int,
                    weights: np.ndarray | None = None) -> np.ndarray:
    """Each record's raw logistic score from a model that did not see its article."""
    raw = np.zeros(len(y))
    for train, test in group_folds(groups, folds):
        raw[test] = fit(x[train], y[train], _at(weights, train)).decision_function(x[test])
    return raw


def wilson_low(events: float, n: int, z: float = Z) -> float:
    """The one-sided lower bound of a share of `events` in `n` records (Wilson score interval)."""
    if n == 0:
        return 0.0
    share = events / n
    centre = share + z * z / (2 * n)
    spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z * z / n))


def calibration(raw: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Points (raw score, confidence) of the calibration: isotonic steps of the share of events, each at its
    Wilson lower bound, kept non-decreasing; the score is read between points by linear interpolation."""
    order = np.argsort(raw, kind="stable")
    fitted = IsotonicRegression(out_of_bounds="clip").fit(raw, y).predict(raw)[order]
    scores, labels = raw[order], y[order]
    xs: list[float] = []
    ps: list[float] = []
    start = 0
    while start < len(order):
        end = start
        while end < len(order) and fitted[end] == fitted[start]:
            end += 1
        xs.append(float((scores[start] + scores[end - 1]) / 2))
        ps.append(max(wilson_low(float(labels[start:end].sum()), end - start), ps[-1] if ps else 0.0))
        start = end
    return xs, ps


def nested_probabilities(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int,
                         seed: int | None = None, weights: np.ndarray | None = None) -> np.ndarray:
    """Calibrated out-of-fold confidences: model and calibration both fitted without the article."""
    probs = np.zeros(len(y))
    for train, test in group_folds(groups, folds, seed):
        inner = out_of_fold_raw(x[train], y[train], groups[train], folds, _at(weights, train))
        xs, ps = calibration(inner, y[train])
        probs[test] = np.interp(fit(x[train], y[train], _at(weights, train)).decision_function(x[test]), xs, ps)
    return probs


def reliability(probs: np.ndarray, y: np.ndarray) -> str:
    """The reliability table (Markdown) and the two figures the issue sets targets for."""
    lines = ["| confidence | records | mean confidence | share that are events |", "|---|---|---|---|"]
    for low, high in zip(BINS, BINS[1:]):
        inside = (probs >= low) & (probs < high)
        if inside.any():
            lines.append(f"| {low:.1f}–{min(high, 1.0):.1f} | {int(inside.sum())} | {probs[inside].mean():.2f} | "
                         f"{y[inside].mean():.2f} |")
    high = probs >= HIGH
    share = high.mean()
    precision = y[high].mean() if high.any() else float("nan")
    lines.append("")
    lines.append(f"records: {len(y)}, events among them: {y.mean():.2f}; confidence >= {HIGH}: "
                 f"{int(high.sum())} records ({share:.1%} of all), {precision:.1%} of them events")
    return "\n".join(lines)


def keep_table(runs: Sequence[np.ndarray], y: np.ndarray, groups: np.ndarray, gold_counts: dict[str, int]) -> str:
    """What dropping records below each threshold does, out of fold: precision and recall on each development
    set (recall against its gold events) and the share of events among each judged corpus's records kept,
    each the mean over `runs` (out-of-fold confidences from differently dealt folds) with its range when there
    are several: a development set has about 150 gold events, so one split moves recall by a few of them."""
    sets = np.array([g.split(":")[0] for g in groups])
    judged = [name for name in dict.fromkeys(sets) if name not in gold_counts]
    head = (["drop below"] + [f"{name}: P / R" for name in gold_counts]
            + [f"judged {name.upper()}: P (kept)" for name in judged])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in THRESHOLDS:
        cells = [f"{t:.2f}"]
        for name, total in gold_counts.items():
            p = [y[(probs >= t) & (sets == name)].mean() for probs in runs if ((probs >= t) & (sets == name)).any()]
            r = [y[(probs >= t) & (sets == name)].sum() / total for probs in runs]
            cells.append(f"{np.mean(p):.3f} / {_mean_range(r)}" if p else "-")
        for name in judged:
            p = [y[(probs >= t) & (sets == name)].mean() for probs in runs if ((probs >= t) & (sets == name)).any()]
            kept = np.mean([((probs >= t) & (sets == name)).sum() for probs in runs])
            cells.append(f"{_mean_range(p)} ({kept:.0f} of {int((sets == name).sum())})" if p else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _mean_range(values: Sequence[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{np.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", type=Path, metavar=("ARTICLES", "GOLD"),
                        help="a development set (default: the seeds and world sets in ../shared)")
    parser.add_argument("--judged", type=Path, default=JUDGED, help="folder of judged news samples")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=10,
                        help="the keep table averages this many out-of-fold runs, the articles dealt to folds anew")
    parser.add_argument("--out", type=Path, default=ROOT / "events" / "data" / MODEL_FILE)
    parser.add_argument("--keep-from", type=float, default=KEEP_FROM,
                        help="records below this confidence are dropped by default (written to the model file)")
    parser.add_argument("--dry-run", action="store_true", help="print the tables, write nothing")
    parser.add_argument("--retold-as-events", action="store_true",
                        help="count judged records that are 'not' only because they retell a specific earlier act "
                             "(background_act) as events, EVENTS.md section 1 read literally")
    args = parser.parse_args()
    sets = [tuple(s) for s in args.set] if args.set else DEFAULT_SETS
    for articles, gold in sets:
        for path in (articles, gold):
            if not path.exists():
                sys.exit(f"{path}: not found")
    feats, y, groups = records(sets)
    dev = len(y)
    if args.judged.is_dir():
        more, labels, docs = judged_records(args.judged, args.retold_as_events)
        feats, y, groups = feats + more, np.concatenate([y, labels]), np.concatenate([groups, docs])
    else:
        print(f"{args.judged}: not found; training on the development sets only")
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform(feats)
    weights = np.where(np.arange(len(y)) < dev, DEV_WEIGHT, 1.0)
    probs = nested_probabilities(x, y, groups, args.folds, weights=weights)
    print(f"held-out folds by article ({len(set(groups))} articles, {args.folds} folds); development sets:")
    print(reliability(probs[:dev], y[:dev]))
    corpora = np.array([g.split(":")[0] for g in groups])
    for corpus in dict.fromkeys(corpora[dev:]):
        print(f"\njudged {corpus.upper()} records:")
        print(reliability(probs[corpora == corpus], y[corpora == corpus]))
    print("\ndropping the records below a confidence, out of fold:")
    runs = [probs] + [nested_probabilities(x, y, groups, args.folds, seed, weights) for seed in range(1, args.repeats)]
    print(f"(mean of {len(runs)} runs, range in brackets)" if len(runs) > 1 else "")
    print(keep_table(runs, y, groups, {a.name: len(read_jsonl(g)) for a, g in sets}))
    if args.dry_run:
        return
    model = fit(x, y, weights)
    xs, ps = calibration(out_of_fold_raw(x, y, groups, args.folds, weights), y)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    payload = {
        "_why": "Logistic weights over events.triggers.confidence.features, then a calibration (raw score -> confidence, "
                "read by linear interpolation: isotonic steps at their Wilson lower bound (Z = 0.8)); written by "
                "scripts/train_confidence.py from the development gold and the judged news samples. Retrain "
                "after changing any stage.",
        "trained_on": [f"{a.name} + {g.name}" for a, g in sets] + ([f"{args.judged.name}/*.jsonl"] if len(y) > dev else []),
        "records": len(y),
        "retold_acts_as_events": args.retold_as_events,
        "_why_keep_from": "records scored below keep_from are dropped unless the user asks for them "
                          "(events extract --min-confidence 0): chosen on the out-of-fold keep table that "
                          "scripts/train_confidence.py prints (README, 'Confidence')",
        "keep_from": args.keep_from,
        "weights": dict(sorted(weights.items())),
        "calibration": {"raw": [round(v, 4) for v in xs], "confidence": [round(v, 4) for v in ps]},
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
