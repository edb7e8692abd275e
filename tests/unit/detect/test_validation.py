"""Marking validation (redactor/detect/validation.py): under-marked documents, unmarked portions in
portion-marked documents, conflicting classification signals, dissemination controls on
unclassified portions. Each is a `validation` finding with its own label that a policy maps to
flag or block."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import BANNERED, REPO, make_doc, read_document
from helpers import write as write_file

from redactor.decide import decide
from redactor.detect import find_placeholders
from redactor.detect.markings import detect_markings
from redactor.detect.validation import VALIDATIONS, detect_validation
from redactor.engine import Engine
from redactor.errors import PolicyError
from redactor.model import Action, FindingKind, Plan, Verdict
from redactor.parse import parse
from redactor.policy import load_policy
from redactor.policy.model import Policy
from redactor.release.rounds import redact
from redactor.report.explanations import explanation

EXAMPLE = REPO / "examples" / "synthetic-cable.txt"


def cable(security: str = "ZNR UUUUU", line: str = "UNCLAS", captions: str = "SIPDIS",
          paragraphs: tuple[str, ...] = ("(U)", "(U)", "(U)")) -> str:
    """A telegram of our own, with the parts the validations look at as parameters."""
    body = "\n\n".join(f"{i}. {mark} The harbor conference will meet in spring, item {i}."
                       .replace("  ", " ") for i, mark in enumerate(paragraphs, 1))
    return f"""\
VZCZCXYZ0002
RR RUEHC
DE RUEHXX #0043/01 0121030
{security} ZZH
R 121030Z JAN 24
FM AMEMBASSY RIVERTON
TO RUEHC/SECSTATE WASHDC 0002

{line} RIVERTON 000043

{captions}

E.O. 12958: N/A
TAGS: PGOV PREL XX
SUBJECT: RIVERTON: HARBOR CONFERENCE PLANNING

{body}

