"""Letter-spaced words: `J o h n  S m i t h`, `S-E-C-R-E-T`, and a portion mark written
`(S B U)`, read with the letters together. Four or more single letters each separated by
one space or a hyphen, or two to five letters in a portion mark's brackets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from redactor.fold.base import Edit

_LETTER = r"[^\W\d_]"
_SPACED = re.compile(rf"(?<![^\W_]){_LETTER}(?:[ -]{_LETTER}){{3,}}(?![^\W_]|-{_LETTER})")
_SPACED_MARK = re.compile(r"(?<=\()[A-Za-z](?:[ ]+[A-Za-z/]){1,6}[ ]*(?=\))")
_GAP = re.compile(r"[ -]")


@dataclass(frozen=True)
class Spacing:
    name: str = "letter-spacing"

    def edits(self, text: str) -> Iterator[Edit]:
        found = sorted([*_SPACED.finditer(text), *_SPACED_MARK.finditer(text)],
                       key=lambda m: m.start())
        end = 0
        for match in found:
            if match.start() < end:
                continue
            end = match.end()
            yield Edit(match.start(), match.end(), _GAP.sub("", match.group()))
