"""The people of a table's name column: a Markdown table (`| Name | Post |`) or a fixed-width
one (columns apart by two or more spaces), whose header names the column (`Name`, `Contact`,
`Attendee`, `POC` …). The model reads a table row as a broken sentence and misses names in
it; the header says what each cell of the column is. A cell is taken when its words are
capitalised name words (not `Vacant`, `TBD` or a word the document writes in lower case).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan, person
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import is_name_word
from redactor.model import Finding, FoundBy, Span

# Headers of a column of people (a whole cell, any case).
_NAME_HEADER = re.compile(
    r"(?:full[ _]|first[ _]and[ _]last[ _])?names?|persons?|people|contacts?|employees?"
    r"|officials?|staff|members?|attendees?|participants?|interviewees?|witnesses|witness"
    r"|authors?|reviewers?|drafters?|poc|point[ _]of[ _]contact|representatives?",
    re.IGNORECASE)
_MD_ROW = re.compile(r"^[ \t]*\|(?P<cells>.*)\|[ \t]*$", re.MULTILINE)
_MD_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?$")
_GAP = re.compile(r"[ \t]{2,}|\t")
_CELL_WORDS = 5  # words of a name cell at most


class Tables(NameLayer):
    found_by = FoundBy.TABLE_COLUMN

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        text = scan.parsed.document.text
        for header, cell in [*_markdown_cells(text), *_fixed_width_cells(text)]:
            if _names_a_person(text, cell, scan):
                yield person(scan.parsed, cell, 0.7, FoundBy.TABLE_COLUMN, evidence=(header,))

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        header = finding.evidence[0] if finding.evidence else None
        title = context.document.text[header.start:header.end] if header else "name"
        return f"a cell of a table's {title!r} column"


def _names_a_person(text: str, cell: Span, scan: NameScan) -> bool:
    """Capitalised name words, none a stop word or a word the document writes in lower case;
    a cell of one word also no English word and not in capitals (`Vacant`, `TBD`)."""
    words = text[cell.start:cell.end].replace(",", " ").split()
    if len(words) == 1 and (words[0].isupper() or (
            scan.vocab is not None and scan.vocab[words[0].casefold()].has_vector)):
        return False
    return (0 < len(words) <= _CELL_WORDS
            and all(w[:1].isupper() and is_name_word(w.rstrip("."))
                    and w.casefold() not in stop_words() and w.casefold() not in scan.ordinary
                    for w in words if len(w.rstrip(".")) > 1))


def _markdown_cells(text: str) -> Iterator[tuple[Span, Span]]:
    """(header cell, body cell) of each name column of each Markdown table."""
    rows = list(_MD_ROW.finditer(text))
    index = 0
    while index + 1 < len(rows):
        header, rule = rows[index], rows[index + 1]
        adjacent = text.count("\n", header.end(), rule.start()) == 1
        if not (adjacent and _MD_RULE.match(rule.group())):
            index += 1
            continue
        columns = [i for i, c in enumerate(_cells(header)) if _NAME_HEADER.fullmatch(
            text[c.start:c.end])]
        head_cells = _cells(header)
        body = index + 2
        previous = rule
        while body < len(rows) and text.count("\n", previous.end(), rows[body].start()) == 1:
            cells = _cells(rows[body])
            for column in columns:
                if column < len(cells):
                    yield head_cells[column], cells[column]
            previous = rows[body]
            body += 1
        index = body


def _cells(row: re.Match[str]) -> list[Span]:
    """The row's cells, each without its padding."""
    start = row.start("cells")
    spans = []
    for piece in row.group("cells").split("|"):
        stripped = piece.strip()
        lead = start + piece.index(stripped) if stripped else start
        spans.append(Span(lead, lead + len(stripped)))
        start += len(piece) + 1
    return spans


def _fixed_width_cells(text: str) -> Iterator[tuple[Span, Span]]:
    """(header cell, body cell) of each name column of each fixed-width table: a header line
    of two or more columns apart by two or more spaces, one a name header, then the rows up
    to a blank line, each cell read from the header's column."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    index = 0
    while index < len(lines):
        header = _columns(lines[index])
        names = [c for c in header if _NAME_HEADER.fullmatch(lines[index][c[0]:c[1]])]
        if len(header) < 2 or not names:
            index += 1
            continue
        row = index + 1
        while row < len(lines) and lines[row].strip() and "|" not in lines[row]:
            for start, end in names:
                cell = _cell_at(lines[row], start)
                if cell is not None:
                    base = offsets[row]
                    yield (Span(offsets[index] + start, offsets[index] + end),
                           Span(base + cell[0], base + cell[1]))
            row += 1
        index = row


def _columns(line: str) -> list[tuple[int, int]]:
    """The line's cells, apart by two or more spaces (or a tab)."""
    if "|" in line:
        return []
    cells, start = [], 0
    for gap in _GAP.finditer(line):
        if gap.start() > start:
            cells.append((start, gap.start()))
        start = gap.end()
    if line[start:].strip():
        cells.append((start, len(line.rstrip())))
    first = len(line) - len(line.lstrip())
    return [(s, e) for s, e in cells if e > s and s >= first]


def _cell_at(line: str, column: int) -> tuple[int, int] | None:
    """The cell of the row that begins at the header's column (a space either side allowed)."""
    for start, end in _columns(line):
        if abs(start - column) <= 1:
            return start, end
    return None
