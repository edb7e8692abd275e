"""Every finding says why it was found: `found_by` and `source` in the JSON report, and
`check --explain` in the text report — never the text of a name without --show-text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import SBU_CABLE, make_doc, write

from redactor.decide import decide
from redactor.engine import Engine
from redactor.model import Action, Finding, FindingKind, FoundBy, Result, Span
from redactor.parse import parse
from redactor.policy import load_policy
from redactor.report.json import finding_json
from redactor.report.text import text_report

# One document, one name per mechanism, each in a context that does not hinge on the model:
# a name it finds in a plain sentence, the same surname later (propagation), a name after a
# title that the model passes over, a deny-listed code name in lower case, a signature.
CABLE = """\
UNCLAS LAKEHAVEN 000321

SIPDIS

E.O. 12958: N/A
TAGS: PREL
SUBJECT: PORT TALKS

1. (U) Priya Raman chaired the meeting on Monday. We also met A/S Vellacott at the port.

2. (U) Later that week Raman left for the coast with the source known as bluefin.

QUILLFEATHER
"""
POLICY = """\
name: explained
extends: [default]
entities:
  types:
    PERSON: {threshold: 0.5, deny: [Bluefin]}
"""
NAMES = ("Priya", "Raman", "Vellacott", "bluefin", "Bluefin", "QUILLFEATHER")


@pytest.fixture
def folder(cwd_tmp: Path) -> Path:
    write(cwd_tmp / "p.yaml", POLICY)
    write(cwd_tmp / "cable.txt", CABLE)
    return cwd_tmp


def _person(report: dict[str, Any], line: int, column: int) -> dict[str, Any]:
    findings = report["documents"][0]["findings"]
    return next(f for f in findings if (f["line"], f["column"]) == (line, column)
                and f["entity_type"] == "PERSON")


def _at(needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Line and column of the n-th occurrence of needle in CABLE."""
    index = -1
    for _ in range(occurrence + 1):
        index = CABLE.index(needle, index + 1)
    return make_doc(CABLE).position(index)


