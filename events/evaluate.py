"""Score predicted events against gold events (EVENTS.md section 6).

Matching is a maximum bipartite matching rather than first-come greedy, so a
prediction that could serve two gold events never steals the only match of
another and the scores do not depend on file order.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from geopy.distance import great_circle

ACC_KM = 161.0


class GoldFormatError(Exception):
    """A gold or prediction file that cannot be read; str() names file and line."""


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSON Lines file; a bad line is an error naming file and line."""
    records: list[dict] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GoldFormatError(f"{path}: cannot read: {err}") from err
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldFormatError(f"{path}:{number}: not valid JSON: {err.msg}") from err
        if not isinstance(record, dict) or "doc_id" not in record or "type" not in record:
            raise GoldFormatError(f"{path}:{number}: a record needs at least 'doc_id' and 'type'")
        records.append(record)
    return records


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


def evaluate_files(gold_path: Path, pred_path: Path) -> dict[str, float]:
    return score(read_jsonl(gold_path), read_jsonl(pred_path), gazetteer_state_code())


def gazetteer_state_code() -> Callable[[str], str | None]:
    """`state_code` for `score` from the packaged gazetteer: a name whose best entry is a country."""
    from events.gazetteer import Gazetteer  # loading takes ~0.5 s: only when files are scored

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
