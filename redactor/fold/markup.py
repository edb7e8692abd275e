"""A markup tag or comment inside a word, which a rendered page does not show: `Jo<b></b>hn`,
`Kelling<!-- -->worth`, `Ra<span>man</span>` read as one word. Only a tag with a letter
directly on either side is dropped: a tag between words is the document's structure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from redactor.fold.base import Edit

_TAG = r"<(?:/?[A-Za-z][A-Za-z0-9-]{0,20}(?:[ \t][^<>\n]{0,200})?|!--[^\n]{0,200}?--)>"
_TAGS_IN_A_WORD = re.compile(rf"(?<=[^\W\d_])(?:{_TAG})+(?=[^\W\d_])")


@dataclass(frozen=True)
class Markup:
    name: str = "markup"

    def edits(self, text: str) -> Iterator[Edit]:
        if "<" not in text:
            return
        for match in _TAGS_IN_A_WORD.finditer(text):
            yield Edit(match.start(), match.end(), "")
