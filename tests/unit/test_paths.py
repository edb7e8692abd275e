"""Which files a run covers: folders, globs, include/exclude (command line and the policy's
`files:` section), hidden, version-control and dependency folders, unreadable documents."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import report_of

from redactor.errors import PolicyError, UsageError
from redactor.paths import Scope, collect, policy_files
from redactor.policy import load_policy

CLEAN = "The meeting was held on Tuesday. Nothing else to report.\n"


def tree(root: Path, *names: str) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CLEAN, encoding="utf-8")
    return root


def shown(targets: list[Any], root: Path) -> dict[str, str | None]:
    """Each target relative to root (posix) → why it is skipped (None: checked)."""
    out = {}
    for t in targets:
        key = t.path.relative_to(root).as_posix() if t.path.is_absolute() else \
            Path(t.display).as_posix()
        out[key] = t.skipped
    return out


@pytest.fixture
def docs(cwd_tmp: Path) -> Path:
    return tree(cwd_tmp / "docs", "a.txt", "b.md", "drafts/c.txt", "drafts/keep.txt",
                "sub/deep/d.txt", "sub/deep/e.draft.txt", "build/out.txt",
                ".git/HEAD.txt", ".hidden.txt", "node_modules/pkg/readme.md",
                "__pycache__/x.txt", "CVS/entries.txt")


def test_folder_skips_hidden_vcs_and_dependency_folders_and_reports_them(docs: Path) -> None:
    got = shown(collect(["docs"]), Path.cwd())
    assert got == {
        "docs/.git": "hidden folder",
        "docs/CVS": "version-control folder",
        "docs/__pycache__": "cache folder",
        "docs/node_modules": "dependency folder",
        "docs/.hidden.txt": "hidden file",
        "docs/a.txt": None, "docs/b.md": None,
        "docs/build/out.txt": None,
        "docs/drafts/c.txt": None, "docs/drafts/keep.txt": None,
        "docs/sub/deep/d.txt": None, "docs/sub/deep/e.draft.txt": None,
    }


def test_exclude_is_gitignore_style_relative_to_the_folder_given(docs: Path) -> None:
    scope = Scope(exclude=("build/", "*.draft.txt", "/drafts/*", "!/drafts/keep.txt"))
    got = {k: v for k, v in shown(collect(["docs"], scope), Path.cwd()).items()
           if v is None or "exclude" in v}
    assert got == {
        "docs/a.txt": None, "docs/b.md": None,
        "docs/build": "excluded by --exclude 'build/'",  # the folder once, not walked
        "docs/drafts/c.txt": "excluded by --exclude '/drafts/*'",
        "docs/drafts/keep.txt": None,  # negation, as in .gitignore
        "docs/sub/deep/d.txt": None,
        "docs/sub/deep/e.draft.txt": "excluded by --exclude '*.draft.txt'",
    }


def test_include_checks_only_matching_files_and_reports_the_rest(docs: Path) -> None:
    targets = collect(["docs"], Scope(include=("*.md", "sub/**/d.txt")))
    checked = sorted(t.path.as_posix() for t in targets if t.skipped is None)
    assert checked == ["docs/b.md", "docs/sub/deep/d.txt"]
    assert shown(targets, Path.cwd())["docs/a.txt"] == "not matched by any --include pattern"


def test_include_lets_a_mixed_folder_be_checked_without_unsupported_errors(cwd_tmp: Path) -> None:
    tree(cwd_tmp / "site", "index.md", "logo.png")
    unfiltered = {t.path.name: t.unsupported for t in collect(["site"])}
    assert unfiltered == {"index.md": False, "logo.png": True}  # an error result by default
    filtered = collect(["site"], Scope(include=("*.md",)))
    assert [(t.path.name, t.skipped) for t in filtered] == [
        ("index.md", None), ("logo.png", "not matched by any --include pattern")]


def test_glob_is_expanded_by_redactor(docs: Path) -> None:
    targets = collect(["docs/**/*.txt"])
    names = sorted(t.path.as_posix() for t in targets)
    assert "docs/sub/deep/d.txt" in names and "docs/a.txt" in names
    assert not any("/." in n or n.startswith(".") for n in names)  # like a shell: no hidden
    assert not any(n.endswith(".md") for n in names)


def test_glob_matching_nothing_is_a_usage_error(docs: Path) -> None:
    with pytest.raises(UsageError, match="matches no file"):
        collect(["docs/**/*.pdf"])


def test_bad_pattern_is_a_usage_error(docs: Path) -> None:
    with pytest.raises(UsageError, match="gitignore-style"):
        collect(["docs"], Scope(exclude=("!",)))


def test_policy_files_section_is_relative_to_the_policy_folder(docs: Path) -> None:
    (Path.cwd() / ".redactor.yaml").write_text(
        "name: here\nextends: [default]\nfiles:\n  exclude: [docs/build/, '*.draft.txt']\n"
        "  include: ['docs/**']\n", encoding="utf-8")
    targets = collect(["docs"], Scope(files_of=policy_files(None)))
    got = shown(targets, Path.cwd())
    assert got["docs/build"].startswith("excluded by files.exclude 'docs/build/' (")  # type: ignore[union-attr]
    assert ".redactor.yaml:3" in got["docs/build"]  # type: ignore[operator]
    assert got["docs/sub/deep/e.draft.txt"].startswith("excluded by files.exclude")  # type: ignore[union-attr]
    assert got["docs/a.txt"] is None
    # the command line's --include replaces the policy's; excludes add up
    targets = collect(["docs"], Scope(include=("*.md",), exclude=("b.md",),
                                      files_of=policy_files(None)))
    assert [t for t in targets if t.skipped is None] == []


def test_policy_files_section_is_validated_and_shown(tmp_path: Path, run_cli: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfiles:\n  exclud: [a]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown key 'exclud'"):
        load_policy(bad)
    bad.write_text("name: x\nfiles:\n  exclude: ['!']\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"files.exclude\[0\]: not a gitignore-style"):
        load_policy(bad)
    good = tmp_path / "good.yaml"
    good.write_text("name: x\nextends: [default]\nfiles:\n  include: ['*.md']\n"
                    "  exclude: [drafts/]\n", encoding="utf-8")
    loaded = load_policy(good)
    assert loaded.files_scope.include == ("*.md",)
    assert loaded.files_scope.base == str(tmp_path.resolve())
    assert load_policy().files_scope.include == ()  # the built-in packs choose no files
    result = run_cli("policy", "show", good)
    assert result.exit_code == 0
    assert 'include: ["*.md"]' in result.output and 'exclude: ["drafts/"]' in result.output


# ------------------------------------------------------------------------ through `check`

def test_check_reports_excluded_files_as_not_checked(docs: Path, run_cli: Any) -> None:
    result = run_cli("check", "docs", "--exclude", "build/", "--exclude", "*.draft.txt",
                     "--format", "json")
    assert result.exit_code == 0, result.output
    report = report_of(result.stdout)
    skipped = {d["path"]: d["skipped"] for d in report["documents"] if "skipped" in d}
    assert skipped[str(Path("docs/build"))] == "excluded by --exclude 'build/'"
    text = run_cli("check", "docs", "--exclude", "build/").stdout
    assert "not checked (6):" in text and "docs/build: excluded by --exclude 'build/'" in text


def test_check_folder_with_everything_excluded_is_exit_2(docs: Path, run_cli: Any) -> None:
    result = run_cli("check", "docs", "--include", "*.pdf")
    assert result.exit_code == 2
    assert "no documents found" in result.output


def test_check_named_file_excluded_is_only_skipped(docs: Path, run_cli: Any) -> None:
    # what pre-commit does: names files; the config's excludes still apply to them
    result = run_cli("check", "docs/a.txt", "docs/b.md", "--exclude", "*.md")
    assert result.exit_code == 0, result.output
    assert "docs/b.md: excluded by --exclude '*.md'" in result.stdout


def test_check_glob_matching_nothing_is_exit_2(docs: Path, run_cli: Any) -> None:
    result = run_cli("check", "docs/**/*.pdf")
    assert result.exit_code == 2
    assert "matches no file" in result.output
    assert "nothing to check" not in result.output


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root reads any file; permissions differ on Windows")
def test_unreadable_document_is_an_error_never_a_skip(docs: Path, run_cli: Any) -> None:
    locked = docs / "a.txt"
    locked.chmod(0)
    try:
        result = run_cli("check", "docs", "--format", "json")
    finally:
        locked.chmod(0o644)
    assert result.exit_code == 2
    entry = next(d for d in report_of(result.stdout)["documents"] if d["path"].endswith("a.txt"))
    assert "skipped" not in entry and entry["verdict"] == "error"


def test_unreadable_document_as_root_is_still_an_error(docs: Path, run_cli: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can read a chmod-0 file, so simulate the failure at the read itself."""
    original: Callable[..., Any] = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = run_cli("check", "docs", "--format", "json")
    assert result.exit_code == 2
    entry = next(d for d in report_of(result.stdout)["documents"] if d["path"].endswith("a.txt"))
    assert "skipped" not in entry and entry["verdict"] == "error"


def test_a_file_name_that_is_not_utf8_is_escaped_in_reports(run_cli: Any, cwd_tmp: Path) -> None:
    folder = cwd_tmp / "d"
    folder.mkdir()
    try:
        (folder / os.fsdecode(b"caf\xe9.txt")).write_text("Meeting with John Smith.\n")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system takes only UTF-8 names")
    result = run_cli("check", "d", "--format", "json", "-o", "report.json", "--no-cache")
    assert result.exit_code == 1
    report = json.loads((cwd_tmp / "report.json").read_text("utf-8"))
    assert [d["path"] for d in report["documents"]] == ["d/caf\\xe9.txt"]
    assert run_cli("redact", "d", "-o", "out").exit_code == 0
    assert os.listdir(cwd_tmp / "out") == [os.fsdecode(b"caf\xe9.txt")]  # the name as it was
