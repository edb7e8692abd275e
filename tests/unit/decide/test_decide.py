"""decide: rules → actions, precedence, allow-lists, covered_by, inherited levels, verdicts,
--fail-on and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BANNERED, CONFIDENTIAL_CABLE, MEMO, PUBLIC, SBU_CABLE, SECRET_CABLE, make_doc
from helpers import write as write_file

from redactor.engine import Engine
from redactor.model import Action, FileError, FindingKind, Plan, Result, Verdict
from redactor.policy import load_policy
from redactor.report.common import exit_code


def plan_of(engine: Engine, text: str, path: str = "doc.txt") -> Plan:
    return engine.check(make_doc(text, path))


def decisions_on(plan: Plan, needle: str) -> list[tuple[str, Action]]:
    text = plan.document.text
    return [(d.rule, d.action) for d in plan.decisions
            if text[d.finding.span.start:d.finding.span.end] == needle]


def engine_with(engine: Engine, tmp_path: Path, yaml: str) -> Engine:
    policy = load_policy(write_file(tmp_path / "policy.yaml", yaml))
    return Engine(policy, models=engine.models)


def test_sbu_cable_plan(engine: Engine) -> None:
    plan = plan_of(engine, SBU_CABLE)
    assert plan.level == "sbu"
    assert plan.verdict is Verdict.REDACT
    assert plan.strongest is Action.WITHHOLD
    withheld = {d.finding.block_id for d in plan.decisions if d.action is Action.WITHHOLD}
    assert withheld == {"\u00b61", "\u00b62", "\u00b64", "field-subject"}
    assert ("superseded-markings", Action.REDACT) in decisions_on(plan, "SENSITIVE")
    assert ("no-web", Action.WITHHOLD) in decisions_on(plan, "Not for public Internet")
    assert ("embassy-comments", Action.FLAG) in [
        (d.rule, d.action) for d in plan.decisions if d.finding.label == "comment"]


def test_covered_by_withheld_portion(engine: Engine) -> None:
    plan = plan_of(engine, SBU_CABLE)
    names = {SBU_CABLE[d.finding.span.start:d.finding.span.end]: d for d in plan.decisions
             if d.rule == "names"}
    assert names["Marta Kellingworth"].covered_by == "\u00b62"
    assert names["Kellingworth"].covered_by == "\u00b64"
    assert names["HARDCASTLE"].covered_by is None
    assert names["HARDCASTLE"].action is Action.REDACT


def test_unmarked_portions_inherit_the_document_level(engine: Engine) -> None:
    plan = plan_of(engine, BANNERED)
    assert plan.level == "sbu"
    states = {p.block_id: p for p in plan.portions}
    heading = states["heading-1"]
    assert (heading.label, heading.level, heading.inherited) == (None, "sbu", True)
    marked_u = next(p for p in plan.portions if p.label == "U")
    assert (marked_u.level, marked_u.inherited) == ("unclassified", False)
    rules = {(d.finding.block_id, d.rule, d.action) for d in plan.decisions}
    assert ("heading-1", "unmarked-portions", Action.FLAG) in rules
    assert ("heading-1", "sbu-portions", Action.WITHHOLD) in rules
    assert not any(r[0] == marked_u.block_id and r[2] is Action.WITHHOLD for r in rules)


def test_unmarked_document_has_no_inherited_portions(engine: Engine) -> None:
    plan = plan_of(engine, MEMO)
    assert plan.level is None
    assert all(not p.inherited and p.level is None for p in plan.portions)
    assert not any(d.rule == "unmarked-portions" for d in plan.decisions)


@pytest.mark.parametrize(("text", "level", "verdict"), [
    (PUBLIC, None, Verdict.RELEASABLE),
    (MEMO, None, Verdict.REDACT),
    (SBU_CABLE, "sbu", Verdict.REDACT),
    (CONFIDENTIAL_CABLE, "confidential", Verdict.BLOCK),
    (SECRET_CABLE, "secret", Verdict.BLOCK),
    ("Minutes.\n\nThe plan is fine. [COMMENT: check the dates. END COMMENT]\n", None,
     Verdict.REVIEW),
], ids=["public", "memo", "sbu", "confidential", "secret", "comment-only"])
def test_levels_and_verdicts(engine: Engine, text: str, level: str | None,
                             verdict: Verdict) -> None:
    plan = plan_of(engine, text)
    assert (plan.level, plan.verdict) == (level, verdict)


def test_blocked_document_reports_every_finding(engine: Engine) -> None:
    plan = plan_of(engine, SECRET_CABLE)
    block = [d for d in plan.decisions if d.action is Action.BLOCK]
    assert [d.rule for d in block] == ["classified-document"]
    assert block[0].target.start == 0 and block[0].target.end == len(SECRET_CABLE)
    assert block[0].reason == "(b)(1)"
    rules = {d.rule for d in plan.decisions}
    assert {"classified-portions", "names", "dissemination-controls"} <= rules
    assert any(f.kind is FindingKind.PORTION and f.label == "noforn-short"
               and "noforn" in f.flags for f in plan.findings)


def test_precedence_strongest_action_wins(engine: Engine) -> None:
    plan = plan_of(engine, SECRET_CABLE)
    assert plan.strongest is Action.BLOCK
    plan = plan_of(engine, MEMO)
    assert plan.strongest is Action.REDACT


def test_allow_list(engine: Engine, tmp_path: Path) -> None:
    custom = engine_with(engine, tmp_path, """\
