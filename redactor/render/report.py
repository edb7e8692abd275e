"""Reports of a check: the JSON contract (docs/report-format.md) and the terminal text.

Neither prints the text of a name or other personal data unless `show_text` is set: CI logs are
often public. Marking words (UNCLAS, SENSITIVE, (SBU)) are not sensitive and are shown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import click
import orjson

from redactor import __version__
from redactor.model import (
    Action,
    Authority,
    Decision,
    Finding,
    FindingKind,
    Plan,
    Result,
    Span,
    Verdict,
)
from redactor.policy.model import CueDef, Policy
from redactor.render.common import accepted

REPORT_VERSION = 1
_VERDICT_TEXT = {
    Verdict.RELEASABLE: "releasable as it stands",
    Verdict.REVIEW: "releasable after human review of the flagged findings",
    Verdict.REDACT: "not releasable as it stands; releasable after redaction",
    Verdict.BLOCK: "not releasable, not even redacted",
    Verdict.ERROR: "could not be checked",
}
_VERDICT_COLOUR = {Verdict.RELEASABLE: "green", Verdict.REVIEW: "yellow", Verdict.REDACT: "yellow",
                   Verdict.BLOCK: "red", Verdict.ERROR: "red"}


def exit_code(results: Iterable[Result], fail_on: Action) -> int:
    results = [r for r in results if r.skipped is None]
    if any(r.plan is None for r in results):
        return 2
    for result in results:
        assert result.plan is not None
        strongest = result.plan.strongest
        if strongest is not None and strongest.rank >= fail_on.rank:
            return 1
    return 0


# ------------------------------------------------------------------------------ JSON

def json_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                show_text: bool = False) -> str:
    policies = {id(p): p for p in policy_of.values()}
    verdicts = Counter(r.verdict.value for r in results)
    report = {
        "report_version": REPORT_VERSION,
        "tool": {"name": "redactor", "version": __version__},
        "policies": [policy_json(p) for p in policies.values()],
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


def policy_json(policy: Policy) -> dict[str, Any]:
    return {"name": policy.name, "version": policy.version, "fingerprint": policy.fingerprint,
            "files": list(policy.files)}


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
                      "line": doc.line_col(p.span.start)[0]} for p in plan.portions],
        "findings": [finding_json(plan, d, show_text) for d in ordered(plan.decisions)],
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
            "lines": sorted({plan.document.line_col(s.start)[0] for s in authority.spans})}


def protection_cues(plan: Plan, policy: Policy | None) -> list[Finding]:
    """The protection cues found in the document (not NOTE/COMMENT asides)."""
    ids = {cue.id for cue in policy.cues} if policy is not None else set()
    return [f for f in plan.findings if f.kind is FindingKind.CUE and f.label in ids]


def _cue_definition(policy: Policy, finding: Finding) -> CueDef:
    return next(cue for cue in policy.cues if cue.id == finding.label)


def _cue_phrase(plan: Plan, finding: Finding, definition: CueDef) -> str:
    """The policy's phrase that the cue matched (the policy's words, not the document's)."""
    match = definition.regex.match(plan.document.text, finding.span.start)
    return definition.phrase_of(match) if match else definition.phrases[0]


def _cue_json(plan: Plan, finding: Finding, policy: Policy | None,
              show_text: bool) -> dict[str, Any]:
    assert policy is not None
    definition = _cue_definition(policy, finding)
    line, column = plan.document.line_col(finding.span.start)
    item: dict[str, Any] = {
        "id": finding.label, "phrase": _cue_phrase(plan, finding, definition),
        "scope": definition.scope, "start": finding.span.start, "end": finding.span.end,
        "line": line, "column": column, "block": finding.block_id}
    if show_text:
        item["text"] = plan.document.text[finding.span.start:finding.span.end]
    return item


def ordered(decisions: Iterable[Decision]) -> list[Decision]:
    return sorted(decisions, key=lambda d: (d.finding.span.start, d.finding.span.end, d.rule,
                                            d.target.start))


def _marking_json(plan: Plan, finding: Finding, show_text: bool) -> dict[str, Any]:
    line, column = plan.document.line_col(finding.span.start)
    item = {"id": finding.label, "kind": str(finding.kind), "where": finding.where,
            "level": finding.level, "flags": list(finding.flags),
            "start": finding.span.start, "end": finding.span.end, "line": line, "column": column,
            "block": finding.block_id}
    if show_text or _marking_word(finding):
        item["text"] = plan.document.text[finding.span.start:finding.span.end]
    return item


