"""The --explain lines of the text report: how each finding was found, and why each rule
decided as it did."""

from __future__ import annotations

from dataclasses import replace

from redactor.model import ASIDE_KINDS, Decision, Finding, FindingKind, FoundBy, Plan, Span
from redactor.policy.model import Policy
from redactor.report.explanations import RECHECKED, explanation, protection

WHY_INDENT = " " * 13


class Explainer:
    """The --explain lines: why a finding was found, and why each decision was taken. Built
    from what the finding records, never from the document's text (unless --show-text)."""

    def __init__(self, plan: Plan, policy: Policy | None, show_text: bool) -> None:
        self.plan = plan
        self.policy = policy
        self.rules = {r.id: r for r in policy.rules} if policy is not None else {}
        self.show_text = show_text

    def finding(self, finding: Finding) -> list[str]:
        return [f"{WHY_INDENT}why found: {self.found(finding)}"]

    def found(self, finding: Finding) -> str:
        how = finding.found_by
        score = f"score {finding.score:g}"
        if how is FoundBy.MODEL:
            recognizer = finding.recognizer or "presidio"
            text = (f"found by the model ({recognizer}, {score})" if "spacy" in recognizer.lower()
                    else f"found by Presidio's {recognizer} ({score})")
        elif how is FoundBy.PROPAGATION:
            text = f"same name as the person found {self._at(finding.source)}"
        elif how is FoundBy.MISSPELLING:
            text = f"close to the name found {self._at(finding.source)}"
        elif how is FoundBy.TITLE_CUE:
            text = self._plain(finding)  # after the title 'Ambassador'
        elif how is FoundBy.DENY_LIST:
            text = f"on the policy's deny-list of {finding.entity_type}"
        elif how is FoundBy.SIGNATURE:
            text = "signature line"
        elif how is not None:
            text = f"found by {how}"
        elif finding.kind is FindingKind.CUE and finding.label in ASIDE_KINDS:
            text = f"inside a {self._plain(finding)} aside"
        else:  # markings, portions, cues: what the policy defines, no document text
            text = self._plain(finding) or finding.kind.value
        if finding.rechecked:
            text += f"; {RECHECKED}"
        return text

    def _plain(self, finding: Finding) -> str:
        """The finding's explanation, without the note that a re-check found it."""
        return explanation(replace(finding, rechecked=False), self.plan.document, self.policy,
                           self.show_text)

    def _at(self, span: Span | None) -> str:
        if span is None:
            return "elsewhere in the document"
        line, column = self.plan.document.position(span.start)
        text = f"on line {line}, column {column}"
        if self.show_text:
            text += f" ({self.plan.document.text[span.start:span.end]!r})"
        return text

    def decision(self, decision: Decision) -> str:
        rule = self.rules.get(decision.rule)
        origin = f" ({rule.origin})" if rule is not None else ""
        text = f"{WHY_INDENT}decision: rule {decision.rule}{origin}: {decision.action}"
        if decision.allowed_by:
            text += f", on the {decision.allowed_by}"
        else:
            text += f", reason {decision.reason}"
        protected = protection(decision, self.plan.document, self.policy)
        if protected:
            text += f"; allow-list not applied: {protected}"
        if decision.covered_by:
            text += f"; already removed with withheld portion {decision.covered_by}"
        return text

