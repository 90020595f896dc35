"""kill -9 an extraction mid-run, during extraction and during clustering; a re-run must give the clean run's ids.

    .venv/bin/python scripts/kill_test.py --articles 1000

Builds a corpus of real news (as `scripts/bench_extract.py` does), extracts
it once undisturbed into a clean database, then for each phase runs the
same extraction into a fresh database, watches its status file
(`<db>.extracting`, `events.store.runlock`) and kills the whole process group
(the extractor and its workers) with SIGKILL as soon as the phase is seen
(extraction: after `--after` articles are stored). The same command then
runs again to the end. Its (event_id, cluster_id) pairs must equal the
clean run's exactly. Prints one line per phase and exits 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import SHARED, build_corpus, real_articles  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVENTS = str(ROOT / ".venv" / "bin" / "events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--after", type=int, default=400, help="kill during extraction once this many are stored")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    from events.store.runlock import lock_path, read_status

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(a) + "\n" for a in build_corpus(real_articles(args.shared), args.articles)),
                          encoding="utf-8")
        clean_db = folder / "clean.duckdb"
        subprocess.run([EVENTS, "extract", str(corpus), "--db", str(clean_db), "-q"], check=True, capture_output=True)
        clean = _ids(clean_db)
        print(f"clean run: {len(clean):,} events, {len({c for _, c in clean if c}):,} clusters")
        failed = False
        for phase in ("extracting", "clustering"):
            db = folder / f"killed-{phase}.duckdb"
            child = subprocess.Popen([EVENTS, "extract", str(corpus), "--db", str(db), "-q"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            seen = None
            while child.poll() is None:
                status = read_status(lock_path(db))
                if status and status.phase == phase and (phase != "extracting" or status.stored >= args.after):
                    os.killpg(child.pid, signal.SIGKILL)
                    seen = status
                    break
                time.sleep(0.002)
            child.wait()
            if seen is None:
                print(f"{phase}: the run ended before the phase was seen; not killed (try more articles)")
                failed = True
                continue
            stored = _ids(db) if db.exists() else set()
            rerun = subprocess.run([EVENTS, "extract", str(corpus), "--db", str(db), "-q"], capture_output=True,
                                   text=True)
            after = _ids(db)
            same = after == clean
            failed = failed or not same or rerun.returncode != 0
            print(f"{phase}: killed with {seen.stored:,} articles stored ({len(stored):,} events in the file); "
                  f"re-run exit {rerun.returncode}: {rerun.stdout.strip()}; "
                  f"(event_id, cluster_id) pairs {'identical to' if same else 'DIFFERENT from'} the clean run's"
                  + ("" if same else f" ({len(after - clean)} extra, {len(clean - after)} missing)"))
    sys.exit(1 if failed else 0)


def _ids(db: Path) -> set[tuple[str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("SELECT event_id, cluster_id FROM events").fetchall())


if __name__ == "__main__":
    main()