VANTERPOOL
"""


def plan_of(text: str, policy: Policy) -> Plan:
    """Markings, validation and decisions without the name model (fast)."""
    parsed = parse(make_doc(text), policy)
    placeholders = find_placeholders(text, policy)
    marks = [f for f in detect_markings(parsed, policy)
             if not any(p.contains(f.span) for p in placeholders)]
    findings = (*marks, *detect_validation(parsed, marks, policy, placeholders))
    return decide(parsed, tuple(findings), policy)


def validations(plan: Plan) -> list[tuple[str, str | None]]:
    return [(f.label, f.block_id) for f in plan.findings if f.kind is FindingKind.VALIDATION]


def rules_on(plan: Plan, label: str) -> set[tuple[str, Action]]:
    return {(d.rule, d.action) for d in plan.decisions
            if d.finding.kind is FindingKind.VALIDATION and d.finding.label == label}


@pytest.fixture(scope="module")
def default() -> Policy:
    return load_policy()


def test_clean_documents_raise_no_validation(default: Policy) -> None:
    example = EXAMPLE.read_text("utf-8")
    assert validations(plan_of(example, default)) == []
    assert validations(plan_of(cable(), default)) == []
    sbu = cable(captions="SENSITIVE\nSIPDIS", paragraphs=("(U)", "(SBU)", "(U)"))
    assert validations(plan_of(sbu, default)) == []
    secret = cable("ZNY SSSSS", "S E C R E T", "NOFORN\nSIPDIS", ("(S//NF)", "(C)", "(U)"))
    plan = plan_of(secret, default)
    assert validations(plan) == []
    assert plan.verdict is Verdict.BLOCK  # classified-document, not a validation


def test_under_marked_classified_blocks(default: Policy) -> None:
    plan = plan_of(cable(paragraphs=("(U)", "(C)", "(U)")), default)
    assert validations(plan) == [("under-marked", "\u00b62")]
    assert rules_on(plan, "under-marked") == {("under-marked-classified", Action.BLOCK)}
    assert plan.verdict is Verdict.BLOCK
    assert plan.level == "unclassified" and plan.highest_level == "confidential"


def test_under_marked_below_classified_is_flagged(default: Policy) -> None:
    plan = plan_of(cable(paragraphs=("(U)", "(SBU)", "(U)")), default)  # no SENSITIVE caption
    assert validations(plan) == [("under-marked", "\u00b62")]
    assert rules_on(plan, "under-marked") == {("under-marked", Action.FLAG)}
    assert plan.verdict is Verdict.REDACT  # the (SBU) portion is withheld; the flag is reported


def test_unmarked_portion_in_a_portion_marked_cable(default: Policy) -> None:
    plan = plan_of(cable(paragraphs=("(U)", "", "(U)")), default)
    assert validations(plan) == [("unmarked-portion", "\u00b62")]
    assert rules_on(plan, "unmarked-portion") == {("unmarked-portions", Action.FLAG)}
    assert plan.verdict is Verdict.REVIEW
    # The SUBJECT line is unmarked too, but in a cable the numbered paragraphs are the portions.
    assert ("unmarked-portion", "field-subject") not in validations(plan)


def test_a_cable_without_portion_marks_is_not_portion_marked(default: Policy) -> None:
    plan = plan_of(cable(captions="SENSITIVE", paragraphs=("", "", "")), default)
    assert plan.level == "sbu"
    assert validations(plan) == []
    assert not any(d.rule == "unmarked-portions" for d in plan.decisions)


def test_unmarked_portion_in_a_generic_document(default: Policy) -> None:
    """Marks on unnumbered paragraphs: every unmarked portion counts, headings too."""
    plan = plan_of(BANNERED, default)
    assert validations(plan) == [("unmarked-portion", "heading-1")]
    assert ("unmarked-portions", Action.FLAG) in rules_on(plan, "unmarked-portion")


def test_conflicting_security_line(default: Policy) -> None:
    plan = plan_of(cable(security="ZNY CCCCC"), default)
    assert validations(plan) == [("conflicting-classification", "routing")]
    finding = next(f for f in plan.findings if f.kind is FindingKind.VALIDATION)
    assert finding.level == "confidential"
    assert "unclassified" in explanation(finding, plan.document, default)
    assert rules_on(plan, "conflicting-classification") == {
        ("conflicting-classification", Action.FLAG)}
    assert plan.verdict is Verdict.REVIEW
    # ZNR UUUUU over an SBU telegram is no conflict: SBU is unclassified traffic.
    sbu = cable(captions="SENSITIVE", paragraphs=("(U)", "(SBU)", "(U)"))
    assert validations(plan_of(sbu, default)) == []
    # Nor ZNY CCCCC over a CONFIDENTIAL telegram.
    conf = cable("ZNY CCCCC", "CONFIDENTIAL", "SIPDIS", ("(C)", "(U)", "(C)"))
    assert validations(plan_of(conf, default)) == []


def test_conflicting_banner_lines(default: Policy) -> None:
    text = ("UNCLASSIFIED\n\nBUDGET REVIEW\n\n(U) The review starts in the first quarter.\n\n"
            "(U) The figures follow.\n\nSECRET\n")
    plan = plan_of(text, default)
    found = [(f.label, f.level) for f in plan.findings if f.kind is FindingKind.VALIDATION]
    assert ("conflicting-classification", "unclassified") in found
    assert [f for f in found if f[0] == "conflicting-classification"] == [
        ("conflicting-classification", "unclassified")]


@pytest.mark.parametrize(("mark", "level"), [("(U//NF)", "unclassified"),
                                             ("(SBU/NF)", "sbu"), ("(SBU-N)", "sbu")])
def test_control_on_unclassified(default: Policy, mark: str, level: str) -> None:
    plan = plan_of(cable(captions="SENSITIVE", paragraphs=("(U)", mark, "(U)")), default)
    found = [f for f in plan.findings if f.kind is FindingKind.VALIDATION]
    assert [(f.label, f.block_id, f.level) for f in found] == [
        ("control-on-unclassified", "\u00b62", level)]
    assert found[0].flags == ("noforn",)
    assert rules_on(plan, "control-on-unclassified") == {("control-on-unclassified", Action.FLAG)}


def test_no_control_finding_on_classified_or_fouo_portions(default: Policy) -> None:
    plan = plan_of(cable("ZNY SSSSS", "SECRET", "SIPDIS", ("(S//NF)", "(C//REL TO USA, GBR)",
                                                          "(S)")), default)
    assert validations(plan) == []
    plan = plan_of(cable(captions="SENSITIVE", paragraphs=("(U//FOUO)", "(U)", "(U)")), default)
    assert validations(plan) == []


def test_policy_makes_a_validation_block_or_narrows_it(default: Policy, tmp_path: Path) -> None:
    strict = load_policy(write_file(tmp_path / "strict.yaml", """\
name: strict
extends: [default]
rules:
  - id: conflicting-classification
    when: {validation: conflicting-classification}
    action: block
    reason: markings disagree - refer to the classifier
  - id: control-on-unclassified
    description: State's SBU NOFORN is allowed; NOFORN on a (U) portion is not.
    when: {validation: control-on-unclassified, marking_level: unclassified}
    action: block
    reason: dissemination control on an unclassified portion
