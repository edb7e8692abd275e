"""Outputs are written whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_all(files: dict[Path, bytes]) -> None:
    """Write several files so that either all of them appear or none does."""
    staged: list[tuple[str, Path]] = []
    done: list[Path] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
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


def _stage(target: Path, data: bytes) -> str:
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return temp
