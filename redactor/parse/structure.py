"""Shared pieces of both parsers: lines, paragraph numbers, portion marks, asides, and the body.

Every position is a character offset into Document.text; line ends (LF or CRLF) are never part
of a line's span, so rewriting a span never disturbs the document's line endings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from redactor.model import Aside, Block, BlockKind, PortionMark, Span


@dataclass(frozen=True)
class Line:
    index: int
    start: int
    end: int  # excludes the line break
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    for index, match in enumerate(re.finditer(r"([^\n]*)(\n|$)", text)):
        if match.start() == len(text) and not match.group(1):
            break
        content = match.group(1)
        end = match.start() + len(content.rstrip("\r"))
        lines.append(Line(index, match.start(), end, text[match.start():end]))
    return lines


# A paragraph number: "1.", "¶2.", "2a.", "- ¶1.", and the conversion-damaged "$\P 2.$".
_NUMBER = (r"[ \t]*(?:[-*\u2022][ \t]+)?(?:\u00b6[ \t]*|\$?\\P[ \t]*)?"
           r"(?P<num>\d{1,3}[A-Za-z]?)[ \t]*\.\$?")
# A portion mark label: (U), (SBU), (S//NF), (C/NF), (SBU-N), (C - ENTIRE TEXT),
# (C//REL TO USA, GBR).
# Written in lower case, a label needs two letters: `(sbu)`, `(s//nf)` (`(c)` and `(ii)` are
# list items). Reports and rules see it in capitals.
_LABEL = (r"[A-Z]{1,5}(?:[ \t]*(?:/{1,2}|-|,|\+)[ \t]*[A-Z][A-Z ]{0,24}?)*"
          r"|[a-z]{2,5}(?:[ \t]*(?:/{1,2}|-)[ \t]*[a-z]{1,5})*")
_MARK = rf"\([ \t]*(?P<label>{_LABEL})[ \t]*\)"
_BROKEN_MARK = r"(?P<broken>[A-Z]{1,3}(?:/[A-Z]{1,3})?)\)"  # "1. C)": the open parenthesis lost
_AFTER = r"(?=[ \t]|$)"
# A mark may be glued to its paragraph's first word (`(C)The minister`), though not to a word
# in lower case or a number (`(s)he`, `(b)(6)`).
_AFTER_MARK = r"(?=[ \t]|$|[A-Z\"'\u201c\u2018\[])"
NUMBERED = re.compile(
    rf"{_NUMBER}(?:[ \t]*{_MARK}{_AFTER_MARK}|[ \t]*{_BROKEN_MARK}{_AFTER}|{_AFTER})")
LEADING_MARK = re.compile(rf"[ \t]*(?:[-*\u2022][ \t]+)?{_MARK}{_AFTER_MARK}")
PAGE_LINE = re.compile(
    r"^[ \t]*(?:PAGE[ \t]+\d+[ \t]+[A-Z ]+\d+[ \t]+\d{6}Z"  # PAGE 02 STATE 015113 182333Z
    r"|[A-Z][A-Z .'-]{1,30}[ \t]+\d{5,8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3})[ \t]*$")
ASIDE = re.compile(
    r"(?P<open>[\[(][ \t]*)?(?P<kind>NOTE|COMMENT)[ \t]*:.{0,20000}?END[ \t]+(?P=kind)[ \t]*\.?"
    r"(?:[ \t]*[\])])?",
    re.IGNORECASE | re.DOTALL)


def find_asides(text: str) -> tuple[Aside, ...]:
    return tuple(Aside(m.group("kind").lower(), Span(m.start(), m.end()))
                 for m in ASIDE.finditer(text))


def is_heading(line: Line, next_blank: bool) -> bool:
    """A short line of capitals on its own, such as `ANNUAL BILATERAL CONSULTATIONS`."""
    text = line.text.strip()
    if not next_blank or not 2 < len(text) <= 70 or text.endswith((".", ",", ";", ":")):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


def is_markdown_heading(line: Line) -> bool:
    return bool(re.match(r"[ \t]{0,3}#{1,6}[ \t]", line.text))


@dataclass
class _Open:
    start: Line
    end: Line
    number: str | None
    mark: PortionMark | None
    body_start: int
    holes: list[Span] = field(default_factory=list)


class BlockIds:
    """Readable block ids: ¶2 for numbered paragraphs, paragraph-3, heading-1, … for the rest."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.used: set[str] = set()

    def next(self, kind: BlockKind, number: str | None = None, name: str | None = None) -> str:
        if number is not None:
            base = f"\u00b6{number}"
        elif name is not None:
            base = f"{kind.value}-{name.lower().replace(' ', '-')}"
        else:
            self.counts[kind.value] = self.counts.get(kind.value, 0) + 1
            base = f"{kind.value}-{self.counts[kind.value]}"
        ident, n = base, 1
        while ident in self.used:
            n += 1
            ident = f"{base}#{n}"
        self.used.add(ident)
        return ident


