"""Atomic writes (redactor/atomic.py) give files the mode a plain write would, and follow
links: a release copy others may read, a step summary appended through its link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from redactor.atomic import write_all

pytestmark = pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_all({tmp_path / "copy.txt": b"x"})
    finally:
        os.umask(old)
    assert mode(tmp_path / "copy.txt") == 0o640


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    target.chmod(0o604)
    write_all({target: b"new"})
    assert target.read_bytes() == b"new" and mode(target) == 0o604


def test_a_link_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "step-summary.md"
    real.write_bytes(b"earlier step\n")
    link = tmp_path / "summary-link.md"
    link.symlink_to(real)
    write_all({link: b"earlier step\nthis step\n"})
    assert link.is_symlink() and real.read_bytes() == b"earlier step\nthis step\n"