"""))
    conflict = cable(security="ZNY CCCCC")
    assert plan_of(conflict, default).verdict is Verdict.REVIEW
    plan = plan_of(conflict, strict)
    assert plan.verdict is Verdict.BLOCK
    assert rules_on(plan, "conflicting-classification") == {
        ("conflicting-classification", Action.BLOCK)}
    sbu_nf = cable(captions="SENSITIVE", paragraphs=("(U)", "(SBU/NF)", "(U)"))
    assert rules_on(plan_of(sbu_nf, strict), "control-on-unclassified") == set()
    u_nf = cable(captions="SENSITIVE", paragraphs=("(U)", "(U//NF)", "(U)"))
    assert plan_of(u_nf, strict).verdict is Verdict.BLOCK


def test_only_validation_rules_see_validation_findings(default: Policy) -> None:
    """A rule on `marking_level` or `flag` alone never matches a validation finding, and a
    `validation` rule never matches a marking."""
    plan = plan_of(cable(security="ZNY CCCCC", paragraphs=("(U)", "(U//NF)", "(C)")), default)
    for d in plan.decisions:
        is_validation = d.finding.kind is FindingKind.VALIDATION
        rule = next(r for r in default.rules if r.id == d.rule)
        assert is_validation == ("validation" in rule.when), d.rule


def test_unknown_validation_is_a_policy_error(tmp_path: Path) -> None:
    path = write_file(tmp_path / "bad.yaml", """\
name: bad
extends: [default]
rules:
  - {id: x, when: {validation: under-markd}, action: flag}
""")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert "bad.yaml:4" in str(err.value) or "validation" in str(err.value)


def test_withheld_portions_are_not_validated(default: Policy) -> None:
    """A redacted copy keeps the marks of the portions it withheld: they are not under-marked
    (the SENSITIVE caption that made them fit is gone from the copy)."""
    text = cable(paragraphs=("(U)", "(SBU) [PARAGRAPH WITHHELD (b)(6) - rule sbu-portions]",
                             "(U)"))
    text = text.replace("(SBU) [PARAGRAPH WITHHELD (b)(6) - rule sbu-portions] The harbor "
                        "conference will meet in spring, item 2.",
                        "(SBU) [PARAGRAPH WITHHELD (b)(6) - rule sbu-portions]")
    assert validations(plan_of(text, default)) == []


def test_round_trip_copy_re_checks_clean(engine: Engine) -> None:
    text = cable(security="ZNY CCCCC", captions="SENSITIVE\nSIPDIS",
                 paragraphs=("(U)", "(SBU/NF)", "", "(SBU)"))
    plan = engine.check(make_doc(text))
    assert plan.verdict is Verdict.REDACT
    assert {f.label for f in plan.findings if f.kind is FindingKind.VALIDATION} == {
        "conflicting-classification", "unmarked-portion", "control-on-unclassified"}
    redaction = redact(engine, plan)
    copy = redaction.recheck
    assert all(d.action.rank < Action.REDACT.rank for d in copy.decisions
               if d.allowed_by is None and d.covered_by is None)
    labels = {f.label for f in copy.findings if f.kind is FindingKind.VALIDATION}
    # The header still disagrees with the UNCLAS line (a flag); the portions were withheld
    # (the unmarked one inherits sbu from the SENSITIVE caption), so they are not validated.
    assert labels == {"conflicting-classification"}


def test_report_shows_validation(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    import json

    path = write_file(tmp_path / "c.txt", cable(security="ZNY CCCCC"))
    result = run_cli("check", path, "--format", "json")
    findings = json.loads(result.output)["documents"][0]["findings"]
    rows = [(f["kind"], f["label"], f["rule"], f["action"]) for f in findings
            if f["kind"] == "validation"]
    assert rows == [("validation", "conflicting-classification", "conflicting-classification",
                     "flag")]
    text = run_cli("check", path).output
    assert "marking validation:" in text and "conflicting-classification" in text


# ------------------------------------------------------------------------- the corpus

# Real cables, one per validation (found by the survey in docs/policies.md, Marking validation).
CORPUS_CASES = [
    ("09ASUNCION595", "conflicting-classification"),  # ZNY CCCCC over an UNCLAS line
    ("10MEXICO614", "conflicting-classification"),  # ZNR UUUUU over a SECRET line
    ("05BRASILIA1325", "under-marked"),  # (SBU) paragraphs under UNCLAS without SENSITIVE
    ("09MOSCOW1108", "under-marked"),  # (S/NF) paragraphs under a banner read as NOFORN only
    ("04WELLINGTON599", "control-on-unclassified"),  # (SBU/NF)
    ("07AMMAN4693", "control-on-unclassified"),  # (SBU/NF)
    ("04BOGOTA11339", "unmarked-portion"),  # an unmarked numbered paragraph among marked ones
]


@pytest.mark.parametrize(("name", "label"), CORPUS_CASES)
def test_corpus_cable_per_validation(corpus: Path, default: Policy, name: str,
                                     label: str) -> None:
    path = corpus / "cables" / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus")
    plan = plan_of(read_document(path).text, default)
    assert label in {lbl for lbl, _ in validations(plan)}


def test_every_validation_has_a_rule_in_the_default_pack(default: Policy) -> None:
    covered = {v for r in default.rules if "validation" in r.when
               for v in r.when.get("validation")}
    assert covered == set(VALIDATIONS)