def _marking_word(finding: Finding) -> bool:
    """Banner, caption, header and portion markings are marking words (UNCLAS, SENSITIVE,
    SBU), safe to print. A phrase marking is whatever a policy looks for in the text, a name
    perhaps: its text is shown only with --show-text."""
    return finding.where != "phrase"


def finding_json(plan: Plan, decision: Decision, show_text: bool) -> dict[str, Any]:
    # str(member), not member.value: the same string (they are StrEnums), without the
    # enum's Python-level property, which cost a tenth of a cached run's report.
    finding = decision.finding
    line, column = plan.document.line_col(finding.span.start)
    item: dict[str, Any] = {
        "rule": decision.rule, "kind": str(finding.kind), "label": finding.label,
        "entity_type": finding.entity_type, "action": str(decision.action),
        "reason": decision.reason, "start": finding.span.start, "end": finding.span.end,
        "line": line, "column": column, "block": finding.block_id, "score": finding.score,
        "level": finding.level, "covered_by": decision.covered_by,
        "allowed_by": decision.allowed_by, "protected_by": decision.protected_by,
        "explanation": finding.explanation, "found_by": finding.found_by or None,
        "source": _position(plan, finding.source),
    }
    if show_text:
        item["text"] = plan.document.text[finding.span.start:finding.span.end]
    return item


def _position(plan: Plan, span: Span | None) -> dict[str, int] | None:
    """Where a span starts, never its text."""
    if span is None:
        return None
    line, column = plan.document.line_col(span.start)
    return {"line": line, "column": column}


# ------------------------------------------------------------------------------ text

def text_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                show_text: bool = False, color: bool = False, explain: bool = False) -> str:
    out: list[str] = []
    for result in results:
        if result.skipped is None:
            out.extend(_document_text(result, policy_of.get(result.path), show_text, explain))
            out.append("")
    skipped = [r for r in results if r.skipped is not None]
    if skipped:
        out.append(f"not checked ({len(skipped)}):")
        out.extend(f"  {r.path}: {r.skipped}" for r in skipped)
        out.append("")
    counts = Counter(r.verdict for r in results if r.skipped is None)
    summary = ", ".join(f"{n} {v.value}" for v, n in sorted(counts.items(), key=lambda kv: kv[0]))
    code = exit_code(results, fail_on)
    checked = sum(counts.values())
    listed = f": {summary}" if summary else ""
    out.append(f"{checked} document(s) checked{listed}. Exit code {code} (--fail-on {fail_on}).")
    text = "\n".join(out) + "\n"
    return text if color else click.unstyle(text)


def _document_text(result: Result, policy: Policy | None, show_text: bool,
                   explain: bool = False) -> list[str]:
    verdict = result.verdict
    head = click.style(f"{result.path}", bold=True)
    if result.plan is None:
        assert result.error is not None
        return [head, click.style(f"  error: {result.error.message}", fg="red"),
                f"  {result.error.hint}" if result.error.hint else "",
                _verdict_line(verdict)]
    plan = result.plan
    doc = plan.document
    level = (plan.level or "none").upper()
    if plan.highest_level != plan.level:
        level += f" (portions or phrases go up to {(plan.highest_level or 'none').upper()})"
    lines = [head, f"  layout {plan.parsed.layout} · encoding {doc.encoding} · level {level}"]
    if policy is not None:
        lines.append(f"  policy {policy.name!r} from {policy.files[-1]}")
    if plan.parsed.authority is not None:
        lines.append("  authority: " + authority_text(plan.parsed.authority))
    why = _Explainer(plan, policy, show_text) if explain else None
    lines.extend(_markings_text(plan, show_text, why))
    lines.extend(_portions_text(plan, why))
    lines.extend(_findings_text(plan, show_text, why))
    lines.extend(_validation_text(plan, why))
    lines.extend(_cues_text(plan, policy, show_text, why))
    lines.append(_verdict_line(verdict))
    lines.append("  " + _counts_text(plan))
    return lines


def authority_text(authority: Authority) -> str:
    """One line: `E.O. 12958 · classified by Ambassador · reasons 1.4(b), 1.4(d) · declassify
    on 08/21/2018` — a classifier's name is never part of it."""
    parts = []
    if authority.executive_order:
        parts.append(f"E.O. {authority.executive_order}")
    if authority.classified_by:
        parts.append(f"classified by {authority.classifier_position or '(a named classifier)'}")
    if authority.classification:
        parts.append(f"class {authority.classification}")
    if authority.reasons:
        parts.append(f"reasons {', '.join(authority.reasons)}")
    if authority.declassify_on:
        parts.append(f"declassify on {authority.declassify_on}")
    if authority.exemptions:
        parts.append(f"exemptions {', '.join(authority.exemptions)}")
    return " · ".join(parts)


