"""A time budget for one article: past it, the article's extraction is interrupted.

Why two mechanisms behind one context manager:

- In a process's main thread (every worker of the local pool, and
  `events extract` running in-process) a `signal.setitimer` alarm raises
  from the SIGALRM handler. It costs nothing per article
  and interrupts any Python code; the timer is disarmed and the previous
  handler restored on the way out, so nothing outlives the article.
- Elsewhere (the dashboard runs extraction in a Streamlit script thread,
  a Dask worker runs its tasks in a thread pool, and signals only reach a
  main thread) one watchdog thread per process raises inside the extracting
  thread through `PyThreadState_SetAsyncExc`. A block only registers its
  deadline with it and removes it on the way out; if it fires just as the
  block ends, the pending exception is cleared. A `threading.Timer` per
  article did the same, but starting and joining a thread for every article
  cost about 0.15 ms of CPU and, on a loaded machine, 2 ms of wall time.

Both only act between Python bytecodes: a single C call that never returns
(a regular expression gone catastrophic) is not interrupted. The stages use
linear patterns over sentences capped in length (`events.text.sentences`), so
no such call is known; the local pool's parent keeps a last-resort limit
on top (`events.runner`): a chunk that overruns every article's budget gets
its worker pool replaced.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from events.errors import ArticleTimeout


class _Expired(BaseException):
    """Raised inside the block when the budget runs out.

    A BaseException, so that no `except Exception` (or `except ValueError`)
    inside a stage can swallow it and run on unbounded; `time_limit` turns it
    into the documented ArticleTimeout as it leaves the block.
    """


@contextmanager
def time_limit(seconds: float | None, what: str) -> Iterator[None]:
    """Run the block with at most `seconds` of wall time; ArticleTimeout names `what` past it."""
    if not seconds or seconds <= 0:
        yield
        return
    message = f"{what}: over the {seconds:g} s time budget (--article-timeout); skipped"
    try:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            with _alarm(seconds, message):
                yield
        else:
            with _watchdog(seconds, message):
                yield
    except _Expired:
        raise ArticleTimeout(message) from None


@contextmanager
def _alarm(seconds: float, message: str) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise _Expired(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog(seconds: float, message: str) -> Iterator[None]:
    class Expired(_Expired):  # raised by class, without arguments: the message comes from here
        def __init__(self) -> None:
            super().__init__(message)

    thread_id = threading.get_ident()
    entry = _WATCHDOG.add(time.monotonic() + seconds, thread_id, Expired)
    try:
        yield
    finally:
        if _WATCHDOG.remove(entry):  # fired as the block ended: take back the exception not yet raised
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)


class _Deadline:
    """One block's registration: when it expires, in which thread, what to raise, whether it was raised."""

    __slots__ = ("at", "thread_id", "raise_", "fired")

    def __init__(self, at: float, thread_id: int, raise_: type[BaseException]) -> None:
        self.at, self.thread_id, self.raise_, self.fired = at, thread_id, raise_, False


class _Watchdog:
    """The deadlines of the blocks running off the main thread, and the one daemon thread that enforces them.

    Registering costs a lock and, only when the new deadline is the earliest,
    a wake-up: a thread extracting article after article adds deadlines that
    are each later than the last, so the watchdog sleeps until the earliest
    one it knows, finds it gone, and sleeps again.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._entries: set[_Deadline] = set()
        self._wake_at: float | None = None  # when the watchdog thread wakes next; None: asleep until told
        self._thread: threading.Thread | None = None

    def add(self, at: float, thread_id: int, raise_: type[BaseException]) -> _Deadline:
        entry = _Deadline(at, thread_id, raise_)
        with self._cond:
            self._entries.add(entry)
            if self._thread is None or not self._thread.is_alive():  # none yet, or a forked child's copy
                self._thread = threading.Thread(target=self._run, daemon=True, name="events-time-budget")
                self._wake_at = None
                self._thread.start()
            if self._wake_at is None or at < self._wake_at:
                self._cond.notify()
        return entry

    def remove(self, entry: _Deadline) -> bool:
        """Forget `entry`; True if it fired (its exception may still be pending in its thread)."""
        with self._cond:
            self._entries.discard(entry)
            return entry.fired

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for entry in self._entries:
                    if not entry.fired and entry.at <= now:
                        entry.fired = True
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(entry.thread_id), ctypes.py_object(entry.raise_))
                waiting = [e.at for e in self._entries if not e.fired]
                self._wake_at = min(waiting) if waiting else None
                self._cond.wait(None if self._wake_at is None else self._wake_at - now)


_WATCHDOG = _Watchdog()  # per process, like the signal handlers the main thread's alarm uses
