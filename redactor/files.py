"""Reading a file that a user names, without hanging on one that is not a file: a FIFO, a
device or a socket opened for reading waits for a writer (or reads forever), so every input,
policy, allow file and log is opened without blocking and read only if it is a regular file,
and never more than its limit."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """A named pipe, device, socket or folder where a file was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EINVAL, "not a regular file (a pipe, device or folder)",
                         str(path))


def read_regular(path: Path, limit: int) -> bytes:
    """Up to limit + 1 bytes of the file (one more than the limit tells the caller it is too
    large). OSError if it cannot be opened or is not a regular file."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(path)
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(descriptor)
