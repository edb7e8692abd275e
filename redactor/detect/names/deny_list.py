"""The policy's deny-list: every occurrence of a deny-listed text is its entity, where the
model did not already find it (`entities.types.PERSON.deny`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan
from redactor.model import Finding, FindingKind, FoundBy, Span


class DenyList(NameLayer):
    found_by = FoundBy.DENY_LIST
    persons_only = False  # a deny-list of any entity type

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        for entity_type, regex in scan.settings.deny.items():
            taken = [f.span for f in found if f.entity_type == entity_type]
            for match in regex.finditer(scan.text):
                span = Span(match.start(), match.end())
                if any(t.contains(span) for t in taken):
                    continue
                yield Finding(kind=FindingKind.ENTITY, label=entity_type, span=span,
                              block_id=scan.parsed.block_id_at(span.start), score=1.0,
                              entity_type=entity_type, detector="entities",
                              found_by=self.found_by)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "on the policy's deny-list"


def deny_regex(terms: tuple[str, ...]) -> re.Pattern[str]:
    """The terms, word-bounded, any case, any run of spaces or a line break between words."""
    forms = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in forms)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
