"""Initialisms of people, as the document defines them: `Andres Manuel Lopez Obrador (AMLO)`
makes every `AMLO` (and `AMLO's`) the person, though the model reads it as an acronym.

The definition is detect/names/acronyms.py's; the long form must be a name found by a layer
before this one, every word of it but the joiners inside a person finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.acronyms import JOINERS, Definition
from redactor.detect.names.base import NameLayer, NameScan, person, persons_in
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import WORD
from redactor.model import Finding, FoundBy, Span


class Aliases(NameLayer):
    found_by = FoundBy.ALIAS

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        persons = [f.span for f in persons_in(found)]
        structure = scan.structure
        for definition in scan.acronyms:
            folded = definition.acronym.casefold()
            if (folded in scan.votes.defined_things or folded in scan.ordinary
                    or folded in stop_words() or len(folded) < 3
                    or not _a_person(scan.text, definition, persons)):
                continue
            pattern = re.compile(rf"(?<![\w-]){re.escape(definition.acronym)}(?![\w-])")
            for match in pattern.finditer(scan.text):
                span = Span(match.start(), match.end())
                if not any(s.overlaps(span) for s in structure):
                    yield person(scan.parsed, span, 0.7, FoundBy.ALIAS,
                                 source=definition.long, evidence=(definition.short,))

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "the initials the document gives for the person named beside them"


def _a_person(text: str, definition: Definition, persons: list[Span]) -> bool:
    """The long form has two words or more, and every one but its joiners lies inside a
    person finding."""
    if len(text[definition.long.start:definition.long.end].split()) < 2:
        return False  # one word, however hyphenated (`Jamaat-e-Islami`), is no person's name
    words = [m for m in WORD.finditer(text, definition.long.start, definition.long.end)
             if m.group().casefold() not in JOINERS]
    return bool(words) and all(any(p.contains(Span(*w.span())) for p in persons) for w in words)
