"""The HTML format: web pages and XHTML, read with BeautifulSoup and the standard library's
HTML parser, which keeps every text node as the page has it (no tree repair that reading
the copy back could undo differently).

The document text is what a reader of the page can see or be shown, in reading order: every
text node (block elements, table cells and `<br>` start new lines; inline elements run on),
`<title>` and `<noscript>` included; then, each as a paragraph of its own, every comment and
every attribute that holds words or addresses (alt, title, aria-label, placeholder, value,
label, summary, a `<meta>` content, link targets: href, src, cite, action, srcdoc…). Script
and style are never read as prose.

The copy is the page parsed again, each of those places given its new text
(formats/chunks.py), and written in the page's encoding: markup stays valid because the
parser writes it. Scripts (emptied, their `src` gone) and event-handler attributes
(`onclick`…) are dropped from the copy — code is not checked, so it is not published (a
`javascript:` link target is text, and checked). Style sheets are kept, and searched as a
hiding place (CSS `content:` can show words), so a removed name in one stops the copy.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import bs4

from redactor.errors import InputError
from redactor.formats.base import HidingPlace, Replacement
from redactor.formats.chunks import Chunks, rewrite
from redactor.model import Document, Span, TextSource
from redactor.options import CheckOptions

# Elements whose start and end begin a new paragraph (a blank line) or a new line.
_PARAGRAPHS = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center",
    "details", "dialog", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html",
    "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "title", "ul", "noscript"})
_LINES = frozenset({"tr", "td", "th", "option", "br", "img"})
_NOT_PROSE = frozenset({"script", "style"})
# Attributes whose values a reader is shown or follows.
_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "aria-placeholder",
               "aria-roledescription", "aria-valuetext", "placeholder", "value", "label",
               "summary", "content", "abbr", "href", "src", "cite", "action", "formaction",
               "download", "poster", "longdesc", "srcdoc", "data")
_SKIPPED_STRINGS = (bs4.Doctype, bs4.Declaration, bs4.ProcessingInstruction, bs4.CData)


@dataclass(frozen=True)
class _Place:
    """One writable place: a text node, a comment, or a tag's attribute."""

    node: Any  # bs4.NavigableString or bs4.Tag
    attribute: str | None = None


@dataclass(frozen=True)
class HtmlFormat:
    name: str
    suffixes: tuple[str, ...]
    kinds: tuple[str, ...] = ("html", "text")
    libraries: tuple[str, ...] = ("beautifulsoup4",)
    markup: str | None = None

    def read(self, data: bytes, display: str, options: CheckOptions) -> Document:
        soup = _parse(data, display, options.encoding)
        chunks, _ = page_chunks(soup)
        text = chunks.text()
        if not text.strip():
            raise InputError(display, "the page has no text",
                             "There is nothing to check; remove it or add text.", code="empty")
        encoding = soup.original_encoding or options.encoding or "utf-8"
        return self._document(display, text, data, encoding, tuple(chunks.links))

    def record(self, document: Document) -> list[Any]:
        return [document.encoding]

    def reload(self, data: bytes, display: str, record: list[Any]) -> Document:
        (encoding,) = record
        return self.read(data, display, CheckOptions(encoding=encoding))

    def write(self, original: Document, text: str, removals: Sequence[Replacement]) -> bytes:
        assert original.raw is not None, "an HTML document keeps its bytes"
        soup = _parse(original.raw, original.path, original.encoding)
        chunks, places = page_chunks(soup)
        new = rewrite(original.path, chunks.text(), chunks.chunks, text, removals)
        set_places(soup, places, new)
        return bytes(soup.encode(original.encoding, formatter="minimal"))

    def reread(self, data: bytes, original: Document) -> Document:
        return self.read(data, original.path, CheckOptions(encoding=original.encoding))

    def hiding_places(self, data: bytes, copy: Document) -> list[HidingPlace]:
        soup = _parse(data, copy.path, copy.encoding)
        places = [HidingPlace("text", copy.text)]
        code = "\n".join(str(s) for tag in soup.find_all(_NOT_PROSE)
                         for s in tag.find_all(string=True))
        if code.strip():
            places.append(HidingPlace("scripts and style sheets", code))
        return places

    def _document(self, display: str, text: str, data: bytes, encoding: str,
                  links: tuple[Span, ...]) -> Document:
        return Document(path=display, text=text, sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data), format=self.name, source=TextSource(encoding),
                        raw=data, link_labels=links)


