"""Misspellings: a capitalised word one letter away from a name found in the document
(`Thigalov` for `Zhigalov`), when it is no English word and nothing else to the model: a typo
of the name leaks the name. Names and words shorter than MISSPELT_MIN_LETTERS letters are left
alone: short words are too often one letter away from each other."""

from __future__ import annotations

from collections.abc import Iterator

from redactor.detect.base import Explaining, line_of
from redactor.detect.names.base import NameLayer, NameScan, person, persons_in
from redactor.detect.names.model import bare_name
from redactor.detect.names.words import WORD, is_name_word, span_mask
from redactor.model import Finding, FoundBy, Span

MISSPELT_MIN_LETTERS = 6


class Misspellings(NameLayer):
    found_by = FoundBy.MISSPELLING
    libraries = ("rapidfuzz",)  # the edit distance

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        if not scan.settings.misspellings:
            return
        from rapidfuzz.distance import DamerauLevenshtein
        from rapidfuzz.process import extractOne

        text = scan.document.text
        persons = list(persons_in(found))
        names = _name_words(text, persons)
        if not names:
            return
        taken = span_mask(len(text), [*(f.span for f in persons), *scan.structure])
        for match in WORD.finditer(text):
            word = match.group()
            if (len(word) < MISSPELT_MIN_LETTERS or not word[0].isupper()
                    or any(taken[match.start():match.end()])
                    or not bare_name(scan, word, match.span())):
                continue
            best = extractOne(word.casefold(), names.keys(), scorer=DamerauLevenshtein.distance,
                              score_cutoff=scan.settings.misspellings)
            if best is not None:
                yield person(scan.parsed, Span(match.start(), match.end()), 0.5,
                             FoundBy.MISSPELLING, source=names[best[0]].span)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        line = line_of(context.document, finding.source)
        return f"one letter away from the name found on line {line}"


def _name_words(text: str, persons: list[Finding]) -> dict[str, Finding]:
    """Each long name word of the persons found, casefolded, with the first finding of it."""
    names: dict[str, Finding] = {}
    for finding in persons:
        for word in WORD.findall(text[finding.span.start:finding.span.end]):
            if len(word) >= MISSPELT_MIN_LETTERS and is_name_word(word):
                names.setdefault(word.casefold(), finding)
    return names
