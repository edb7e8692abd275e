"""Asides: a telegram's `[NOTE: … END NOTE]` and `[COMMENT: … END COMMENT]`, which the parser
finds, as `cue` findings labelled `note` or `comment` (rules select them with `aside:`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from redactor.detect.base import Detector, Explaining, Scan
from redactor.model import Finding, FindingKind


class Asides(Detector):
    name = "asides"

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterator[Finding]:
        parsed = scan.parsed
        for aside in parsed.asides:
            yield Finding(kind=FindingKind.CUE, label=aside.kind, span=aside.span,
                          block_id=parsed.block_id_at(aside.span.start), detector=self.name)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        kind = finding.label.upper()
        return f"[{kind}: ... END {kind}]"
