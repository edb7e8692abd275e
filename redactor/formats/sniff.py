"""What a file's bytes say it is, whatever its name says: a PDF named memo.txt is a PDF.

`content_kind` looks at the first bytes (magic numbers and the structure that follows them)
and names the kind of file; formats/__init__.py reads each file by the format of its kind,
and refuses a kind that no format reads. Only where the bytes say nothing definite (text) does
the suffix choose between the text formats.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class Kind:
    """A kind of file: `key`, which formats name in their `kinds` (formats/base.py), and
    `name` as messages give it."""

    key: str
    name: str


TEXT = Kind("text", "text")
HTML = Kind("html", "an HTML page")
EMAIL = Kind("email", "an e-mail message (MIME)")

# Leading bytes of kinds that are never text (the common ones a document folder holds).
_MAGIC: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF-", Kind("pdf", "a PDF document")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     Kind("ole2", "an OLE2 file (a legacy .doc, .xls or .msg)")),
    (b"{\\rtf", Kind("rtf", "an RTF document")),
    (b"\x89PNG\r\n\x1a\n", Kind("png", "a PNG image")),
    (b"\xff\xd8\xff", Kind("jpeg", "a JPEG image")),
    (b"GIF87a", Kind("gif", "a GIF image")),
    (b"GIF89a", Kind("gif", "a GIF image")),
    (b"II*\x00", Kind("tiff", "a TIFF image")),
    (b"MM\x00*", Kind("tiff", "a TIFF image")),
    (b"\x1f\x8b", Kind("gzip", "a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", Kind("7z", "a 7-Zip archive")),
    (b"Rar!\x1a\x07", Kind("rar", "a RAR archive")),
    (b"BZh", Kind("bzip2", "a bzip2 archive")),
    (b"\xfd7zXZ\x00", Kind("xz", "an xz archive")),
    (b"\x7fELF", Kind("elf", "an executable")),
    (b"MZ", Kind("exe", "a Windows executable")),
    (b"SQLite format 3\x00", Kind("sqlite", "an SQLite database")),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# A PDF may have up to 1,024 bytes of anything before its header (ISO 32000-1, 7.5.2).
_PDF_WINDOW = 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>])",
                         re.IGNORECASE | re.DOTALL)
_HEADER_LINE = re.compile(rb"[!-9;-~]+:[ \t]?[^\r\n]*\r?\n|[ \t]+[^\r\n]*\r?\n")
_MIME_HEADERS = (b"mime-version", b"content-type", b"content-transfer-encoding")


def content_kind(data: bytes) -> Kind:
    """The kind of file these bytes are (TEXT when they are none of the others)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return _MAGIC[0][1]
    if data.startswith(_ZIP):
        return _zip_kind(data)
    head = _without_bom(data[:4096])
    if _HTML_START.match(head):
        return HTML
    if _is_mime_message(data):
        return EMAIL
    return TEXT


def _without_bom(head: bytes) -> bytes:
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
    if head[1:2] == b"\x00" or head[:1] == b"\x00":  # UTF-16 without a BOM: its ASCII
        head = head.replace(b"\x00", b"")
    return head


def _zip_kind(data: bytes) -> Kind:
    """A ZIP package: Office Open XML (Word, Excel, PowerPoint), OpenDocument, or a plain
    archive; a damaged one is still a ZIP, never text."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = set(package.namelist())
            mimetype = package.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, NotImplementedError):
        return Kind("zip-damaged",
                    "a damaged ZIP package (a Word or Office file, or an archive)")
    if "word/document.xml" in names:
        return Kind("docx", "a Word document (DOCX)")
    if "xl/workbook.xml" in names:
        return Kind("xlsx", "an Excel workbook (XLSX)")
    if "ppt/presentation.xml" in names:
        return Kind("pptx", "a PowerPoint presentation (PPTX)")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return Kind("odf", "an OpenDocument file")
    if "[Content_Types].xml" in names:
        return Kind("ooxml", "an Office Open XML package")
    return Kind("zip", "a ZIP archive")


def _is_mime_message(data: bytes) -> bool:
    """A message in RFC 5322 form: it opens with a block of header lines, ended by a blank
    line, that declares MIME (MIME-Version, Content-Type or Content-Transfer-Encoding) and
    names a sender or date. A text printout of an e-mail (From:/Sent:/To:) declares no MIME."""
    head = data[:65536]
    names: set[bytes] = set()
    at = 0
    while at < len(head):
        if head.startswith((b"\r\n", b"\n"), at):
            break
        line = _HEADER_LINE.match(head, at)
        if line is None:
            return False
        name = line.group().split(b":", 1)[0].strip().lower()
        if not line.group()[:1].isspace():
            names.add(name)
        at = line.end()
    else:
        return False
    return any(n in names for n in _MIME_HEADERS) and bool(names & {b"from", b"date",
                                                                    b"message-id"})
