"""The e-mail format: MIME messages (.eml), read with the standard library's `email` package.

The document text is the message as its reader sees it: each header as `Name: value`, its
encoded words decoded (RFC 2047), then a blank line and every text part decoded from its
transfer encoding (base64, quoted-printable) and charset, an HTML part read as the HTML
format reads a page; a forwarded message (message/rfc822) follows with its own headers and
parts. An attachment that is not text is refused (exit 2): no format of ours would check it,
so it cannot be released.

The copy is the message parsed again with each header value and part given its new text
(formats/chunks.py), each part in its own charset and transfer encoding, its line endings
kept. Signatures (DKIM, ARC) are not re-made: a redacted message no longer carries them
validly, so they are dropped.
"""

from __future__ import annotations

import base64
import email
import email.errors
import email.header
import email.policy
import hashlib
import quopri
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from redactor.errors import InputError, RedactorError
from redactor.formats import html
from redactor.formats.base import HidingPlace, Replacement
from redactor.formats.chunks import Chunks, rewrite
from redactor.model import Document, TextSource
from redactor.options import CheckOptions

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_STRUCTURE = frozenset({"content-type", "content-transfer-encoding", "mime-version"})
_SIGNATURES = frozenset({"dkim-signature", "arc-seal", "arc-message-signature",
                         "arc-authentication-results", "x-google-dkim-signature"})


@dataclass(frozen=True)
class _Header:
    message: EmailMessage
    index: int  # in the message's list of headers


@dataclass(frozen=True)
class _Body:
    part: EmailMessage


@dataclass(frozen=True)
class _HtmlBody:
    part: EmailMessage
    soup: Any
    places: list[Any]
    first_slot: int


@dataclass(frozen=True)
class EmailFormat:
    name: str
    suffixes: tuple[str, ...]
    kinds: tuple[str, ...] = ("email", "text")
    libraries: tuple[str, ...] = ("beautifulsoup4", "lxml")  # for HTML parts
    markup: str | None = None

    def read(self, data: bytes, display: str, options: CheckOptions) -> Document:
        chunks, _ = _message_chunks(_parse(data, display), display)
        text = chunks.text()
        if not text.strip():
            raise InputError(display, "the message has no text",
                             "There is nothing to check; remove it.", code="empty")
        return Document(path=display, text=text, sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data), format=self.name, source=TextSource("utf-8"), raw=data,
                        link_labels=tuple(chunks.links))

    def record(self, document: Document) -> list[Any]:
        return []

    def reload(self, data: bytes, display: str, record: list[Any]) -> Document:
        return self.read(data, display, CheckOptions())

    def write(self, original: Document, text: str, removals: Sequence[Replacement]) -> bytes:
        assert original.raw is not None, "an e-mail document keeps its bytes"
        message = _parse(original.raw, original.path)
        chunks, places = _message_chunks(message, original.path)
        new = rewrite(original.path, chunks.text(), chunks.chunks, text, removals)
        for slot, place in enumerate(places):
            if isinstance(place, _Header) and slot in new:
                name, _ = place.message._headers[place.index]  # type: ignore[attr-defined]
                place.message._headers[place.index] = (  # type: ignore[attr-defined]
                    name, _header_source(new[slot]))
            elif isinstance(place, _Body) and slot in new:
                _set_body(place.part, new[slot], original.path)
            elif isinstance(place, _HtmlBody):
                wanted = {s - place.first_slot: t for s, t in new.items()
                          if place.first_slot <= s < place.first_slot + len(place.places)}
                html.set_places(place.soup, place.places, wanted)
                _set_body(place.part, place.soup.decode(formatter="minimal"), original.path)
        for part in message.walk():
            for name in {n for n in part if n.lower() in _SIGNATURES}:
                del part[name]
            part.preamble = part.epilogue = None  # text no reader is shown: not published
            if part.get_param("name") is not None:  # a file name that is not read: gone
                part.del_param("name")
        linesep = "\r\n" if b"\r\n" in original.raw[:4096] else "\n"
        # refold_source="none": a header is written as its source stands, never re-parsed
        return message.as_bytes(policy=email.policy.default.clone(linesep=linesep,
                                                                  refold_source="none"))

    def reread(self, data: bytes, original: Document) -> Document:
        return self.read(data, original.path, CheckOptions())

    def hiding_places(self, data: bytes, copy: Document) -> list[HidingPlace]:
        places = [HidingPlace("text", copy.text)]
        for part in _parse(data, copy.path).walk():
            unseen = [t for t in (part.preamble, part.epilogue, part.get_param("name"))
                      if isinstance(t, str) and t.strip()]
            places += [HidingPlace("MIME preamble, epilogue or part name", t) for t in unseen]
        return places


def _parse(data: bytes, display: str) -> EmailMessage:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except (ValueError, LookupError, IndexError, RecursionError) as exc:
        raise InputError(display, f"the message cannot be parsed ({type(exc).__name__})",
                         "Check that it is an e-mail message (.eml).", code="undecodable") from None
    assert isinstance(message, EmailMessage)
    if message.defects and not message.keys():
        raise InputError(display, "not an e-mail message (no headers)",
                         "Check that it is an e-mail message (.eml).", code="undecodable")
    return message


