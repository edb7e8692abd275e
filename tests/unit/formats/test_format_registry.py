"""The formats seam (redactor/formats/): the registry the rest of the tool reads suffixes and
wording from, and a format whose copy keeps a hidden layer — caught by redact's re-check and by
verify, because both read the written bytes back through the format."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import NAMES

from redactor import formats
from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.formats import HidingPlace
from redactor.model import Document, TextSource
from redactor.options import CheckOptions
from redactor.release import make_release
from redactor.release.verify import verify

MEMO = f"Notes of the meeting.\n\n{NAMES[0]} told the committee the harbour would close.\n"


def test_the_registry_gives_suffixes_formats_and_messages(tmp_path: Path) -> None:
    assert formats.suffixes() == {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml",
                                  ".eml"}
    assert formats.format_for("memo.MD").name == "markdown"
    assert formats.format_for("memo.pdf").name == "text"  # a named file: read as text
    assert formats.for_suffix("memo.pdf") is None  # in a folder: not a document
    error = formats.unsupported(Path("scan.pdf"))
    assert (error.code, error.message) == ("unsupported", "unsupported file type '.pdf'")
    assert error.hint == "Convert it to .txt, .md, .html or .eml, or move it out of the folder."
    assert formats.no_documents().hint == \
        "Name a folder that holds .txt, .md, .html or .eml documents."


def test_a_document_records_its_format_and_is_parsed_by_it(tmp_path: Path,
                                                            engine: Engine) -> None:
    (tmp_path / "memo.md").write_text("# Heading\n\nText.\n", encoding="utf-8")
    document = engine.read(tmp_path / "memo.md", "memo.md")
    assert (document.format, document.source) == ("markdown", TextSource("utf-8"))
    fmt = formats.format_named(document.format)
    data = (tmp_path / "memo.md").read_bytes()
    assert fmt.reload(data, "memo.md", fmt.record(document)) == document


@dataclass(frozen=True)
class HiddenLayer:
    """A format for the test: its copies keep the original text in a hidden layer (as a PDF
    keeps its text under a drawn box), and `visible` says whether reading a copy back shows
    that layer too (a reader that extracts every layer)."""

    visible: bool
    name: str = "hidden-layer"
    suffixes: tuple[str, ...] = (".hid",)
    kinds: tuple[str, ...] = ("text",)
    libraries: tuple[str, ...] = ()
    markup: str | None = None

    def read(self, data: bytes, display: str, options: CheckOptions) -> Document:
        return self._document(display, data.decode("utf-8"), data)

    def record(self, document: Document) -> list[Any]:
        return []

    def reload(self, data: bytes, display: str, record: list[Any]) -> Document:
        return self._document(display, data.decode("utf-8"), data)

    def write(self, original: Document, text: str, removals: Sequence[Any]) -> bytes:
        return f"{text}\x00{original.text}".encode()

    def reread(self, data: bytes, original: Document) -> Document:
        text, _, hidden = data.decode("utf-8").partition("\x00")
        return self._document(original.path, f"{text}{hidden}" if self.visible else text, data)

    def hiding_places(self, data: bytes, copy: Document) -> list[HidingPlace]:
        text, _, hidden = data.decode("utf-8").partition("\x00")
        return [HidingPlace("text", text), HidingPlace("hidden layer", hidden)]

    def _document(self, display: str, text: str, data: bytes) -> Document:
        return Document(display, text, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        format=self.name)


def registered(monkeypatch: pytest.MonkeyPatch, fmt: HiddenLayer) -> None:
    monkeypatch.setitem(formats.FORMATS, fmt.name, fmt)
    monkeypatch.setitem(formats._BY_SUFFIX, ".hid", fmt)


def test_redact_refuses_a_copy_whose_hidden_layer_keeps_a_removed_text(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy's visible text is clean and re-checks clean, but the format keeps the original
    in a layer a reader does not show: redact searches every hiding place before it writes."""
    registered(monkeypatch, HiddenLayer(visible=False))
    (tmp_path / "memo.hid").write_text(MEMO, encoding="utf-8")
    original = engine.read(tmp_path / "memo.hid", "memo.hid")
    with pytest.raises(RedactorError) as raised:
        make_release(engine, engine.check(original), "copy.hid")
    assert raised.value.code == "hidden-layer" and NAMES[0] not in str(raised.value)


def test_verify_searches_every_hiding_place_of_the_copy(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy made some other way, with the original in its hidden layer, fails verify."""
    fmt = HiddenLayer(visible=False)
    registered(monkeypatch, fmt)
    (tmp_path / "memo.hid").write_text(MEMO, encoding="utf-8")
    original = engine.read(tmp_path / "memo.hid", "memo.hid")
    visible = MEMO.replace(NAMES[0], "[REDACTED (b)(6)]")
    data = fmt.write(original, visible, [])
    copy = fmt.reread(data, original)
    assert NAMES[0] not in copy.text, "the visible layer of the copy is clean"
    result = verify(engine, original, copy, data)
    residue = next(c for c in result.checks if c.name == "residue")
    assert not residue.ok and any("the copy's hidden layer" in p for p in residue.problems)
    assert NAMES[0] not in " ".join(residue.problems)


def test_redact_reads_its_copy_back_through_the_format(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy whose read-back shows the hidden layer still holds the name: the re-check
    rounds see it there, and no copy is made."""
    registered(monkeypatch, HiddenLayer(visible=True))
    (tmp_path / "memo.hid").write_text(MEMO, encoding="utf-8")
    original = engine.read(tmp_path / "memo.hid", "memo.hid")
    with pytest.raises(RedactorError) as raised:
        make_release(engine, engine.check(original), "copy.hid")
    assert raised.value.code == "hidden-layer"


def test_help_names_the_formats_of_the_registry(run_cli: Any) -> None:
    for command in ("check", "redact"):
        out = " ".join(run_cli(command, "--help").stdout.split())
        for fmt in formats.FORMATS.values():
            assert f"{fmt.name} ({', '.join(fmt.suffixes)})" in out, command
