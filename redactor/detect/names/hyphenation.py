"""The rest of a name that a line break hyphenated: `Nord-` at the end of a line and `qvist`
at the start of the next. The model finds `Nord`; without this layer, `qvist` stays in the
copy, and with the first half it gives the name away.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan
from redactor.model import Finding, FindingKind, FoundBy, ParsedDocument, Span

# A hyphen that ends a line, then the lower-case letters that go on with the word.
_REST = re.compile(r"-[ \t]*\r?\n[ \t>]*(?P<rest>[^\W\d_A-Z][^\W\d_]*)")


class Hyphenation(NameLayer):
    found_by = FoundBy.HYPHENATION

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return hyphenated_rests(scan.parsed, found)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "the rest of a name hyphenated across a line break"


def hyphenated_rests(parsed: ParsedDocument, findings: list[Finding]) -> Iterator[Finding]:
    text = parsed.document.text
    for finding in findings:
        if finding.entity_type != "PERSON":
            continue
        end = finding.span.end
        match = _REST.match(text, end - 1 if text[end - 1:end] == "-" else end)
        if match is None:
            continue
        span = Span(match.start("rest"), match.end("rest"))
        block = parsed.block_at(span.start)
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=block.id if block else None, score=finding.score,
                      entity_type="PERSON", detector="entities",
                      found_by=FoundBy.HYPHENATION, source=finding.span)
