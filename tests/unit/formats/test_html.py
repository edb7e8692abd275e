"""The HTML format: what a reader of a page is shown is checked (text, attributes, comments,
link targets), script is never read as prose, and the copy is valid markup that reads back
as the rendered copy, with nothing removed left in any attribute, comment or script."""

from __future__ import annotations

from pathlib import Path

import bs4
import pytest
from helpers import NAMES, read_document

from redactor import formats
from redactor.engine import Engine
from redactor.model import Action, Document
from redactor.options import CheckOptions
from redactor.release import make_release
from redactor.release.verify import verify

PAGE = f"""<!DOCTYPE html>
<html><head><title>Visit of the delegation</title>
<meta name="author" content="{NAMES[0]}"></head>
<body>
<p>UNCLASSIFIED</p>
<h1>Memo</h1>
<p>(U) The Minister met Ambassador {NAMES[1]} on Tuesday to discuss the harbour.</p>
<p>(SBU) The visa backlog will not clear before March; this is not for release.</p>
<p><img src="p.png" alt="Photo: Ambassador {NAMES[5]} at the dock">
<a href="mailto:jonas.whitfield@example.org">write to us</a></p>
<script>var who = "{NAMES[3]}";</script>
<!-- drafted by {NAMES[4]} -->
</body></html>
"""


def _page(tmp_path: Path, text: str = PAGE, name: str = "memo.html",
          encoding: str = "utf-8") -> Document:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_document(path, name)


def test_the_text_a_reader_is_shown_is_read_and_script_is_not(tmp_path: Path) -> None:
    doc = _page(tmp_path)
    assert doc.format == "html"
    for shown in ("UNCLASSIFIED", "(SBU) The visa backlog", NAMES[0], NAMES[1], NAMES[5],
                  NAMES[4], "mailto:jonas.whitfield@example.org", "Visit of the delegation"):
        assert shown in doc.text
    assert NAMES[3] not in doc.text and "var who" not in doc.text
    assert "<p>" not in doc.text and "</p" not in doc.text


def test_markings_portions_and_names_of_a_page(engine: Engine, tmp_path: Path) -> None:
    plan = engine.check(_page(tmp_path))
    assert plan.level == "unclassified"
    text = plan.document.text
    withheld = [text[d.target.start:d.target.end] for d in plan.decisions
                if d.action == Action.WITHHOLD]
    assert any("visa backlog" in w for w in withheld)
    found = {text[d.target.start:d.target.end] for d in plan.decisions
             if d.action == Action.REDACT}
    assert {NAMES[0], NAMES[1], NAMES[5], NAMES[4]} <= found
    assert not any("Minister" in f or "<" in f for f in found)


def test_the_copy_is_valid_markup_with_nothing_removed_anywhere(engine: Engine,
                                                                tmp_path: Path) -> None:
    original = _page(tmp_path)
    release = make_release(engine, engine.check(original), "memo.html")
    raw = release.copy.decode("utf-8")
    for gone in (*NAMES[:2], *NAMES[3:6], "jonas.whitfield", "visa backlog", "var who"):
        assert gone not in raw
    soup = bs4.BeautifulSoup(raw, "html.parser")
    assert soup.find("img")["src"] == "p.png" and soup.find("a") is not None
    assert soup.find("script").get_text() == ""
    copy = formats.HTML.reread(release.copy, original)
    assert copy.text.startswith(release.redaction.rendered.text)
    assert verify(engine, original, copy, release.copy).ok


def test_verify_fails_a_copy_with_a_removed_name_in_an_attribute(engine: Engine,
                                                                 tmp_path: Path) -> None:
    original = _page(tmp_path)
    release = make_release(engine, engine.check(original), "memo.html")
    soup = bs4.BeautifulSoup(release.copy.decode("utf-8"), "html.parser")
    soup.find("h1")["title"] = f"by {NAMES[1]}"
    tampered = soup.encode("utf-8")
    copy = formats.HTML.reread(tampered, original)
    result = verify(engine, original, copy, tampered)
    assert not result.ok


def test_a_name_only_in_a_script_fails_verify(engine: Engine, tmp_path: Path) -> None:
    original = _page(tmp_path)
    release = make_release(engine, engine.check(original), "memo.html")
    tampered = release.copy.replace(b"<script></script>",
                                    f"<script>var x='{NAMES[1]}'</script>".encode())
    copy = formats.HTML.reread(tampered, original)
    assert not verify(engine, original, copy, tampered).ok


def test_the_page_encoding_is_kept(engine: Engine, tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "Tuesday", "Tuesday at the caf\u00e9")
    original = _page(tmp_path, page, encoding="cp1252")
    assert "caf\u00e9" in original.text
    release = make_release(engine, engine.check(original), "memo.html")
    assert "caf\u00e9".encode("cp1252") in release.copy


def test_a_page_with_no_text_is_refused(tmp_path: Path) -> None:
    from redactor.errors import InputError

    with pytest.raises(InputError, match="no text"):
        _page(tmp_path, "<!DOCTYPE html><html><body><script>x()</script></body></html>")


def test_deeply_nested_markup_is_read_without_recursion(tmp_path: Path) -> None:
    depth = 20_000
    page = "<!DOCTYPE html><html><body>" + "<div>" * depth + "deep text" + "</div>" * depth
    doc = _page(tmp_path, page)
    assert "deep text" in doc.text


def test_corpus_pages_read_back_unchanged_with_no_removals(corpus: Path) -> None:
    pages = sorted((corpus / "formats" / "html" / "cables").rglob("*.html"))[:6]
    if not pages:
        pytest.skip("no html/cables pages in the corpus")
    for path in pages:
        doc = formats.load(path, path.name, CheckOptions())
        copy = formats.HTML.write(doc, doc.text, [])
        assert formats.HTML.reread(copy, doc).text == doc.text, path.name
