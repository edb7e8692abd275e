"""Text a bidi override shows reversed: between RIGHT-TO-LEFT OVERRIDE (U+202E) and POP
DIRECTIONAL FORMATTING (U+202C), or the line's end, a reader sees the letters in reverse
order, so `\u202ehtimS nhoJ\u202c` reads `John Smith`. The stretch is read as it is seen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from redactor.fold.base import Edit

_OVERRIDE = re.compile("\u202e([^\u202c\n]*)\u202c?")


@dataclass(frozen=True)
class Overrides:
    name: str = "overrides"

    def edits(self, text: str) -> Iterator[Edit]:
        if "\u202e" not in text:
            return
        for match in _OVERRIDE.finditer(text):
            yield Edit(match.start(), match.end(), match.group(1)[::-1])
