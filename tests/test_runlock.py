"""`events.store.runlock`: extractions take turns, and readers can tell one is running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from events.store.runlock import ExtractionLock, running

HOLDER = """
import sys, time
from pathlib import Path
from events.store.runlock import ExtractionLock
with ExtractionLock(Path(sys.argv[1])) as lock:
    lock.update(400)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    Path(sys.argv[1] + ".leaving").touch()  # the last thing done while holding the lock
"""


def test_no_extraction_runs_on_a_fresh_database(tmp_path):
    assert running(tmp_path / "e.duckdb") is None


def test_a_second_extraction_waits_for_the_first_and_says_for_what(tmp_path):
    db = tmp_path / "e.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "1.5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        status = running(db)
        assert status is not None and status.pid == holder.pid and status.stored == 400
        said: list[str] = []
        with ExtractionLock(db, on_wait=said.append):
            assert Path(f"{db}.leaving").exists()  # we got in only after the first let go
        assert len(said) == 1
        assert said[0].startswith(f"waiting for the extraction by process {holder.pid} (started ")
        assert "400 articles stored so far) to finish" in said[0]
    finally:
        holder.kill()
        holder.wait()
    assert running(db) is None


def test_a_killed_extraction_leaves_no_stale_lock(tmp_path):
    db = tmp_path / "e.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "60"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()  # SIGKILL: no cleanup runs
    holder.wait()
    said: list[str] = []
    with ExtractionLock(db, on_wait=said.append):
        pass
    assert said == [] and running(db) is None
