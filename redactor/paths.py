"""Which files a run covers. A folder is walked in sorted order. Hidden files and folders and
links to folders are not checked, and every one of them is reported as skipped; a file in the
folder that is not a supported text document is an error result, never skipped silently."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})


@dataclass(frozen=True)
class Target:
    path: Path
    display: str
    unsupported: bool = False  # found in a folder, but not a text document
    skipped: str | None = None  # why it is not checked (reported, never silent)


def collect(paths: list[str]) -> list[Target]:
    targets: list[Target] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            targets.extend(_walk(path))
        else:
            targets.append(Target(path, name))  # a named file is checked whatever its suffix
    return targets


def _walk(folder: Path) -> list[Target]:
    found: list[Target] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        for name in sorted(dirs):
            reason = _skip_folder(here / name)
            if reason:
                found.append(Target(here / name, str(here / name), skipped=reason))
        dirs[:] = sorted(d for d in dirs if not _skip_folder(here / d))
        for name in sorted(files):
            path = here / name
            if name.startswith("."):
                found.append(Target(path, str(path), skipped="hidden file"))
            else:
                found.append(Target(path, str(path), path.suffix.lower() not in TEXT_SUFFIXES))
    return found


def _skip_folder(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden folder"
    if path.is_symlink():
        return "link to a folder (not followed)"
    return None
