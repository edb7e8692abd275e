"""`redactor verify`: an independent re-check of a redacted copy against its original and log.
Round trips pass; tampered copies fail the check they break, without printing the
removed text; bad input (missing files, a log that is not redactor's, a log of another
document) exits 2."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, SBU_CABLE, SECRET_CABLE, line_of, write

from redactor.release.verify import verify

PEOPLE = ("Kellingworth", "HARDCASTLE", "Hardcastle")


@pytest.fixture
def redacted(run_cli: Any, cwd_tmp: Path) -> tuple[Path, Path, Path]:
    cable = write(cwd_tmp / "cable.txt", SBU_CABLE)
    public, log = cwd_tmp / "cable.public.txt", cwd_tmp / "cable.log.json"
    result = run_cli("redact", cable, "-o", public, "--log", log)
    assert result.exit_code == 0, result.output
    return cable, public, log


def no_people(text: str) -> None:
    for name in PEOPLE:
        assert name not in text, f"{name!r} printed by verify"


def status(stdout: str, check: str) -> str:
    line = next(line for line in stdout.splitlines() if f" {check}: " in line)
    return line.split()[0]


def tamper(public: Path, log: Path | None, old: str, new: str) -> None:
    """Edit the copy; refresh the log's output.sha256 so only the edit itself is at fault."""
    text = public.read_text("utf-8")
    assert old in text
    public.write_text(text.replace(old, new, 1), "utf-8")
    if log is not None:
        record = json.loads(log.read_text("utf-8"))
        record["output"]["sha256"] = hashlib.sha256(public.read_bytes()).hexdigest()
        log.write_text(json.dumps(record), "utf-8")


