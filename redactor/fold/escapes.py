"""Characters written as escapes: HTML character references (`J&#111;hn`, `&eacute;`, in
Markdown and text as in HTML) and URL percent-escapes of printable ASCII (`John%20Smith`),
read as the characters they stand for."""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass

from redactor.fold.base import Edit

_ESCAPE = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});|&[A-Za-z][A-Za-z0-9]{1,31};"
                     r"|%[2-7][0-9A-Fa-f]")
_NAMED = html.entities.html5  # 'eacute;' → 'é'


@dataclass(frozen=True)
class Escapes:
    name: str = "escapes"

    def edits(self, text: str) -> Iterator[Edit]:
        if "&" not in text and "%" not in text:
            return
        for match in _ESCAPE.finditer(text):
            character = _character(match.group())
            if character is not None:
                yield Edit(match.start(), match.end(), character)


def _character(escape: str) -> str | None:
    if escape.startswith("%"):
        char = chr(int(escape[1:], 16))
        return char if char.isprintable() else None
    if escape.startswith("&#"):
        digits = escape[2:-1]
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code)
    return _NAMED.get(escape[1:])
