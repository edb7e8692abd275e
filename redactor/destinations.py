"""Where a run may write: never over an input, never inside an input folder (a copy there
would be read as an input next time), never two outputs on one file, only into a folder that
exists and can be written, and over an existing file only when asked (`--force`). Checked
before any document is read, so that nothing is written when a destination is wrong."""

from __future__ import annotations

import os
from pathlib import Path

from redactor.errors import UsageError


def refuse_twice(target: Path, what: str, seen: dict[Path, str]) -> None:
    key = target.resolve()
    if key in seen:
        raise UsageError(str(target), f"the {what} is the same file as the {seen[key]}",
                         "Give each output its own path.")
    seen[key] = what


def refuse_overwriting_inputs(target: Path, inputs: tuple[str, ...], what: str) -> None:
    for name in inputs:
        source = Path(name)
        same = target.resolve() == source.resolve() or (
            target.exists() and source.exists() and os.path.samefile(target, source))
        inside = source.is_dir() and target.resolve().is_relative_to(source.resolve())
        if inside and what in ("report", "baseline"):
            # a report or baseline may be written into a checked folder (`check . -o r.json`),
            # but never over a file the run reads: one that exists and is not hidden
            parts = target.resolve().relative_to(source.resolve()).parts
            same = same or (target.is_file() and not any(p.startswith(".") for p in parts))
            inside = False
        if same:
            raise UsageError(str(target), f"the {what} path is the input itself",
                             "Write to another path; redactor never edits its input in place.")
        if inside:
            raise UsageError(str(target), f"the {what} path is inside the input folder "
                             f"{name!r}", "Write outside the folder being read; a copy there "
                             "would be read as an input next time.")


def refuse_links_in_mirror(target: Path, depth: int, what: str) -> None:
    """In a folder run's mirror tree, no folder below the one named on the command line, and
    not the file itself, may be a link (or a dangling one): a copy written through it would
    land outside the release folder. `depth`: how many parts of `target` are the tree's."""
    path = target
    for _ in range(depth):
        if path.is_symlink():
            raise UsageError(str(target), f"the {what} path goes through a link ({path})",
                             "Remove the link from the output folder, or choose another "
                             "folder; a copy is never written through a link.")
        path = path.parent


def check_destination(target: Path, what: str, force: bool,
                       create_folders: bool = False) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if create_folders:  # a folder run creates the mirror tree: check the nearest folder there is
        while not folder.exists() and folder.parent != folder:
            folder = folder.parent
    if not folder.is_dir():
        raise UsageError(str(target), f"the {what} folder {str(folder)!r} does not exist",
                         "Create it first.")
    if not os.access(folder, os.W_OK):
        raise UsageError(str(target), f"the {what} folder {str(folder)!r} is not writable",
                         "Choose a folder you can write to.")
    if target.is_dir():
        raise UsageError(str(target), f"the {what} path is a folder", "Name a file.")
    if target.exists() and not force:
        raise UsageError(str(target), f"the {what} file already exists",
                         "Use --force to overwrite it, or choose another path.")

