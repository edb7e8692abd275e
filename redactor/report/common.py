"""What the reports share: the exit code, the order of findings, which decisions count, which
were accepted by a baseline, where a finding is, and its message — a message that never holds
the finding's text unless `show_text` is set."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from redactor.detect import protection_cues as protection_cues_module
from redactor.model import Action, Decision, Finding, FindingKind, Plan, Result
from redactor.policy.model import CueDef, Policy


def active(decision: Decision) -> bool:
    """Counts as a finding: at or above `flag`, not inside a withheld portion, not let through
    by an allow-list or a baseline (the results of the SARIF report)."""
    return (decision.action.rank >= Action.FLAG.rank and decision.covered_by is None
            and decision.allowed_by is None)


def accepted(decision: Decision) -> bool:
    """A baseline accepted it (redactor/baseline.py): it no longer counts for the verdict or
    the exit code, and every report still shows it."""
    return decision.allowed_by is not None and decision.allowed_by.baseline is not None


def fails(decision: Decision, fail_on: Action) -> bool:
    """Makes `check` exit 1: not allowed, and at or above --fail-on."""
    return decision.allowed_by is None and decision.action.rank >= fail_on.rank


def what(decision: Decision) -> str:
    finding = decision.finding
    return finding.entity_type or finding.label


def message(plan: Plan, decision: Decision, show_text: bool) -> str:
    """`Redact: PERSON (entity), rule names, reason (b)(6).` and the text only when asked."""
    finding = decision.finding
    text = (f"{decision.action.value.capitalize()}: {what(decision)} ({finding.kind.value}), "
            f"rule {decision.rule}, reason {decision.reason}.")
    if show_text:
        text += f" Text: {plan.document.text[finding.span.start:finding.span.end]!r}."
    return text


def end_position(plan: Plan, decision: Decision) -> tuple[int, int]:
    """Line and column just after the finding (trailing line breaks of a span left out)."""
    text = plan.document.text
    start, end = decision.finding.span.start, decision.finding.span.end
    while end > start + 1 and text[end - 1] in "\r\n":
        end -= 1
    return plan.document.position(max(end, start))


def relative(path: str, base: Path | None = None) -> str:
    """The path relative to `base` (the working directory), with forward slashes."""
    absolute = os.path.abspath(path)
    return Path(os.path.relpath(absolute, (base or Path.cwd()).resolve())).as_posix()


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


def protection_cues(plan: Plan, policy: Policy | None) -> list[Finding]:
    """The protection cues found in the document (not NOTE/COMMENT asides)."""
    ids = {cue.id for cue in policy.cues} if policy is not None else set()
    return [f for f in plan.findings if f.kind is FindingKind.CUE and f.label in ids]


def cue_definition(policy: Policy, finding: Finding) -> CueDef:
    definition = protection_cues_module.cue_definition(policy, finding.label)
    assert definition is not None, "a protection cue the policy defines"
    return definition


def cue_phrase(plan: Plan, finding: Finding, definition: CueDef) -> str:
    """The policy's phrase that the cue matched (the policy's words, not the document's)."""
    return protection_cues_module.cue_phrase(plan.document.text, finding.span, definition)


def ordered(decisions: Iterable[Decision]) -> list[Decision]:
    return sorted(decisions, key=lambda d: (d.finding.span.start, d.finding.span.end, d.rule,
                                            d.target.start))


def marking_word(finding: Finding) -> bool:
    """Banner, caption, header and portion markings are marking words (UNCLAS, SENSITIVE,
    SBU), safe to print. A phrase marking is whatever a policy looks for in the text, a name
    perhaps: its text is shown only with --show-text."""
    return finding.where != "phrase"
