"""The release copy: Plan → the redacted copy and the list of removals (the redaction log's rows).

Layout is kept: a removal keeps the line breaks of what it removes, so every line of the copy
is the same line of the original; paragraph numbers and portion marks of withheld portions stay;
page lines inside a withheld portion stay. What replaces a removal is the policy's output
style: a label with the reason (the default), blocks of one character that keep every line's
length, or pseudonyms (`[PERSON-1]`) that keep who is who; removed banners and captions can take
a release line instead (output.marking).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from redactor.model import Action, Decision, FindingKind, Plan, Span
from redactor.policy.model import Policy, normalise_name
from redactor.same_text import NOT_BREAK

_BREAKS = re.compile(r"\r?\n|\r")


@dataclass(frozen=True)
class Removal:
    """One removal in the copy: where it was in the original, why, and how long it was."""

    span: Span  # in the original text
    decision: Decision
    replacement: str  # exactly what replaces the span in the copy, line breaks included


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


class Pseudonyms:
    """Numbers for entities, per type, in order of first appearance: `[PERSON-1]` is the same
    person wherever it appears. One per document, or one shared by a folder run. Held in
    memory only — it maps names to numbers, so it is never written anywhere."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self._count: Counter[str] = Counter()

    def number(self, entity_type: str, key: str) -> int:
        if (entity_type, key) not in self._numbers:
            self._count[entity_type] += 1
            self._numbers[entity_type, key] = self._count[entity_type]
        return self._numbers[entity_type, key]

    def surname_key(self, entity_type: str, key: str) -> str:
        """A one-word mention (`Oranmore`) is the person of the one full name numbered so far
        that ends with it (`Talia Oranmore`); with none or several, it is its own key."""
        if " " in key:
            return key
        fuller = {k for (t, k) in self._numbers if t == entity_type and k.endswith(" " + key)}
        return fuller.pop() if len(fuller) == 1 else key


@dataclass(frozen=True)
class _Cut:
    span: Span
    decision: Decision
    labelled: bool  # later pieces of a withheld portion keep only their line breaks


def render_copy(plan: Plan, policy: Policy, release_date: str | None = None,
                pseudonyms: Pseudonyms | None = None) -> Rendered:
    text = plan.document.text
    replace = _Replacer(plan, policy, release_date, pseudonyms or Pseudonyms())
    removals = [Removal(cut.span, cut.decision, replace(cut)) for cut in _cuts(plan)]
    pieces: list[str] = []
    segments: list[Segment] = []
    cursor = out = 0
    for removal in removals:
        kept = text[cursor:removal.span.start]
        pieces.append(kept)
        segments.append(Segment(Span(cursor, removal.span.start), Span(out, out + len(kept)),
                                False))
        out += len(kept)
        pieces.append(removal.replacement)
        segments.append(Segment(removal.span, Span(out, out + len(removal.replacement)), True))
        out += len(removal.replacement)
        cursor = removal.span.end
    tail = text[cursor:]
    pieces.append(tail)
    segments.append(Segment(Span(cursor, len(text)), Span(out, out + len(tail)), False))
    return Rendered("".join(pieces), tuple(removals), tuple(segments))


