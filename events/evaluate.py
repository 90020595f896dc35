"""Score predicted events against gold events (EVENTS.md section 6).

Matching is a maximum bipartite matching rather than first-come greedy, so a
prediction that could serve two gold events never steals the only match of
another and the scores do not depend on file order.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from geopy.distance import great_circle

ACC_KM = 161.0


class GoldFormatError(Exception):
    """A gold or prediction file that cannot be read; str() names file and line."""


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSON Lines file; a bad line is an error naming file and line."""
    records: list[dict] = []
    for number, record in _json_lines(path):
        if not isinstance(record, dict) or "doc_id" not in record or "type" not in record:
            raise GoldFormatError(f"{path}:{number}: a record needs at least 'doc_id' and 'type'")
        records.append(record)
    return records


def _json_lines(path: Path) -> Iterator[tuple[int, object]]:
    """(line number, value) of each non-blank line; an unreadable file or bad line is one GoldFormatError."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GoldFormatError(f"{path}: cannot read: {err}") from err
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldFormatError(f"{path}:{number}: not valid JSON: {err.msg}") from err


def match(gold: Sequence[dict], pred: Sequence[dict], typed: bool = True) -> list[tuple[int, int]]:
    """Maximum matching of gold to predictions: (gold index, prediction index) pairs."""
    by_doc: dict[str, list[int]] = {}
    for j, p in enumerate(pred):
        by_doc.setdefault(str(p.get("doc_id")), []).append(j)
    edges: list[list[int]] = []
    for g in gold:
        evidence = _norm_text(g.get("evidence") or "")
        options = []
        for j in by_doc.get(str(g.get("doc_id")), []):
            p = pred[j]
            if typed and p.get("type") != g.get("type"):
                continue
            sentence = _norm_text(p.get("sentence") or "")
            if evidence and sentence and (evidence in sentence or sentence in evidence):
                options.append(j)
        # where a sentence holds several predictions of the type, try first those whose trigger lies
        # in the evidence, so that each gold event pairs with the record of its own words
        options.sort(key=lambda j: _norm_text(pred[j].get("trigger") or "\0") not in evidence)
        edges.append(options)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def date_correct(gold_date: str | None, pred_date: str | None) -> bool:
    """A prediction is right at gold's precision: '2022-07-06' is right for '2022-07'."""
    if gold_date is None:
        return pred_date is None
    return pred_date is not None and len(pred_date) >= len(gold_date) and pred_date[: len(gold_date)] == gold_date


def place_correct(gold: dict, pred: dict) -> bool:
    if gold.get("geo_precision") == "country":
        return pred.get("country") is not None and pred.get("country") == gold.get("country")
    if pred.get("lat") is None or pred.get("lon") is None or gold.get("lat") is None:
        return False
    return great_circle((gold["lat"], gold["lon"]), (pred["lat"], pred["lon"])).km <= ACC_KM


def actor_correct(gold: dict, pred: dict, state_code: Callable[[str], str | None] = lambda name: None) -> bool:
    """Gold's first actor is among the predicted actors (no case or accents), or, where it is a
    state, its code is among the predicted `actor_countries` ("Sudanese troops" stands for Sudan)."""
    first = gold["actors"][0]
    if _norm_name(first) in {_norm_name(a) for a in pred.get("actors") or []}:
        return True
    code = state_code(first)
    return code is not None and code in (pred.get("actor_countries") or [])


def score(
    gold: Sequence[dict], pred: Sequence[dict], state_code: Callable[[str], str | None] = lambda name: None
) -> dict[str, float]:
    """Every figure of EVENTS.md section 6, by name.

    `state_code` names the ISO code of an actor that is a state (None otherwise);
    `evaluate_files` reads it from the gazetteer.
    """
    pairs = match(gold, pred, typed=True)
    untyped = match(gold, pred, typed=False)
    out: dict[str, float] = {"gold_events": len(gold), "predicted_events": len(pred), "matched": len(pairs)}
    out.update(_prf("", len(pairs), len(pred), len(gold)))
    out.update(_prf("untyped_", len(untyped), len(pred), len(gold)))
    matched = [(gold[i], pred[j]) for i, j in pairs]

    def share(name: str, rows: list[tuple[dict, dict]], ok: Callable[[dict, dict], bool]) -> None:
        out[name] = round(sum(ok(g, p) for g, p in rows) / len(rows), 4) if rows else float("nan")
        out[name + "_n"] = len(rows)

    share("date_accuracy", matched, lambda g, p: date_correct(g.get("date"), p.get("date")))
    share("date_accuracy_gold_dated", [(g, p) for g, p in matched if g.get("date")],
          lambda g, p: date_correct(g.get("date"), p.get("date")))
    share("place_accuracy", [(g, p) for g, p in matched if g.get("place")], place_correct)
    share("place_null_agreement", [(g, p) for g, p in matched if not g.get("place")],
          lambda g, p: p.get("place") is None)
    share("actor_accuracy", [(g, p) for g, p in matched if g.get("actors")],
          lambda g, p: actor_correct(g, p, state_code))
    return out


