"""Every file of ../shared/corpus/formats/ is read by its format or refused with a clear
InputError (exit 2 in a run) — none crashes or is read as the wrong format — and real cable
pages go through check, redact and verify."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from redactor import formats
from redactor.errors import InputError
from redactor.formats import sniff
from redactor.options import CheckOptions

pytestmark = pytest.mark.corpus


def _files(corpus: Path) -> list[Path]:
    root = corpus / "formats"
    if not root.is_dir():
        pytest.skip(f"the corpus has no formats/ folder at {root}")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "README.md")


def test_every_file_is_read_by_its_format_or_refused(corpus: Path) -> None:
    options = CheckOptions(max_bytes=1 << 30)
    read, refused = 0, 0
    for path in _files(corpus):
        data = path.read_bytes()
        kind = sniff.content_kind(data)
        try:
            document = formats.load(path, path.name, options)
        except InputError as error:
            assert str(error).startswith(path.name) and error.hint, path
            refused += 1
            continue
        assert kind.key in formats.format_named(document.format).kinds, path
        assert kind.key not in ("pdf", "docx", "zip", "zip-damaged", "png"), path
        read += 1
    assert read >= 99 and refused > 0


def test_cable_pages_are_checked_redacted_and_verified(run_cli: Any, corpus: Path,
                                                       tmp_path: Path) -> None:
    with (corpus / "cables" / "MANIFEST.csv").open(newline="", encoding="utf-8") as handle:
        releasable = {row["id"] for row in csv.DictReader(handle)
                      if row["classification"].startswith("UNCLASSIFIED")}
    gold = {p.stem for p in (corpus / "gold" / "names").glob("*.json")}
    pages = [p for p in sorted((corpus / "formats" / "html" / "cables").rglob("*.html"))
             if p.stem in gold & releasable][:3]
    if not pages:
        pytest.skip("no gold cable pages in formats/html/cables")
    for page in pages:
        copy = tmp_path / page.name
        result = run_cli("redact", page, "-o", copy)
        assert result.exit_code == 0, result.output
        verified = run_cli("verify", page, copy)
        assert verified.exit_code == 0, verified.output