def _message_chunks(message: EmailMessage, display: str) -> tuple[Chunks, list[Any]]:
    """The document text's pieces (headers, then parts) and the place each is written to."""
    chunks = Chunks()
    places: list[Any] = []
    for part, with_headers in _parts(message):
        chunks.join("\n\n")
        _headers(part, chunks, places, display, structure=not with_headers)
        if part.is_multipart():
            continue
        if part.get_content_maintype() != "text":
            raise _attachment(display, part)
        chunks.join("\n\n")
        body = _content(part, display)
        if part.get_content_subtype() == "html":
            soup = html.parse(body, display, None)
            page, page_places = html.page_chunks(soup)
            places_before = len(places)
            chunks.extend(page, places_before)
            places.append(_HtmlBody(part, soup, page_places, places_before))
            places += [None] * (len(page_places) - 1)
        else:
            chunks.add(body, len(places))
            places.append(_Body(part))
    return chunks, places


def _parts(message: EmailMessage) -> Iterator[tuple[EmailMessage, bool]]:
    """Every message, multipart and leaf part in reading order, True where its headers are
    read: a message's (the top one, and each forwarded one), not a multipart's or a leaf
    part's (their headers are structure: boundaries, types)."""
    stack: list[Iterator[tuple[Any, bool]]] = [iter([(message, True)])]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        part, is_message = item
        payload = part.get_payload()
        if part.get_content_maintype() == "message" and isinstance(payload, list):
            stack.append(iter([(inner, True) for inner in payload]))  # a forwarded message
            continue
        yield part, is_message
        if part.is_multipart():
            stack.append(iter([(inner, False) for inner in payload]))


def _headers(part: EmailMessage, chunks: Chunks, places: list[Any], display: str,
             structure: bool) -> None:
    """A message's headers; of a part's (`structure`), those that are not its structure
    (a Content-Disposition's file name, a Content-Description are words)."""
    for index, (name, raw) in enumerate(part._headers):  # type: ignore[attr-defined]
        if name.lower() in _SIGNATURES or (structure and name.lower() in _STRUCTURE):
            continue
        chunks.fixed(f"{name}: ")
        chunks.add(_header_text(str(raw), name, display), len(places))
        places.append(_Header(part, index))
        chunks.join("\n")


def _header_text(raw: str, name: str, display: str) -> str:
    """A header's value as a reader sees it: unfolded, its encoded words decoded (RFC 2047),
    read from the source, not through the address parser (which drops what it takes for
    comments, so that a replacement such as `[REDACTED (b)(6)]` would not read back)."""
    unfolded = _FOLD.sub("", raw)
    if any("\udc80" <= c <= "\udcff" for c in unfolded):  # 8-bit bytes in a header: UTF-8
        unfolded = unfolded.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    try:
        value = str(email.header.make_header(email.header.decode_header(unfolded)))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError) as exc:
        raise InputError(display, f"header {name} cannot be read ({type(exc).__name__})",
                         "Check the message.", code="undecodable") from None
    return " ".join(value.splitlines()) if "\n" in value or "\r" in value else value


def _header_source(text: str) -> str:
    """The source of a header value that reads back as `text`: as it is if it is ASCII and
    holds nothing that looks like an encoded word, else one UTF-8 encoded word per line's
    worth (RFC 2047)."""
    if text.isascii() and "=?" not in text:
        return text
    return email.header.Header(text, "utf-8").encode()


def _content(part: EmailMessage, display: str) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, UnicodeError) as exc:
        raise InputError(display, f"a {part.get_content_type()} part cannot be decoded "
                         f"({type(exc).__name__})", "Check the message's charsets.",
                         code="undecodable") from None
    return str(content)


def _set_body(part: EmailMessage, text: str, display: str) -> None:
    charset = part.get_content_charset() or "us-ascii"
    try:
        data = text.encode(charset)
    except (UnicodeEncodeError, LookupError) as exc:
        raise RedactorError(display, f"a replacement cannot be written in a part's charset "
                            f"{charset}", "Use ASCII in the policy's output section.",
                            code="encoding") from exc
    cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if cte == "base64":
        payload = base64.encodebytes(data).decode("ascii")
    elif cte == "quoted-printable" or not data.isascii():
        payload = quopri.encodestring(data).decode("ascii")
        if cte != "quoted-printable":
            del part["Content-Transfer-Encoding"]
            part["Content-Transfer-Encoding"] = "quoted-printable"
    else:
        payload = data.decode("ascii")
    part.set_payload(payload)


def _attachment(display: str, part: EmailMessage) -> InputError:
    name = part.get_filename()
    what = f"attachment {name!r}" if name else "a part"
    return InputError(display, f"{what} is {part.get_content_type()}, which redactor does not "
                      "read inside a message", "Remove the attachment, or check it on its own "
                      "and send the message without it.", code="unsupported")
