"""Text made of pieces of a file: the document text of a structured format (HTML's text nodes
and attributes, an e-mail's header values and parts) is its writable pieces in reading order,
joined by line breaks the format puts between them. A copy is written by giving every piece
its new text; this module works out that text from the removals, and proves it.

A removal keeps the line breaks of what it removes (redactor/release/copy.py), so its
replacement splits, at its breaks, into one part per line of the removed text: each part is
written where its line begins, each break stays in the piece that holds it, and the rest of
the removed characters go. Put back together with the same joins, the pieces' new texts are
then exactly the rendered copy; `rewrite` checks that they are, and refuses (nothing is
written) where a part would have to go into a join.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from redactor.errors import RedactorError
from redactor.formats.base import Replacement
from redactor.model import Span

_BREAKS = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class Chunk:
    """A stretch of the document text: a writable piece (`slot`: its index in the format's
    list of places) or text the format added (`slot` None: line breaks between pieces, or a
    label such as a header's name), which no removal may change."""

    start: int
    end: int
    slot: int | None


@dataclass
class Chunks:
    """Builds a document text from pieces and joins."""

    parts: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    length: int = 0
    links: list[Span] = field(default_factory=list)  # text that labels a link (HTML's <a>)

    def add(self, text: str, slot: int, link: bool = False) -> None:
        """A writable piece (empty ones take no room but keep their slot); `link`: it is
        (part of) the label of a link to another page."""
        if link and text.strip():
            self.links.append(Span(self.length, self.length + len(text)))
        self._append(text, slot)

    def join(self, breaks: str) -> None:
        """Line breaks between pieces. Every join stands, even next to another or at the
        start: the text's lines must not depend on which pieces are empty, because a piece
        the copy empties is not there at all when the copy is read back."""
        self._append(breaks, None)

    def fixed(self, text: str) -> None:
        """Text the format writes itself (an e-mail header's name): never changed."""
        self._append(text, None)

    def extend(self, other: Chunks, first_slot: int) -> None:
        """Another text's pieces and joins, after these; its slots numbered from first_slot."""
        links = {c.start: c for c in other.links}
        for chunk, part in zip(other.chunks, other.parts, strict=True):
            if chunk.slot is None:
                if part.strip("\r\n"):
                    self.fixed(part)
                else:
                    self.join(part)
            else:
                self.add(part, first_slot + chunk.slot, link=chunk.start in links)

    def text(self) -> str:
        """The document text: the pieces and joins."""
        return "".join(self.parts)

    def _append(self, text: str, slot: int | None) -> None:
        self.chunks.append(Chunk(self.length, self.length + len(text), slot))
        self.parts.append(text)
        self.length += len(text)


def rewrite(display: str, text: str, chunks: Sequence[Chunk], copy: str,
            removals: Sequence[Replacement]) -> dict[int, str]:
    """The new text of every writable piece, such that the pieces and joins read as `copy`
    (the original `text` with `removals` made). RedactorError when they cannot."""
    cut = bytearray(len(text))  # 1 where a removal takes a character away
    placed: dict[int, list[tuple[int, str]]] = {}  # chunk index → (offset, part to write)
    starts = [c.start for c in chunks]
    for removal in sorted(removals, key=lambda r: r.span.start):
        start, end = removal.span.start, removal.span.end
        removed = text[start:end]
        parts = _BREAKS.split(removal.text)
        line_starts = [start, *(start + m.end() for m in _BREAKS.finditer(removed))]
        if len(parts) != len(line_starts):
            raise _cannot(display, "a replacement does not keep the removed text's lines")
        for offset in range(start, end):
            cut[offset] = 1
        for m in _BREAKS.finditer(removed):  # breaks stay
            for offset in range(start + m.start(), start + m.end()):
                cut[offset] = 0
        for at, part in zip(line_starts, parts, strict=True):
            if part:
                index = _chunk_for(chunks, starts, at)
                if index is None:
                    raise _cannot(display, "a replacement would fall between two parts")
                placed.setdefault(index, []).append((at, part))
    new: dict[int, str] = {}
    pieces = []
    for index, chunk in enumerate(chunks):
        written = _written(text, chunk, cut, placed.get(index, []))
        if chunk.slot is None and written != text[chunk.start:chunk.end]:
            raise _cannot(display, "a removal takes away a line break between two parts")
        if chunk.slot is not None:
            new[chunk.slot] = written
        pieces.append(written)
    if "".join(pieces) != copy:
        raise _cannot(display, "the parts written do not read as the copy")
    return new


def _chunk_for(chunks: Sequence[Chunk], starts: list[int], at: int) -> int | None:
    """The writable chunk a part written at offset `at` goes into: the one holding `at`, or
    one that ends or starts exactly there (`starts`: each chunk's start, in order)."""
    first = bisect.bisect_left(starts, at)
    near = range(max(first - 1, 0), min(bisect.bisect_right(starts, at) + 1, len(chunks)))
    writable = [i for i in near if chunks[i].slot is not None]
    holding = [i for i in writable if chunks[i].start <= at < chunks[i].end]
    touching = [i for i in writable if at in (chunks[i].start, chunks[i].end)]
    found = holding or touching
    return found[0] if found else None


def _written(text: str, chunk: Chunk, cut: bytearray, parts: list[tuple[int, str]]) -> str:
    out = []
    pending = sorted(parts)
    for offset in range(chunk.start, chunk.end):
        while pending and pending[0][0] <= offset:
            out.append(pending.pop(0)[1])
        if not cut[offset]:
            out.append(text[offset])
    out.extend(part for _, part in pending)  # written at the chunk's end
    return "".join(out)


def _cannot(display: str, why: str) -> RedactorError:
    return RedactorError(display, f"the copy cannot be written in this format: {why}",
                         "Nothing was written. Please report this document and its format.",
                         code="write-failed")
