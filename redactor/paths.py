"""Which files a run covers.

A path is a file, a folder or a glob pattern (`docs/**/*.txt`, expanded here, so it works when
quoted and on Windows; a pattern that matches nothing is a usage error, exit 2). A folder is
walked in sorted order. Hidden files and folders, version-control and dependency folders
(`CVS`, `node_modules`, `__pycache__`) and links to folders are not checked, and every one of
them is reported as skipped; a file in the folder that is not a supported text document is an
error result, never skipped silently.

Include and exclude patterns (gitignore-style, from `--include`/`--exclude` and from the
policy's `files:` section) narrow a run; every file or folder they leave out is reported as
skipped with the pattern that left it out. An excluded folder is reported once and not walked.
With `--changed-since`, only the changed files (a set of resolved paths) are kept.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from redactor import formats
from redactor.errors import UsageError
from redactor.model import FileError
from redactor.policy.model import FilesDef

# Folders never walked into (besides hidden ones, which covers .git, .hg, .svn, .bzr): what
# they hold is not the release (version control, installed dependencies, caches).
SKIPPED_FOLDERS = {"CVS": "version-control folder", "_darcs": "version-control folder",
                   "node_modules": "dependency folder", "__pycache__": "cache folder"}
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Target:
    path: Path
    display: str  # how reports name it: see shown()
    unsupported: bool = False  # found in a folder, but not a text document
    skipped: str | None = None  # why it is not checked (reported, never silent)
    error: FileError | None = None  # why it cannot be checked (exit 2)

    def __post_init__(self) -> None:
        object.__setattr__(self, "display", shown(self.display))


def shown(name: str) -> str:
    """A path as reports name it. A file name that is not UTF-8 reaches Python with its bytes
    as lone surrogates, which no UTF-8 report can hold: those bytes are escaped
    (`caf\\xe9.txt`), and every report stays valid UTF-8."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Scope:
    """What narrows a run: command-line patterns, the policy's `files:` section (looked up per
    path, as the policy is), and the changed files of `--changed-since`."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    files_of: Callable[[Path], FilesDef] | None = None
    changed: frozenset[Path] | None = None  # resolved paths; None: every file
    _specs: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = field(
        default_factory=dict, compare=False, repr=False)

    def spec(self, patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
        if patterns not in self._specs:
            self._specs[patterns] = compile_patterns(patterns, "pattern")
        return self._specs[patterns]

    def why_left_out(self, path: Path, relative: str, folder: bool = False) -> str | None:
        """Why `path` (`relative` to the folder given, posix) is left out by a pattern."""
        config = self.files_of(path) if self.files_of else FilesDef()
        name = relative + "/" if folder else relative
        match = self.spec(self.exclude).check_file(name)
        if match.include and match.index is not None:
            return f"excluded by --exclude {self.exclude[match.index]!r}"
        config_name = _relative_to(path, config.base, relative) + ("/" if folder else "")
        match = self.spec(config.exclude).check_file(config_name)
        if match.include and match.index is not None:
            return (f"excluded by files.exclude {config.exclude[match.index]!r} "
                    f"({_origin(config)})")
        if folder:
            return None  # include patterns choose files; folders are always walked
        if config.own and str(path.resolve()) in config.own:
            return "a file of the policy (its YAML or an allow file), not a document"
        if self.include:
            if not self.spec(self.include).match_file(name):
                return "not matched by any --include pattern"
        elif config.include and not self.spec(config.include).match_file(config_name):
            return f"not matched by any files.include pattern ({_origin(config)})"
        return None


def compile_patterns(patterns: tuple[str, ...], what: str) -> pathspec.GitIgnoreSpec:
    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns)
    except ValueError as exc:
        raise UsageError(what, f"not a gitignore-style pattern: {exc}",
                         "See docs/ci.md, Include and exclude.") from None


def collect(paths: list[str], scope: Scope | None = None) -> list[Target]:
    scope = scope or Scope()
    for patterns, option in ((scope.include, "--include"), (scope.exclude, "--exclude")):
        compile_patterns(patterns, option)
    targets: list[Target] = []
    for name in paths:
        for match in expand(name):
            path = Path(match)
            if path.is_dir():
                targets.extend(_walk(path, scope))
            else:  # a named file is checked whatever its suffix
                targets.extend(_file(path, match, _posix(match), scope, named=True))
    return targets


def is_glob(name: str) -> bool:
    return bool(_GLOB_CHARS & set(name)) and not Path(name).exists()


def expand(name: str) -> list[str]:
    """A glob pattern's matches in sorted order (`**` matches any folders); any other name
    as it is. A pattern that matches nothing is a usage error, never 'nothing to check'."""
    if not is_glob(name):
        return [name]
    matches = sorted(glob.glob(name, recursive=True))
    if not matches:
        raise UsageError(name, "the pattern matches no file or folder",
                         "Check the pattern (** matches any folders); redactor expands it "
                         "itself, so it may be quoted.")
    return matches


def _walk(folder: Path, scope: Scope) -> list[Target]:
    found: list[Target] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        kept = []
        for name in sorted(dirs):
            path = here / name
            reason = _skip_folder(path) or scope.why_left_out(
                path, _posix(path.relative_to(folder)), folder=True)
            if not reason:
                kept.append(name)
            elif _holds_changed(path, scope):
                found.append(Target(path, str(path), skipped=reason))
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            outside = _link_outside(path, folder)
            if outside is not None:
                found.append(Target(path, str(path), error=outside))
                continue
            found.extend(_file(path, str(path), _posix(path.relative_to(folder)), scope))
    return found


def _link_outside(path: Path, folder: Path) -> FileError | None:
    """A link in the folder to a file outside it (or to nothing) is never read: a release
    folder would publish whatever it points at (`notes.txt -> /home/me/private.txt`)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return FileError("link", "a link to nothing (dangling or looping)",
                         "Remove the link, or replace it with the file itself.")
    if not target.is_relative_to(folder.resolve()):
        return FileError("link", "a link to a file outside the folder (not followed)",
                         "Copy the file into the folder if it is part of the release, or "
                         "remove the link.")
    return None


