"""The text format: plain text and Markdown files.

Bytes → Document. The encoding is never guessed silently: a byte-order mark or valid UTF-8
decides first, then charset-normalizer, and the result is recorded in the Document (and the
report). Anything that is not text — binary data, an empty file, a truncated or undecodable
file, a file over the size limit — raises InputError naming the file and what to do.

A copy is the copy's text in the original's codec, with its byte-order mark: read back, it is
the same text. The text itself is the only place text can be in it.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer

from redactor.errors import InputError, RedactorError
from redactor.files import read_regular
from redactor.formats.base import HidingPlace, Replacement
from redactor.model import Document, TextSource
from redactor.options import CheckOptions

BOMS: dict[str, bytes] = {  # longest first: the UTF-32-LE mark starts with UTF-16-LE's
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}
_PREFERRED_ON_TIE = ("cp1252", "latin_1", "iso8859_15")
# Share of control characters (other than tab, newline, CR, form feed) above which decoded
# "text" is really binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class TextFormat:
    """Text files: `name` and `suffixes` tell plain text from Markdown (parsed as Markdown)."""

    name: str
    suffixes: tuple[str, ...]
    kinds: tuple[str, ...] = ("text",)
    libraries: tuple[str, ...] = ("charset-normalizer",)
    markup: str | None = None  # "markdown": headings are read as Markdown's

    def read(self, data: bytes, display: str, options: CheckOptions) -> Document:
        text, used, bom = decode(data, display, options.encoding)
        return self._document(display, text, data, TextSource(used, bom))

    def record(self, document: Document) -> list[Any]:
        return [document.source.encoding, document.source.bom]

    def reload(self, data: bytes, display: str, record: list[Any]) -> Document:
        encoding, bom = record
        text = data[len(BOMS[encoding]):].decode(encoding) if bom else data.decode(encoding)
        return self._document(display, text, data, TextSource(encoding, bool(bom)))

    def write(self, original: Document, text: str, removals: Sequence[Replacement]) -> bytes:
        try:
            return encode(text, original)
        except UnicodeEncodeError as exc:
            raise RedactorError(original.path, f"a replacement cannot be written in the "
                                f"document's encoding {original.encoding}",
                                "Use ASCII in the policy's output section (labels and "
                                "output.block).", code="encoding") from exc

    def reread(self, data: bytes, original: Document) -> Document:
        return self.reload(data, original.path, self.record(original))

    def hiding_places(self, data: bytes, copy: Document) -> list[HidingPlace]:
        return [HidingPlace("text", copy.text)]

    def _document(self, display: str, text: str, data: bytes, source: TextSource) -> Document:
        return Document(path=display, text=text, sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data), format=self.name, source=source)


def read_bytes(path: Path, shown: str, max_bytes: int) -> bytes:
    if not path.exists():
        raise InputError(shown, "no such file or folder", "Check the path.", code="not-found")
    if not path.is_file():
        raise InputError(shown, "not a regular file", "Name a text file or a folder.",
                         code="unreadable")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(shown, f"file is {size:,} bytes, over the limit of {max_bytes:,}",
                         "Raise the limit with --max-file-size if the file is meant to be checked.",
                         code="too-large")
    try:
        data = read_regular(path, max_bytes)
    except OSError as exc:
        raise InputError(shown, f"cannot be read ({exc.strerror or exc})",
                         "Check the file's permissions.", code="unreadable") from exc
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(shown, f"file is over the limit of {max_bytes:,} bytes",
                         "Raise the limit with --max-file-size.", code="too-large")
    return data


def decode(data: bytes, shown: str, encoding: str | None = None) -> tuple[str, str, bool]:
    """Decode bytes to text. Returns (text, encoding used, had a byte-order mark)."""
    if not data.strip():
        raise InputError(shown, "file is empty",
                         "There is nothing to check; remove it or add text.", code="empty")
    if encoding:
        text, used, bom = _decode_as(data, shown, encoding), encoding, False
    else:
        text, used, bom = _detect(data, shown)
    _refuse_binary(text, shown)
    _refuse_8bit_read_as_utf16(text, used, shown)
    if not text.strip():
        raise InputError(shown, "file is empty",
                         "There is nothing to check; remove it or add text.", code="empty")
    return text, used, bom


def _decode_as(data: bytes, shown: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as exc:
        raise InputError(shown, f"unknown encoding {encoding!r}",
                         "Name a Python codec, e.g. utf-8, cp1252, utf-16.",
                         code="undecodable") from exc
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"cannot be decoded as {encoding} (byte {exc.start})",
                         "Drop --encoding to detect it, or name the right one.",
                         code="undecodable") from exc


def _detect(data: bytes, shown: str) -> tuple[str, str, bool]:
    for codec, bom in BOMS.items():
        if data.startswith(bom):
            return _decode_as(data[len(bom):], shown, codec), codec, True
    if b"\x00" in data and _looks_like_utf16(data):
        # NUL is valid UTF-8, so this comes first: text with every other byte NUL is UTF-16.
        codec = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return _decode_as(data, shown, codec), codec, False
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        if _is_truncated_utf8(data, exc):
            raise InputError(shown, "file ends in the middle of a UTF-8 character (truncated?)",
                             "Restore the complete file and check it again.",
                             code="truncated") from exc
    if b"\x00" in data:
        raise InputError(shown, "file is binary, not text", _convert_hint(), code="binary")
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError(shown, "cannot tell the text encoding",
                         "Convert it to UTF-8, or name the encoding with --encoding.",
                         code="undecodable")
    # Short Western text decodes equally well as cp1252, cp1250 or iso8859_10; the detector's
    # order among equals is arbitrary, so ties go to the most common legacy codec.
    tied = {m.encoding: m for m in matches
            if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    chosen = next((tied[c] for c in _PREFERRED_ON_TIE if c in tied), best)
    return str(chosen), _python_codec(chosen.encoding), False


def _is_truncated_utf8(data: bytes, exc: UnicodeDecodeError) -> bool:
    """Valid UTF-8 up to an incomplete multi-byte sequence in the last three bytes."""
    if exc.start < len(data) - 3:
        return False
    try:
        data[: exc.start].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return exc.reason == "unexpected end of data"


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    return max(even, odd) > 0.4 * half and min(even, odd) < 0.05 * half


def _python_codec(name: str) -> str:
    return codecs.lookup(name).name


def _convert_hint() -> str:
    """`Convert it to a text format (.txt, .md) first.`: the text formats of the registry."""
    from redactor.formats import FORMATS  # the registry imports this module

    named = ", ".join(f.suffixes[0] for f in FORMATS.values() if isinstance(f, TextFormat))
    return f"Convert it to a text format ({named}) first."


def _refuse_binary(text: str, shown: str) -> None:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(shown, "file is binary, not text", _convert_hint(), code="binary")


def _refuse_8bit_read_as_utf16(text: str, used: str, shown: str) -> None:
    """8-bit text read as UTF-16 (a stray byte-order mark `FF FE` before ASCII, or a wrong
    --encoding) decodes without error into CJK-looking characters, each the code of two ASCII
    characters: no name is found in it, and it would pass. Real UTF-16 text has few such
    characters (fewer than one in five, in Chinese)."""
    if not _python_codec(used).startswith("utf-16"):
        return
    wide = [ord(ch) for ch in text if ord(ch) > 0x7F]
    pairs = sum(1 for code in wide if code >> 8 in _ASCII_BYTES and code & 0xFF in _ASCII_BYTES)
    if len(wide) >= 8 and pairs > 0.9 * len(wide):
        raise InputError(shown, f"the bytes are 8-bit text, not {used}: read as {used} they "
                         "give meaningless characters (a stray byte-order mark, or the wrong "
                         "--encoding?)",
                         "Remove the byte-order mark, or give the right --encoding.",
                         code="undecodable")


_ASCII_BYTES = frozenset([*range(0x20, 0x7F), 0x09, 0x0A, 0x0D])


def encode(text: str, document: Document) -> bytes:
    """Encode text the way the original document was encoded (same codec, same BOM)."""
    bom = BOMS[document.encoding] if document.source.bom else b""
    return bom + text.encode(document.encoding)