def _parse(data: bytes | str, display: str, encoding: str | None) -> bs4.BeautifulSoup:
    if isinstance(data, str):
        encoding = None  # a part of an e-mail, decoded already
    try:
        with warnings.catch_warnings():  # XHTML is HTML to a browser, and so to us
            warnings.simplefilter("ignore", bs4.XMLParsedAsHTMLWarning)
            return bs4.BeautifulSoup(data, "html.parser", from_encoding=encoding)
    except (ValueError, LookupError, RecursionError) as exc:
        raise InputError(display, f"the page cannot be parsed ({type(exc).__name__})",
                         "Check that it is an HTML file, or give its --encoding.",
                         code="undecodable") from None


parse = _parse


def set_places(soup: bs4.BeautifulSoup, places: Sequence[_Place], new: dict[int, str]) -> None:
    """Give each place (by its slot) its new text, and drop the page's code."""
    for slot, place in enumerate(places):
        if slot in new:
            _set(place, new[slot])
    _drop_code(soup)


def page_chunks(soup: bs4.BeautifulSoup) -> tuple[Chunks, list[_Place]]:
    """The document text's pieces in reading order (the page's text, then its comments and
    attributes) and the place each piece is written back to."""
    chunks = Chunks()
    places: list[_Place] = []
    trailer: list[_Place] = []
    for event, node, in_link in _walk(soup):
        if event == "join":
            chunks.join(node)
        elif isinstance(node, bs4.Comment):
            trailer.append(_Place(node))
        elif isinstance(node, bs4.Tag):
            # every one present, blank or not: a copy that empties one still has it, so the
            # copy's text has the same pieces as the original's
            trailer += [_Place(node, name) for name in _ATTRIBUTES
                        if isinstance(node.get(name), str)]
        else:
            chunks.add(str(node), len(places), link=in_link)
            places.append(_Place(node))
    for place in trailer:
        chunks.join("\n\n")
        chunks.add(_value(place), len(places))
        places.append(place)
    return chunks, places


def _walk(soup: bs4.BeautifulSoup) -> Iterator[tuple[str, Any, bool]]:
    """("join", breaks), ("tag", tag) and ("text", string) in document order, each with
    whether it is inside a link, without recursion (a page may nest thousands deep)."""
    stack: list[Any] = [iter(soup.contents)]
    closing: list[tuple[str | None, bool]] = [(None, False)]
    links = 0
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            breaks, link = closing.pop()
            links -= link
            if breaks:
                yield "join", breaks, False
            continue
        if isinstance(node, bs4.Tag):
            if node.name in _NOT_PROSE:
                continue
            breaks = "\n\n" if node.name in _PARAGRAPHS else "\n" if node.name in _LINES else None
            if breaks:
                yield "join", breaks, False
            yield "tag", node, False
            link = node.name == "a" and node.has_attr("href")
            links += link
            stack.append(iter(node.contents))
            closing.append((breaks, link))
        elif isinstance(node, bs4.Comment):
            yield "tag", node, False
        elif isinstance(node, _SKIPPED_STRINGS):
            continue
        else:  # whitespace between blocks too: whether a node is that cannot change
            yield "text", node, links > 0


def _value(place: _Place) -> str:
    return str(place.node if place.attribute is None else place.node[place.attribute])


def _set(place: _Place, text: str) -> None:
    if place.attribute is not None:
        place.node[place.attribute] = text
    elif text != str(place.node):
        place.node.replace_with(type(place.node)(text))


def _drop_code(soup: bs4.BeautifulSoup) -> None:
    """No script in a release copy: neither its elements nor event handlers nor script URLs."""
    for script in soup.find_all("script"):  # emptied, not dropped: the text around it stays
        script.clear()                      # two pieces, as the original's reading has them
        script.attrs = {}
    for tag in soup.find_all(True):
        for name in [n for n in tag.attrs if n.lower().startswith("on")]:
            del tag[name]