def _markings_text(plan: Plan, show_text: bool, why: _Explainer | None = None) -> list[str]:
    markings = [f for f in plan.findings if f.kind is FindingKind.MARKING]
    if not markings:
        return ["  markings: none"]
    lines = ["  markings:"]
    for f in markings:
        line, _ = plan.document.line_col(f.span.start)
        text = plan.document.text[f.span.start:f.span.end]
        shown = repr(text) if show_text or _marking_word(f) else f.label
        what = [f"level {f.level}"] if f.level else []
        what += [f"flag {flag}" for flag in f.flags]
        acts = _actions_for(plan, f)
        lines.append(f"    line {line:<5} {f.where:<8} {shown:<28} {', '.join(what):<24} {acts}")
        if why is not None:
            lines.extend(why.finding(f))
            lines.extend(why.decision(d) for d in plan.decisions if d.finding == f)
    return lines


def _portions_text(plan: Plan, why: _Explainer | None = None) -> list[str]:
    if not plan.portions or (plan.level is None and not any(p.label for p in plan.portions)):
        return []
    lines = ["  portions:"]
    by_block: dict[str, list[Decision]] = {}
    for d in plan.decisions:
        if d.finding.kind in (FindingKind.PORTION, FindingKind.VALIDATION) \
                or d.action is Action.WITHHOLD:
            by_block.setdefault(d.finding.block_id or "", []).append(d)
    for p in plan.portions:
        line, _ = plan.document.line_col(p.span.start)
        mark = f"({p.label})" if p.label else "unmarked"
        level = f"{p.level or 'none'}{' (inherited)' if p.inherited else ''}"
        if p.already_withheld:
            fate = "already withheld"
        else:
            acts = sorted(by_block.get(p.block_id, []), key=lambda d: -d.action.rank)
            fate = "; ".join(f"{d.action} [{d.rule}] {d.reason}{_allowed(d)}"
                             for d in acts) or "release"
        lines.append(f"    {p.block_id:<14} line {line:<5} {mark:<10} {level:<26} → {fate}")
        if why is not None and not p.already_withheld:
            lines.extend(why.decision(d) for d in sorted(by_block.get(p.block_id, []),
                                                         key=lambda d: -d.action.rank))
    return lines


def _findings_text(plan: Plan, show_text: bool, why: _Explainer | None = None) -> list[str]:
    entities = [d for d in ordered(plan.decisions)
                if d.finding.kind in (FindingKind.ENTITY, FindingKind.CUE)]
    if not entities:
        return ["  names and personal data: none found"]
    lines = ["  names, personal data and cues:"]
    for d in entities:
        f = d.finding
        line, column = plan.document.line_col(f.span.start)
        where = f"in {f.block_id}" if f.block_id else ""
        state = (_allowed(d) if accepted(d) else
                 f" (inside withheld {d.covered_by})" if d.covered_by else
                 f" (allowed: {d.allowed_by})" if d.allowed_by else "")
        shown = f" {plan.document.text[f.span.start:f.span.end]!r}" if show_text else ""
        lines.append(f"    {f'{line}:{column}':<10} {f.label:<14}{shown} {where:<16} "
                     f"{d.action} [{d.rule}] {d.reason}{state}")
        if why is not None:
            lines.extend(why.finding(f))
            lines.append(why.decision(d))
    return lines


def _validation_text(plan: Plan, why: _Explainer | None = None) -> list[str]:
    """Marking validation findings (detect/validation.py): what the policy made of them."""
    found = [d for d in ordered(plan.decisions) if d.finding.kind is FindingKind.VALIDATION]
    if not found:
        return []
    lines = ["  marking validation:"]
    for d in found:
        f = d.finding
        line, column = plan.document.line_col(f.span.start)
        where = f"in {f.block_id}" if f.block_id else ""
        covered = f" (inside withheld {d.covered_by})" if d.covered_by else _allowed(d)
        lines.append(f"    {f'{line}:{column}':<10} {f.label:<26} {where:<16} "
                     f"{d.action} [{d.rule}] {f.explanation}{covered}")
        if why is not None:
            lines.append(why.decision(d))
    return lines


def _cues_text(plan: Plan, policy: Policy | None, show_text: bool,
               why: _Explainer | None) -> list[str]:
    cues = protection_cues(plan, policy)
    if not cues or policy is None:
        return []
    lines = ["  protection cues (names near them are never allow-listed):"]
    for f in cues:
        definition = _cue_definition(policy, f)
        line, column = plan.document.line_col(f.span.start)
        where = f"in {f.block_id}" if f.block_id else ""
        shown = f" {plan.document.text[f.span.start:f.span.end]!r}" if show_text else ""
        lines.append(f"    {f'{line}:{column}':<10} {f.label:<14}{shown} {where:<16} "
                     f'"{_cue_phrase(plan, f, definition)}", protects its {definition.scope}')
        if why is not None:
            lines.append(f"{_WHY_INDENT}cue {definition.id} from {definition.origin}")
    return lines


