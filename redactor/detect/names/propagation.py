"""A name found once is found everywhere in the document."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from redactor.detect.base import Explaining, line_of
from redactor.detect.names.base import NameLayer, NameScan
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.votes import Votes
from redactor.detect.names.words import (
    NOT_NAMES,
    PARTICLES,
    WORD,
    after_place_prefix,
    is_name_word,
    ordinary_words,
    span_mask,
)
from redactor.model import Finding, FindingKind, FoundBy, ParsedDocument, Span

# A lower-case particle joined to a surname by a hyphen: al-Tamrazi, el-Baradei, bin-Laden.
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|bin|ibn|ben|abu|ul)[-\u2010]",
                              re.IGNORECASE)
# A title before a name: `Major General`, `King Abdullah` (a possessive may sit between).
_BEFORE_A_NAME = re.compile(r"(?:['\u2019]s)?[ \t]+[A-Z]")


class Propagation(NameLayer):
    """A name found once is found everywhere in the document."""

    found_by = FoundBy.PROPAGATION
    persons_only = False

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return propagate_names(scan.parsed, found, scan.structure, scan.votes)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return f"same name as the person found on line {line_of(context.document, finding.source)}"


class ListPropagation(Propagation):
    """The names a list of people gave (detect/names/lists.py), found everywhere too."""

    persons_only = True

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        listed = [f for f in found if f.found_by is FoundBy.LIST]
        return propagate_names(scan.parsed, found, scan.structure, scan.votes, only=listed)


def propagate_names(parsed: ParsedDocument, findings: Iterable[Finding],
                    structure: list[Span], votes: Votes | None = None,
                    only: list[Finding] | None = None) -> Iterator[Finding]:
    """A name found once is found everywhere: each name word and each full multi-word form, in
    Title Case or capitals, possessive or not. Lower-case occurrences are ordinary words and are
    skipped, and so is a name word alone that the document also writes in lower case, or that
    follows the first word of a place (`SAN JOSE`). One pass over the text, whatever the
    number of names."""
    text = parsed.document.text
    persons = [f for f in findings if f.entity_type == "PERSON"]
    taken = span_mask(len(text), [*(f.span for f in persons), *structure])
    words, phrases, surnames = _name_forms(text, persons if only is None else only)
    ordinary = ordinary_words(text)  # `Meeting` of `Bush-Kadeer Meeting` is not a name alone
    words = {w: f for w, f in words.items() if w not in ordinary}
    if votes is not None:
        votes.confirm(persons)
        words = {w: f for w, f in words.items() if not votes.not_a_person(w)}
    for span, source in [*_occurrences(text, phrases), *_word_occurrences(text, words),
                         *_surname_occurrences(text, surnames)]:
        if (not _capitalised(text[span.start:span.end]) or any(taken[span.start:span.end])
                or (" " not in text[span.start:span.end]
                    and after_place_prefix(text, span.start))):
            continue
        taken[span.start:span.end] = b"\x01" * len(span)
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=parsed.block_id_at(span.start), score=source.score,
                      entity_type="PERSON", detector="entities",
                      found_by=FoundBy.PROPAGATION, source=source.span)


def _name_forms(text: str, persons: list[Finding]) -> tuple[dict[str, Finding],
                                                            dict[str, Finding],
                                                            dict[str, Finding]]:
    """Casefolded single name words, multi-word names, and surnames that are also titles, each
    with the finding it came from.
    A lone acronym the model took for a name (CBE, MANPADS), never written in Title Case in
    the document, stays where the model found it: spreading the slip would remove every use."""
    words: dict[str, Finding] = {}
    phrases: dict[str, Finding] = {}
    surnames: dict[str, Finding] = {}
    for finding in persons:
        surface = text[finding.span.start:finding.span.end]
        tokens = WORD.findall(surface)
        if len(tokens) > 1:
            phrases.setdefault(" ".join(tokens).casefold(), finding)
        elif tokens and tokens[0].isupper() and tokens[0].title() not in text:
            continue  # an acronym: never written as a name in this document
        for token in tokens:
            core = _PARTICLE_PREFIX.sub("", token)  # al-Tamrazi: also Tamrazi alone
            for form in {token, core}:
                if _propagates(_PARTICLE_PREFIX.sub("", form)):
                    words.setdefault(form.casefold(), finding)
        if len(tokens) > 1 and _title_surname(tokens[-1]):
            surnames.setdefault(tokens[-1].casefold(), finding)
    return words, phrases, surnames


def _capitalised(surface: str) -> bool:
    """Written as a name: a capital first letter, after a lower-case particle if any."""
    core = _PARTICLE_PREFIX.sub("", surface)
    return bool(core) and core[0].isupper()


def _title_surname(token: str) -> bool:
    """A surname that is also a title (John Major, Martin Luther King)."""
    folded = token.casefold()
    return (len(token) >= 3 and token[0].isupper() and folded in NOT_NAMES
            and folded not in stop_words() and folded not in PARTICLES)


def _propagates(token: str) -> bool:
    """A name word found alone elsewhere is the name again, unless it is short, a title, or a
    common English word (Will, May, Young): those would remove ordinary words."""
    folded = token.casefold()
    return (len(token) >= 3 and token[0].isupper() and is_name_word(token)
            and folded not in stop_words())


def _occurrences(text: str, phrases: dict[str, Finding]) -> Iterator[tuple[Span, Finding]]:
    """Multi-word names, longest first, with any run of spaces or one line break between words."""
    if not phrases:
        return
    forms = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in forms)
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    for match in pattern.finditer(text):
        key = " ".join(match.group().split()).casefold()
        yield Span(match.start(), match.end()), phrases[key]


def _surname_occurrences(text: str,
                         surnames: dict[str, Finding]) -> Iterator[tuple[Span, Finding]]:
    """`Major said`, not `Major General`: a title-surname followed by a capitalised word is
    the title."""
    for span, source in _word_occurrences(text, surnames):
        if not _BEFORE_A_NAME.match(text, span.end):
            yield span, source


def _word_occurrences(text: str, words: dict[str, Finding]) -> Iterator[tuple[Span, Finding]]:
    """Each word that is a name word found; in a hyphenated word that is not one itself, each
    part that is (`Camus` of `Camus-Forgeard`)."""
    for match in WORD.finditer(text):
        found = _word_occurrence(match.group(), match.start(), words)
        if found is not None:
            yield found
        elif "-" in match.group():
            offset = match.start()
            for part in match.group().split("-"):
                found = _word_occurrence(part, offset, words)
                if found is not None:
                    yield found
                offset += len(part) + 1


def _word_occurrence(word: str, start: int,
                     words: dict[str, Finding]) -> tuple[Span, Finding] | None:
    stem = word[:-2] if word.endswith(("'s", "\u2019s")) else word
    source = words.get(word.casefold()) or words.get(stem.casefold())
    if source is None:
        return None
    length = len(word) if word.casefold() in words else len(stem)
    return Span(start, start + length), source
