"""parse: Document → ParsedDocument (blocks with offsets, asides).

The cable parser is chosen for telegram-like text, the generic one for everything else;
`--format-hint` forces either.
"""

from __future__ import annotations

from redactor import formats
from redactor.model import BlockKind, Document, ParsedDocument
from redactor.parse.authority import find_authority
from redactor.parse.cable import looks_like_cable, parse_cable
from redactor.parse.generic import parse_generic
from redactor.parse.structure import find_asides, split_lines
from redactor.policy.model import Policy

LAYOUTS = ("auto", "cable", "generic")


def parse(document: Document, policy: Policy, hint: str = "auto") -> ParsedDocument:
    layout = hint if hint != "auto" else (
        "cable" if looks_like_cable(document.text, policy) else "generic")
    lines = split_lines(document.text)
    if layout == "cable":
        blocks = parse_cable(lines, policy)
    else:
        fmt = formats.FORMATS.get(document.format)
        markdown = fmt is not None and fmt.markup == "markdown"
        blocks = parse_generic(lines, policy, markdown)
    # A telegram's routing header holds no authority lines (its serials are not dates).
    start = next((b.span.end for b in blocks if b.kind is BlockKind.ROUTING), 0)
    return ParsedDocument(document, layout, blocks, find_asides(document.text),
                          authority=find_authority(document.text, start))


__all__ = ["LAYOUTS", "find_authority", "parse"]
