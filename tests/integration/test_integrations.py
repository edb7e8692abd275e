"""The CI integrations at the repository root: .pre-commit-hooks.yaml run by the real
`pre-commit` on a temporary repository, and action.yml (inputs only through `env:`, its check
script run as GitHub would run it, exit code preserved, no shell injection through inputs)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO

CLEAN = "The meeting was held on Tuesday. Nothing else to report.\n"
SECRET = "SECRET\n\n1. (S) The plan is final.\n"
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True, text=True).stdout


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def digest(folder: Path) -> dict[str, str]:
    """Every file of the work tree, but git's own and redactor's result cache (which ignores
    itself: it holds a `.gitignore` of `*`, like ruff's)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".git" not in p.parts
            and ".redactor_cache" not in p.parts}


# ------------------------------------------------------------------------------ action.yml

def injection_risks(action: dict[str, Any]) -> list[str]:
    """Every `${{ inputs.* }}` (or any expression at all in a `run:` script) outside an
    `env:` mapping: such a value is pasted into the script before the shell reads it."""
    problems = []

    def walk(node: Any, where: str, under_env: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}", under_env or key == "env")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]", under_env)
        elif isinstance(node, str):
            for expression in EXPRESSION.findall(node):
                if where.endswith(".run"):
                    problems.append(f"{where}: ${{{{{expression}}}}} in a script")
                elif "inputs." in expression and not under_env:
                    problems.append(f"{where}: ${{{{{expression}}}}} outside env:")

    walk(action.get("runs", {}), "runs", False)
    return problems


def load_action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
    return data


def test_action_parses_and_declares_what_docs_promise() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "policy", "fail-on", "args", "changed-since",
                                     "sarif-file"}
    assert set(action["outputs"]) >= {"findings", "sarif-file"}
    run = "\n".join(s.get("run", "") for s in action["runs"]["steps"])
    assert "--sarif-output" in run and "--summary" in run and "ACTION_PATH" in run
    assert all(s.get("shell") == "bash" for s in action["runs"]["steps"] if "run" in s)
    assert not any("upload-sarif" in str(s.get("uses", "")) for s in action["runs"]["steps"])


def test_action_passes_inputs_only_through_env() -> None:
    assert injection_risks(load_action()) == []
    # every declared input is used, and only through env
    used = {m.group(1) for m in re.finditer(r"inputs\.([\w-]+)",
                                            (REPO / "action.yml").read_text("utf-8"))}
    assert used == set(load_action()["inputs"])


def test_the_injection_check_can_fail() -> None:
    bad = {"runs": {"steps": [
        {"run": 'redactor check "${{ inputs.paths }}"'},
        {"uses": "x/y@v1", "with": {"a": "${{ inputs.policy }}"}},
        {"run": "echo", "env": {"P": "${{ inputs.paths }}"}}]}}
    assert injection_risks(bad) == [
        "runs.steps[0].run: ${{ inputs.paths }} in a script",
        "runs.steps[1].with.a: ${{ inputs.policy }} outside env:"]


