"""formats: the kinds of file redactor reads and writes, one `Format` each
(redactor/formats/base.py), and the registry that file discovery, the result cache's key, the
error messages and --help read their suffixes and wording from.

A folder's documents are the files whose suffix a format takes; any other file there is an
error (exit 2), never skipped. Every file, found or named, is then read by the format its
*content* says it is (formats/sniff.py): an HTML page named .txt is read as HTML, a PDF named
.txt is refused as a PDF, never read as text. Only text decides nothing by its content: its
suffix chooses among the text formats, and a named file with another suffix is plain text.
"""

from __future__ import annotations

from pathlib import Path

from redactor.errors import InputError
from redactor.formats import sniff
from redactor.formats.base import Format, HidingPlace, Replacement
from redactor.formats.email import EmailFormat
from redactor.formats.html import HtmlFormat
from redactor.formats.text import TextFormat, read_bytes
from redactor.model import Document, FileError
from redactor.options import CheckOptions

TEXT = TextFormat("text", (".txt", ".text"))
MARKDOWN = TextFormat("markdown", (".md", ".markdown"), markup="markdown")

HTML = HtmlFormat("html", (".html", ".htm", ".xhtml"))
EMAIL = EmailFormat("email", (".eml",))

# The registry, in the order messages name the formats.
FORMATS: dict[str, Format] = {f.name: f for f in (TEXT, MARKDOWN, HTML, EMAIL)}
_BY_SUFFIX: dict[str, Format] = {s: f for f in FORMATS.values() for s in f.suffixes}


def suffixes() -> frozenset[str]:
    """Every suffix a format reads (lower case, with the dot)."""
    return frozenset(_BY_SUFFIX)


def for_suffix(path: Path | str) -> Format | None:
    """The format that reads files with this path's suffix (any case), if any."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def format_for(path: Path | str) -> Format:
    """The format a file's suffix names, else plain text (a named file): what reads it when
    its content says nothing definite (see format_of)."""
    return for_suffix(path) or TEXT


def format_of(data: bytes, path: Path | str, display: str | None = None) -> Format:
    """The format that reads these bytes: one that reads the kind their content is (the
    suffix's format if it reads that kind). Plain text goes to the suffix's format (an HTML
    fragment named .html is HTML), else to TEXT. InputError for content no format reads (a
    PDF, an image, an archive…), whatever the file is called, and for text named as a
    format that does not read text."""
    kind = sniff.content_kind(data)
    named = for_suffix(path)
    if kind == sniff.TEXT and named is None:
        return TEXT
    if named is not None and kind.key in named.kinds:
        return named
    readers = [f for f in FORMATS.values() if kind.key in f.kinds]
    if readers and kind != sniff.TEXT:
        return readers[0]
    label = f"named {Path(path).suffix.lower()}, but " if named is not None else ""
    reader = f"the {named.name} format" if named is not None and kind == sniff.TEXT else "redactor"
    raise InputError(display or str(path), f"{label}the file is {kind.name}, which {reader} "
                     "does not read", f"Convert it to {_named_suffixes()} (its text), or move "
                     "it out of the folder.", code="unsupported")


def format_named(name: str) -> Format:
    """The format a Document records (KeyError for one that is not registered)."""
    return FORMATS[name]


def load(path: Path, display: str, options: CheckOptions) -> Document:
    """Read a file with the format its content says it is (InputError naming it when it
    cannot be read)."""
    data = read_bytes(path, display, options.max_bytes)
    return format_of(data, path, display).read(data, display, options)


def _named_suffixes() -> str:
    """`.txt or .md`: the first suffix of each format, as messages name them."""
    named = [f.suffixes[0] for f in FORMATS.values()]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"


def formats_help() -> str:
    """What --help says of the formats read: each with its suffixes."""
    named = ", ".join(f"{f.name} ({', '.join(f.suffixes)})" for f in FORMATS.values())
    return (f"Formats read: {named}. A file in a folder that none of them reads is an error "
            "(exit 2), never skipped. Every file is read by the format its content says it "
            "is (an HTML page named .txt is read as HTML; a PDF, image or archive is refused "
            "whatever its name); text by its suffix's format, or as plain text.")


def unsupported(path: Path) -> FileError:
    """The error of a file in a folder that no format reads."""
    return FileError("unsupported", f"unsupported file type {path.suffix or '(none)'!r}",
                     f"Convert it to {_named_suffixes()}, or move it out of the folder.")


def no_documents() -> FileError:
    """The error of a folder that holds nothing to check."""
    return FileError("no-documents", "no documents found in this folder",
                     f"Name a folder that holds {_named_suffixes()} documents.")


__all__ = ["EMAIL", "FORMATS", "HTML", "MARKDOWN", "TEXT", "Format", "HidingPlace", "Replacement",
           "for_suffix", "format_for", "format_named", "format_of", "formats_help", "load",
           "no_documents", "suffixes", "unsupported"]
