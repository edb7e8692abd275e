"""A file is read by what its bytes are, not by what it is called (formats/sniff.py and the
registry's dispatch in formats/__init__.py)."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from helpers import read_document

from redactor import formats
from redactor.errors import InputError
from redactor.formats import sniff


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in names.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "key"), [
    (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "pdf"),
    (b"garbage before the header\n" * 10 + b"%PDF-1.4\n", "pdf"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
    (b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
    (b"{\\rtf1\\ansi The Minister", "rtf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "ole2"),
    (gzip.compress(b"text"), "gzip"),
    (b"SQLite format 3\x00", "sqlite"),
    (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "docx"),
    (_zip({"xl/workbook.xml": b"<x/>"}), "xlsx"),
    (_zip({"notes.txt": b"hello"}), "zip"),
    (b"PK\x03\x04 truncated", "zip-damaged"),
    (b"<!DOCTYPE html><html><body><p>x</p>", "html"),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<html xmlns='x'>", "html"),
    ("<html><body>caf\u00e9".encode("utf-16"), "html"),
    (b"MIME-Version: 1.0\r\nFrom: a@b.org\r\nContent-Type: text/plain\r\n\r\nbody", "email"),
    (b"From: Jonas\nSent: Monday\nTo: Priya\nSubject: x\n\nA printout, no MIME.", "text"),
    (b"UNCLASSIFIED\n\n1. (U) Plain text <p> with a tag.\n", "text"),
    (b"", "text"),
])
def test_content_kind(data: bytes, key: str) -> None:
    assert sniff.content_kind(data).key == key


@pytest.mark.parametrize(("name", "data", "wanted"), [
    ("page.txt", b"<!doctype html><p>UNCLASSIFIED</p>", "html"),  # content wins
    ("fragment.html", b"<p>UNCLASSIFIED</p><p>(U) x</p>", "html"),  # text: the suffix's
    ("message.txt", b"MIME-Version: 1.0\nDate: Tue, 1 Dec 2026\n\nbody\n", "email"),
    ("notes.md", b"# Notes\n\ntext\n", "markdown"),
    ("README", b"plain\n", "text"),
])
def test_each_file_goes_to_the_format_of_its_content(name: str, data: bytes,
                                                      wanted: str) -> None:
    assert formats.format_of(data, name).name == wanted


@pytest.mark.parametrize(("name", "data", "said"), [
    ("memo.txt", b"%PDF-1.4\n1 0 obj << >> endobj\n(Jonas Whitfield) Tj", "named .txt, but the "
     "file is a PDF document, which redactor does not read"),
    ("photo.md", b"\x89PNG\r\n\x1a\n....", "named .md, but the file is a PNG image"),
    ("archive", gzip.compress(b"x"), "the file is a gzip archive, which redactor does not read"),
    ("memo.eml", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "OLE2"),
])
def test_content_no_format_reads_is_refused_whatever_its_name(tmp_path: Path, name: str,
                                                                data: bytes, said: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_document(path, name)
    assert said in str(raised.value) and raised.value.code == "unsupported"
    assert str(raised.value).startswith(name)
