"""Half a name never stays: a person finding that is part of a word, a user id or a handle
(`mills` of `cheryl.mills`, `j_doe`) takes the whole of it, and one that is the given name of
a `Surname, Given` entry (`Campbell, Kurt M` at the end of a line or before `;`, `<` or a
bracket) takes the surname before it. The layer runs last, so what any layer found is
widened; each widened finding replaces the one it widens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan, person, persons_in
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import NAME_WORD, is_name_word, whole_word
from redactor.model import Finding, FoundBy, Span

# `Surname,` (or OCR's `Surname,,`) right before a finding, at an entry's start.
_SURNAME_BEFORE = re.compile(
    rf"(?:^|(?<=[:;\t])|(?<=\s\s))[ \t]*(?P<surname>{NAME_WORD}),{{1,2}}[ \t]*$", re.MULTILINE)
_SURNAME_WINDOW = 80  # characters before a finding that its `Surname,` is looked for in
# An entry ends at the line's end or before `;`, an address or a bracket.
_ENTRY_END = re.compile(r"[ \t]*(?:$|[;<\[(])", re.MULTILINE)


class Halves(NameLayer):
    found_by = FoundBy.WHOLE_NAME

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        text = scan.text
        for finding in persons_in(list(found)):
            span = whole_word(text, finding.span)
            span = Span(_surname_start(scan, span), span.end)
            if span != finding.span:
                yield person(scan.parsed, span, finding.score, FoundBy.WHOLE_NAME,
                             source=finding.span)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "the whole of a name found in part (the rest of its word, or its surname)"


def _surname_start(scan: NameScan, span: Span) -> int:
    """Where the `Surname, ` before the span starts, if the span ends the entry; else the
    span's start."""
    text = scan.text
    line_start = text.rfind("\n", 0, span.start) + 1
    # a bounded window: the pattern's leading spaces make a search of a long line quadratic
    window = max(line_start, span.start - _SURNAME_WINDOW)
    before = _SURNAME_BEFORE.search(text, window, span.start)
    if before is None or not _ENTRY_END.match(text, span.end):
        return span.start
    surname = before.group("surname")
    folded = surname.casefold()
    if (not is_name_word(surname) or folded in stop_words() or folded in scan.ordinary
            or scan.votes.not_a_person(surname)):
        return span.start
    return before.start("surname")
