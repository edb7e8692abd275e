"""A time limit on checking one document (`--timeout`).

A policy's regular expression that backtracks catastrophically (`(a|aa)+$` on a long line of
`a`s) would otherwise hang a run for hours; so would a document far larger than the time a
run allows. Past the limit, the work is interrupted and the run stops with exit 2, naming the
document: never a pass, never a hang.

The limit is a SIGALRM timer, so it holds in the main thread of a process on a POSIX system
(where every document is checked: the CLI's process or a worker's). Python's regular
expression engine checks for signals while it backtracks, so the timer interrupts it. Elsewhere
(another thread, Windows) there is no limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_TIMEOUT = 60.0  # seconds a document; Presidio's own regex timeout is 60 s too


class TimeLimitExceeded(BaseException):
    """Raised inside the interrupted work. A BaseException, like KeyboardInterrupt, so that
    no `except Exception` on the way (ours, spaCy's, Presidio's) can swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"time limit of {seconds:g} s exceeded")
        self.seconds = seconds


def can_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the enclosed work after `seconds` (0: no limit)."""
    if seconds <= 0 or not can_limit():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
