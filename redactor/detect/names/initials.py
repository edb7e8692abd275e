"""Initials: a capitalised word after an initial or two is a name, initials included:
`S. Chanderpaul`, `J.R. Ewing`, `G. ERICKSON`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan, person
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.titles import NOT_NAME_WORDS
from redactor.detect.names.words import before_named_after
from redactor.model import Finding, FoundBy, ParsedDocument, Span


class Initials(NameLayer):
    found_by = FoundBy.INITIALS

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return initial_cues(scan.parsed, scan.text)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        if not context.show_text or not finding.evidence:  # the initials are part of the name
            return "a name after an initial"
        span = finding.evidence[0]
        initials = "".join(context.document.text[span.start:span.end].split())
        return f"a name after the initial {initials!r}"


# An initial or two before a capitalised word: `S. Chanderpaul`, `J.R. Ewing`, `G. ERICKSON`.
# Not a lettered list item (`¶C. BEIJING 5237`, a reference: a place and a number).
_INITIALS = re.compile(
    r"(?<![\w.\u00b6])(?P<initials>[A-Z]\.(?:[ \t]?[A-Z]\.)?)[ \t]*"
    r"(?P<name>[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*)(?![^\W\d_])")
# A lettered reference: a place in capitals and a number (`C. BEIJING 5237`).
_REFERENCE = re.compile(r"[ \t]+\d")
# Abbreviations that look like initials: places, unions, parts of company names.
_NOT_INITIALS = frozenset({"U.S.", "U.N.", "U.K.", "E.U.", "D.C.", "N.Y.", "L.A.", "S.A.",
                           "N.V.", "A.G.", "P.M.", "A.M.", "B.C.", "A.D.", "N.J.", "N.C.",
                           "S.C.", "U.A.E.", "R.I.", "P.O."})


def initial_cues(parsed: ParsedDocument, text: str) -> Iterator[Finding]:
    """PERSON findings for a capitalised word after initials, initials included. The word
    after a lone capital that ends a sentence (`plan B. The`) is a common word, and skipped."""
    for match in _INITIALS.finditer(text):
        initials = "".join(match.group("initials").split())
        name = match.group("name")
        folded = name.casefold()
        if initials in _NOT_INITIALS or folded in stop_words() or folded in NOT_NAME_WORDS:
            continue
        if name.isupper() and _REFERENCE.match(text, match.end()):
            continue
        if before_named_after(text, match.end()):
            continue  # `John F. Kennedy Airport`: the airport's name
        yield person(parsed, Span(match.start(), match.end()), 0.6, FoundBy.INITIALS,
                     evidence=(Span(match.start("initials"), match.end("initials")),))
