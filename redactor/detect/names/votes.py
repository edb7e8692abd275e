"""The model's vote: how it labelled each word across the whole document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from redactor.detect.names.words import WORD
from redactor.model import Finding, Span

# What the model calls a word when it is not a person. Nationalities (NORP) are left out:
# the model often takes a foreign surname for one (`Moratinos`).
NOT_PERSON_LABELS = frozenset({"LOCATION", "ORGANIZATION"})


class Votes:
    """How the model labelled each word across the document: a word it took alone for a
    person but more often for a place or an organisation (`Singapore`, `Barcelona`) is not a
    name, neither where the model slipped nor anywhere it would be propagated to. A word the
    model found inside a full name (`Miguel Angel Moratinos`) is a name, however the model
    labels it alone elsewhere."""

    def __init__(self, text: str, results: list[Any], others: list[Span]) -> None:
        self.text = text
        self.person: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.in_full_name: set[str] = set()
        for span, counts in [*((Span(r.start, r.end), self.person) for r in results
                               if r.entity_type == "PERSON"),
                             *((s, self.other) for s in others)]:
            words = {w.casefold() for w in WORD.findall(text[span.start:span.end])}
            for key in words:
                counts[key] = counts.get(key, 0) + 1
            if counts is self.person and len(words) > 1:
                self.in_full_name |= words

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
        return (key not in self.in_full_name
                and self.other.get(key, 0) > self.person.get(key, 0))

    def elsewhere_not_a_person(self, span: Span) -> bool:
        """Every word of the span is more often something else than a person."""
        words = WORD.findall(self.text[span.start:span.end])
        return bool(words) and all(self.not_a_person(w) for w in words)
