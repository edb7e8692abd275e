"""A time limit on checking one document (`--timeout`).

A policy's regular expression that backtracks catastrophically (`(a|aa)+$` on a long line of
`a`s) would otherwise hang a run for hours; so would a document far larger than the time a
run allows. Past the limit, the work is interrupted and the run stops with exit 2, naming the
document: never a pass, never a hang.

The limit is a SIGALRM timer, so it holds in the main thread of a process on a POSIX system
(where every document is checked: the CLI's process or a worker's). Python's regular
expression engine checks for signals while it backtracks, so the timer interrupts it. Elsewhere
(another thread, Windows) there is no limit. A timer that was already running (an outer limit,
a test runner's) is put back, less the time spent, when the block ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_TIMEOUT = 60.0  # seconds a document; Presidio's own regex timeout is 60 s too
# A document gets DEFAULT_TIMEOUT (or --timeout) seconds for every this many characters, and
# at least that once. A check reads 16,000 to 44,000 characters a second on this project's
# machine (a 5 MB document took 318 s), so this is four to ten times what a document needs;
# a catastrophic pattern needs far more than that.
TIMEOUT_CHARS = 100_000
MAX_TIMEOUT = 7 * 24 * 3600.0  # a week: past this, say 0 for no limit


class TimeLimitExceeded(BaseException):
    """Raised inside the interrupted work. A BaseException, like KeyboardInterrupt, so that
    no `except Exception` on the way (ours, spaCy's, Presidio's) can swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)  # args hold the seconds, so that it pickles
        self.seconds = seconds

    def __str__(self) -> str:
        return f"time limit of {self.seconds:g} s exceeded"


def can_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the enclosed work after `seconds` (0: no limit)."""
    if seconds <= 0 or not can_limit():
        yield
        return
    armed = [True]  # the handler raises only while the block runs, never in its clean-up

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed[0]:
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    outer = 0.0
    try:
        outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:
            armed[0] = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if outer > 0:  # someone else's timer: give it back what is left of it
                left = outer - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))
