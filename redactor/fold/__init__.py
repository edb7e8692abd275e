"""fold: the text as a reader sees it, for the detectors. A name or a mark can be disguised by
characters no reader sees or that read as others (`Jo\u200bhn`, Cyrillic `Јоhn`, fullwidth
`（SBU）`, `J o h n`, `J&#111;hn`); the detectors read the folded text, and what they find is
placed back in the original (`Folding.original_span`), widened over any invisible character
that touches it, so that the copy loses the disguise with the name.

The folds run in the order of FOLDS, each on the text the ones before it made. The copy is
always written from the original text: folding changes what is found, never what is kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from redactor.fold.base import Edit, Fold, Folding
from redactor.fold.characters import Characters, invisible
from redactor.fold.escapes import Escapes
from redactor.fold.markup import Markup
from redactor.fold.overrides import Overrides
from redactor.fold.spacing import Spacing
from redactor.model import Decision, Document, Finding, Plan, Span

# What the folds read their data from (part of the result cache's key).
LIBRARIES = ("confusable-homoglyphs",)

# The registry, in the order the folds run.
FOLDS: tuple[Fold, ...] = (
    Escapes(),  # J&#111;hn, John%20Smith
    Markup(),  # Jo<b></b>hn
    Overrides(),  # U+202E htimS nhoJ: read as shown
    Characters(),  # invisible characters, accents, NFKC, look-alikes
    Spacing(),  # J o h n, (S B U)
)


def fold(text: str, folds: Sequence[Fold] = FOLDS) -> Folding | None:
    """The text folded, or None when no fold changes it (the common case: nothing to map)."""
    folding: Folding | None = None
    for each in folds:
        current = folding.text if folding is not None else text
        edits = list(each.edits(current))
        if edits:
            folding = (folding or Folding.identity(text)).then(edits)
    return folding


def seen_as(text: str) -> str:
    """The text as a reader sees it (folded), for searches of a copy."""
    folding = fold(text)
    return folding.text if folding is not None else text


def folded_document(document: Document, folding: Folding) -> Document:
    """The document as the detectors read it: the folded text, all else the original's."""
    return dataclasses.replace(document, text=folding.text)


def plan_in_original(plan: Plan, folding: Folding, original: Document) -> Plan:
    """The plan of the folded document, every span placed in the original, the removals
    widened over the invisible characters that touch them."""
    mapped: Plan = _map(plan, _Mapper(folding, original))
    return mapped


class _Mapper:
    def __init__(self, folding: Folding, original: Document) -> None:
        self.folding = folding
        self.original = original

    def span(self, span: Span, widen: bool) -> Span:
        start, end = self.folding.original_span(span.start, span.end)
        if widen:
            text = self.original.text
            while start > 0 and invisible(text[start - 1]):
                start -= 1
            while end < len(text) and invisible(text[end]):
                end += 1
        return Span(start, end)


_WIDENED = {Finding: "span", Decision: "target"}  # what a copy removes


def _map(value: Any, mapper: _Mapper, widen: bool = False) -> Any:
    if isinstance(value, Span):
        return mapper.span(value, widen)
    if isinstance(value, Document):
        return mapper.original
    if isinstance(value, tuple):
        return tuple(_map(v, mapper) for v in value)
    if isinstance(value, list):
        return [_map(v, mapper) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        widened = _WIDENED.get(type(value))
        changes = {f.name: _map(getattr(value, f.name), mapper, f.name == widened)
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


__all__ = ["FOLDS", "LIBRARIES", "Edit", "Fold", "Folding", "fold", "folded_document",
           "plan_in_original", "seen_as"]