def test_round_trip_verifies(run_cli: Any, redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 0, result.output
    for check in ("residue", "recheck", "layout", "log"):
        assert status(result.stdout, check) == "ok"
    assert "verified" in result.stdout
    result = run_cli("verify", cable, public)  # no log: the plan is recomputed
    assert result.exit_code == 0, result.output
    assert status(result.stdout, "log") == "skipped"


def test_a_name_put_back_fails(run_cli: Any, redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    label = json.loads(log.read_text("utf-8"))["removals"][-1]["replacement"]
    assert SBU_CABLE.rstrip().endswith("HARDCASTLE")
    tamper(public, log, label, "HARDCASTLE")
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 1, result.output
    assert status(result.stdout, "residue") == "FAIL"
    assert status(result.stdout, "recheck") == "FAIL"
    assert status(result.stdout, "layout") == "FAIL"
    assert "NOT verified" in result.stdout
    no_people(result.output)


@pytest.mark.parametrize("variant", ["hardcastle", "Hard castle", "HARD\nCASTLE",
                                     "h a r d c a s t l e"])
def test_a_variant_of_a_removed_name_fails(run_cli: Any, redacted: tuple[Path, Path, Path],
                                           variant: str) -> None:
    cable, public, log = redacted
    tamper(public, log, "continue to follow", f"continue to follow {variant} and")
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 1, result.output
    assert status(result.stdout, "residue") == "FAIL"
    assert status(result.stdout, "layout") == "FAIL"
    assert status(result.stdout, "log") == "ok"
    assert "the copy was edited" in result.stdout
    no_people(result.output)


def test_a_byte_changed_outside_removals_fails(run_cli: Any,
                                              redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    tamper(public, log, "follow the bill", "follow the bilk")
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 1, result.output
    assert status(result.stdout, "layout") == "FAIL"
    assert status(result.stdout, "residue") == "ok"
    assert f"line {line_of(SBU_CABLE, 'follow the bill')}," in result.stdout  # where it differs


def test_a_stale_log_fails(run_cli: Any, redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    tamper(public, None, "follow the bill", "follow the bilk")
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 1
    assert status(result.stdout, "log") == "FAIL"
    assert "output.sha256" in result.stdout


def test_a_log_of_another_document_is_bad_input(run_cli: Any,
                                                redacted: tuple[Path, Path, Path]) -> None:
    cable, public, _ = redacted
    memo = write(cable.parent / "memo.md", MEMO)
    other = cable.parent / "memo.log.json"
    assert run_cli("redact", memo, "-o", cable.parent / "memo.public.md",
                   "--log", other).exit_code == 0
    result = run_cli("verify", cable, public, "--log", other)
    assert result.exit_code == 2
    assert "another document" in result.stderr


@pytest.mark.parametrize("content", ["", "{\"log_version\": 1, \"tool\":", "not json at all",
                                     "[1, 2]", "{\"log_version\": 1}",
                                     "[" * 100_000 + "]" * 100_000,  # past the parser's depth
                                     "{\"log_version\": " + "9" * 5_000 + "}"])  # digit limit
def test_a_log_that_is_not_redactors_is_bad_input(run_cli: Any, redacted: tuple[Path, Path, Path],
                                                  content: str) -> None:
    cable, public, log = redacted
    log.write_text(content, "utf-8")
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 2
    assert "log" in result.stderr


def test_truncated_log_is_bad_input(run_cli: Any, redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    log.write_bytes(log.read_bytes()[:200])
    result = run_cli("verify", cable, public, "--log", log)
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


@pytest.mark.parametrize("missing", ["original", "copy", "log"])
def test_a_missing_file_is_bad_input(run_cli: Any, redacted: tuple[Path, Path, Path],
                                     missing: str) -> None:
    cable, public, log = redacted
    args = {"original": cable, "copy": public, "log": log}
    args[missing] = cable.parent / "nowhere.txt"
    result = run_cli("verify", args["original"], args["copy"], "--log", args["log"])
    assert result.exit_code == 2
    assert "nowhere.txt" in result.stderr


def test_verify_directly(engine: Any, redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    record = json.loads(log.read_text("utf-8"))
    original = engine.read(cable)
    copy = engine.read(public)
    result = verify(engine, original, copy, public.read_bytes(), record)
    assert result.ok, result.checks
    assert [c.name for c in result.checks] == ["residue", "recheck", "layout", "log"]

    tamper(public, None, "continue to follow", "continue to follow kellingworth,")
    copy = engine.read(public)
    result = verify(engine, original, copy, public.read_bytes(), record)
    failed = {c.name for c in result.checks if not c.ok}
    assert {"residue", "layout", "log"} <= failed  # the name sits in a withheld paragraph
    residue = result.checks[0]
    line = line_of(SBU_CABLE, "continue to follow")
    assert residue.problems and f"reappears in the copy at line {line}," in residue.problems[0]
    no_people(repr(result))


@pytest.mark.parametrize("disguise", ["kel\u200bling\u00adworth", "k\u0435llingworth",
                                      "\uff4bellingworth", "k e l l i n g w o r t h"])
def test_a_name_put_back_in_disguise_is_residue(engine: Any, redacted: tuple[Path, Path, Path],
                                                disguise: str) -> None:
    """Read as a reader sees it: a removed name written back with invisible characters,
    look-alikes, fullwidth letters or spaced letters is found in the copy."""
    cable, public, log = redacted
    record = json.loads(log.read_text("utf-8"))
    tamper(public, None, "continue to follow", f"continue to follow {disguise},")
    copy = engine.read(public)
    result = verify(engine, engine.read(cable), copy, public.read_bytes(), record)
    residue = result.checks[0]
    assert not residue.ok and "reappears in the copy at line" in residue.problems[0]


def test_overlapping_log_removals_fail_the_log_check(engine: Any,
                                                     redacted: tuple[Path, Path, Path]) -> None:
    cable, public, log = redacted
    record = json.loads(log.read_text("utf-8"))
    record["removals"][1]["start"] = record["removals"][0]["start"]
    result = verify(engine, engine.read(cable), engine.read(public), public.read_bytes(), record)
    assert not result.ok
    log_check = result.checks[3]
    assert not log_check.ok and any("overlaps" in p for p in log_check.problems)
    assert "inconsistent" in result.checks[2].detail


def test_utf16_bom_and_crlf_round_trip(run_cli: Any, cwd_tmp: Path) -> None:
    """Layout is checked on bytes, in the original's encoding: a copy re-encoded as UTF-8 has
    the same text but fails."""
    source = cwd_tmp / "memo.txt"
    source.write_bytes(b"\xff\xfe" + SBU_CABLE.replace("\n", "\r\n").encode("utf-16-le"))
    out, log = cwd_tmp / "memo.public.txt", cwd_tmp / "memo.log.json"
    assert run_cli("redact", source, "-o", out, "--log", log).exit_code == 0
    result = run_cli("verify", source, out, "--log", log)
    assert result.exit_code == 0, result.output
    out.write_bytes(out.read_bytes()[2:].decode("utf-16-le").encode("utf-8"))
    result = run_cli("verify", source, out)
    assert result.exit_code == 1
    assert status(result.stdout, "layout") == "FAIL" and "encoding" in result.stdout


def test_a_blocked_original_has_no_valid_copy(run_cli: Any,
                                             redacted: tuple[Path, Path, Path]) -> None:
    _, public, _ = redacted
    secret = write(public.parent / "secret.txt", SECRET_CABLE)
    result = run_cli("verify", secret, public)
    assert result.exit_code == 1
    assert "blocks the original" in result.stdout


def test_text_left_by_redact_itself_is_residue_too(engine: Any, cwd_tmp: Path) -> None:
    """A removed text that redact left elsewhere (an inconsistent plan) fails, and says so."""
    text = "Memo.\n\nMarta Kellingworth met the minister. Later MARTA\nKELLINGWORTH left.\n"
    original = engine.read(write(cwd_tmp / "memo.txt", text))
    start = text.index("Marta")
    end = start + len("Marta Kellingworth")
    copy_text = text[:start] + "[X]" + text[end:]
    public = write(cwd_tmp / "memo.public.txt", copy_text)
    log = {"log_version": 1, "tool": {"name": "redactor"},
           "policy": {"name": engine.policy.name, "fingerprint": engine.policy.fingerprint},
           "document": {"sha256": original.sha256},
           "output": {"sha256": hashlib.sha256(public.read_bytes()).hexdigest()},
           "summary": {"removals": 1},
           "removals": [{"n": 1, "action": "redact", "kind": "entity", "entity_type": "PERSON",
                         "start": start, "end": end, "length": end - start,
                         "replacement": "[X]"}]}
    result = verify(engine, original, engine.read(public), public.read_bytes(), log)
    residue, _, layout, log_check = result.checks
    assert layout.ok and log_check.ok
    assert not residue.ok and "left there by redact" in residue.problems[0]
    no_people(repr(result))


def test_a_removed_address_glued_to_more_characters_is_removed_too(run_cli: Any,
                                                                   cwd_tmp: Path) -> None:
    # OCR leaves an address with a letter glued to it; a name keeps its word boundaries.
    write(cwd_tmp / "mail.txt", "UNCLASSIFIED\n\nFrom: Jonathan Wexford <jwexford@example.org>\n"
          "Please copy jwexford@example.orgl today. Wexfordton is a town.\n\nUNCLASSIFIED\n")
    assert run_cli("redact", "mail.txt", "-o", "copy.txt", "--log", "log.json").exit_code == 0
    copy = (cwd_tmp / "copy.txt").read_text()
    assert "jwexford" not in copy.lower()
    assert "Wexfordton" in copy
    assert run_cli("verify", "mail.txt", "copy.txt", "--log", "log.json").exit_code == 0


def test_a_policy_that_cannot_write_the_copy_fails_the_layout_check(run_cli: Any,
                                                                    cwd_tmp: Path) -> None:
    """Without a log, verify works out the removals itself: when the policy's blocks cannot
    be written in the original's encoding, no copy can match, and the layout check says so
    (exit 1, not a run that could not check)."""
    original = write(cwd_tmp / "memo.txt", MEMO.replace("harbour", "h\u00e4rbour"), "latin-1")
    copy = write(cwd_tmp / "copy.txt", MEMO, "latin-1")
    policy = write(cwd_tmp / "blocks.yaml", "name: blocks\nextends: [default]\n"
                   "output: {style: blocks}\n")
    result = run_cli("verify", original, copy, "--policy", policy, "--encoding", "latin-1")
    assert result.exit_code == 1, result.output
    assert "FAIL    layout: a label cannot be written in latin-1" in result.stdout
