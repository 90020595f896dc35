"""TempEval-3 scoring of the temporal tagger on TimeML `.tml` files.

Reads each document's creation time (the DCT TIMEX3) and the text of its
`<TEXT>` element with the gold TIMEX3 spans, runs the tagger over that text
anchored at the DCT, and scores the spans and values the way TempEval-3 does
(relaxed = overlapping spans; value F1 counts a system timex that overlaps a
gold one with the same value). Character offsets stand in for TE3's tokens,
after trimming white space at span edges, so "strict" means same characters.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from events.time.timex import TimexTagger


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDoc:
    doc_id: str
    dct: date | None
    text: str
    gold: tuple[GoldTimex, ...]


def read_timeml(path: Path) -> TimeMLDoc:
    """Text of `<TEXT>` with tags stripped, and its gold TIMEX3 spans."""
    root = ET.parse(path).getroot()
    dct: date | None = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                dct = date.fromisoformat((timex.get("value") or "")[:10])
            except ValueError:
                dct = None
            break
    text_el = root.find("TEXT")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    length = 0

    def walk(el: ET.Element) -> None:
        nonlocal length
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            start = length
            walk(child)
            if child.tag == "TIMEX3":
                gold.append(GoldTimex(start, length, child.get("type", ""), child.get("value", "")))
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    if text_el is not None:
        walk(text_el)
    text = "".join(parts)
    trimmed = tuple(_trim(text, g) for g in gold)
    doc_id = root.findtext("DOCID") or path.stem
    return TimeMLDoc(doc_id.strip(), dct, text, trimmed)


def _trim(text: str, g: GoldTimex) -> GoldTimex:
    start, end = g.start, g.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return GoldTimex(start, end, g.type, g.value)


def _f1(correct: int, system: int, gold: int) -> tuple[float, float, float]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_tempeval(folder: Path, tagger: TimexTagger) -> dict[str, float]:
    """Span, type and value figures of `tagger` over every `.tml` in `folder`.

    Value accuracy is over relaxed matches (as TE3 reports it); `value_*` F1
    counts a system timex correct when it overlaps a gold timex with the same
    value (P = correct/system, R = correct/gold). `date_time_value_accuracy`
    restricts value accuracy to gold DATE and TIME, the part events use.
    """
    n_gold = n_sys = strict = relaxed = type_ok = value_ok = value_hits = 0
    dt_matched = dt_value_ok = 0
    seconds = 0.0
    words = 0
    docs = sorted(Path(folder).glob("*.tml"))
    for path in docs:
        doc = read_timeml(path)
        began = time.perf_counter()
        system = tagger.tag(doc.text, doc.dct)
        seconds += time.perf_counter() - began
        words += len(doc.text.split())
        n_gold += len(doc.gold)
        n_sys += len(system)
        used: set[int] = set()
        gold_valued: set[int] = set()
        for s in system:
            s_start, s_end = s.start, s.end
            for i, g in enumerate(doc.gold):
                if i in used or s_end <= g.start or s_start >= g.end:
                    continue
                used.add(i)
                relaxed += 1
                strict += int((s_start, s_end) == (g.start, g.end))
                type_ok += int(s.type == g.type)
                same = s.value == g.value
                value_ok += int(same)
                if g.type in ("DATE", "TIME"):
                    dt_matched += 1
                    dt_value_ok += int(same)
                break
            # value F1: overlap with any gold of the same value (each gold once)
            for i, g in enumerate(doc.gold):
                if i in gold_valued or s_end <= g.start or s_start >= g.end:
                    continue
                if s.value == g.value:
                    gold_valued.add(i)
                    value_hits += 1
                    break
    sp, sr, sf = _f1(strict, n_sys, n_gold)
    rp, rr, rf = _f1(relaxed, n_sys, n_gold)
    vp, vr, vf = _f1(value_hits, n_sys, n_gold)
    return {
        "documents": float(len(docs)),
        "gold": float(n_gold),
        "system": float(n_sys),
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
        "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": rf,
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
        "value_accuracy": value_ok / relaxed if relaxed else 0.0,
        "date_time_value_accuracy": dt_value_ok / dt_matched if dt_matched else 0.0,
        "value_precision": vp, "value_recall": vr, "value_f1": vf,
        "seconds": seconds,
        "words": float(words),
        "ms_per_1000_words": 1000.0 * seconds / words * 1000 if words else 0.0,
    }