def test_example_workflow_uploads_sarif_with_the_standard_action() -> None:
    workflow = yaml.safe_load((REPO / "docs" / "github-workflow.yml").read_text("utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "redactor.sarif" and "always()" in upload["if"]
    assert workflow["jobs"]["check"]["permissions"]["security-events"] == "write"
    checkout = next(s for s in steps if "actions/checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0  # --changed-since needs history


@pytest.fixture
def action_script(tmp_path: Path) -> Any:
    """The action's check step, run by bash as GitHub runs it: the inputs in the environment,
    redactor in $RUNNER_TEMP/redactor-venv (here: this interpreter running this checkout)."""
    step = next(s for s in load_action()["runs"]["steps"] if s.get("id") == "check")
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    runner = tmp_path / "runner"
    bin_dir = runner / "redactor-venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    wrapper = bin_dir / "redactor"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m redactor "$@"\n', "utf-8")
    wrapper.chmod(0o755)
    defaults = {f"INPUT_{k.upper().replace('-', '_')}": str(v.get("default", ""))
                for k, v in load_action()["inputs"].items()}

    def run(cwd: Path, **inputs: str) -> tuple[int, dict[str, str], str]:
        output = tmp_path / "github_output"
        output.write_text("", "utf-8")
        env = {**os.environ, **defaults, "RUNNER_TEMP": str(runner),
               "GITHUB_OUTPUT": str(output), "PYTHONPATH": str(REPO),
               # --summary belongs to the outputs work; here the SARIF path is what is tested
               "INPUT_STEP_SUMMARY": "false"}
        env.pop("GITHUB_STEP_SUMMARY", None)
        env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
        done = subprocess.run(["bash", "-e", str(script)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
        outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
        return done.returncode, outputs, done.stdout + done.stderr

    return run


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_script_preserves_exit_code_and_sets_outputs(tmp_path: Path,
                                                            action_script: Any) -> None:
    work = tmp_path / "work"
    write(work / "release" / "ok.txt", CLEAN)
    code, outputs, log = action_script(work, PATHS="release", POLICY="us-classification")
    assert code == 0, log
    assert outputs == {"sarif-file": "redactor.sarif", "findings": "0", "exit-code": "0"}
    write(work / "release" / "bad.txt", SECRET)
    write(work / "release" / "drafts" / "worse.txt", SECRET)
    code, outputs, log = action_script(work, PATHS="release", POLICY="us-classification",
                                       ARGS="--exclude drafts/", SARIF_FILE="out.sarif")
    assert code == 1, log
    assert outputs["exit-code"] == "1" and int(outputs["findings"]) >= 1
    assert outputs["sarif-file"] == "out.sarif" and (work / "out.sarif").is_file()
    assert "drafts: excluded by --exclude 'drafts/'" in log
    code, outputs, log = action_script(work, PATHS="release/**/*.pdf")
    assert code == 2 and outputs["exit-code"] == "2" and "sarif-file" not in outputs


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_inputs_cannot_inject_shell(tmp_path: Path, action_script: Any) -> None:
    work = tmp_path / "work"
    write(work / "ok.txt", CLEAN)
    hostile = "ok.txt $(touch pwned1) `touch pwned2` ; touch pwned3 && touch pwned4 *"
    code, _, log = action_script(work, PATHS=hostile, POLICY="us-classification",
                                 ARGS="$(touch pwned5)")
    assert code == 2, log  # the words are taken as paths and arguments, never run
    assert not list(work.glob("pwned*")) and not list(Path.cwd().glob("pwned*"))


# ---------------------------------------------------------------------------- pre-commit

def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return {hook["id"]: hook for hook in data}


def test_hooks_manifest_is_valid_for_pre_commit() -> None:
    pytest.importorskip("pre_commit")
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(REPO / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    check = hooks()["redactor-check"]
    assert check["entry"] == "redactor check" and check["language"] == "python"
    assert check["types"] == ["text"]
    assert hooks()["redactor-check-folder"]["pass_filenames"] is False


def pre_commit_repo(tmp_path: Path, hook_id: str, args: list[str] | None = None) -> Path:
    """A git repository whose .pre-commit-config.yaml runs the shipped hook `hook_id` as a
    `repo: local` hook: every key of the shipped manifest (files, types, pass_filenames,
    require_serial) except that it runs this interpreter on this checkout instead of a
    virtualenv pre-commit would build from PyPI (the slow test below does that)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    hook = dict(hooks()[hook_id])
    hook["language"] = "system"
    hook["entry"] = f"{sys.executable} -m redactor check"
    if args is not None:
        hook["args"] = args
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    write(repo / ".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))
    git(repo, "add", ".pre-commit-config.yaml")
    return repo


def run_pre_commit(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PYTHONPATH": str(REPO), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


@needs_git
def test_pre_commit_hook_fails_on_a_staged_document_and_modifies_nothing(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo = pre_commit_repo(tmp_path, "redactor-check", ["--policy", "us-classification"])
    write(repo / "docs" / "ok.txt", CLEAN)
    write(repo / "script.py", "print('SECRET')\n")  # text, but not a document: not passed
    git(repo, "add", "docs/ok.txt", "script.py")
    done = run_pre_commit(repo, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    write(repo / "docs" / "memo.md", SECRET)
    git(repo, "add", "docs/memo.md")
    before = digest(repo)
    done = run_pre_commit(repo, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "docs/memo.md" in done.stdout
    assert "files were modified" not in done.stdout
    assert digest(repo) == before
    untracked = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                               cwd=repo, capture_output=True, text=True, check=True).stdout
    assert ".redactor_cache" not in untracked, "the cache ignores itself"

    # as a git hook: the commit is refused
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env,
                   check=True, capture_output=True)
    commit = subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid",
                             "commit", "-q", "-m", "leak"], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=600)
    assert commit.returncode != 0
    assert git(repo, "rev-list", "--all") == ""  # nothing was committed


@needs_git
def test_pre_commit_folder_hook_checks_the_folder(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo = pre_commit_repo(tmp_path, "redactor-check-folder",
                           ["--policy", "us-classification", "--exclude", "drafts/", "release/"])
    write(repo / "release" / "ok.txt", CLEAN)
    write(repo / "release" / "drafts" / "draft.txt", SECRET)  # excluded
    git(repo, "add", ".")
    done = run_pre_commit(repo, tmp_path, "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    write(repo / "release" / "late.txt", SECRET)  # not staged: a folder hook still sees it
    done = run_pre_commit(repo, tmp_path, "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr


@pytest.mark.slow
@needs_git
def test_pre_commit_try_repo_installs_the_hook_from_this_checkout(tmp_path: Path) -> None:
    """The shipped hook exactly as users get it: pre-commit builds a virtualenv and
    pip-installs this repository (and its dependencies, from PyPI) into it. Slow (minutes)."""
    pytest.importorskip("pre_commit")
    if not (REPO / ".git").exists():
        pytest.skip("try-repo needs the checkout to be a git repository")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo / "memo.md", SECRET)
    git(repo, "add", "memo.md")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO),
                           "redactor-check", "--files", "memo.md"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "memo.md" in done.stdout and "Failed" in done.stdout
