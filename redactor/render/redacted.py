"""render: Plan → the redacted copy and the list of removals (the redaction log's rows).

Layout is kept: a removal keeps the line breaks of what it removes, so every line of the copy
is the same line of the original; paragraph numbers and portion marks of withheld portions stay;
page lines inside a withheld portion stay. Every removal is labelled with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from redactor.model import Action, Decision, Plan, Span
from redactor.policy.model import Policy

_BREAKS = re.compile(r"\r?\n|\r")


@dataclass(frozen=True)
class Removal:
    """One removal in the copy: where it was in the original, why, and how long it was."""

    span: Span  # in the original text
    decision: Decision
    replacement: str


@dataclass(frozen=True)
class Segment:
    """A piece of the copy and the piece of the original it came from."""

    original: Span
    output: Span
    replaced: bool


@dataclass(frozen=True)
class Rendered:
    text: str
    removals: tuple[Removal, ...]
    segments: tuple[Segment, ...]

    def to_original(self, span: Span) -> list[Span]:
        """Map a span of the copy back to the original, through unreplaced text only."""
        mapped = []
        for seg in self.segments:
            if seg.replaced or not seg.output.overlaps(span):
                continue
            start = max(span.start, seg.output.start) - seg.output.start + seg.original.start
            end = min(span.end, seg.output.end) - seg.output.start + seg.original.start
            mapped.append(Span(start, end))
        return mapped


def render(plan: Plan, policy: Policy) -> Rendered:
    text = plan.document.text
    removals = _removals(plan, policy)
    pieces: list[str] = []
    segments: list[Segment] = []
    cursor = out = 0
    for removal in removals:
        kept = text[cursor:removal.span.start]
        pieces.append(kept)
        segments.append(Segment(Span(cursor, removal.span.start), Span(out, out + len(kept)),
                                False))
        out += len(kept)
        replaced = removal.replacement + "".join(
            _BREAKS.findall(text[removal.span.start:removal.span.end]))
        pieces.append(replaced)
        segments.append(Segment(removal.span, Span(out, out + len(replaced)), True))
        out += len(replaced)
        cursor = removal.span.end
    tail = text[cursor:]
    pieces.append(tail)
    segments.append(Segment(Span(cursor, len(text)), Span(out, out + len(tail)), False))
    return Rendered("".join(pieces), tuple(removals), tuple(segments))


def _removals(plan: Plan, policy: Policy) -> tuple[Removal, ...]:
    """Non-overlapping removals in text order. Withheld portions first (they may leave holes),
    then redactions outside them; overlapping redactions merge into one."""
    active = [d for d in plan.decisions if d.allowed_by is None and d.covered_by is None]
    withholds = _unique(d for d in active if d.action is Action.WITHHOLD)
    redacts = sorted((d for d in active if d.action is Action.REDACT),
                     key=lambda d: (d.target.start, -d.target.end))
    removals: list[Removal] = []
    blocks = {b.id: b for b in plan.parsed.blocks}
    for decision in withholds:
        block = blocks.get(decision.finding.block_id or "")
        holes = block.holes if block else ()
        label = _withheld_label(decision, policy, block.field_name if block else None)
        for i, piece in enumerate(_minus(decision.target, holes)):
            removals.append(Removal(piece, decision, label if i == 0 else ""))
    taken = [r.span for r in removals]
    merged: list[Removal] = []
    for decision in redacts:
        span = _trim_outside(decision.target, taken)
        if span is None:
            continue
        if merged and (merged[-1].span.overlaps(span) or merged[-1].span.end == span.start):
            last = merged[-1]
            merged[-1] = Removal(Span(last.span.start, max(last.span.end, span.end)),
                                 last.decision, last.replacement)
            continue
        merged.append(Removal(span, decision, _redaction_label(decision, policy)))
    removals.extend(merged)
    removals.sort(key=lambda r: r.span.start)
    return tuple(r for r in removals if len(r.span) > 0)


def _unique(decisions: Iterable[Decision]) -> list[Decision]:
    seen: set[Span] = set()
    result = []
    for decision in sorted(decisions, key=lambda d: d.target.start):
        if decision.target not in seen and not any(s.contains(decision.target) for s in seen):
            seen.add(decision.target)
            result.append(decision)
    return result


def _minus(span: Span, holes: tuple[Span, ...]) -> list[Span]:
    pieces, cursor = [], span.start
    for hole in sorted(holes, key=lambda h: h.start):
        if hole.end <= cursor or hole.start >= span.end:
            continue
        if hole.start > cursor:
            pieces.append(Span(cursor, hole.start))
        cursor = max(cursor, hole.end)
    if cursor < span.end:
        pieces.append(Span(cursor, span.end))
    return pieces


def _trim_outside(span: Span, taken: list[Span]) -> Span | None:
    """A redaction overlapping a withheld piece keeps only its part outside it."""
    start, end = span.start, span.end
    for other in taken:
        if other.contains(Span(start, end)):
            return None
        if other.start <= start < other.end:
            start = other.end
        if other.start < end <= other.end:
            end = other.start
    return Span(start, end) if end > start else None


def _withheld_label(decision: Decision, policy: Policy, field_name: str | None) -> str:
    if decision.replacement:
        return decision.replacement
    unit = "SUBJECT" if field_name == "SUBJECT" else "PARAGRAPH"
    return policy.output.withheld.format(reason=decision.reason, rule=decision.rule, unit=unit)


def _redaction_label(decision: Decision, policy: Policy) -> str:
    if decision.replacement:
        return decision.replacement
    return policy.output.redaction.format(reason=decision.reason, rule=decision.rule,
                                          kind=decision.finding.kind.value)
