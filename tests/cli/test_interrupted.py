"""A folder release killed at any point of its writing leaves the whole release or nothing
that looks like one: the copies' folder is there with every copy, or not there at all (the
logs' folder, written first, likewise). Each run is a real process, killed with SIGKILL at
its n-th file-system write (a file's replace or a folder's rename), for every n."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write

DOC = "UNCLASSIFIED\n\n1. (SBU) The visa review is not final.\n\n2. (U) The port opens.\n"
# Runs redactor's command line with os.replace and os.rename counted; at call KILL_AT the
# process kills itself, as a power cut or `kill -9` would.
RUNNER = """
import os, signal, sys
kill_at = int(os.environ["KILL_AT"])
calls = [0]
def counted(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        with open(os.environ["COUNT_FILE"], "w") as out:
            out.write(str(calls[0]))
        return result
    return call
os.replace, os.rename = counted(os.replace), counted(os.rename)
from redactor.cli import main
sys.argv = ["redactor", *sys.argv[1:]]
main()
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def run(cwd: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KILL_AT": str(kill_at), "COUNT_FILE": str(cwd / "count")}
    return subprocess.run(
        [sys.executable, "-c", RUNNER, "redact", "in", "-o", "out", "--log", "logs",
         "--policy", "state-cable"], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_a_release_killed_at_any_write_is_whole_or_absent(tmp_path: Path) -> None:
    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.txt"):
        write(tmp_path / "in" / name, DOC)
    whole = run(tmp_path, 0)  # never killed: the release, and how many writes it makes
    assert whole.returncode == 0, whole.stderr
    expected = {folder: tree(tmp_path / folder) for folder in ("out", "logs")}
    writes = int((tmp_path / "count").read_text())
    assert len(expected["out"]) == 3 and writes >= 3
    for kill_at in range(1, writes + 1):
        for folder in ("out", "logs", "count"):
            subprocess.run(["rm", "-rf", str(tmp_path / folder)], check=True)
        killed = run(tmp_path, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
        for folder in ("out", "logs"):
            present = tmp_path / folder
            assert not present.exists() or tree(present) == expected[folder], (kill_at, folder)
        if (tmp_path / "out").exists():  # copies are renamed in last: their logs are there
            assert tree(tmp_path / "logs") == expected["logs"], kill_at
    # The next run into the same place takes away what the killed ones left.
    assert list(tmp_path.rglob(".*.redactor-*"))
    for folder in ("out", "logs"):
        subprocess.run(["rm", "-rf", str(tmp_path / folder)], check=True)
    assert run(tmp_path, 0).returncode == 0
    assert not list(tmp_path.rglob(".*.redactor-*"))
