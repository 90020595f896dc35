"""Benchmark `events extract` end to end: articles/s, words/s, peak RSS, linearity.

Builds a corpus from real news text found beside the repository (the seed
articles, LGL's 588 local news articles, TempEval-3's TimeBank and AQUAINT
documents) — read at run time, never copied into the repo. To reach the
requested size it adds recombined articles (first half of one real article,
second half of another), so every article is real prose and no two are equal
(identical texts would be skipped as unchanged and flatter the figures).

Runs `events extract` as a child process into a fresh database for each size
and samples the child's resident memory with psutil.

    .venv/bin/python scripts/bench_extract.py --sizes 500 1000 2000
    .venv/bin/python scripts/bench_extract.py --sizes 4000 20000 --modes pool pool-parquet cluster

`--modes` compares the runners on the same corpus, back to back: `pool` is
the local process pool into DuckDB (the default install), `pool-parquet` the
same pool into a Parquet dataset, `cluster` a LocalCluster with one worker
process per core (`--cluster local:N`) into a Parquet dataset. The load
average before and after each run is printed, since the machine is shared,
and so is the CPU time of all the run's processes, which other users of the
machine hardly change.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def real_articles(shared: Path) -> list[dict]:
    articles: list[dict] = []
    seeds = shared / "seeds" / "articles.jsonl"
    if seeds.exists():
        articles += [json.loads(line) for line in seeds.read_text(encoding="utf-8").splitlines() if line.strip()]
    lgl = shared / "benchmarks" / "geoparsing" / "lgl.xml"
    if lgl.exists():
        for n, node in enumerate(ET.parse(lgl).getroot().iter("article")):
            text = node.findtext("text") or ""
            if text.strip():
                published = (node.findtext("dltime") or "")[:10] or None
                articles.append({"id": f"lgl{n}", "title": node.findtext("title"), "text": text, "published": published})
    for tml in sorted((shared / "benchmarks" / "tempeval3").glob("*/*.tml")):
        raw = tml.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        if match:
            text = re.sub(r"<[^>]+>", "", match.group(1)).strip()
            dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="([\d-]+)', raw)
            articles.append({"id": tml.stem, "text": text, "published": dct.group(1)[:10] if dct else None})
    return articles


def build_corpus(articles: list[dict], size: int) -> list[dict]:
    corpus = [dict(a, id=f"b{i}") for i, a in enumerate(articles[:size])]
    k = 0
    while len(corpus) < size:
        a = articles[k % len(articles)]
        b = articles[(k * 7 + 3) % len(articles)]
        half_a = a["text"][: len(a["text"]) // 2].rsplit(".", 1)[0] + "."
        half_b = b["text"][len(b["text"]) // 2 :].split(".", 1)[-1].strip()
        corpus.append({"id": f"r{k}", "title": a.get("title"), "text": f"{half_a}\n\n{half_b}",
                       "published": a.get("published")})
        k += 1
    return corpus


MODES = {
    "pool": lambda out: ["--db", str(out.with_suffix(".duckdb"))],
    "pool-parquet": lambda out: ["--out-parquet", str(out)],
    "cluster": lambda out: ["--out-parquet", str(out), "--cluster", f"local:{os.cpu_count() or 1}"],
}


def run(corpus_path: Path, out: Path, mode: str = "pool") -> tuple[float, int, float, float]:
    """Wall seconds, peak RSS, CPU seconds of the extractor and all its worker processes, and of the extractor's
    own process (the parent: reading, checking, storing; on the cluster path also the scheduler and nannies)."""
    events = ROOT / ".venv" / "bin" / "events"
    command = [str(events) if events.exists() else "events", "extract", str(corpus_path), *MODES[mode](out), "-q"]
    started = time.perf_counter()
    child = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    cpu: dict[int, float] = {}  # last CPU time seen per process: unlike wall time, hardly moved by other users
    while child.poll() is None:
        try:  # the extractor and its worker processes together
            tree = [child, *child.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            for p in tree:
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system
        except psutil.NoSuchProcess:
            continue
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    out, err = child.communicate()
    if child.returncode not in (0, 1):
        sys.exit(f"events extract failed: {err.decode()[-500:]}")
    print(f"  extract said: {out.decode().strip()}")
    return seconds, peak, sum(cpu.values()), cpu.get(child.pid, 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=["pool"])
    args = parser.parse_args()
    articles = real_articles(args.shared)
    if not articles:
        sys.exit(f"no real articles found under {args.shared}")
    print(f"real articles available: {len(articles)}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = build_corpus(articles, size)
            words = sum(len(a["text"].split()) for a in corpus)
            path = Path(tmp) / f"corpus{size}.jsonl"
            path.write_text("".join(json.dumps(a) + "\n" for a in corpus), encoding="utf-8")
            for k, mode in enumerate(args.modes):
                load = os.getloadavg()[0]
                seconds, peak, cpu, parent = run(path, Path(tmp) / f"bench{size}-{k}-{mode}", mode)
                print(f"{mode:13} articles: {size}  words: {words}  seconds: {seconds:.1f}  "
                      f"articles/s: {size / seconds:.1f}  words/s: {words / seconds:,.0f}  "
                      f"CPU s (all processes): {cpu:.0f}  CPU ms/article: {1000 * cpu / size:.1f}  "
                      f"CPU s of the parent: {parent:.0f}  "
                      f"peak RSS (all processes): {peak / 2**20:.0f} MB  load average before/after: "
                      f"{load:.1f}/{os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
