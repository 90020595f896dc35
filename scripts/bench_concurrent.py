"""Nobody is locked out during a long extraction: readers, an export and a second extraction all succeed.

    .venv/bin/python scripts/bench_concurrent.py --articles 12000

Builds a corpus of real news (as `scripts/bench_extract.py` does) and runs
`events extract` on it into a fresh database. Meanwhile, in this process,
the dashboard's query layer reads the database about once a second (the
extraction note and `compute_view`, what one dashboard rerun runs: counts,
timeline, map points, table); once events are stored, `events export` runs
as a child process; then a second `events extract` (of other articles) is
started and must wait for the first, saying so, and then succeed. Prints
the timings of each and whether everything succeeded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import SHARED, build_corpus, real_articles  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVENTS = str(ROOT / ".venv" / "bin" / "events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12_000)
    parser.add_argument("--second", type=int, default=200, help="articles of the second, waiting extraction")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()

    from events.store.queries import Filters, catalog, read_connection
    from events.store.database import StoreError
    from events_dashboard.data import READ_WAIT_SECONDS, compute_view, extraction_note

    articles = real_articles(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first = folder / "first.jsonl"
        second = folder / "second.jsonl"
        corpus = build_corpus(articles, args.articles + args.second)
        first.write_text("".join(json.dumps(a) + "\n" for a in corpus[: args.articles]), encoding="utf-8")
        second.write_text("".join(json.dumps(dict(a, id=f"second-{a['id']}")) + "\n"
                                  for a in corpus[args.articles:]), encoding="utf-8")
        db = folder / "events.duckdb"

        started = time.perf_counter()
        extract = subprocess.Popen([EVENTS, "extract", str(first), "--db", str(db), "-q"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        reads: list[tuple[float, float, int, bool]] = []  # (at, seconds, events seen, note shown)
        failures: list[str] = []
        stop = threading.Event()

        def read_loop() -> None:
            while not stop.is_set():
                at = time.perf_counter()
                if db.exists():
                    try:
                        note = extraction_note(db)
                        with read_connection(db, READ_WAIT_SECONDS) as con:
                            cat = catalog(con)
                            compute_view(con, Filters(), Filters(), None, cat.bounds)
                        reads.append((at - started, time.perf_counter() - at, cat.total, note is not None))
                    except (StoreError, Exception) as err:  # noqa: BLE001 - counted: this is what is measured
                        failures.append(f"{at - started:.1f} s: {type(err).__name__}: {err}")
                stop.wait(1.0)

        reader = threading.Thread(target=read_loop, daemon=True)
        reader.start()

        while extract.poll() is None and not any(r[2] > 0 for r in reads):
            time.sleep(0.5)
        second_at = export_at = time.perf_counter() - started
        t = time.perf_counter()
        waiting = subprocess.Popen([EVENTS, "extract", str(second), "--db", str(db), "-q"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        export = subprocess.run([EVENTS, "export", "--db", str(db), "--format", "jsonl", "--out",
                                 str(folder / "export.jsonl")], capture_output=True, text=True)
        export_seconds = time.perf_counter() - t
        exported = sum(1 for _ in (folder / "export.jsonl").open()) if export.returncode == 0 else 0
        export_during = extract.poll() is None
        first_out, first_err = extract.communicate()
        first_seconds = time.perf_counter() - started
        second_out, second_err = waiting.communicate()
        second_seconds = time.perf_counter() - t
        stop.set()
        reader.join()

        latencies = sorted(r[1] for r in reads)
        print(f"first extract: {args.articles:,} articles, exit {extract.returncode}, {first_seconds:.0f} s "
              f"({args.articles / first_seconds:.1f} articles/s): {first_out.strip()}")
        print(f"reads during it: {len(reads)} ok, {len(failures)} failed; latency median "
              f"{latencies[len(latencies) // 2] * 1000:.0f} ms, worst {latencies[-1] * 1000:.0f} ms; "
              f"events seen grew {min(r[2] for r in reads):,} -> {max(r[2] for r in reads):,}; "
              f"note shown on {sum(r[3] for r in reads)} reads" if reads else "no reads")
        for failure in failures[:5]:
            print("  read failed at " + failure)
        print(f"export at {export_at:.0f} s ({'during' if export_during else 'AFTER'} the first extract): "
              f"exit {export.returncode}, {export_seconds:.1f} s, {exported:,} events"
              + (f" ({export.stderr.strip()})" if export.returncode else ""))
        print(f"second extract started at {second_at:.0f} s: exit {waiting.returncode}, {second_seconds:.0f} s "
              f"in all: {second_out.strip()}")
        print(f"  it said: {second_err.strip()[:300]}")
        ok = extract.returncode == 0 and waiting.returncode == 0 and export.returncode == 0 and not failures
        print("all succeeded" if ok else "SOMETHING FAILED")
        if first_err.strip():
            print(f"first extract stderr: {first_err.strip()[:500]}")


if __name__ == "__main__":
    main()
