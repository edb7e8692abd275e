"""Acronyms a document defines: `the Kenyan Department of Defence (KDOD)`, `Andres Manuel
Lopez Obrador (AMLO)`, `AMLO (Andres Manuel Lopez Obrador)`.

A short form in brackets beside a long form whose words' initials spell it (Schwartz and
Hearst's test for abbreviation definitions, held to word initials: every word gives its
initial in order, and only a joiner such as `of`, `the` or `bin` may give none) says what the
short form stands for in this document. When the long form is a person's name, the short form
is that person (detect/names/aliases.py finds it everywhere); when it is anything else, the
short form is the name of a thing and never a person's (detect/names/votes.py), however the
model labels it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from redactor.model import Span

# Words that may give no initial to the acronym (`Government of Afghanistan`, GoA; `Hamad bin
# Jassim`, HBJ) — or give theirs (`Kenyan Department of Defence`, KDOD).
JOINERS = frozenset({
    "of", "the", "and", "for", "on", "in", "to", "at", "de", "del", "la", "las", "los", "el",
    "al", "y", "e", "da", "do", "dos", "das", "du", "des", "van", "von", "der", "den", "bin",
    "ibn", "bint", "&"})
# A short form: two to eight letters, capitals but for joiner initials (`GoA`, `MoD`).
_SHORT = r"[A-Z](?:[A-Za-z&]{0,6})[A-Z]"
_BEFORE = re.compile(rf"\((?P<short>{_SHORT})(?:'s)?\)")
_AFTER = re.compile(rf"(?<![\w(])(?P<short>{_SHORT})[ \t]+\((?P<long>[^()\n]{{3,80}})\)")
_LONG_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|&")
# The long form goes back at most this many words before the bracket (Schwartz and Hearst's
# min(|A| + 5, 2|A|)), and not past the end of a sentence or clause.
_CLAUSE_END = re.compile(r"[.;:!?()\[\]]")


@dataclass(frozen=True)
class Definition:
    short: Span  # the short form where it is defined
    long: Span  # the words it stands for
    acronym: str  # the short form's text


def definitions(text: str) -> tuple[Definition, ...]:
    """Every acronym definition in the text, in order."""
    return tuple(sorted({*_long_before(text), *_long_after(text)}, key=lambda d: d.short.start))


def _long_before(text: str) -> Iterator[Definition]:
    for match in _BEFORE.finditer(text):
        acronym = match.group("short")
        window_start = _clause_start(text, match.start())
        words = list(_LONG_WORD.finditer(text, window_start, match.start()))
        limit = min(len(acronym) + 5, 2 * len(acronym))
        for first in range(len(words) - 1, max(0, len(words) - limit) - 1, -1):  # shortest
            picked = words[first:]
            if _spells(tuple(w.group() for w in picked), acronym):
                yield Definition(Span(match.start("short"), match.end("short")),
                                 Span(picked[0].start(), picked[-1].end()), acronym)
                break


def _long_after(text: str) -> Iterator[Definition]:
    for match in _AFTER.finditer(text):
        acronym, long_start = match.group("short"), match.start("long")
        words = list(_LONG_WORD.finditer(text, long_start, match.end("long")))
        if words and _spells(tuple(w.group() for w in words), acronym):
            yield Definition(Span(match.start("short"), match.end("short")),
                             Span(words[0].start(), words[-1].end()), acronym)


def _clause_start(text: str, end: int) -> int:
    """Where the clause ending at `end` starts (after the last sentence mark before it)."""
    start = max(0, end - 200)
    marks = list(_CLAUSE_END.finditer(text, start, end))
    return marks[-1].end() if marks else start


def _spells(words: tuple[str, ...], acronym: str) -> bool:
    """The words' initials spell the acronym, the first word giving its first letter, each
    word but a joiner giving its initial; each capitalised but joiners."""
    if not words or words[0].casefold() in JOINERS:
        return False
    if any(not w[0].isupper() for w in words if w.casefold() not in JOINERS):
        return False
    return _match(tuple(w.casefold() for w in words), acronym.casefold())


@lru_cache(maxsize=4096)
def _match(words: tuple[str, ...], letters: str) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in JOINERS and _match(rest, letters):
        return True
    return bool(letters) and word[0] == letters[0] and _match(rest, letters[1:])