class _Replacer:
    """The text that replaces one cut, by the policy's output style. Line breaks of the removed
    text are always kept, so every line of the copy is the same line of the original."""

    def __init__(self, plan: Plan, policy: Policy, release_date: str | None,
                 pseudonyms: Pseudonyms) -> None:
        self.text = plan.document.text
        self.policy = policy
        self.output = policy.output
        self.release_date = release_date or ""
        self.pseudonyms = pseudonyms
        self.blocks = {b.id: b for b in plan.parsed.blocks}

    def __call__(self, cut: _Cut) -> str:
        whole = self.text[cut.span.start:cut.span.end]
        if self.output.style == "blocks":
            return NOT_BREAK.sub(self.output.block, whole)
        # Whitespace the removal starts with stays before the label: a portion whose text
        # begins on the next line keeps its mark alone (`(SBU)` then the label below it),
        # never glued to the label, where it would no longer read as a portion mark.
        removed = whole.lstrip()
        lead = whole[:len(whole) - len(removed)]
        return lead + self._label(cut, "".join(_BREAKS.findall(removed)))

    def _label(self, cut: _Cut, breaks: str) -> str:
        decision = cut.decision
        finding = decision.finding
        if (self.output.marking and finding.kind is FindingKind.MARKING
                and finding.where in ("banner", "caption")):
            return self.output.marking.format(
                reason=decision.reason, rule=decision.rule, policy=self.policy.name,
                version=self.policy.version, date=self.release_date) + breaks
        if not cut.labelled:
            return breaks
        if decision.action is Action.WITHHOLD:
            return self._withheld(decision) + breaks
        if self.output.style == "pseudonym" and finding.kind is FindingKind.ENTITY:
            return self._pseudonym(cut) + breaks
        if decision.replacement:
            return decision.replacement + breaks
        return self.output.redaction.format(reason=decision.reason, rule=decision.rule,
                                            kind=finding.kind.value) + breaks

    def _withheld(self, decision: Decision) -> str:
        if decision.replacement:
            return decision.replacement
        block = self.blocks.get(decision.finding.block_id or "")
        unit = "SUBJECT" if block is not None and block.field_name == "SUBJECT" else "PARAGRAPH"
        return self.output.withheld.format(reason=decision.reason, rule=decision.rule, unit=unit)

    def _pseudonym(self, cut: _Cut) -> str:
        finding = cut.decision.finding
        entity_type = finding.entity_type or finding.label
        named = finding.source if finding.source is not None and cut.span == finding.span \
            else cut.span
        key = self.pseudonyms.surname_key(
            entity_type, normalise_name(self.text[named.start:named.end]))
        number = self.pseudonyms.number(entity_type, key)
        return self.output.pseudonym.format(type=entity_type, n=number)


def _cuts(plan: Plan) -> list[_Cut]:
    """Non-overlapping cuts in text order. Withheld portions first (they may leave holes),
    then redactions outside them; overlapping redactions merge into one."""
    active = [d for d in plan.decisions if d.allowed_by is None and d.covered_by is None]
    withholds = _unique(d for d in active if d.action is Action.WITHHOLD)
    redacts = sorted((d for d in active if d.action is Action.REDACT),
                     key=lambda d: (d.target.start, -d.target.end))
    cuts: list[_Cut] = []
    blocks = {b.id: b for b in plan.parsed.blocks}
    for decision in withholds:
        block = blocks.get(decision.finding.block_id or "")
        holes = block.holes if block else ()
        for i, piece in enumerate(_minus(decision.target, holes)):
            cuts.append(_Cut(piece, decision, i == 0))
    taken = [c.span for c in cuts]
    merged: list[_Cut] = []
    for decision in redacts:
        span = _trim_outside(decision.target, taken)
        if span is None:
            continue
        if merged and (merged[-1].span.overlaps(span) or merged[-1].span.end == span.start):
            last = merged[-1]
            merged[-1] = _Cut(Span(last.span.start, max(last.span.end, span.end)),
                              last.decision, True)
            continue
        merged.append(_Cut(span, decision, True))
    cuts.extend(merged)
    cuts.sort(key=lambda c: c.span.start)
    return [c for c in cuts if len(c.span) > 0]


def _unique(decisions: Iterable[Decision]) -> list[Decision]:
    """Withheld portions in text order, one per stretch of text: a portion inside another is
    dropped, and portions that overlap (one found on a re-check of the copy, say) become one,
    under the first one's decision."""
    result: list[Decision] = []
    for decision in sorted(decisions, key=lambda d: (d.target.start, -d.target.end)):
        last = result[-1] if result else None
        if last is not None and decision.target.start < last.target.end:
            if decision.target.end > last.target.end:
                result[-1] = replace(last, target=Span(last.target.start, decision.target.end))
            continue
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
