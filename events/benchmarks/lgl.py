"""LGL geoparsing benchmark (Lieberman et al. 2010, as redistributed by Gritta et al.).

The XML holds `<article>`s with `<text>` and `<toponyms>`; each `<toponym>`
has character offsets into the text and, when the annotators could place it,
a `<gaztag>` with GeoNames coordinates. Gold is the placed toponyms (4,462 in
the development copy); the unplaced ones (mostly streets) are left out of
gold, and a prediction overlapping one is ignored rather than counted wrong.

Figures: recognition precision/recall/F1 with overlapping spans (each gold
span matches at most one prediction), and over recognised gold toponyms
Acc@161 km, mean and median error. A recognised but unresolved toponym counts
as a miss for Acc@161 and is left out of the error means.
"""

from __future__ import annotations

import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from geopy.distance import great_circle

from events.geo.geoparse import Geoparser

ACC_KM = 161.0


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GoldArticle:
    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def read_lgl(path: Path) -> list[GoldArticle]:
    """Articles and their gold toponyms, in file order."""
    root = ET.parse(path).getroot()
    articles = []
    for art in root.iter("article"):
        toponyms = []
        for top in art.iter("toponym"):
            tag = top.find("gaztag")
            lat = lon = None
            if tag is not None and tag.findtext("lat") and tag.findtext("lon"):
                lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
            toponyms.append(GoldToponym(int(top.findtext("start")), int(top.findtext("end")),
                                        top.findtext("phrase") or "", lat, lon))
        articles.append(GoldArticle(art.get("docid", ""), art.findtext("text") or "", tuple(toponyms)))
    return articles


def evaluate_lgl(path: Path, geoparser: Geoparser) -> dict[str, float]:
    """Run the geoparser end to end on every LGL article and score it."""
    articles = read_lgl(path)
    tp = fp = n_gold = unresolved = 0
    errors: list[float] = []
    started = time.perf_counter()
    n_pred_total = 0
    for art in articles:
        predicted = geoparser.parse(art.text)
        n_pred_total += len(predicted)
        gold = [g for g in art.toponyms if g.lat is not None]
        unplaced = [g for g in art.toponyms if g.lat is None]
        n_gold += len(gold)
        used: set[int] = set()
        for pred in predicted:
            match = next((k for k, g in enumerate(gold)
                          if k not in used and pred.start < g.end and g.start < pred.end), None)
            if match is None:
                if not any(pred.start < g.end and g.start < pred.end for g in unplaced):
                    fp += 1
                continue
            used.add(match)
            tp += 1
            g = gold[match]
            if pred.place is None or pred.place.lat is None:
                unresolved += 1
                continue
            errors.append(great_circle((g.lat, g.lon), (pred.place.lat, pred.place.lon)).km)
    seconds = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    within = sum(1 for e in errors if e <= ACC_KM)
    return {
        "articles": float(len(articles)),
        "gold_toponyms": float(n_gold),
        "predicted_toponyms": float(n_pred_total),
        "true_positives": float(tp),
        "false_positives": float(fp),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "resolved": float(len(errors)),
        "unresolved": float(unresolved),
        "acc161": within / tp if tp else 0.0,
        "mean_error_km": statistics.fmean(errors) if errors else 0.0,
        "median_error_km": statistics.median(errors) if errors else 0.0,
        "seconds": seconds,
        "ms_per_article": 1000 * seconds / len(articles) if articles else 0.0,
    }
