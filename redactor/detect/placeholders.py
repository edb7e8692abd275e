"""Earlier redactions: the placeholders already in the input — WikiLeaks' `XXXXXXXXXXXX`,
a bare `[REDACTED]`, and the labels this policy writes itself — each a `cue` finding labelled
`existing-redaction`. Nothing found inside one is a finding (Detector.outside_placeholders),
and a portion that holds nothing else was withheld before."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from redactor.detect.base import Detector, Explaining, Scan
from redactor.model import (
    EXISTING_REDACTION,
    Block,
    Finding,
    FindingKind,
    ParsedDocument,
    Span,
)
from redactor.policy.model import WITHHELD_UNITS, Policy

# Redactions made before the text reached us: WikiLeaks' XXXXXXXXXXXX, and a bare [REDACTED]
# or one that gives only a FOIA exemption code. Anything else in brackets is text, and checked.
_FOREIGN_PLACEHOLDERS = (r"(?<![A-Za-z])X{5,}(?![A-Za-z])"
                         r"|\[REDACTED(?:[ \t]*\(b\)[ \t]?\(\d\)(?:\([A-F]\))?)*\]")


# Template fields whose values are not known before the copy is written.
_ANY_VALUE = {"n": r"\d+", "date": r"\d{4}-\d{2}-\d{2}"}



class ExistingRedactions(Detector):
    name = "existing-redactions"
    outside_placeholders = False  # they are the placeholders

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterator[Finding]:
        for span in scan.placeholders:
            yield Finding(kind=FindingKind.CUE, label=EXISTING_REDACTION, span=span,
                          block_id=scan.parsed.block_id_at(span.start), detector=self.name)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "already redacted in the input"


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


def withheld_before(parsed: ParsedDocument, block: Block, placeholders: Sequence[Span]) -> bool:
    """A portion whose text is nothing but redaction placeholders (and page lines) was
    withheld before: it is not a portion to validate or withhold again."""
    body = block.body or block.span
    inside = [p for p in placeholders if body.overlaps(p)]
    if not inside:
        return False
    text = list(parsed.document.text[body.start:body.end])
    for span in [*inside, *block.holes]:
        for i in range(max(span.start, body.start), min(span.end, body.end)):
            text[i - body.start] = " "
    return not any(ch.isalnum() for ch in text)