def test_json_says_how_each_person_was_found(run_cli: Any, folder: Path) -> None:
    result = run_cli("check", "cable.txt", "--policy", "p.yaml", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    model = _person(report, *_at("Priya Raman"))
    assert model["found_by"] == "model" and model["source"] is None
    propagated = _person(report, *_at("Raman", 1))
    assert propagated["found_by"] == "propagation"
    assert propagated["source"] == dict(zip(("line", "column"), _at("Priya Raman"), strict=True))
    assert _person(report, *_at("Vellacott"))["found_by"] == "title-cue"
    assert _person(report, *_at("bluefin"))["found_by"] == "deny-list"
    assert _person(report, *_at("QUILLFEATHER"))["found_by"] == "signature"
    for finding in report["documents"][0]["findings"]:
        assert {"found_by", "source", "protected_by"} <= set(finding)
        if finding["kind"] != "entity":
            assert finding["found_by"] is None
    for name in NAMES:
        assert name not in result.stdout


def test_explain_prints_why_each_name_was_found(run_cli: Any, folder: Path) -> None:
    result = run_cli("check", "cable.txt", "--policy", "p.yaml", "--explain")
    assert result.exit_code == 1
    out = result.stdout
    line, column = _at("Priya Raman")
    assert "why found: found by the model (SpacyRecognizer, score " in out
    assert f"why found: same name as the person found on line {line}, column {column}" in out
    assert "why found: after the title 'A/S'" in out
    assert "why found: on the policy's deny-list of PERSON" in out
    assert "why found: signature line" in out
    assert "decision: rule names (<built-in>/pii.yaml:" in out
    assert "redact, reason (b)(6)" in out
    for name in NAMES:
        assert name not in out, f"{name!r} printed without --show-text"


def test_explain_with_show_text_names_the_source(run_cli: Any, folder: Path) -> None:
    out = run_cli("check", "cable.txt", "--policy", "p.yaml", "--explain", "--show-text").stdout
    line, column = _at("Priya Raman")
    assert f"same name as the person found on line {line}, column {column} ('Priya Raman')" in out


def test_explain_is_off_by_default(run_cli: Any, folder: Path) -> None:
    out = run_cli("check", "cable.txt", "--policy", "p.yaml").stdout
    assert "why found" not in out and "decision:" not in out


def test_explain_covers_markings_portions_and_withheld_findings(run_cli: Any,
                                                                cwd_tmp: Path) -> None:
    write(cwd_tmp / "cable.txt", SBU_CABLE)
    out = run_cli("check", "cable.txt", "--explain").stdout
    assert "why found: marking sensitive-caption (caption) from <built-in>/state-cable.yaml:" in out
    assert "decision: rule sbu-portions (<built-in>/state-cable.yaml:" in out
    assert "already removed with withheld portion ¶2" in out
    assert "why found: inside a [COMMENT: ... END COMMENT] aside" in out
    assert "Kellingworth" not in out and "HARDCASTLE" not in out


def test_check_help_describes_explain(run_cli: Any) -> None:
    out = run_cli("check", "--help").stdout
    assert "--explain" in out and "--show-text" in out


@pytest.mark.parametrize(("found_by", "expected"), [
    ("model", "found by the model (SpacyRecognizer, score 0.85)"),
    ("propagation", "same name as the person found on line 1, column 1"),
    ("misspelling", "close to the name found on line 1, column 1"),
    ("title-cue", "after the title 'Ambassador'"),
    ("deny-list", "on the policy's deny-list of PERSON"),
    ("signature", "signature line"),
])
def test_each_mechanism_in_json_and_text(found_by: str, expected: str) -> None:
    """The report's contract on findings made by hand: no model involved."""
    text = "Jane Doe met Ambassador Doe.\n"
    policy = load_policy()
    parsed = parse(make_doc(text), policy)
    source = Span(0, 8) if found_by in ("propagation", "misspelling") else None
    title = (Span(13, 23),) if found_by == "title-cue" else ()
    finding = Finding(kind=FindingKind.ENTITY, label="PERSON", span=Span(24, 27),
                      block_id=parsed.blocks[0].id, score=0.85, entity_type="PERSON",
                      detector="entities", found_by=FoundBy(found_by), source=source,
                      evidence=title,
                      recognizer="SpacyRecognizer" if found_by == "model" else None)
    plan = decide(parsed, (finding,), policy)
    item = finding_json(plan, plan.decisions[0], show_text=False)
    assert item["found_by"] == found_by
    assert item["source"] == ({"line": 1, "column": 1} if source else None)
    assert "text" not in item and "Doe" not in json.dumps(item)
    report = text_report([Result("t.txt", plan=plan)], {"t.txt": policy}, Action.REDACT,
                         explain=True)
    assert f"why found: {expected}" in report
    assert "Doe" not in report


def test_the_engine_fixture_reports_found_by(engine: Engine) -> None:
    """Findings out of the real pipeline all say how they were found."""
    plan = engine.check(make_doc(CABLE))
    entities = [f for f in plan.findings if f.kind is FindingKind.ENTITY]
    assert entities and all(f.found_by for f in entities)


def test_every_document_has_a_cues_list(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "empty.txt", "")
    write(cwd_tmp / "memo.txt", "Ambassador John Smith (protect) met the press.\n")
    report = json.loads(run_cli("check", "empty.txt", "memo.txt", "--format", "json").stdout)
    error, memo = report["documents"]
    assert error["verdict"] == "error" and error["cues"] == []
    assert [(c["id"], c["phrase"], c["scope"]) for c in memo["cues"]] == [
        ("source-protection", "(protect)", "sentence"), ("protect", "protect", "paragraph")]
    assert "text" not in memo["cues"][0]


def test_the_initials_before_a_name_are_quoted_only_with_show_text(engine: Any) -> None:
    """They are part of the name: the JSON report's explanation says there were initials, and
    which only when the text of findings is asked for."""
    from redactor.report.json import finding_json

    plan = engine.check(make_doc("T. Quillfeather wrote the harbour plan.\n"))
    (decision,) = [d for d in plan.decisions if d.finding.found_by == "initials"]
    hidden = finding_json(plan, decision, show_text=False, policy=engine.policy)
    shown = finding_json(plan, decision, show_text=True, policy=engine.policy)
    assert hidden["explanation"] == "a name after an initial"
    assert shown["explanation"] == "a name after the initial 'T.'"
