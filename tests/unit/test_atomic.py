"""Atomic writes (redactor/atomic.py) give files the mode a plain write would, and follow
links: a release copy others may read, a step summary appended through its link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import redactor.atomic as atomic
from redactor.atomic import remove_stale, write_all, write_trees

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


def test_a_run_that_finds_its_folder_filled_meanwhile_writes_nothing(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:
    """Two runs into the same empty -o: the one that renames its tree second must not
    overwrite (or mix into) the first one's release."""
    out = tmp_path / "out"
    out.mkdir()
    real = atomic._stage_tree

    def other_run_finishes_first(root: Path, members: dict[Path, bytes]) -> Path:
        (root / "theirs.txt").write_text("the other run's copy")
        return real(root, members)

    monkeypatch.setattr(atomic, "_stage_tree", other_run_finishes_first)
    with pytest.raises(OSError):
        write_trees({out / "a.txt": b"mine"}, [out])
    assert [p.name for p in out.iterdir()] == ["theirs.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_only_a_dead_runs_leftovers_are_removed(tmp_path: Path) -> None:
    dead = 2 ** 22 + 12345  # above Linux's default pid_max: no such process
    for name in (f".out.redactor-{dead}-abc", f".a.txt.redactor-{dead}-x.tmp"):
        (tmp_path / name).mkdir() if name.startswith(".out") else (tmp_path / name).write_text("")
    mine = tmp_path / f".out.redactor-{os.getpid()}-def"
    mine.mkdir()
    kept = [tmp_path / ".redactor-baseline.json", tmp_path / ".notes.redactor-x"]
    for path in kept:
        path.write_text("")
    remove_stale({tmp_path})
    assert sorted(tmp_path.iterdir()) == sorted([mine, *kept])
