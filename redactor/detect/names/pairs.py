"""Hyphenated pairs of names: `the Camus-Forgeard rivalry`, `BUSH-KADEER MEETING`,
`Evans-Maher emails`. When one half is a name found in the document, the other half, a
capitalised name word, is the other person (or the rest of a double-barrelled surname): left
in, it names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining, line_of
from redactor.detect.names.base import NameLayer, NameScan, person
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import is_name_word, line_around
from redactor.model import Finding, FoundBy, Span

# The word joined to a name by a hyphen, after it or before it.
_AFTER = re.compile(r"[-\u2010](?P<word>[A-Z][^\W\d_]+)(?![^\W\d_]|[-\u2010]\w)")
_BEFORE = re.compile(r"(?<![\w-])(?P<word>[A-Z][^\W\d_]+)[-\u2010]$")


class HyphenPairs(NameLayer):
    found_by = FoundBy.HYPHEN_PAIR

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        text = scan.document.text
        ordinary = scan.ordinary
        taken = {(f.span.start, f.span.end) for f in found}
        for finding in found:
            if finding.entity_type != "PERSON":
                continue
            for span in _partners(text, finding.span):
                word = text[span.start:span.end]
                if ((span.start, span.end) in taken or not _name_like(word, ordinary)
                        or _acronym_in_prose(text, span) or scan.votes.not_a_person(word)
                        or any(f.span.overlaps(span) for f in found)):
                    continue
                taken.add((span.start, span.end))
                yield person(scan.parsed, span, finding.score, FoundBy.HYPHEN_PAIR,
                             source=finding.span)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        line = line_of(context.document, finding.source)
        return f"joined by a hyphen to the name found on line {line}"


def _partners(text: str, span: Span) -> Iterator[Span]:
    after = _AFTER.match(text, span.end)
    if after is not None:
        yield Span(after.start("word"), after.end("word"))
    line_start, _ = line_around(text, span.start)
    before = _BEFORE.search(text[line_start:span.start])
    if before is not None:
        yield Span(line_start + before.start("word"), line_start + before.end("word"))


def _name_like(word: str, ordinary: frozenset[str]) -> bool:
    """A name word of three letters or more that the document never writes in lower case (not
    `Led`, `Based`, `Style`), and no acronym in running text (`CAFTA-DR`, `Sino-US`)."""
    folded = word.casefold()
    return (len(word) >= 3 and is_name_word(word) and folded not in ordinary
            and folded not in stop_words())


def _acronym_in_prose(text: str, span: Span) -> bool:
    line_start, line_end = line_around(text, span.start, span.end)
    line = text[line_start:line_end]
    return text[span.start:span.end].isupper() and any(ch.islower() for ch in line)
