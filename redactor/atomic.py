"""Outputs are written whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

# Temporary names carry this and the writing process's PID (`.NAME.redactor-PID-…`), so that a
# later run can tell a dead run's leftovers from a live run's files (remove_stale).
_MARK = ".redactor-"


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
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}{_MARK}{os.getpid()}-", suffix=".tmp",
                                    dir=target.parent)
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


def write_trees(files: dict[Path, bytes], roots: list[Path]) -> None:
    """Write several files of which some make up whole new folders (`roots`: a folder run's
    mirror trees, the copies' last): each new folder is built beside its place under a hidden
    name and renamed into place in one step, so that a run killed at any point leaves the
    folder whole or not there at all (a hidden `.NAME.redactor-PID-*` folder may be left,
    never a partial release, and the next run into the same place removes it). A root that
    exists with something in it cannot be swapped in one step: its files are written as
    write_all writes them. The other files go first."""
    new_roots = [r for r in roots if not r.exists() or (r.is_dir() and not any(r.iterdir()))]
    by_root: dict[Path, dict[Path, bytes]] = {r: {} for r in new_roots}
    rest: dict[Path, bytes] = {}
    for target, data in files.items():
        root = next((r for r in new_roots if target.is_relative_to(r)), None)
        (by_root[root] if root is not None else rest)[target] = data
    # Only where this run writes in place: a new root's own folders do not exist yet.
    remove_stale({t.parent for t in rest} | {r.parent for r in roots})
    staged: list[tuple[Path, Path]] = []
    try:
        for root, members in by_root.items():
            if members:
                staged.append((_stage_tree(root, members), root))
        for folder in sorted({t.parent for t in rest}):
            folder.mkdir(parents=True, exist_ok=True)
        write_all(rest)
        for stage, root in staged:
            if root.is_dir():
                root.rmdir()  # empty (checked above)
            root.parent.mkdir(parents=True, exist_ok=True)
            os.rename(stage, root)
    except BaseException:
        for stage, _ in staged:
            _remove_tree(stage)
        raise


def _stage_tree(root: Path, members: dict[Path, bytes]) -> Path:
    root.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{root.name}{_MARK}{os.getpid()}-", dir=root.parent))
    os.chmod(stage, 0o777 & ~_umask())
    mode = _new_file_mode()
    for target, data in members.items():
        placed = stage / target.relative_to(root)
        placed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(_stage(placed, data, mode), placed)
    return stage


def remove_stale(folders: set[Path]) -> None:
    """Remove what a killed run left in these folders: its hidden temporary files and staged
    trees (`.NAME.redactor-PID-…`), where process PID is no longer running. A live run's
    are left alone, so two runs side by side do not take each other's files away."""
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in folder.iterdir():
                pid = _owner(entry.name)
                if pid is not None and not _running(pid):
                    if entry.is_dir() and not entry.is_symlink():
                        _remove_tree(entry)
                    else:
                        with contextlib.suppress(FileNotFoundError):
                            entry.unlink()


def _owner(name: str) -> int | None:
    """The PID in a temporary name this module made, if it is one."""
    if not name.startswith(".") or _MARK not in name:
        return None
    pid, dash, _ = name.rpartition(_MARK)[2].partition("-")
    return int(pid) if dash and pid.isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        pass
    return True


def _umask() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
