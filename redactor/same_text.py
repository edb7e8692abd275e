"""The spellings of a removed text that still give it away: any case, and any whitespace (or
none) between its characters — `Kellingworth`, `KELLINGWORTH`, `Kelling worth`,
`Marta\\nKellingworth` — standing as a word of its own; a removed address or number
(`jdoe@example.org`, `202-555-0147`) also with other characters glued to it.

`check` adds a redaction for every one of them still in the document (so that its report shows
what the copy loses), `redact` removes any still in its copy, and `verify` searches the copy
for every one, so a name removed in one place is never left in another. A removed name is
searched in lower case too, even where the same word is an ordinary word of the prose
(`Rose` removed, `prices rose`): a name written in lower case is a leak, an ordinary word
removed is collateral that the report shows (the finding's `found_by` is `same-text`). Slips
that would spread are kept out where they are made (detect/names/votes.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from redactor.detect.names.words import whole_word
from redactor.model import Action, Decision, FindingKind, FoundBy, ParsedDocument, Span
from redactor.parse.sentences import sentences_in

# Removals of markings and portion marks are not searched: their words are the policy's public
# vocabulary, and a surviving marking is found by checking the copy.
NOT_SEARCHED = frozenset({FindingKind.MARKING.value, FindingKind.PORTION.value})


@dataclass(frozen=True)
class Spellings:
    """The spellings of one removed text: `finditer` and `search` as the compiled pattern's."""

    regex: re.Pattern[str]
    # The first _KEY letters of a name-like text in lower case: where it can begin, a word
    # starts with them (None: an address or number, searched everywhere).
    key: str | None = None

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)


def variant_pattern(removed: str) -> Spellings | None:
    """The spellings of the removed text; None when it has fewer than two letters or digits
    (too short to search without removing ordinary text)."""
    if sum(ch.isalnum() for ch in removed) < 2:
        return None
    chars = [ch for ch in removed if not ch.isspace()]
    body = r"\s*".join(re.escape(ch) for ch in chars)
    if not _word_like(chars) and sum(ch.isalnum() for ch in chars) >= _GLUED_MIN:
        return Spellings(re.compile(body, re.IGNORECASE))  # an address or number, even glued
    # A name is a word of its own among letters, but not among digits and underscores: it
    # is found in `econ_okonjiwe2` (a user id), not in `Richmond` for `Rich`.
    edge = r"[^\W\d_]" if _word_like(chars) else r"\w"
    head = rf"(?<!{edge})" if chars[0].isalnum() or chars[0] == "_" else ""
    tail = rf"(?!{edge})" if chars[-1].isalnum() or chars[-1] == "_" else ""
    start = "".join(chars[:_KEY]).lower()
    key = start if (_word_like(chars) and len(start) == _KEY and start.isascii()
                    and start.isalpha()) else None
    return Spellings(re.compile(head + body + tail, re.IGNORECASE), key)


# A removed text that is not made of words (an e-mail address, a telephone or record number)
# is searched even where other characters are glued to it (`jdoe@example.orgl`, as OCR leaves
# it): it cannot be part of an ordinary word. Names are searched as words of their own, or
# `Rich` would be found in `Richmond`.
_GLUED_MIN = 6


def _word_like(chars: list[str]) -> bool:
    return all(ch.isalpha() or ch in "'\u2019-." for ch in chars)


def searched_removal(decision: Decision) -> bool:
    """A removal whose text must not survive anywhere in the copy: a withheld portion, or a
    redaction of anything but a marking or portion mark."""
    return decision.action is Action.WITHHOLD or (
        decision.action is Action.REDACT and decision.finding.kind.value not in NOT_SEARCHED)


def searched(decision: Decision) -> bool:
    """An entity at or above redact, not let through by an allow-list — also one inside a
    withheld portion, whose text is searched on its own."""
    return (decision.allowed_by is None and decision.action.rank >= Action.REDACT.rank
            and decision.finding.entity_type is not None)


def same_text_decisions(parsed: ParsedDocument, decisions: list[Decision]) -> list[Decision]:
    """A redaction for every place the document still holds a removed text, in another case
    or spacing, outside every removal (`Jose` removed in the body, `JOSE` in a reference line;
    a withheld paragraph's sentence repeated in a released one) — what `redact`'s rounds would
    otherwise find in the copy. The text is searched as the copy reads, with every removal
    blanked out."""
    text = parsed.document.text
    removals = sorted((d.target for d in decisions if _removes(d)), key=lambda s: s.start)
    if not removals:
        return []
    blanked = _blanked(text, removals)
    taken = bytearray(len(text))
    for span in removals:
        taken[span.start:span.end] = b"\x01" * len(span)
    withheld = [d for d in decisions if _removes(d) and d.action is Action.WITHHOLD]
    # A long portion is searched by its sentences (below), not whole: one pattern of it
    # would cost more than the rest of the check.
    sources = [(d.target, d) for d in decisions if _removes(d) and searched_removal(d)
               and not (d.action is Action.WITHHOLD and len(d.target) > _WHOLE_PORTION)]
    sources += [(d.finding.span, d) for d in decisions if searched(d)]
    added: list[Decision] = []
    found = _occurrences(blanked, list(distinct_spellings(text, sources)))
    for source, decision, piece in repeated_sentences(text, blanked, withheld):
        if any(taken[piece.start:piece.end]):
            continue
        other = same_text_decision(parsed, decision, source, piece)
        taken[piece.start:piece.end] = b"\x01" * len(piece)
        added.append(other)
    for span, decision, match in found:
        if any(taken[match.start:match.end]):
            continue
        other = same_text_decision(parsed, decision, span, match)
        taken[other.target.start:other.target.end] = b"\x01" * len(other.target)
        added.append(other)
    return added


