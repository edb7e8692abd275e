"""Characters a reader does not see, or reads as others: dropped, or mapped to what they look
like. Zero-width spaces and joiners, the word joiner, the byte-order mark, soft hyphens,
direction marks and bidi controls, tag characters, variation selectors, the combining
grapheme joiner and Hangul fillers are dropped; a combining accent that makes no letter of
its base (`J` + U+0301) is dropped, one that does is composed (`e` + U+0301 is `é`);
compatibility forms are read as their plain letters (NFKC: fullwidth `Ｊｏｈｎ`, no-break
spaces, ligatures, mathematical letters); and in a word written in Latin letters, or made
only of letters that look Latin, Cyrillic and Greek look-alikes are read as the Latin letter
they look like (Unicode's confusables, UTS #39, from the confusable-homoglyphs package)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from redactor.fold.base import Edit

# Invisible, whatever their category says: the combining grapheme joiner, variation
# selectors, Mongolian free variation selectors, Hangul fillers, the braille blank.
_ALSO_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0\u2800\u180b\u180c\u180d\u180f"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0))))
# Combining marks of the Latin, Greek and Cyrillic blocks (other scripts' marks are letters'
# parts: they are left as they are).
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER = re.compile(rf"[^\W\d_]?[{_MARKS}]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]+")


def invisible(char: str) -> bool:
    """A character no reader sees: a format character (Unicode category Cf) or one of
    _ALSO_INVISIBLE. A removal is widened over these where they touch it."""
    return char in _ALSO_INVISIBLE or unicodedata.category(char) == "Cf"


@cache
def look_alikes() -> dict[str, str]:
    """Each non-ASCII letter or digit that Unicode lists as confusable with an ASCII letter or
    digit, and that letter (the same case where there is one)."""
    data = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    table: dict[str, str] = {}
    for char, alternatives in json.loads(data.read_text(encoding="utf-8")).items():
        if len(char) != 1 or char.isascii() or not char.isalnum():
            continue
        ascii_forms = sorted(a["c"] for a in alternatives
                             if len(a["c"]) == 1 and a["c"].isascii() and a["c"].isalnum())
        if not ascii_forms:
            continue
        letters = [a for a in ascii_forms if a.isalpha()] if char.isalpha() else ascii_forms
        same_case = [a for a in letters if a.isupper() == char.isupper()]
        chosen = (same_case or letters or ascii_forms)[0]
        table[char] = "I" if chosen == "l" and char.isupper() else chosen
    return table


@dataclass(frozen=True)
class Characters:
    name: str = "characters"

    @property
    def _looks(self) -> dict[str, str]:
        return look_alikes()  # read once a process, when a text first needs it

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii():
            return
        clusters = {m.start(): m for m in _CLUSTER.finditer(text)}
        words = self._latin_words(text)
        skip_to = 0
        for match in _NON_ASCII.finditer(text):
            at = match.start()
            if at < skip_to:
                continue
            cluster = clusters.get(at) or clusters.get(at - 1)
            if cluster is not None and cluster.end() > at:
                skip_to = cluster.end()
                yield from self._composed(cluster)
                continue
            folded = self._folded(match.group(), at in words)
            if folded != match.group():
                yield Edit(at, at + 1, folded)

    def _composed(self, cluster: re.Match[str]) -> Iterator[Edit]:
        """A letter and its accents: composed where Unicode composes them, the rest dropped."""
        composed = unicodedata.normalize("NFC", cluster.group())
        kept = "".join(c for c in composed if not re.match(f"[{_MARKS}]", c))
        if kept != cluster.group():
            yield Edit(cluster.start(), cluster.end(), kept)

    def _folded(self, char: str, latin_word: bool) -> str:
        if invisible(char):
            return ""
        plain = unicodedata.normalize("NFKC", char)
        if latin_word:
            plain = "".join(self._looks.get(c, c) for c in plain)
        return plain

    def _latin_words(self, text: str) -> frozenset[int]:
        """Offsets of the look-alike letters that are read as Latin: those of words with an
        ASCII letter, or made only of letters that look Latin."""
        offsets: list[int] = []
        for word in _WORD.finditer(text):
            surface = word.group()
            if surface.isascii():
                continue
            plain = unicodedata.normalize("NFKC", surface)
            if any(c.isascii() for c in plain) or all(c in self._looks for c in plain):
                offsets.extend(word.start() + i for i, c in enumerate(surface)
                               if c in self._looks or not c.isascii())
        return frozenset(offsets)
