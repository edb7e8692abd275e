"""The people an e-mail's header lines name: `From: Ravensworth, Delia K <…>`,
`To: Tolliver, Kurt W; Park, Pamela P`, `Cc: Jacob Quillfeather [mailto:…]`.

A header line is a list of people in a fixed form. The model, reading it as prose, finds the
given name and misses the surname before the comma (`Park`, `Tesone`), which is the part that
identifies the person; this layer takes each entry whole. An entry is a name when it has the
form `Surname, Given [initial] [(nickname)]` (`Surname,,Given` as OCR leaves it), or
`Given Surname` right before an address; a lone `Surname,` that a wrapped line cut from its
given name counts too. Anything else (an
alias such as `H`, a mailbox such as `OpsAlert`, an office) is left to the other layers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import NAME_WORD
from redactor.model import Finding, FindingKind, FoundBy, ParsedDocument, Span

# A header field and its value, to the end of the line; the value goes on in the next line
# when this one ends with `;` or `,` (a long To: or Cc: list wraps).
_FIELD = re.compile(r"^[ \t]*(?:From|To|Cc|CC|Bcc|BCC|Sent[ \t]+By)[ \t]*:[ \t]*(?P<value>.*)$",
                    re.MULTILINE)
_CONTINUED = re.compile(r"[;,][ \t]*$")
_ADDRESS = re.compile(r"<[^<>\n]*>|\[mailto:[^\]\n]*\]|'[^'\n]*@[^'\n]*'|\S+@\S+")
_SURNAME_FIRST = re.compile(
    rf"(?P<name>(?P<surname>{NAME_WORD}(?:[ \t]+{NAME_WORD})?),{{1,2}}[ \t]*(?P<given>{NAME_WORD})"
    rf"(?:[ \t]+[A-Z0-9]\.?)?(?:[ \t]*\({NAME_WORD}\))?)")
_GIVEN_FIRST = re.compile(rf"(?P<name>{NAME_WORD}(?:[ \t]+(?:[A-Z]\.?|{NAME_WORD})){{1,2}})")
_CUT_SURNAME = re.compile(rf"(?P<name>{NAME_WORD}),")


class MailHeaders(NameLayer):
    """Each entry of a header line whole: it replaces the model's pieces of it."""

    found_by = FoundBy.MAIL_HEADER

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return mail_header_names(scan.parsed)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "a person named in an e-mail header line"


def mail_header_names(parsed: ParsedDocument) -> Iterator[Finding]:
    text = parsed.document.text
    for start, end in _header_values(text):
        for entry_start, entry_end in _entries(text, start, end):
            span = _name_in(text, entry_start, entry_end)
            if span is not None:
                block = parsed.block_at(span.start)
                yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                              block_id=block.id if block else None, score=0.8,
                              entity_type="PERSON", detector="entities",
                              found_by=FoundBy.MAIL_HEADER)


def _header_values(text: str) -> Iterator[tuple[int, int]]:
    for match in _FIELD.finditer(text):
        start, end = match.start("value"), match.end("value")
        while _CONTINUED.search(text, start, end) and end < len(text):
            following = text.find("\n", end + 1)
            following = len(text) if following < 0 else following
            if not text[end + 1:following].strip() or _FIELD.match(text, end + 1):
                break
            end = following
        yield start, end


def _entries(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Each entry of a header value (entries end at `;` and at line breaks: a name never
    runs across lines), as offsets."""
    cursor = start
    for separator in [*(m.start() for m in re.finditer("[;\n]", text[start:end])), end - start]:
        stop = start + separator
        yield cursor, stop
        cursor = stop + 1


def _name_in(text: str, start: int, end: int) -> Span | None:
    entry = text[start:end]
    address = _ADDRESS.search(entry)
    before = entry[:address.start()] if address else entry
    lead = len(before) - len(before.lstrip(" \t\n\"'"))
    body = before.strip(" \t\n\"'")
    for pattern, needs_address in ((_SURNAME_FIRST, False), (_GIVEN_FIRST, True),
                                   (_CUT_SURNAME, False)):
        match = pattern.fullmatch(body)
        if match is None or (needs_address and address is None):
            continue
        words = re.findall(r"[^\W\d_]+", match.group("name"))
        if any(w.casefold() in stop_words() for w in words if len(w) > 1):
            return None
        offset = start + lead
        return Span(offset + match.start("name"), offset + match.end("name"))
    return None
