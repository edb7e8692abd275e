"""What a format is: how one kind of file becomes the text the pipeline reads, and how a
release copy of it is written and read back.

The pipeline works on text. A format loads a file into a `Document` — its text, with a source
map from text offsets back to the medium (line and column for text; page and line for a PDF)
and a record of how the text was read (the codec, for text) — and writes a copy from the text
with its removals. `redact`'s re-check rounds and `verify` read the *written bytes* back through
the same format, and search every place in them where text can hide, so a copy that keeps a
hidden layer (a PDF's text under a black box, a DOCX's tracked changes) is caught by the loop
that checks the visible one.

A new format is a module with a class that satisfies `Format` and one entry in
`redactor/formats/__init__.py`'s registry; see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from redactor.model import Document, Span
from redactor.options import CheckOptions


class Replacement(NamedTuple):
    """One removal as the copy makes it: a span of the original's text and what replaces it
    (the removed text's line breaks included, so every line of the copy is a line of the
    original)."""

    span: Span
    text: str


@dataclass(frozen=True)
class HidingPlace:
    """One place in a written file where text can be: the visible text layer, metadata, a
    comment, a revision… `where` names it for a reviewer, never quoting it."""

    where: str
    text: str


class Format(Protocol):
    @property
    def name(self) -> str:
        """The registry key, recorded in each Document (`Document.format`)."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Lower case, with the dot; the first one names the format in messages."""

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of content it reads (formats/sniff.py's `Kind.key`: "text", "html",
        "pdf"…). A file is read by a format of its content's kind, its suffix's if that one
        reads the kind."""

    @property
    def libraries(self) -> tuple[str, ...]:
        """Distributions whose version changes what it reads (part of the cache key)."""

    @property
    def markup(self) -> str | None:
        """The markup its text is written in, which the parser reads (`markdown`), if any."""

    def read(self, data: bytes, display: str, options: CheckOptions) -> Document:
        """The file's bytes (at most options.max_bytes, read by formats.load) as a Document;
        InputError (naming `display` and what to do) when they cannot be read as this
        format."""

    def record(self, document: Document) -> list[Any]:
        """How the document's text was read, as JSON values (the result cache stores it)."""

    def reload(self, data: bytes, display: str, record: list[Any]) -> Document:
        """The document `load` made from these bytes, read as `record` says (no detection):
        for the result cache. Any exception means it cannot."""

    def write(self, original: Document, text: str, removals: Sequence[Replacement]) -> bytes:
        """The bytes of a copy of `original` whose text is `text`: the original's text with
        each of `removals` made; RedactorError when it cannot be."""

    def reread(self, data: bytes, original: Document) -> Document:
        """A copy that `write` made, read back as a reader of the medium would read it."""

    def hiding_places(self, data: bytes, copy: Document) -> list[HidingPlace]:
        """Every place text can be in the written bytes, the text layer first (the copy's
        text as `reread` gave it)."""
