"""What a name layer is: one way of finding person names (and, for the model and the deny-list,
other entities) around the model, run in the order of `redactor/detect/names/__init__.py`'s
NAME_LAYERS, each seeing what the layers before it found.

Every layer sees the same `NameScan`: the document, the text the model read (its structure,
marking words and offices blanked), what is never propagated into, how the model labelled each
word, and the model's own results. A layer yields findings; how they join the others is its
`merge` in NAME_LAYERS. Its `describe` puts a finding's evidence into words for the reports.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any, ClassVar

from redactor.detect.base import Explaining
from redactor.detect.names.acronyms import Definition
from redactor.detect.names.votes import Votes
from redactor.detect.names.words import ordinary_words, span_mask
from redactor.model import Document, Finding, FindingKind, FoundBy, ParsedDocument, Span


@dataclass(frozen=True)
class NameSettings:
    """What the policy asks of the entity layers, compiled once an engine."""

    types: tuple[str, ...]  # the entity types the policy enables
    thresholds: dict[str, float]  # the model's score each type needs
    deny: dict[str, Any]  # type → the regex of its deny-list
    misspellings: int  # PERSON: letter edits from a found name that still make it the name


@dataclass
class NameScan:
    """What every name layer sees."""

    parsed: ParsedDocument
    text: str  # the document with its structure, marking words and offices blanked out
    structure: list[Span]  # never propagated into (structure, marking words, offices)
    results: list[Any]  # the model's results (Presidio's RecognizerResult)
    others: list[Span]  # what the model labelled as anything but a person
    votes: Votes  # how the model labelled each word across the document
    settings: NameSettings
    vocab: Any  # the model's vocabulary: a word with a vector is an English word
    acronyms: tuple[Definition, ...] = ()  # the acronyms the document defines

    @property
    def document(self) -> Document:
        return self.parsed.document

    @cached_property
    def _others_mask(self) -> bytearray:
        return span_mask(len(self.text), self.others)

    def other_at(self, start: int, end: int) -> bool:
        """The model labelled something other than a person over text[start:end] (one look
        at a mask: a long document has thousands of such labels and of questions)."""
        return any(self._others_mask[start:end])

    @cached_property
    def ordinary(self) -> frozenset[str]:
        """The words the document writes in lower case (words.ordinary_words)."""
        return ordinary_words(self.parsed.document.text)


class NameLayer:
    """The base of every name layer: `found_by` names it (and its findings)."""

    found_by: ClassVar[FoundBy]
    persons_only: ClassVar[bool] = True  # runs only when the policy enables PERSON
    libraries: ClassVar[tuple[str, ...]] = ()  # distributions it uses (the cache key)

    def hide(self, parsed: ParsedDocument) -> Iterable[Span]:
        """Spans of the document to hide from the model (none by default)."""
        return ()

    def find(self, scan: NameScan, found: list[Finding]) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        raise NotImplementedError


def person(parsed: ParsedDocument, span: Span, score: float, found_by: FoundBy,
           source: Span | None = None, evidence: tuple[Span, ...] = ()) -> Finding:
    """A PERSON finding of a layer."""
    return Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                   block_id=parsed.block_id_at(span.start), score=score, entity_type="PERSON",
                   detector="entities", found_by=found_by, source=source, evidence=evidence)


class Merge(Enum):
    """How a layer's findings join those found before it."""

    ADD = "add"  # all of them (a layer that already leaves out what is found)
    NEW = "new"  # those not inside a PERSON finding already
    WHOLE = "whole"  # the new ones, each replacing the PERSON findings inside it


@dataclass(frozen=True)
class Layer:
    """An entry of NAME_LAYERS: the layer and how its findings are merged."""

    layer: NameLayer
    merge: Merge = Merge.ADD


def merged(found: list[Finding], layer: Layer, scan: NameScan) -> list[Finding]:
    """`found` with the layer's findings merged in. ADD extends the list while the layer runs:
    a layer sees what it found itself so far (a signature after another)."""
    if layer.merge is Merge.ADD:
        found.extend(layer.layer.find(scan, found))
        return found
    new = new_persons(found, layer.layer.find(scan, found))
    if layer.merge is Merge.NEW:
        found.extend(new)
        return found
    return taken_whole(found, new)


def new_persons(findings: Sequence[Finding], candidates: Iterable[Finding]) -> list[Finding]:
    """The candidates not already inside a PERSON finding. With the persons sorted by start,
    one that starts at or before a candidate and reaches furthest holds it if any does: a
    bisection each, not a look at every person."""
    persons = sorted((f.span for f in findings if f.entity_type == "PERSON"),
                     key=lambda s: s.start)
    starts = [p.start for p in persons]
    reach: list[int] = []  # the furthest end of the persons up to each
    for p in persons:
        reach.append(max(p.end, reach[-1]) if reach else p.end)
    kept = []
    for candidate in candidates:
        at = bisect.bisect_right(starts, candidate.span.start) - 1
        if at < 0 or reach[at] < candidate.span.end:
            kept.append(candidate)
    return kept


def taken_whole(findings: list[Finding], wholes: list[Finding]) -> list[Finding]:
    """The findings with `wholes` added, and the PERSON findings inside one of them dropped:
    the model's `Delia K` is part of the header entry `Ravensworth, Delia K`, one name."""
    inside = [f for f in findings if f.entity_type == "PERSON"
              and any(w.span.contains(f.span) for w in wholes)]
    return [f for f in findings if f not in inside] + wholes


def persons_in(findings: Iterable[Finding]) -> Iterator[Finding]:
    return (f for f in findings if f.entity_type == "PERSON")