_WHY_INDENT = " " * 13


class _Explainer:
    """The --explain lines: why a finding was found, and why each decision was taken. Built
    from what the finding records, never from the document's text (unless --show-text)."""

    def __init__(self, plan: Plan, policy: Policy | None, show_text: bool) -> None:
        self.plan = plan
        self.rules = {r.id: r for r in policy.rules} if policy is not None else {}
        self.show_text = show_text

    def finding(self, finding: Finding) -> list[str]:
        return [f"{_WHY_INDENT}why found: {self.found(finding)}"]

    def found(self, finding: Finding) -> str:
        how = finding.found_by
        score = f"score {finding.score:g}"
        if how == "model":
            recognizer = finding.explanation.removeprefix("found by ").split(";")[0].strip()
            text = (f"found by the model ({recognizer}, {score})" if "spacy" in recognizer.lower()
                    else f"found by Presidio's {recognizer} ({score})")
        elif how == "propagation":
            text = f"same name as the person found {self._at(finding.source)}"
        elif how == "misspelling":
            text = f"close to the name found {self._at(finding.source)}"
        elif how == "title-cue":
            text = finding.explanation.split(";")[0]  # after the title 'Ambassador'
        elif how == "deny-list":
            text = f"on the policy's deny-list of {finding.entity_type}"
        elif how == "signature":
            text = "signature line"
        elif how:
            text = f"found by {how}"
        elif finding.kind is FindingKind.CUE and finding.label in ("note", "comment"):
            text = f"inside a {finding.explanation} aside"
        else:  # markings, portions, cues: what the policy defines, no document text
            text = finding.explanation or finding.kind.value
        if finding.explanation.endswith("found on re-check of the redacted copy"):
            text += "; found on re-check of the redacted copy"
        return text

    def _at(self, span: Span | None) -> str:
        if span is None:
            return "elsewhere in the document"
        line, column = self.plan.document.line_col(span.start)
        text = f"on line {line}, column {column}"
        if self.show_text:
            text += f" ({self.plan.document.text[span.start:span.end]!r})"
        return text

    def decision(self, decision: Decision) -> str:
        rule = self.rules.get(decision.rule)
        origin = f" ({rule.origin})" if rule is not None else ""
        text = f"{_WHY_INDENT}decision: rule {decision.rule}{origin}: {decision.action}"
        if decision.allowed_by:
            text += f", on the {decision.allowed_by}"
        else:
            text += f", reason {decision.reason}"
        if decision.protected_by:
            text += f"; allow-list not applied: {decision.protected_by}"
        if decision.covered_by:
            text += f"; already removed with withheld portion {decision.covered_by}"
        return text


def _actions_for(plan: Plan, finding: Finding) -> str:
    acts = [d for d in plan.decisions if d.finding == finding]
    return "; ".join(f"→ {d.action} [{d.rule}]{_allowed(d)}" for d in acts)


def _allowed(decision: Decision) -> str:
    """` (allowed: accepted by baseline: …)` for a decision that no longer counts."""
    return f" (allowed: {decision.allowed_by})" if decision.allowed_by else ""


def _verdict_line(verdict: Verdict) -> str:
    label = click.style(verdict.value.upper(), fg=_VERDICT_COLOUR[verdict], bold=True)
    return f"  verdict: {label}: {_VERDICT_TEXT[verdict]}"


def _counts_text(plan: Plan) -> str:
    active = [d for d in plan.decisions if d.allowed_by is None]
    redact = sum(1 for d in active if d.action is Action.REDACT and not d.covered_by)
    inside = sum(1 for d in active if d.action is Action.REDACT and d.covered_by)
    withheld = len({d.target for d in active if d.action is Action.WITHHOLD})
    flags = sum(1 for d in active if d.action is Action.FLAG)
    blocks = [d.rule for d in active if d.action is Action.BLOCK]
    parts = [f"{redact} redaction(s)", f"{withheld} portion(s) withheld",
             f"{inside} more finding(s) inside withheld portions", f"{flags} flag(s)"]
    if blocks:
        parts.append(f"blocked by {', '.join(sorted(set(blocks)))}")
    taken = sum(1 for d in plan.decisions if accepted(d))
    if taken:
        parts.append(f"{taken} accepted by baseline")
    return ", ".join(parts)
