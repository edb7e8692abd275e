"""Lists of people: in a line that lists names, an item shaped like its neighbours is a name.

    Japan : 19 - Kenichi Shimokawa , 2 - Hiroshige Yanagimoto , 3 - Naoki Soma , 4 - Masami Ihara
    Defenders - Dan Petrescu , Daniel Prodan , Anton Dobos , Cornel Papura

So is the item that starts a numbered line among numbered lines that list names (a ranking):

    7. Espen Bredesen ( Norway ) 112
    8. Nikkola 101

The model finds some of the names in such a line and misses others. A line is a list of
people when it has at least two items that are already names and these are at least half
of its items; then each other item made only of capitalised words is a name too, unless the
model called it a place or an organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan, persons_in
from redactor.detect.names.words import NAME_WORD, span_mask
from redactor.model import Finding, FindingKind, FoundBy, ParsedDocument, Span

# An item: what lies between separators. Its core: capitalised words (with particles and
# hyphens), after a number or a dash and before scores or numbers.
_ITEM = re.compile(r"[^,;()\n]+")
# Before the core: a heading (`Defenders -`, `Japan :`) and a number (`19 -`, `10=`, `5.`).
_LEAD = re.compile(r"^\s*(?:[A-Z][^\W\d_]*(?:[ \t]+[A-Z][^\W\d_]*)*[ \t]+[-:][ \t]+)?"
                   r"(?:\d+[ \t]*[-.=]?[ \t]*)?(?:-[ \t]+)?")
_PARTICLE = r"(?:van|von|der|den|de|del|della|da|dos|du|la|le|al|bin|ibn|el|ter|ten)"
_CORE = re.compile(rf"{NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{NAME_WORD}){{0,3}}")
_MIN_NAMES = 2


class Lists(NameLayer):
    found_by = FoundBy.LIST

    def find(self, scan: NameScan, found: list[Finding]) -> list[Finding]:
        return list(list_names(scan.parsed, list(persons_in(found)), scan.others))

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return f"in a list of {finding.facts[0]} names on the same line"


def list_names(parsed: ParsedDocument, persons: list[Finding],
               not_persons: Iterable[Span]) -> Iterator[Finding]:
    """PERSON findings for the unfound items of lines that list people."""
    text = parsed.document.text
    covered = span_mask(len(text), (f.span for f in persons))
    other = span_mask(len(text), not_persons)
    column: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        outside, inside = _groups(text, line.start(), line.end())
        for group in (outside, inside):
            yield from _unfound(parsed, group, covered, other)
        first = text[line.start():line.end()].lstrip()[:1]
        if outside and first.isdigit() and outside[0].start < line.start() + 12:
            column.append(outside[0])
            continue
        yield from _unfound(parsed, column, covered, other)
        column = []
    yield from _unfound(parsed, column, covered, other)


def _unfound(parsed: ParsedDocument, group: list[Span], covered: bytearray,
             other: bytearray) -> Iterator[Finding]:
    text = parsed.document.text
    cores = [c for c in group if not any(other[c.start:c.end])]
    found = [c for c in cores if _all_letters(text, covered, c)]
    if len(found) >= _MIN_NAMES and 2 * len(found) >= len(cores):
        for core in cores:
            if any(covered[core.start:core.end]):
                continue
            block = parsed.block_at(core.start)
            yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=core,
                          block_id=block.id if block else None, score=0.5,
                          entity_type="PERSON", detector="entities", found_by=FoundBy.LIST,
                          evidence=tuple(found), facts=(str(len(found)),))


def _groups(text: str, start: int, end: int) -> tuple[list[Span], list[Span]]:
    """The item cores of a line: those outside brackets, and those inside, which play
    another part (`Joao Pinto ( Benfica )`, `Arsenal 2 ( Adams 45 , Vieira 90 )`)."""
    outside: list[Span] = []
    inside: list[Span] = []
    depth = 0
    for piece in re.finditer(r"[()]|[^()]+", text[start:end]):
        if piece.group() in "()":
            depth = max(0, depth + (1 if piece.group() == "(" else -1))
            continue
        group = inside if depth else outside
        group.extend(_cores(text, start + piece.start(), start + piece.end()))
    return outside, inside


def _all_letters(text: str, covered: bytearray, span: Span) -> bool:
    return all(covered[i] for i in range(span.start, span.end) if text[i].isalpha())


def _cores(text: str, start: int, end: int) -> Iterator[Span]:
    """The name-shaped core of each item of the line, for items that have one and nothing
    else but numbers around it."""
    for item in _ITEM.finditer(text, start, end):
        body = item.group()
        lead = _LEAD.match(body)
        offset = lead.end() if lead else 0
        core = _CORE.match(body, offset)
        if core is None:
            continue
        rest = body[core.end():].strip()
        if rest and not re.fullmatch(r"[\d\s.:/'-]*(?:th|st|nd|rd)?", rest):
            continue
        yield Span(item.start() + core.start(), item.start() + core.end())
