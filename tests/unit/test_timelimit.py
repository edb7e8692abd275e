"""--timeout (redactor/timelimit.py): a policy pattern that backtracks catastrophically stops
the run with exit 2 and the document's name, in this process and in workers; nothing is
written; without it, a run would hang."""

from __future__ import annotations

import pickle
import re
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, write

from redactor.timelimit import TimeLimitExceeded, can_limit, time_limit

pytestmark = pytest.mark.skipif(not can_limit(), reason="the time limit needs SIGALRM")

# `(a|aa)+!$` tries every way of splitting a run of a's into a and aa before failing.
HOSTILE_POLICY = """\
name: hostile
extends: [default]
markings:
  - id: slow-stamp
    where: [phrase]
    patterns:
      - '(a|aa)+!$'
"""
SLOW_LINE = "a" * 36 + "\n"  # about 5 s a search here, far more for all of a line


def test_a_backtracking_match_is_interrupted() -> None:
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.3):
        re.search(r"(a|aa)+!$", SLOW_LINE)
    assert time.monotonic() - started < 3


def test_no_limit_and_the_previous_handler_restored() -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("not expected")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with time_limit(0):  # 0: no limit, no timer
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with time_limit(5):
            assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_a_limit_is_not_swallowed_by_except_exception() -> None:
    # suppress(Exception): what a library on the way might do with errors
    with pytest.raises(TimeLimitExceeded), time_limit(0.2), suppress(Exception):
        re.search(r"(a|aa)+!$", SLOW_LINE)


def _hostile(cwd: Path) -> Path:
    write(cwd / "docs" / "a.txt", MEMO + SLOW_LINE)
    write(cwd / "docs" / "b.txt", "The reading room opens at nine.\n" + SLOW_LINE)
    return write(cwd / "hostile.yaml", HOSTILE_POLICY)


def test_check_stops_with_the_document_named(run_cli: Any, cwd_tmp: Path) -> None:
    policy = _hostile(cwd_tmp)
    started = time.monotonic()
    result = run_cli("check", "docs", "--policy", policy, "--timeout", "1", "--no-cache",
                     "--jobs", "1", "--format", "json", "-o", "report.json")
    assert result.exit_code == 2
    assert "docs/a.txt" in result.stderr and "time limit of 1 s" in result.stderr
    assert "--timeout" in result.stderr
    assert not (cwd_tmp / "report.json").exists()
    assert time.monotonic() - started < 30


def test_redact_writes_nothing(run_cli: Any, cwd_tmp: Path) -> None:
    policy = _hostile(cwd_tmp)
    result = run_cli("redact", "docs", "-o", "out", "--policy", policy, "--timeout", "1")
    assert result.exit_code == 2
    assert "time limit" in result.stderr and "nothing was written" in result.stderr
    assert not (cwd_tmp / "out").exists()


def test_the_limit_holds_in_worker_processes(tmp_path: Path) -> None:
    policy = _hostile(tmp_path)
    for i in range(3):
        write(tmp_path / "docs" / f"more{i}.txt", f"Note {i}.\n" + SLOW_LINE)
    done = subprocess.run([sys.executable, "-m", "redactor", "check", "docs", "--policy",
                           str(policy), "--timeout", "1", "--no-cache", "--jobs", "2"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert "time limit of 1 s" in done.stderr and "docs/" in done.stderr


def test_an_outer_timer_is_given_back_what_is_left() -> None:
    with pytest.raises(TimeLimitExceeded), time_limit(0.5):
        with time_limit(10):
            pass  # ends at once: the outer half second must still hold
        time.sleep(3)


def test_the_handler_is_put_back_whenever_the_timer_fires() -> None:
    # The timer may fire as the block ends, inside its clean-up: the previous handler must
    # come back all the same, and a block that ended is not reported late.
    previous = signal.getsignal(signal.SIGALRM)
    for _ in range(2000):
        try:
            with time_limit(0.00002):
                sum(range(50))
        except TimeLimitExceeded:
            pass
        assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_exception_survives_pickling() -> None:  # as it would from a worker
    again = pickle.loads(pickle.dumps(TimeLimitExceeded(2.5)))
    assert again.seconds == 2.5 and "2.5 s" in str(again)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e300"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(run_cli: Any, cwd_tmp: Path,
                                                              value: str) -> None:
    write(cwd_tmp / "memo.txt", MEMO)
    result = run_cli("check", "memo.txt", "--timeout", value)
    assert result.exit_code == 2 and "--timeout" in result.stderr


def test_the_time_allowed_grows_with_the_text(engine: Any) -> None:
    from helpers import make_doc

    from redactor.engine import Engine
    from redactor.options import CheckOptions

    limited = Engine(engine.policy, CheckOptions(timeout=60), engine.models)
    small, large = make_doc("a" * 10_000), make_doc("a" * 250_000)
    assert limited.time_allowed([small]) == 60
    assert limited.time_allowed([large]) == 150
    assert limited.time_allowed([small, large]) == 210
