"""The text report of a check: what a person reads in a terminal.

It never prints the text of a name or other personal data unless `show_text` is set.
Marking words (UNCLAS, SENSITIVE, (SBU)) are not sensitive and are shown.
"""

from __future__ import annotations

from collections import Counter

import click

from redactor.model import Action, Authority, Decision, Finding, FindingKind, Plan, Result, Verdict
from redactor.policy.model import Policy
from redactor.report.base import Reporter, RunReport
from redactor.report.common import (
    accepted,
    cue_definition,
    cue_phrase,
    exit_code,
    marking_word,
    ordered,
    protection_cues,
)
from redactor.report.explain import WHY_INDENT, Explainer
from redactor.report.explanations import explanation

_SECTIONED = (FindingKind.MARKING, FindingKind.PORTION, FindingKind.VALIDATION)
_VERDICT_TEXT = {
    Verdict.RELEASABLE: "releasable as it stands",
    Verdict.REVIEW: "releasable after human review of the flagged findings",
    Verdict.REDACT: "not releasable as it stands; releasable after redaction",
    Verdict.BLOCK: "not releasable, not even redacted",
    Verdict.ERROR: "could not be checked",
}
_VERDICT_COLOUR = {Verdict.RELEASABLE: "green", Verdict.REVIEW: "yellow", Verdict.REDACT: "yellow",
                   Verdict.BLOCK: "red", Verdict.ERROR: "red"}


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
    why = Explainer(plan, policy, show_text) if explain else None
    lines.extend(_markings_text(plan, show_text, why))
    lines.extend(_portions_text(plan, why))
    lines.extend(_findings_text(plan, show_text, why))
    lines.extend(_validation_text(plan, policy, why))
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


def _markings_text(plan: Plan, show_text: bool, why: Explainer | None = None) -> list[str]:
    markings = [f for f in plan.findings if f.kind is FindingKind.MARKING]
    if not markings:
        return ["  markings: none"]
    lines = ["  markings:"]
    for f in markings:
        line, _ = plan.document.position(f.span.start)
        text = plan.document.text[f.span.start:f.span.end]
        shown = repr(text) if show_text or marking_word(f) else f.label
        what = [f"level {f.level}"] if f.level else []
        what += [f"flag {flag}" for flag in f.flags]
        acts = _actions_for(plan, f)
        lines.append(f"    line {line:<5} {f.where:<8} {shown:<28} {', '.join(what):<24} {acts}")
        if why is not None:
            lines.extend(why.finding(f))
            lines.extend(why.decision(d) for d in plan.decisions if d.finding == f)
    return lines


def _portions_text(plan: Plan, why: Explainer | None = None) -> list[str]:
    if not plan.portions or (plan.level is None and not any(p.label for p in plan.portions)):
        return []
    lines = ["  portions:"]
    by_block: dict[str, list[Decision]] = {}
    for d in plan.decisions:
        if d.finding.kind in (FindingKind.PORTION, FindingKind.VALIDATION) \
                or d.action is Action.WITHHOLD:
            by_block.setdefault(d.finding.block_id or "", []).append(d)
    for p in plan.portions:
        line, _ = plan.document.position(p.span.start)
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


def _findings_text(plan: Plan, show_text: bool, why: Explainer | None = None) -> list[str]:
    # Every finding the sections above and below do not list: names, personal data, cues,
    # and the findings of any other detector.
    entities = [d for d in ordered(plan.decisions) if d.finding.kind not in _SECTIONED]
    if not entities:
        return ["  names and personal data: none found"]
    lines = ["  names, personal data and cues:"]
    for d in entities:
        f = d.finding
        line, column = plan.document.position(f.span.start)
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


def _validation_text(plan: Plan, policy: Policy | None,
                     why: Explainer | None = None) -> list[str]:
    """Marking validation findings (detect/validation.py): what the policy made of them."""
    found = [d for d in ordered(plan.decisions) if d.finding.kind is FindingKind.VALIDATION]
    if not found:
        return []
    lines = ["  marking validation:"]
    for d in found:
        f = d.finding
        line, column = plan.document.position(f.span.start)
        where = f"in {f.block_id}" if f.block_id else ""
        covered = f" (inside withheld {d.covered_by})" if d.covered_by else _allowed(d)
        lines.append(f"    {f'{line}:{column}':<10} {f.label:<26} {where:<16} "
                     f"{d.action} [{d.rule}] {explanation(f, plan.document, policy)}"
                     f"{covered}")
        if why is not None:
            lines.append(why.decision(d))
    return lines


def _cues_text(plan: Plan, policy: Policy | None, show_text: bool,
               why: Explainer | None) -> list[str]:
    cues = protection_cues(plan, policy)
    if not cues or policy is None:
        return []
    lines = ["  protection cues (names near them are never allow-listed):"]
    for f in cues:
        definition = cue_definition(policy, f)
        line, column = plan.document.position(f.span.start)
        where = f"in {f.block_id}" if f.block_id else ""
        shown = f" {plan.document.text[f.span.start:f.span.end]!r}" if show_text else ""
        lines.append(f"    {f'{line}:{column}':<10} {f.label:<14}{shown} {where:<16} "
                     f'"{cue_phrase(plan, f, definition)}", protects its {definition.scope}')
        if why is not None:
            lines.append(f"{WHY_INDENT}cue {definition.id} from {definition.origin}")
    return lines


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


def _render(run: RunReport) -> str:
    return text_report(run.results, run.policy_of, run.fail_on, run.show_text, run.color,
                       run.explain)


REPORTER = Reporter('text', "", _render)
