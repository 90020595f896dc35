"""A time budget for one article: past it, the article's extraction is interrupted.

Why two mechanisms behind one context manager:

- In a process's main thread (every worker of the local pool, and
  `events extract` running in-process) a `signal.setitimer` alarm raises
  from the SIGALRM handler. It costs nothing per article
  and interrupts any Python code; the timer is disarmed and the previous
  handler restored on the way out, so nothing outlives the article.
- Elsewhere (the dashboard runs extraction in a Streamlit script thread,
  and signals only reach a main thread) a watchdog `threading.Timer` raises
  inside the extracting thread through
  `PyThreadState_SetAsyncExc`. The timer is cancelled on the way out; if it
  fires just as the block ends, the pending exception is cleared.

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
    thread_id = threading.get_ident()
    fired = threading.Event()
    done = threading.Lock()  # held by the block until it ends; the watchdog fires only while it is held
    done.acquire()

    class Expired(_Expired):  # raised by class, without arguments: the message comes from here
        def __init__(self) -> None:
            super().__init__(message)

    def expire() -> None:
        if done.locked():
            fired.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        done.release()
        timer.cancel()
        timer.join()
        if fired.is_set():  # fired as the block ended: take back the exception not yet raised
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