def read_cluster_labels(path: Path, gold_count: int) -> list[str | None]:
    """The real-world event label of each gold line (`{"line", "cluster"}` a line, in gold's order)."""
    labels: list[str | None] = [None] * gold_count
    seen = 0
    for number, record in _json_lines(path):
        index = record.get("line", seen) if isinstance(record, dict) else None
        if not isinstance(index, int) or not 0 <= index < gold_count or "cluster" not in record:
            raise GoldFormatError(f"{path}:{number}: needs 'cluster' and a 'line' within the {gold_count} gold lines")
        labels[index] = record["cluster"]
        seen += 1
    if seen != gold_count:
        raise GoldFormatError(f"{path}: {seen} labels for {gold_count} gold events (one a gold line, same order)")
    return labels


def cluster_score(gold: Sequence[dict], labels: Sequence[str | None], pred: Sequence[dict]) -> dict[str, float]:
    """Pairwise cluster precision and recall of the predictions' `cluster_id` against gold labels.

    Each gold event is mapped to its matched prediction (`match`). Recall: of
    the pairs of gold events with one label, the share whose predictions share
    a cluster_id (an unmatched gold event joins nothing). Precision: of the
    pairs of matched predictions that share a cluster_id, the share whose gold
    events share a label; pairs with a prediction that matches no gold event
    cannot be judged and are counted apart (`cluster_pairs_unjudged`).
    """
    cluster_of = {j: pred[j].get("cluster_id") for _, j in match(gold, pred)}
    gold_of = {j: i for i, j in match(gold, pred)}
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        if label is not None:
            by_label.setdefault(label, []).append(i)
    pred_of = {i: j for j, i in gold_of.items()}
    gold_pairs = [(a, b) for members in by_label.values() for k, a in enumerate(members) for b in members[k + 1:]]

    def joined(a: int, b: int) -> bool:
        ca, cb = cluster_of.get(pred_of.get(a, -1)), cluster_of.get(pred_of.get(b, -1))
        return ca is not None and ca == cb

    found = sum(joined(a, b) for a, b in gold_pairs)
    by_cluster: dict[str, list[int]] = {}
    for j, p in enumerate(pred):
        if p.get("cluster_id") is not None:
            by_cluster.setdefault(p["cluster_id"], []).append(j)
    judged = right = unjudged = 0
    for members in by_cluster.values():
        for k, x in enumerate(members):
            for y in members[k + 1:]:
                if x not in gold_of or y not in gold_of:
                    unjudged += 1
                    continue
                judged += 1
                lx, ly = labels[gold_of[x]], labels[gold_of[y]]
                right += lx is not None and lx == ly
    return {
        "cluster_precision": round(right / judged, 4) if judged else float("nan"),
        "cluster_recall": round(found / len(gold_pairs), 4) if gold_pairs else float("nan"),
        "cluster_gold_pairs": len(gold_pairs),
        "cluster_pairs_joined": judged,
        "cluster_pairs_unjudged": unjudged,
    }


def evaluate_files(gold_path: Path, pred_path: Path, clusters_path: Path | None = None) -> dict[str, float]:
    """Every figure of `score`, and with `clusters_path` the pairwise cluster figures of `cluster_score`."""
    gold, pred = read_jsonl(gold_path), read_jsonl(pred_path)
    figures = score(gold, pred, gazetteer_state_code())
    if clusters_path is not None:
        figures.update(cluster_score(gold, read_cluster_labels(clusters_path, len(gold)), pred))
    return figures


def gazetteer_state_code() -> Callable[[str], str | None]:
    """`state_code` for `score` from the packaged gazetteer: a name whose best entry is a country."""
    from events.geo.gazetteer import Gazetteer  # loading takes ~0.5 s: only when files are scored

    gazetteer = Gazetteer.load()

    def state_code(name: str) -> str | None:
        found = gazetteer.candidates(name)
        return found[0].country if found and found[0].feature == "country" else None

    return state_code


def _prf(prefix: str, hits: int, predicted: int, gold: int) -> dict[str, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}precision": round(p, 4), f"{prefix}recall": round(r, 4), f"{prefix}f1": round(f, 4)}


def _norm_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _norm_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold().strip()
