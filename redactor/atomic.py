"""Outputs are written whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_all(files: dict[Path, bytes]) -> None:
    """Write several files so that either all of them appear or none does. A file gets the
    mode a plain write would give it: an existing file keeps its own, a new one follows the
    umask; a link is followed, and the file it points to is replaced."""
    staged: list[tuple[str, Path]] = []
    done: list[Path] = []
    mode = _new_file_mode()
    try:
        for target, data in files.items():
            target = target.resolve() if target.is_symlink() else target
            staged.append((_stage(target, data, _mode_of(target, mode)), target))
        for temp, target in staged:
            os.replace(temp, target)
            done.append(target)
    except BaseException:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        for target in done:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        raise


def _new_file_mode() -> int:
    umask = os.umask(0o022)  # the only way to read it is to set it: put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def _mode_of(target: Path, new: int) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:  # not there yet
        return new


def _stage(target: Path, data: bytes, mode: int) -> str:
    # mkstemp makes the file 0600 whatever the umask: a release copy nobody else could read
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
            os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return temp
