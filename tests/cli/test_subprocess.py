"""The real thing: `python -m redactor` and the `redactor` console script in a fresh process
(no shared analyzer, no CliRunner), on documents we wrote."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SBU_CABLE, SECRET_CABLE, snapshot, write

SCRIPT = Path(sys.executable).parent / "redactor"


def console_script() -> list[str]:
    if SCRIPT.exists():
        return [str(SCRIPT)]
    found = shutil.which("redactor")
    if found is None:
        pytest.skip("the `redactor` console script is not installed")
    return [found]


def run(cmd: list[str], *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1",
                                            "HOME": str(cwd)})


@pytest.mark.parametrize("how", ["module", "script"])
def test_journey_in_a_real_process(tmp_path: Path, how: str) -> None:
    cmd = [sys.executable, "-m", "redactor"] if how == "module" else console_script()
    cable = write(tmp_path / "cable.txt", SBU_CABLE)
    done = run(cmd, "check", cable, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "level SBU" in done.stdout and "Kellingworth" not in done.stdout
    public, log = tmp_path / "cable.public.txt", tmp_path / "cable.log.json"
    done = run(cmd, "redact", cable, "-o", public, "--log", log, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(log.read_text())["summary"]["removals"] > 0
    done = run(cmd, "check", public, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["documents"][0]["verdict"] in ("releasable", "review")


def test_blocked_and_bad_input_in_a_real_process(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "redactor"]
    secret = write(tmp_path / "secret.txt", SECRET_CABLE)
    before = snapshot(tmp_path)
    done = run(cmd, "redact", secret, "-o", tmp_path / "secret.public.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "BLOCKED" in done.stderr
    assert snapshot(tmp_path) == before
    done = run(cmd, "check", tmp_path / "nothing-here.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "nothing-here.txt" in done.stderr


def test_policy_commands_in_a_real_process(tmp_path: Path) -> None:
    done = run(console_script(), "policy", "list", cwd=tmp_path)
    assert done.returncode == 0 and "state-cable" in done.stdout
    bad = write(tmp_path / "p.yaml", "name: p\nextends: [default]\nrules:\n  - id: r\n"
                "    when: {flag: nodis}\n    action: withold\n")
    done = run(console_script(), "policy", "validate", bad, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{bad}:6: rules[0].action" in done.stderr