def match_number(line: Line) -> tuple[str | None, PortionMark | None, int] | None:
    """A numbered-paragraph start: (number, portion mark, offset where the body begins)."""
    match = NUMBERED.match(line.text)
    if not match:
        return None
    return match.group("num"), _mark_of(match, line.start), _skip_space(line, match.end())


def match_leading_mark(line: Line) -> tuple[PortionMark, int] | None:
    match = LEADING_MARK.match(line.text)
    if not match:
        return None
    mark = _mark_of(match, line.start)
    assert mark is not None
    return mark, _skip_space(line, match.end())


def _skip_space(line: Line, offset: int) -> int:
    """The offset of the first non-blank character at or after `offset` in the line."""
    rest = line.text[offset:]
    return line.start + offset + (len(rest) - len(rest.lstrip(" \t")))


def _mark_of(match: re.Match[str], base: int) -> PortionMark | None:
    for group in ("label", "broken"):
        if group in match.re.groupindex and match.group(group):
            return PortionMark(Span(base + match.start(group), base + match.end(group)),
                               match.group(group).upper())
    return None


def parse_body(lines: list[Line], ids: BlockIds, page_line: re.Pattern[str] | None,
               markdown: bool = False) -> Iterator[Block]:
    """Paragraphs and headings. A numbered paragraph runs to the next number or heading, so
    its unnumbered sub-paragraphs and bullets stay part of it; a page line inside it becomes
    a hole that is kept as it is."""
    current: _Open | None = None
    pages: list[Line] = []  # page lines seen since the last text line
    after_blank = True

    def flush() -> Iterator[Block]:
        nonlocal current
        if current is not None:
            yield _close(current, ids)
            current = None
        for page in pages:
            yield Block(ids.next(BlockKind.PAGE), BlockKind.PAGE, page.span)
        pages.clear()

    for i, line in enumerate(lines):
        if line.blank:
            after_blank = True
            continue
        if page_line is not None and page_line.match(line.text):
            pages.append(line)
            continue
        next_blank = i + 1 >= len(lines) or lines[i + 1].blank
        numbered = match_number(line)
        if numbered is not None:
            yield from flush()
            number, mark, body_start = numbered
            current = _Open(line, line, number, mark, body_start)
        elif after_blank and (is_heading(line, next_blank)
                              or (markdown and is_markdown_heading(line))):
            yield from flush()
            yield Block(ids.next(BlockKind.HEADING), BlockKind.HEADING, line.span, body=line.span)
        elif current is None or (after_blank and current.number is None):
            yield from flush()
            leading = match_leading_mark(line)
            mark, body_start = leading if leading else (None, line.start)
            current = _Open(line, line, None, mark, body_start)
        else:
            current.holes.extend(page.span for page in pages)
            pages.clear()
            current.end = line
        after_blank = False
    yield from flush()


def _close(current: _Open, ids: BlockIds) -> Block:
    span = Span(current.start.start, current.end.end)
    body_start = min(max(current.body_start, span.start), span.end)
    return Block(ids.next(BlockKind.PARAGRAPH, current.number), BlockKind.PARAGRAPH, span,
                 number=current.number, portion_mark=current.mark,
                 body=Span(body_start, span.end), holes=tuple(current.holes))
