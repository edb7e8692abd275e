"""formats: the kinds of file redactor reads and writes, one `Format` each
(redactor/formats/base.py), and the registry that file discovery, the result cache's key, the
error messages and --help read their suffixes and wording from.

A file found in a folder is read by the format its suffix names; one that no format takes is
an error (exit 2), never skipped. A file named on the command line is read by its suffix's
format, and as plain text when no format takes its suffix.
"""

from __future__ import annotations

from pathlib import Path

from redactor.formats.base import Format, HidingPlace
from redactor.formats.text import TextFormat
from redactor.model import Document, FileError
from redactor.options import CheckOptions

TEXT = TextFormat("text", (".txt", ".text"))
MARKDOWN = TextFormat("markdown", (".md", ".markdown"), markup="markdown")

# The registry, in the order messages name the formats.
FORMATS: dict[str, Format] = {f.name: f for f in (TEXT, MARKDOWN)}
_BY_SUFFIX: dict[str, Format] = {s: f for f in FORMATS.values() for s in f.suffixes}


def suffixes() -> frozenset[str]:
    """Every suffix a format reads (lower case, with the dot)."""
    return frozenset(_BY_SUFFIX)


def for_suffix(path: Path | str) -> Format | None:
    """The format that reads files with this path's suffix (any case), if any."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def format_for(path: Path | str) -> Format:
    """The format a file is read with: its suffix's, else plain text (a named file)."""
    return for_suffix(path) or TEXT


def format_named(name: str) -> Format:
    """The format a Document records (KeyError for one that is not registered)."""
    return FORMATS[name]


def load(path: Path, display: str, options: CheckOptions) -> Document:
    """Read a file with its format (InputError naming it when it cannot be read)."""
    return format_for(path).load(path, display, options)


def _named_suffixes() -> str:
    """`.txt or .md`: the first suffix of each format, as messages name them."""
    named = [f.suffixes[0] for f in FORMATS.values()]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"


def formats_help() -> str:
    """What --help says of the formats read: each with its suffixes."""
    named = ", ".join(f"{f.name} ({', '.join(f.suffixes)})" for f in FORMATS.values())
    return (f"Formats read: {named}. A file in a folder that none of them reads is an error "
            "(exit 2), never skipped; a file named on the command line is read by its "
            "suffix's format, and as text when none reads it.")


def unsupported(path: Path) -> FileError:
    """The error of a file in a folder that no format reads."""
    return FileError("unsupported", f"unsupported file type {path.suffix or '(none)'!r}",
                     f"Convert it to {_named_suffixes()}, or move it out of the folder.")


def no_documents() -> FileError:
    """The error of a folder that holds nothing to check."""
    return FileError("no-documents", "no documents found in this folder",
                     f"Name a folder that holds {_named_suffixes()} documents.")


__all__ = ["FORMATS", "MARKDOWN", "TEXT", "Format", "HidingPlace", "for_suffix", "format_for",
           "format_named", "formats_help", "load", "no_documents", "suffixes", "unsupported"]
