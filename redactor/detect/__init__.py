"""detect: ParsedDocument → findings (markings, portion marks, entities, cues).

Pure functions of the parsed document and the policy, except the entity detector, which holds
the analyzer built once per process.
"""

from __future__ import annotations

import re

from redactor.detect.entities import EntityDetector
from redactor.detect.markings import detect_markings
from redactor.model import Finding, FindingKind, ParsedDocument, Span
from redactor.policy.model import Policy

EXISTING_REDACTION = "existing-redaction"
# Redactions made before the text reached us: WikiLeaks' XXXXXXXXXXXX and bracketed labels.
_FOREIGN_PLACEHOLDERS = r"(?<![A-Za-z])X{5,}(?![A-Za-z])|\[(?:REDACTED|WITHHELD)[^\[\]\n]{0,120}\]"


def detect(parsed: ParsedDocument, policy: Policy, entities: EntityDetector) -> tuple[Finding, ...]:
    placeholders = tuple(find_placeholders(parsed.document.text, policy))
    found: list[Finding] = list(detect_markings(parsed, policy))
    found.extend(Finding(kind=FindingKind.CUE, label=aside.kind, span=aside.span,
                         block_id=_block_id(parsed, aside.span.start),
                         explanation=f"[{aside.kind.upper()}: ... END {aside.kind.upper()}]")
                 for aside in parsed.asides)
    found.extend(entities.detect(parsed))
    # What lies inside a redaction label is the label's own wording, never a finding.
    found = [f for f in found if not any(f.span.overlaps(p) for p in placeholders)]
    found.extend(Finding(kind=FindingKind.CUE, label=EXISTING_REDACTION, span=span,
                         block_id=_block_id(parsed, span.start),
                         explanation="already redacted in the input")
                 for span in placeholders)
    return tuple(sorted(found, key=lambda f: (f.span.start, f.span.end, f.kind, f.label)))


def find_placeholders(text: str, policy: Policy) -> list[Span]:
    """Spans that are redaction placeholders: ours (from the policy's templates) or others'."""
    return [Span(m.start(), m.end()) for m in placeholder_regex(policy).finditer(text)]


def placeholder_regex(policy: Policy) -> re.Pattern[str]:
    templates = [policy.output.redaction, policy.output.withheld]
    templates += [r.replacement for r in policy.rules if r.replacement]
    ours = [re.sub(r"\\\{[^{}]*\\\}", r"[^\\[\\]\\n]*?", re.escape(t)) for t in templates]
    return re.compile("|".join([*ours, _FOREIGN_PLACEHOLDERS]))


def _block_id(parsed: ParsedDocument, offset: int) -> str | None:
    block = parsed.block_at(offset)
    return block.id if block else None


__all__ = ["EXISTING_REDACTION", "EntityDetector", "detect", "find_placeholders"]
