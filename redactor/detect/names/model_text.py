"""What the model reads: the document with its structure hidden and its capitals in Title Case.

Every function keeps offsets: the text the model reads has the document's length, so a span
found in it is a span of the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.names.words import CAPITAL_LINE, is_capital_line
from redactor.model import Block, BlockKind, ParsedDocument, Span

# Two or more words in capitals inside a mixed line (`Classified By: AMBASSADOR JOHN SMITH`).
_CAPITAL_RUN = re.compile(r"(?<![\w/])[A-Z]{3,}(?:[ \t]+[A-Z]{3,})+(?![\w/])")
CHUNK_CHARS = 100_000  # spaCy needs about 1 GB per 100,000 characters it parses at once
_STRUCTURE = (BlockKind.ROUTING, BlockKind.PAGE, BlockKind.TRAILER)
_CODE_FIELDS = ("E.O.", "TAGS")  # declassification codes and subject tags (DECL, KDOD, PREL)


def chunks(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of at most `size` characters, cut after a line break where there is
    one, else after a space, else anywhere."""
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, end
        start = end


def structural_spans(parsed: ParsedDocument, codes: bool = True) -> list[Span]:
    """A telegram's routing header, classification lines, page lines and trailer: station
    codes and section numbers, never names; redacting them would also break the copy's layout.
    (The banner line of another document may name its author: it is read.) With `codes`, also
    the E.O. and TAGS lines, which the model reads as names but which hold names only as tags."""
    kinds = (*_STRUCTURE, BlockKind.BANNER) if parsed.layout == "cable" else _STRUCTURE
    fields = _CODE_FIELDS if codes else ()
    spans = [b.span for b in parsed.blocks if b.kind in kinds or b.field_name in fields]
    spans.extend(hole for b in parsed.blocks for hole in b.holes)
    return spans


def visible_pieces(original: str, blanked: str, span: Span) -> Iterator[Span]:
    """The parts of the span that were not hidden from the model."""
    start = None
    for i in range(span.start, span.end):
        hidden = blanked[i] != original[i]
        if hidden and start is not None:
            yield Span(start, i)
            start = None
        elif not hidden and start is None:
            start = i
    if start is not None:
        yield Span(start, span.end)


def blank_out(text: str, spans: list[Span]) -> str:
    """The text with the spans replaced by spaces (line breaks kept): same length, same offsets."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def title_case_capital_lines(text: str) -> str:
    """Lines written in capitals (SUBJECT lines, signatures, captions), and runs of two or more
    words in capitals inside other lines (`Classified By: AMBASSADOR JOHN DANILOVICH`), in
    Title Case, for the model only: it reads capitals as acronyms. The length and every offset
    stay the same."""
    text = CAPITAL_LINE.sub(lambda m: _title_case(m.group()), text)
    return _CAPITAL_RUN.sub(lambda m: _title_case(m.group()), text)


# A field label opening a line: `Subject:`, `Sent:`, `Classified By:`.
_FIELD_LABEL = re.compile(r"[ \t]*[A-Z][\w-]*(?:[ \t][A-Z][\w-]*)?:")


def end_before_case_change(text: str, start: int, end: int) -> int:
    """Where an entity the model ran across a line break should end: at the break, when one
    of the two lines is written in capitals and the other not (`Ramthan Hussain` above the
    dateline `SINGAPORE 1996-12-06`), or when the next line starts with a field label
    (`Mills, Cheryl D` above `Subject: Re: Yemen`). Names wrapped inside running text stay
    whole."""
    cut = text.find("\n", start, end)
    while cut != -1:
        before = text[text.rfind("\n", 0, cut) + 1:cut]
        after_end = text.find("\n", cut + 1)
        after = text[cut + 1:after_end if after_end != -1 else len(text)]
        if is_capital_line(before) != is_capital_line(after) or _FIELD_LABEL.match(after):
            return cut
        cut = text.find("\n", cut + 1, end)
    return end


def _title_case(line: str) -> str:
    out = []
    previous_letter = False
    for ch in line:
        changed = ch.lower() if previous_letter else ch.upper()
        out.append(changed if len(changed) == 1 else ch)
        previous_letter = ch.isalpha() or ch in "'\u2019"
    return "".join(out)


def clip_to_body(span: Span, block: Block | None) -> Span:
    """An entity stays inside the block it starts in, and out of paragraph numbers and
    portion marks, which are structure, never part of a name."""
    if block is None:
        return span
    body = block.body or block.span
    return Span(max(span.start, body.start), min(span.end, block.span.end))


def trim_to_word(text: str, span: Span) -> Span | None:
    """The span without leading and trailing characters that are not letters or digits."""
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return Span(start, end) if end > start else None
