"""`--changed-since REF`: the files changed since a git ref.

Changed means: changed in commits since the merge base of REF and HEAD (REF itself when there
is no HEAD yet), plus staged, unstaged and untracked files of the work tree (untracked files
that .gitignore ignores are not). Deleted files are not checked. git runs with argument lists
(never a shell), `--literal-pathspecs` and `--` before paths. An unresolvable ref, a folder
outside a git repository, or no git at all is a usage error (exit 2), never "nothing to check".
The repository is found from the checked path, not from the folder redactor runs in.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redactor.errors import UsageError
from redactor.paths import is_glob

_TIMEOUT = 120  # seconds for one git command


@dataclass(frozen=True)
class Changed:
    ref: str
    commit: str  # what REF resolved to
    base: str  # the commit compared against (the merge base of REF and HEAD)
    files: frozenset[Path]  # resolved paths of the changed files that exist


def changed_files(ref: str, paths: Sequence[str], cwd: Path | None = None) -> Changed:
    """The repository is the one that holds the first path named (a glob: the current
    folder's), wherever redactor runs from."""
    where = cwd if cwd is not None else _folder_of(paths)
    if shutil.which("git") is None:
        raise UsageError("--changed-since", "git is not installed (or not on PATH)",
                         "Install git, or check the whole folder without --changed-since.")
    top = Path(_git(["rev-parse", "--show-toplevel"], where,
                    f"{where} is not inside a git repository",
                    "Check a folder of a repository, or drop --changed-since.").strip())
    if ref.startswith("-"):  # never let a ref be read as an option
        raise UsageError("--changed-since", f"{ref!r} is not a git ref", "Name a branch, "
                         "tag or commit.")
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                  where, f"cannot resolve {ref!r} to a commit",
                  "Check the name; in CI, fetch enough history (actions/checkout with "
                  "fetch-depth: 0) so the ref exists.").strip()
    head = _run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], where)
    base = commit
    if head.returncode == 0:
        merge = _run(["merge-base", commit, head.stdout.strip()], where)
        if merge.returncode == 0 and merge.stdout.strip():
            base = merge.stdout.strip()
    # Globs are expanded by redactor (paths.py): git then looks at the whole repository.
    specs = [] if any(is_glob(p) for p in paths) else [str(Path(p).absolute()) for p in paths]
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", base, "--",
                 *specs], where, "git diff failed", "")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", "--", *specs],
                     where, "git ls-files failed", "")
    # diff names are relative to the top of the repository; ls-files names to `where`.
    diffed = {(top / n) for n in diff.split("\0") if n}
    listed = {(where / n) for n in untracked.split("\0") if n}
    files = frozenset(p.resolve() for p in diffed | listed if p.is_file())
    return Changed(ref, commit, base, files)


def _folder_of(paths: Sequence[str]) -> Path:
    for name in paths:
        if not is_glob(name) and Path(name).exists():
            path = Path(name).absolute()
            return path if path.is_dir() else path.parent
    return Path.cwd()


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "--literal-pathspecs", *args], cwd=cwd,
                              capture_output=True, text=True, encoding="utf-8",
                              errors="surrogateescape", timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError("--changed-since", f"git could not be run ({exc})",
                         "Check the git installation.") from None


def _git(args: list[str], cwd: Path, message: str, hint: str) -> str:
    result = _run(args, cwd)
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        said = f" (git: {detail[-1]})" if detail else ""
        raise UsageError("--changed-since", f"{message}{said}", hint)
    return result.stdout
