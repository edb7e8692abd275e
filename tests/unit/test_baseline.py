"""Accepted findings: `redactor baseline create|update|check` and `check --baseline FILE`.

The lifecycle (create → check passes → lines shift → still passes → a name goes → stale → update
→ passes), keyed fingerprints that reveal no name, the reviewer required, deterministic files,
and every bad input (malformed file, no key, another key) exit 2 naming the file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, PUBLIC, SBU_CABLE, snapshot, write

from redactor.baseline import KEY_ENV, REVIEWER_ENV

NAMES_IN_MEMO = ("Priya Raman", "Tomas Lindqvist", "Lindqvist", "priya.raman@example.org",
                 "555-201-7788")


@pytest.fixture
def memo(cwd_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(KEY_ENV, "a long random secret for the tests")
    monkeypatch.delenv(REVIEWER_ENV, raising=False)
    write(cwd_tmp / "docs" / "public.txt", PUBLIC)
    return write(cwd_tmp / "docs" / "memo.md", MEMO)


def create(run_cli: Any, *extra: str) -> Any:
    return run_cli("baseline", "create", "docs", "--reviewer", "A. Reviewer",
                   "--reason", "committee members named in public minutes", *extra)


def entries(path: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["entries"]
    return data


def test_lifecycle(run_cli: Any, memo: Path, cwd_tmp: Path) -> None:
    baseline = cwd_tmp / ".redactor-baseline.json"
    assert run_cli("check", "docs").exit_code == 1
    result = create(run_cli, "--date", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    first = entries(baseline)
    assert len(first) == 6
    assert {(e["rule"], e["path"]) for e in first} == {("names", "docs/memo.md"),
                                                      ("contact-details", "docs/memo.md")}
    assert all(e["reviewer"] == "A. Reviewer" and e["date"] == "2026-11-27" and e["reason"]
               for e in first)
    assert first == sorted(first, key=lambda e: (e["path"], e["rule"], e["fingerprint"]))
    assert '"line"' not in baseline.read_text()

    passed = run_cli("baseline", "check", "docs")
    assert passed.exit_code == 0, passed.stdout
    assert "6 accepted, 0 not accepted, 0 stale: ok" in passed.stdout
    accepted = run_cli("check", "docs", "--baseline", str(baseline), "--format", "json")
    assert accepted.exit_code == 0
    findings = json.loads(accepted.stdout)["documents"][0]["findings"]
    assert all(f["allowed_by"].startswith("accepted by baseline: committee members")
               for f in findings if f["action"] != "allow")
    assert json.loads(accepted.stdout)["documents"][0]["verdict"] == "releasable"
    text = run_cli("check", "docs", "--baseline", str(baseline)).stdout
    assert "(allowed: accepted by baseline: committee members named in public minutes " \
           "(reviewer A. Reviewer))" in text
    assert "6 accepted by baseline" in text

    # lines inserted above the findings: every entry still matches
    write(memo, MEMO.replace("\n\n", "\n\nA paragraph added above.\n\nAnd another.\n\n", 1))
    assert run_cli("baseline", "check", "docs").exit_code == 0

    # Lindqvist leaves the minutes: his two entries are stale
    write(memo, memo.read_text().replace("Tomas Lindqvist took notes", "the secretary took notes")
          .replace("Lindqvist will circulate", "The secretary will circulate"))
    stale = run_cli("baseline", "check", "docs")
    assert stale.exit_code == 1
    assert stale.stdout.count("stale: docs/memo.md: rule names PERSON") == 2
    assert "0 not accepted, 2 stale: FAILED" in stale.stdout
    # check --baseline still passes, and says which entries are stale
    still = run_cli("check", "docs", "--baseline", str(baseline))
    assert still.exit_code == 0
    assert "stale entry, matches no finding" in still.stderr

    # a new name: not accepted until a reviewer adds it
    write(memo, memo.read_text() + "\nOliver Brandt joins the committee in May.\n")
    new = run_cli("baseline", "check", "docs")
    assert new.exit_code == 1
    assert "not accepted: docs/memo.md:" in new.stdout
    assert "PERSON (entity), rule names" in new.stdout
    assert run_cli("check", "docs", "--baseline", str(baseline)).exit_code == 1

    updated = run_cli("baseline", "update", "docs", "--reviewer", "B. Reviewer",
                      "--reason", "new member, announced publicly")
    assert updated.exit_code == 0, updated.stderr
    assert "4 kept, 1 added, 2 dropped" in updated.stderr
    after = entries(baseline)
    assert len(after) == 5
    for output in (stale, new, updated):
        text = output.stdout + output.stderr
        assert not any(name in text for name in (*NAMES_IN_MEMO, "Oliver Brandt", "Brandt"))
    assert sorted(e["reviewer"] for e in after) == ["A. Reviewer"] * 4 + ["B. Reviewer"]
    assert [e.get("date") for e in after if e["reviewer"] == "B. Reviewer"] == [None]
    assert run_cli("baseline", "check", "docs").exit_code == 0
    assert run_cli("check", "docs", "--baseline", str(baseline)).exit_code == 0


def test_fingerprints_reveal_no_name(run_cli: Any, memo: Path, cwd_tmp: Path) -> None:
    assert create(run_cli).exit_code == 0
    text = (cwd_tmp / ".redactor-baseline.json").read_text()
    for name in NAMES_IN_MEMO:
        assert name not in text and name.casefold() not in text
        for variant in (name, name.casefold()):
            for digest in (hashlib.sha256(variant.encode()).hexdigest(),
                           hashlib.sha1(variant.encode()).hexdigest()):
                assert digest[:32] not in text
    fingerprints = [e["fingerprint"] for e in entries(cwd_tmp / ".redactor-baseline.json")]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(len(f) == 32 and int(f, 16) >= 0 for f in fingerprints)


def test_deterministic_and_keyed(run_cli: Any, memo: Path, cwd_tmp: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = cwd_tmp / ".redactor-baseline.json"
    assert create(run_cli).exit_code == 0
    first = baseline.read_bytes()
    refused = create(run_cli)
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert create(run_cli, "--force").exit_code == 0
    assert baseline.read_bytes() == first
    monkeypatch.setenv(KEY_ENV, "another secret")
    other = run_cli("baseline", "check", "docs")
    assert other.exit_code == 2
    assert ".redactor-baseline.json: the baseline was made with another" in other.stderr
    assert create(run_cli, "--force").exit_code == 0
    assert {e["fingerprint"] for e in entries(baseline)}.isdisjoint(
        json.loads(first)["entries"][i]["fingerprint"] for i in range(6))


def test_reviewer_and_key_are_required(run_cli: Any, memo: Path, cwd_tmp: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(cwd_tmp)
    result = run_cli("baseline", "create", "docs", "--reason", "x")
    assert result.exit_code == 2 and "--reviewer" in result.stderr
    result = run_cli("baseline", "create", "docs", "--reviewer", "A")
    assert result.exit_code == 2 and "--reason is required" in result.stderr
    result = run_cli("baseline", "create", "docs", "--reviewer", "A", "--reason", "x",
                     "--date", "27/11/2026")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    monkeypatch.delenv(KEY_ENV)
    result = create(run_cli)
    assert result.exit_code == 2 and KEY_ENV in result.stderr
    assert snapshot(cwd_tmp) == before
    monkeypatch.setenv(KEY_ENV, "k")
    monkeypatch.setenv(REVIEWER_ENV, "Env Reviewer")
    assert run_cli("baseline", "create", "docs", "--reason", "x").exit_code == 0
    assert {e["reviewer"] for e in entries(cwd_tmp / ".redactor-baseline.json")} == \
        {"Env Reviewer"}
    monkeypatch.delenv(KEY_ENV)
    for args in (("baseline", "check", "docs"),
                 ("check", "docs", "--baseline", ".redactor-baseline.json")):
        result = run_cli(*args)
        assert result.exit_code == 2 and KEY_ENV in result.stderr


@pytest.mark.parametrize("content, message", [
    ("{not json", "malformed baseline: not JSON (line 1"),
    ("[]", "malformed baseline: baseline_version must be 1"),
    ('{"baseline_version": 2}', "malformed baseline: baseline_version must be 1"),
    (None, "malformed baseline: entries[0] needs the strings"),
    ("", "malformed baseline: not JSON"),
    ("[" * 100_000 + "]" * 100_000, "malformed baseline: not a baseline's JSON"),
    ('{"baseline_version": ' + "9" * 5_000 + "}", "malformed baseline: not a baseline's JSON"),
])
def test_malformed_baseline_is_exit_2(run_cli: Any, memo: Path, cwd_tmp: Path,
                                      content: str | None, message: str) -> None:
    baseline = cwd_tmp / "bad.json"
    if content is None:  # a valid file with a broken entry
        assert create(run_cli, "-b", "bad.json").exit_code == 0
        data = json.loads(baseline.read_text())
        del data["entries"][0]["reviewer"]
        content = json.dumps(data)
    baseline.write_text(content)
    for args in (("baseline", "check", "docs", "-b", "bad.json"),
                 ("baseline", "update", "docs", "-b", "bad.json", "--reviewer", "R"),
                 ("check", "docs", "--baseline", "bad.json")):
        result = run_cli(*args)
        assert result.exit_code == 2, args
        assert f"bad.json: {message}" in result.stderr, result.stderr


def test_missing_baseline_and_unreadable_document(run_cli: Any, memo: Path,
                                                  cwd_tmp: Path) -> None:
    result = run_cli("baseline", "check", "docs")
    assert result.exit_code == 2 and "no such baseline file" in result.stderr
    assert create(run_cli).exit_code == 0
    write(cwd_tmp / "docs" / "empty.txt", "")
    result = run_cli("baseline", "check", "docs")
    assert result.exit_code == 2 and "docs/empty.txt: file is empty" in result.stderr


def test_baseline_is_no_report_output(run_cli: Any, memo: Path, cwd_tmp: Path) -> None:
    assert create(run_cli).exit_code == 0
    before = snapshot(cwd_tmp)
    result = run_cli("check", "docs", "--baseline", ".redactor-baseline.json",
                     "--json-output", ".redactor-baseline.json")
    assert result.exit_code == 2 and "--json-output is the baseline file" in result.stderr
    assert snapshot(cwd_tmp) == before


def test_accepted_findings_in_the_other_formats(run_cli: Any, memo: Path,
                                                cwd_tmp: Path) -> None:
    assert create(run_cli).exit_code == 0
    base = ("check", "docs", "--baseline", ".redactor-baseline.json", "--format")
    lines = [json.loads(line) for line in run_cli(*base, "jsonl").stdout.splitlines()]
    found = [line for line in lines if line["type"] == "finding" and line["action"] != "allow"]
    assert found and all(f["accepted"] and not f["fails"] for f in found)
    assert "| names | redact | 0 | 4 |" in run_cli(*base, "markdown").stdout
    github = run_cli(*base, "github").stdout
    assert "file=docs/memo.md" not in github
    sarif = json.loads(run_cli(*base, "sarif").stdout)["runs"][0]
    assert sarif["results"] == [] and sarif["properties"]["acceptedByBaseline"] == 6
    junit = run_cli(*base, "junit").stdout
    assert "<failure" not in junit and "accepted by baseline" in junit


def test_help_says_inline_suppressions_are_not_supported(run_cli: Any) -> None:
    for args in (("baseline", "--help"), ("check", "--help")):
        text = " ".join(run_cli(*args).stdout.split())
        assert "not supported" in text and "published" in text


def test_baseline_of_the_current_folder(run_cli: Any, memo: Path, cwd_tmp: Path) -> None:
    """`redactor baseline create .`: the baseline (a hidden file) lives in the checked folder;
    it is not checked, and paths in it are relative to its folder."""
    assert create(run_cli).exit_code == 0  # docs/
    result = run_cli("baseline", "create", ".", "--reviewer", "R", "--reason", "x", "--force")
    assert result.exit_code == 0, result.stderr
    assert {e["path"] for e in entries(cwd_tmp / ".redactor-baseline.json")} == {"docs/memo.md"}
    assert run_cli("baseline", "check", ".").exit_code == 0
    assert run_cli("check", ".", "--baseline", ".redactor-baseline.json").exit_code == 0
    refused = run_cli("baseline", "create", "docs", "-b", "docs/memo.md", "--reviewer", "R",
                      "--reason", "x", "--force")
    assert refused.exit_code == 2 and "is the input itself" in refused.stderr


def test_names_inside_an_accepted_withheld_portion_count_again(run_cli: Any, memo: Path,
                                                               cwd_tmp: Path) -> None:
    """Accepting a portion's withholding leaves the names in it exposed: unless they are
    accepted too, they are findings again (no longer 'inside withheld')."""
    write(cwd_tmp / "docs" / "cable.txt", SBU_CABLE)
    assert create(run_cli).exit_code == 0
    baseline = cwd_tmp / ".redactor-baseline.json"
    data = json.loads(baseline.read_text())
    data["entries"] = [e for e in data["entries"]
                       if not (e["path"] == "docs/cable.txt" and e["label"] == "PERSON")]
    baseline.write_text(json.dumps(data))
    result = run_cli("check", "docs/cable.txt", "--baseline", str(baseline), "--format",
                     "junit")
    assert result.exit_code == 1
    assert "docs/cable.txt:24:35: Redact: PERSON" in result.stdout  # in withheld ¶2
    assert "docs/cable.txt:33:12: Redact: PERSON" in result.stdout  # in withheld ¶4
    assert "docs/cable.txt:39:1: Redact: PERSON" in result.stdout  # the signature
