"""Which files a run covers. A folder is walked (hidden and VCS folders skipped); every file in
it that is not a supported text document is reported as an error, never skipped silently."""

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
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            found.append(Target(path, str(path), path.suffix.lower() not in TEXT_SUFFIXES))
    return found
