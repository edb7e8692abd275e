"""detect: ParsedDocument → findings (markings, portion marks, entities, cues).

Pure functions of the parsed document and the policy, except the entity detector, which holds
the analyzer built once per process.
"""

from __future__ import annotations

import re
from dataclasses import replace

from redactor.detect.entities import EntityDetector
from redactor.detect.markings import detect_markings
from redactor.detect.modeltext import trim_to_word
from redactor.detect.phrases import detect_cues
from redactor.detect.validation import detect_validation
from redactor.model import Finding, FindingKind, ParsedDocument, Span
from redactor.policy.model import WITHHELD_UNITS, Policy

EXISTING_REDACTION = "existing-redaction"
# Redactions made before the text reached us: WikiLeaks' XXXXXXXXXXXX, and a bare [REDACTED]
# or one that gives only a FOIA exemption code. Anything else in brackets is text, and checked.
_FOREIGN_PLACEHOLDERS = (r"(?<![A-Za-z])X{5,}(?![A-Za-z])"
                         r"|\[REDACTED(?:[ \t]*\(b\)[ \t]?\(\d\)(?:\([A-F]\))?)*\]")


# Template fields whose values are not known before the copy is written.
_ANY_VALUE = {"n": r"\d+", "date": r"\d{4}-\d{2}-\d{2}"}


def detect(parsed: ParsedDocument, policy: Policy, entities: EntityDetector) -> tuple[Finding, ...]:
    placeholders = tuple(find_placeholders(parsed.document.text, policy))
    found: list[Finding] = [*detect_markings(parsed, policy), *detect_cues(parsed, policy)]
    not_names = [f.span for f in found]  # marking words (SIPDIS, NOFORN) and cue phrases
    found.extend(Finding(kind=FindingKind.CUE, label=aside.kind, span=aside.span,
                         block_id=_block_id(parsed, aside.span.start),
                         explanation=f"[{aside.kind.upper()}: ... END {aside.kind.upper()}]")
                 for aside in parsed.asides)
    marks = [*not_names, *(b.portion_mark.span for b in parsed.blocks if b.portion_mark)]
    found.extend(piece for finding in entities.detect(parsed, not_names)
                 for piece in _outside_placeholders(parsed, finding, placeholders)
                 if not any(m.contains(piece.span) for m in marks))  # `(SBU)` is never a name
    # What lies inside a redaction label is the label's own wording, never a finding.
    found = [f for f in found if not any(p.contains(f.span) for p in placeholders)]
    found.extend(Finding(kind=FindingKind.CUE, label=EXISTING_REDACTION, span=span,
                         block_id=_block_id(parsed, span.start),
                         explanation="already redacted in the input")
                 for span in placeholders)
    found.extend(detect_validation(parsed, found, policy, placeholders))
    return tuple(sorted(found, key=lambda f: (f.span.start, f.span.end, f.kind, f.label)))


def _outside_placeholders(parsed: ParsedDocument, finding: Finding,
                          placeholders: tuple[Span, ...]) -> list[Finding]:
    """An entity that runs into a placeholder (`XXXXXXXXXXXX Harrington`) keeps its parts
    outside it, so the name next to an earlier redaction is still found."""
    inside = [p for p in placeholders if p.overlaps(finding.span)]
    if not inside:
        return [finding]
    pieces, cursor = [], finding.span.start
    for placeholder in sorted(inside, key=lambda p: p.start):
        pieces.append(Span(cursor, max(cursor, placeholder.start)))
        cursor = max(cursor, placeholder.end)
    pieces.append(Span(cursor, max(cursor, finding.span.end)))
    text = parsed.document.text
    return [replace(finding, span=trimmed) for piece in pieces
            if (trimmed := trim_to_word(text, piece)) is not None]


def find_placeholders(text: str, policy: Policy) -> list[Span]:
    """Spans that are redaction placeholders: ours (from the policy's templates) or others'."""
    return [Span(m.start(), m.end()) for m in placeholder_regex(policy).finditer(text)]


def placeholder_regex(policy: Policy) -> re.Pattern[str]:
    """Exactly the labels this policy can write (each field one of its possible values), and
    others' placeholders."""
    output = policy.output
    values = {"reason": {r.reason for r in policy.rules}, "rule": {r.id for r in policy.rules},
              "kind": {k.value for k in FindingKind}, "unit": set(WITHHELD_UNITS),
              "type": {e.type for e in policy.entities}, "policy": {policy.name},
              "version": {policy.version}}
    templates = [output.redaction, output.withheld, output.pseudonym]
    templates += [r.replacement for r in policy.rules if r.replacement]
    templates += [output.marking] if output.marking else []
    ours = [_template_regex(t, values) for t in templates]
    if output.style == "blocks":  # a run of the block character, standing alone
        edge = r"(?<![^\W_])" if output.block.isalnum() else ""
        ours.append(edge + re.escape(output.block) + "+" + edge.replace("<", ""))
    return re.compile("|".join([*ours, _FOREIGN_PLACEHOLDERS]))


def _template_regex(template: str, values: dict[str, set[str]]) -> str:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            pattern += re.escape(part)
        elif part in _ANY_VALUE:
            pattern += _ANY_VALUE[part]
        else:
            options = sorted(values[part], key=len, reverse=True)
            pattern += "(?:" + "|".join(re.escape(o) for o in options) + ")"
    return pattern


def _block_id(parsed: ParsedDocument, offset: int) -> str | None:
    block = parsed.block_at(offset)
    return block.id if block else None


__all__ = ["EXISTING_REDACTION", "EntityDetector", "detect", "find_placeholders"]
