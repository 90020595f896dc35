"""Retrain the confidence model (events/data/confidence.json) on the development gold.

Each development set is an articles file and its gold events. The script
extracts every article with the current pipeline, labels each record
positive when `events.evaluate.match` pairs it with a gold event (typed), and
fits a logistic regression on `events.triggers.confidence.features`. Evaluation is
out of fold with folds by article (a record is never scored by a model that
saw its article), and Platt scaling is fitted inside each training fold on
that fold's own inner out-of-fold scores, so the reliability table printed
at the end is honest. The shipped model is then fitted on all records, with
Platt scaling on their out-of-fold scores.

Other stages change the features (more actors, dates and places found), so
rerun this after merging them:

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_confidence.py            # writes events/data/confidence.json
    .venv/bin/python scripts/train_confidence.py --dry-run  # only prints the table
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from events.triggers.confidence import MODEL_FILE, features
from events.evaluate import match, read_jsonl
from events.ingest.articles import read_paths
from events.models import Article
from events.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_SETS = [
    (SHARED / "seeds" / "articles.jsonl", SHARED / "gold" / "seeds.jsonl"),
    (SHARED / "seeds" / "world.jsonl", SHARED / "gold" / "world.jsonl"),
]
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
HIGH = 0.8
C = 0.1  # strong L2: a few hundred records, many sparse features (one per trigger lemma)


def records(sets: Sequence[tuple[Path, Path]]) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    """Features, labels and article of every record the pipeline extracts from the sets."""
    pipeline = Pipeline()
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


def fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000).fit(x, y)


def out_of_fold_raw(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int) -> np.ndarray:
    """Each record's raw logistic score from a model that did not see its article."""
    raw = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(x, y, groups):
        raw[test] = fit(x[train], y[train]).decision_function(x[test])
    return raw


def platt(raw: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: p = sigmoid(a * raw + b), fitted by (almost unregularised) logistic regression."""
    model = LogisticRegression(C=1e4, max_iter=2000).fit(raw.reshape(-1, 1), y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def nested_probabilities(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int) -> np.ndarray:
    """Calibrated out-of-fold probabilities: model and Platt scaling both fitted without the article."""
    probs = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(x, y, groups):
        inner = out_of_fold_raw(x[train], y[train], groups[train], folds)
        a, b = platt(inner, y[train])
        raw = fit(x[train], y[train]).decision_function(x[test])
        probs[test] = 1.0 / (1.0 + np.exp(-(a * raw + b)))
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
                 f"{int(high.sum())} records ({share:.0%} of all), {precision:.0%} of them events")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", type=Path, metavar=("ARTICLES", "GOLD"),
                        help="a development set (default: the seeds and world sets in ../shared)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "events" / "data" / MODEL_FILE)
    parser.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    args = parser.parse_args()
    sets = [tuple(s) for s in args.set] if args.set else DEFAULT_SETS
    for articles, gold in sets:
        for path in (articles, gold):
            if not path.exists():
                sys.exit(f"{path}: not found")
    feats, y, groups = records(sets)
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform(feats)
    print(f"held-out folds by article ({len(set(groups))} articles, {args.folds} folds):")
    print(reliability(nested_probabilities(x, y, groups, args.folds), y))
    if args.dry_run:
        return
    model = fit(x, y)
    a, b = platt(out_of_fold_raw(x, y, groups, args.folds), y)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    payload = {
        "_why": "Logistic weights over events.triggers.confidence.features, then Platt scaling; written by "
                "scripts/train_confidence.py from the development gold. Retrain after changing any stage.",
        "trained_on": [f"{a.name} + {g.name}" for a, g in sets],
        "records": len(y),
        "weights": dict(sorted(weights.items())),
        "platt": {"a": round(a, 4), "b": round(b, 4)},
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
