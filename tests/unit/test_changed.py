"""`check --changed-since REF` in a real temporary git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import report_of

from redactor.changed import changed_files
from redactor.errors import UsageError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CLEAN = "The meeting was held on Tuesday. Nothing else to report.\n"
SECRET = "SECRET\n\n1. (S) The plan is final.\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True, text=True).stdout


def write(path: Path, text: str = CLEAN) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(cwd_tmp: Path) -> Path:
    """main: docs/old.txt, docs/gone.txt, docs/same.txt, other/x.txt; tag `base` on it."""
    git(cwd_tmp, "init", "-q")
    for name in ("docs/old.txt", "docs/gone.txt", "docs/same.txt", "other/x.txt"):
        write(cwd_tmp / name)
    git(cwd_tmp, "add", ".")
    git(cwd_tmp, "commit", "-q", "-m", "base")
    git(cwd_tmp, "tag", "base")
    return cwd_tmp


def names(repo: Path, files: frozenset[Path]) -> list[str]:
    return sorted(p.relative_to(repo.resolve()).as_posix() for p in files)


def test_committed_staged_unstaged_untracked_changes_deleted_not(repo: Path) -> None:
    write(repo / "docs/committed.txt")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    write(repo / "docs/staged.txt")
    git(repo, "add", "docs/staged.txt")
    write(repo / "docs/old.txt", CLEAN + "edited\n")  # unstaged
    write(repo / "docs/new.txt")  # untracked
    write(repo / "docs/ignored.txt")
    write(repo / ".gitignore", "docs/ignored.txt\n")
    git(repo, "rm", "-q", "docs/gone.txt")  # deleted: never checked
    write(repo / "other/y.txt")
    changed = changed_files("base", ["docs"])
    assert names(repo, changed.files) == ["docs/committed.txt", "docs/new.txt", "docs/old.txt",
                                          "docs/staged.txt"]
    assert changed.base == git(repo, "rev-parse", "base").strip()


def test_merge_base_not_the_tip_of_ref(repo: Path) -> None:
    """A change on main after the branch point is not a change of the branch."""
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo / "docs/feature.txt")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feature")
    git(repo, "checkout", "-q", "main")
    write(repo / "docs/main-only.txt")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "main moves on")
    git(repo, "checkout", "-q", "feature")
    assert names(repo, changed_files("main", ["."]).files) == ["docs/feature.txt"]


def test_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "docs/new.txt")
    write(repo / "docs/old.txt", CLEAN + "edited\n")
    monkeypatch.chdir(repo / "docs")
    assert names(repo, changed_files("base", ["."]).files) == ["docs/new.txt", "docs/old.txt"]


@pytest.mark.parametrize("ref", ["no-such-branch", "base~5", "--output=/tmp/x", "HEAD:docs"])
def test_unresolvable_ref_is_a_usage_error(repo: Path, ref: str) -> None:
    with pytest.raises(UsageError) as info:
        changed_files(ref, ["docs"])
    assert "ref" in info.value.message or "resolve" in info.value.message


def test_not_a_git_repository(cwd_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(cwd_tmp.parent))
    with pytest.raises(UsageError, match="not inside a git repository"):
        changed_files("main", ["."])


def test_the_repository_is_found_from_the_checked_path(repo: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "docs/new.txt")
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not a repository: only the path says which one
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.parent))
    assert names(repo, changed_files("base", [str(repo / "docs")]).files) == ["docs/new.txt"]
    with pytest.raises(UsageError, match="not inside a git repository"):
        changed_files("base", [str(elsewhere)])


def test_git_missing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    with pytest.raises(UsageError, match="git is not installed"):
        changed_files("base", ["docs"])


# ------------------------------------------------------------------------ through `check`

def test_check_changed_since_checks_only_changed(repo: Path, run_cli: Any) -> None:
    write(repo / "docs/new.txt", SECRET)
    result = run_cli("check", "docs", "--changed-since", "base", "--format", "json")
    assert result.exit_code == 1, result.output
    checked = [d["path"] for d in report_of(result.stdout)["documents"]]
    assert checked == [str(Path("docs/new.txt"))]


def test_check_nothing_changed_says_so_and_exits_0(repo: Path, run_cli: Any) -> None:
    result = run_cli("check", "docs", "--changed-since", "base")
    assert result.exit_code == 0, result.output
    assert "nothing changed since base" in result.stderr
    assert "no documents found" not in result.output
    assert "0 document(s) checked. Exit code 0" in result.stdout


def test_check_changed_hidden_file_is_reported_not_checked(repo: Path, run_cli: Any) -> None:
    write(repo / "docs/.notes/n.txt", SECRET)
    write(repo / "docs/b.txt")
    result = run_cli("check", "docs", "--changed-since", "base")
    assert result.exit_code == 0, result.output
    assert "docs/.notes: hidden folder" in result.stdout
    assert "docs/same.txt" not in result.stdout


def test_check_changed_since_with_a_glob_and_exclude(repo: Path, run_cli: Any) -> None:
    write(repo / "docs/a.txt", SECRET)
    write(repo / "docs/a.draft.txt", SECRET)
    write(repo / "other/z.txt", SECRET)
    result = run_cli("check", "docs/*.txt", "--changed-since", "base", "--exclude", "*.draft.txt",
                     "--format", "json")
    assert result.exit_code == 1
    documents = report_of(result.stdout)["documents"]
    assert [(d["path"], "skipped" in d) for d in documents] == [
        (str(Path("docs/a.draft.txt")), True), (str(Path("docs/a.txt")), False)]


@pytest.mark.parametrize("ref", ["no-such-branch", "-x"])
def test_check_bad_ref_is_exit_2_never_nothing_to_check(repo: Path, run_cli: Any,
                                                         ref: str) -> None:
    result = run_cli("check", "docs", f"--changed-since={ref}")
    assert result.exit_code == 2
    assert "--changed-since" in result.stderr and "nothing changed" not in result.output


def test_check_changed_since_a_missing_path_is_exit_2(repo: Path, run_cli: Any) -> None:
    result = run_cli("check", "docs/no-such.txt", "--changed-since", "base")
    assert result.exit_code == 2
    assert "no such file" in result.output
