"""Markings: banner, caption, header and portion marks, and phrases anywhere in the text, as
the policy's `markings:` define them."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from redactor.detect.base import Detector, Explaining, Scan
from redactor.model import BlockKind, Finding, FindingKind, ParsedDocument, Span
from redactor.policy.model import MarkingDef, Policy

_WHERE_OF_BLOCK = {BlockKind.BANNER: "banner", BlockKind.CAPTION: "caption",
                   BlockKind.ROUTING: "header"}


class Markings(Detector):
    """The policy's markings where they count (banner, caption, header, portion, phrase)."""

    name = "markings"
    hides_names = True  # SIPDIS, NOFORN, (SBU) are never names

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterator[Finding]:
        return detect_markings(scan.parsed, scan.policy)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        marking = context.policy.marking(finding.label) if context.policy is not None else None
        origin = f" from {marking.origin}" if marking is not None else ""
        return f"marking {finding.label} ({finding.where}){origin}"


def detect_markings(parsed: ParsedDocument, policy: Policy) -> Iterator[Finding]:
    """Every marking the policy knows, where it stands; none in a link's label (a menu of
    pages by classification marks nothing of this one)."""
    links = parsed.document.link_labels
    found = _markings(parsed, policy)
    if not links:
        yield from found
        return
    starts = [link.start for link in links]
    for finding in found:
        at = bisect.bisect_right(starts, finding.span.start) - 1
        if at < 0 or finding.span.end > links[at].end:
            yield finding


def _markings(parsed: ParsedDocument, policy: Policy) -> Iterator[Finding]:
    text = parsed.document.text
    for block in parsed.blocks:
        where = _WHERE_OF_BLOCK.get(block.kind)
        if where is not None:
            for marking in policy.markings_at(where):
                yield from _matches(marking, text, block.span, block.id, where, FindingKind.MARKING)
        if block.portion_mark is not None:
            for marking in policy.markings_at("portion"):
                yield from _matches(marking, text, block.portion_mark.span, block.id, "portion",
                                    FindingKind.PORTION, in_capitals=True)
    routing = next((b for b in parsed.blocks if b.kind is BlockKind.ROUTING), None)
    # everywhere but a telegram's routing header (a preamble before it included)
    bodies = ((Span(0, routing.span.start), Span(routing.span.end, len(text))) if routing
              else (Span(0, len(text)),))
    for marking in policy.markings_at("phrase"):
        for match in (m for body in bodies
                      for m in marking.regex.finditer(text, body.start, body.end)):
            holder = parsed.block_at(match.start())
            yield _finding(marking, Span(match.start(), match.end()),
                           holder.id if holder else None, "phrase", FindingKind.MARKING)


def _matches(marking: MarkingDef, text: str, span: Span, block_id: str, where: str,
             kind: FindingKind, in_capitals: bool = False) -> Iterator[Finding]:
    """Matches inside a block, the block read on its own: a banner cut out of a line that was
    run together (`…00S E C R E T SECTION 01 OF 03`) starts a word where the block starts.
    A portion mark is read in capitals (`(sbu)` is `(SBU)`), where that keeps its length."""
    read = text[span.start:span.end]
    if in_capitals and len(read.upper()) == len(read):
        read = read.upper()
    for match in marking.regex.finditer(read):
        if match.end() > match.start():
            found = Span(span.start + match.start(), span.start + match.end())
            yield _finding(marking, found, block_id, where, kind)


def _finding(marking: MarkingDef, span: Span, block_id: str | None, where: str,
             kind: FindingKind) -> Finding:
    return Finding(kind=kind, label=marking.id, span=span, block_id=block_id, level=marking.level,
                   flags=marking.flags, where=where, detector=Markings.name)
