"""What the one-line report formats (jsonl, junit, github, markdown) share: which decisions
count, which were accepted by a baseline, where a finding is, and its message — a message that
never holds the finding's text unless `show_text` is set."""

from __future__ import annotations

import os
from pathlib import Path

from redactor.model import Action, Decision, Plan

# The `allowed_by` of a decision that a baseline accepted (redactor/baseline.py): such a
# decision no longer counts for the verdict or the exit code, and every report still shows it.
ACCEPTED = "accepted by baseline"


def active(decision: Decision) -> bool:
    """Counts as a finding: at or above `flag`, not inside a withheld portion, not let through
    by an allow-list or a baseline (the results of the SARIF report)."""
    return (decision.action.rank >= Action.FLAG.rank and decision.covered_by is None
            and decision.allowed_by is None)


def accepted(decision: Decision) -> bool:
    return (decision.allowed_by or "").startswith(ACCEPTED)


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
    return plan.document.line_col(max(end, start))


def relative(path: str, base: Path | None = None) -> str:
    """The path relative to `base` (the working directory), with forward slashes."""
    absolute = os.path.abspath(path)
    return Path(os.path.relpath(absolute, (base or Path.cwd()).resolve())).as_posix()
