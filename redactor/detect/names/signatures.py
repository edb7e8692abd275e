"""The signature of a telegram: the name of the chief of mission who sent it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import is_name_word
from redactor.model import BlockKind, Finding, FindingKind, FoundBy, ParsedDocument, Span


class Signatures(NameLayer):
    found_by = FoundBy.SIGNATURE

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return signatures(scan.parsed, found)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "signature line of the telegram"


def signatures(parsed: ParsedDocument, findings: list[Finding]) -> Iterator[Finding]:
    """The signature line of a telegram is the name of the chief of mission who sent it.
    Where the line breaks were lost, it is the lone name after the last sentence."""
    lines = [(_after_last_sentence(parsed.document.text, b.span), b.id)
             for b in parsed.blocks if b.kind is BlockKind.SIGNATURE]
    if parsed.layout == "cable" and not lines and parsed.blocks:
        last = parsed.blocks[-1]
        match = _TRAILING_NAME.search(parsed.document.text, last.span.start, last.span.end)
        if match and is_name_word(match.group(1)) and \
                match.group(1).casefold() not in stop_words() | _CLOSINGS:
            lines = [(Span(match.start(1), match.end(1)), last.id)]
    text = parsed.document.text
    for span, block_id in lines:
        covered = {i for f in findings if f.entity_type == "PERSON" and span.contains(f.span)
                   for i in range(f.span.start, f.span.end)}
        if all(i in covered for i in range(span.start, span.end) if text[i].isalpha()):
            continue  # the model found the whole name; a part of it is not enough
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=block_id, score=0.9, entity_type="PERSON", detector="entities",
                      found_by=FoundBy.SIGNATURE)


def _after_last_sentence(text: str, span: Span) -> Span:
    """The name at the end of a signature line that also holds the end of the text
    (`END TALKING POINTS. RICE`)."""
    ends = list(re.finditer(r"[.:;]\s+", text[span.start:span.end]))  # `End Comment.⏎NAME`
    return Span(span.start + ends[-1].end(), span.end) if ends else span
_CLOSINGS = frozenset({"thanks", "regards", "end", "ends", "signed", "sincerely", "cheers",
                       "best", "ok", "fyi"})
# A telegram's last word, alone after the end of the last sentence: the signature run in.
_TRAILING_NAME = re.compile(r"[.!?*)\]\"\u201d][ \t]+([A-Z][A-Za-z'\u2019-]+)[ \t]*$")
