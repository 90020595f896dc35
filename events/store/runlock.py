"""One extraction at a time per database, and a status others can read.

DuckDB allows one writing process per file. `events.store.database` keeps the file
open only while a batch is written, so two extractions could interleave
their batches, but their clustering passes would race and each would
recompute the other's clusters. So extractions take turns: each holds an
exclusive `flock` on `<db>.extracting` for its whole run, and a second one
waits for it, saying what it waits for, instead of failing after 30 s.

The same file carries a one-line JSON status (pid, start, articles stored so
far), which the dashboard shows as "an extraction is running". The kernel
drops the lock when its holder dies, even by kill -9, so a stale file never
blocks anyone: `running` asks the lock, not the file's content.

POSIX only (fcntl); elsewhere extractions do not wait for each other and the
status is not shown.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.5


@dataclass(frozen=True)
class RunStatus:
    """What a running extraction last said about itself."""

    pid: int
    started: str  # ISO time, UTC
    stored: int  # articles stored so far
    updated: str  # ISO time of the last stored batch, UTC
    phase: str = "extracting"  # then "clustering"


def lock_path(db: Path) -> Path:
    return Path(f"{db}.extracting")


class ExtractionLock:
    """Held for a whole extraction run: `with ExtractionLock(db, on_wait): ...`."""

    def __init__(self, db: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.path = lock_path(Path(db))
        self.on_wait = on_wait
        self._file: IO[str] | None = None
        self._started = _now()

    def __enter__(self) -> "ExtractionLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+", encoding="utf-8")
        if fcntl is not None:
            tries = 0
            while True:
                try:
                    fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    tries += 1  # the first miss may be a reader's instant probe (`running`): say nothing yet
                    if tries == 2 and self.on_wait is not None:
                        self.on_wait(_waiting_message(self.path, read_status(self.path)))
                    time.sleep(POLL_SECONDS if tries > 1 else 0.05)
        self._started = _now()
        self.update(0)
        return self

    def update(self, stored: int, phase: str = "extracting") -> None:
        """Say how many articles are stored so far (after each batch), and the phase."""
        if self._file is None:
            return
        status = RunStatus(os.getpid(), self._started, stored, _now(), phase)
        self._file.seek(0)
        self._file.truncate()
        self._file.write(json.dumps(status.__dict__) + "\n")
        self._file.flush()

    def __exit__(self, *exc: object) -> None:
        if self._file is None:
            return
        self._file.seek(0)
        self._file.truncate()  # an empty file: nothing runs (the lock says so too)
        self._file.flush()
        if fcntl is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
        self._file = None


def running(db: Path) -> RunStatus | None:
    """The status of the extraction running on `db`, or None when none runs.

    Asks the lock (a shared, non-blocking try, released at once), so the
    answer is right even after an extraction was killed.
    """
    path = lock_path(Path(db))
    if fcntl is None or not path.exists():
        return None
    try:
        with open(path, encoding="utf-8") as file:
            try:
                fcntl.flock(file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return read_status(path) or RunStatus(0, "", 0, "")
            fcntl.flock(file.fileno(), fcntl.LOCK_UN)
    except OSError:
        return None
    return None


def read_status(path: Path) -> RunStatus | None:
    """The status line of a lock file; None when empty or mid-write."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
        return RunStatus(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def _waiting_message(path: Path, status: RunStatus | None) -> str:
    if status is None or not status.pid:
        return f"waiting for another extraction into the same database to finish ({path})"
    return (
        f"waiting for the extraction by process {status.pid} (started {status.started} UTC, "
        f"{status.stored:,} articles stored so far) to finish; it holds {path}"
    )


def _now() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
