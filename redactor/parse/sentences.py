"""Sentences and paragraphs: the part of the text a phrase speaks for.

A protection cue (`strictly protect`) speaks for its sentence or its paragraph; the sentence
splitter knows the full stops that end no sentence (titles, initials, abbreviations).
"""

from __future__ import annotations

import re

from redactor.model import ParsedDocument, Span

# Words that end with a full stop without ending a sentence: titles and honorifics,
# abbreviations of months and common Latin, and single letters (initials: J. Smith).
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "no", "nos", "vol", "amb",
    "gen", "col", "maj", "capt", "lt", "sgt", "adm", "cdr", "rep", "sen", "gov", "pres", "sec",
    "dep", "asst", "min", "hon", "rev", "fr", "messrs", "mmes", "ret", "inc", "ltd", "co",
    "corp", "dept", "univ", "approx", "est", "fig", "cf", "vs", "etc", "al", "e.g", "i.e",
    "u.s", "u.k", "u.n", "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
})
# A sentence ends at . ! or ? (and any closing quotes or brackets after it) before whitespace.
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def scope_of(parsed: ParsedDocument, phrase: Span, scope: str) -> Span:
    """The part of the text a phrase speaks for: its paragraph (the block that holds it; the
    line, outside any block), or, for scope `sentence`, its sentence within that. A phrase that
    is a sentence of its own, `(Strictly protect.)`, speaks for the sentence before it too."""
    paragraph = _paragraph(parsed, phrase)
    if scope == "paragraph":
        return paragraph
    sentences = sentences_in(parsed.document.text, paragraph)
    for i, sentence in enumerate(sentences):
        if sentence.start <= phrase.start < sentence.end:
            rest = (parsed.document.text[sentence.start:phrase.start]
                    + parsed.document.text[phrase.end:sentence.end])
            if i > 0 and not any(ch.isalnum() for ch in rest):
                return Span(sentences[i - 1].start, sentence.end)
            return sentence
    return paragraph


def _paragraph(parsed: ParsedDocument, span: Span) -> Span:
    block = parsed.block_at(span.start)
    if block is not None:
        return block.span
    text = parsed.document.text
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    return Span(start, len(text) if end < 0 else end)


def sentences_in(text: str, region: Span) -> list[Span]:
    """The sentences of a region of the text, end to end (together they are the region)."""
    spans = []
    start = region.start
    for match in _SENTENCE_END.finditer(text, region.start, region.end):
        if match.group().startswith(".") and _abbreviation(text, start, match.start()):
            continue
        spans.append(Span(start, match.end()))
        start = match.end()
    if start < region.end:
        spans.append(Span(start, region.end))
    return spans


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """A full stop after a title, a known abbreviation or a single letter ends no sentence."""
    word = _WORD_BEFORE.search(text, start, dot)
    if word is None:
        return False
    token = word.group(1).casefold().strip(".")
    return len(token) == 1 or token in _ABBREVIATIONS
