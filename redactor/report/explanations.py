"""A finding's explanation in words, made at report time from its structured evidence: by the
detector that found it (redactor/detect/), the decide stage for the portions and the document
rules act on, and here for what the release rounds mark (another spelling of a removal, a
finding of the re-check). Decisions' reasons for letting an entity through, or not, too.
"""

from __future__ import annotations

from redactor.decide import DOCUMENT_SUBJECT, PORTION_SUBJECT, describe_subject
from redactor.detect import describe
from redactor.detect.base import Explaining, line_of
from redactor.model import Decision, Document, Finding, FoundBy
from redactor.policy.model import Policy

RECHECKED = "found on re-check of the redacted copy"


def explanation(finding: Finding, document: Document, policy: Policy | None,
                show_text: bool = False) -> str:
    """The finding's explanation; document text in it only with `show_text`."""
    return explain(finding, Explaining(document, policy, show_text))


def explain(finding: Finding, context: Explaining) -> str:
    """The finding's explanation, for a report that explains many findings of a document."""
    if finding.found_by is FoundBy.SAME_TEXT:
        text = f"the same text as a removal on line {line_of(context.document, finding.source)}"
    elif finding.detector in (PORTION_SUBJECT, DOCUMENT_SUBJECT):
        text = describe_subject(finding, context.document)
    else:
        text = describe(finding, context)
    return f"{text}; {RECHECKED}" if finding.rechecked else text


def protection(decision: Decision, document: Document, policy: Policy | None) -> str | None:
    """Why an allow-list was not applied to the decision's entity, in words."""
    protected = decision.protected_by
    if protected is None:
        return None
    if protected.denied or protected.cue is None:
        return f"on the policy's deny-list of {decision.finding.entity_type}"
    cue = (f"{explanation(protected.cue, document, policy)} on line "
           f"{line_of(document, protected.cue.span)}")
    if protected.other is None:
        return cue
    line, column = document.position(protected.other.start)
    return f"{cue} (the same name, line {line}, column {column})"
