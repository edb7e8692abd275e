"""The model's vote: how it labelled each word across the whole document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from redactor.detect.names.acronyms import JOINERS, Definition
from redactor.detect.names.words import WORD, line_around, ordinary_words
from redactor.model import Finding, Span

# What the model calls a word when it is not a person. Nationalities (NORP) are left out:
# the model often takes a foreign surname for one (`Moratinos`).
NOT_PERSON_LABELS = frozenset({"LOCATION", "ORGANIZATION"})
# spaCy's own labels for things that are not people, which Presidio does not pass on: a law
# (`CAFTA-DR`), an event, a product, a work, a building. They count as votes only.
THING_LABELS = frozenset({"LAW", "EVENT", "PRODUCT", "WORK_OF_ART", "FAC"})


class Votes:
    """How the model labelled each word across the document: a word it took alone for a
    person but more often for a place or an organisation (`Singapore`, `Barcelona`) is not a
    name, neither where the model slipped nor anywhere it would be propagated to. A word the
    model found inside a full name (`Miguel Angel Moratinos`) is a name, however the model
    labels it alone elsewhere (but an acronym in it is no protection: `CAFTA EIF`, entry into
    force, names nobody). The model's laws, events, products, works and buildings vote only
    through their acronyms, and a part of a hyphenated acronym votes with it: `CAFTA` of
    `CAFTA-DR`, a law (never a surname of `the Baradzic Stadium`). An acronym the document
    defines as the name of a thing (`Kenyan Department of Defence (KDOD)`) is never a
    person's (detect/names/acronyms.py)."""

    def __init__(self, text: str, results: list[Any], others: Sequence[Span],
                 things: Sequence[Span] = (), acronyms: Sequence[Definition] = ()) -> None:
        self.text = text
        self.person: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.in_full_name: set[str] = set()
        ordinary = ordinary_words(text)
        self.defined_things = _defined_things(text, ordinary, results, [*others, *things],
                                              acronyms)
        for result in results:
            if result.entity_type != "PERSON":
                continue
            span = Span(result.start, result.end)
            words = {w.casefold() for w in WORD.findall(text[span.start:span.end])}
            _count(self.person, words)
            if len(words) > 1:
                self.in_full_name |= _name_words(text, span, ordinary)
        for span in others:
            _count(self.other, {w.casefold() for w in WORD.findall(text[span.start:span.end])}
                   | _acronym_parts(text, span))
        for span in things:  # a law, an event…: only its acronyms vote (`CAFTA-DR`, `CAFTA`)
            _count(self.other, _acronym_parts(text, span))

    def confirm(self, findings: Iterable[Finding]) -> None:
        """Names found by other means than the model alone (a title, the deny-list, the
        signature) are names, whatever the model calls them elsewhere."""
        for finding in findings:
            if finding.found_by != "model":
                self.in_full_name |= {w.casefold() for w in
                                      WORD.findall(self.text[finding.span.start:
                                                              finding.span.end])}

    def not_a_person(self, word: str) -> bool:
        key = word.casefold()
        return key in self.defined_things or (
            key not in self.in_full_name and self.other.get(key, 0) > self.person.get(key, 0))

    def elsewhere_not_a_person(self, span: Span) -> bool:
        """Every word of the span is more often something else than a person."""
        words = WORD.findall(self.text[span.start:span.end])
        return bool(words) and all(self.not_a_person(w) for w in words)


def _defined_things(text: str, ordinary: frozenset[str], results: list[Any],
                    others: Sequence[Span], acronyms: Sequence[Definition]) -> frozenset[str]:
    """The acronyms whose long form is no person's name: the model found no person in it, and
    it holds a word the document writes in lower case (`Department`, `Rights`) or one the
    model labelled as a place, an organisation or a thing."""
    persons = [Span(r.start, r.end) for r in results if r.entity_type == "PERSON"]
    defined = set()
    for definition in acronyms:
        long = definition.long
        if any(p.overlaps(long) for p in persons):
            continue
        words = [w for w in WORD.findall(text[long.start:long.end])
                 if w.casefold() not in JOINERS]
        if any(w.casefold() in ordinary for w in words) or any(o.overlaps(long) for o in others):
            defined.add(definition.acronym.casefold())
    return frozenset(defined)


def _count(counts: dict[str, int], words: set[str]) -> None:
    for key in words:
        counts[key] = counts.get(key, 0) + 1


def _acronym_parts(text: str, span: Span) -> set[str]:
    """The acronyms of the span, and each part of a hyphenated one (`CAFTA-DR`: `cafta-dr`,
    `cafta`, `dr`): words in capitals on a line that is not. A surname is no acronym
    (`the Baradzic Stadium` gives no vote against Baradzic)."""
    if _capitals_line(text, span):
        return set()
    acronyms = {w.casefold() for w in WORD.findall(text[span.start:span.end]) if w.isupper()}
    return acronyms | {part for w in acronyms for part in w.split("-") if part}


def _capitals_line(text: str, span: Span) -> bool:
    line_start, line_end = line_around(text, span.start, span.end)
    return not any(ch.islower() for ch in text[line_start:line_end])


def _name_words(text: str, span: Span, ordinary: frozenset[str]) -> set[str]:
    """The words of a full name the model found, less the acronyms in it (a word in capitals
    on a line that is not: `CAFTA EIF`, entry into force, is no one's name); none if a
    capitalised word of it is one the document writes in lower case (`CAFTA-DR APPROVAL`,
    `BUSH-KADEER MEETING`: a headline, not a full name)."""
    capitals_line = _capitals_line(text, span)
    words = WORD.findall(text[span.start:span.end])
    if any(not w.islower() and w.casefold() in ordinary for w in words):
        return set()
    return {w.casefold() for w in words if capitals_line or not w.isupper()}