_KEY = 3
_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")
_SPACE = re.compile(r"\s+")


def _occurrences(blanked: str, entries: list[tuple[Span, Decision, Spellings]]
                 ) -> list[tuple[Span, Decision, Span]]:
    """Every place each entry's spellings occur, in the entries' order and then the text's
    (as a search per entry would give them). A name-like text is looked for only where a word
    starts with its first letters (one pass over the text and a lookup at each word, not a
    search of the whole text per name); an address or number is searched everywhere."""
    keyed: dict[str, list[int]] = {}
    hits: list[tuple[int, int, int]] = []  # (entry, start, end)
    for index, (_, _, spellings) in enumerate(entries):
        if spellings.key is None:
            hits += [(index, m.start(), m.end()) for m in spellings.finditer(blanked)]
        else:
            keyed.setdefault(spellings.key, []).append(index)
    if keyed:
        for word in _WORD_START.finditer(blanked):
            at = word.start()
            head = _SPACE.sub("", blanked[at:at + 4 * _KEY])[:_KEY].lower()
            for index in keyed.get(head, ()):
                match = entries[index][2].regex.match(blanked, at)
                if match is not None:
                    hits.append((index, match.start(), match.end()))
    hits.sort()
    return [(entries[i][0], entries[i][1], Span(start, end)) for i, start, end in hits]


# A sentence of a withheld portion this long is searched on its own: repeated in a released
# paragraph, the SUBJECT line or a summary, it gives the portion away. Shorter ones (`He
# agreed.`) are ordinary prose.
_SENTENCE_WORDS = 6
_WHOLE_PORTION = 2_000  # characters of a withheld portion searched whole as well
_TOKEN = re.compile(r"[^\W_]+")


def repeated_sentences(text: str, blanked: str, withheld: list[Decision]
                       ) -> Iterator[tuple[Span, Decision, Span]]:
    """(the sentence, its portion's decision, where it is repeated) for each withheld
    sentence of _SENTENCE_WORDS words or more found elsewhere in `blanked` (the text with
    every removal blanked), word by word in any case and spacing. Linear in the text: the
    sentences are indexed by their first words, and the text is read once."""
    index: dict[tuple[str, ...], list[tuple[tuple[str, ...], Span, Decision]]] = {}
    for decision in withheld:
        for sentence in withheld_sentences(text, decision.target):
            words = tuple(w.casefold() for w in _TOKEN.findall(text, sentence.start,
                                                              sentence.end))
            index.setdefault(words[:_SENTENCE_WORDS], []).append((words, sentence, decision))
    if not index:
        return
    tokens = list(_TOKEN.finditer(blanked))
    folded = [t.group().casefold() for t in tokens]
    at = 0
    while at + _SENTENCE_WORDS <= len(tokens):
        for words, sentence, decision in index.get(tuple(folded[at:at + _SENTENCE_WORDS]), ()):
            if tuple(folded[at:at + len(words)]) == words:
                last = tokens[at + len(words) - 1]
                yield sentence, decision, Span(tokens[at].start(), last.end())
                at += len(words) - 1
                break
        at += 1


def withheld_sentences(text: str, portion: Span) -> Iterator[Span]:
    """The sentences of a withheld portion of _SENTENCE_WORDS words or more, without the
    spaces around them (the portion whole is searched too)."""
    sentences = sentences_in(text, portion)
    if len(sentences) < 2:
        return
    for sentence in sentences:
        piece = text[sentence.start:sentence.end]
        if len(piece.split()) < _SENTENCE_WORDS:
            continue
        lead = len(piece) - len(piece.lstrip())
        # without its full stop: a SUBJECT line or a quotation repeats it without one
        yield Span(sentence.start + lead, sentence.start + len(piece.rstrip().rstrip(".!?;:")))


def distinct_spellings(text: str, sources: list[tuple[Span, Decision]]
                       ) -> Iterator[tuple[Span, Decision, Spellings]]:
    """Each removed text of `sources` with the spellings to search it by, once each."""
    patterns: set[str] = set()
    for span, decision in sources:
        spellings = variant_pattern(text[span.start:span.end])
        if spellings is None or spellings.pattern in patterns:
            continue
        patterns.add(spellings.pattern)
        yield span, decision, spellings


def same_text_decision(parsed: ParsedDocument, decision: Decision, source: Span,
                       piece: Span) -> Decision:
    """The redaction of `piece`, another spelling of the removal at `source` (a name's with
    the rest of the word or user id it stands in: `cheryl.mills` for `Mills`, never
    `cheryl.[REDACTED]`)."""
    if decision.finding.entity_type == "PERSON":
        piece = whole_word(parsed.document.text, piece)
    finding = replace(decision.finding, span=piece, source=source,
                      block_id=parsed.block_id_at(piece.start),
                      found_by=FoundBy.SAME_TEXT, rechecked=False)
    return replace(decision, action=Action.REDACT, finding=finding, target=piece,
                   covered_by=None, replacement=None)


def _removes(decision: Decision) -> bool:
    """A decision the copy applies as a removal of its own."""
    return (decision.allowed_by is None and decision.covered_by is None
            and decision.action in (Action.REDACT, Action.WITHHOLD))


def _blanked(text: str, removals: list[Span]) -> str:
    """The text with every removal blanked by NULs, line breaks kept (as the copy is searched:
    neither a word nor space, so no search runs into or across a removal)."""
    pieces, cursor = [], 0
    for span in removals:
        if span.end <= cursor:
            continue
        start = max(span.start, cursor)
        pieces.append(text[cursor:start])
        pieces.append(NOT_BREAK.sub("\x00", text[start:span.end]))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


NOT_BREAK = re.compile(r"[^\r\n]")  # every character but a line break