def _file(path: Path, display: str, relative: str, scope: Scope,
          named: bool = False) -> list[Target]:
    missing = named and not path.exists()  # a typo stays an error (exit 2), changed or not
    if scope.changed is not None and path.resolve() not in scope.changed and not missing:
        return []
    if path.name.startswith(".") and not named:
        return [Target(path, display, skipped="hidden file")]
    reason = scope.why_left_out(path, relative)
    if reason:
        return [Target(path, display, skipped=reason)]
    unsupported = not named and formats.for_suffix(path) is None
    return [Target(path, display, unsupported)]


def _holds_changed(folder: Path, scope: Scope) -> bool:
    """A skipped folder is reported, unless only changed files are checked and none of them
    is in it (then it is not part of the run at all)."""
    if scope.changed is None:
        return True
    resolved = folder.resolve()
    return any(path.is_relative_to(resolved) for path in scope.changed)


def _skip_folder(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden folder"
    if path.is_symlink():
        return "link to a folder (not followed)"
    if path.name in SKIPPED_FOLDERS:
        return SKIPPED_FOLDERS[path.name]
    return None


def _posix(path: Path | str) -> str:
    text = Path(path).as_posix()
    return text[2:] if text.startswith("./") else text


def _relative_to(path: Path, base: str | None, fallback: str) -> str:
    """`path` relative to the policy's folder when it lies inside it, else as given."""
    if base is None:
        return fallback
    try:
        return _posix(path.resolve().relative_to(base))
    except ValueError:
        return fallback


def _origin(config: FilesDef) -> str:
    return ", ".join(str(o) for o in config.origin) or "the policy"


def policy_files(policy_ref: str | None) -> Callable[[Path], FilesDef]:
    """The `files:` section that applies to a path: of --policy when given, else of the
    nearest .redactor.yaml above the path (as for the policy itself), else none."""
    from redactor.policy.load import ConfigFinder, load_policy

    by_ref: dict[str | None, FilesDef] = {}
    find_config = ConfigFinder()

    def files_of(path: Path) -> FilesDef:
        ref = policy_ref
        if ref is None:
            found = find_config(path)
            ref = str(found) if found else None
        if ref not in by_ref:
            by_ref[ref] = load_policy(ref).files_scope if ref is not None else FilesDef()
        return by_ref[ref]

    return files_of
