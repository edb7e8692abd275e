"""The runner (redactor/run.py): results in input order, the same with workers as without,
one document's failure is its own error result, a dead worker stops the run (exit 2), and the
model's batched pass (Engine.prime) changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, make_doc, write

from redactor.engine import Engine, EnginePool
from redactor.errors import RedactorError
from redactor.model import Document, Verdict
from redactor.options import CheckOptions
from redactor.run import check_paths, show_progress

# Fixture documents written for these tests (invented people and places).
MEMO = """Subject: harbour visit

1. Deputy Minister Ilse Marrow met Ambassador Teodor Vantic on Tuesday.
2. The minutes were sent to J. Pelloway (jpelloway@example.org) the next day.
"""
NOTICE = "The reading room opens at nine on weekdays. Nothing here names anyone.\n"
CABLE = """UNCLAS SECTION 01 OF 01 HARBORTOWN 000123

SENSITIVE
SIPDIS

E.O. 12958: N/A
TAGS: PGOV, PREL
SUBJECT: (SBU) MAYOR ORSOLYA KESTREL ON THE PORT TENDER

1. (SBU) Mayor Orsolya Kestrel told us the tender would reopen.
2. (U) Comment: Kestrel expects no objection. End comment.

WEBBERLY
"""


def folder_of_documents(root: Path) -> Path:
    docs = root / "docs"
    write(docs / "a-memo.txt", MEMO)
    write(docs / "b-notice.txt", NOTICE)
    write(docs / "c-cable.txt", CABLE)
    write(docs / "d-empty.txt", "")
    write(docs / "e-image.png", "not really an image")
    write(docs / ".hidden.txt", NOTICE)
    write(docs / "f-memo-copy.md", MEMO.replace("Tuesday", "Friday"))
    return docs


def test_results_come_in_input_order_with_errors_and_skips_in_place(
        cwd_tmp: Path, shared_analyzer: object) -> None:
    docs = folder_of_documents(cwd_tmp)
    options = CheckOptions(max_bytes=1_000_000)
    results, policy_of = check_paths((str(docs), str(cwd_tmp / "missing.txt")), options, jobs=1)
    names = [Path(r.path).name for r in results]
    assert names == [".hidden.txt", "a-memo.txt", "b-notice.txt", "c-cable.txt", "d-empty.txt",
                     "e-image.png", "f-memo-copy.md", "missing.txt"]
    verdicts = [r.verdict for r in results]
    assert verdicts[0] is Verdict.SKIPPED
    assert verdicts[4] is Verdict.ERROR and results[4].error is not None
    assert results[4].error.code == "empty"
    assert verdicts[5] is Verdict.ERROR and verdicts[7] is Verdict.ERROR
    assert verdicts[1] is Verdict.REDACT and verdicts[2] is Verdict.RELEASABLE
    assert set(policy_of) >= {str(docs / "a-memo.txt"), str(docs / "c-cable.txt")}


def test_a_failure_in_one_document_is_that_documents_error(
        cwd_tmp: Path, shared_analyzer: object, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = folder_of_documents(cwd_tmp)
    original = Engine.check

    def fragile(self: Engine, document: Document) -> Any:
        if "Kestrel" in document.text:
            raise ValueError("boom: Orsolya Kestrel")
        return original(self, document)

    monkeypatch.setattr(Engine, "check", fragile)
    results, _ = check_paths((str(docs),), CheckOptions(max_bytes=1_000_000), jobs=1)
    by_name = {Path(r.path).name: r for r in results}
    error = by_name["c-cable.txt"].error
    assert error is not None and error.code == "internal" and "Kestrel" not in error.message
    assert by_name["a-memo.txt"].verdict is Verdict.REDACT


def test_the_batched_model_pass_changes_nothing(engine: Engine) -> None:
    documents = [make_doc(MEMO, "a.txt"), make_doc(CABLE, "b.txt"), make_doc(NOTICE, "c.txt")]
    alone = [engine.check(d) for d in documents]
    engine.prime(documents)
    try:
        assert engine.pipeline.detector("entities")._primed, "the batch was not used"
        batched = [engine.check(d) for d in documents]
    finally:
        engine.prime([])
    assert batched == alone


class DyingWorker(CheckOptions):
    """Options that kill the worker process they are sent to (a worker unpickles them)."""

    def __setstate__(self, state: dict[str, object]) -> None:
        if os.environ.get("REDACTOR_TEST_PARENT") != str(os.getpid()):
            os._exit(3)
        self.__dict__.update(state)


def test_a_dead_worker_stops_the_run(cwd_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = folder_of_documents(cwd_tmp)
    monkeypatch.setenv("REDACTOR_TEST_PARENT", str(os.getpid()))
    monkeypatch.setattr(sys, "path", [str(Path(__file__).parent), *sys.path])
    options = DyingWorker(max_bytes=1_000_000)
    with pytest.raises(RedactorError) as raised:
        check_paths((str(docs),), options, jobs=2, engines=EnginePool())
    assert raised.value.code == "worker"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(cwd), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "redactor", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env=env)


def test_two_worker_processes_give_the_same_report_as_one(tmp_path: Path) -> None:
    docs = folder_of_documents(tmp_path)
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        done = run("check", docs, "--jobs", jobs, "--no-cache", "--format", "json", "-o", out,
                   cwd=tmp_path)
        assert done.returncode == 2, done.stderr  # the empty file and the image are errors
        assert "checking" not in done.stderr  # no progress bar without a terminal
        reports[jobs] = json.loads(out.read_text())
    assert reports["1"] == reports["2"]
    assert not (tmp_path / ".redactor_cache").exists()
    for attempt in ("fill", "hit"):  # the workers read and write the cache
        out = tmp_path / f"report-{attempt}.json"
        done = run("check", docs, "--jobs", "2", "--format", "json", "-o", out, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert json.loads(out.read_text()) == reports["1"]
    assert len(list((tmp_path / ".redactor_cache").rglob("*.json"))) == 4


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.delenv("CI", raising=False)
    assert show_progress()
    monkeypatch.setenv("CI", "true")
    assert not show_progress()
    monkeypatch.setattr(sys, "stderr", open(os.devnull, "w"))  # noqa: SIM115
    monkeypatch.delenv("CI")
    assert not show_progress()


def test_a_copy_redact_could_not_make_is_the_documents_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_analyzer: object) -> None:
    # check re-checks the copy redact would write (issue 13); when redact would refuse to
    # write it, check cannot report the document as releasable after redaction.
    import redactor.run as run

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise RedactorError("memo.txt", "the redacted copy still had findings after 6 rounds",
                            "Nothing was written.", code="no-convergence")

    monkeypatch.setattr(run, "redact", refuse)
    memo = write(tmp_path / "memo.txt", "Minister Marta Kellingworth met the press.\n")
    [result], _ = check_paths((str(memo),), CheckOptions(), jobs=1)
    assert result.plan is None and result.error is not None
    assert result.error.code == "no-convergence"
    assert "redact could not make the copy" in result.error.message
