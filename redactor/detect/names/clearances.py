"""The people a document's drafting and clearance lines name: `Drafted: CPJackson/LFMendez`,
`Approved By: EXO:Merten, Kenneth H (Port-au-Prince)`, `Cleared: S/NKP: S Bosworth`,
`Drafted: Alec Ross and Ben Scott, ext 7-4705`.

A cable's or a State Department message's drafting block lists who drafted, cleared, approved
and released it: each entry an office (which ends at a colon or a dash), then a person in one of
a few fixed forms — initials glued to the surname (`THNguyen`, `CHMcHone`), `Surname, Given
[initial]`, or `Given [initial] Surname` — with telephone extensions, dates and a bracketed
post beside it. The model reads `CPJackson` as nothing and `Merten, Kenneth H` as half a name;
this layer takes each entry whole. An entry in capitals (`PRNCE`, `EAP/K`) is an office.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan, person
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import NAME_WORD, is_name_word
from redactor.model import Finding, FoundBy, ParsedDocument, Span

# A drafting-block label; its value runs to the next label on the line or the line's end.
_LABEL = re.compile(
    r"(?<![\w/])(?:Drafted|Cleared|Approved|Released|Prepared|Coordinated|Concurred)"
    r"(?:[ \t]+[Bb]y)?[ \t]*:[ \t]*")
# What is no part of a name in an entry: a bracketed post, an extension or telephone number,
# a date.
# A reviewer's `ok` after an entry (`JSmith ok`, `JSmith-ok`) is noise too. Spaces are taken
# from their first only (the lookbehind): a run of them is read once, not once per space.
_NOISE = re.compile(r"\([^()\n]*\)|(?:,|(?<![ \t,]))[ \t]*(?:ext\.?|x)[ \t]*[\d-]{3,}"
                    r"|\b\d[\d/.-]*\b|(?:(?<![ \t])[ \t]+|-)(?:ok|OK)\b")
# Entries are cut at `/`, `;`, `and`, and after an office at its colon or dash (a comma is
# part of `Surname, Given`).
_SEPARATOR = re.compile(r"[/;:—–]|,?[ \t]and[ \t]")  # linear: no runs of optional spaces
_OFFICE_ENDS = frozenset(":\u2014\u2013")
# `THNguyen`, `CHMcHone`, `GDAurit`, `JDiab`: up to three initials glued to a surname (or
# the surname alone: `PRNCE/Barratt`).
_GLUED = re.compile(r"[A-Z]{0,3}(?:Mc|Mac|O['\u2019]|D['\u2019]|de|da|di|du|van|von|del|le|la)?"
                    r"[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?")
# A title abbreviated with a slash before a name (`A/S Shannon`, the Assistant Secretary): its
# second letter is no initial of the name.
_SLASHED_TITLE = re.compile(r"[A-Z]/[A-Z][ \t]")
_SURNAME_FIRST = re.compile(rf"{NAME_WORD}(?:[ \t]+{NAME_WORD})?,[ \t]*{NAME_WORD}"
                            r"(?:[ \t]+[A-Z]\.?)?")
_GIVEN_FIRST = re.compile(rf"(?:{NAME_WORD}|[A-Z]\.?)(?:[ \t]+(?:[A-Z]\.|[A-Z]\b|{NAME_WORD}))"
                          r"{1,3}")


class Clearances(NameLayer):
    """Each person of a drafting or clearance line whole: it replaces the model's pieces."""

    found_by = FoundBy.CLEARANCE_LINE

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return clearance_names(scan.parsed, scan.ordinary)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        if not finding.evidence:
            return "a person named in a drafting or clearance line"
        label = finding.evidence[0]
        return (f"a person named in the {context.document.text[label.start:label.end]!r} "
                "line of the drafting block")


def clearance_names(parsed: ParsedDocument, ordinary: frozenset[str]) -> Iterator[Finding]:
    """`ordinary`: the words the document writes in lower case (an office spelled out in
    them, `Political Section`, names nobody)."""
    text = parsed.document.text
    for label, start, end in _values(text):
        for entry_start, entry_end, office in _entries(text, start, end):
            span = _name_in(text, entry_start, entry_end, ordinary, office)
            if span is not None:
                yield person(parsed, span, 0.8, FoundBy.CLEARANCE_LINE, evidence=(label,))


def _values(text: str) -> Iterator[tuple[Span, int, int]]:
    """Each label (its word, without the colon) with its value's offsets."""
    matches = list(_LABEL.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=False):
        line_end = text.find("\n", match.end())
        end = len(text) if line_end < 0 else line_end
        if following is not None and following.start() < end:
            end = following.start()
        word = text[match.start():match.end()].split(":")[0].rstrip()
        yield Span(match.start(), match.start() + len(word)), match.end(), end


def _entries(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """The value cut at its separators and at each office's colon or dash (`INL/AP: Karen
    Hall`, `S/NKP: S Bosworth; EAP/K: JDiab`, `POL: MBorodin: 12/01/09`, `SIP— JSullavan`):
    every piece is tried, with whether a colon or dash follows it (where an office stands)."""
    cursor = start
    for separator in [*_SEPARATOR.finditer(text, start, end), None]:
        stop = separator.start() if separator else end
        yield cursor, stop, separator is not None and separator.group() in _OFFICE_ENDS
        if separator is not None:
            cursor = separator.end()


def _name_in(text: str, start: int, end: int, ordinary: frozenset[str],
             office: bool = False) -> Span | None:
    """The entry's person, if it has one of the fixed forms (noise around it dropped). Where
    an office stands (`office`: a colon follows), only initials glued to a surname are one
    (`POL: MBorodin: 12/01/09`; `POL-Political Section:` is the office)."""
    if (start >= 2 and _SLASHED_TITLE.match(text, start - 2)
            and not text[start - 3:start - 2].isalpha()):
        start += 1
    entry = _NOISE.sub(lambda m: " " * len(m.group()), text[start:end])
    body = entry.strip(" \t,.-")
    if not body or not any(ch.islower() for ch in body):
        return None  # empty, `-`, or an office in capitals
    lead = start + entry.index(body)
    for pattern in (_GLUED,) if office else (_GLUED, _SURNAME_FIRST, _GIVEN_FIRST):
        if pattern.fullmatch(body) and _name_words(body, ordinary):
            return Span(lead, lead + len(body))
    return None


def _name_words(body: str, ordinary: frozenset[str]) -> bool:
    """Not an office or common words spelled out (`Political Section`, `Front Office`): no
    stop word, office shorthand, and not only words the document writes in lower case."""
    words = re.findall(r"[^\W\d_]{2,}", body)
    return (bool(words) and all(is_name_word(w) and w.casefold() not in stop_words()
                                for w in words)
            and not all(w.casefold() in ordinary for w in words))
