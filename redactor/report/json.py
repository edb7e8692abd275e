"""The JSON report of a check: the versioned contract of docs/report-format.md.

It never prints the text of a name or other personal data unless `show_text` is set: CI logs are
often public. Marking words (UNCLAS, SENSITIVE, (SBU)) are not sensitive and are shown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import orjson

from redactor import __version__
from redactor.detect.base import Explaining
from redactor.model import Action, Decision, Finding, FindingKind, Plan, Result, Span
from redactor.policy.model import Policy
from redactor.report.base import Reporter, RunReport
from redactor.report.common import (
    cue_definition,
    cue_phrase,
    exit_code,
    marking_word,
    ordered,
    protection_cues,
)
from redactor.report.explanations import explain, protection

REPORT_VERSION = 1


def json_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                show_text: bool = False) -> str:
    policies = {id(p): p for p in policy_of.values()}
    verdicts = Counter(r.verdict.value for r in results)
    report = {
        "report_version": REPORT_VERSION,
        "tool": {"name": "redactor", "version": __version__},
        "policies": [p.identity() for p in policies.values()],
        "fail_on": fail_on.value,
        "exit_code": exit_code(results, fail_on),
        "summary": {"documents": len(results), "verdicts": dict(sorted(verdicts.items()))},
    }
    documents = (document_json(r, policy_of.get(r.path), show_text) for r in results)
    return one_item_a_line(report, "documents", documents)


def one_item_a_line(head: dict[str, Any], key: str, items: Iterable[Any]) -> str:
    """JSON: the keys of `head` one a line, then `key` with each of `items` on a line of its
    own: a diff shows which documents changed. Each item is written by orjson (in C) as it
    comes, and let go of: a report of thousands of documents would otherwise hold millions of
    objects at once. (The standard library's json takes five times as long, and with `indent`
    falls back to its Python encoder: 8 ms a document.)"""
    def line(value: Any) -> str:
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:  # a lone surrogate: a file name that is not UTF-8, kept as Python
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # reads it

    parts = [f"  {line(name)}: {line(value)}" for name, value in head.items()]
    lines = ",\n".join("    " + line(item) for item in items)
    parts.append(f"  {line(key)}: [\n{lines}\n  ]" if lines else f"  {line(key)}: []")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def document_json(result: Result, policy: Policy | None, show_text: bool) -> dict[str, Any]:
    base: dict[str, Any] = {"path": result.path, "verdict": result.verdict.value}
    if result.skipped is not None:
        return {**base, "skipped": result.skipped}
    if result.plan is None:
        assert result.error is not None
        return {**base, "sha256": None, "level": None, "highest_level": None, "policy": None,
                "authority": None, "markings": [],
                "portions": [], "findings": [], "cues": [],
                "errors": [{"code": result.error.code, "message": result.error.message,
                            "hint": result.error.hint}]}
    plan = result.plan
    doc = plan.document
    context = Explaining(doc, policy, show_text)
    return {
        **base,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "layout": plan.parsed.layout,
        "level": plan.level,
        "highest_level": plan.highest_level,
        "policy": policy.name if policy else None,
        "authority": authority_json(plan),
        "markings": [_marking_json(plan, f, show_text) for f in plan.findings
                     if f.kind in (FindingKind.MARKING, FindingKind.PORTION)],
        "portions": [{"block": p.block_id, "mark": p.label, "level": p.level,
                      "inherited": p.inherited, "already_withheld": p.already_withheld,
                      "line": doc.position(p.span.start)[0]} for p in plan.portions],
        "findings": [finding_json(plan, d, show_text, policy, context)
                     for d in ordered(plan.decisions)],
        "cues": [_cue_json(plan, f, policy, show_text) for f in protection_cues(plan, policy)],
        "errors": [],
    }


def authority_json(plan: Plan) -> dict[str, Any] | None:
    """The classification authority and declassification data, never the classifier's name."""
    authority = plan.parsed.authority
    if authority is None:
        return None
    return {"executive_order": authority.executive_order,
            "classified_by": authority.classified_by,
            "classifier_position": authority.classifier_position,
            "classification": authority.classification,
            "reasons": list(authority.reasons),
            "declassify_on": authority.declassify_on,
            "exemptions": list(authority.exemptions),
            "lines": sorted({plan.document.position(s.start)[0] for s in authority.spans})}



def _cue_json(plan: Plan, finding: Finding, policy: Policy | None,
              show_text: bool) -> dict[str, Any]:
    assert policy is not None
    definition = cue_definition(policy, finding)
    line, column = plan.document.position(finding.span.start)
    item: dict[str, Any] = {
        "id": finding.label, "phrase": cue_phrase(plan, finding, definition),
        "scope": definition.scope, "start": finding.span.start, "end": finding.span.end,
        "line": line, "column": column, "block": finding.block_id}
    if show_text:
        item["text"] = plan.document.text[finding.span.start:finding.span.end]
    return item



def _marking_json(plan: Plan, finding: Finding, show_text: bool) -> dict[str, Any]:
    line, column = plan.document.position(finding.span.start)
    item = {"id": finding.label, "kind": str(finding.kind), "where": finding.where,
            "level": finding.level, "flags": list(finding.flags),
            "start": finding.span.start, "end": finding.span.end, "line": line, "column": column,
            "block": finding.block_id}
    if show_text or marking_word(finding):
        item["text"] = plan.document.text[finding.span.start:finding.span.end]
    return item




def finding_json(plan: Plan, decision: Decision, show_text: bool,
                 policy: Policy | None = None,
                 context: Explaining | None = None) -> dict[str, Any]:
    """One finding of the contract. `context` (how its document is put into words) is made
    once a document by the caller that writes many findings."""
    document = plan.document
    context = context or Explaining(document, policy, show_text)
    # str(member), not member.value: the same string (they are StrEnums), without the
    # enum's Python-level property, which cost a tenth of a cached run's report.
    finding = decision.finding
    span = finding.span
    line, column = document.position(span.start)
    item: dict[str, Any] = {
        "rule": decision.rule, "kind": str(finding.kind), "label": finding.label,
        "entity_type": finding.entity_type, "action": str(decision.action),
        "reason": decision.reason, "start": span.start, "end": span.end,
        "line": line, "column": column, "block": finding.block_id, "score": finding.score,
        "level": finding.level, "covered_by": decision.covered_by,
        "allowed_by": None if decision.allowed_by is None else str(decision.allowed_by),
        "protected_by": None if decision.protected_by is None
        else protection(decision, document, policy),
        "explanation": explain(finding, context),
        "found_by": finding.found_by,
        "source": None if finding.source is None else _position(plan, finding.source),
    }
    if show_text:
        item["text"] = document.text[span.start:span.end]
    return item


def _position(plan: Plan, span: Span | None) -> dict[str, int] | None:
    """Where a span starts, never its text."""
    if span is None:
        return None
    line, column = plan.document.position(span.start)
    return {"line": line, "column": column}


def _render(run: RunReport) -> str:
    return json_report(run.results, run.policy_of, run.fail_on, run.show_text)


REPORTER = Reporter('json', "", _render)
