"""Bad input gets a clear error and nothing else: one message naming the file, exit
code 2, and no output file — not even an empty or partial one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, snapshot, write

UNDECODABLE = bytes(range(0x80, 0x100)) * 20

# name → builds the bad thing in the folder; returns (extra args, the file the message names)
Scenario = Callable[[Path, Path], tuple[list[str], Path]]


def _missing(folder: Path, memo: Path) -> tuple[list[str], Path]:
    return [], folder / "no-such-memo.txt"


def _binary(folder: Path, memo: Path) -> tuple[list[str], Path]:
    path = folder / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return [], path


def _undecodable(folder: Path, memo: Path) -> tuple[list[str], Path]:
    path = folder / "garbled.txt"
    path.write_bytes(UNDECODABLE)
    return [], path


def _truncated(folder: Path, memo: Path) -> tuple[list[str], Path]:
    path = folder / "cut.txt"
    path.write_bytes(MEMO.encode()[:-1] + "\u00e9".encode()[:1])
    return [], path


def _wrong_encoding(folder: Path, memo: Path) -> tuple[list[str], Path]:
    path = folder / "latin.txt"
    path.write_bytes("Caf\u00e9 du port, M\u00fcller.\n".encode("latin-1"))
    return ["--encoding", "ascii"], path


def _unknown_encoding(folder: Path, memo: Path) -> tuple[list[str], Path]:
    return ["--encoding", "klingon-8"], memo


def _empty(folder: Path, memo: Path) -> tuple[list[str], Path]:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return [], path


def _whitespace(folder: Path, memo: Path) -> tuple[list[str], Path]:
    return [], write(folder / "blank.txt", "  \n\n\t \n")


def _too_large(folder: Path, memo: Path) -> tuple[list[str], Path]:
    return ["--max-file-size", "100"], memo


def _policy(text: str) -> Scenario:
    def build(folder: Path, memo: Path) -> tuple[list[str], Path]:
        path = write(folder / "policy.yaml", text)
        return ["--policy", str(path)], path
    return build


def _cycle(folder: Path, memo: Path) -> tuple[list[str], Path]:
    write(folder / "b.yaml", "name: b\nextends: [default, a.yaml]\n")
    path = write(folder / "a.yaml", "name: a\nextends: [b.yaml]\n")
    return ["--policy", str(path)], path


FILE_PROBLEMS: dict[str, Scenario] = {
    "missing-path": _missing,
    "binary": _binary,
    "undecodable": _undecodable,
    "truncated-utf8": _truncated,
    "wrong-encoding": _wrong_encoding,
    "unknown-encoding": _unknown_encoding,
    "empty": _empty,
    "whitespace-only": _whitespace,
    "over-size": _too_large,
}
POLICY_PROBLEMS: dict[str, Scenario] = {
    "yaml-syntax": _policy("name: bad\nrules: [\n  {id: a, when: {entity: PERSON}\n"),
    "unknown-key": _policy("name: bad\nextends: [default]\nrulez: []\n"),
    "unknown-action": _policy("name: bad\nextends: [default]\nrules:\n  - id: web\n"
                              "    when: {flag: no-internet}\n    action: withold\n"),
    "undefined-marking": _policy("name: bad\nextends: [default]\nrules:\n  - id: r\n"
                                 "    when: {marking: top-secrett}\n    action: block\n"),
    "extends-cycle": _cycle,
    "missing-policy": lambda folder, memo: (["--policy", str(folder / "nope.yaml")],
                                            folder / "nope.yaml"),
}
ALL = {**FILE_PROBLEMS, **POLICY_PROBLEMS}


@pytest.fixture
def folder(cwd_tmp: Path) -> Path:
    write(cwd_tmp / "memo.txt", MEMO)
    return cwd_tmp


def one_error_naming(stderr: str, path: Path) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, f"expected one message, got: {stderr!r}"
    assert str(path) in errors[0], f"{path} not named in {errors[0]!r}"
    assert len(errors[0]) > len(f"error: {path}: ") + 10, "says what is wrong"
    return errors[0]


@pytest.mark.parametrize("name", list(ALL))
def test_redact_bad_input(run_cli: Any, folder: Path, name: str) -> None:
    extra, named = ALL[name](folder, folder / "memo.txt")
    source = named if name in FILE_PROBLEMS and named.name != "memo.txt" else folder / "memo.txt"
    before = snapshot(folder)
    out, log = folder / "out" / "public.txt", folder / "out" / "log.json"
    out.parent.mkdir()
    result = run_cli("redact", source, "-o", out, "--log", log, *extra)
    assert result.exit_code == 2, result.output
    one_error_naming(result.stderr, named)
    assert not any(out.parent.iterdir()), "nothing written, not even a temporary file"
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", list(ALL))
def test_check_bad_input(run_cli: Any, folder: Path, name: str) -> None:
    extra, named = ALL[name](folder, folder / "memo.txt")
    source = named if name in FILE_PROBLEMS and named.name != "memo.txt" else folder / "memo.txt"
    before = snapshot(folder)
    result = run_cli("check", source, *extra)
    assert result.exit_code == 2, result.output
    one_error_naming(result.stderr, named)
    assert snapshot(folder) == before


def test_output_equal_to_input(run_cli: Any, folder: Path) -> None:
    memo = folder / "memo.txt"
    result = run_cli("redact", memo, "-o", memo, "--force")
    assert result.exit_code == 2
    assert "input itself" in one_error_naming(result.stderr, memo)
    assert memo.read_text() == MEMO


def test_output_equal_to_input_by_another_name(run_cli: Any, folder: Path) -> None:
    memo = folder / "memo.txt"
    (folder / "sub").mkdir()
    result = run_cli("redact", memo, "-o", folder / "sub" / ".." / "memo.txt", "--force")
    assert result.exit_code == 2
    assert memo.read_text() == MEMO
    link = folder / "link.txt"
    link.symlink_to(memo)
    result = run_cli("redact", memo, "-o", link, "--force")
    assert result.exit_code == 2
    assert memo.read_text() == MEMO and link.is_symlink()


def test_output_inside_a_missing_folder(run_cli: Any, folder: Path) -> None:
    before = snapshot(folder)
    out = folder / "missing" / "public.txt"
    result = run_cli("redact", folder / "memo.txt", "-o", out)
    assert result.exit_code == 2
    message = one_error_naming(result.stderr, out)
    assert "does not exist" in message
    assert not (folder / "missing").exists()
    assert snapshot(folder) == before


def test_log_inside_a_missing_folder(run_cli: Any, folder: Path) -> None:
    out = folder / "public.txt"
    log = folder / "missing" / "log.json"
    result = run_cli("redact", folder / "memo.txt", "-o", out, "--log", log)
    assert result.exit_code == 2
    one_error_naming(result.stderr, log)
    assert not out.exists(), "the copy is not written without its log"


def test_report_inside_a_missing_folder(run_cli: Any, folder: Path) -> None:
    report = folder / "missing" / "report.json"
    result = run_cli("check", folder / "memo.txt", "-o", report)
    assert result.exit_code == 2
    one_error_naming(result.stderr, report)


@pytest.mark.parametrize("content", [None, "scan.pdf", ".hidden.txt"],
                         ids=["empty-folder", "only-unsupported", "only-hidden"])
def test_folder_with_no_readable_documents(run_cli: Any, folder: Path,
                                           content: str | None) -> None:
    empty = folder / "inbox"
    empty.mkdir()
    if content:
        (empty / content).write_bytes(b"%PDF-1.4 whatever\n")
    result = run_cli("check", empty)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(empty) in errors[0]


def test_redact_refuses_a_folder_onto_a_file(run_cli: Any, folder: Path) -> None:
    existing = folder.parent / "out.txt"
    existing.write_text("a file\n")
    result = run_cli("redact", folder, "-o", existing)
    assert result.exit_code == 2
    one_error_naming(result.stderr, existing)
    assert existing.read_text() == "a file\n"


def test_errors_outrank_findings(run_cli: Any, folder: Path) -> None:
    (folder / "photo.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    result = run_cli("check", folder / "memo.txt", folder / "photo.txt")
    assert result.exit_code == 2
    one_error_naming(result.stderr, folder / "photo.txt")
    assert "verdict: REDACT" in result.stdout, "the good file is still reported"


def test_usage_errors_exit_2(run_cli: Any, folder: Path) -> None:
    assert run_cli("check").exit_code == 2
    assert run_cli("redact", folder / "memo.txt").exit_code == 2, "-o is required"
    assert run_cli("check", folder / "memo.txt", "--fail-on", "sometimes").exit_code == 2
    assert run_cli("check", folder / "memo.txt", "--format-hint", "fax").exit_code == 2