name: allow-officials
extends: [default]
rules:
  - {id: names, when: {entity: PERSON}, action: redact, reason: (b)(6),
     allow: [priya raman]}
""")
    plan = custom.check(make_doc(MEMO))
    text = MEMO
    for d in plan.decisions:
        name = text[d.finding.span.start:d.finding.span.end]
        if d.rule == "names" and name == "Priya Raman":
            assert d.action is Action.ALLOW
            assert str(d.allowed_by) == "allow-list of rule names"
        elif d.rule == "names":
            assert d.action is Action.REDACT
    only_allowed = custom.check(make_doc("Priya Raman opened the library on Monday.\n"))
    assert only_allowed.verdict is Verdict.RELEASABLE
    assert only_allowed.strongest is None


def test_policy_changes_the_outcome_without_code(engine: Engine, tmp_path: Path) -> None:
    custom = engine_with(engine, tmp_path, """\
name: acme
extends: [default]
markings:
  - {id: acme-internal, where: [banner], level: confidential, words: [ACME INTERNAL]}
""")
    text = "ACME INTERNAL\n\nThe launch date moves to June.\n"
    assert custom.check(make_doc(text)).verdict is Verdict.BLOCK
    assert plan_of(engine, text).verdict is Verdict.RELEASABLE


def result(plan: Plan | None, error: bool = False) -> Result:
    if error:
        return Result("bad.txt", error=FileError("binary", "file is binary, not text"))
    assert plan is not None
    return Result(plan.document.path, plan=plan)


@pytest.mark.parametrize(("fail_on", "memo", "comment"), [
    (Action.FLAG, 1, 1),
    (Action.REDACT, 1, 0),
    (Action.WITHHOLD, 0, 0),
    (Action.BLOCK, 0, 0),
])
def test_fail_on(engine: Engine, fail_on: Action, memo: int, comment: int) -> None:
    memo_plan = plan_of(engine, MEMO)
    comment_plan = plan_of(engine, "Notes.\n\nFine. [COMMENT: dates? END COMMENT]\n")
    assert exit_code([result(memo_plan)], fail_on) == memo
    assert exit_code([result(comment_plan)], fail_on) == comment


def test_exit_codes(engine: Engine) -> None:
    public = result(plan_of(engine, PUBLIC))
    secret = result(plan_of(engine, SECRET_CABLE))
    sbu = result(plan_of(engine, SBU_CABLE))
    broken = result(None, error=True)
    assert exit_code([public], Action.REDACT) == 0
    assert exit_code([public, sbu], Action.REDACT) == 1
    assert exit_code([secret], Action.BLOCK) == 1
    assert exit_code([public, secret, broken], Action.REDACT) == 2, "2 outranks 1"
    assert exit_code([broken], Action.BLOCK) == 2
    assert broken.verdict is Verdict.ERROR
