"""Protection cues: the policy's phrases (`strictly protect`, `(protect)`), each a `cue`
finding labelled with the cue's id. The decide stage never lets an allow-list through a name
inside a cue's scope, its sentence or its paragraph (redactor/parse/sentences.py, decide.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from redactor.detect.base import Detector, Explaining, Scan
from redactor.model import Finding, FindingKind, Span
from redactor.policy.model import CueDef, Policy


class ProtectionCues(Detector):
    name = "protection-cues"
    hides_names = True  # a cue phrase is never a name

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterator[Finding]:
        """Every occurrence of every cue phrase in the text."""
        text = scan.parsed.document.text
        for cue in scan.policy.cues:
            for match in cue.regex.finditer(text):
                yield Finding(kind=FindingKind.CUE, label=cue.id,
                              span=Span(match.start(), match.end()),
                              block_id=scan.parsed.block_id_at(match.start()),
                              detector=self.name)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        policy = context.policy
        definition = cue_definition(policy, finding.label) if policy is not None else None
        if definition is None:
            return "protection cue"
        return f'protection cue "{cue_phrase(context.document.text, finding.span, definition)}"'


def cue_definition(policy: Policy, cue_id: str) -> CueDef | None:
    return next((cue for cue in policy.cues if cue.id == cue_id), None)


def cue_phrase(text: str, span: Span, definition: CueDef) -> str:
    """The policy's phrase that the cue at `span` matched (the policy's words, not the
    document's)."""
    match = definition.regex.match(text, span.start)
    return definition.phrase_of(match) if match else definition.phrases[0]
